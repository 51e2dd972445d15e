from __future__ import annotations

import pytest
from sqlalchemy import select

from hr_social.access_requests.models import AccessRequest, Platform
from hr_social.db import db
from hr_social.mail.models import OutgoingEmail


@pytest.fixture
def platforms(app):
    made = {}
    for name, category in (("Facebook", "social"), ("LinkedIn", "professional"),
                           ("YouTube", "video")):
        made[name] = Platform(name=name, category=category, address_pattern=f"*.{name}.com")
        db.session.add(made[name])
    db.session.commit()
    return made


@pytest.fixture
def team(make_service, make_person, make_user):
    """A DG, a manager and her report (the requester), an HR officer."""
    service = make_service("Loisirs", "LOI")
    boss = make_person("Gisèle", "Gestion", service=service, email="gestion@ville.test")
    employee = make_person("Émile", "Employé", service=service, manager=boss,
                           email="emile@ville.test")
    return {
        "service": service,
        "employee": make_user("employee", person=employee, username="emile"),
        "manager": make_user("employee", "manager", person=boss, username="gisele"),
        "dg": make_user("employee", "dg", username="dg", email="dg@ville.test"),
        "hr": make_user("employee", "hr", username="rh", email="rh@ville.test"),
        "other": make_user("employee", username="autre"),
    }


def mails_to(address: str) -> list[OutgoingEmail]:
    db.session.rollback()
    return db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.to_address == address)
        .order_by(OutgoingEmail.id)).all()


def requests_count() -> int:
    db.session.rollback()
    return len(db.session.scalars(select(AccessRequest)).all())
