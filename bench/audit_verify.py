"""Cost of `flask audit verify` on a large trail: plain SHA-256 entries (written before the
chain was keyed) against HMAC-SHA-256 entries, and the checkpoint comparison on top.

Prints figures (not a test):

    .venv/bin/python bench/audit_verify.py [--entries 50000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from hr_social import create_app  # noqa: E402
from hr_social.audit.anchor import append_checkpoint, audit_key, read_checkpoints  # noqa: E402
from hr_social.audit.models import GENESIS_HASH, AuditEvent  # noqa: E402
from hr_social.audit.services import verify_chain  # noqa: E402
from hr_social.db import db, utcnow  # noqa: E402


def _fill(count: int, version: int) -> None:
    """Insert a valid chain directly (record() would take minutes for the same rows)."""
    db.session.execute(AuditEvent.__table__.delete())
    previous, rows = GENESIS_HASH, []
    for n in range(count):
        event = AuditEvent(id=n + 1, occurred_at=utcnow(), actor_label="Système",
                           action="bench.event", target_type="essai", target_id=str(n),
                           target_label=f"Objet {n}", after_json=f'{{"n": {n}}}',
                           prev_hash=previous, hash_version=version)
        event.entry_hash = event.compute_hash(audit_key())
        previous = event.entry_hash
        rows.append({c.name: getattr(event, c.name) for c in AuditEvent.__table__.columns})
    db.session.execute(insert(AuditEvent.__table__), rows)
    db.session.commit()


def _timed(**kwargs) -> float:
    start = time.perf_counter()
    report = verify_chain(**kwargs)
    elapsed = time.perf_counter() - start
    assert report.ok, report
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=50_000)
    count = parser.parse_args().entries
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                          "SECRET_KEY": "bench", "AUDIT_HMAC_KEY": "bench-key",
                          "AUDIT_CHECKPOINT_FILE": f"{folder}/checkpoints.jsonl",
                          "PDF_WARM_AT_START": False})
        with app.app_context():
            db.create_all()
            # Triggers refuse the DELETE between runs: a bench database only.
            db.session.execute(db.text("DROP TRIGGER audit_events_no_delete"))
            for version, label in ((1, "SHA-256 (legacy)"), (2, "HMAC-SHA-256")):
                _fill(count, version)
                seconds = _timed()
                print(f"{label:<18} {count} entries: {seconds:.2f} s "
                      f"({count / seconds:,.0f} entries/s)")
            heads = db.session.execute(select(AuditEvent.id, AuditEvent.entry_hash)
                                       .order_by(AuditEvent.id).limit(365)).all()
            for head_id, head_hash in heads:  # a year of daily checkpoints
                append_checkpoint(head_id, head_id, head_hash, "bench")
            checkpoints, _problems = read_checkpoints()
            seconds = _timed(checkpoints=checkpoints)
            print(f"HMAC + {len(checkpoints)} checkpoints: {seconds:.2f} s")
            db.engine.dispose()


if __name__ == "__main__":
    main()
