import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.communications.services import expire as run_expiry
from hr_social.db import db
from hr_social.mail.services import deliver_queued

communications_cli = AppGroup("communications", help=_l("Division des communications."))


# Idempotent: a second run the same day changes nothing.
@communications_cli.command("expire", help=_l(
    "Pour cron (chaque jour) : les autorisations d'usage du logo échues quittent le registre "
    "en vigueur ; leurs titulaires sont prévenus 30 jours avant."))
def expire():
    report = run_expiry()
    db.session.commit()
    deliver_queued()
    click.echo(_("Autorisations échues : %(expired)d ; avis d'échéance : %(notices)d.",
                 expired=report.expired, notices=report.notices))
