"""`flask discipline amnesty [--dry-run]`: for a daily cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from hr_social.db import db
from hr_social.discipline.amnesty import sweep
from hr_social.discipline.catalogue import today

discipline_cli = AppGroup("discipline", help="Dossiers disciplinaires.")

LABELS = {"amnestied": "amnistié depuis le", "revived": "compte de nouveau (récidive)",
          "destroyed": "texte retiré le"}


@discipline_cli.command("amnesty")
@click.option("--dry-run", is_flag=True, help="Lister sans rien enregistrer.")
def amnesty(dry_run: bool):
    """Record the sanctions amnesty changed (computed from the dates of the faults)."""
    changes = sweep(today(), dry_run=dry_run)
    for change in changes:
        day = change.day.isoformat() if change.day else ""
        click.echo(f"Dossier n° {change.case.id} : {LABELS[change.kind]} {day}".rstrip())
    if dry_run:
        db.session.rollback()
        click.echo(f"{len(changes)} changement(s) — essai : rien n'a été enregistré.")
    else:
        db.session.commit()
        click.echo(f"{len(changes)} changement(s) enregistré(s).")
