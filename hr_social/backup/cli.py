import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.audit.checkpoints import explain, take_checkpoint
from hr_social.audit.cli import echo_checkpoint
from hr_social.backup.services import BackupError, create_backup, verify_backup


@click.command("backup", help=_l(
    "Copie cohérente de la base pendant que l'application tourne (avec un point de "
    "contrôle du journal d'audit), ou vérification d'une copie."))
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help=_l("Fichier à écrire (défaut : instance/backups/hr_social-AAAAmmjj-HHMMSS.*)."))
@click.option("--verify", "verify_path", type=click.Path(dir_okay=False),
              help=_l("Vérifier une copie existante au lieu d'en faire une."))
@with_appcontext
def backup_cli(output: str | None, verify_path: str | None):
    try:
        if verify_path:
            _verify(verify_path)
            return
        result = create_backup(output)
    except BackupError as error:
        click.echo(_("Erreur : %(error)s", error=error), err=True)
        raise SystemExit(1) from error
    click.echo(_("Copie de sauvegarde écrite : %(path)s (%(kind)s, %(size).0f Kio, lisible "
                 "par son propriétaire seulement).", path=result.path, kind=result.kind,
                 size=result.size / 1024))
    _checkpoint()


def _verify(path: str) -> None:
    report = verify_backup(path)
    if report.ok:
        click.echo(_("Copie valide : %(path)s (%(kind)s), intégrité correcte, chaîne d'audit "
                     "intègre (%(n)d entrées).", path=report.path, kind=report.kind,
                     n=report.audit_entries))
        return
    click.echo(_("Copie NON valide : %(path)s", path=report.path), err=True)
    for problem in report.problems:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1)


def _checkpoint() -> None:
    """Each backup also anchors the audit chain outside the database."""
    result = take_checkpoint("backup")
    if result.written:
        echo_checkpoint(result)
        return
    click.echo(_("Point de contrôle NON écrit :"), err=True)
    for line in explain(result.report):
        click.echo(line, err=True)
    raise SystemExit(1)
