"""Page through a select() with one COUNT and one page query."""

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


def paginate(statement, *, per_page: int | None = None, unique: bool = False,
             count_statement=None) -> Page:
    """``count_statement``: the same rows written so that counting them is cheaper (e.g. a
    filter that may use an index the page order deliberately avoids); default: ``statement``."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    total = db.session.scalar(
        select(func.count()).select_from(
            (statement if count_statement is None else count_statement).order_by(None).subquery())
    )
    page = min(page, max(1, math.ceil(total / per_page)))
    result = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page))
    items = list(result.unique()) if unique else list(result)
    return Page(items, page, per_page, total)
