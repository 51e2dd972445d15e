"""Page through a select(): ``paginate`` (rows, then a COUNT only when the page is full) and
``page_of_ids`` (a page of ids and their total in one statement, for the long lists)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import func, select

from hr_social.db import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# Far past any list's end, yet its OFFSET fits every database: a larger page number asked
# for shows the last page, as any page past the end does.
MAX_PAGE = 1_000_000


def requested_page() -> int:
    """The page number asked for in the query string (1 when absent or not a number)."""
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page", 1))))
    except ValueError:
        return 1


def paginate(statement, *, per_page: int | None = None, unique: bool = False,
             count_statement=None) -> Page:
    """The page asked for, and the total. A page that is not full tells the total by
    itself: most lists (a person's own requests, a short queue) fit on one page and skip
    the COUNT. A page past the end shows the last page. ``count_statement``: the same rows
    written so that counting them is cheaper."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = requested_page()
    items = _page_items(statement, page, per_page, unique)
    # With ``unique`` rows may collapse: only a COUNT tells whether more follow.
    if not unique and (items and len(items) < per_page or page == 1 and not items):
        return Page(items, page, per_page, (page - 1) * per_page + len(items))
    counted = statement if count_statement is None else count_statement
    total = db.session.scalar(
        select(func.count()).select_from(counted.order_by(None).subquery())
    )
    last = max(1, math.ceil(total / per_page))
    if page > last:
        page = last
        items = _page_items(statement, page, per_page, unique)
    return Page(items, page, per_page, total)


def _page_items(statement, page: int, per_page: int, unique: bool) -> list:
    result = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page))
    return list(result.unique()) if unique else list(result)


def page_of_ids(ids_statement, count_statement=None, *, total=None) -> Page:
    """One page of ids and their total in ONE statement: the count rides along as an
    uncorrelated scalar subquery, which the database computes once. ``count_statement``:
    the same rows written so that counting is cheaper; ``total``: a select of the count
    itself. Only an empty page costs a separate COUNT (no rows, or a page past the end: the
    last page is shown, as ``paginate`` does)."""
    per_page, number = current_app.config["PAGE_SIZE"], requested_page()
    if total is None:
        counted = (ids_statement if count_statement is None else count_statement)
        total = select(func.count()).select_from(counted.order_by(None).subquery())
    total = total.correlate(None)

    def fetch(page_number: int):
        return db.session.execute(
            ids_statement.add_columns(total.scalar_subquery().label("total"))
            .limit(per_page).offset((page_number - 1) * per_page)).all()

    rows = fetch(number)
    if rows:
        return Page([r[0] for r in rows], number, per_page, rows[0].total)
    count = db.session.scalar(total)
    last = max(1, math.ceil(count / per_page))
    if number > last:
        number, rows = last, fetch(last)
    return Page([r[0] for r in rows], number, per_page, count)
