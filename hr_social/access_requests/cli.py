import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.access_requests.services import expire as run_expiry
from hr_social.db import db
from hr_social.mail.services import deliver_queued

access_cli = AppGroup("access", help=_l("Demandes d'accès aux médias sociaux."))


# Idempotent: a second run the same day changes nothing.
@access_cli.command("expire", help=_l(
    "Pour cron : met fin aux accès dont la révision est échue, prévient avant l'échéance, "
    "signale puis ferme les demandes sans décision."))
def expire():
    report = run_expiry()
    db.session.commit()
    deliver_queued()
    click.echo(_(
        "Accès échus : %(expired)d ; avis d'échéance : %(notices)d ; demandes signalées : "
        "%(flagged)d ; demandes fermées sans décision : %(lapsed)d.",
        expired=report.expired, notices=report.expiring_notices, flagged=report.flagged,
        lapsed=report.lapsed))
