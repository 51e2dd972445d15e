"""Consistent copies of the live database, and checks that a copy can be restored.

SQLite: the online backup API copies a consistent snapshot while other connections write
(a plain file copy of a WAL database silently loses committed rows). PostgreSQL: ``pg_dump
-Fc`` (a snapshot too). Verification restores the copy somewhere harmless and checks the
audit chain there: a backup that cannot be restored is no backup.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from hr_social.audit.checkpoints import explain, verify_anchored
from hr_social.audit.models import AuditEvent

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or a verification could not be done; the message is for the operator."""


@dataclass
class BackupResult:
    path: Path
    kind: str  # "sqlite" or "postgresql"
    size: int


@dataclass
class VerifyReport:
    path: Path
    kind: str
    audit_entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def default_destination(kind: str, now: dt.datetime | None = None) -> Path:
    folder = Path(current_app.config.get("BACKUP_DIR") or
                  Path(current_app.instance_path) / "backups")
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if kind == "sqlite" else "dump"
    return folder / f"hr_social-{stamp}.{suffix}"


def _private_file(path: Path) -> int:
    """Create a new file readable by its owner only (backups hold personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


@contextmanager
def _written_atomically(destination: Path):
    """Yield a private temporary path beside the destination; rename it into place only
    when the copy is complete, so a half-written file never looks like a backup."""
    if destination.exists():
        raise BackupError(_("Le fichier %(path)s existe déjà.", path=destination))
    temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.part")
    os.close(_private_file(temporary))
    try:
        yield temporary
        os.chmod(temporary, 0o600)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def create_backup(output: str | Path | None = None) -> BackupResult:
    url = _database_url()
    kind = "sqlite" if url.get_backend_name() == "sqlite" else url.get_backend_name()
    if kind not in {"sqlite", "postgresql"}:
        raise BackupError(_("Base de données non prise en charge : %(name)s.", name=kind))
    destination = Path(output) if output else default_destination(kind)
    with _written_atomically(destination) as temporary:
        if kind == "sqlite":
            _backup_sqlite(url, temporary)
        else:
            _backup_postgres(url, temporary)
    return BackupResult(destination, kind, destination.stat().st_size)


def _backup_sqlite(url: URL, target: Path) -> None:
    source_path = url.database
    if not source_path or source_path == ":memory:" or not Path(source_path).exists():
        raise BackupError(_("Base SQLite introuvable : %(path)s.", path=source_path))
    with closing(sqlite3.connect(source_path, timeout=30)) as source, \
            closing(sqlite3.connect(target)) as copy:
        source.execute("PRAGMA busy_timeout = 30000")
        # One step (pages=-1): the whole database is read under one snapshot.
        source.backup(copy)
        # A self-contained file: no -wal beside it to lose when it is moved.
        copy.execute("PRAGMA journal_mode = DELETE")


def _tool(name: str) -> str:
    configured = current_app.config.get(name.upper().replace("-", "_"))
    found = configured or shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(_(
            "Le programme %(tool)s est introuvable. Installez le client PostgreSQL "
            "(paquet postgresql-client, même version majeure que le serveur) ou indiquez "
            "son chemin dans la variable %(var)s.", tool=name, var=name.upper().replace("-", "_"),
        ))
    return found


def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq connection string without the password (given through the environment,
    never on a command line that `ps` shows)."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _run(command: list[str], environment: dict, stdout=subprocess.PIPE) -> None:
    result = subprocess.run(command, env=environment, stdout=stdout,  # noqa: S603
                            stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        detail = (result.stderr or b"").decode(errors="replace").strip()[-2000:]
        raise BackupError(_("%(tool)s a échoué : %(detail)s", tool=Path(command[0]).name,
                            detail=detail))


def _backup_postgres(url: URL, target: Path) -> None:
    conninfo, environment = _libpq(url)
    with open(target, "wb") as handle:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--dbname={conninfo}"], environment, stdout=handle)


def detect_kind(path: Path) -> str | None:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def verify_backup(path: str | Path) -> VerifyReport:
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Fichier introuvable : %(path)s.", path=path))
    kind = detect_kind(path)
    report = VerifyReport(path, kind or "inconnu")
    if kind == "sqlite":
        _verify_sqlite(path, report)
    elif kind == "postgresql":
        _verify_postgres(path, report)
    else:
        report.problems.append(_("Ce fichier n'est ni une base SQLite ni une copie pg_dump."))
    return report


def _check_chain(engine, report: VerifyReport) -> None:
    with Session(engine) as session:
        # A copy may be older than the last checkpoints: only its own past is compared.
        chain = verify_anchored(session, older_copy=True)
        total = session.scalar(select(func.count()).select_from(AuditEvent))
    report.audit_entries = chain.checked
    if not chain.ok:
        report.problems.extend(explain(chain, bullet=""))
    elif total != chain.checked:
        report.problems.append(_("Entrées d'audit non vérifiées : %(n)d.",
                                 n=total - chain.checked))


def _verify_sqlite(path: Path, report: VerifyReport) -> None:
    # Work on a scratch copy: opening a database may write to it (journal mode, -shm),
    # and the backup itself stays untouched. It is not live, so a file copy is exact.
    with tempfile.TemporaryDirectory(prefix="hr_social_verify_") as folder:
        scratch = Path(folder) / "copy.sqlite3"
        shutil.copyfile(path, scratch)
        try:
            with closing(sqlite3.connect(scratch)) as connection:
                rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            report.problems.append(_("Fichier SQLite illisible : %(error)s", error=error))
            return
        if rows != ["ok"]:
            report.problems.append(_("Contrôle d'intégrité SQLite : %(detail)s",
                                     detail="; ".join(map(str, rows[:5]))))
            return
        engine = create_engine(f"sqlite:///{scratch}")
        try:
            _check_chain(engine, report)
        except Exception as error:  # noqa: BLE001 - any failure means an unusable copy
            report.problems.append(_("Copie inutilisable : %(error)s", error=error))
        finally:
            engine.dispose()


def _verify_postgres(path: Path, report: VerifyReport) -> None:
    try:
        with restored_postgres(path) as engine:
            _check_chain(engine, report)
    except BackupError as error:
        report.problems.append(str(error))


@contextmanager
def restored_postgres(path: Path):
    """Restore a pg_dump file into a scratch database on the configured server; yield an
    engine on it; drop it afterwards whatever happens."""
    url = _database_url()
    if url.get_backend_name() != "postgresql":
        raise BackupError(_(
            "Pour vérifier une copie pg_dump, DATABASE_URL doit désigner le serveur "
            "PostgreSQL (une base temporaire y est créée puis supprimée)."))
    restore = _tool("pg_restore")
    name = f"{current_app.config['BACKUP_VERIFY_DB_PREFIX']}{secrets.token_hex(6)}"
    scratch_url = url.set(database=name)
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine = create_engine(scratch_url, poolclass=NullPool)
        try:
            conninfo, environment = _libpq(scratch_url)
            # --clean --if-exists: a dump that recreates the public schema restores too.
            _run([restore, "--no-owner", "--no-privileges", "--exit-on-error", "--clean",
                  "--if-exists", f"--dbname={conninfo}", str(path)], environment)
            yield engine
        finally:
            engine.dispose()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
