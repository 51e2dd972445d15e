import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.audit.anchor import checkpoint_file
from hr_social.audit.checkpoints import explain, take_checkpoint, verify_anchored
from hr_social.audit.services import ChainReport

audit_cli = AppGroup("audit", help=_l("Journal d'audit."))


def _fail(report: ChainReport):
    for line in explain(report):
        click.echo(line, err=True)
    raise SystemExit(1)


@audit_cli.command("verify", help=_l(
    "Vérifie toute la chaîne et la compare aux points de contrôle ; code 1 en cas de problème."))
def verify():
    report = verify_anchored()
    if not report.ok:
        _fail(report)
    click.echo(_("Chaîne d'audit intègre : %(n)d entrées vérifiées.", n=report.checked))
    if report.checkpoints:
        click.echo(_("Concorde avec %(n)d point(s) de contrôle (%(file)s).",
                     n=report.checkpoints, file=checkpoint_file()))
    else:
        click.echo(_("Aucun point de contrôle : une suppression de la fin du journal ne "
                     "serait pas détectée. Lancez « flask audit checkpoint » chaque jour."))


@audit_cli.command("checkpoint", help=_l(
    "Ajoute le nombre d'entrées et la dernière empreinte au fichier de points de contrôle "
    "(cron quotidien), après vérification."))
def checkpoint():
    result = take_checkpoint("cron")
    if not result.written:
        click.echo(_("Point de contrôle NON écrit :"), err=True)
        _fail(result.report)
    echo_checkpoint(result)


def echo_checkpoint(result) -> None:
    report = result.report
    click.echo(_("Point de contrôle écrit dans %(file)s : %(n)d entrées, dernière n° %(id)s.",
                 file=checkpoint_file(), n=report.checked, id=report.head_id or "—"))
    if result.emailed_to:
        click.echo(_("Copie envoyée à %(address)s.", address=result.emailed_to))
