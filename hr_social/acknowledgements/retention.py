"""Acknowledgements in the records schedule (hr_social/records/registry.py): a person's
signed (or refused) acknowledgement of a policy version is kept for a period after their
departure; disposal destroys it with its signed PDF or scan and its e-mails. The audit
trail keeps the trace (ids and dates)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.acknowledgements.models import Acknowledgement
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


def candidates(event: str, until: dt.date):
    if event != "departure":
        return
    rows = db.session.execute(
        select(Acknowledgement.id, Acknowledgement.person_id, Person.departed_on)
        .join(Person, Acknowledgement.person_id == Person.id)
        .where(Person.departed_on.is_not(None), Person.departed_on <= until)
        .order_by(Acknowledgement.id)).all()
    for ack_id, person_id, departed_on in rows:
        yield RetentionCandidate(ack_id, "departure", departed_on, frozenset({person_id}),
                                 f"Prise de connaissance n° {ack_id}")


def dispose(record_id: int, disposition: str) -> dict:
    """This domain's purge of one acknowledgement (destroy)."""
    ack = db.session.get(Acknowledgement, record_id)
    if ack is None:
        return {"files_removed": 0}
    record("acknowledgement.destroyed", target_type=Acknowledgement.__tablename__,
           target_id=ack.id, target_label=f"Prise de connaissance n° {ack.id}", actor=None,
           after={"campaign_id": ack.campaign_id, "status": ack.status})
    db.session.delete(ack)
    db.session.flush()
    files = remove_files(Acknowledgement.__tablename__, record_id)
    redact(Acknowledgement.__tablename__, record_id)
    return {"files_removed": files}


register_record_type(RecordType(
    code="acknowledgements.acknowledgement", label=_l("Prises de connaissance de la politique"),
    retention_events=("departure",), candidates=candidates, dispose=dispose,
    retention_default=RetentionDefault(60, "departure", "destroy"),
    dispositions=("destroy",), audit_target_type=Acknowledgement.__tablename__))

# The words of this schedule's audit entries.
register_actions("acknowledgements", _l("Politique et accusés de réception"), {
    "acknowledgement.destroyed": _l("Accusé de réception détruit selon le calendrier de "
                                    "conservation"),
})
