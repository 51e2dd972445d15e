from __future__ import annotations

from hr_social.attachments.services import store
from hr_social.audit.services import record, snapshot
from hr_social.db import db
from hr_social.organisation.models import OrganisationSettings

FIELDS = ("name", "address", "email_domain", "logo_id")


def update_settings(actor, *, name: str, address: str | None, email_domain: str | None,
                    logo_file=None) -> bool:
    """Save the settings; False (and no audit entry) when the form changed nothing."""
    settings = OrganisationSettings.current()
    first_save = settings.id is None
    if first_save:
        db.session.add(settings)
        db.session.flush()
    before = snapshot(settings, *FIELDS)
    settings.name, settings.address = name.strip(), (address or "").strip() or None
    settings.email_domain = (email_domain or "").strip().lower() or None
    if logo_file is not None and logo_file.filename:
        settings.logo = store(logo_file, {"image/png", "image/jpeg"}, uploaded_by=actor,
                              subject=settings)
    db.session.flush()
    after = snapshot(settings, *FIELDS)
    if after == before and not first_save:
        return False
    record("organisation.updated", settings, before=before, after=after, actor=actor)
    return True
