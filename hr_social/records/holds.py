"""Legal holds: HR or the DG keeps a person's records, or one record, out of every disposal
while a grievance, a lawsuit or a complaint to the Commission d'accès à l'information runs.
Placing and lifting are audited (codes and ids only: the reason stays in the row)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.audit.services import record
from hr_social.column_limits import column_errors
from hr_social.db import db, utcnow
from hr_social.errors import DomainError
from hr_social.records.models import HOLD_KINDS, HOLD_ROLES, LegalHold
from hr_social.records.registry import record_type
from hr_social.web.input_limits import row_by_id

HOLD_KIND_LABELS = {
    "grievance": _l("Grief"),
    "lawsuit": _l("Poursuite judiciaire"),
    "cai_complaint": _l("Plainte à la Commission d'accès à l'information"),
    "other": _l("Autre recours"),
}
AUDIT_FIELDS = ("kind", "person_id", "record_type", "record_id")


class InvalidHold(DomainError):
    """A hold refused (French message)."""


class HoldNotPermitted(InvalidHold):
    http_status = 403


def _check_actor(actor) -> None:
    if not actor.has_role(*HOLD_ROLES):
        raise HoldNotPermitted()


def place_hold(actor, *, kind: str, reference: str, reason: str | None = None,
               person=None, record_type_code: str | None = None,
               record_id: int | None = None) -> LegalHold:
    """``person`` (a Person) holds all their records; ``record_type_code`` and ``record_id``
    hold one record (a case). One of the two is required."""
    _check_actor(actor)
    errors = {}
    reference = (reference or "").strip()
    if kind not in HOLD_KINDS:
        errors["kind"] = _("Choisissez le recours de la liste.")
    if not reference:
        errors["reference"] = _("Indiquez la référence du recours (numéro de grief, de "
                                "dossier…).")
    code = (record_type_code or "").strip() or None
    if code is not None and (record_type(code) is None or not record_id):
        errors["record_id"] = _("Choisissez le type de document et indiquez son numéro.")
    if person is None and code is None:
        errors["person_id"] = _("Choisissez la personne ou le document à conserver.")
    values = {"reference": reference, "reason": (reason or "").strip() or None}
    errors.update(column_errors(LegalHold, values, required=False))
    if errors:
        raise InvalidHold(_("La conservation n'a pas été enregistrée."), errors)
    hold = LegalHold(kind=kind, person_id=person.id if person is not None and code is None
                     else None, record_type=code, record_id=int(record_id) if code else None,
                     placed_by_id=actor.id, **values)
    db.session.add(hold)
    db.session.flush()
    record("records_hold.placed", hold, actor=actor,
           after={f: getattr(hold, f) for f in AUDIT_FIELDS})
    return hold


def lift_hold(actor, hold: LegalHold, *, reason: str) -> LegalHold:
    _check_actor(actor)
    if hold.lifted_at is not None:
        raise InvalidHold(_("Cette conservation a déjà été levée."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidHold(_("La levée n'a pas été enregistrée."),
                          {"reason": _("Indiquez pourquoi la conservation est levée.")})
    errors = column_errors(LegalHold, {"lift_reason": reason}, required=False)
    if errors:
        raise InvalidHold(_("La levée n'a pas été enregistrée."), {"reason": next(
            iter(errors.values()))})
    hold.lifted_at, hold.lifted_by_id, hold.lift_reason = utcnow(), actor.id, reason
    db.session.flush()
    record("records_hold.lifted", hold, actor=actor, before={"lifted": False},
           after={"lifted": True, **{f: getattr(hold, f) for f in AUDIT_FIELDS}})
    return hold


def holds_on(record_type_code: str, record_id: int, person_ids) -> list[LegalHold]:
    """The holds in force on a record, read fresh (a hold placed a second ago counts)."""
    return list(db.session.scalars(LegalHold.active_for(record_type_code, record_id,
                                                        person_ids)))


def hold_by_id(raw) -> LegalHold | None:
    return row_by_id(LegalHold, raw)


def holds_statement(status: str = "active"):
    statement = select(LegalHold).order_by(LegalHold.placed_at.desc(), LegalHold.id.desc())
    if status == "active":
        statement = statement.where(LegalHold.lifted_at.is_(None))
    elif status == "lifted":
        statement = statement.where(LegalHold.lifted_at.is_not(None))
    return statement
