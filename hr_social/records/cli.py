"""`flask records dispose [--dry-run]`: for a daily cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.records import disposal
from hr_social.records.holds import HOLD_KIND_LABELS
from hr_social.records.retention import DISPOSITION_LABELS, EVENT_LABELS, today

records_cli = AppGroup("records", help=_l("Documents à conserver (Loi sur l'accès)."))


def _why(item: disposal.Planned) -> str:
    rule, candidate = item.rule, item.candidate
    return _("%(label)s (%(type)s) : %(what)s — %(event)s le %(day)s, conservation "
             "%(months)d mois", label=candidate.label or candidate.record_id,
             type=rule.record_type.code, what=DISPOSITION_LABELS[rule.disposition],
             event=EVENT_LABELS.get(rule.event, rule.event), day=candidate.event_on.isoformat(),
             months=rule.period_months)


def _held(item: disposal.Planned) -> str:
    reasons = "; ".join(_("conservation n° %(id)s (%(kind)s %(ref)s)", id=h.id,
                          kind=HOLD_KIND_LABELS.get(h.kind, h.kind), ref=h.reference)
                        for h in item.holds)
    return _("%(label)s (%(type)s) : conservé — %(reasons)s",
             label=item.candidate.label or item.candidate.record_id,
             type=item.rule.record_type.code, reasons=reasons)


@records_cli.command("dispose", help=_l(
    "Pour cron : applique le calendrier de conservation (destruction ou anonymisation par "
    "l'opération de chaque domaine) et l'inscrit au registre des destructions."))
@click.option("--dry-run", is_flag=True, help=_l(
    "Lister ce qui serait détruit et ce qu'une conservation pour litige retient, sans rien "
    "changer."))
def dispose(dry_run: bool):
    planned = disposal.run(today(), dry_run=dry_run)
    done = failed = held = 0
    for item in planned:
        if item.held:
            held += 1
            click.echo(_held(item))
        elif dry_run:
            click.echo(_why(item))
        elif item.error:
            failed += 1
            click.echo(_("ÉCHEC %(what)s : %(error)s — rien n'a été changé pour ce document ; "
                         "il sera repris à la prochaine exécution.", what=_why(item),
                         error=item.error), err=True)
        else:
            done += 1
            click.echo(_why(item))
    if dry_run:
        click.echo(_("Essai : %(num)d document(s) seraient traités, %(held)d retenu(s) par "
                     "une conservation pour litige ; rien n'a été changé.",
                     num=len(planned) - held, held=held))
        return
    click.echo(_("%(num)d document(s) traités et inscrits au registre des destructions, "
                 "%(held)d retenu(s) par une conservation pour litige.", num=done, held=held))
    if failed:
        raise SystemExit(1)
