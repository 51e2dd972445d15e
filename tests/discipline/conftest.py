from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hr_social.acknowledgements import policy_services
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.discipline import services as ops
from hr_social.discipline.models import Case, SanctionLevel

POLICY_BODY = (
    "## 3 Règles\n\nTexte d'essai.\n\n"
    "## 3.1 Propos\n\nÉviter les propos blessants envers les collègues.\n\n"
    "## 3.2 Logo\n\nLe logo s'utilise avec une autorisation écrite.\n\n"
    "## 3.4 Confidentialité\n\nProtéger les renseignements des citoyens.\n\n"
    "## 4 Accès\n\nDemander l'accès avant d'ouvrir un compte.\n"
)


@pytest.fixture
def team(make_service, make_person, make_user):
    """A manager and two of her reports, an outsider, HR, the DG, communications, admin."""
    service = make_service("Loisirs", "LOI")
    boss = make_person("Gisèle", "Gestion", service=service, email="gestion@ville.test")
    employee = make_person("Émile", "Employé", service=service, manager=boss,
                           email="emile@ville.test")
    colleague = make_person("Cécile", "Collègue", service=service, manager=boss)
    outsider = make_person("Olivier", "Ailleurs")
    return {
        "employee": make_user("employee", person=employee, username="emile"),
        "colleague": make_user("employee", person=colleague, username="cecile"),
        "manager": make_user("employee", "manager", person=boss, username="gisele"),
        "outsider": make_user("employee", person=outsider, username="olivier"),
        "hr": make_user("employee", "hr", username="rh", email="rh@ville.test"),
        "dg": make_user("employee", "dg", username="dg", email="dg@ville.test"),
        "communications": make_user("employee", "communications", username="comm"),
        "admin": make_user("employee", "admin", username="admin"),
    }


@pytest.fixture
def policy(app, team):
    version = policy_services.create_version(
        team["hr"], title="Politique médias sociaux", version_label="2020",
        effective_date=dt.date(2020, 1, 1), body=POLICY_BODY)
    policy_services.publish_version(team["hr"], version)
    catalogue.clauses_for(version)  # the kept lists, committed like a first visit would
    catalogue.ladder()
    db.session.commit()
    return version


def clause_ids(version, *codes):
    return [c.id for c in catalogue.clauses_for(version) if c.code in codes]


def level(code) -> SanctionLevel:
    catalogue.ladder()
    return db.session.scalar(select(SanctionLevel).where(SanctionLevel.code == code))


@pytest.fixture
def report(policy, team):
    """factory: an incident about the employee, logged by the manager (committed)."""

    def factory(person=None, facts_on=dt.date(2026, 1, 15), by="manager", **kw):
        person = person or team["employee"].person
        case = ops.report_incident(
            team[by], person, facts_on=facts_on, place=kw.pop("place", "Facebook"),
            facts=kw.pop("facts", "Une publication dénigrante au sujet d'un collègue."),
            clause_ids=kw.pop("clause_ids") if "clause_ids" in kw
            else clause_ids(policy, "3.1-remarks"), **kw)
        db.session.commit()
        return case

    return factory


def sanctioned(team, case, code="verbal_warning", notified=True, **kw):
    """Take a case through to a notified sanction without a hearing (reason given)."""
    hr = team["hr"]
    if case.state == "reported":
        ops.take(hr, case)
    ops.decide(hr, case, level_id=level(code).id, gravity=kw.pop("gravity", "moderate"),
               no_hearing_reason="La personne a refusé de se présenter.", **kw)
    if notified and case.state == "decided":
        ops.notify(hr, case, notified_on=catalogue.today(), method="hand")
    db.session.commit()
    return case


def reload(case) -> Case:
    db.session.rollback()
    return db.session.get(Case, case.id)
