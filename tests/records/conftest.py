from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hr_social.access_requests import services as access_ops
from hr_social.access_requests.models import Platform
from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign, PolicyVersion
from hr_social.attachments.services import store_bytes
from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.records import requests_services, retention
from tests.discipline.conftest import policy, report, team  # noqa: F401 - shared fixtures

TODAY = dt.date(2033, 6, 15)
PDF = b"%PDF-1.4 signed acknowledgement of the policy"


@pytest.fixture
def clock(monkeypatch):
    """clock(day): the organisation's date is ``day`` for the records and discipline."""

    def freeze(day: dt.date):
        monkeypatch.setattr(retention, "local_today", lambda: day)
        monkeypatch.setattr(catalogue, "local_today", lambda: day)

    freeze(TODAY)
    return freeze


@pytest.fixture
def staff(make_service, make_person, make_user):
    """One user per role that matters here, the privacy officer included."""
    service = make_service("Greffe", "GRF")
    boss = make_person("Gisèle", "Gestion", service=service)
    worker = make_person("Émile", "Employé", service=service, manager=boss)
    return {
        "employee": make_user("employee", person=worker, username="r-emile"),
        "manager": make_user("employee", "manager", person=boss, username="r-gisele"),
        "hr": make_user("employee", "hr", username="r-rh"),
        "dg": make_user("employee", "dg", username="r-dg"),
        "privacy": make_user("employee", "privacy", username="r-rprp"),
        "communications": make_user("employee", "communications", username="r-comm"),
        "admin": make_user("employee", "admin", username="r-admin"),
    }


@pytest.fixture
def departed(make_person):
    """factory: a person who left on ``day`` (HR recorded the departure)."""

    def factory(day=dt.date(2026, 1, 31), **kw):
        person = make_person(**kw)
        person.is_active, person.departed_on = False, day
        db.session.commit()
        return person

    return factory


@pytest.fixture
def campaign(app, staff):
    version = PolicyVersion(title="Politique", version_label="r1",
                            effective_date=dt.date(2024, 1, 1), body="Texte.")
    db.session.add(version)
    db.session.flush()
    row = Campaign(policy_version_id=version.id)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def signed_ack(campaign):
    """factory: a person's signed acknowledgement, with its signed PDF in storage."""

    def factory(person, content: bytes = PDF):
        ack = Acknowledgement(campaign_id=campaign.id, person_id=person.id,
                              status=AckStatus.signed_electronic,
                              signed_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC),
                              policy_opened_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC),
                              signed_name=person.full_name, document_sha256="0" * 64)
        db.session.add(ack)
        db.session.flush()
        pdf = store_bytes(content, "application/pdf", "signature.pdf", subject=ack)
        ack.signed_pdf_id = pdf.id
        db.session.commit()
        return ack

    return factory


def rule(code: str, months: int, event: str, disposition: str, actor) -> None:
    retention.save_rule(actor, code, period_months=months, event=event,
                        disposition=disposition)
    db.session.commit()


def actions(prefix: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(prefix))
                              .order_by(AuditEvent.id)).all()


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
