"""The DG queue and the IT registry page through ids with the total in the same statement:
the count, the page asked for, a page past the end and the filter menus stay right."""

from __future__ import annotations

import csv
import io
import re

import pytest

from hr_social.access_requests import services as ops
from hr_social.db import db


@pytest.fixture
def three_requests(app, platforms, team, make_person, make_user):
    """Three people ask for Facebook, one after the other (the oldest first in the queue)."""
    made = []
    for first, last in (("Alice", "Aînée"), ("Bruno", "Cadet"), ("Chloé", "Benjamine")):
        person = make_person(first, last, service=team["service"])
        user = make_user("employee", person=person, username=first.lower())
        made.append(ops.create_request(user, platform_ids=[platforms["Facebook"].id],
                                       purpose="Page du service", submit=True))
        db.session.commit()
    return made


def _names(html: str, names) -> list[str]:
    return sorted((n for n in names if n in html), key=html.index)


def test_queue_pages_oldest_first_with_the_total(app, login_as, team, three_requests):
    app.config["PAGE_SIZE"] = 2
    dg = login_as(user=team["dg"])
    names = ["Alice", "Bruno", "Chloé"]
    first = dg.get("/access-requests/queue").get_data(as_text=True)
    assert _names(first, names) == ["Alice", "Bruno"]
    assert "3 résultats" in first and "Page 1 sur 2" in first
    second = dg.get("/access-requests/queue?page=2").get_data(as_text=True)
    assert _names(second, names) == ["Chloé"] and "3 résultats" in second
    # A page past the end (an old bookmark) shows the last page, not an empty list.
    past_end = dg.get("/access-requests/queue?page=9").get_data(as_text=True)
    assert _names(past_end, names) == ["Chloé"] and "Page 2 sur 2" in past_end
    nothing = dg.get("/access-requests/queue?q=zzz&page=3").get_data(as_text=True)
    assert "Aucune demande n'attend de décision." in nothing


def test_registry_counts_only_current_grants(app, login_as, team, three_requests):
    for request in three_requests:
        ops.decide_request(team["dg"], request,
                           decisions={request.items[0].id: ops.ItemDecision(grant=True)})
    ops.revoke_grant(team["hr"], three_requests[1].items[0], reason="Fin du mandat")
    db.session.commit()
    app.config["PAGE_SIZE"] = 1
    admin = login_as("admin")
    names = ["Alice", "Bruno", "Chloé"]
    first = admin.get("/access-requests/registry").get_data(as_text=True)
    assert "2 résultats" in first and "Page 1 sur 2" in first
    assert _names(first, names) == ["Chloé"]  # latest grant first
    last = admin.get("/access-requests/registry?page=7").get_data(as_text=True)
    assert _names(last, names) == ["Alice"] and "Page 2 sur 2" in last
    restricted = admin.get("/access-requests/registry?status=restricted").get_data(as_text=True)
    assert "Aucun accès en vigueur" in restricted


def test_filter_menus_list_platforms_and_services_and_keep_the_choice(
        login_as, team, platforms, three_requests, make_service):
    make_service("Arénas", "ARE")
    db.session.commit()
    dg = login_as(user=team["dg"])
    html = dg.get(f"/access-requests/queue?platform={platforms['LinkedIn'].id}"
                  f"&service={team['service'].id}").get_data(as_text=True)
    platform_menu = re.search(r'<select id="platform".*?</select>', html, re.S).group(0)
    service_menu = re.search(r'<select id="service".*?</select>', html, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", platform_menu) == [
        "Toutes", "Facebook", "LinkedIn", "YouTube"]
    services = re.findall(r">([^<]+)</option>", service_menu)
    assert services[0] == "Tous" and services.index("Arénas") < services.index("Loisirs")
    assert f'value="{platforms["LinkedIn"].id}" selected' in platform_menu
    assert f'value="{team["service"].id}" selected' in service_menu
    assert "Aucune demande n'attend de décision." in html  # nobody asked for LinkedIn


def test_registry_csv_cells_cannot_run_as_spreadsheet_formulas(
        login_as, platforms, team, make_person, make_user):
    """Names come from the HR import and conditions from the DG: a cell that a spreadsheet
    would run as a formula is written as text; an empty cell stays empty."""
    for first in ('=HYPERLINK("http://x.test")', "\t@SOMME(1)", "Ordinaire"):
        user = make_user("employee", person=make_person(first, "Tremblay",
                                                        service=team["service"]))
        request = ops.create_request(user, platform_ids=[platforms["Facebook"].id],
                                     purpose="Page", submit=True)
        ops.decide_request(team["dg"], request, decisions={request.items[0].id: ops.ItemDecision(
            grant=True, conditions=None if first == "Ordinaire" else "-2+3 heures par jour")})
    db.session.commit()
    text = login_as("admin").get("/access-requests/registry.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    persons = sorted(r["person"] for r in rows)
    assert persons == ["'\t@SOMME(1) Tremblay", "'=HYPERLINK(\"http://x.test\") Tremblay",
                       "Ordinaire Tremblay"]
    conditions = {r["person"]: r["conditions"] for r in rows}
    assert conditions.pop("Ordinaire Tremblay") == ""
    assert set(conditions.values()) == {"'-2+3 heures par jour"}
