"""Writing and checking the audit trail. Every state change calls ``record`` in the same
transaction as the change, so both are committed or neither is."""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass
from decimal import Decimal

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select, text

from hr_social.audit.models import GENESIS_HASH, AuditEvent
from hr_social.db import db, lock_for_write, utcnow

# Any constant: serialises writers of the chain on PostgreSQL until their commit.
_CHAIN_LOCK_KEY = 727_001


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal | set | frozenset):
        return sorted(value) if isinstance(value, set | frozenset) else str(value)
    return str(value)


def _dump(data: dict | None) -> str | None:
    if data is None:
        return None
    return json.dumps(data, default=_json_default, sort_keys=True, ensure_ascii=False)


def snapshot(obj, *fields: str) -> dict:
    """The named attributes of an object, as plain values for before/after."""
    return {name: getattr(obj, name) for name in fields}


def _request_origin() -> tuple[str | None, str | None]:
    if not has_request_context():
        return None, None
    return request.remote_addr, (request.user_agent.string or "")[:300] or None


def _default_actor():
    if has_request_context() and current_user.is_authenticated:
        return current_user
    return None


def _lock_chain() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    else:  # SQLite: the write lock, before the last hash is read (a page view starts without)
        lock_for_write(db.session)


def record(
    action: str,
    target=None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    actor=None,
    on_behalf_of=None,
    target_type: str | None = None,
    target_id=None,
    target_label: str | None = None,
    system_label: str = "Système",
) -> AuditEvent:
    """Append one entry. ``actor`` defaults to the logged-in user; CLI jobs pass None."""
    actor = actor if actor is not None else _default_actor()
    if target is not None:
        target_type = target_type or target.__tablename__
        target_id = target_id if target_id is not None else target.id
        target_label = target_label or str(target)
    address, agent = _request_origin()
    _lock_chain()
    last = db.session.scalar(select(AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_user_id=actor.id if actor is not None else None,
        actor_label=_actor_label(actor) if actor is not None else system_label,
        on_behalf_of_label=_actor_label(on_behalf_of) if on_behalf_of is not None else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        target_label=(target_label or "")[:250] or None,
        before_json=_dump(before),
        after_json=_dump(after),
        ip_address=address,
        user_agent=agent,
        prev_hash=last or GENESIS_HASH,
    )
    event.entry_hash = event.compute_hash()
    db.session.add(event)
    db.session.flush()
    return event


def _actor_label(user) -> str:
    return f"{user.display_name} ({user.username})"


@dataclass
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(session=None, batch_size: int = 2000) -> ChainReport:
    """Recompute every hash in id order; name the first entry that does not match."""
    session = session or db.session
    expected_prev, checked, last_id = GENESIS_HASH, 0, 0
    while True:
        table = AuditEvent.__table__
        rows = session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch_size)
        ).all()
        if not rows:
            return ChainReport(checked)
        # Plain rows, not tracked objects: a long check keeps no identity map alive.
        for row in rows:
            event = AuditEvent(**row._mapping)
            if event.prev_hash != expected_prev:
                return ChainReport(checked, event.id, "previous hash does not match")
            if event.compute_hash() != event.entry_hash:
                return ChainReport(checked, event.id, "content does not match its hash")
            expected_prev, last_id = event.entry_hash, event.id
            checked += 1


def events_for(target_type: str, target_id) -> list[AuditEvent]:
    """Timeline of one object, oldest first."""
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.target_type == target_type, AuditEvent.target_id == str(target_id))
        .order_by(AuditEvent.id)
    ).all()
