"""What a table's columns accept, read from the models themselves, checked before writing.

SQLite stores a 10,000-character name in a ``String(100)`` column; PostgreSQL refuses it in
the middle of a transaction. Length, required values, NUL characters, integer range and enum
values are checked here from ``Model.__table__.columns``, so a limit changed in a model is
enforced everywhere at once:

- ``column_errors(Model, values)``: French messages per column, for the CSV import and forms
  (``OneTimeForm.columns_of = Model`` checks the fields named like columns);
- a ``before_flush`` hook refuses any new or changed row that breaks a limit with
  ``ColumnLimitError`` (a clear 400 page, nothing written) whatever path it came by.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from sqlalchemy import BigInteger, Enum, Integer, String, event, inspect
from sqlalchemy.orm import Session

INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class ColumnLimitError(ValueError):
    """A value the database would refuse (or silently store too long on SQLite)."""


def _value_error(column, value, required: bool = True) -> str | None:
    if value is None:
        if required and not column.nullable and column.default is None \
                and column.server_default is None and not column.primary_key:
            return _("valeur obligatoire.")
        return None
    column_type = column.type
    if isinstance(column_type, Enum):
        # An Enum column stores the member's name; a string must be one of those names.
        name = value.name if isinstance(value, enum.Enum) else value
        if isinstance(name, str) and column_type.enums and name not in column_type.enums:
            return _("valeur non permise « %(v)s ».", v=name[:40])
        return None
    if isinstance(value, str):
        if "\x00" in value:
            return _("caractère nul interdit.")
        length = getattr(column_type, "length", None)
        if isinstance(column_type, String) and length and len(value) > length:
            return _("%(n)d caractères au plus (%(got)d donnés).", n=length, got=len(value))
    elif isinstance(column_type, Integer) and not isinstance(column_type, BigInteger) \
            and isinstance(value, int) and not isinstance(value, bool) \
            and not INT_MIN <= value <= INT_MAX:
        return _("nombre hors limites.")
    return None


def column_errors(model, values: dict, *, required: bool = True) -> dict[str, str]:
    """``{column name: message}`` for the values a column of ``model`` would refuse; names
    that are not columns are ignored. ``required``: None in a NOT NULL column is an error."""
    columns = model.__table__.columns
    errors = {}
    for name, value in values.items():
        if name in columns and (message := _value_error(columns[name], value, required)):
            errors[name] = message
    return errors


def _changed_values(obj, new: bool) -> dict:
    state = inspect(obj)
    values = {}
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        if new:
            if key in state.dict:
                values[attribute.columns[0].name] = state.dict[key]
            continue
        history = state.attrs[key].history
        if history.added:
            values[attribute.columns[0].name] = history.added[-1]
    return values


@event.listens_for(Session, "before_flush")
def _refuse_values_beyond_limits(session, _flush_context, _instances) -> None:
    for new, objects in ((True, session.new), (False, session.dirty)):
        for obj in objects:
            table = getattr(type(obj), "__table__", None)
            if table is None:
                continue
            # Foreign keys are still None here when set through a relationship: NOT NULL is
            # left to the database, the other limits are checked.
            errors = column_errors(type(obj), _changed_values(obj, new), required=False)
            if errors:
                name, message = next(iter(errors.items()))
                raise ColumnLimitError(_("Valeur refusée pour « %(f)s » : %(m)s Rien n'a été "
                                         "enregistré.", f=name, m=message))


def init_app(app) -> None:
    """Any ColumnLimitError a view did not catch: a 400 page saying why, after a rollback."""
    from flask import render_template

    from hr_social.db import db

    @app.errorhandler(ColumnLimitError)
    def column_limit(error):
        db.session.rollback()
        return render_template("errors/error.html", code=400, description=str(error)), 400
