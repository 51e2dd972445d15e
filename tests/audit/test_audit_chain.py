"""The audit trail cannot be edited, and tampering is found by `flask audit verify`."""

from __future__ import annotations

import datetime as dt
import enum
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from hr_social.audit.models import GENESIS_HASH, SQLITE_TRIGGERS, AuditEvent
from hr_social.audit.services import events_for, record, snapshot, verify_chain
from hr_social.db import db


def _dialect() -> str:
    return db.engine.dialect.name


def _write(n: int, action: str = "test.event") -> list[int]:
    ids = [record(action, target_type="essai", target_id=i, target_label=f"Objet {i}",
                  after={"n": i}).id for i in range(n)]
    db.session.commit()
    return ids


def _tamper(event_id: int, label: str) -> None:
    """What an intruder with database access would do: get round the triggers."""
    db.session.rollback()  # SQLite: release the test session's write lock first
    with db.engine.begin() as connection:
        if _dialect() == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
        connection.execute(text("UPDATE audit_events SET target_label = :label WHERE id = :id"),
                           {"label": label, "id": event_id})
        if _dialect() == "sqlite":
            connection.execute(text(SQLITE_TRIGGERS[0]))


def test_verify_reports_a_sound_chain(app):
    _write(3)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "Chaîne d'audit intègre : 3 entrées vérifiées." in result.output


def test_verify_names_the_first_entry_that_was_tampered_with(app):
    ids = _write(5)
    _tamper(ids[2], "Objet falsifié")
    try:
        result = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert result.exit_code == 1
        assert f"rompue à l'entrée {ids[2]}" in result.output
        assert "2 entrées valides avant elle" in result.output
    finally:
        _tamper(ids[2], "Objet 2")  # put it back, so the suite's own check passes
    assert verify_chain().ok


def test_a_removed_entry_breaks_the_chain_at_the_next_one(app):
    ids = _write(4)
    rows = db.session.execute(select(AuditEvent.__table__).where(
        AuditEvent.id == ids[1])).one()._mapping
    db.session.rollback()
    with db.engine.begin() as connection:
        if _dialect() == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_no_delete"))
        connection.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})
    db.session.rollback()
    report = verify_chain()
    db.session.rollback()
    assert report.first_broken_id == ids[2] and report.reason == "previous hash does not match"
    with db.engine.begin() as connection:
        connection.execute(AuditEvent.__table__.insert().values(**rows))
        if _dialect() == "sqlite":
            connection.execute(text(SQLITE_TRIGGERS[1]))
    assert verify_chain().ok


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'x.y'",
    "DELETE FROM audit_events",
])
def test_the_database_refuses_to_edit_or_delete_history(app, statement):
    _write(2)
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(statement))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2
    assert verify_chain().ok


def test_postgresql_refuses_to_truncate_history(app):
    if _dialect() != "postgresql":
        pytest.skip("TRUNCATE triggers exist on PostgreSQL only (SQLite has no TRUNCATE)")
    _write(2)
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_events CASCADE"))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_the_orm_cannot_edit_an_entry_either(app):
    event_id = _write(1)[0]
    event = db.session.get(AuditEvent, event_id)
    event.action = "autre.chose"
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_concurrent_writers_keep_one_unforked_chain(app):
    """Eight threads (own connection each) append at once: one chain, no fork."""
    db.session.rollback()
    errors: list[BaseException] = []
    writers, per_writer = 8, 15

    def writer(n: int) -> None:
        try:
            with app.app_context():
                for i in range(per_writer):
                    record("test.concurrent", target_type="essai", target_id=f"{n}-{i}")
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    report = verify_chain()
    assert report.ok and report.checked == writers * per_writer
    prev_hashes = db.session.scalars(select(AuditEvent.prev_hash)).all()
    assert len(set(prev_hashes)) == len(prev_hashes), "two entries share a predecessor: a fork"
    assert prev_hashes.count(GENESIS_HASH) == 1


def test_a_rolled_back_change_leaves_no_audit_entry(app):
    record("test.event", target_type="essai", target_id=1)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


class Colour(enum.Enum):
    red = "rouge"


def test_entries_keep_plain_values_and_form_a_timeline(app, make_person):
    person = make_person(first_name="Lucie")
    before = snapshot(person, "first_name", "is_active")
    record("person.updated", person, before=before,
           after={"first_name": "Lucie-Anne", "is_active": True, "on": dt.date(2026, 1, 2),
                  "at": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), "colour": Colour.red,
                  "amount": Decimal("1.50"), "tags": {"b", "a"}, "other": object.__name__})
    db.session.commit()
    [event] = events_for("people", person.id)
    assert event.after["on"] == "2026-01-02" and event.after["colour"] == "rouge"
    assert event.after["amount"] == "1.50" and event.after["tags"] == ["a", "b"]
    assert ("first_name", "Lucie", "Lucie-Anne") in event.changes()
    assert ("is_active", True, True) not in event.changes()
    assert event.actor_label == "Système" and event.target_label == person.full_name
