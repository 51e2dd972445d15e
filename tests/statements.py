"""The SQL statements a page costs: for tests that hold a page to a fixed number of them."""

from __future__ import annotations

from sqlalchemy import event

from hr_social.db import db


def statements_of(client, url: str) -> list[str]:
    """The statements run while ``client`` GETs ``url`` (which must answer 200)."""
    seen: list[str] = []

    def note(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return seen
