"""Writing and checking the audit trail. Every state change calls ``record`` in the same
transaction as the change, so both are committed or neither is."""

from __future__ import annotations

import datetime as dt
import enum
import hmac
import json
from dataclasses import dataclass, field
from decimal import Decimal

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select, text

from hr_social.audit.anchor import Checkpoint, audit_key, compare
from hr_social.audit.confidentiality import check_values, is_confidential
from hr_social.audit.models import GENESIS_HASH, KEYED_VERSION, LEGACY_VERSION, AuditEvent
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
    """Append one entry. ``actor`` defaults to the logged-in user; CLI jobs pass None.

    A confidential target type (see ``audit.confidentiality``) keeps no label and refuses
    free text in before/after: the trail cannot be redacted, the domain's rows can.
    """
    actor = actor if actor is not None else _default_actor()
    if target is not None:
        target_type = target_type or target.__tablename__
        target_id = target_id if target_id is not None else target.id
        target_label = target_label or str(target)
    if is_confidential(target_type):
        check_values(target_type, before, after)
        target_label = None
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
        hash_version=KEYED_VERSION,
    )
    event.entry_hash = event.compute_hash(audit_key())
    db.session.add(event)
    db.session.flush()
    return event


def _actor_label(user) -> str:
    return f"{user.display_name} ({user.username})"


@dataclass
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    reason: str | None = None  # one of REASONS' keys
    head_id: int | None = None
    head_hash: str | None = None
    checkpoints: int = 0  # how many were compared
    checkpoint_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None and not self.checkpoint_problems


PREVIOUS_MISMATCH = "previous hash does not match"
CONTENT_MISMATCH = "content does not match its hash"
UNKEYED_AFTER_KEYED = "unkeyed entry after keyed entries"


def verify_chain(session=None, batch_size: int = 2000, *,
                 checkpoints: list[Checkpoint] | None = None,
                 older_copy: bool = False) -> ChainReport:
    """Recompute every hash in id order; name the first entry that does not match; then
    compare the whole chain with the checkpoints written outside the database, if given."""
    session = session or db.session
    key = audit_key()
    wanted = {point.head_id for point in checkpoints or ()}
    seen: dict[int, tuple[int, str]] = {}
    expected_prev, checked, last_id, keyed = GENESIS_HASH, 0, 0, False
    table = AuditEvent.__table__
    while True:
        rows = session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch_size)
        ).all()
        if not rows:
            break
        # Plain rows, not tracked objects: a long check keeps no identity map alive.
        for row in rows:
            event = AuditEvent(**row._mapping)
            if problem := _entry_problem(event, expected_prev, keyed, key):
                return ChainReport(checked, event.id, problem)
            keyed = keyed or event.hash_version != LEGACY_VERSION
            expected_prev, last_id = event.entry_hash, event.id
            checked += 1
            if event.id in wanted:
                seen[event.id] = (checked, event.entry_hash)
    report = ChainReport(checked, head_id=last_id or None,
                         head_hash=expected_prev if checked else None,
                         checkpoints=len(checkpoints or ()))
    if checkpoints:
        report.checkpoint_problems = compare(checkpoints, seen, checked, report.head_id,
                                             older_copy=older_copy)
    return report


def _entry_problem(event: AuditEvent, expected_prev: str, keyed: bool, key: bytes):
    if event.prev_hash != expected_prev:
        return PREVIOUS_MISMATCH
    if keyed and event.hash_version == LEGACY_VERSION:
        # Plain SHA-256 needs no key: after the first keyed entry it can only be a forgery.
        return UNKEYED_AFTER_KEYED
    if not hmac.compare_digest(event.compute_hash(key), event.entry_hash):
        return CONTENT_MISMATCH
    return None


def events_for(target_type: str, target_id) -> list[AuditEvent]:
    """Timeline of one object, oldest first."""
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.target_type == target_type, AuditEvent.target_id == str(target_id))
        .order_by(AuditEvent.id)
    ).all()
