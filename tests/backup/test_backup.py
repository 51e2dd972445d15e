"""Backups taken while the application writes are complete, private and checkable."""

from __future__ import annotations

import re
import shutil
import sqlite3
import stat
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from hr_social.audit.anchor import audit_key, checkpoint_file
from hr_social.audit.models import AuditEvent
from hr_social.audit.services import record
from hr_social.backup import services as backup
from hr_social.db import db


def _dialect() -> str:
    return db.engine.dialect.name


class Writer(threading.Thread):
    """The application at work: one audited change committed after another."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app, self.committed, self.stop, self.error = app, [], threading.Event(), None

    def run(self):
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    event = record("test.backup", target_type="essai", target_id=1)
                    db.session.commit()
                    self.committed.append(event.entry_hash)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.committed) < count and time.monotonic() < deadline:
            time.sleep(0.01)

    def finish(self) -> None:
        self.stop.set()
        self.join(timeout=30)
        assert self.error is None, self.error


@pytest.fixture
def writer(app):
    db.session.rollback()
    thread = Writer(app)
    thread.start()
    yield thread
    thread.finish()


def _hashes_in_sqlite(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as connection:
        return {row[0] for row in connection.execute("SELECT entry_hash FROM audit_events")}


def test_a_sqlite_backup_under_concurrent_writes_has_every_row_committed_before_it(
    app, writer, tmp_path
):
    if _dialect() != "sqlite":
        pytest.skip("SQLite backup API")
    writer.wait_for(50)
    committed_before = list(writer.committed)
    result = backup.create_backup(tmp_path / "copie.sqlite3")
    writer.wait_for(len(committed_before) + 50)  # the application kept writing meanwhile
    writer.finish()

    assert result.kind == "sqlite"
    # "Restore" the copy: open it as the application's database would be opened.
    restored = tmp_path / "restauree.sqlite3"
    shutil.copyfile(result.path, restored)
    in_copy = _hashes_in_sqlite(restored)
    assert set(committed_before) <= in_copy
    assert len(in_copy) < len(writer.committed), "the copy is a snapshot, not the live file"
    report = backup.verify_backup(result.path)
    assert report.ok, report.problems
    assert report.audit_entries == len(in_copy)
    assert not Path(f"{result.path}-wal").exists(), "a self-contained file"


def test_a_postgresql_backup_under_concurrent_writes_restores_completely(
    app, writer, tmp_path
):
    if _dialect() != "postgresql":
        pytest.skip("pg_dump")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    app.config["BACKUP_VERIFY_DB_PREFIX"] = "h2_verify_"
    writer.wait_for(30)
    committed_before = list(writer.committed)
    result = backup.create_backup(tmp_path / "copie.dump")
    writer.wait_for(len(committed_before) + 20)
    writer.finish()

    assert result.kind == "postgresql"
    with backup.restored_postgres(result.path) as engine, engine.connect() as connection:
        in_copy = set(connection.scalars(text("SELECT entry_hash FROM audit_events")))
    assert set(committed_before) <= in_copy
    report = backup.verify_backup(result.path)
    assert report.ok, report.problems
    assert report.audit_entries == len(in_copy)
    leftovers = db.session.scalars(text(
        "SELECT datname FROM pg_database WHERE datname LIKE 'h2_verify_%'")).all()
    assert leftovers == [], "the scratch database is dropped"


def test_flask_backup_writes_a_private_dated_file_in_the_instance_folder(app):
    record("test.backup", target_type="essai", target_id=1)
    db.session.commit()
    if _dialect() == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    app.config["BACKUP_VERIFY_DB_PREFIX"] = "h2_verify_"
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    [written] = list((Path(app.instance_path) / "backups").iterdir())
    suffix = "sqlite3" if _dialect() == "sqlite" else "dump"
    assert re.fullmatch(rf"hr_social-\d{{8}}-\d{{6}}\.{suffix}", written.name)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert "Copie de sauvegarde écrite" in result.output and written.name in result.output

    check = app.test_cli_runner().invoke(args=["backup", "--verify", str(written)])
    assert check.exit_code == 0, check.output
    assert "Copie valide" in check.output and "chaîne d'audit intègre (1 entrées)" in check.output


def test_each_backup_writes_an_audit_checkpoint_and_older_copies_still_verify(
        app, sqlite_copy, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", "-o", str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 0, result.output
    assert "Point de contrôle écrit" in result.output and "5 entrées" in result.output
    [line] = checkpoint_file().read_text().splitlines()
    assert '"reason": "backup"' in line and '"entries": 5' in line
    # Later entries and checkpoints: the older copy is compared with its own past only.
    record("test.backup", target_type="essai", target_id=9)
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    report = backup.verify_backup(sqlite_copy)
    assert report.ok, report.problems


def test_a_copy_rewritten_with_the_key_is_caught_by_an_earlier_checkpoint(app, sqlite_copy):
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    with closing(sqlite3.connect(sqlite_copy)) as connection:
        connection.execute("DROP TRIGGER audit_events_no_update")
        rows = connection.execute("SELECT id FROM audit_events ORDER BY id").fetchall()
        connection.commit()
    engine = create_engine(f"sqlite:///{sqlite_copy}")
    with engine.begin() as connection:
        previous = None
        for (event_id,) in rows:
            row = connection.execute(select(AuditEvent.__table__).where(
                AuditEvent.__table__.c.id == event_id)).one()
            event = AuditEvent(**row._mapping)
            event.target_label = "réécrit" if event_id == 3 else event.target_label
            event.prev_hash = previous or event.prev_hash
            event.entry_hash = event.compute_hash(audit_key())
            connection.execute(AuditEvent.__table__.update().where(
                AuditEvent.__table__.c.id == event_id).values(
                target_label=event.target_label, prev_hash=event.prev_hash,
                entry_hash=event.entry_hash))
            previous = event.entry_hash
    engine.dispose()
    report = backup.verify_backup(sqlite_copy)
    assert not report.ok
    assert any("réécrite" in problem for problem in report.problems), report.problems


def test_an_existing_file_is_never_overwritten(app, tmp_path):
    target = tmp_path / "deja.sqlite3"
    target.write_text("précieux")
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(target)])
    assert result.exit_code == 1 and "existe déjà" in result.output
    assert target.read_text() == "précieux"


@pytest.fixture
def sqlite_copy(app, tmp_path):
    if _dialect() != "sqlite":
        pytest.skip("SQLite copy")
    for n in range(5):
        record("test.backup", target_type="essai", target_id=n)
    db.session.commit()
    return backup.create_backup(tmp_path / "copie.sqlite3").path


def test_verify_detects_a_corrupted_copy(app, sqlite_copy):
    data = bytearray(sqlite_copy.read_bytes())
    data[4096:8192] = b"\xde\xad\xbe\xef" * 1024  # a damaged page
    sqlite_copy.write_bytes(bytes(data))
    result = app.test_cli_runner().invoke(args=["backup", "--verify", str(sqlite_copy)])
    assert result.exit_code == 1
    assert "Copie NON valide" in result.output


def test_verify_detects_a_copy_whose_audit_trail_was_altered(app, sqlite_copy):
    with closing(sqlite3.connect(sqlite_copy)) as connection:
        connection.execute("DROP TRIGGER audit_events_no_update")
        connection.execute("UPDATE audit_events SET target_id = '99' WHERE id = 3")
        connection.commit()
    report = backup.verify_backup(sqlite_copy)
    assert not report.ok
    assert "Chaîne d'audit rompue à l'entrée 3" in report.problems[0]


def test_verify_refuses_a_file_that_is_no_backup(app, tmp_path):
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 100)
    result = app.test_cli_runner().invoke(args=["backup", "--verify", str(junk)])
    assert result.exit_code == 1
    assert "ni une base SQLite ni une copie pg_dump" in result.output
    missing = app.test_cli_runner().invoke(args=["backup", "--verify", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "Fichier introuvable" in missing.output


def test_verify_reports_a_sqlite_file_without_the_application_tables(app, tmp_path):
    other = tmp_path / "autre.sqlite3"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE t (x)")
    report = backup.verify_backup(other)
    assert not report.ok and "Copie inutilisable" in report.problems[0]


def test_without_pg_dump_the_operator_is_told_what_to_install(app, tmp_path):
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://rh@127.0.0.1:1/rh"
    app.config["PG_DUMP"] = str(tmp_path / "absent" / "pg_dump")
    result = app.test_cli_runner().invoke(args=["backup", "-o", str(tmp_path / "x.dump")])
    assert result.exit_code == 1
    assert "pg_dump est introuvable" in result.output and "postgresql-client" in result.output
    assert not (tmp_path / "x.dump").exists()
    assert list(tmp_path.glob(".x.dump*")) == [], "no half-written file is left"


def test_a_failing_pg_dump_is_reported_and_leaves_no_file(app, tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://rh:secret@127.0.0.1:1/rh"
    result = app.test_cli_runner().invoke(args=["backup", "-o", str(tmp_path / "x.dump")])
    assert result.exit_code == 1 and "pg_dump a échoué" in result.output
    assert "secret" not in result.output
    assert list(tmp_path.glob("*x.dump*")) == []


def test_a_pg_dump_file_cannot_be_checked_without_a_postgresql_server(app, tmp_path):
    if _dialect() != "sqlite":
        pytest.skip("configured database is PostgreSQL")
    dump = tmp_path / "copie.dump"
    dump.write_bytes(b"PGDMP" + b"\0" * 100)
    result = app.test_cli_runner().invoke(args=["backup", "--verify", str(dump)])
    assert result.exit_code == 1 and "DATABASE_URL doit désigner" in result.output


def test_an_unsupported_database_is_refused(app, tmp_path):
    app.config["SQLALCHEMY_DATABASE_URI"] = "mysql://rh@localhost/rh"
    with pytest.raises(backup.BackupError, match="non prise en charge"):
        backup.create_backup(tmp_path / "x")


def test_a_missing_sqlite_database_is_reported(app, tmp_path):
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'absente.sqlite3'}"
    with pytest.raises(backup.BackupError, match="introuvable"):
        backup.create_backup(tmp_path / "x.sqlite3")


def test_the_copy_keeps_rows_of_every_table(app, make_person, tmp_path):
    if _dialect() != "sqlite":
        pytest.skip("SQLite copy")
    person = make_person(first_name="Éloïse")
    path = backup.create_backup(tmp_path / "copie.sqlite3").path
    with closing(sqlite3.connect(path)) as connection:
        names = [row[0] for row in connection.execute("SELECT first_name FROM people")]
    assert names == ["Éloïse"] and person.id


