"""After a grant: restrict, revoke, renew, review, expiry, registry for IT, delegation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from hr_social.access_requests import services as ops
from hr_social.access_requests.cli import expire as expire_command
from hr_social.access_requests.models import AccessItem, AccessRequest, Platform
from hr_social.audit.models import AuditEvent
from hr_social.audit.services import events_for
from hr_social.clock import local_today
from hr_social.db import db, utcnow
from hr_social.delegation.models import DgDelegation
from hr_social.people.events import person_departed, person_service_changed
from tests.access_requests.conftest import mails_to


@pytest.fixture
def granted(app, platforms, team):
    """Émile holds Facebook, granted by the DG."""
    request = ops.create_request(team["employee"], platform_ids=[platforms["Facebook"].id],
                                 purpose="Page du camp de jour", submit=True)
    ops.decide_request(team["dg"], request,
                       decisions={request.items[0].id: ops.ItemDecision(grant=True)})
    db.session.commit()
    return request.items[0]


def reload(item):
    db.session.rollback()
    return db.session.get(AccessItem, item.id)


def test_dg_restricts_then_hr_revokes_with_reasons_and_people_are_told(login_as, granted, team):
    dg = login_as(user=team["dg"])
    response = dg.submit(f"/access-requests/grants/{granted.id}/restrict",
                         {"conditions": "Lecture seulement", "reason": "Usage à encadrer"})
    assert response.status_code == 302
    assert reload(granted).state == "restricted"
    hr = login_as(user=team["hr"])
    response = hr.submit(f"/access-requests/grants/{granted.id}/revoke", {"reason": ""})
    assert reload(granted).state == "restricted"  # a reason is required
    response = hr.submit(f"/access-requests/grants/{granted.id}/revoke",
                         {"reason": "Fin du mandat"})
    item = reload(granted)
    assert (item.state, item.end_reason) == ("revoked", "Fin du mandat")
    assert "révoqué" in mails_to("emile@ville.test")[-1].body
    assert "révoqué" in mails_to("gestion@ville.test")[-1].body
    assert mails_to("emile@ville.test")[-1].subject.startswith("Votre accès à Facebook")
    assert mails_to("gestion@ville.test")[-1].subject.startswith("L'accès d'Émile")
    assert [e.action for e in events_for("access_items", item.id)] == [
        "access_grant.granted", "access_grant.restricted", "access_grant.revoked"]
    # Already revoked: a second revocation is refused, nothing changes.
    hr.submit(f"/access-requests/grants/{granted.id}/revoke", {"reason": "Encore"})
    assert reload(granted).end_reason == "Fin du mandat"


def test_employee_and_manager_may_not_revoke(login_as, granted, team):
    for user in (team["employee"], team["manager"]):
        client = login_as(user=user)
        response = client.submit(f"/access-requests/grants/{granted.id}/revoke",
                                 {"reason": "Je veux"})
        assert response.status_code == 403
    assert login_as(user=team["other"]).get(
        f"/access-requests/grants/{granted.id}").status_code == 404
    assert reload(granted).state == "granted"


def test_renew_is_one_action_and_clears_the_review_flag(login_as, granted, team):
    ops.flag_for_review(None, AccessItem.id == granted.id, reason="Test")
    db.session.commit()
    dg = login_as(user=team["dg"])
    assert "Page du camp" not in dg.get("/access-requests/reviews").get_data(as_text=True)
    assert "Test" in dg.get("/access-requests/reviews").get_data(as_text=True)
    target = local_today() + dt.timedelta(days=200)
    dg.submit(f"/access-requests/grants/{granted.id}/renew", {"review_on": target.isoformat()})
    item = reload(granted)
    assert (item.review_on, item.review_reason) == (target, None)
    assert "Aucun accès à réviser" in dg.get("/access-requests/reviews").get_data(as_text=True)
    dg.submit(f"/access-requests/grants/{granted.id}/renew", {"review_on": "2001-01-01"})
    assert reload(granted).review_on == target


def test_expire_ends_overdue_grants_and_is_idempotent(app, granted, team):
    item = reload(granted)
    item.review_on = local_today() - dt.timedelta(days=1)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(expire_command)
    assert "Accès échus : 1" in result.output
    assert reload(granted).state == "expired"
    assert "échu" in mails_to("emile@ville.test")[-1].body
    events = len(db.session.scalars(select(AuditEvent)).all())
    result = runner.invoke(expire_command)
    assert "Accès échus : 0" in result.output
    db.session.rollback()
    assert len(db.session.scalars(select(AuditEvent)).all()) == events


def test_expiring_notice_sent_once(app, granted):
    item = reload(granted)
    item.review_on = local_today() + dt.timedelta(days=10)
    db.session.commit()
    assert ops.expire().expiring_notices == 1
    db.session.commit()
    assert ops.expire().expiring_notices == 0
    assert "arrive à échéance" in mails_to("emile@ville.test")[-1].subject
    assert [e.action for e in events_for("access_items", item.id)][-1] == \
        "access_grant.expiry_notified"


def test_undecided_requests_are_flagged_then_closed(app, platforms, team):
    request = ops.create_request(team["employee"], platform_ids=[platforms["YouTube"].id],
                                 purpose="Vidéos du conseil", submit=True)
    db.session.commit()
    now = utcnow()
    report = ops.expire(now + dt.timedelta(days=31))
    db.session.commit()
    assert (report.flagged, report.lapsed) == (1, 0)
    assert "en retard" in mails_to("dg@ville.test")[-1].subject
    assert ops.expire(now + dt.timedelta(days=32)).flagged == 0
    report = ops.expire(now + dt.timedelta(days=61))
    db.session.commit()
    assert report.lapsed == 1
    request = db.session.get(AccessRequest, request.id)
    assert request.state == "lapsed" and not request.items[0].is_open
    assert "fermée sans décision" in mails_to("emile@ville.test")[-1].subject


def test_registry_lists_current_grants_as_csv_and_json_for_it(login_as, granted, team):
    admin = login_as("admin")
    page = admin.get("/access-requests/registry?q=Employ").get_data(as_text=True)
    assert "Facebook" in page and "Employé, Émile" in page
    assert "Aucun accès" in admin.get("/access-requests/registry?q=zzz").get_data(as_text=True)
    csv_text = admin.get("/access-requests/registry.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].lstrip("\ufeff").startswith("person,employee_number")
    assert "Émile Employé" in csv_text and "*.Facebook.com" in csv_text
    data = json.loads(admin.get("/access-requests/registry.json").get_data(as_text=True))
    assert [g["platform"] for g in data["grants"]] == ["Facebook"]
    assert login_as("employee").get("/access-requests/registry.json").status_code == 403


def test_delegate_decides_in_the_dgs_name(login_as, platforms, team, make_user):
    delegate = make_user("employee", username="adjoint", first_name="Adèle")
    dg = login_as(user=team["dg"])
    day = local_today()
    response = dg.submit("/access-requests/delegation", {
        "delegate": delegate.id, "starts_on": day.isoformat(),
        "ends_on": (day + dt.timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    request = ops.create_request(team["employee"], platform_ids=[platforms["Facebook"].id],
                                 purpose="Page du camp", submit=True)
    db.session.commit()
    client = login_as(user=delegate)
    assert "Émile" in client.get("/access-requests/queue").get_data(as_text=True)
    client.submit(f"/access-requests/{request.id}/decide",
                  {f"decision-{request.items[0].id}": "grant"})
    db.session.rollback()
    decided = db.session.get(AccessRequest, request.id)
    assert decided.state == "decided" and decided.decided_for_id == team["dg"].id
    event = events_for("access_requests", request.id)[-1]
    assert event.on_behalf_of_label.startswith(team["dg"].display_name)
    delegation = db.session.scalars(select(DgDelegation)).one()
    dg.submit(f"/access-requests/delegation/{delegation.id}/cancel")
    assert client.get("/access-requests/queue").status_code == 403


def test_platform_added_is_requestable_and_puts_grants_up_for_review(login_as, granted, team):
    admin = login_as("admin")
    response = admin.submit("/access-requests/platforms/new",
                            {"name": "Threads", "category": "social"})
    assert response.status_code == 302
    assert "Nouvelle plateforme" in reload(granted).review_reason
    employee = login_as(user=team["employee"])
    assert "Threads" in employee.get("/access-requests/new").get_data(as_text=True)
    again = admin.submit("/access-requests/platforms/new", {"name": "Threads",
                                                            "category": "social"})
    assert "déjà au catalogue" in again.get_data(as_text=True)


def test_retiring_a_platform_flags_its_grants(login_as, granted, platforms):
    admin = login_as("admin")
    admin.submit(f"/access-requests/platforms/{platforms['Facebook'].id}/retire")
    assert "retirée" in reload(granted).review_reason
    assert not db.session.get(Platform, platforms["Facebook"].id).is_active
    page = admin.get("/access-requests/platforms?status=retired").get_data(as_text=True)
    assert "Facebook" in page
    response = admin.submit(f"/access-requests/platforms/{platforms['YouTube'].id}/edit",
                            {"name": "YouTube", "category": "video",
                             "address_pattern": "*.youtube.com"})
    assert response.status_code == 302


def test_service_change_flags_and_departure_revokes(app, granted, team):
    person = team["employee"].person
    person_service_changed.send(person, actor=team["hr"], old_service_id=1, new_service_id=2)
    db.session.commit()
    assert reload(granted).review_reason == "Changement de service de la personne"
    open_request = ops.create_request(team["employee"], purpose="Vidéos",
                                      platform_ids=[granted.platform_id + 2], submit=True)
    db.session.commit()
    person = db.session.get(type(person), person.id)
    person_departed.send(person, actor=team["hr"])
    db.session.commit()
    assert reload(granted).state == "revoked"
    assert db.session.get(AccessRequest, open_request.id).state == "withdrawn"


def test_dashboard_cards(login_as, platforms, team, granted):
    ops.create_request(team["employee"], platform_ids=[platforms["YouTube"].id],
                       purpose="Vidéos", submit=True)
    db.session.commit()
    item = reload(granted)
    item.review_on = local_today() + dt.timedelta(days=5)
    db.session.commit()
    page = login_as(user=team["dg"]).get("/").get_data(as_text=True)
    assert "Demandes d&#39;accès à décider" in page and "Accès à réviser" in page
    assert "Mes demandes d&#39;accès" in login_as(user=team["employee"]).get("/").get_data(
        as_text=True)


def test_lists_filter_by_status_platform_service_and_date(login_as, granted, team, platforms):
    hr = login_as(user=team["hr"])
    base = "/access-requests/"
    assert "Émile" in hr.get(base + "?status=decided").get_data(as_text=True)
    assert "Aucune demande" in hr.get(base + "?status=draft").get_data(as_text=True)
    assert "Aucune demande" in hr.get(
        base + f"?platform={platforms['YouTube'].id}").get_data(as_text=True)
    assert "Émile" in hr.get(
        base + f"?service={team['service'].id}&from=2000-01-01&to=2999-01-01").get_data(
        as_text=True)
    assert "Aucune demande" in hr.get(base + "?to=2000-01-01").get_data(as_text=True)
    assert "Émile" in hr.get(base + "?q=mile&from=bad").get_data(as_text=True)


def test_long_lists_are_paginated(app, login_as, granted, team, platforms):
    ops.create_request(team["employee"], platform_ids=[platforms["YouTube"].id],
                       purpose="Vidéos", submit=True)
    db.session.commit()
    app.config["PAGE_SIZE"] = 1
    hr = login_as(user=team["hr"])
    first = hr.get("/access-requests/").get_data(as_text=True)
    assert "Page 1 sur 2" in first and "Suivante" in first
    second = hr.get("/access-requests/?page=2").get_data(as_text=True)
    assert "Précédente" in second
