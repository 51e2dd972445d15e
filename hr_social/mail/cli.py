import click
from flask.cli import AppGroup

from hr_social.mail.services import deliver_queued

mail_cli = AppGroup("mail", help="Courriels sortants.")


@mail_cli.command("deliver")
def deliver():
    """Send queued e-mails (a message whose attempt failed stays queued until its 5th try)."""
    click.echo(f"{deliver_queued(limit=10_000)} courriel(s) envoyé(s).")
