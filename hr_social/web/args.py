"""Reading the query string: one parser for every date a page accepts."""

from __future__ import annotations

import datetime as dt


def parse_iso_date(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD date, or None when the value is empty or not such a date (a filter that
    cannot be read is ignored rather than answered with an error page)."""
    try:
        return dt.date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def date_arg(args, name: str) -> dt.date | None:
    """The date given as ``name`` in ``args`` (``request.args``), read by ``parse_iso_date``."""
    return parse_iso_date(args.get(name))
