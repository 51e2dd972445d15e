"""Recording a consent, signing it (paper scan or on screen), withdrawing it, and the audit of
every look at a consent's personal details or media.

Operations take the acting user, check everything before writing, write the audit entry and
only flush: the view commits once. A refusal raises ``ConsentRefused`` (French, per field).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.attachments.models import Attachment
from hr_social.audit.services import record
from hr_social.clock import local_today
from hr_social.consents import (
    media,
    workflows,  # noqa: F401 - Consent.workflow
)
from hr_social.consents.models import (
    AUTHORIZERS,
    CATEGORIES,
    KINDS,
    SHORT_MAX,
    TEXT_MAX,
    WITHDRAWAL_WAYS,
    Consent,
    ConsentChannel,
    account_model,
    channel_label,
)
from hr_social.consents.text import build_text, text_sha256
from hr_social.db import db, utcnow
from hr_social.delegation import actor_for
from hr_social.errors import DomainError
from hr_social.workflow import apply_transition

SUBJECT = Consent.__tablename__
KINDS_NEEDING_MEDIA = ("photo", "video")


class ConsentRefused(DomainError):
    """Bad input about a consent: French messages, nothing saved."""


def today() -> dt.date:
    """The organisation's date (tests freeze it by replacing this function)."""
    return local_today()


# ---- channels ----------------------------------------------------------------------------

def channel_choices() -> list[tuple[str, str]]:
    """The website, print, and every official account of the register not closed."""
    model = account_model()
    accounts = db.session.scalars(select(model).where(model.status != "closed")
                                  .order_by(model.display_name, model.id)).all()
    return [("website", channel_label("website", None)), ("print", channel_label("print", None))
            ] + [(f"account:{a.id}", channel_label("account", a)) for a in accounts]


def parse_channel(key: str):
    """(kind, account) for a channel key, or None when it names nothing we know."""
    if key in ("website", "print"):
        return key, None
    if isinstance(key, str) and key.startswith("account:"):
        from hr_social.web.input_limits import row_by_id

        account = row_by_id(account_model(), key.removeprefix("account:"))
        if account is not None and account.status != "closed":
            return "account", account
    return None


# ---- recording ---------------------------------------------------------------------------

@dataclass
class ConsentInput:
    person_name: str = ""
    category: str = ""
    contact: str = ""
    is_minor: bool = False
    guardian_name: str = ""
    guardian_relationship: str = ""
    guardian_contact: str = ""
    kind: str = ""
    description: str = ""
    purpose: str = ""
    event_name: str = ""
    event_on: dt.date | None = None
    channels: list[str] = field(default_factory=list)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    authorized_by: str = ""
    authorizer_name: str = ""
    disclosed_what: str = ""
    disclosed_to: str = ""
    disclosure_until: dt.date | None = None


def _clean(value, limit=SHORT_MAX) -> str:
    return " ".join(str(value or "").split())[:limit] if limit == SHORT_MAX else \
        str(value or "").strip()[:limit]


def _check(data: ConsentInput) -> tuple[dict, list]:
    errors: dict[str, str] = {}
    required = {"person_name": _("Indiquez le nom de la personne qui consent."),
                "description": _("Décrivez le contenu visé par le consentement."),
                "purpose": _("Indiquez l'usage prévu.")}
    for name, message in required.items():
        if not getattr(data, name).strip():
            errors[name] = message
    if data.category not in CATEGORIES:
        errors["category"] = _("Choisissez la catégorie de la personne.")
    if data.kind not in KINDS:
        errors["kind"] = _("Choisissez le genre de contenu.")
    if data.is_minor:
        if not (data.guardian_name.strip() and data.guardian_relationship.strip()
                and data.guardian_contact.strip()):
            errors["guardian_name"] = _("Une personne mineure ne peut pas consentir seule : "
                                        "indiquez le nom du parent ou tuteur, son lien avec "
                                        "elle et ses coordonnées.")
    elif not data.contact.strip():
        errors["contact"] = _("Indiquez comment joindre la personne (courriel, téléphone ou "
                              "adresse).")
    channels = [parse_channel(key) for key in dict.fromkeys(data.channels or [])]
    if not channels:
        errors["channels"] = _("Choisissez au moins un canal où le contenu pourra paraître.")
    elif None in channels:
        errors["channels"] = _("Un canal choisi n'existe pas ou le compte est fermé.")
    if data.valid_from is None:
        errors["valid_from"] = _("Indiquez le début de la validité.")
    elif data.valid_until is not None and data.valid_until < data.valid_from:
        errors["valid_until"] = _("La fin de la validité précède son début.")
    if data.kind == "confidential":
        if data.authorized_by not in AUTHORIZERS:
            errors["authorized_by"] = _("Indiquez qui autorise la divulgation.")
        elif data.authorized_by == "municipality" and not data.authorizer_name.strip():
            errors["authorizer_name"] = _("Indiquez qui, à la Municipalité, autorise la "
                                          "divulgation.")
        if not data.disclosed_what.strip():
            errors["disclosed_what"] = _("Précisez ce qui peut être divulgué.")
        if not data.disclosed_to.strip():
            errors["disclosed_to"] = _("Précisez à qui le renseignement peut être divulgué.")
        if data.disclosure_until is None:
            errors["disclosure_until"] = _("Indiquez jusqu'à quand la divulgation est permise.")
        elif data.valid_from and data.disclosure_until < data.valid_from:
            errors["disclosure_until"] = _("La fin de la divulgation précède le début de la "
                                           "validité.")
    return errors, channels


