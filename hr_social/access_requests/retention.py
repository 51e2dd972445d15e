"""Access requests in the records schedule (hr_social/records/registry.py): a request is
closed once it is no longer open and none of its grants is current ("closing"), and its
requester's departure is the other event a period may run from. Disposal destroys the
request and its items, their e-mails and files; the audit trail keeps the trace."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hr_social.access_requests.models import OPEN_REQUEST_STATES, AccessItem, AccessRequest
from hr_social.attachments.services import remove_files
from hr_social.audit.sentences import register_actions
from hr_social.audit.services import record
from hr_social.db import db
from hr_social.mail.services import redact
from hr_social.people.models import Person
from hr_social.records.registry import (
    RecordType,
    RetentionCandidate,
    RetentionDefault,
    register_record_type,
)


def closed_on(request: AccessRequest) -> dt.date | None:
    """The day the request stopped mattering: decided (or withdrawn, lapsed) and every item
    ended; None while it is open or a grant is current."""
    if request.state in OPEN_REQUEST_STATES or any(i.is_open for i in request.items):
        return None
    moments = [m for m in (request.closed_at, request.decided_at,
                           *(i.ended_at for i in request.items)) if m is not None]
    return max(moments or [request.updated_at]).date()


def candidates(event: str, until: dt.date):
    statement = select(AccessRequest).options(selectinload(AccessRequest.items))
    if event == "departure":
        statement = statement.join(Person, AccessRequest.requester_id == Person.id).where(
            Person.departed_on.is_not(None), Person.departed_on <= until)
    elif event != "closing":
        return
    for request in db.session.scalars(statement.order_by(AccessRequest.id)):
        day = closed_on(request)
        if day is None:  # never while a grant is current, even after a departure
            continue
        if event == "departure":
            day = request.requester.departed_on
        if day <= until:
            person_ids = frozenset({request.requester_id, *(i.person_id for i in request.items)})
            yield RetentionCandidate(request.id, event, day, person_ids,
                                     f"Demande d'accès n° {request.id}")


def dispose(record_id: int, disposition: str) -> dict:
    """This domain's purge of one request (destroy): rows deleted, files and e-mails gone."""
    request = db.session.get(AccessRequest, record_id)
    if request is None:
        return {"files_removed": 0}
    files = remove_files(AccessRequest.__tablename__, request.id)
    redact(AccessRequest.__tablename__, request.id)
    for item in request.items:
        files += remove_files(AccessItem.__tablename__, item.id)
        redact(AccessItem.__tablename__, item.id)
    items = len(request.items)
    record("access_request.destroyed", target_type=AccessRequest.__tablename__,
           target_id=request.id, target_label=f"Demande d'accès n° {request.id}",
           actor=None, after={"items": items, "files_removed": files})
    db.session.delete(request)  # its items go with it (ON DELETE CASCADE)
    db.session.flush()
    return {"files_removed": files}


register_record_type(RecordType(
    code="access_requests.request", label=_l("Demandes d'accès aux plateformes"),
    retention_events=("closing", "departure"), candidates=candidates, dispose=dispose,
    retention_default=RetentionDefault(24, "closing", "destroy"),
    dispositions=("destroy",), audit_target_type=AccessRequest.__tablename__))

# The words of this schedule's audit entries.
register_actions("access_requests", _l("Demandes d'accès"), {
    "access_request.destroyed": _l("Demande détruite selon le calendrier de conservation"),
})
