"""The person's file: every domain's records on one person, time-ordered, each domain's
confidentiality applied for the viewer, role by role."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.records import person_file
from tests.conftest import login
from tests.discipline.conftest import sanctioned


def _days_ago(days: int) -> dt.date:
    return catalogue.today() - dt.timedelta(days=days)


def _file(client, person, **args):
    return client.get(f"/records/people/{person.id}", query_string=args)


def test_hr_sees_every_domain_newest_first_with_links(client, team, report, access_request):
    employee = team["employee"]
    case = sanctioned(team, report())
    request = access_request(employee)
    login(client, team["hr"])
    response = _file(client, employee.person)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/discipline/{case.id}"' in page
    assert f'href="/access-requests/{request.id}"' in page
    assert f'href="/people/{employee.person.id}"' in page
    # newest first: the access request was made after the case, the person's record first
    order = [page.index(f'href="{url}"') for url in (
        f"/access-requests/{request.id}", f"/discipline/{case.id}",
        f"/people/{employee.person.id}")]
    assert order == sorted(order)


def test_the_person_sees_their_own_notified_decision_not_an_open_case(client, team, report):
    employee = team["employee"]
    notified = sanctioned(team, report())
    pending = report(facts_on=_days_ago(20))
    login(client, employee)
    page = _file(client, employee.person).get_data(as_text=True)
    assert f"/discipline/{notified.id}" in page
    assert f"/discipline/{pending.id}" not in page
    assert client.get("/records/mine").headers["Location"].endswith(
        f"/records/people/{employee.person.id}")


def test_others_get_404_and_nothing_is_recorded(client, team, report):
    target = team["employee"].person
    sanctioned(team, report())
    opened = select(func.count()).select_from(AuditEvent).where(
        AuditEvent.target_type == "person_files")
    for role in ("colleague", "outsider", "communications", "admin", "dg"):
        other = login(client.application.test_client(), team[role])
        assert _file(other, target).status_code == 404, role
    assert db.session.scalar(opened) == 0
    login(client, team["hr"])
    assert _file(client, target).status_code == 200
    assert db.session.scalar(opened) == 1  # who opened whose file is in the trail


def test_amnestied_sanction_hidden_by_default_shown_to_hr_on_request_audited(
        client, team, report):
    employee = team["employee"]
    old = sanctioned(team, report(facts_on=_days_ago(400), by="hr"))
    current = sanctioned(team, report(facts_on=_days_ago(30), by="hr"),
                         code="written_reprimand", justification="Faute grave et répétée.")
    login(client, team["hr"])
    page = _file(client, employee.person).get_data(as_text=True)
    assert f"/discipline/{current.id}" in page
    assert f"/discipline/{old.id}" not in page
    assert "hidden=1" in page
    page = _file(client, employee.person, hidden=1).get_data(as_text=True)
    assert f"/discipline/{old.id}" in page and "sanction amnistiée" in page
    shown = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "discipline_case.amnestied_shown",
        AuditEvent.target_id == str(old.id))).all()
    assert len(shown) == 1


def test_manager_sees_counting_sanctions_of_the_team_never_amnestied_ones(
        client, team, report):
    employee = team["employee"]
    old = sanctioned(team, report(facts_on=_days_ago(400)))
    current = sanctioned(team, report(facts_on=_days_ago(30), by="hr"),
                         code="written_reprimand", justification="Faute grave et répétée.")
    login(client, team["manager"])
    for args in ({}, {"hidden": 1}):
        page = _file(client, employee.person, **args).get_data(as_text=True)
        assert f"/discipline/{current.id}" in page
        assert f"/discipline/{old.id}" not in page


def test_the_person_sees_their_amnestied_decision(client, team, report):
    old = sanctioned(team, report(facts_on=_days_ago(400)))
    login(client, team["employee"])
    page = _file(client, team["employee"].person).get_data(as_text=True)
    assert f"/discipline/{old.id}" in page


def test_manager_sees_no_acknowledgement_and_only_what_access_requests_allow(
        client, team, access_request):
    employee = team["employee"]
    request = access_request(employee)
    login(client, team["manager"])
    page = _file(client, employee.person).get_data(as_text=True)
    assert f"/access-requests/{request.id}" in page  # a manager reads the team's requests
    entries = person_file.entries(employee.person, team["communications"])
    assert {e.record_type for e in entries} == set()  # no domain shows communications this


def test_file_is_paginated(client, team, access_request):
    employee = team["employee"]
    for n in range(27):
        access_request(employee, purpose=f"Demande numéro {n}")
    login(client, team["hr"])
    first = _file(client, employee.person).get_data(as_text=True)
    second = _file(client, employee.person, page=2).get_data(as_text=True)
    assert "Page 1 sur 2" in first and "Page 2 sur 2" in second
    assert len(re.findall(r'href="/access-requests/\d+"', first)) == 25
    assert len(re.findall(r'href="/access-requests/\d+"', second)) == 2
    assert _file(client, employee.person, page="x").status_code == 200


def test_the_person_page_links_to_the_file_for_those_who_may_open_it(client, team):
    person = team["employee"].person
    link = f'href="/records/people/{person.id}"'
    for role, shown in (("hr", True), ("manager", True), ("employee", True), ("dg", False),
                        ("admin", False)):
        viewer = login(client.application.test_client(), team[role])
        page = viewer.get(f"/people/{person.id}").get_data(as_text=True)
        assert (link in page) is shown, role
