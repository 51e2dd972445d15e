"""The retention schedule kept by HR: one rule per record type declared by the domains
(period, the event it runs from, disposition). A record type HR never changed follows the
default its domain declared; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from hr_social.audit.services import record
from hr_social.clock import local_today
from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.records.models import DISPOSITIONS, EVENTS, MAX_MONTHS, RetentionRule
from hr_social.records.registry import RecordType, record_type, record_types

EVENT_LABELS = {
    "departure": _l("départ de la personne"),
    "end_of_validity": _l("fin de validité"),
    "amnesty": _l("amnistie"),
    "closing": _l("fermeture du dossier"),
}
DISPOSITION_LABELS = {
    "destroy": _l("détruire"),
    "anonymise": _l("anonymiser"),
    "keep": _l("conserver"),
}
RULE_FIELDS = ("period_months", "event", "disposition")


def today():
    """The organisation's date (tests freeze it by replacing ``retention.local_today``)."""
    return local_today()


class InvalidRule(DomainError):
    """A schedule change refused (French message)."""


@dataclass(frozen=True)
class Rule:
    """The rule in force for a record type: HR's row, or the domain's default."""

    record_type: RecordType
    period_months: int
    event: str
    disposition: str
    row: RetentionRule | None = None

    @property
    def is_default(self) -> bool:
        return self.row is None


def retention_types() -> list[RecordType]:
    """Record types that take part in retention (a domain declared their events)."""
    return [t for t in record_types() if t.retention_events]


def rule_for(kind: RecordType, rows: dict[str, RetentionRule] | None = None) -> Rule:
    if rows is None:
        row = db.session.scalar(select(RetentionRule).where(
            RetentionRule.record_type == kind.code))
    else:
        row = rows.get(kind.code)
    if row is not None:
        return Rule(kind, row.period_months, row.event, row.disposition, row)
    default = kind.retention_default
    if default is None:
        return Rule(kind, 0, kind.retention_events[0], "keep")
    return Rule(kind, default.months, default.event, default.disposition)


def schedule() -> list[Rule]:
    rows = {r.record_type: r for r in db.session.scalars(select(RetentionRule))}
    return [rule_for(kind, rows) for kind in retention_types()]


def save_rule(actor, code: str, *, period_months, event: str, disposition: str) -> Rule:
    kind = record_type(code)
    if kind is None or not kind.retention_events:
        raise InvalidRule(_("Ce type de document n'existe pas dans le calendrier."))
    errors = {}
    try:
        months = int(period_months)
    except (TypeError, ValueError):
        months = -1
    if not 0 <= months <= MAX_MONTHS:
        errors["period_months"] = _("La durée se compte en mois, de 0 à %(max)d.",
                                    max=MAX_MONTHS)
    if event not in EVENTS or event not in kind.retention_events:
        errors["event"] = _("Choisissez un événement proposé pour ce type de document.")
    if disposition not in DISPOSITIONS or (disposition != "keep"
                                           and disposition not in kind.dispositions):
        errors["disposition"] = _("Ce sort n'est pas possible pour ce type de document.")
    if errors:
        raise InvalidRule(_("La règle n'a pas été enregistrée."), errors)
    current = rule_for(kind)
    before = {f: getattr(current, f) for f in RULE_FIELDS}
    row = current.row or RetentionRule(record_type=code)
    row.period_months, row.event, row.disposition = months, event, disposition
    row.updated_by_id = actor.id
    db.session.add(row)
    db.session.flush()
    after = {f: getattr(row, f) for f in RULE_FIELDS}
    record("records_rule.changed", row, before=before, after=after, actor=actor,
           target_label=f"Calendrier de conservation : {kind.code}")
    return rule_for(kind)


def events_choices(kind: RecordType) -> list[SelectChoice]:
    return [SelectChoice(e, str(EVENT_LABELS[e])) for e in kind.retention_events
            if e in EVENT_LABELS]


def disposition_choices(kind: RecordType) -> list[SelectChoice]:
    allowed = [d for d in DISPOSITIONS if d == "keep" or d in kind.dispositions]
    return [SelectChoice(d, str(DISPOSITION_LABELS[d])) for d in allowed]
