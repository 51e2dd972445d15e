"""Operations on one acknowledgement (sign, record, print) and the public verification;
policy versions and campaigns are in ``policy_services``.

Each takes the acting user, changes state, writes the audit entry and queues mail, and
only flushes: the view commits once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from flask import current_app
from flask_babel import gettext as _

from hr_social.acknowledgements import documents
from hr_social.acknowledgements.models import (
    Acknowledgement,
    AckStatus,
    PolicyVersion,
)
from hr_social.audit.services import record, snapshot
from hr_social.clock import local_today
from hr_social.db import db, utcnow
from hr_social.documents.letter import organisation_context
from hr_social.documents.services import sha256
from hr_social.errors import DomainError


class AcknowledgementError(DomainError):
    """A refused operation; the message is in French and safe to show."""


class WrongPassword(AcknowledgementError):
    """The password re-entered to sign is wrong: the view counts it as a failed login."""


# ---- signing ----------------------------------------------------------------------------------

def mark_policy_opened(user, ack: Acknowledgement) -> None:
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


def check_signable(user, ack: Acknowledgement) -> None:
    if ack.person_id != user.person_id:
        raise AcknowledgementError(_("Cet accusé de réception n'est pas le vôtre."))
    if ack.status != AckStatus.pending:
        raise AcknowledgementError(_("Cet accusé de réception est déjà traité."))
    if not ack.campaign.is_open:
        raise AcknowledgementError(_("Cette campagne est fermée."))
    current = PolicyVersion.current()
    if current is None or current.id != ack.campaign.policy_version_id:
        raise AcknowledgementError(_("Cette version de la politique n'est plus la version en "
                                     "vigueur : signez la version actuelle."))
    if ack.policy_opened_at is None:
        raise AcknowledgementError(_("Ouvrez d'abord le texte de la politique."))


def sign_electronically(user, ack: Acknowledgement, *, typed_name: str, password: str,
                        ticked: bool, address: str | None, user_agent: str | None) -> bytes:
    """Check everything, then issue the sealed PDF and record the evidence."""
    from hr_social.attachments.services import store_bytes
    from hr_social.auth.directory import check_password
    from hr_social.auth.services import check_throttle, throttle_message
    from hr_social.documents.sealing import seal

    db.session.refresh(ack, with_for_update=True)  # concurrent submissions: one signs
    check_signable(user, ack)
    if not ticked:
        raise AcknowledgementError(_("Cochez la case pour confirmer votre lecture."))
    # The password field must not be a way round the login throttle (borrowed session).
    throttle = check_throttle(user.username, address or "unknown")
    if throttle:
        raise AcknowledgementError(throttle_message(throttle))
    if not check_password(user, password or ""):  # a directory login binds again
        raise WrongPassword(_("Mot de passe incorrect : rien n'a été enregistré."))
    if not _same_name(typed_name, ack.person.full_name):
        raise AcknowledgementError(_("Tapez votre nom complet tel qu'il figure au dossier : "
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

    organisation = organisation_context()["name"]
    data = seal(pdf.html_to_pdf(html, pdf_variant=current_app.config.get("ACK_PDF_VARIANT")),
                organisation, reason="Accusé de réception signé électroniquement")
    digest = sha256(data)
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


def record_paper(actor, ack: Acknowledgement, *, signed_on: dt.date, scan_file) -> None:
    from hr_social.attachments.services import store

    db.session.refresh(ack, with_for_update=True)
    if not ack.can_record(actor):
        raise AcknowledgementError(_("Cet accusé de réception est déjà signé."))
    if signed_on > local_today():
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


def record_refusal(actor, ack: Acknowledgement, *, refused_on: dt.date, witness: str,
                   note: str) -> None:
    db.session.refresh(ack, with_for_update=True)
    if ack.status != AckStatus.pending or not actor.has_role("hr"):
        raise AcknowledgementError(_("Seul un accusé en attente peut être noté comme refusé."))
    if not witness.strip():
        raise AcknowledgementError(_("Indiquez le nom du témoin."))
    if refused_on > local_today():
        raise AcknowledgementError(_("La date du refus ne peut pas être dans le futur."))
    before = snapshot(ack, "status")
    ack.status, ack.refused_on = AckStatus.refused, refused_on
    ack.refusal_witness, ack.refusal_note = witness.strip()[:200], note.strip() or None
    ack.recorded_by_id = actor.id
    db.session.flush()
    record("acknowledgement.refused", ack, before=before,
           after={"status": ack.status, "refused_on": refused_on,
                  "witness": ack.refusal_witness}, actor=actor)


def record_follow_up(actor, ack: Acknowledgement, *, note: str) -> None:
    if not actor.has_role("hr"):
        raise AcknowledgementError(_("Seules les Ressources humaines font le suivi des refus."))
    if ack.status != AckStatus.refused:
        raise AcknowledgementError(_("Le suivi s'applique aux refus."))
    before = snapshot(ack, "follow_up_note")
    ack.follow_up_note = note.strip()
    db.session.flush()
    record("acknowledgement.followed_up", ack, before=before,
           after=snapshot(ack, "follow_up_note"), actor=actor)


def print_one(actor, ack: Acknowledgement) -> bytes:
    """An unsigned acknowledgement to sign on paper, with its own verification code."""
    from hr_social import pdf

    if not ack.can_record(actor):
        raise AcknowledgementError(_("Cet accusé de réception est déjà signé : il n'y a rien "
                                     "à imprimer pour signature."))
    issued = documents.issue(ack, "printed")
    data = pdf.html_to_pdf(documents.acknowledgement_html(ack, issued))
    issued.sha256 = sha256(data)
    db.session.flush()
    record("acknowledgement.printed", ack, after={"code": issued.code}, actor=actor)
    return data
