"""Which sanctions still count: computed from the dates of the faults, never kept by hand.

A sanction stops counting ``amnesty_months`` after the date of its fault (not of the
decision or its notification): it counts on every day before that anniversary and is
amnestied from the anniversary on. A later sanctioned fault dated inside that window is a
recidivism: when ``restart_on_recidivism`` is set, the window restarts from the new fault
(and again from any fault inside the new window); otherwise each sanction keeps its own.
A sanction annulled by a grievance, or turned into a non-disciplinary measure, never counts.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from hr_social.attachments.services import remove_files
from hr_social.db import db
from hr_social.discipline.entries import Grievance
from hr_social.discipline.models import SANCTIONED_STATES, Case, DisciplineSettings
from hr_social.mail.services import redact


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Fault:
    case_id: int
    fault_on: dt.date


def counts_until(fault: Fault, others: Iterable[Fault], months: int, restart: bool) -> dt.date:
    """First day on which the sanction no longer counts."""
    end = add_months(fault.fault_on, months)
    if not restart:
        return end
    later = sorted(f.fault_on for f in others if f.case_id != fault.case_id
                   and f.fault_on > fault.fault_on)
    for day in later:
        if day >= end:
            break
        end = add_months(day, months)
    return end


def effective_level(case: Case, grievance: Grievance | None):
    """The sanction as it stands after a grievance (None: annulled)."""
    if grievance is None or grievance.outcome in (None, "withdrawn"):
        return case.sanction_level
    if grievance.outcome == "upheld":
        return None
    return grievance.modified_level


def _grievances(case_ids) -> dict[int, Grievance]:
    rows = db.session.scalars(select(Grievance).where(Grievance.case_id.in_(case_ids))
                              .order_by(Grievance.id)).all()
    return {g.case_id: g for g in rows}  # the last grievance of a case decides


def disciplinary_sanctions(person_ids) -> list[Case]:
    """Sanctioned cases whose standing sanction is disciplinary (they take part in amnesty)."""
    cases = db.session.scalars(
        select(Case).where(Case.person_id.in_(list(person_ids)),
                           Case.state.in_(SANCTIONED_STATES)).order_by(Case.facts_on, Case.id)
    ).all()
    grievances = _grievances([c.id for c in cases])
    kept = []
    for case in cases:
        level = effective_level(case, grievances.get(case.id))
        if level is not None and level.counts:
            kept.append(case)
    return kept


def status_on(person_ids, day: dt.date, settings: DisciplineSettings | None = None
              ) -> dict[int, dt.date]:
    """Case id → first day it stops counting, for every disciplinary sanction of these
    people whose fault is not after ``day``."""
    settings = settings or DisciplineSettings.current()
    cases = [c for c in disciplinary_sanctions(person_ids) if c.facts_on <= day]
    by_person: dict[int, list[Fault]] = {}
    for case in cases:
        by_person.setdefault(case.person_id, []).append(Fault(case.id, case.facts_on))
    result = {}
    for case in cases:
        result[case.id] = counts_until(Fault(case.id, case.facts_on), by_person[case.person_id],
                                       settings.amnesty_months, settings.restart_on_recidivism)
    return result


def counting_cases(person_ids, day: dt.date) -> list[Case]:
    """Sanctions that still count on ``day``, oldest fault first."""
    until = status_on(person_ids, day)
    ids = [case_id for case_id, end in until.items() if day < end]
    if not ids:
        return []
    return db.session.scalars(select(Case).where(Case.id.in_(ids))
                              .order_by(Case.facts_on, Case.id)).all()


def is_amnestied(case: Case, day: dt.date) -> bool:
    until = status_on([case.person_id], day)
    return case.id in until and day >= until[case.id]


@dataclass
class Change:
    case: Case
    kind: str  # "amnestied", "revived" or "destroyed"
    day: dt.date | None


DESTROYED = "[Texte retiré après amnistie, selon la règle de conservation]"
DESTROYED_FIELDS = ("facts", "person_version", "decision_text", "harsher_justification",
                    "attendees")


def sweep(day: dt.date, *, dry_run: bool = False) -> list[Change]:
    """What amnesty changed since the last run, recorded unless ``dry_run``. Idempotent."""
    from hr_social.audit.services import record

    settings = DisciplineSettings.current()
    cases = db.session.scalars(select(Case).where(Case.state.in_(SANCTIONED_STATES))).all()
    until = status_on({c.person_id for c in cases}, day, settings) if cases else {}
    changes = []
    for case in cases:
        end = until.get(case.id)
        amnestied = end is not None and day >= end
        if amnestied and case.amnesty_recorded_on is None:
            changes.append(Change(case, "amnestied", end))
        elif end is not None and not amnestied and case.amnesty_recorded_on is not None:
            changes.append(Change(case, "revived", None))  # a later fault was sanctioned
        if amnestied and settings.retention == "destroy" and case.text_destroyed_on is None:
            changes.append(Change(case, "destroyed", day))
    if dry_run:
        return changes
    for change in changes:
        case = change.case
        if change.kind == "destroyed":
            destroy_text(case, change.day, settings)
            continue
        case.amnesty_recorded_on = change.day
        record(f"discipline_case.{change.kind}", case, actor=None,
               after={"day": change.day, "amnesty_months": settings.amnesty_months})
    db.session.flush()
    return changes


def destroy_text(case: Case, day: dt.date, settings: DisciplineSettings | None = None) -> int:
    """This domain's purge of one amnestied case (the amnesty job's retention "destroy" and
    the records schedule both call it): the free text is replaced, the case's files erased
    from storage, its e-mails redacted; the rows and the audit trail stay. Returns how many
    files were removed."""
    from hr_social.audit.services import record

    settings = settings or DisciplineSettings.current()
    for name in DESTROYED_FIELDS:
        if getattr(case, name):
            setattr(case, name, DESTROYED)
    case.text_destroyed_on = day
    files = remove_files(case.__tablename__, case.id)
    redact(case.__tablename__, case.id)
    record("discipline_case.destroyed", case, actor=None, after={
        "day": day, "amnesty_months": settings.amnesty_months, "files_removed": files})
    db.session.flush()
    return files
