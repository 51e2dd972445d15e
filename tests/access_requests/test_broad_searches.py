"""A search matching many people walks the list in its own order instead of sorting their
rows (people.search.FEW_PEOPLE): the rows, their order and the totals must not change."""

from __future__ import annotations

import re

import pytest

from hr_social.access_requests import services as ops
from tests.statements import statements_of

PAGES = ("/access-requests/?q=employ", "/access-requests/queue?q=employ",
         "/access-requests/registry?q=employ")


def _shown(client, path) -> tuple[list[str], str]:
    page = client.get(path).get_data(as_text=True)
    rows = re.findall(r'href="/access-requests/(?:grants/)?(\d+)(?:/decide)?"', page)
    total = re.search(r'class="count">([^<]+)<', page)
    return rows, total.group(1) if total else ""


@pytest.fixture
def many_requests(team, platforms, make_person, make_user):
    for n in range(4):
        person = make_person("Anne", f"Employée{n}", service=team["service"])
        user = make_user("employee", person=person, username=f"employee{n}")
        for platform in platforms.values():
            request = ops.create_request(user, platform_ids=[platform.id],
                                         purpose="Veille", submit=True)
            if n % 2:
                ops.decide_request(team["dg"], request, decisions={
                    request.items[0].id: ops.ItemDecision(grant=True)})


@pytest.mark.parametrize("path", PAGES)
def test_many_people_found_give_the_same_page_as_a_few(login_as, team, many_requests,
                                                        monkeypatch, path):
    dg = login_as(user=team["dg"])
    by_index = _shown(dg, path)
    from hr_social.people import search

    monkeypatch.setattr(search, "FEW_PEOPLE", 1)  # every search here is now "broad"
    walked = _shown(dg, path)
    assert walked == by_index and by_index[0] and by_index[1], by_index


@pytest.mark.parametrize("path", PAGES)
def test_postgresql_searches_without_looking_people_up_first(login_as, team, many_requests,
                                                            path):
    """PostgreSQL estimates how many people a search matches and picks the plan itself: a
    searched list costs the statements of the same list unsearched, not one more."""
    from hr_social.db import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite cannot estimate a search: it looks the people up first")
    dg = login_as(user=team["dg"])
    plain = path.split("?")[0]
    statements_of(dg, plain), statements_of(dg, path)  # warm the session's caches
    assert len(statements_of(dg, path)) == len(statements_of(dg, plain))
