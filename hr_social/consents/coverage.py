"""The coverage check any employee makes before posting: search by person, event, date or
media, and see for each consent found whether it covers a channel today. The answer holds no
personal details unless the user may see the consent (communications, HR, the collector)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from hr_social.attachments.models import Attachment
from hr_social.consents.models import KINDS, Consent, channel_key
from hr_social.consents.services import SUBJECT, parse_channel

RESULTS_MAX = 50


@dataclass
class Answer:
    consent: Consent
    covered: bool
    until: dt.date | None  # None with covered: until withdrawn
    channels: list[str]  # channels covered today (labels)
    reason: str = ""


def _like(text: str) -> str:
    cleaned = text.strip().lower().replace("\\", "").replace("%", "").replace("_", " ")
    return f"%{cleaned[:100]}%"


def search(*, person: str = "", event: str = "", day: dt.date | None = None,
           media: str = "", kind: str = ""):
    """``select()`` of the consents matching every criterion given (None: no criterion)."""
    statement = select(Consent).where(Consent.state != "purged")
    given = False
    if person.strip():
        statement = statement.where(func.lower(Consent.person_name).like(_like(person)))
        given = True
    if event.strip():
        statement = statement.where(func.lower(Consent.event_name).like(_like(event)))
        given = True
    if day is not None:
        statement = statement.where(or_(Consent.event_on == day,
                                        Consent.valid_from == day))
        given = True
    if media.strip():
        files = select(Attachment.subject_id).where(
            Attachment.subject_type == SUBJECT, Attachment.removed_at.is_(None),
            func.lower(Attachment.original_name).like(_like(media)))
        statement = statement.where(or_(Consent.id.in_(files),
                                        func.lower(Consent.description).like(_like(media))))
        given = True
    if kind in KINDS:
        statement = statement.where(Consent.kind == kind)
    if not given:
        return None
    return statement.order_by(Consent.id.desc()).limit(RESULTS_MAX)


def answer(consent: Consent, day: dt.date, channel: str = "") -> Answer:
    from flask_babel import gettext as _

    covered_today = [c.label for c in consent.channels] if consent.is_valid_on(day) else []
    if channel:
        parsed = parse_channel(channel)
        key = channel_key(parsed[0], parsed[1].id if parsed[1] else None) if parsed else ""
        covers = consent.covers(key, day)
        reason = "" if covers else (
            _("retiré") if consent.state == "withdrawn" else
            _("pas encore signé") if consent.state == "unsigned" else
            _("hors de la période de validité") if not consent.is_valid_on(day) else
            _("ce canal n'est pas permis"))
        return Answer(consent, covers, consent.valid_until, covered_today, reason)
    valid = consent.is_valid_on(day)
    reason = "" if valid else (_("retiré") if consent.state == "withdrawn" else
                               _("pas encore signé") if consent.state == "unsigned" else
                               _("hors de la période de validité"))
    return Answer(consent, valid, consent.valid_until, covered_today, reason)
