"""Logo authorizations in the records schedule (hr_social/records/registry.py): an
authorization reaches its "end of validity" on ``valid_until``; a refused or withdrawn
request reaches its "closing" when it was closed. Disposal destroys the authorization, its
visuals (files erased from storage) and its e-mails; the audit trail keeps the trace."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from hr_social.attachments.services import remove_files
from hr_social.audit.sentences import register_actions
from hr_social.audit.services import record
from hr_social.communications.models import LogoAuthorization, LogoVisual
from hr_social.db import db
from hr_social.mail.services import redact
from hr_social.records.registry import (
    RecordType,
    RetentionCandidate,
    RetentionDefault,
    register_record_type,
)

ENDED_STATES = ("authorized", "expired")
CLOSED_STATES = ("refused", "withdrawn")


def candidates(event: str, until: dt.date):
    table = LogoAuthorization
    if event == "end_of_validity":
        statement = select(table.id, table.requester_id, table.valid_until).where(
            table.state.in_(ENDED_STATES), table.valid_until.is_not(None),
            table.valid_until <= until)
    elif event == "closing":
        closed = func.coalesce(table.closed_at, table.decided_at, table.updated_at)
        statement = select(table.id, table.requester_id, closed).where(
            table.state.in_(CLOSED_STATES))
    else:
        return
    for record_id, person_id, day in db.session.execute(statement.order_by(table.id)):
        day = day.date() if isinstance(day, dt.datetime) else day
        if day <= until:
            yield RetentionCandidate(record_id, event, day, frozenset({person_id}),
                                     f"Autorisation d'usage du logo n° {record_id}")


def dispose(record_id: int, disposition: str) -> dict:
    """This domain's purge of one authorization (destroy)."""
    authorization = db.session.get(LogoAuthorization, record_id)
    if authorization is None:
        return {"files_removed": 0}
    record("logo_authorization.destroyed", target_type=LogoAuthorization.__tablename__,
           target_id=record_id, target_label=str(authorization), actor=None,
           after={"state": authorization.state, "visuals": len(authorization.visuals)})
    db.session.execute(delete(LogoVisual).where(LogoVisual.authorization_id == record_id))
    db.session.expire(authorization, ["visuals"])
    db.session.delete(authorization)
    db.session.flush()
    files = remove_files(LogoAuthorization.__tablename__, record_id)
    redact(LogoAuthorization.__tablename__, record_id)
    return {"files_removed": files}


register_record_type(RecordType(
    code="communications.logo_authorization", label=_l("Autorisations d'usage du logo"),
    retention_events=("end_of_validity", "closing"), candidates=candidates, dispose=dispose,
    retention_default=RetentionDefault(36, "end_of_validity", "destroy"),
    dispositions=("destroy",), audit_target_type=LogoAuthorization.__tablename__))

# The words of this schedule's audit entries.
register_actions("communications", _l("Communications"), {
    "logo_authorization.destroyed": _l("Autorisation de logo détruite selon le calendrier de "
                                       "conservation"),
})
