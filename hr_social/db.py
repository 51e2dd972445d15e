"""Declarative base, naming convention, UTC timestamps and database tuning per connection."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ARRAY, Boolean, DateTime, Integer, MetaData, bindparam, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import ColumnElement, Select
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, always returns aware UTC: SQLite keeps no time zone."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# French (Canada) order: « Bélanger, Bouchard, Eastman, Émond, Ève, Zacharie ».
FRENCH_COLLATION_POSTGRESQL = "fr-CA-x-icu"  # ICU, present in PostgreSQL's own packages
FRENCH_KEY_SQLITE = "fr_key"  # a function registered on each connection (_tune_sqlite)


class french(ColumnElement):  # noqa: N801 (reads as a function in order_by)
    """``order_by(french(Person.last_name))``: the column compared in French order."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column):
        self.column = column
        self.type = column.type


def _stored_key(column):
    """The column holding ``column``'s French sort key, when the model keeps one
    (``mapped_column(..., info={"french_key": "<key column>"})``), on the same table or
    alias as ``column``; else None."""
    column = column.__clause_element__() if hasattr(column, "__clause_element__") else column
    names = {c.info.get("french_key") for c in getattr(column, "proxy_set", ())
             if hasattr(c, "info")} - {None}  # an alias's column proxies the model's
    name = names.pop() if len(names) == 1 else None
    table = getattr(column, "table", None)
    if name and table is not None and name in table.c:
        return table.c[name]
    return None


@compiles(french)
def _french_sqlite(element, compiler, **kw):
    # Stored keys (people's names) are compared, and an index gives the order without a
    # sort. Otherwise a key computed once per row, compared by SQLite itself: a Python
    # collation would be called for every comparison of the sort (five times slower).
    stored = _stored_key(element.column)
    if stored is not None:
        return compiler.process(stored, **kw)
    return f"{FRENCH_KEY_SQLITE}({compiler.process(element.column, **kw)})"


@compiles(french, "postgresql")
def _french_postgresql(element, compiler, **kw):
    return f'{compiler.process(element.column, **kw)} COLLATE "{FRENCH_COLLATION_POSTGRESQL}"'


