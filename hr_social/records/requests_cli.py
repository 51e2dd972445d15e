"""`flask records remind [--dry-run]`: for a daily cron, e-mails HR about each access request
whose answer is due within 5 days (or late), once per deadline in force.

The command joins the one ``records`` group (hr_social/records/cli.py)."""

from __future__ import annotations

import click
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.db import db
from hr_social.records import requests_services as ops
from hr_social.records.cli import records_cli


@records_cli.command("remind", help=_l(
    "Pour cron : avise les RH des demandes d'accès dont la réponse est due dans 5 jours ou "
    "moins."))
@click.option("--dry-run", is_flag=True, help=_l("Lister sans rien envoyer."))
def remind(dry_run: bool):
    due = ops.remind(dry_run=dry_run)
    for request in due:
        click.echo(_("Demande n° %(id)s : réponse due le %(day)s", id=request.id,
                     day=request.due_on.isoformat()))
    if dry_run:
        db.session.rollback()
        click.echo(_("%(num)d demande(s) — essai : aucun courriel.", num=len(due)))
    else:
        db.session.commit()
        click.echo(_("%(num)d avis envoyé(s) aux ressources humaines.", num=len(due)))
