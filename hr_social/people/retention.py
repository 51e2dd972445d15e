"""People in the records schedule (hr_social/records/registry.py): a person who left is
anonymised once the period after their departure has run: names, e-mail, employee number
and job title replaced, their login disabled and renamed. The row stays, so the other
domains' records (kept longer, or already disposed) still point somewhere."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.audit.sentences import register_actions
from hr_social.audit.services import record
from hr_social.db import db
from hr_social.people.models import Person
from hr_social.records.registry import (
    RecordType,
    RetentionCandidate,
    RetentionDefault,
    register_record_type,
)

ANONYMOUS_PREFIX = "ANON-"


def candidates(event: str, until: dt.date):
    if event != "departure":
        return
    rows = db.session.execute(select(Person.id, Person.departed_on).where(
        Person.departed_on.is_not(None), Person.departed_on <= until,
        ~Person.employee_number.startswith(ANONYMOUS_PREFIX)).order_by(Person.id)).all()
    for person_id, departed_on in rows:
        yield RetentionCandidate(person_id, "departure", departed_on, frozenset({person_id}),
                                 f"Personne n° {person_id}")


def anonymise(person: Person) -> None:
    """This domain's anonymisation of one departed person."""
    person.first_name, person.last_name = "Personne", f"anonymisée n° {person.id}"
    person.employee_number = f"{ANONYMOUS_PREFIX}{person.id}"
    person.email, person.job_title = None, None
    if person.user is not None:
        person.user.is_enabled = False
        person.user.username = f"anonyme-{person.id}"
        person.user.totp_secret = None
    db.session.flush()
    record("person.anonymised", target_type=Person.__tablename__, target_id=person.id,
           target_label=f"Personne n° {person.id}", actor=None,
           after={"fields": ["first_name", "last_name", "employee_number", "email",
                             "job_title"]})


def dispose(record_id: int, disposition: str) -> dict:
    person = db.session.get(Person, record_id)
    if person is not None and not person.employee_number.startswith(ANONYMOUS_PREFIX):
        anonymise(person)
    return {"files_removed": 0}


register_record_type(RecordType(
    code="people.person", label=_l("Fiches des personnes"),
    retention_events=("departure",), candidates=candidates, dispose=dispose,
    retention_default=RetentionDefault(84, "departure", "anonymise"),
    dispositions=("anonymise",), audit_target_type=Person.__tablename__))

# The words of this schedule's audit entries.
register_actions("people", _l("Personnes et services"), {
    "person.anonymised": _l("Personne anonymisée selon le calendrier de conservation"),
})
