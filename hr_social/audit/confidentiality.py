"""Who may read the details of an audit entry or of a queued e-mail.

Each domain declares its target types here (audit imports no domain). A type nobody
registered stays open to every reader of the audit and outbox pages, as before. A
*confidential* type (a disciplinary case) is different in two ways:

- its audit entries hold ids, states and the names of the fields that changed, never free
  text: the trail can never be redacted, so the text lives in the domain's own rows, which
  can (``check_values`` is called by ``record`` and refuses anything else);
- the audit and outbox pages show such an entry's details only to the users its
  ``readers`` accept; everyone else (IT administrators) sees that an entry exists, when,
  and of which type — enough to verify the chain, nothing about the person.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, false, or_, select, true

# Field names of the values a confidential entry may keep as text: states, not prose.
DEFAULT_STATE_FIELDS = frozenset({"state", "status", "changed_fields"})
_TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,60}$")

Readers = Callable[[object, str], bool] | Iterable[str]


class ConfidentialContentError(ValueError):
    """A confidential domain tried to write free text into the audit trail (a bug)."""


@dataclass(frozen=True)
class TargetType:
    name: str
    readers: Readers | None = None
    confidential: bool = False
    state_fields: frozenset[str] = DEFAULT_STATE_FIELDS

    def may_read(self, user, target_id) -> bool:
        if not self.confidential:
            return True
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if self.readers is None:
            return False
        if callable(self.readers):
            return bool(self.readers(user, None if target_id is None else str(target_id)))
        return user.has_role(*self.readers)


_TARGET_TYPES: dict[str, TargetType] = {}


def register_target_type(name: str, *, readers: Readers | None = None,
                         confidential: bool = False,
                         state_fields: Iterable[str] = ()) -> TargetType:
    """Declare a target type. ``readers`` is a tuple of roles or ``f(user, target_id)``."""
    if confidential and readers is None:
        raise ValueError(f"confidential target type {name!r} needs readers")
    if readers is not None and not callable(readers):
        readers = tuple(readers)
    spec = TargetType(name, readers, confidential,
                      DEFAULT_STATE_FIELDS | frozenset(state_fields))
    _TARGET_TYPES[name] = spec
    return spec


def target_type(name: str | None) -> TargetType | None:
    return _TARGET_TYPES.get(name) if name else None


def is_confidential(name: str | None) -> bool:
    spec = target_type(name)
    return spec is not None and spec.confidential


def may_read(user, name: str | None, target_id) -> bool:
    spec = target_type(name)
    return spec is None or spec.may_read(user, target_id)


def confidential_types() -> list[TargetType]:
    return [spec for spec in _TARGET_TYPES.values() if spec.confidential]


# --- what a confidential entry may hold ---------------------------------------------------

def _allowed(field: str, value, spec: TargetType) -> bool:
    if value is None or isinstance(value, bool | int | float | Decimal | enum.Enum
                                   | dt.date | dt.datetime):
        return True
    if field not in spec.state_fields:
        return False
    if isinstance(value, str):
        return bool(_TOKEN.match(value))
    if isinstance(value, list | tuple | set | frozenset):
        return all(isinstance(item, str) and _TOKEN.match(item) for item in value)
    return False


def check_values(name: str | None, *snapshots: dict | None) -> None:
    """Refuse free text in a confidential type's before/after (ids, states, field names only)."""
    spec = target_type(name)
    if spec is None or not spec.confidential:
        return
    for data in snapshots:
        for field, value in (data or {}).items():
            if not _allowed(field, value, spec):
                raise ConfidentialContentError(
                    f"{name}.{field}: a confidential entry keeps ids and states, not text; "
                    "record the field's name with changed_fields() instead")


def changed_fields(*names: str) -> dict:
    """The after-value of a confidential entry whose text fields changed: their names only."""
    return {"changed_fields": sorted(names)}


# --- SQL: which rows a user may read --------------------------------------------------------

def readable_clause(user, type_column, id_column, session):
    """A WHERE clause true for the rows whose details ``user`` may read.

    Role-based readers translate to SQL directly; a callable is asked once per distinct
    target id of its type (a few hundred cases at most), so searches and pages stay exact.
    """
    hidden, partly = [], []
    for spec in confidential_types():
        if callable(spec.readers):
            partly.append(spec)
        elif not spec.may_read(user, None):
            hidden.append(spec.name)
    if not hidden and not partly:
        return true()
    clauses = [or_(type_column.is_(None),
                   type_column.not_in([s.name for s in confidential_types()]))]
    for spec in confidential_types():
        if spec in partly:
            ids = session.scalars(select(id_column).where(type_column == spec.name)
                                  .distinct()).all()
            readable = [i for i in ids if spec.may_read(user, i)]
            clauses.append(and_(type_column == spec.name, id_column.in_(readable))
                           if readable else false())
        elif spec.name not in hidden:
            clauses.append(type_column == spec.name)
    return or_(*clauses)
