"""Append-only audit trail with a hash chain: HMAC-SHA-256 with a key kept outside the
database (``hash_version`` 2), after the plain SHA-256 entries written before it (1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from sqlalchemy import DDL, ForeignKey, Index, SmallInteger, String, Text, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import UTCDateTime, db, utcnow

GENESIS_HASH = "0" * 64
# Entries written before the chain was keyed keep verifying with plain SHA-256; once a keyed
# entry exists, an unkeyed one after it is a forgery (see services.verify_chain).
LEGACY_VERSION = 1
KEYED_VERSION = 2

# The same statements ship in the first migration; databases refuse edits to history.
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_events_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse()",
)


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    on_behalf_of_label: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    target_type: Mapped[str | None] = mapped_column(String(60))
    target_id: Mapped[str | None] = mapped_column(String(60))
    target_label: Mapped[str | None] = mapped_column(String(250))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Rows that existed before the column get 1 from the server default (migration 0006).
    hash_version: Mapped[int] = mapped_column(SmallInteger, default=KEYED_VERSION,
                                              server_default=str(LEGACY_VERSION))

    actor = relationship("User")

    @property
    def before(self) -> dict | None:
        return json.loads(self.before_json) if self.before_json else None

    @property
    def after(self) -> dict | None:
        return json.loads(self.after_json) if self.after_json else None

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs, in a stable order."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def compute_hash(self, key: bytes | None = None) -> str:
        """SHA-256 for legacy entries; HMAC-SHA-256 with the audit key for keyed ones (the
        version is part of what is signed, so it cannot be lowered without the key)."""
        payload = {
            "prev": self.prev_hash,
            "at": self.occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "actor": self.actor_user_id,
            "actor_label": self.actor_label,
            "on_behalf_of": self.on_behalf_of_label,
            "action": self.action,
            "target": [self.target_type, self.target_id, self.target_label],
            "before": self.before_json,
            "after": self.after_json,
            "ip": self.ip_address,
            "ua": self.user_agent,
        }
        if self.hash_version == LEGACY_VERSION:
            return hashlib.sha256(_canonical(payload)).hexdigest()
        if not key:
            raise ValueError("a keyed audit entry needs the audit key")
        payload["v"] = self.hash_version
        return hmac.new(key, _canonical(payload), hashlib.sha256).hexdigest()

    @classmethod
    def visible_to(cls, user):
        return select(cls)


def _canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode()


for _sql in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRES_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
