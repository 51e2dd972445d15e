"""Publications and their gate, and the take-downs a withdrawal produces.

The gate: a publication is recorded only if every consent it links is valid on its date and
covers its channel, and every identifiable person in it is covered by one of those consents.
Otherwise nothing is saved and the refusal lists exactly what is missing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.audit.services import record
from hr_social.clock import organisation_zone
from hr_social.consents.models import (
    FULL_ACCESS,
    SHORT_MAX,
    TEXT_MAX,
    Consent,
    IdentifiablePerson,
    Publication,
    PublicationConsent,
    TakeDown,
    channel_key,
    channel_label,
)
from hr_social.consents.services import ConsentRefused, parse_channel, today
from hr_social.db import db, utcnow
from hr_social.web.input_limits import row_by_id

URL_MAX = 500
OVERDUE_BUSINESS_DAYS = 2


class GateRefused(ConsentRefused):
    """The publication is not covered: ``missing`` lists each reason, in French."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(_("Publication refusée : ce qui manque —") + " " + " ".join(missing))


@dataclass
class PublicationInput:
    channel: str = ""
    published_on: dt.date | None = None
    url: str = ""
    media_description: str = ""
    consent_ids: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)


def simplified(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c))
                    .casefold().replace("-", " ").split())


def split_people(text: str) -> list[str]:
    names = [" ".join(line.split())[:SHORT_MAX] for line in (text or "").replace(";", "\n")
             .splitlines()]
    return list(dict.fromkeys(n for n in names if n))


def parse_ids(text) -> list[str]:
    raw = text if isinstance(text, list | tuple) else str(text or "").replace(",", " ").split()
    return list(dict.fromkeys(str(v).strip().lstrip("nN°º#").strip() for v in raw if str(v)
                              .strip()))


def _why_not(consent: Consent, key: str, label: str, day: dt.date) -> str | None:
    number = consent.id
    if consent.state == "withdrawn":
        return _("Le consentement n° %(n)s a été retiré le %(d)s.", n=number,
                 d=consent.withdrawn_on.isoformat())
    if consent.state == "unsigned":
        return _("Le consentement n° %(n)s n'est pas encore signé.", n=number)
    if consent.state != "signed":
        return _("Le consentement n° %(n)s n'est plus valide.", n=number)
    if not consent.is_valid_on(day):
        until = consent.valid_until.isoformat() if consent.valid_until else "—"
        return _("Le consentement n° %(n)s ne couvre pas la date du %(day)s (valide du "
                 "%(start)s au %(end)s).", n=number, day=day.isoformat(),
                 start=consent.valid_from.isoformat(), end=until)
    if key not in {c.key for c in consent.channels}:
        return _("Le consentement n° %(n)s ne couvre pas le canal « %(channel)s ».", n=number,
                 channel=label)
    return None


def gate(data: PublicationInput) -> tuple[list[str], tuple, list[Consent]]:
    """What is missing for this publication (empty: covered), its channel and consents."""
    missing: list[str] = []
    channel = parse_channel(data.channel)
    if channel is None:
        missing.append(_("Choisissez le compte officiel ou le canal de la publication."))
        return missing, None, []
    if data.published_on is None:
        missing.append(_("Indiquez la date de la publication."))
        return missing, channel, []
    if data.published_on > today():
        missing.append(_("La date de publication ne peut pas être dans le futur."))
    kind, account = channel
    key, label = channel_key(kind, account.id if account else None), channel_label(kind, account)
    consents, covering = [], []
    for raw in parse_ids(data.consent_ids):
        consent = row_by_id(Consent, raw)
        if consent is None:
            missing.append(_("Le consentement n° %(n)s n'existe pas.", n=str(raw)[:12]))
            continue
        consents.append(consent)
        reason = _why_not(consent, key, label, data.published_on)
        if reason:
            missing.append(reason)
        else:
            covering.append(consent)
    covered_names = {simplified(c.person_name or ""): c for c in covering}
    for name in data.people:
        if simplified(name) not in covered_names:
            missing.append(_("La personne identifiable « %(name)s » n'a pas de consentement "
                             "valide lié à cette publication pour ce canal et cette date.",
                             name=name))
    return missing, channel, consents


