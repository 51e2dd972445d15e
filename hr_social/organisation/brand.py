"""The organisation as pages, e-mails and PDFs name it: ``organisation_brand()`` in every
template (header, login page, e-mail signature), read once per request or job."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g

from hr_social.organisation.models import OrganisationSettings


@dataclass(frozen=True)
class Brand:
    name: str
    address: str
    logo_id: int | None  # the logo is served by organisation.logo?v=<logo_id>


def organisation_brand() -> Brand:
    brand = g.get("_organisation_brand")
    if brand is None:
        settings = OrganisationSettings.current()
        brand = Brand(settings.name, settings.address or "", settings.logo_id)
        g._organisation_brand = brand
    return brand


def forget() -> None:
    """After the settings change, the same request shows the new ones."""
    g.pop("_organisation_brand", None)
