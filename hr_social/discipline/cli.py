"""`flask discipline amnesty [--dry-run]`: for a daily cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.db import db
from hr_social.discipline.amnesty import sweep
from hr_social.discipline.catalogue import today

discipline_cli = AppGroup("discipline", help=_l("Dossiers disciplinaires."))


def _line(change) -> str:
    if change.kind == "amnestied":
        return _("Dossier n° %(id)s : amnistié depuis le %(day)s", id=change.case.id,
                 day=change.day.isoformat())
    if change.kind == "destroyed":
        return _("Dossier n° %(id)s : texte retiré le %(day)s", id=change.case.id,
                 day=change.day.isoformat())
    return _("Dossier n° %(id)s : compte de nouveau (récidive)", id=change.case.id)


@discipline_cli.command("amnesty", help=_l(
    "Pour cron : consigne les sanctions que l'amnistie a changées (calculées d'après la date "
    "des fautes)."))
@click.option("--dry-run", is_flag=True, help=_l("Lister sans rien enregistrer."))
def amnesty(dry_run: bool):
    changes = sweep(today(), dry_run=dry_run)
    for change in changes:
        click.echo(_line(change))
    if dry_run:
        db.session.rollback()
        click.echo(_("%(num)d changement(s) — essai : rien n'a été enregistré.",
                     num=len(changes)))
    else:
        db.session.commit()
        click.echo(_("%(num)d changement(s) enregistré(s).", num=len(changes)))
