"""SQLite: a page view does not hold the write lock, so writers do not queue behind readers;
a page view that writes waits for its turn instead of failing; forms sent stay serialised."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from hr_social.db import db
from hr_social.people.models import Service

LONG_READ = 2.0


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's locking; PostgreSQL readers never block writers")
    db.session.rollback()
    return app


def _in_thread(target) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = target()
        except Exception as error:  # reported by the test, not lost in the thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _long_page_view(app, started: threading.Event):
    """A report page that reads for a while (GET), as a slow list would."""
    with app.test_request_context("/people/", method="GET"):
        try:
            first = db.session.scalar(select(func.count()).select_from(Service))
            started.set()
            time.sleep(LONG_READ)
            # Still its own snapshot: the service created meanwhile is not seen yet.
            return first, db.session.scalar(select(func.count()).select_from(Service))
        finally:
            db.session.remove()


def test_a_form_is_saved_while_a_long_page_view_is_reading(sqlite_only, login_as):
    client = login_as("hr")
    started = threading.Event()
    reader, read = _in_thread(lambda: _long_page_view(sqlite_only, started))
    assert started.wait(10)
    begun = time.monotonic()
    response = client.submit("/services/new", {"name": "Bibliothèque", "code": "BIB"})
    elapsed = time.monotonic() - begun
    reader.join(30)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert elapsed < LONG_READ / 2, f"the write waited {elapsed:.1f} s behind a reader"
    assert "error" not in read, read
    first, last = read["value"]
    assert first == last  # the reader kept a consistent snapshot
    assert db.session.scalar(select(Service.id).where(Service.code == "BIB")) is not None


def test_a_page_view_that_writes_waits_for_the_writer_instead_of_failing(sqlite_only,
                                                                          make_service):
    service = make_service("Greffe", "GREF")
    service_id = service.id
    db.session.rollback()
    writing = threading.Event()

    def slow_writer():  # a command holding the write lock for a second
        with sqlite_only.app_context():
            try:
                db.session.execute(text("UPDATE services SET name = 'Greffe (ancien)' "
                                        "WHERE id = :id"), {"id": service_id})
                writing.set()
                time.sleep(1)
                db.session.commit()
            finally:
                db.session.remove()

    def page_view_that_writes():
        with sqlite_only.test_request_context("/", method="GET"):
            try:
                db.session.scalar(select(Service.name).where(Service.id == service_id))
                assert writing.wait(10)
                time.sleep(0.2)  # the writer commits while this snapshot is open
                db.session.execute(text("UPDATE services SET code = 'GRF' WHERE id = :id"),
                                   {"id": service_id})
                db.session.commit()
            finally:
                db.session.remove()

    writer, written = _in_thread(slow_writer)
    viewer, viewed = _in_thread(page_view_that_writes)
    writer.join(30)
    viewer.join(30)
    assert written == {"value": None} and viewed == {"value": None}, (written, viewed)
    db.session.expire_all()
    assert (service.name, service.code) == ("Greffe (ancien)", "GRF")
