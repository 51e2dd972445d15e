"""The confidentiality matrix, role by role and owner by owner, and the trail of readings."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.discipline.models import Case
from tests.discipline.conftest import sanctioned


@pytest.fixture
def cases(team, report):
    """One case in each situation the matrix distinguishes."""
    made = {
        "reported_by_manager": report(),
        "notified_team": sanctioned(team, report(by="hr")),
        "decided_not_notified": sanctioned(team, report(by="hr"), notified=False),
        "outsider": report(person=team["outsider"].person, by="hr"),
        "confidential": report(person=team["colleague"].person, by="employee",
                               confidential=True),
        "about_manager": report(person=team["manager"].person, by="hr"),
    }
    old = report(person=team["colleague"].person, by="hr", facts_on=dt.date(2024, 1, 10))
    made["amnestied_team"] = sanctioned(team, old)
    return made


# role -> cases whose page answers 200 (all others: 404)
MATRIX = {
    "hr": "all",
    "dg": "all",
    "manager": {"reported_by_manager", "notified_team", "decided_not_notified"},
    "employee": {"notified_team"},
    "colleague": {"amnestied_team"},  # their own decision, amnestied but still theirs
    "outsider": set(),
    "communications": set(),
    "admin": set(),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_each_role_reads_exactly_its_cases(login_as, team, cases, role):
    client = login_as(user=team[role])
    expected = set(cases) if MATRIX[role] == "all" else MATRIX[role]
    for name, case in cases.items():
        status = client.get(f"/discipline/{case.id}").status_code
        assert status == (200 if name in expected else 404), (role, name, status)
    listed = client.get("/discipline/").get_data(as_text=True)
    for name, case in cases.items():
        link = f'href="/discipline/{case.id}"'
        assert (link in listed) == (name in expected), (role, name)


def test_manager_no_longer_sees_amnestied_or_other_team_sanctions(team, cases):
    visible = db.session.scalars(Case.visible_to(team["manager"])).all()
    assert cases["amnestied_team"] not in visible
    assert cases["about_manager"] not in visible  # her own case is not notified yet


def test_every_opening_is_audited_with_who_and_what(login_as, team, cases):
    client = login_as(user=team["dg"])
    case = cases["notified_team"]
    client.get(f"/discipline/{case.id}")
    client.get(f"/discipline/{case.id}")
    db.session.rollback()
    openings = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "discipline_case.opened",
        AuditEvent.target_id == str(case.id))).all()
    assert len(openings) == 2 and {e.actor_user_id for e in openings} == {team["dg"].id}


def test_refused_readings_are_not_recorded_as_openings(login_as, team, cases):
    client = login_as(user=team["admin"])
    assert client.get(f"/discipline/{cases['outsider'].id}").status_code == 404
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "discipline_case.opened")) is None


def test_the_person_sees_the_decision_but_not_the_reporter(login_as, team, report):
    case = sanctioned(team, report(person=team["colleague"].person, by="employee",
                                   confidential=True))
    page = login_as(user=team["colleague"]).get(f"/discipline/{case.id}").get_data(
        as_text=True)
    assert "Avertissement verbal" in page and "Confidentiel" in page
    assert "Émile" not in page


def test_own_file_lists_only_notified_decisions(login_as, team, cases):
    import io

    from pypdf import PdfReader

    response = login_as(user=team["employee"]).get("/discipline/mine/file.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert f"Dossier n° {cases['notified_team'].id}" in text
    assert f"Dossier n° {cases['decided_not_notified'].id}" not in text
    assert "Signalé par" not in text and catalogue.today()


@pytest.mark.parametrize("url", ["/audit/", "/audit/?target_type=discipline_cases",
                                 "/audit/?action=discipline_case.", "/audit/export.csv",
                                 "/admin/outbox/"])
def test_audit_and_outbox_show_discipline_details_only_to_readers_of_the_case(
        login_as, make_user, team, report, url):
    import html

    case = sanctioned(team, report(by="hr"))
    # The audit filter lists every action by name; the entries start after it.
    secrets = ("Sanction décidée", "Nouveau signalement disciplinaire")
    admin = html.unescape(login_as(user=team["admin"]).get(url).get_data(as_text=True))
    admin = admin.split("</select>")[-1]
    assert [s for s in secrets if s in admin] == []
    reader = make_user("employee", "hr", "admin", username="rh-admin")
    page = html.unescape(login_as(user=reader).get(url).get_data(as_text=True))
    expected = secrets[0] if url.startswith("/audit") else secrets[1]
    assert expected in page and case.id
