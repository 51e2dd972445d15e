import click
from flask.cli import AppGroup

from hr_social.communications.services import expire as run_expiry
from hr_social.db import db
from hr_social.mail.services import deliver_queued

communications_cli = AppGroup("communications", help="Division des communications.")


@communications_cli.command("expire")
def expire():
    """For cron (daily): authorizations past their end leave the register; their holders are
    told 30 days before. Idempotent: a second run the same day changes nothing."""
    report = run_expiry()
    db.session.commit()
    deliver_queued()
    click.echo(f"Autorisations échues : {report.expired}; avis d'échéance : {report.notices}.")
