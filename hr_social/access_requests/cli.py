import click
from flask.cli import AppGroup

from hr_social.access_requests.services import expire as run_expiry
from hr_social.db import db
from hr_social.mail.services import deliver_queued

access_cli = AppGroup("access", help="Demandes d'accès aux médias sociaux.")


@access_cli.command("expire")
def expire():
    """For cron: end grants past their review date, warn before, flag then close undecided
    requests. Idempotent: a second run the same day changes nothing."""
    report = run_expiry()
    db.session.commit()
    deliver_queued()
    click.echo(
        f"Accès échus : {report.expired}; avis d'échéance : {report.expiring_notices}; "
        f"demandes signalées : {report.flagged}; demandes fermées sans décision : "
        f"{report.lapsed}."
    )
