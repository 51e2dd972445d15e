"""Operations on policy versions, campaigns and acknowledgements.

Each takes the acting user, changes state, writes the audit entry and queues mail, and
only flushes: the view commits once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
import unicodedata

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from hr_social.acknowledgements import documents
from hr_social.acknowledgements.models import (
    Acknowledgement,
    AckStatus,
    Campaign,
    IssuedDocument,
    PolicyVersion,
    VerificationAttempt,
)
from hr_social.audit.services import record, snapshot
from hr_social.db import db, french, utcnow
from hr_social.mail.services import queue_template
from hr_social.people.events import person_created
from hr_social.people.models import Person, Service


class AcknowledgementError(ValueError):
    """A refused operation; the message is in French and safe to show."""


class WrongPassword(AcknowledgementError):
    """The password re-entered to sign is wrong: the view counts it as a failed login."""


# ---- policy versions ------------------------------------------------------------------------

def create_version(actor, *, title: str, version_label: str, effective_date: dt.date,
                   body: str, key_points: str = "", source_name: str | None = None
                   ) -> PolicyVersion:
    if not body.strip():
        raise AcknowledgementError(_("Le texte de la politique est vide."))
    if db.session.scalar(select(PolicyVersion.id).where(
            PolicyVersion.title == title.strip(),
            PolicyVersion.version_label == version_label.strip())) is not None:
        raise AcknowledgementError(_("Cette version existe déjà : choisissez un autre libellé."))
    version = PolicyVersion(title=title.strip(), version_label=version_label.strip(),
                            effective_date=effective_date, body=body, key_points=key_points,
                            source_name=source_name,
                            created_by_id=actor.id if actor else None)
    db.session.add(version)
    db.session.flush()
    record("policy.created", version, after=snapshot(version, "title", "version_label",
                                                     "effective_date", "source_name"),
           actor=actor)
    return version


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def publish_version(version: PolicyVersion, actor) -> Campaign:
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
        raise AcknowledgementError(_("Cette version est déjà publiée : elle ne peut plus "
                                     "changer. Créez une nouvelle version pour la corriger."))
    db.session.refresh(version)
    campaign = Campaign(policy_version=version)
    db.session.add(campaign)
    db.session.flush()
    people = db.session.scalars(select(Person).where(Person.is_active.is_(True))).all()
    acks = [Acknowledgement(campaign=campaign, person=person) for person in people]
    db.session.add_all(acks)
    db.session.flush()
    base_url = current_app.config["BASE_URL"].rstrip("/")
    for ack in acks:
        queue_template(ack.person.email, _("Politique à lire et à signer"),
                       "acknowledgements/opened", ack=ack, campaign=campaign,
                       base_url=base_url)
    record("policy.published", version, after={"content_sha256": digest,
                                               "acknowledgements": len(people)}, actor=actor)
    return campaign


@person_created.connect
def _acknowledgement_for_new_person(person, actor=None, **_extra):
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
                           base_url=current_app.config["BASE_URL"].rstrip("/"))


# ---- campaigns --------------------------------------------------------------------------------

def update_campaign(campaign: Campaign, actor, *, deadline, reminder_count: int,
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


def close_campaign(campaign: Campaign, actor) -> None:
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
    rows = db.session.execute(
        select(Service.name, func.count(Acknowledgement.id), signed, refused)
        .join(Person, Person.id == Acknowledgement.person_id)
        .join(Service, Service.id == Person.service_id)
        .where(Acknowledgement.campaign_id == campaign.id, Acknowledgement.still_relevant())
        .group_by(Service.name).order_by(french(Service.name))
    ).all()
    result = []
    for name, total, done, refused_count in rows:
        done, refused_count = int(done or 0), int(refused_count or 0)
        result.append({"service": name, "total": total, "signed": done,
                       "refused": refused_count, "pending": total - done - refused_count,
                       "percent": round(100 * done / total) if total else 0})
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
                       _("Rappel : accusé de réception de la politique à signer"),
                       "acknowledgements/reminder", ack=ack, campaign=campaign,
                       base_url=current_app.config["BASE_URL"].rstrip("/"))
        record("acknowledgement.reminded", ack, after={"reminders_sent":
                                                      ack.reminders_sent + 1}, actor=None)
        sent += 1
    db.session.flush()
    return sent


# ---- signing ----------------------------------------------------------------------------------

def mark_policy_opened(ack: Acknowledgement, user) -> None:
    if ack.policy_opened_at is None and ack.person_id == user.person_id:
        ack.policy_opened_at = utcnow()
        db.session.flush()
        record("acknowledgement.policy_opened", ack,
               after={"policy_opened_at": ack.policy_opened_at}, actor=user)


def _same_name(typed: str, expected: str) -> bool:
    def simple(text):
        text = unicodedata.normalize("NFKD", text or "")
        return " ".join("".join(c for c in text if not unicodedata.combining(c))
                        .casefold().replace("-", " ").split())

    return simple(typed) == simple(expected)


def check_signable(ack: Acknowledgement, user) -> None:
    if ack.person_id != user.person_id:
        raise AcknowledgementError(_("Cet accusé de réception n'est pas le vôtre."))
    if ack.status != AckStatus.pending:
        raise AcknowledgementError(_("Cet accusé de réception est déjà traité."))
    if not ack.campaign.is_open:
        raise AcknowledgementError(_("Cette campagne est fermée."))
    current = PolicyVersion.current()
    if current is None or current.id != ack.campaign.policy_version_id:
        raise AcknowledgementError(_("Cette version de la politique n'est plus la version en "
                                     "vigueur : signez la version actuelle."))
    if ack.policy_opened_at is None:
        raise AcknowledgementError(_("Ouvrez d'abord le texte de la politique."))


def sign_electronically(ack: Acknowledgement, user, *, typed_name: str, password: str,
                        ticked: bool, address: str | None, user_agent: str | None) -> bytes:
    """Check everything, then issue the sealed PDF and record the evidence."""
    from hr_social.acknowledgements.sealing import seal
    from hr_social.attachments.services import store_bytes
    from hr_social.auth.passwords import verify_password
    from hr_social.auth.services import check_throttle, throttle_message

    db.session.refresh(ack, with_for_update=True)  # concurrent submissions: one signs
    check_signable(ack, user)
    if not ticked:
        raise AcknowledgementError(_("Cochez la case pour confirmer votre lecture."))
    # The password field must not be a way round the login throttle (borrowed session).
    throttle = check_throttle(user.username, address or "unknown")
    if throttle:
        raise AcknowledgementError(throttle_message(throttle))
    if not verify_password(user.password_hash, password or ""):
        raise WrongPassword(_("Mot de passe incorrect : rien n'a été enregistré."))
    if not _same_name(typed_name, ack.person.full_name):
        raise AcknowledgementError(_("Tapez votre nom complet tel qu'il figure au dossier : "
                                     "%(name)s.", name=ack.person.full_name))
    now = utcnow()
    version = ack.campaign.policy_version
    statement = f"{ack.person.full_name}|{ack.person.employee_number}|{version.id}|" \
                f"{version.content_sha256}|{now.isoformat()}"
    evidence = {"signed_name": typed_name.strip(), "signed_at": now,
                "opened_at": ack.policy_opened_at, "address": address,
                "user_agent": (user_agent or "")[:300],
                "statement_sha256": hashlib.sha256(statement.encode()).hexdigest()}
    issued = documents.issue(ack, "signed")
    issued.issued_at = now
    html = documents.acknowledgement_html(ack, issued, evidence=evidence)
    from hr_social import pdf

    organisation = documents.organisation_context()["name"]
    data = seal(pdf.html_to_pdf(html, pdf_variant=current_app.config.get("ACK_PDF_VARIANT")),
                organisation)
    digest = documents.sha256(data)
    issued.sha256 = digest
    attachment = store_bytes(data, "application/pdf",
                             f"accuse-{ack.person.employee_number}-{version.version_label}.pdf",
                             uploaded_by=user, subject=ack)
    before = snapshot(ack, "status")
    ack.status = AckStatus.signed_electronic
    ack.signed_at, ack.signed_name = now, evidence["signed_name"][:200]
    ack.signed_address, ack.signed_user_agent = (address or "")[:64] or None, \
        evidence["user_agent"] or None
    ack.policy_sha256, ack.document_sha256 = version.content_sha256, digest
    ack.signed_pdf_id = attachment.id
    db.session.flush()
    record("acknowledgement.signed", ack, before=before,
           after={"status": ack.status, "document_sha256": digest, "code": issued.code,
                  "address": ack.signed_address}, actor=user)
    return data


def record_paper(ack: Acknowledgement, actor, *, signed_on: dt.date, scan_file) -> None:
    from hr_social.attachments.services import store

    db.session.refresh(ack, with_for_update=True)
    if not ack.can_record(actor):
        raise AcknowledgementError(_("Cet accusé de réception est déjà signé."))
    if signed_on > dt.date.today():
        raise AcknowledgementError(_("La date de signature ne peut pas être dans le futur."))
    if scan_file is None or not getattr(scan_file, "filename", ""):
        raise AcknowledgementError(_("Joignez la copie numérisée du document signé."))
    scan = store(scan_file, {"application/pdf", "image/jpeg", "image/png"},
                 uploaded_by=actor, subject=ack)
    before = snapshot(ack, "status")
    ack.status, ack.paper_signed_on, ack.scan_id = AckStatus.signed_paper, signed_on, scan.id
    ack.recorded_by_id = actor.id
    db.session.flush()
    record("acknowledgement.signed_on_paper", ack, before=before,
           after={"status": ack.status, "paper_signed_on": signed_on,
                  "scan_sha256": scan.sha256}, actor=actor)


def record_refusal(ack: Acknowledgement, actor, *, refused_on: dt.date, witness: str,
                   note: str) -> None:
    db.session.refresh(ack, with_for_update=True)
    if ack.status != AckStatus.pending or not actor.has_role("hr"):
        raise AcknowledgementError(_("Seul un accusé en attente peut être noté comme refusé."))
    if not witness.strip():
        raise AcknowledgementError(_("Indiquez le nom du témoin."))
    if refused_on > dt.date.today():
        raise AcknowledgementError(_("La date du refus ne peut pas être dans le futur."))
    before = snapshot(ack, "status")
    ack.status, ack.refused_on = AckStatus.refused, refused_on
    ack.refusal_witness, ack.refusal_note = witness.strip()[:200], note.strip() or None
    ack.recorded_by_id = actor.id
    db.session.flush()
    record("acknowledgement.refused", ack, before=before,
           after={"status": ack.status, "refused_on": refused_on,
                  "witness": ack.refusal_witness}, actor=actor)


def record_follow_up(ack: Acknowledgement, actor, *, note: str) -> None:
    if not actor.has_role("hr"):
        raise AcknowledgementError(_("Seules les Ressources humaines font le suivi des refus."))
    if ack.status != AckStatus.refused:
        raise AcknowledgementError(_("Le suivi s'applique aux refus."))
    before = snapshot(ack, "follow_up_note")
    ack.follow_up_note = note.strip()
    db.session.flush()
    record("acknowledgement.followed_up", ack, before=before,
           after=snapshot(ack, "follow_up_note"), actor=actor)


def print_one(ack: Acknowledgement, actor) -> bytes:
    """An unsigned acknowledgement to sign on paper, with its own verification code."""
    from hr_social import pdf

    if not ack.can_record(actor):
        raise AcknowledgementError(_("Cet accusé de réception est déjà signé : il n'y a rien "
                                     "à imprimer pour signature."))
    issued = documents.issue(ack, "printed")
    data = pdf.html_to_pdf(documents.acknowledgement_html(ack, issued))
    issued.sha256 = documents.sha256(data)
    db.session.flush()
    record("acknowledgement.printed", ack, after={"code": issued.code}, actor=actor)
    return data


# ---- public verification -------------------------------------------------------------------

def throttled(address: str) -> bool:
    config = current_app.config
    since = utcnow() - dt.timedelta(minutes=config["ACK_VERIFY_WINDOW_MINUTES"])
    count = db.session.scalar(select(func.count(VerificationAttempt.id)).where(
        VerificationAttempt.address == address, VerificationAttempt.at >= since))
    return count >= config["ACK_VERIFY_MAX_ATTEMPTS"]


def purge_verification_attempts(now: dt.datetime | None = None) -> int:
    """Forget look-ups older than a day: only the throttling window reads them, and the
    table would otherwise grow with every visit of the public page (daily cron)."""
    window = dt.timedelta(minutes=current_app.config["ACK_VERIFY_WINDOW_MINUTES"])
    cutoff = (now or utcnow()) - max(window, dt.timedelta(days=1))
    return db.session.execute(delete(VerificationAttempt).where(
        VerificationAttempt.at < cutoff)).rowcount


_DUMMY_HASH = "0" * 64


def verify(code_text: str, address: str, uploaded: bytes | None = None):
    """Look a code up (and compare a dropped file), in the same time found or not.

    Returns (document or None, file_matches): file_matches is None when no file was
    dropped, or when the document cannot be compared byte for byte.
    """
    started = time.monotonic()
    code = documents.normalise_code(code_text)
    document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.code == code)) \
        if len(code) == documents.CODE_LENGTH else None
    db.session.add(VerificationAttempt(address=(address or "?")[:64], at=utcnow(),
                                       found=document is not None))
    matches = None
    if uploaded is not None:
        # Hash and compare in every case (same work found or not); only a document whose
        # hash was kept can say "same" or "different" (bulk prints have none: see
        # IssuedDocument.can_be_compared), otherwise the answer stays None.
        comparable = document is not None and document.can_be_compared
        same = hmac.compare_digest(documents.sha256(uploaded),
                                   document.sha256 if comparable else _DUMMY_HASH)
        matches = same if comparable else None
    if document is not None:  # load what the page shows now, inside the timed part
        document.acknowledgement.person  # noqa: B018
        document.acknowledgement.campaign.policy_version  # noqa: B018
    db.session.flush()
    floor = current_app.config["ACK_VERIFY_MIN_SECONDS"]
    remaining = floor - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)  # a miss answers no faster than a hit
    return document, matches
