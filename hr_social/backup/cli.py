import click
from flask.cli import with_appcontext

from hr_social.backup.services import BackupError, create_backup, verify_backup


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Fichier à écrire (défaut : instance/backups/hr_social-AAAAmmjj-HHMMSS.*).")
@click.option("--verify", "verify_path", type=click.Path(dir_okay=False),
              help="Vérifier une copie existante au lieu d'en faire une.")
@with_appcontext
def backup_cli(output: str | None, verify_path: str | None):
    """Consistent copy of the database while the application runs, or its verification."""
    try:
        if verify_path:
            report = verify_backup(verify_path)
            if report.ok:
                click.echo(f"Copie valide : {report.path} ({report.kind}), intégrité correcte, "
                           f"chaîne d'audit intègre ({report.audit_entries} entrées).")
                return
            click.echo(f"Copie NON valide : {report.path}", err=True)
            for problem in report.problems:
                click.echo(f"  - {problem}", err=True)
            raise SystemExit(1)
        result = create_backup(output)
    except BackupError as error:
        click.echo(f"Erreur : {error}", err=True)
        raise SystemExit(1) from error
    click.echo(f"Copie de sauvegarde écrite : {result.path} ({result.kind}, "
               f"{result.size / 1024:.0f} Kio, lisible par son propriétaire seulement).")
