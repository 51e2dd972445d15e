from __future__ import annotations

from pathlib import Path

from hr_social.attachments.services import store, store_bytes
from hr_social.audit.services import record, snapshot
from hr_social.db import db
from hr_social.organisation.brand import forget
from hr_social.organisation.models import OrganisationSettings

FIELDS = ("name", "address", "email_domain", "logo_id")
# A neutral municipal logo drawn for the demo (no real town's emblem).
DEMO_LOGO = Path(__file__).parent / "assets" / "demo-logo.svg"
# An uploaded logo is checked by its bytes (attachments.sniff_type): PNG or JPEG only. An
# SVG can carry scripts and links, so none is accepted from a browser.
LOGO_TYPES = {"image/png", "image/jpeg"}


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
    if getattr(logo_file, "filename", None):  # an upload (not the current logo itself)
        settings.logo = store(logo_file, LOGO_TYPES, uploaded_by=actor, subject=settings)
    db.session.flush()
    forget()
    after = snapshot(settings, *FIELDS)
    if after == before and not first_save:
        return False
    record("organisation.updated", settings, before=before, after=after, actor=actor)
    return True


def use_demo_logo(actor=None) -> None:
    """The demo's logo: our own SVG file, shipped with the code (never an upload)."""
    settings = OrganisationSettings.current()
    if settings.id is None:
        db.session.add(settings)
        db.session.flush()
    before = snapshot(settings, "logo_id")
    settings.logo = store_bytes(DEMO_LOGO.read_bytes(), "image/svg+xml", "logo-demo.svg",
                                uploaded_by=actor, subject=settings)
    db.session.flush()
    forget()
    record("organisation.updated", settings, before=before,
           after=snapshot(settings, "logo_id"), actor=actor)
