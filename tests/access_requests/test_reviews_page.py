"""The review list without filters reads the union of due, flagged and proposed grants
alone (no scan of every grant); it must still list each of them once, by review date, with
the right count, and the filtered list must agree with it."""

from __future__ import annotations

import datetime as dt

from hr_social.access_requests import services as ops
from hr_social.clock import local_today
from hr_social.db import db
from tests.people.helpers import text as page_text


def _grant(team, platform, review_in_days, **columns):
    request = ops.create_request(team["employee"], platform_ids=[platform.id],
                                 purpose="Révision", submit=True)
    ops.decide_request(team["dg"], request,
                       decisions={request.items[0].id: ops.ItemDecision(grant=True)})
    item = request.items[0]
    item.review_on = local_today() + dt.timedelta(days=review_in_days)
    for name, value in columns.items():
        setattr(item, name, value)
    db.session.commit()
    return item


def test_due_flagged_and_proposed_grants_once_each_by_review_date(login_as, team, platforms):
    far = local_today() + dt.timedelta(days=300)
    _grant(team, platforms["YouTube"], 10)
    _grant(team, platforms["Facebook"], 200, review_reason="Plateforme retirée")
    _grant(team, platforms["LinkedIn"], 250, renewal_proposed_on=far)
    page = page_text(login_as(user=team["dg"]).get("/access-requests/reviews"))
    page = page[page.index("<tbody"):]  # the rows, not the filter menus
    positions = [page.find(name) for name in ("YouTube", "Facebook", "LinkedIn")]
    assert -1 not in positions and positions == sorted(positions), page
    assert all(page.count(name) == 1 for name in ("YouTube", "LinkedIn")), page
    filtered = page_text(login_as(user=team["dg"]).get(
        f"/access-requests/reviews?platform={platforms['Facebook'].id}"))
    filtered = filtered[filtered.index("<tbody"):]
    assert "Facebook" in filtered and "YouTube" not in filtered


def test_a_grant_far_from_its_review_date_is_not_listed(login_as, team, platforms):
    _grant(team, platforms["YouTube"], 300)
    page = page_text(login_as(user=team["dg"]).get("/access-requests/reviews"))
    assert "Aucun accès à réviser" in page


def test_each_due_grant_counts_once_however_many_reasons_it_has(login_as, team, platforms):
    from hr_social.access_requests.models import Platform

    extra = [Platform(name=f"Réseau {n}", category="social") for n in range(4)]
    db.session.add_all(extra)
    db.session.commit()
    far = local_today() + dt.timedelta(days=300)
    _grant(team, platforms["YouTube"], 5, review_reason="Signalé")  # near and flagged
    _grant(team, platforms["Facebook"], 6, renewal_proposed_on=far)  # near and proposed
    _grant(team, platforms["LinkedIn"], 200, review_reason="Signalé",
           renewal_proposed_on=far)  # far, flagged and proposed
    _grant(team, extra[0], 7)  # near only
    _grant(team, extra[1], 220, renewal_proposed_on=far)  # far, proposed only
    _grant(team, extra[2], 240)  # far, nothing: not due
    ended = _grant(team, extra[3], 3, review_reason="Signalé")
    ended.state = "revoked"  # no longer a grant: not due, whatever its dates
    db.session.commit()

    dg = login_as(user=team["dg"])
    assert "5 résultats" in page_text(dg.get("/access-requests/reviews"))
    home = page_text(dg.get("/"))
    card = home[home.index("Accès à réviser") - 400:home.index("Accès à réviser")]
    assert ">5<" in card.replace(" ", ""), card


def test_a_long_review_list_counts_up_to_the_cap_and_pages_on(app, login_as, team, platforms,
                                                               monkeypatch):
    """Thousands of grants near their review date are counted as far as any list counts
    (``COUNT_CAP`` past the page's first row); the flagged few are always counted."""
    from hr_social.access_requests.models import Platform
    from hr_social.web import pagination

    extra = [Platform(name=f"Réseau {n}", category="social") for n in range(4)]
    db.session.add_all(extra)
    db.session.commit()
    for n, platform in enumerate([*platforms.values(), *extra][:6]):
        _grant(team, platform, 5 + n)
    app.config["PAGE_SIZE"] = 2
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    dg = login_as(user=team["dg"])
    first = page_text(dg.get("/access-requests/reviews"))
    assert "Plus de 2 résultats" in first and "page=2" in first, first
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    assert "6 résultats" in page_text(dg.get("/access-requests/reviews"))