def record_publication(user, data: PublicationInput) -> Publication:
    missing, channel, consents = gate(data)
    description = (data.media_description or "").strip()[:TEXT_MAX]
    if not description:
        missing.insert(0, _("Décrivez ce qui a été publié (photo, vidéo, texte)."))
    url = (data.url or "").strip()
    if url and not url.startswith(("https://", "http://")) or len(url) > URL_MAX:
        missing.insert(0, _("L'adresse de la publication doit commencer par https://."))
    if missing:
        raise GateRefused(missing)
    kind, account = channel
    publication = Publication(channel=kind, account_id=account.id if account else None,
                              published_on=data.published_on, url=url or None,
                              media_description=description, recorded_by_id=user.id)
    publication.links = [PublicationConsent(consent_id=c.id) for c in consents]
    by_name = {simplified(c.person_name or ""): c for c in consents}
    publication.people = [IdentifiablePerson(name=name, consent_id=by_name[simplified(name)].id)
                          for name in data.people]
    db.session.add(publication)
    db.session.flush()
    record("consent_publication.recorded", publication, actor=user, after={
        "channel": channel_key(kind, publication.account_id),
        "published_on": publication.published_on, "consents": [str(c.id) for c in consents],
        "identifiable_people": len(publication.people)})
    return publication


# ---- take-downs --------------------------------------------------------------------------

def list_takedowns(consent: Consent) -> list[TakeDown]:
    """Every publication that relied on a withdrawn consent, to be taken down."""
    linked = select(PublicationConsent.publication_id).where(
        PublicationConsent.consent_id == consent.id)
    named = select(IdentifiablePerson.publication_id).where(
        IdentifiablePerson.consent_id == consent.id)
    publication_ids = sorted(set(db.session.scalars(linked)) | set(db.session.scalars(named)))
    already = set(db.session.scalars(select(TakeDown.publication_id).where(
        TakeDown.consent_id == consent.id)))
    now = utcnow()
    created = [TakeDown(publication_id=pid, consent_id=consent.id, listed_at=now)
               for pid in publication_ids if pid not in already]
    db.session.add_all(created)
    db.session.flush()
    for takedown in created:
        record("consent_takedown.listed", takedown, actor=None,
               after={"publication_id": takedown.publication_id, "consent_id": consent.id})
    return created


def can_mark_removed(user, takedown: TakeDown) -> bool:
    return user.has_role(*FULL_ACCESS) or takedown.publication.recorded_by_id == user.id


def mark_removed(user, takedown: TakeDown, *, removed_on: dt.date | None) -> TakeDown:
    if not can_mark_removed(user, takedown):
        raise ConsentRefused(_("Seules la Division des communications et la personne qui a "
                               "inscrit la publication peuvent noter son retrait."))
    if takedown.removed_on is not None:
        raise ConsentRefused(_("Ce retrait est déjà noté (le %(d)s).",
                               d=takedown.removed_on.isoformat()))
    if removed_on is None:
        raise ConsentRefused(field_errors={"removed_on": _("Indiquez la date du retrait.")})
    if removed_on > today():
        raise ConsentRefused(field_errors={"removed_on": _(
            "La date du retrait ne peut pas être dans le futur.")})
    if removed_on < takedown.publication.published_on:
        raise ConsentRefused(field_errors={"removed_on": _(
            "La date du retrait précède la publication.")})
    takedown.removed_on, takedown.removed_by_id = removed_on, user.id
    db.session.flush()
    record("consent_takedown.removed", takedown, actor=user,
           after={"removed_on": removed_on, "publication_id": takedown.publication_id})
    return takedown


def business_days_before(day: dt.date, count: int) -> dt.date:
    """The date ``count`` business days (Monday to Friday) before ``day``."""
    while count > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def overdue_cutoff(day: dt.date | None = None) -> dt.datetime:
    """Take-downs listed before this instant are more than two business days old."""
    limit = business_days_before(day or today(), OVERDUE_BUSINESS_DAYS)
    local = dt.datetime.combine(limit, dt.time(0), tzinfo=organisation_zone())
    return local.astimezone(dt.UTC)


def pending_takedowns():
    return select(TakeDown).where(TakeDown.removed_on.is_(None))


def overdue_takedowns(day: dt.date | None = None):
    return pending_takedowns().where(TakeDown.listed_at < overdue_cutoff(day))


def is_overdue(takedown: TakeDown, day: dt.date | None = None) -> bool:
    return takedown.removed_on is None and takedown.listed_at < overdue_cutoff(day)


def age_in_days(takedown: TakeDown) -> int:
    listed = takedown.listed_at.astimezone(organisation_zone()).date()
    return (today() - listed).days


def notify_overdue(day: dt.date | None = None) -> int:
    """E-mail HR once about each take-down pending more than two business days (cron)."""
    from hr_social.consents.notifications import overdue_to_hr

    items = db.session.scalars(overdue_takedowns(day).where(TakeDown.hr_notified_at.is_(None))
                               .order_by(TakeDown.listed_at)).all()
    if not items:
        return 0
    overdue_to_hr(items)
    now = utcnow()
    for takedown in items:
        takedown.hr_notified_at = now
        record("consent_takedown.hr_notified", takedown, actor=None,
               after={"publication_id": takedown.publication_id})
    db.session.flush()
    return len(items)
