"""PostgreSQL connections: settings, and the end of transactions that wrote nothing.

psycopg forgets every statement it prepared at each ROLLBACK (and sends DEALLOCATE ALL), and
a page view ends with one: no statement ever reached the five runs after which psycopg
prepares it, so PostgreSQL planned every statement of every page (2–3 ms for the home's).
A transaction that wrote nothing ends the same with COMMIT, which keeps them.
"""

from __future__ import annotations

import re

from psycopg import _queries as psycopg_queries
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine

# psycopg caches the parsing of a statement's text (placeholders to $n) only below 4 KB, so
# as not to keep ORM bulk inserts of every size; the home's two statements run to 8–12 KB
# and were parsed again at every page (about 1 ms of CPU each). Ours are built once: cached.
if hasattr(psycopg_queries, "MAX_CACHED_STATEMENT_LENGTH"):
    psycopg_queries.MAX_CACHED_STATEMENT_LENGTH = max(
        psycopg_queries.MAX_CACHED_STATEMENT_LENGTH, 32 * 1024)

_WROTE = "hr_social_wrote"
_WRITING = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _is_postgresql(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.split(".")[0] == "psycopg"


@event.listens_for(Engine, "connect")
def _tune(dbapi_connection, _record):
    """No JIT compilation: a page's statements run in milliseconds, but a recursive CTE's
    cost estimate (a manager's team) crosses jit_above_cost, and compiling cost the home
    page 2.5 s (bench/list_pages.py)."""
    if not _is_postgresql(dbapi_connection):
        return
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


def _writes(statement: str) -> bool:
    """Anything but a plain query counts as a write (SET, SAVEPOINT, DDL, a WITH holding an
    INSERT, UPDATE or DELETE): its transaction is rolled back as usual."""
    head = statement.lstrip()[:6].upper()
    if head == "SELECT":
        return False
    if head.startswith("WITH"):
        return bool(_WRITING.search(statement))
    return True


@event.listens_for(Engine, "begin")
def _nothing_written_yet(conn):
    if conn.dialect.name == "postgresql":
        conn.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, _cursor, statement, _params, _context, _many):
    if conn.dialect.name == "postgresql" and not conn.info.get(_WROTE) and _writes(statement):
        conn.info[_WROTE] = True


def _wrote(pooled_connection) -> bool:
    """Whether the transaction must really roll back: it wrote, it failed (a statement in
    error), or it was not followed (the first connection, being set up)."""
    try:
        wrote = pooled_connection.info.get(_WROTE, True)
        status = pooled_connection.driver_connection.info.transaction_status
    except (AttributeError, NotImplementedError):
        return True
    return wrote or status == TransactionStatus.INERROR


def end_reads_with_commit(engine) -> None:
    """The engine's rollback becomes a COMMIT for a transaction that wrote nothing (same
    effect: there is nothing to undo); one that wrote, or was not followed, rolls back."""
    if engine.dialect.name != "postgresql":
        return
    rollback = engine.dialect.do_rollback

    def do_rollback(dbapi_connection):
        if _wrote(dbapi_connection):
            rollback(dbapi_connection)
        else:
            dbapi_connection.commit()

    engine.dialect.do_rollback = do_rollback
