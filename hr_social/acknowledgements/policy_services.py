"""Policy versions and their acknowledgement campaigns: create, publish, set the deadline and
reminders, close, and the completion figures.

Each operation takes the acting user first, changes state, writes the audit entry and
queues mail, and only flushes: the view commits once.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from hr_social.acknowledgements.importing import clean_file_name
from hr_social.acknowledgements.models import (
    Acknowledgement,
    AckStatus,
    Campaign,
    PolicyVersion,
)
from hr_social.acknowledgements.services import AcknowledgementError
from hr_social.audit.services import record, snapshot
from hr_social.db import db, french, utcnow
from hr_social.mail.services import queue_template
from hr_social.people.models import Person, Service
from hr_social.web.links import absolute_url_for

# ---- policy versions ------------------------------------------------------------------------

def create_version(actor, *, title: str, version_label: str, effective_date: dt.date,
                   body: str, key_points: str = "", source_name: str | None = None
                   ) -> PolicyVersion:
    if not body.strip():
        raise AcknowledgementError(_("Le texte de la politique est vide."))
    if db.session.scalar(select(PolicyVersion.id).where(
            PolicyVersion.title == title.strip(),
            PolicyVersion.version_label == version_label.strip())) is not None:
        raise AcknowledgementError(_("Cette version existe déjà : choisissez un autre libellé."))
    version = PolicyVersion(title=title.strip(), version_label=version_label.strip(),
                            effective_date=effective_date, body=body, key_points=key_points,
                            source_name=clean_file_name(source_name),
                            created_by_id=actor.id if actor else None)
    db.session.add(version)
    db.session.flush()
    record("policy.created", version, after=snapshot(version, "title", "version_label",
                                                     "effective_date", "source_name"),
           actor=actor)
    return version


DRAFT_FIELDS = ("title", "version_label", "effective_date", "body", "key_points")


def update_draft(actor, version: PolicyVersion, *, title: str, version_label: str,
                 effective_date: dt.date, body: str, key_points: str = "") -> bool:
    """HR corrects a draft before publishing it; False when nothing changed. A published
    version never changes (its SHA-256 is taken at publication)."""
    if version.is_published:
        raise AcknowledgementError(_("Cette version est déjà publiée : elle ne peut plus "
                                     "changer. Créez une nouvelle version pour la corriger."))
    if not body.strip():
        raise AcknowledgementError(_("Le texte de la politique est vide."))
    title, version_label = title.strip(), version_label.strip()
    if db.session.scalar(select(PolicyVersion.id).where(
            PolicyVersion.title == title, PolicyVersion.version_label == version_label,
            PolicyVersion.id != version.id)) is not None:
        raise AcknowledgementError(_("Cette version existe déjà : choisissez un autre libellé."))
    before = snapshot(version, *DRAFT_FIELDS)
    version.title, version.version_label = title, version_label
    version.effective_date, version.body = effective_date, body
    version.key_points = key_points or ""
    db.session.flush()
    after = snapshot(version, *DRAFT_FIELDS)
    if after == before:
        return False
    changed = [name for name in DRAFT_FIELDS if before.get(name) != after.get(name)]
    # The text itself is kept in the version; the audit says which fields changed.
    record("policy.draft_updated", version,
           before={k: before[k] for k in changed if k != "body"},
           after={**{k: after[k] for k in changed if k != "body"},
                  **({"body_sha256": body_sha256(body)} if "body" in changed else {})},
           actor=actor)
    return True


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _policy_link(ack: Acknowledgement) -> str:
    return absolute_url_for("acknowledgements.read_policy", ack_id=ack.id)


def publish_version(actor, version: PolicyVersion) -> Campaign:
    """Freeze the version, hash its text and open its campaign (once)."""
    digest = body_sha256(version.body)
    changed = db.session.execute(
        update(PolicyVersion)
        .where(PolicyVersion.id == version.id, PolicyVersion.published_at.is_(None))
        .values(published_at=utcnow(), published_by_id=actor.id if actor else None,
                content_sha256=digest)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise AcknowledgementError(_("Cette version est déjà publiée : elle ne peut plus "
                                     "changer. Créez une nouvelle version pour la corriger."))
    db.session.refresh(version)
    campaign = Campaign(policy_version=version)
    db.session.add(campaign)
    db.session.flush()
    people = db.session.scalars(select(Person).where(Person.is_active.is_(True))).all()
    acks = [Acknowledgement(campaign=campaign, person=person) for person in people]
    db.session.add_all(acks)
    db.session.flush()
    for ack in acks:
        queue_template(ack.person.email, _("Politique à lire et à signer"),
                       "acknowledgements/opened", ack=ack, campaign=campaign,
                       link=_policy_link(ack))
    record("policy.published", version, after={"content_sha256": digest,
                                               "acknowledgements": len(people)}, actor=actor)
    return campaign


def acknowledgement_for_new_person(person, actor=None, **_extra):
    """People hired during an open campaign get their acknowledgement at once."""
    campaigns = db.session.scalars(select(Campaign).where(Campaign.closed_at.is_(None))).all()
    for campaign in campaigns:
        exists = db.session.scalar(select(Acknowledgement.id).where(
            Acknowledgement.campaign_id == campaign.id,
            Acknowledgement.person_id == person.id))
        if exists is None:
            ack = Acknowledgement(campaign=campaign, person=person)
            db.session.add(ack)
            db.session.flush()
            record("acknowledgement.created", ack, actor=actor)
            queue_template(person.email, _("Politique à lire et à signer"),
                           "acknowledgements/opened", ack=ack, campaign=campaign,
                           link=_policy_link(ack))


# ---- campaigns --------------------------------------------------------------------------------

def update_campaign(actor, campaign: Campaign, *, deadline, reminder_count: int,
                    reminder_interval_days: int) -> None:
    if not campaign.is_open:
        raise AcknowledgementError(_("Cette campagne est fermée."))
    before = snapshot(campaign, "deadline", "reminder_count", "reminder_interval_days")
    campaign.deadline = deadline
    campaign.reminder_count = reminder_count
    campaign.reminder_interval_days = reminder_interval_days
    db.session.flush()
    record("campaign.updated", campaign, before=before,
           after=snapshot(campaign, "deadline", "reminder_count", "reminder_interval_days"),
           actor=actor)


def close_campaign(actor, campaign: Campaign) -> None:
    changed = db.session.execute(
        update(Campaign).where(Campaign.id == campaign.id, Campaign.closed_at.is_(None))
        .values(closed_at=utcnow(), closed_by_id=actor.id)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise AcknowledgementError(_("Cette campagne est déjà fermée."))
    db.session.refresh(campaign)
    record("campaign.closed", campaign, after={"closed_at": campaign.closed_at}, actor=actor)


def completion_by_service(campaign: Campaign) -> list[dict]:
    signed = func.sum(func.cast(Acknowledgement.status.in_(
        [AckStatus.signed_electronic, AckStatus.signed_paper]), db.Integer))
    refused = func.sum(func.cast(Acknowledgement.status == AckStatus.refused, db.Integer))
    from hr_social.acknowledgements.offline import offline_by_service

    offline = offline_by_service(campaign)
    rows = db.session.execute(
        select(Service.name, func.count(Acknowledgement.id), signed, refused, Service.id)
        .join(Person, Person.id == Acknowledgement.person_id)
        .join(Service, Service.id == Person.service_id)
        .where(Acknowledgement.campaign_id == campaign.id, Acknowledgement.still_relevant())
        .group_by(Service.name, Service.id).order_by(french(Service.name))
    ).all()
    result = []
    for name, total, done, refused_count, service_id in rows:
        done, refused_count = int(done or 0), int(refused_count or 0)
        result.append({"service": name, "total": total, "signed": done,
                       "refused": refused_count, "pending": total - done - refused_count,
                       "percent": round(100 * done / total) if total else 0,
                       "service_id": service_id, "offline": offline.get(service_id, 0)})
    return result


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind people whose acknowledgement is pending (cron; idempotent).

    A reminder is due when fewer than ``reminder_count`` were sent and the last one (or the
    opening of the campaign) is at least ``reminder_interval_days`` old.
    """
    now = now or utcnow()
    sent = 0
    current = PolicyVersion.current()
    if current is None:
        return 0
    # Only the version in force can be signed (check_signable): no reminder for an older one.
    pending = db.session.scalars(
        select(Acknowledgement).join(Campaign)
        .where(Campaign.closed_at.is_(None), Campaign.policy_version_id == current.id,
               Acknowledgement.status == AckStatus.pending,
               Acknowledgement.reminders_sent < Campaign.reminder_count)
    ).all()
    for ack in pending:
        campaign = ack.campaign
        since = ack.last_reminded_at or campaign.created_at
        if now - since < dt.timedelta(days=campaign.reminder_interval_days):
            continue
        if not ack.person.email or not ack.person.is_active:
            continue
        changed = db.session.execute(
            update(Acknowledgement)
            .where(Acknowledgement.id == ack.id,
                   Acknowledgement.reminders_sent == ack.reminders_sent)
            .values(reminders_sent=ack.reminders_sent + 1, last_reminded_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if changed != 1:
            continue
        queue_template(ack.person.email,
                       _("Rappel : accusé de réception de la politique à signer"),
                       "acknowledgements/reminder", ack=ack, campaign=campaign,
                       link=_policy_link(ack))
        record("acknowledgement.reminded", ack, after={"reminders_sent":
                                                      ack.reminders_sent + 1}, actor=None)
        sent += 1
    db.session.flush()
    return sent
