"""The letterhead every official letter shares (``templates/pdf/_letter.html``).

A letter template extends ``pdf/_letter.html`` and receives, besides its own variables,
``organisation`` (name, address, logo as a ``data:`` URI), ``code`` (formatted),
``qr`` (a ``data:`` PNG), ``verify_url`` and ``issued_at``: see docs/pdf.md.
"""

from __future__ import annotations

from hr_social import pdf
from hr_social.documents.codes import format_code, qr_data_uri, verification_url


def organisation_context() -> dict:
    """Name, address and logo (as a data: URI), read once per batch."""
    from hr_social.attachments.services import read_bytes
    from hr_social.organisation.models import OrganisationSettings

    settings = OrganisationSettings.current()
    logo = None
    if settings.logo is not None:
        try:
            logo = pdf.data_uri(read_bytes(settings.logo), settings.logo.content_type)
        except OSError:
            logo = None
    return {"name": settings.name, "address": settings.address or "", "logo": logo}


def letter_context(document, *, organisation: dict | None = None) -> dict:
    """The letterhead's variables for one issued document (``IssuedDocument``)."""
    url = verification_url(document.code)
    return {"organisation": organisation or organisation_context(),
            "code": format_code(document.code), "qr": qr_data_uri(url, box_size=1),
            "verify_url": url,
            "issued_at": document.issued_at}


def render_letter(template: str, document, *, organisation: dict | None = None,
                  **context) -> str:
    """The HTML of one letter (``templates/pdf/….html`` extending ``pdf/_letter.html``)."""
    return pdf.render_html(template, **letter_context(document, organisation=organisation),
                           **context)
