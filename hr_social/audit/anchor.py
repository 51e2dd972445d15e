"""Anchors of the audit chain outside the database.

The hash chain alone proves that entries follow each other; someone who can write to the
database (a superuser bypassing the triggers) could still cut its tail off or rewrite an
entry and recompute every later hash. Two anchors stop that:

- the **key**: keyed entries are HMAC-SHA-256 with a key that never enters the database
  (``AUDIT_HMAC_KEY`` in the environment, else ``instance/audit_hmac_key``, created mode
  0600 like ``secret_key``). Without it, no rewritten entry verifies;
- **checkpoints**: the entry count and head hash, appended (one JSON line, signed with the
  same key) to a file outside the database by ``flask audit checkpoint`` (daily cron) and
  at each ``flask backup``, and optionally e-mailed. ``flask audit verify`` compares the
  database with every checkpoint: a missing tail or a rewrite before the last checkpoint
  is reported even by someone who holds the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from hr_social.db import utcnow

CHECKPOINT_FORMAT = 1


def audit_key() -> bytes:
    """The chain's key: configured, or the instance file (created on first use)."""
    cache = current_app.extensions.setdefault("audit_anchor", {})
    if "key" not in cache:
        configured = current_app.config.get("AUDIT_HMAC_KEY")
        cache["key"] = (configured or _instance_key(
            Path(current_app.instance_path) / "audit_hmac_key")).encode()
    return cache["key"]


def _instance_key(path: Path) -> str:
    """Read the key file, creating it on first use. Written beside it and hard-linked into
    place, so a worker starting at the same moment never reads a half-written (empty) key:
    an empty key cached by one worker would sign nothing the others can verify."""
    if path.exists() and (value := path.read_text().strip()):
        return value
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        # Another process may have won the race: its key is complete, and it is the one.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)
    return path.read_text().strip()


def checkpoint_file() -> Path:
    configured = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    return Path(configured) if configured else (
        Path(current_app.instance_path) / "audit-checkpoints.jsonl")


@dataclass(frozen=True)
class Checkpoint:
    line: int
    at: str
    entries: int
    head_id: int | None
    head_hash: str | None
    reason: str


def _mac(fields: dict) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(audit_key(), b"checkpoint:" + canonical, hashlib.sha256).hexdigest()


def read_checkpoints(path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint of the file, and a problem for each line that is not one of ours."""
    path = path or checkpoint_file()
    if not path.exists():
        return [], []
    checkpoints, problems = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            fields = json.loads(raw)
            mac = fields.pop("mac")
            valid = hmac.compare_digest(mac, _mac(fields))
            checkpoint = Checkpoint(number, fields["at"], int(fields["entries"]),
                                    fields["head_id"], fields["head_hash"], fields["reason"])
        except (ValueError, KeyError, TypeError, AttributeError):
            valid = False
        if not valid:
            problems.append(_("Ligne %(line)d du fichier de points de contrôle illisible, "
                              "modifiée ou signée avec une autre clé.", line=number))
            continue
        checkpoints.append(checkpoint)
    return checkpoints, problems


def append_checkpoint(entries: int, head_id: int | None, head_hash: str | None,
                      reason: str, path: Path | None = None) -> str:
    """Append one signed line (the file is opened in append mode, created 0600)."""
    path = path or checkpoint_file()
    fields = {"format": CHECKPOINT_FORMAT, "at": utcnow().isoformat(timespec="seconds"),
              "entries": entries, "head_id": head_id, "head_hash": head_hash,
              "reason": reason}
    line = json.dumps({**fields, "mac": _mac(fields)}, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return line


def compare(checkpoints: list[Checkpoint], seen: dict[int, tuple[int, str]],
            total: int, last_id: int | None, *, older_copy: bool = False) -> list[str]:
    """What differs between the database and the checkpoints.

    ``seen`` maps each checkpoint's head id found in the chain to (position, hash).
    ``older_copy``: a backup may end before later checkpoints; only its past is compared.
    """
    problems = []
    for point in checkpoints:
        if point.head_id is None:
            continue
        values = {"id": point.head_id, "at": point.at, "then": point.entries, "now": total,
                  "last": last_id if last_id is not None else "—"}
        if point.head_id in seen:
            position, entry_hash = seen[point.head_id]
            if entry_hash != point.head_hash:
                problems.append(_("Entrée n° %(id)s réécrite : son empreinte n'est plus celle "
                                  "du point de contrôle du %(at)s.", **values))
            elif position != point.entries:
                values["now"] = position
                problems.append(_("Entrées supprimées ou insérées avant l'entrée n° %(id)s : "
                                  "%(now)d jusqu'à elle au lieu de %(then)d (point de "
                                  "contrôle du %(at)s).", **values))
        elif last_id is None or point.head_id > last_id:
            if not older_copy:
                problems.append(_("Fin du journal manquante : le point de contrôle du %(at)s "
                                  "comptait %(then)d entrées jusqu'à l'entrée n° %(id)s ; la "
                                  "base n'en a plus que %(now)d (dernière : n° %(last)s).",
                                  **values))
        else:
            problems.append(_("Entrée n° %(id)s disparue (point de contrôle du %(at)s).",
                              **values))
    return problems
