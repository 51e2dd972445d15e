"""PostgreSQL connections keep their prepared statements across page views (a transaction
that wrote nothing ends with COMMIT, since psycopg forgets them all at each ROLLBACK), and a
transaction that wrote is still rolled back."""

import pytest
from sqlalchemy import func, select, text

from hr_social.db import db
from hr_social.people.models import Service
from hr_social.postgresql import _writes


def test_only_plain_queries_count_as_reads():
    assert not _writes("SELECT 1")
    assert not _writes("  WITH RECURSIVE team AS (SELECT people.updated_at FROM people) "
                       "SELECT * FROM team")
    assert _writes("WITH moved AS (UPDATE people SET is_active = false RETURNING id) "
                   "SELECT * FROM moved")
    for statement in ("INSERT INTO services VALUES (1)", "UPDATE people SET x = 1",
                      "DELETE FROM people", "SAVEPOINT sa_1", "SET LOCAL x = 1",
                      "CREATE TABLE t (id int)"):
        assert _writes(statement)


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL connections")


def test_a_transaction_that_wrote_is_still_rolled_back(postgresql):
    before = db.session.scalar(select(func.count()).select_from(Service))
    db.session.add(Service(code="TMP", name="Temporaire"))
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Service)) == before


def test_statements_stay_prepared_across_read_only_transactions(postgresql):
    counting = select(func.count()).select_from(Service).where(Service.code != "lecture")
    for _ in range(8):  # psycopg prepares a statement at its sixth run
        db.session.scalar(counting)
        db.session.rollback()
    prepared = db.session.scalar(text(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%lecture%'"
        " OR statement LIKE '%services.code !=%'"))
    assert prepared == 1


def test_a_failed_read_only_transaction_is_rolled_back_and_the_connection_works(postgresql):
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError):
        db.session.execute(text("SELECT 1 / 0"))
    db.session.rollback()
    assert db.session.scalar(text("SELECT 2")) == 2


def test_the_homes_long_statements_are_parsed_once():
    """psycopg parses a statement's placeholders again at each run above its length limit;
    the home's statements are longer than its default (4 KB)."""
    import psycopg._queries

    import hr_social.postgresql  # noqa: F401

    assert psycopg._queries.MAX_CACHED_STATEMENT_LENGTH >= 32 * 1024
