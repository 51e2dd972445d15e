import click
from flask.cli import AppGroup

from hr_social.audit.services import verify_chain

audit_cli = AppGroup("audit", help="Journal d'audit.")


@audit_cli.command("verify")
def verify():
    """Check the whole hash chain; exit 1 and name the first broken entry."""
    report = verify_chain()
    if report.ok:
        click.echo(f"Chaîne d'audit intègre : {report.checked} entrées vérifiées.")
        return
    click.echo(
        f"Chaîne d'audit rompue à l'entrée {report.first_broken_id} ({report.reason}); "
        f"{report.checked} entrées valides avant elle.", err=True,
    )
    raise SystemExit(1)
