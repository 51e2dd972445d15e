"""A trail written before the chain was keyed keeps verifying after the migration that
adds ``hash_version``, and the entries written afterwards are keyed."""

from __future__ import annotations

import hashlib
import json

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import text

from hr_social.audit.models import GENESIS_HASH
from hr_social.audit.services import record, verify_chain
from hr_social.db import db
from tests.test_migrations import _script, empty_database, migration_app  # noqa: F401

KEYED_REVISION = "0006"


def _old_hash(prev: str, at: str, action: str) -> str:
    """Exactly what the application computed before this change (plain SHA-256)."""
    payload = {"prev": prev, "at": at, "actor": None, "actor_label": "Système",
               "on_behalf_of": None, "action": action, "target": ["essai", "1", None],
               "before": None, "after": None, "ip": None, "ua": None}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_an_old_trail_still_verifies_after_the_upgrade(migration_app):  # noqa: F811
    upgrade(revision=_script().get_revision(KEYED_REVISION).down_revision)
    previous = GENESIS_HASH
    with db.engine.begin() as connection:
        for n in range(3):
            at = f"2026-01-0{n + 1}T10:00:00.000000"
            entry_hash = _old_hash(previous, at, f"old.event{n}")
            connection.execute(text(
                "INSERT INTO audit_events (occurred_at, actor_label, action, target_type, "
                "target_id, prev_hash, entry_hash) VALUES (:at, 'Système', :action, 'essai', "
                "'1', :prev, :hash)"),
                {"at": at.replace("T", " "), "action": f"old.event{n}", "prev": previous,
                 "hash": entry_hash})
            previous = entry_hash
    upgrade()
    assert verify_chain().ok and verify_chain().checked == 3
    record("new.event", target_type="essai", target_id=2)
    db.session.commit()
    report = verify_chain()
    assert report.ok and report.checked == 4
    versions = db.session.execute(text(
        "SELECT hash_version FROM audit_events ORDER BY id")).scalars().all()
    assert versions == [1, 1, 1, 2]
    assert current_app.extensions["audit_anchor"]["key"], "the new entry used the key"
    db.session.remove()
