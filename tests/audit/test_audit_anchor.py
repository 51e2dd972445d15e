"""The audit chain is anchored outside the database: a key the database never holds, and
checkpoints in an append-only file. An intruder with full database rights (triggers
bypassed) who cuts the tail off or rewrites an entry is reported by `flask audit verify`."""

from __future__ import annotations

import json
import os
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select, text

from hr_social.audit.anchor import audit_key, checkpoint_file
from hr_social.audit.models import (
    GENESIS_HASH,
    LEGACY_VERSION,
    POSTGRES_TRIGGERS,
    SQLITE_TRIGGERS,
    AuditEvent,
)
from hr_social.audit.services import record, verify_chain
from hr_social.db import db, utcnow
from hr_social.mail.models import OutgoingEmail

TABLE = AuditEvent.__table__


def _write(n: int) -> list[int]:
    ids = [record("test.event", target_type="essai", target_id=i, target_label=f"Objet {i}",
                  after={"n": i}).id for i in range(n)]
    db.session.commit()
    return ids


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["audit", *args])


@contextmanager
def _superuser():
    """A connection on which the append-only triggers do not fire (what a database
    superuser can do), put back afterwards."""
    db.session.rollback()  # SQLite: release the test session's write lock first
    dialect = db.engine.dialect.name
    with db.engine.begin() as connection:
        if dialect == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
            connection.execute(text("DROP TRIGGER audit_events_no_delete"))
        yield connection
        if dialect == "sqlite":
            for statement in SQLITE_TRIGGERS:
                connection.execute(text(statement))
    assert POSTGRES_TRIGGERS  # the PostgreSQL triggers were only disabled for that session


@pytest.fixture
def restore_trail(app):
    """Whatever a test does to the trail, put the original rows back for the suite's own
    check at teardown."""
    saved = []

    def save():
        saved.extend(dict(row._mapping) for row in db.session.execute(
            select(TABLE).order_by(TABLE.c.id)))
        db.session.rollback()

    yield save
    with _superuser() as connection:
        connection.execute(TABLE.delete())
        if saved:
            connection.execute(TABLE.insert(), saved)
    assert verify_chain().ok


def _rewrite_from(connection, first_id: int, *, key: bytes | None, version: int | None = None,
                  label: str = "Objet réécrit") -> None:
    """Rewrite one entry, then recompute every later hash with the application's own
    function, as an intruder who read the source would."""
    rows = connection.execute(select(TABLE).where(TABLE.c.id >= first_id)
                              .order_by(TABLE.c.id)).all()
    previous = connection.scalar(select(TABLE.c.entry_hash).where(TABLE.c.id < first_id)
                                 .order_by(TABLE.c.id.desc()).limit(1)) or GENESIS_HASH
    for row in rows:
        event = AuditEvent(**row._mapping)
        if event.id == first_id:
            event.target_label = label
        event.prev_hash = previous
        event.hash_version = version or event.hash_version
        event.entry_hash = event.compute_hash(key)
        connection.execute(TABLE.update().where(TABLE.c.id == event.id).values(
            target_label=event.target_label, prev_hash=event.prev_hash,
            hash_version=event.hash_version, entry_hash=event.entry_hash))
        previous = event.entry_hash


def test_a_checkpoint_is_a_private_append_only_file_outside_the_database(app):
    _write(3)
    first = _cli(app, "checkpoint")
    assert first.exit_code == 0, first.output
    assert "3 entrées" in first.output
    _write(2)
    assert _cli(app, "checkpoint").exit_code == 0
    path = checkpoint_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["entries"] for line in lines] == [3, 5]
    head = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert lines[-1]["head_id"] == head.id and lines[-1]["head_hash"] == head.entry_hash
    result = _cli(app, "verify")
    assert result.exit_code == 0
    assert "5 entrées vérifiées" in result.output and "2 point(s) de contrôle" in result.output


def test_verify_says_when_no_checkpoint_protects_the_tail(app):
    _write(2)
    result = _cli(app, "verify")
    assert result.exit_code == 0 and "Aucun point de contrôle" in result.output


def test_deleting_the_last_ten_entries_is_reported(app, restore_trail):
    ids = _write(120)
    assert _cli(app, "checkpoint").exit_code == 0
    restore_trail()
    with _superuser() as connection:
        connection.execute(TABLE.delete().where(TABLE.c.id > ids[-11]))
    # The chain alone still holds together: what is left is a valid, shorter chain.
    assert verify_chain().ok
    db.session.rollback()
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert "Fin du journal manquante" in result.output
    assert f"120 entrées jusqu'à l'entrée n° {ids[-1]}" in result.output
    assert f"plus que 110 (dernière : n° {ids[-11]})" in result.output
    # A checkpoint never blesses a damaged trail.
    before = checkpoint_file().read_text()
    refused = _cli(app, "checkpoint")
    assert refused.exit_code == 1 and "NON écrit" in refused.output
    assert checkpoint_file().read_text() == before


def test_rewriting_entry_100_with_the_key_is_reported_against_the_checkpoint(app, restore_trail):
    """An intruder who also stole the key recomputes a perfect chain: only the checkpoint
    written before the rewrite can tell."""
    ids = _write(120)
    assert _cli(app, "checkpoint").exit_code == 0
    restore_trail()
    with _superuser() as connection:
        _rewrite_from(connection, ids[99], key=audit_key())
    assert verify_chain().ok
    db.session.rollback()
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert f"Entrée n° {ids[-1]} réécrite" in result.output