def record_consent(user, data: ConsentInput, *, files=(), organisation: str = "") -> Consent:
    """A new consent awaiting its signature (form printed or signed on screen)."""
    errors, channels = _check(data)
    uploads = [f for f in files or () if f is not None and getattr(f, "filename", "")]
    checked = []
    if data.kind in KINDS and "files" not in errors:
        if not uploads and data.kind in KINDS_NEEDING_MEDIA:
            errors["files"] = _("Joignez la photo ou la vidéo visée par le consentement.")
        for upload in uploads:
            try:
                checked.append(media.check_file(upload, data.kind))
            except media.UploadRejected as error:
                errors["files"] = error.message
                break
    if errors:
        raise ConsentRefused(_("Le consentement n'est pas enregistré : corrigez les champs "
                               "indiqués."), field_errors=errors)
    confidential = data.kind == "confidential"
    text = build_text(
        organisation=organisation or _("la Municipalité"), person_name=_clean(data.person_name),
        category=data.category, is_minor=data.is_minor,
        guardian_name=_clean(data.guardian_name),
        guardian_relationship=_clean(data.guardian_relationship), kind=data.kind,
        description=_clean(data.description, TEXT_MAX), purpose=_clean(data.purpose, TEXT_MAX),
        channel_labels=[channel_label(kind, account) for kind, account in channels],
        valid_from=data.valid_from, valid_until=data.valid_until,
        authorized_by=data.authorized_by if confidential else None,
        authorizer_name=_clean(data.authorizer_name) if confidential else None,
        disclosed_what=_clean(data.disclosed_what, TEXT_MAX) if confidential else None,
        disclosed_to=_clean(data.disclosed_to) if confidential else None,
        disclosure_until=data.disclosure_until if confidential else None)
    consent = Consent(
        state="unsigned", person_name=_clean(data.person_name), category=data.category,
        contact=_clean(data.contact) or None, is_minor=bool(data.is_minor),
        guardian_name=_clean(data.guardian_name) or None if data.is_minor else None,
        guardian_relationship=(_clean(data.guardian_relationship)[:80] or None)
        if data.is_minor else None,
        guardian_contact=_clean(data.guardian_contact) or None if data.is_minor else None,
        kind=data.kind, description=_clean(data.description, TEXT_MAX),
        purpose=_clean(data.purpose, TEXT_MAX), event_name=_clean(data.event_name) or None,
        event_on=data.event_on, valid_from=data.valid_from, valid_until=data.valid_until,
        authorized_by=data.authorized_by if confidential else None,
        authorizer_name=(_clean(data.authorizer_name) or None) if confidential else None,
        disclosed_what=_clean(data.disclosed_what, TEXT_MAX) if confidential else None,
        disclosed_to=_clean(data.disclosed_to) if confidential else None,
        disclosure_until=data.disclosure_until if confidential else None,
        consent_text=text, text_sha256=text_sha256(text), collected_by_id=user.id)
    consent.channels = [ConsentChannel(kind=kind, account_id=account.id if account else None)
                        for kind, account in channels]
    db.session.add(consent)
    db.session.flush()
    with media.storing() as storage:
        for item in checked:
            storage.store(item, uploaded_by=user, subject=consent)
        record("consent.recorded", consent, actor=user, after={
            "state": consent.state, "kind": consent.kind, "category": consent.category,
            "is_minor": consent.is_minor, "channels": [c.key for c in consent.channels],
            "valid_from": consent.valid_from, "valid_until": consent.valid_until,
            "files": len(checked)})
    return consent


def media_of(consent: Consent) -> list[Attachment]:
    """The consent's media (the signature and signed documents are listed apart)."""
    own = {consent.signature_id, consent.signed_pdf_id, consent.scan_id}
    rows = db.session.scalars(select(Attachment).where(
        Attachment.subject_type == SUBJECT, Attachment.subject_id == consent.id,
        Attachment.removed_at.is_(None)).order_by(Attachment.id)).all()
    return [a for a in rows if a.id not in own]


