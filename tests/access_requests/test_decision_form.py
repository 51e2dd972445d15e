"""The DG's decision page : checked before it asks for confirmation, every choice kept on an
error, and each message names the platform in fault, next to its field."""

from __future__ import annotations

from sqlalchemy import select

from hr_social.access_requests.models import AccessRequest
from hr_social.audit.services import events_for
from hr_social.db import db
from tests.access_requests.test_requests import ask


def _submitted(login_as, platforms, team):
    client = login_as(user=team["employee"])
    ask(client, platforms, "Facebook", "YouTube")
    request = db.session.scalars(select(AccessRequest)).one()
    return request, request.items[0], request.items[1]


def test_a_refused_check_keeps_every_choice_and_names_the_platform(login_as, platforms, team):
    request, first, second = _submitted(login_as, platforms, team)
    audit_before = len(events_for("access_requests", request.id))
    client = login_as(user=team["dg"])
    response = client.submit(f"/access-requests/{request.id}/decide", {
        "step": "check", f"decision-{first.id}": "refuse",
        f"conditions-{first.id}": "Heures de bureau seulement",
        "note": "Revoir dans un an"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # the platform in fault is named next to its field, not only at the top of the page
    assert f'id="reason-{first.id}-error"' in html
    assert "Facebook : indiquez le motif du refus." in html
    assert f'id="decision-{second.id}-error"' in html
    assert "YouTube : choisissez « Accorder » ou « Refuser »." in html
    # what the DG chose and typed is still there
    assert f'id="refuse-{first.id}" name="decision-{first.id}" value="refuse" checked' in html
    assert 'value="Heures de bureau seulement"' in html
    assert "Revoir dans un an" in html
    assert 'id="decision-summary"' not in html  # no confirmation asked for a wrong decision
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).state == "submitted"
    assert len(events_for("access_requests", request.id)) == audit_before


def test_a_valid_check_asks_for_confirmation_and_only_confirming_decides(
        login_as, platforms, team):
    request, first, second = _submitted(login_as, platforms, team)
    client = login_as(user=team["dg"])
    choices = {f"decision-{first.id}": "grant", f"decision-{second.id}": "refuse",
               f"reason-{second.id}": "Pas de besoin pour ce poste"}
    response = client.submit(f"/access-requests/{request.id}/decide",
                             {"step": "check", **choices})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="decision-summary"' in html
    assert "YouTube : refusé (Pas de besoin pour ce poste)" in html
    assert 'name="step" value="confirm"' in html
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).state == "submitted"

    response = client.submit(f"/access-requests/{request.id}/decide",
                             {"step": "confirm", **choices})
    assert response.status_code == 302
    db.session.rollback()
    decided = db.session.get(AccessRequest, request.id)
    assert (decided.state, decided.outcome) == ("decided", "partial")
