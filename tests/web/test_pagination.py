"""Pages of a list: the right rows and total, with a COUNT only when the page cannot tell."""

import pytest
from sqlalchemy import event, select

from hr_social.db import db
from hr_social.people.models import Service
from hr_social.web.pagination import paginate


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
