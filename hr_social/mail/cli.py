import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.mail.services import deliver_queued

mail_cli = AppGroup("mail", help=_l("Courriels sortants."))


# A message whose attempt failed stays queued until its 5th try.
@mail_cli.command("deliver", help=_l("Envoie les courriels en attente."))
def deliver():
    click.echo(_("%(n)d courriel(s) envoyé(s).", n=deliver_queued(limit=10_000)))
