"""The authorization letter (PDF through pdf.py) for a logo use that is authorized.

Letterhead: the organisation's name, address and logo. The verification code comes with
``hr_social/documents/`` (issue 7) once it is on main.
"""

from __future__ import annotations

from hr_social import pdf
from hr_social.attachments.services import read_bytes
from hr_social.communications.models import LogoAuthorization
from hr_social.db import utcnow
from hr_social.organisation.models import OrganisationSettings


def organisation_context() -> dict:
    settings = OrganisationSettings.current()
    logo = None
    if settings.logo is not None:
        try:
            logo = pdf.data_uri(read_bytes(settings.logo), settings.logo.content_type)
        except OSError:
            logo = None
    return {"name": settings.name, "address": settings.address or "", "logo": logo}


def letter_pdf(authorization: LogoAuthorization) -> bytes:
    return pdf.render_pdf("pdf/logo_authorization.html", r=authorization,
                          organisation=organisation_context(), issued_at=utcnow())
