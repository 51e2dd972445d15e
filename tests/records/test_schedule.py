"""The retention schedule: sensible defaults for every declared record type, kept by HR,
read by the DG and the privacy officer, every change audited, bad input refused whole."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hr_social.db import db
from hr_social.records import retention
from hr_social.records.models import RetentionRule
from tests.conftest import login
from tests.records.conftest import actions

ACK = "acknowledgements.acknowledgement"
PREFIX = "acknowledgements-acknowledgement"


def form(months="72", event="departure", disposition="destroy"):
    return {f"{PREFIX}-period_months": months, f"{PREFIX}-event": event,
            f"{PREFIX}-disposition": disposition, f"{PREFIX}-submission_key": "k" + months}


def test_every_domain_declares_its_record_types_with_a_default(app):
    rules = {r.record_type.code: r for r in retention.schedule()}
    assert set(rules) >= {"access_requests.request", ACK, "communications.logo_authorization",
                          "discipline.case", "people.person"}
    assert all(r.is_default for r in rules.values())
    assert (rules["people.person"].event, rules["people.person"].disposition) == (
        "departure", "anonymise")
    assert rules["discipline.case"].event == "amnesty"


@pytest.mark.parametrize("role, expected", [
    ("hr", 200), ("dg", 200), ("privacy", 200), ("employee", 403), ("manager", 403),
    ("communications", 403), ("admin", 403)])
def test_who_reads_the_schedule_and_the_register(client, staff, role, expected):
    login(client, staff[role])
    for url in ("/records/retention", "/records/disposals", "/records/retention/preview"):
        assert client.get(url).status_code == expected, url


def test_hr_changes_a_rule_and_it_is_audited(client, staff):
    login(client, staff["hr"])
    page = client.get("/records/retention").get_data(as_text=True)
    assert "Prises de connaissance de la politique" in page and "valeur par défaut" in page
    response = client.submit(f"/records/retention/{ACK}", data=form())
    assert response.status_code == 302
    row = db.session.scalar(select(RetentionRule).where(RetentionRule.record_type == ACK))
    assert (row.period_months, row.event, row.disposition) == (72, "departure", "destroy")
    (entry,) = actions("records_rule.changed")
    assert entry.before == {"period_months": 60, "event": "departure",
                            "disposition": "destroy"}
    assert entry.after["period_months"] == 72 and entry.actor_user_id == staff["hr"].id


@pytest.mark.parametrize("role", ["dg", "privacy", "employee"])
def test_only_hr_changes_the_schedule(client, staff, role):
    login(client, staff[role])
    assert client.submit(f"/records/retention/{ACK}", data=form()).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(RetentionRule)) == 0


@pytest.mark.parametrize("data, message", [
    (form(months="-1"), "de 0 à 1200"),
    (form(months="1201"), "de 0 à 1200"),
    (form(event="amnesty"), "Choisissez un événement proposé"),
    (form(disposition="anonymise"), "Ce sort n&#39;est pas possible"),
    (form(disposition="burn"), "Ce sort n&#39;est pas possible"),
])
def test_bad_rules_are_refused_and_nothing_changes(client, staff, data, message):
    login(client, staff["hr"])
    response = client.submit(f"/records/retention/{ACK}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RetentionRule)) == 0
    assert actions("records_rule.changed") == []


def test_an_unknown_record_type_is_404(client, staff):
    login(client, staff["hr"])
    assert client.submit("/records/retention/nope.nope", data=form()).status_code == 404


def test_keep_is_always_possible_and_destroy_only_where_declared(app, staff):
    retention.save_rule(staff["hr"], "people.person", period_months=0, event="departure",
                        disposition="keep")
    with pytest.raises(retention.InvalidRule):
        retention.save_rule(staff["hr"], "people.person", period_months=0,
                            event="departure", disposition="destroy")
    db.session.rollback()
