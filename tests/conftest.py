"""Fixtures: an app on a clean database per test, factories, a logged-in client per role.

SQLite (default): each test gets a copy of a freshly created database file.
PostgreSQL (TEST_DATABASE_URL=postgresql+psycopg://…): the schema is created once per run,
and every table is emptied after each test.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import sqlite3
from contextlib import closing

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from hr_social import create_app
from hr_social.audit.services import verify_chain
from hr_social.auth.passwords import hash_password
from hr_social.db import db
from hr_social.people.models import Person, PersonKind, Service, User, UserRole

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")

def pytest_sessionstart(session):
    """Compile the English catalogue if the .po is newer, before any application loads it:
    the test application is shared, and Flask-Babel keeps the catalogue it loaded first."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parents[1] / "hr_social/translations/en/LC_MESSAGES/messages.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        with po.open("rb") as source, mo.open("wb") as target:
            write_mo(target, read_po(source, locale="en"))

PASSWORD = "mot-de-passe-de-test"

TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "SECRET_KEY": "tests-only-secret",
    # Every app of a test shares the database, so it shares the audit key (as the workers of
    # one installation do); tests/audit/test_audit_anchor.py covers the instance key file.
    "AUDIT_HMAC_KEY": "tests-only-audit-key",
    # Argon2id still, but cheap: tests create many accounts.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 1024,
    "ARGON2_PARALLELISM": 1,
    "SMTP_HOST": "",
    # Two-factor sign-in is off in ordinary tests (they log in with a password only);
    # tests/auth/test_two_factor.py turns it on as configured by default.
    "TWO_FACTOR_ROLES": "",
    # Tests deliver mail when they mean to (deliver_queued), not from a background thread.
    "MAIL_DELIVERY": "cron",
}


class Client(FlaskClient):
    """Each request runs in its own app context, as in production: fresh ``g`` and session.

    The test's own session is rolled back first, so it holds no lock (SQLite transactions
    take the write lock) and its objects reload with what the request committed.
    """

    def open(self, *args, **kwargs):
        db.session.rollback()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
            db.session.remove()
        return response

    def submit(self, url: str, data: dict | None = None, **kwargs):
        """POST a form as a browser would: with a fresh one-time submission key."""
        data = dict(data or {})
        data.setdefault("submission_key", secrets.token_urlsafe(16))
        return self.post(url, data=data, **kwargs)


def _uses_postgres() -> bool:
    return POSTGRES_URL.startswith("postgresql")


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Create the schema once: a template file for SQLite, the live schema for PostgreSQL."""
    if _uses_postgres():
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": POSTGRES_URL})
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            db.create_all()
            db.engine.dispose()
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    # A single self-contained file, safe to copy (no live WAL beside it).
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    return path


def _empty_postgres() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        # replica role: the append-only triggers do not fire for the clean-up between tests.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(database_template, tmp_path):
    if _uses_postgres():
        return database_template
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def shared_app(database_template, tmp_path_factory):
    """One application for the run: building one (370 URL rules compiled) cost more than most
    tests. Each test still gets a fresh database, a fresh app context, its own instance
    folder and the configuration as created (restored after the test)."""
    if _uses_postgres():
        url, path = POSTGRES_URL, None
    else:
        path = tmp_path_factory.mktemp("live") / "test.sqlite3"
        url = f"sqlite:///{path}"
    application = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    return application, path, dict(application.config)


def _fresh_sqlite(path, template) -> None:
    """Replace the live database file by the template (no connection is open)."""
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, path)


@pytest.fixture
def app(request, database_template, tmp_path):
    """The application on a clean database. Tests that add routes to it are marked
    ``own_app`` and get an application of their own."""
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    if request.node.get_closest_marker("own_app"):
        url = request.getfixturevalue("database_url")
        application, config = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url}), None
    else:
        application, path, config = request.getfixturevalue("shared_app")
        if path is not None:
            _fresh_sqlite(path, database_template)
    application.instance_path = str(instance)
    application.test_client_class = None
    try:
        with application.app_context():
            yield application
            db.session.remove()
            report = verify_chain()
            db.session.remove()
            assert report.ok, f"audit chain broken at {report.first_broken_id}: {report.reason}"
            if _uses_postgres():
                _empty_postgres()
            db.engine.dispose()
    finally:
        if config is not None:  # settings a test changed do not leak into the next one
            application.config.clear()
            application.config.update(config)
            # The audit key is cached from the settings: a test that changed them
            # must not sign the next test's entries with its own key.
            application.extensions.pop("audit_anchor", None)


@pytest.fixture
def client(app):
    app.test_client_class = Client
    return app.test_client()


_counter = itertools.count(1)


@pytest.fixture
def make_service(app):
    def factory(name: str | None = None, code: str | None = None) -> Service:
        n = next(_counter)
        service = Service(name=name or f"Service {n}", code=code or f"S{n:03d}")
        db.session.add(service)
        db.session.commit()
        return service

    return factory


@pytest.fixture
def make_person(app, make_service):
    def factory(first_name="Marie", last_name=None, service=None, manager=None,
                kind=PersonKind.employee, email=None, **extra) -> Person:
        n = next(_counter)
        person = Person(
            employee_number=extra.pop("employee_number", f"E{n:05d}"),
            first_name=first_name, last_name=last_name or f"Tremblay{n}",
            email=email or f"personne{n}@ville.test",
            service=service or make_service(), manager=manager, kind=kind, **extra,
        )
        db.session.add(person)
        db.session.commit()
        return person

    return factory


@pytest.fixture
def make_user(app, make_person):
    def factory(*roles: str, person=None, username=None, password=PASSWORD, **person_kw) -> User:
        roles = roles or ("employee",)
        person = person or make_person(**person_kw)
        user = User(
            username=username or f"user{person.id}", password_hash=hash_password(password),
            person=person, roles=[UserRole(role=r) for r in roles],
        )
        db.session.add(user)
        db.session.commit()
        return user

    return factory


def login(client: Client, user: User, password: str = PASSWORD):
    response = client.post("/login", data={"username": user.username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def login_as(app, make_user):
    """login_as("hr") → a client logged in as a new user holding that role (and employee)."""

    def factory(*roles: str, user: User | None = None, **kw) -> Client:
        user = user or make_user(*(roles or ("employee",)), **kw)
        app.test_client_class = Client
        return login(app.test_client(), user)

    return factory
