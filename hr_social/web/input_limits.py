"""Hostile input stops at the door: one guard for every route, whatever domain adds it.

- URL ids: the ``int`` converter refuses what no database column can hold (PostgreSQL's
  INTEGER ends at 2**31 - 1), so an out-of-range id is a 404 like any id that does not exist.
- Query strings and forms: ``request.args.get(name, type=int)`` returns the default for a
  number out of that range (as for a non-number) and tells the user the filter was ignored.
- A NUL character (PostgreSQL refuses it in text) or a date no one means (before 1900 or after
  2999: computing the next day of 9999-12-31 overflows) anywhere in the path, the query string,
  a form or a file name gets a 400 page that says what was wrong; nothing reaches a view.
"""

from __future__ import annotations

import re

from flask import flash, g, has_request_context, render_template, request
from flask.wrappers import Request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
YEAR_MIN, YEAR_MAX = 1900, 2999
ISO_DATE = re.compile(r"^\s*(-?\d{1,6})-(\d{1,2})-(\d{1,2})\s*$")


def int_in_range(value: int) -> bool:
    return INT_MIN <= value <= INT_MAX


def row_by_id(model, raw):
    """The row whose id a form or query string gave, or None for an empty, non-numeric or
    out-of-range value (PostgreSQL refuses an INTEGER beyond 2^31 with an error)."""
    from hr_social.db import db

    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return db.session.get(model, value) if int_in_range(value) else None


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` in every route: ids beyond a database INTEGER match nothing (404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min,
                         max=INT_MAX if max is None else max, signed=signed)


class BoundedIntGet:
    """``type=int`` conversions that stay within a database INTEGER."""

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        if type is not int:
            return super().get(key, default, type)
        value = super().get(key, default, int)
        if isinstance(value, int) and value is not default and not int_in_range(value):
            if has_request_context() and key not in g.setdefault("ignored_args", set()):
                g.ignored_args.add(key)  # read twice (list and count): said once
                flash(_("La valeur « %(v)s » du champ « %(f)s » est hors limites : ce filtre "
                        "est ignoré.", v=str(super().get(key))[:30], f=key[:30]), "warning")
            return default
        return value


class BoundedMultiDict(BoundedIntGet, MultiDict):
    """What ``request.args.copy()`` gives: still bounded."""


class BoundedArgs(BoundedIntGet, ImmutableMultiDict):
    """Request arguments and form fields."""

    def copy(self):
        return BoundedMultiDict(self)


class BoundedRequest(Request):
    parameter_storage_class = BoundedArgs


def _values():
    """Every piece of text a client chose: path, arguments, form fields, file names."""
    yield request.path
    for _name, value in request.args.items(multi=True):
        yield value
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        for _name, value in request.form.items(multi=True):
            yield value
        for _name, upload in request.files.items(multi=True):
            yield upload.filename or ""
    for value in (request.view_args or {}).values():
        if isinstance(value, str):
            yield value


def _refusal() -> str | None:
    for value in _values():
        if "\x00" in value:
            return _("La requête contient un caractère nul (%(code)s), qui n'a sa place dans "
                     "aucun champ. Retirez-le et réessayez ; rien n'a été enregistré.",
                     code="%00")
        match = ISO_DATE.match(value) if len(value) <= 20 else None
        if match and not YEAR_MIN <= int(match[1]) <= YEAR_MAX:
            return _("La date « %(v)s » est hors limites : indiquez une date entre l'an %(a)d "
                     "et l'an %(b)d ; rien n'a été enregistré.", v=value.strip(), a=YEAR_MIN,
                     b=YEAR_MAX)
    return None


def refuse_hostile_input():
    """before_request: a 400 page with the reason, before any view or form sees the input."""
    if request.endpoint == "static":
        return None
    if message := _refusal():
        return render_template("errors/error.html", code=400, description=message), 400
    return None


def init_converters(app) -> None:
    """Before the blueprints are registered: their rules compile with these converters."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = BoundedRequest


def init_app(app) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_input)