class in_set(ColumnElement):  # noqa: N801 (reads as an operator)
    """``in_set(column, select)``: ``column IN (select)``; on PostgreSQL ``column =
    ANY(ARRAY(select))``, the set computed once and tested by each row. A recursive CTE
    (a manager's team) is estimated at the whole table: PostgreSQL then joined it row by
    row to the list it filters (the home's team list: 20 ms → 8 ms at 10,000 people).

    ``in_set(column, [ids])``: ``column IN (ids)``; on PostgreSQL ``column = ANY(array)``,
    one parameter, so that the statement's text does not depend on how many ids there are
    (psycopg parses it once and PostgreSQL keeps its plan)."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("selection", InternalTraversal.dp_clauseelement),
                           ("as_array", InternalTraversal.dp_clauseelement)]
    as_array = None

    def __init__(self, column, selection):
        self.column = column
        if isinstance(selection, list | tuple):
            self.selection = bindparam(None, list(selection), expanding=True)
            self.as_array = bindparam(None, list(selection), ARRAY(Integer))
        else:
            self.selection = selection


@compiles(in_set)
def _in_set(element, compiler, **kw):
    column = compiler.process(element.column, **kw)
    if element.as_array is not None:  # an expanding parameter brings its own brackets
        return f"{column} IN {compiler.process(element.selection, **kw)}"
    return f"{column} IN ({compiler.process(element.selection, asfrom=False, **kw)})"


@compiles(in_set, "postgresql")
def _in_set_postgresql(element, compiler, **kw):
    column = compiler.process(element.column, **kw)
    if element.as_array is not None:
        return f"{column} = ANY({compiler.process(element.as_array, **kw)})"
    return f"{column} = ANY(ARRAY({compiler.process(element.selection, asfrom=False, **kw)}))"


class PostgresqlForm(Select):
    """A select that PostgreSQL runs written another way (same columns, same rows): see
    ``written_for_postgresql``. The statement stays one object, built once for both
    databases; the choice is made when it is compiled."""

    inherit_cache = False
    _traverse_internals = [*Select._traverse_internals,
                           ("postgresql_form", InternalTraversal.dp_clauseelement)]
    _cache_key_traversal = [*Select._cache_key_traversal,
                            ("postgresql_form", InternalTraversal.dp_clauseelement)]
    postgresql_form = None


def written_for_postgresql(default: Select, postgresql: Select) -> Select:
    """``default``, compiled as ``postgresql`` on PostgreSQL."""
    choice = PostgresqlForm.__new__(PostgresqlForm)
    choice.__dict__.update(default.__dict__)
    choice.postgresql_form = postgresql
    return choice


@compiles(PostgresqlForm)
def _default_form(element, compiler, **kw):
    return compiler.visit_select(element, **kw)


@compiles(PostgresqlForm, "postgresql")
def _postgresql_form(element, compiler, **kw):
    return compiler.process(element.postgresql_form, **kw)


@functools.lru_cache(maxsize=65536)
def french_key(text: str) -> tuple[str, str, str]:
    """Letters first without accents or case, then accents, then case (as ICU's levels)."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    base = base.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    return base.casefold(), decomposed.casefold(), text


@functools.lru_cache(maxsize=65536)
def _french_sort_key(text: str | None) -> str | None:
    """french_key as one string whose code-point order is the same (\x01 ends each level)."""
    return None if text is None else "\x01".join(french_key(text))


def french_sort_key(text: str | None) -> str:
    """The value of a stored French sort-key column (SQLite sorts by it; see ``french``)."""
    return _french_sort_key(text) or ""


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    """Per-connection SQLite settings; busy_timeout must precede journal_mode=WAL."""
    if type(dbapi_connection).__module__.split(".")[0] not in {"sqlite3", "pysqlite2"}:
        return
    # SQLAlchemy emits BEGIN itself (see _begin), so the driver must not.
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function(FRENCH_KEY_SQLITE, 1, _french_sort_key,
                                     deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


# Statements that need SQLite's write lock (a savepoint precedes a write: OneTimeForm).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")
_LOCKED = "hr_social_write_locked"
_READ_METHODS = ("GET", "HEAD", "OPTIONS")


def _reads_only() -> bool:
    """A page view: its transaction starts deferred; anything else (a form sent, a command,
    a job, a test) takes the write lock at once, as the workflow expects."""
    from flask import has_request_context, request

    return has_request_context() and request.method in _READ_METHODS


@event.listens_for(Engine, "begin")
def _begin(conn):
    """SQLite: readers do not queue behind the write lock; writers are serialised.

    A state-changing request starts with ``BEGIN IMMEDIATE``: a deferred SQLite transaction
    that read before writing fails at once with SQLITE_BUSY when another writer committed
    in between, and conditional workflow updates and the audit chain need serialised
    writers anyway. A page view starts deferred (a snapshot, no lock) and takes the lock
    only if it writes (``_lock_before_writing``).
    """
    if conn.dialect.name != "sqlite":
        return
    immediate = not _reads_only()
    conn.info[_LOCKED] = immediate
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@event.listens_for(Engine, "before_cursor_execute")
def _lock_before_writing(conn, _cursor, statement, _params, _context, _many):
    if conn.info.get(_LOCKED, True) or conn.dialect.name != "sqlite":
        return
    if statement.lstrip()[:9].upper().startswith(_WRITES):
        _take_write_lock(conn)


def _take_write_lock(conn) -> None:
    """End the deferred transaction (it has only read) and start an immediate one, which
    waits its turn (busy_timeout) instead of failing on a stale snapshot. What was read
    before stays as read: like PostgreSQL's READ COMMITTED, which the conditional updates
    are written for."""
    raw = conn.connection.dbapi_connection
    raw.execute("COMMIT")
    raw.execute("BEGIN IMMEDIATE")
    conn.info[_LOCKED] = True


def lock_for_write(session) -> None:
    """Hold SQLite's write lock from now to the commit (a read that must not go stale:
    the audit chain's last hash). PostgreSQL callers use their own row or advisory locks."""
    conn = session.connection()
    if conn.dialect.name == "sqlite" and not conn.info.get(_LOCKED, True):
        _take_write_lock(conn)


_KEEP = "hr_social_keep_page_view_writes"


def keep_page_view_writes(session=None) -> None:
    """Defaults written on first use during a page view must outlive it: the ids shown in
    its form are sent back later. Page views otherwise end without a commit."""
    (session or db.session).info[_KEEP] = True


def commit_kept_page_view_writes(response):
    if db.session.info.pop(_KEEP, False) and response.status_code < 400:
        db.session.commit()
    return response
