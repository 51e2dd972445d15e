"""Applying the schedule (`flask records dispose [--dry-run]`, daily cron).

For each record type whose rule is not "keep", the domain lists the records whose event
happened at least ``period_months`` ago; each one is then, in its own transaction:
checked against the legal holds *read at that moment* (a hold placed after a dry run, or
during the run, wins), purged by the domain's own operation, written to the destruction
register and closed by a tombstone audit entry. A failure rolls that record back whole
and the run goes on; a record already in the register is never disposed twice, so a rerun
is safe. Files leave the storage only once their transaction is committed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from hr_social.audit.models import AuditEvent
from hr_social.audit.services import record
from hr_social.db import db
from hr_social.records.holds import holds_on
from hr_social.records.models import Disposal, LegalHold
from hr_social.records.registry import RetentionCandidate
from hr_social.records.retention import Rule, schedule

SYSTEM_LABEL = "Système (flask records dispose)"


@dataclass
class Planned:
    rule: Rule
    candidate: RetentionCandidate
    holds: list[LegalHold] = field(default_factory=list)
    disposal: Disposal | None = None
    error: str | None = None

    @property
    def held(self) -> bool:
        return bool(self.holds)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def due_on(rule: Rule, today: dt.date) -> dt.date:
    """The last event date whose period has run out by ``today``."""
    return add_months(today, -rule.period_months)


def plan(today: dt.date) -> list[Planned]:
    """What the schedule would dispose of today, with the holds that keep some records."""
    planned = []
    for rule in schedule():
        kind = rule.record_type
        if rule.disposition == "keep" or kind.candidates is None or kind.dispose is None:
            continue
        done = set(db.session.scalars(select(Disposal.record_id).where(
            Disposal.record_type == kind.code)))
        for candidate in kind.candidates(rule.event, due_on(rule, today)):
            if candidate.record_id in done or candidate.event != rule.event:
                continue
            planned.append(Planned(rule, candidate, holds_on(
                kind.code, candidate.record_id, candidate.person_ids)))
    return planned


def _trail(kind, record_id: int) -> tuple[int, str | None]:
    """How many audit entries name the record, and the hash of the last one."""
    if kind.audit_target_type is None:
        return 0, None
    where = (AuditEvent.target_type == kind.audit_target_type,
             AuditEvent.target_id == str(record_id))
    count = db.session.scalar(select(func.count()).select_from(AuditEvent).where(*where))
    head = db.session.scalar(select(AuditEvent.entry_hash).where(*where)
                             .order_by(AuditEvent.id.desc()).limit(1))
    return count or 0, head


def dispose_one(item: Planned, actor=None) -> Disposal | None:
    """One record, in the caller's transaction: None when a hold (read now) keeps it."""
    kind, candidate, rule = item.rule.record_type, item.candidate, item.rule
    item.holds = holds_on(kind.code, candidate.record_id, candidate.person_ids)
    if item.holds:
        return None
    counts = kind.dispose(candidate.record_id, rule.disposition) or {}
    entries, head = _trail(kind, candidate.record_id)  # the domain's own entry included
    disposal = Disposal(
        record_type=kind.code, record_id=candidate.record_id,
        label=(candidate.label or f"{kind.code} n° {candidate.record_id}")[:200],
        rule_id=rule.row.id if rule.row is not None else None,
        period_months=rule.period_months, event=rule.event, event_on=candidate.event_on,
        disposition=rule.disposition, disposed_by_id=actor.id if actor is not None else None,
        disposed_by_label=(f"{actor.display_name} ({actor.username})" if actor is not None
                           else SYSTEM_LABEL)[:200],
        files_removed=int(counts.get("files_removed", 0)), trail_entries=entries,
        trail_head=head)
    db.session.add(disposal)
    db.session.flush()
    tombstone = record("records.disposed", disposal, actor=actor, after={
        "record_type": kind.code, "record_id": candidate.record_id,
        "disposition": rule.disposition, "event": rule.event, "event_on": candidate.event_on,
        "period_months": rule.period_months, "files_removed": disposal.files_removed,
        "trail_entries": entries, "trail_head": head,
    }, target_label=str(disposal), system_label=SYSTEM_LABEL)
    disposal.tombstone_hash = tombstone.entry_hash
    db.session.flush()
    return disposal


def run(today: dt.date, *, dry_run: bool = False, actor=None) -> list[Planned]:
    """Dispose of what the schedule says (one commit per record), or only list it."""
    planned = plan(today)
    if dry_run:
        db.session.rollback()
        return planned
    db.session.commit()  # nothing pending: each record below is its own transaction
    for item in planned:
        try:
            item.disposal = dispose_one(item, actor)
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - one record's failure stops only itself
            db.session.rollback()
            item.disposal, item.error = None, f"{type(error).__name__}: {error}"[:300]
    return planned


def register_statement(record_type_code: str | None = None):
    statement = select(Disposal).order_by(Disposal.disposed_at.desc(), Disposal.id.desc())
    if record_type_code:
        statement = statement.where(Disposal.record_type == record_type_code)
    return statement