def files_of(consent: Consent) -> set[int]:
    return {a.id for a in db.session.scalars(select(Attachment).where(
        Attachment.subject_type == SUBJECT, Attachment.subject_id == consent.id,
        Attachment.removed_at.is_(None)))}


# ---- signing -----------------------------------------------------------------------------

def sign_on_paper(user, consent: Consent, *, signed_on: dt.date | None, scan_file) -> Consent:
    """The printed form came back signed: its scan is kept and the consent is valid."""
    errors = {}
    if signed_on is None:
        errors["signed_on"] = _("Indiquez la date de la signature.")
    elif signed_on > today():
        errors["signed_on"] = _("La date de signature ne peut pas être dans le futur.")
    checked = None
    if scan_file is None or not getattr(scan_file, "filename", ""):
        errors["scan"] = _("Joignez la copie numérisée du formulaire signé.")
    else:
        try:
            checked = media.check_file(scan_file, "scan")
        except media.UploadRejected as error:
            errors["scan"] = error.message
    if errors:
        raise ConsentRefused(_("La signature n'est pas enregistrée."), field_errors=errors)
    with media.storing() as storage:
        scan = storage.store(checked, uploaded_by=user, subject=consent)
        signed_at = dt.datetime.combine(signed_on, dt.time(12), tzinfo=dt.UTC)
        apply_transition(consent, "sign_on_paper", actor_for(user), method="paper",
                         signed_at=signed_at, scan_id=scan.id, document_sha256=scan.sha256)
    return consent


def sign_on_screen(user, consent: Consent, *, signature: str | None, place: str,
                   confirmed: bool, organisation: str) -> bytes:
    """The person read the text on the tablet and signed with a finger: the drawn signature is
    kept, the signed PDF is produced, sealed and kept. Returns the sealed PDF."""
    from hr_social.consents import documents

    errors = {}
    if not (place or "").strip():
        errors["place"] = _("Indiquez le lieu de la signature.")
    if not confirmed:
        errors["confirmed"] = _("Cochez la case : la personne a lu le texte affiché.")
    png = None
    try:
        png = media.read_signature(signature)
    except media.UploadRejected as error:
        errors["signature"] = error.message
    if errors:
        raise ConsentRefused(_("La signature n'est pas enregistrée."), field_errors=errors)
    now = utcnow()
    with media.storing() as storage:
        drawn = storage.store(media.CheckedFile(png, "image/png", "signature.png"),
                              uploaded_by=user, subject=consent)
        data, issued = documents.signed_pdf(consent, png, signed_at=now, place=place.strip(),
                                            collector=user, organisation=organisation)
        signed = storage.store(media.CheckedFile(data, "application/pdf",
                                                 f"consentement-{consent.id}-signe.pdf"),
                               uploaded_by=user, subject=consent)
        apply_transition(consent, "sign_on_screen", actor_for(user), method="screen",
                         signed_at=now, signed_place=_clean(place), signature_id=drawn.id,
                         signed_pdf_id=signed.id, document_sha256=issued.sha256)
    return data


# ---- withdrawal --------------------------------------------------------------------------

def withdraw(user, consent: Consent, *, withdrawn_on: dt.date | None, way: str) -> Consent:
    """The person withdraws: every publication that relied on the consent is listed to be
    taken down (publications.list_takedowns)."""
    from hr_social.consents.publications import list_takedowns

    errors = {}
    if withdrawn_on is None:
        errors["withdrawn_on"] = _("Indiquez la date du retrait.")
    elif withdrawn_on > today():
        errors["withdrawn_on"] = _("La date du retrait ne peut pas être dans le futur.")
    elif withdrawn_on < consent.created_at.date() - dt.timedelta(days=1):
        errors["withdrawn_on"] = _("La date du retrait précède l'enregistrement du "
                                   "consentement.")
    if way not in WITHDRAWAL_WAYS:
        errors["way"] = _("Indiquez comment le retrait a été reçu.")
    if errors:
        raise ConsentRefused(_("Le retrait n'est pas enregistré."), field_errors=errors)
    return apply_transition(consent, "withdraw", actor_for(user), withdrawn_on=withdrawn_on,
                            way=way, list_takedowns=list_takedowns)


# ---- audit of views ----------------------------------------------------------------------

def log_list_view(user, consents: list[Consent]) -> None:
    """A list of consents shows names too: each consent on the page is a look, audited."""
    for consent in consents:
        log_view(user, consent, what="list")


def log_view(user, consent: Consent, *, what: str = "details", attachment_id=None) -> None:
    """Every look at a consent's personal details or media is an audit entry."""
    record("consent.viewed", consent, actor=user,
           after={"viewed": what, "attachment_id": attachment_id})
