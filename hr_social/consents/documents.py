"""The consent form (printed to be signed on paper) and the signed, sealed PDF of a consent
signed on screen; how the public verification page describes them."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from hr_social import pdf
from hr_social.audit.services import record
from hr_social.consents.models import Consent
from hr_social.db import db
from hr_social.documents import services as official
from hr_social.documents.letter import organisation_context, render_letter
from hr_social.documents.registry import Description, register_subject

SUBJECT_TYPE = "consent"


def form_pdf(user, consent: Consent) -> bytes:
    """The prefilled form, with the exact text to sign and its own verification code."""
    issued = official.issue(SUBJECT_TYPE, consent.id, "printed")
    data = pdf.html_to_pdf(render_letter("pdf/consent_form.html", issued, consent=consent))
    issued.sha256 = official.sha256(data)
    db.session.flush()
    record("consent.form_printed", consent, actor=user, after={"code": issued.code})
    return data


def signed_pdf(consent: Consent, signature_png: bytes, *, signed_at: dt.datetime, place: str,
               collector, organisation: str = ""):
    """The same letter with the drawn signature and its evidence, sealed. Returns (bytes,
    issued document)."""
    from hr_social.documents.sealing import seal

    organisation_data = organisation_context()
    issued = official.issue(SUBJECT_TYPE, consent.id, "signed", issued_at=signed_at)
    signer = consent.guardian_name if consent.is_minor else consent.person_name
    collector_name = collector.person.full_name if collector.person else collector.username
    evidence = {"signature": pdf.data_uri(signature_png, "image/png"), "signer": signer,
                "signed_at": signed_at, "place": place, "collector": collector_name,
                "signature_sha256": official.sha256(signature_png)}
    html = render_letter("pdf/consent_form.html", issued, organisation=organisation_data,
                         consent=consent, evidence=evidence)
    data = seal(pdf.html_to_pdf(html), organisation or organisation_data["name"],
                reason="Consentement signé à l'écran")
    issued.sha256 = official.sha256(data)
    db.session.flush()
    return data, issued


def _describe(document) -> Description | None:
    consent = db.session.get(Consent, document.subject_id)
    if consent is None or consent.state == "purged":
        return None
    label = _("Consentement signé à l'écran et scellé.") if document.kind == "signed" \
        else _("Formulaire de consentement imprimé pour être signé sur papier.")
    return Description(title=_("Consentement écrit à la diffusion n° %(n)s", n=consent.id),
                       person=consent.person_name or "", label=label)


register_subject(SUBJECT_TYPE, describe=_describe)
