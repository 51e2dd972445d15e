"""§4: access follows the DG's approval, renewals too. HR proposes, the DG (or the delegate)
decides; HR alone cannot extend a grant."""

from __future__ import annotations

import datetime as dt

import pytest

from hr_social.access_requests import services as ops
from hr_social.access_requests.models import AccessItem
from hr_social.audit.services import events_for
from hr_social.clock import local_today as today
from hr_social.db import db
from hr_social.delegation.models import DgDelegation
from tests.access_requests.conftest import mails_to


@pytest.fixture
def granted(app, platforms, team):
    request = ops.create_request(team["employee"], platform_ids=[platforms["Facebook"].id],
                                 purpose="Page du camp de jour", submit=True)
    ops.decide_request(team["dg"], request,
                       decisions={request.items[0].id: ops.ItemDecision(grant=True)})
    db.session.commit()
    return request.items[0]


def reload(item) -> AccessItem:
    db.session.rollback()
    return db.session.get(AccessItem, item.id)


def test_hr_cannot_renew_a_grant_on_its_own(login_as, granted, team):
    before = reload(granted).review_on
    hr = login_as(user=team["hr"])
    page = hr.get(f"/access-requests/grants/{granted.id}").get_data(as_text=True)
    assert "Renouveler l'accès" not in page and "Proposer à la Direction générale" in page
    target = today() + dt.timedelta(days=500)
    response = hr.submit(f"/access-requests/grants/{granted.id}/renew",
                         {"review_on": target.isoformat()})
    assert response.status_code == 403
    assert reload(granted).review_on == before


def test_hr_proposes_the_dg_renews_with_the_proposed_date(login_as, granted, team):
    before = reload(granted).review_on
    target = today() + dt.timedelta(days=400)
    hr = login_as(user=team["hr"])
    response = hr.submit(f"/access-requests/grants/{granted.id}/propose-renewal",
                         {"review_on": target.isoformat()})
    assert response.status_code == 302
    item = reload(granted)
    assert (item.review_on, item.renewal_proposed_on) == (before, target)  # nothing yet
    assert "Renouvellement à décider" in mails_to("dg@ville.test")[-1].subject
    # A second proposal while the first waits is refused.
    hr.submit(f"/access-requests/grants/{granted.id}/propose-renewal", {"review_on": ""})
    assert reload(granted).renewal_proposed_on == target

    dg = login_as(user=team["dg"])
    assert "Émile" in dg.get("/access-requests/reviews").get_data(as_text=True)
    assert "Renouvellement proposé" in dg.get(
        f"/access-requests/grants/{granted.id}").get_data(as_text=True)
    response = dg.submit(f"/access-requests/grants/{granted.id}/renew", {"review_on": ""})
    assert response.status_code == 302
    item = reload(granted)
    assert (item.review_on, item.renewal_proposed_on) == (target, None)
    assert "a renouvelé" in mails_to("rh@ville.test")[-1].body
    events = events_for("access_items", item.id)
    assert [e.action for e in events] == [
        "access_grant.granted", "access_grant.renewal_proposed", "access_grant.renewed"]
    assert events[-1].actor_label and "dg" in events[-1].actor_label.lower()


def test_the_dg_declines_a_proposal_with_a_reason(login_as, granted, team):
    before = reload(granted).review_on
    hr = login_as(user=team["hr"])
    hr.submit(f"/access-requests/grants/{granted.id}/propose-renewal", {"review_on": ""})
    dg = login_as(user=team["dg"])
    dg.submit(f"/access-requests/grants/{granted.id}/decline-renewal", {"reason": ""})
    assert reload(granted).renewal_proposed_on is not None  # a reason is required
    dg.submit(f"/access-requests/grants/{granted.id}/decline-renewal",
              {"reason": "Le projet se termine"})
    item = reload(granted)
    assert (item.review_on, item.renewal_proposed_on) == (before, None)
    assert item.renewal_decision_note == "Le projet se termine"
    assert "Le projet se termine" in mails_to("rh@ville.test")[-1].body


def test_the_delegate_renews_in_the_dgs_name(login_as, granted, team, make_user):
    delegate = make_user("employee", username="delegue")
    db.session.add(DgDelegation(dg_user_id=team["dg"].id, delegate_user_id=delegate.id,
                                starts_on=today(), ends_on=today()))
    db.session.commit()
    target = today() + dt.timedelta(days=300)
    client = login_as(user=delegate)
    response = client.submit(f"/access-requests/grants/{granted.id}/renew",
                             {"review_on": target.isoformat()})
    assert response.status_code == 302
    assert reload(granted).review_on == target
    event = events_for("access_items", granted.id)[-1]
    assert event.action == "access_grant.renewed" and event.on_behalf_of_label
