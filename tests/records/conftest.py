from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from hr_social.access_requests import services as access_ops
from hr_social.access_requests.models import Platform
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.records import requests_services
from tests.discipline.conftest import policy, report, team  # noqa: F401 - shared fixtures


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def frozen(monkeypatch):
    """freeze(day): the organisation's date for the register and for discipline's amnesty."""

    def freeze(day: dt.date) -> None:
        monkeypatch.setattr(requests_services, "today", lambda: day)
        monkeypatch.setattr(catalogue, "today", lambda: day)

    return freeze


@pytest.fixture
def access_request(app):
    """factory: a draft access request by a user (a platform of its own, committed)."""
    counter = iter(range(1, 10_000))

    def factory(user, purpose="Publier les activités du service des loisirs."):
        platform = Platform(name=f"Plateforme {next(counter)}", category="social")
        db.session.add(platform)
        db.session.flush()
        found = access_ops.create_request(user, platform_ids=[platform.id], purpose=purpose)
        db.session.commit()
        return found

    return factory
