"""The organisation as pages, e-mails and PDFs name it: ``organisation_brand()`` in every
template (header, login page, e-mail signature), read once per request or job."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, g

from hr_social.organisation.models import OrganisationSettings

_KEY = "hr_social.organisation_brand"


@dataclass(frozen=True)
class Brand:
    name: str
    address: str
    logo_id: int | None  # the logo is served by organisation.logo?v=<logo_id>


def organisation_brand() -> Brand:
    brand = g.get("_organisation_brand")
    if brand is None:
        brand = g._organisation_brand = _kept_brand()
    return brand


def _kept_brand() -> Brand:
    """Every page shows the brand, and it changes once in a blue moon: each process keeps
    it ``ORGANISATION_BRAND_CACHE_SECONDS`` (the process that saves new settings forgets it
    at once; the other workers follow within that delay)."""
    kept = current_app.extensions.get(_KEY)
    now = time.monotonic()
    if kept is not None and now - kept[0] < current_app.config["ORGANISATION_BRAND_CACHE_SECONDS"]:
        return kept[1]
    settings = OrganisationSettings.current()
    brand = Brand(settings.name, settings.address or "", settings.logo_id)
    current_app.extensions[_KEY] = (now, brand)
    return brand


def forget() -> None:
    """After the settings change, the same request and this process show the new ones."""
    g.pop("_organisation_brand", None)
    current_app.extensions.pop(_KEY, None)
