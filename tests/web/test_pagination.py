"""Pages of a list: the right rows and total, with a COUNT only when the page cannot tell."""

import pytest
from sqlalchemy import event, func, select

from hr_social.db import db
from hr_social.people.models import Service
from hr_social.web import pagination
from hr_social.web.pagination import page_of_ids, paginate


@pytest.fixture
def services(app, make_service):
    app.config["PAGE_SIZE"] = 3
    return [make_service(name=f"Service {n:02d}") for n in range(7)]


def _page(app, number):
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with app.test_request_context(f"/?page={number}"):
            page = paginate(select(Service).order_by(Service.name))
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    counts = [s for s in statements if "count(" in s.lower()]
    return page, counts


def test_a_full_page_counts_the_rest(app, services):
    page, counts = _page(app, 1)
    assert [s.name for s in page.items] == ["Service 00", "Service 01", "Service 02"]
    assert (page.total, page.pages, page.has_next) == (7, 3, True)
    assert len(counts) == 1


def test_the_last_partial_page_tells_the_total_without_counting(app, services):
    page, counts = _page(app, 3)
    assert [s.name for s in page.items] == ["Service 06"]
    assert (page.total, page.page, page.has_next, page.has_prev) == (7, 3, False, True)
    assert counts == []


def test_a_page_past_the_end_shows_the_last_page(app, services):
    page, _counts = _page(app, 40)
    assert (page.page, page.total, [s.name for s in page.items]) == (3, 7, ["Service 06"])


def test_an_empty_list_has_one_empty_page(app):
    app.config["PAGE_SIZE"] = 3
    page, counts = _page(app, 1)
    assert (page.items, page.total, page.pages) == ([], 0, 1)
    assert counts == []


# ---- capped totals: a long list stops counting COUNT_CAP rows past the page's start ----

@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)


def test_a_list_longer_than_the_cap_gives_a_lower_bound_and_pages_on(app, services,
                                                                     small_cap):
    page, counts = _page(app, 1)
    assert (page.total, page.exact, page.has_next) == (4, False, True)
    assert [s.name for s in page.items] == ["Service 00", "Service 01", "Service 02"]
    assert len(counts) == 1


def test_the_cap_moves_with_the_page(app, services, small_cap):
    page, _counts = _page(app, 2)  # rows 4 to 6; counting stops at 3 + 4 = 7 rows: all
    assert (page.total, page.exact, page.pages, page.has_next) == (7, True, 3, True)


def test_page_of_ids_caps_its_total_in_the_same_statement(app, services, small_cap):
    statement = select(Service.id).order_by(Service.name)
    with app.test_request_context("/?page=1"):
        first = page_of_ids(statement)
    with app.test_request_context("/?page=2"):
        second = page_of_ids(statement)
    with app.test_request_context("/?page=9"):
        past = page_of_ids(statement)
    assert (first.total, first.exact, first.has_next) == (4, False, True)
    assert (second.total, second.exact) == (7, True)
    assert (past.page, past.total, past.exact, len(past.items)) == (3, 7, True, 1)


def test_a_given_total_stays_exact(app, services, small_cap):
    with app.test_request_context("/?page=1"):
        page = page_of_ids(select(Service.id).order_by(Service.name),
                           total=select(func.count(Service.id)))
    assert (page.total, page.exact) == (7, True)


def test_the_list_says_more_than_and_still_offers_the_next_page(app, services, small_cap,
                                                                login_as):
    client = login_as("hr")  # whose own service makes one more
    with app.app_context():
        total = db.session.scalar(select(func.count(Service.id)))
    body = client.get("/services/?status=all").get_data(as_text=True)
    assert "Plus de 4 résultats" in body
    assert 'rel="next"' in body and "Page 1 sur" not in body
    body = client.get("/services/?status=all&page=3").get_data(as_text=True)
    assert "Page 3 sur 3" in body and f"{total} résultats" in body


def test_rows_in_order_follow_the_page_and_leave_out_rows_gone():
    from types import SimpleNamespace

    from hr_social.web.pagination import rows_in_order

    found = [SimpleNamespace(id=3, name="c"), SimpleNamespace(id=1, name="a")]  # any order
    rows = rows_in_order([1, 2, 3], found, lambda r: {"id": r.id, "label": r.name.upper()})
    assert [(r.id, r.label) for r in rows] == [(1, "A"), (3, "C")]  # 2 is gone
