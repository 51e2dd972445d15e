"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

Nothing is hard-coded: whatever revisions the domains add, an empty database is upgraded
through all of them, compared with the models, taken down to nothing and up again.
"""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from hr_social import create_app
from hr_social.db import db
from tests.conftest import TEST_CONFIG

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
SCRATCH_SCHEMA = "migration_check"


def _sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """An empty database: a new SQLite file, or a scratch schema on the PostgreSQL test
    server (the suite's own tables in `public` are left alone)."""
    if request.param == "sqlite":
        yield _sqlite_url(tmp_path)
        return
    if not POSTGRES_URL.startswith("postgresql"):
        pytest.skip("PostgreSQL runs when TEST_DATABASE_URL names a server")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCRATCH_SCHEMA}"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={SCRATCH_SCHEMA}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH_SCHEMA} CASCADE"))
        admin.dispose()


@pytest.fixture
def migration_app(empty_database, tmp_path):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database})
    app.instance_path = str(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


# Alembic reflects an index on ``column COLLATE "…"`` without its collation and reports a
# change that is not one (and skips expression indexes on SQLite altogether): these are
# compared by name below instead (_expression_indexes).
EXPRESSION_INDEXES = {"ix_people_french_name"}
# Indexes only one database has (``Index(...).ddl_if(dialect=...)``, which Alembic's
# comparison ignores): present on that database, absent on the other, compared by name.
ONE_DATABASE_INDEXES = {"ix_people_french_key": "sqlite"}


# SQLite's search table (FTS5 with its shadow tables), made by raw DDL beside the models.
SQLITE_SEARCH_TABLES = {"people_search", "people_search_config", "people_search_data",
                        "people_search_docsize", "people_search_idx"}


def _compared(_object, name, type_, _reflected, _compare_to) -> bool:
    if type_ == "table" and name in SQLITE_SEARCH_TABLES:
        return False
    return not (type_ == "index" and (name in EXPRESSION_INDEXES
                                      or name in ONE_DATABASE_INDEXES))


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _compared})
        differences = compare_metadata(context, db.metadata)
        names = {i["name"] for i in inspect(connection).get_indexes("people")}
        if connection.dialect.name == "postgresql":
            differences += [("missing expression index", n) for n in EXPRESSION_INDEXES - names]
        differences += [("index of one database", n) for n, dialect in
                        ONE_DATABASE_INDEXES.items()
                        if (n in names) != (connection.dialect.name == dialect)]
        return differences


def _tables() -> set[str]:
    """The tables, SQLite's search tables checked apart: all there, on SQLite only."""
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
        search = tables & SQLITE_SEARCH_TABLES
        if tables - search:
            expected = SQLITE_SEARCH_TABLES if connection.dialect.name == "sqlite" else set()
            assert search == expected, f"search tables: {search}"
        return tables - search


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def test_there_is_one_single_head(migration_app):
    heads = _script().get_heads()
    assert len(heads) == 1, f"several heads, merge them: {heads}"


def test_upgrading_an_empty_database_gives_exactly_the_models(migration_app):
    upgrade()
    assert _tables() == set(db.metadata.tables)
    differences = _differences()
    assert differences == [], f"models and migrations differ: {differences}"


def test_down_to_nothing_and_up_again(migration_app):
    upgrade()
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _differences() == []
    with db.engine.connect() as connection:
        version = connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == _script().get_current_head()


def test_the_migrated_audit_table_refuses_edits(migration_app):
    """The triggers come with the migrations, not only with create_all()."""
    upgrade()
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO audit_events (occurred_at, actor_label, action, prev_hash, "
            "entry_hash) VALUES (CURRENT_TIMESTAMP, 'x', 'test.event', 'a', 'b')"))
    with pytest.raises(Exception, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET action = 'autre'"))
    with pytest.raises(Exception, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events"))
