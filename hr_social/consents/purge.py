"""Retention: past the retention period (setting ``CONSENT_RETENTION_DAYS``, default two
years after the end of validity or the withdrawal), a consent's personal data and files are
erased. The row stays as an anonymous trace (dates, kind, category, channels, text hash, the
fact it existed), so the audit chain and the publications that relied on it stay consistent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, or_, select, update

from hr_social.attachments.services import remove_files
from hr_social.consents.models import Consent, IdentifiablePerson
from hr_social.consents.services import SUBJECT, today
from hr_social.db import db
from hr_social.workflow import SYSTEM_ACTOR, apply_transition

DEFAULT_RETENTION_DAYS = 730
# Columns holding personal data or free text about the person: blanked by the purge.
PERSONAL_COLUMNS = ("person_name", "contact", "guardian_name", "guardian_relationship",
                    "guardian_contact", "description", "purpose", "event_name",
                    "authorizer_name", "disclosed_what", "disclosed_to", "consent_text",
                    "signed_place")


@dataclass
class PurgeReport:
    ids: list[int]
    files: int = 0

    @property
    def count(self) -> int:
        return len(self.ids)


def retention_days() -> int:
    return int(current_app.config.get("CONSENT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def due_for_purge(day: dt.date | None = None):
    """Consents whose retention has run out: withdrawn, expired, or never signed."""
    limit = (day or today()) - dt.timedelta(days=retention_days())
    created_limit = dt.datetime.combine(limit, dt.time(0), tzinfo=dt.UTC)
    return select(Consent).where(or_(
        and_(Consent.state == "withdrawn", Consent.withdrawn_on < limit),
        and_(Consent.state == "signed", Consent.valid_until.is_not(None),
             Consent.valid_until < limit),
        and_(Consent.state == "unsigned", Consent.created_at < created_limit),
    )).order_by(Consent.id)


def purge(*, dry_run: bool = True, day: dt.date | None = None) -> PurgeReport:
    consents = db.session.scalars(due_for_purge(day)).all()
    report = PurgeReport([c.id for c in consents])
    if dry_run:
        return report
    for consent in consents:
        report.files += remove_files(SUBJECT, consent.id)
        blanked = dict.fromkeys(PERSONAL_COLUMNS)
        blanked["purged_at"] = dt.datetime.now(dt.UTC)
        apply_transition(consent, "purge", SYSTEM_ACTOR, blanked=blanked)
        db.session.execute(update(IdentifiablePerson).where(
            IdentifiablePerson.consent_id == consent.id).values(name=None)
            .execution_options(synchronize_session=False))
    db.session.flush()
    return report