@pytest.mark.parametrize("attempt", ["guessed key", "plain SHA-256 like old entries"])
def test_rewriting_entry_100_without_the_key_breaks_the_chain_there(app, restore_trail,
                                                                    attempt):
    ids = _write(120)
    restore_trail()
    with _superuser() as connection:
        if attempt == "guessed key":
            _rewrite_from(connection, ids[99], key=b"0" * 64)
        else:
            _rewrite_from(connection, ids[99], key=None, version=LEGACY_VERSION)
    report = verify_chain()
    db.session.rollback()
    assert report.first_broken_id == ids[99] and report.checked == 99
    result = _cli(app, "verify")
    assert result.exit_code == 1 and f"rompue à l'entrée {ids[99]}" in result.output
    assert "Chain" not in result.output and "hash" not in result.output, "French only"


def test_entries_hashed_before_the_key_keep_verifying(app):
    """A trail written before this change: plain SHA-256, hash_version 1."""
    previous = GENESIS_HASH
    legacy = []
    for n in range(3):
        event = AuditEvent(occurred_at=utcnow(), actor_label="Système",
                           action="test.legacy", target_type="essai", target_id=str(n),
                           prev_hash=previous, hash_version=LEGACY_VERSION)
        event.entry_hash = event.compute_hash()
        legacy.append(event)
        previous = event.entry_hash
    db.session.add_all(legacy)
    db.session.commit()
    _write(2)
    versions = db.session.scalars(select(AuditEvent.hash_version).order_by(AuditEvent.id)).all()
    assert versions == [1, 1, 1, 2, 2]
    report = verify_chain()
    assert report.ok and report.checked == 5
    assert _cli(app, "verify").exit_code == 0


def test_turning_the_whole_trail_into_unkeyed_entries_is_caught_by_the_checkpoint(
        app, restore_trail):
    ids = _write(20)
    assert _cli(app, "checkpoint").exit_code == 0
    restore_trail()
    with _superuser() as connection:
        _rewrite_from(connection, ids[0], key=None, version=LEGACY_VERSION)
    assert verify_chain().ok  # a consistent legacy chain...
    db.session.rollback()
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "réécrite" in result.output  # ...but not the one anchored


def test_an_edited_checkpoint_line_is_reported(app):
    _write(4)
    assert _cli(app, "checkpoint").exit_code == 0
    path = checkpoint_file()
    line = json.loads(path.read_text())
    line["entries"] = 3
    path.write_text(json.dumps(line) + "\n")
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert "Ligne 1 du fichier de points de contrôle" in result.output


def test_the_key_is_an_instance_file_or_the_environment_never_a_table(app, tmp_path):
    app.config["AUDIT_HMAC_KEY"] = ""  # not configured: the instance file is made
    key_file = os.path.join(app.instance_path, "audit_hmac_key")
    assert not os.path.exists(key_file)
    _write(1)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert audit_key() == Path(key_file).read_bytes().strip()
    everything = " ".join(str(value) for row in db.session.execute(select(TABLE))
                          for value in row)
    assert audit_key().decode() not in everything


def test_a_configured_key_wins_and_another_key_does_not_verify(app):
    assert app.config["AUDIT_HMAC_KEY"] == "tests-only-audit-key"  # from tests/conftest.py
    app.extensions.pop("audit_anchor", None)
    app.config["AUDIT_HMAC_KEY"] = "clé de la variable d'environnement"
    _write(2)
    assert audit_key() == "clé de la variable d'environnement".encode()
    assert not os.path.exists(os.path.join(app.instance_path, "audit_hmac_key"))
    app.extensions.pop("audit_anchor")
    app.config["AUDIT_HMAC_KEY"] = "une autre clé"
    report = verify_chain()
    assert not report.ok and report.reason == "content does not match its hash"
    app.extensions.pop("audit_anchor")
    app.config["AUDIT_HMAC_KEY"] = "clé de la variable d'environnement"
    assert verify_chain().ok


def test_a_checkpoint_can_be_mailed_to_a_configured_address(app):
    app.config["AUDIT_CHECKPOINT_EMAIL"] = "securite@ville.test"
    _write(2)
    result = _cli(app, "checkpoint")
    assert result.exit_code == 0 and "Copie envoyée à securite@ville.test" in result.output
    message = db.session.scalars(select(OutgoingEmail)).one()
    head = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert message.to_address == "securite@ville.test" and message.status == "sent"
    assert head.entry_hash in message.body and "2 entrées" in message.subject


def test_processes_starting_together_share_one_complete_key(app, tmp_path):
    """Each process creates the key if absent; all of them end up with the same one."""
    from concurrent.futures import ProcessPoolExecutor

    from hr_social.audit.anchor import _instance_key

    path = tmp_path / "racing" / "audit_hmac_key"
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = list(pool.map(_instance_key, [path] * 16))
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert [p.name for p in path.parent.iterdir()] == ["audit_hmac_key"], "no draft left"


def test_a_rewrite_contradicting_many_checkpoints_is_reported_briefly(app, restore_trail):
    ids = []
    for _day in range(12):
        ids += _write(1)
        assert _cli(app, "checkpoint").exit_code == 0
    restore_trail()
    with _superuser() as connection:
        _rewrite_from(connection, ids[0], key=audit_key())
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert result.output.count("réécrite") == 10 and "… et 2 autre(s)." in result.output
    assert f"Entrée n° {ids[0]} réécrite" in result.output, "the earliest comes first"
