import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.consents.publications import notify_overdue
from hr_social.consents.purge import purge as run_purge
from hr_social.consents.purge import retention_days
from hr_social.db import db
from hr_social.mail.services import deliver_queued

consents_cli = AppGroup("consents", help=_l("Consentements écrits de la clientèle."))


# Idempotent: each overdue take-down is reported to HR once.
@consents_cli.command("remind", help=_l(
    "Pour cron (chaque jour ouvrable) : avise les RH des publications à retirer depuis plus "
    "de deux jours ouvrables."))
def remind():
    count = notify_overdue()
    db.session.commit()
    deliver_queued()
    click.echo(_("Retraits en retard signalés aux RH : %(n)d.", n=count))


@consents_cli.command("purge", help=_l(
    "Efface les renseignements personnels et les fichiers des consentements dont le délai de "
    "conservation est passé, en gardant une trace anonyme. Essai à blanc par défaut : "
    "--apply efface."))
@click.option("--dry-run/--apply", "dry_run", default=True,
              help=_l("Essai à blanc (par défaut) ou effacement réel."))
def purge(dry_run: bool):
    report = run_purge(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(_("Essai à blanc : %(n)d consentement(s) à effacer (conservation : %(d)d "
                     "jours). Rien n'a été modifié ; relancez avec --apply pour effacer.",
                     n=report.count, d=retention_days()))
        return
    db.session.commit()
    click.echo(_("Consentements effacés : %(n)d ; fichiers retirés : %(f)d. Une trace anonyme "
                 "de chacun est conservée.", n=report.count, f=report.files))
