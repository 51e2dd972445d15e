"""CSV import of people from a payroll/HR export.

All or nothing: the whole file is checked first (encoding, columns, every row, the manager
chain as it would stand after the import); one error anywhere and nothing is written, the
report lists every faulty line. A valid file is applied through the same rules as the HR
screens: one ``person.created`` / ``person.updated`` / ``person.departed`` /
``person.reactivated`` audit entry per changed person, and one ``people_import.completed`` summary
entry (file name, SHA-256, counts) so the whole import can be found in the trail. The
people signals are sent as for a change made on screen.

Re-importing the same file changes nothing (rows are matched by employee number).
"""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.audit.services import record, snapshot
from hr_social.db import db
from hr_social.people import events
from hr_social.people.import_reading import (  # noqa: F401 - FIELD_LABELS: the import page
    COMPARED,
    FIELD_LABELS,
    Change,
    ImportRejected,
    ImportReport,
    Row,
    decode,
    read_rows,
)
from hr_social.people.models import Person
from hr_social.people.services import (
    MANAGER_CHAIN_LIMIT,
    PERSON_FIELDS,
)


def _check_against_database(rows: list[Row], report: ImportReport, actor=None) -> None:
    existing = {p.employee_number: p for p in db.session.scalars(select(Person))}
    by_email = {p.email.lower(): p for p in existing.values() if p.email}
    in_file = {row.number: row for row in rows}
    for row in rows:
        row.existing = existing.get(row.number)
        own_person_id = getattr(actor, "person_id", None)
        if (row.existing is not None and row.existing.id == own_person_id
                and row.existing.is_active and not row.is_active):
            # As on the person screen: nobody records their own departure.
            report.errors.append(_("Ligne %(n)d : vous ne pouvez pas marquer votre propre "
                                   "départ ; demandez-le à une collègue des ressources "
                                   "humaines.", n=row.line))
        owner = by_email.get(row.email) if row.email else None
        if owner is not None and owner.employee_number != row.number:
            report.errors.append(_("Ligne %(n)d : le courriel %(v)s est déjà utilisé par %(name)s "
                                   "(matricule %(m)s).", n=row.line, v=row.email,
                                   name=owner.full_name, m=owner.employee_number))
        if row.is_active and not row.service.is_active:
            # As on the person form: nobody active joins a deactivated service (a departed
            # person's history may still name one).
            report.errors.append(_("Ligne %(n)d : le service %(v)s est désactivé.",
                                   n=row.line, v=row.service.name))
        if row.manager_number:
            _check_manager(row, in_file, existing, report)
    # Manager chain as it will stand after the import: the file wins over the database.
    chain = {p.employee_number: (p.manager.employee_number if p.manager else None)
             for p in existing.values()}
    chain.update({row.number: row.manager_number for row in rows})
    reported: set[str] = set()
    for row in rows:
        path, current = [row.number], chain.get(row.number)
        while current is not None and len(path) <= MANAGER_CHAIN_LIMIT:
            if current == row.number:
                cycle = frozenset(path)
                if not reported & cycle:
                    report.errors.append(_(
                        "Ligne %(n)d : cycle dans la chaîne des gestionnaires (%(c)s).",
                        n=row.line, c=" → ".join([*path, row.number])))
                reported.update(cycle)
                break
            path.append(current)
            current = chain.get(current)


def _check_manager(row: Row, in_file: dict[str, Row], existing: dict[str, Person],
                   report: ImportReport) -> None:
    manager_row = in_file.get(row.manager_number)
    if manager_row is not None:
        active = manager_row.is_active
    elif row.manager_number in existing:
        active = existing[row.manager_number].is_active
    else:
        report.errors.append(_("Ligne %(n)d : gestionnaire inconnu (matricule %(m)s), ni dans le "
                               "fichier ni dans l'organisation.", n=row.line, m=row.manager_number))
        return
    # As on the person form, a departed manager the person already has may stay (HR
    # reassigns them from the dashboard); the file may not give them a new departed one.
    keeps = (row.existing is not None and row.existing.manager is not None
             and row.existing.manager.employee_number == row.manager_number)
    if not active and row.is_active and not keeps:
        report.errors.append(_("Ligne %(n)d : le gestionnaire (matricule %(m)s) a quitté "
                               "l'organisation.", n=row.line, m=row.manager_number))


# Planning and applying ---------------------------------------------------------------------

def _state_of(person: Person) -> dict:
    return {
        "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
        "service": person.service.name,
        "manager_number": person.manager.employee_number if person.manager else None,
        "kind": person.kind, "is_active": person.is_active, "departed_on": person.departed_on,
        "hired_on": person.hired_on,
    }


def _state_of_row(row: Row) -> dict:
    return {
        "first_name": row.first_name, "last_name": row.last_name, "email": row.email,
        "service": row.service.name, "manager_number": row.manager_number, "kind": row.kind,
        "is_active": row.is_active, "departed_on": row.departed_on,
        **({"hired_on": row.hired_on} if row.hired_on is not None else {}),
    }


def _plan(rows: list[Row]) -> list[Change]:
    changes = []
    for row in rows:
        name = f"{row.first_name} {row.last_name}"
        after = _state_of_row(row)
        if row.existing is None:
            changes.append(Change(row.line, row.number, name, "created", {}, after))
            continue
        before = _state_of(row.existing)
        keys = [k for k in COMPARED if k in after and before[k] != after[k]]
        action = "updated" if keys else "unchanged"
        changes.append(Change(row.line, row.number, name, action, {k: before[k] for k in keys},
                              {k: after[k] for k in keys}))
    return changes


def _apply(rows: list[Row], changes: list[Change], actor) -> None:
    from hr_social.auth.services import end_all_sessions

    by_number: dict[str, Person] = {}
    pending = [(row, change) for row, change in zip(rows, changes, strict=True)
               if change.action != "unchanged"]
    snapshots = {}
    # First pass: every person exists, managers not yet set (a manager may come later).
    for row, _change in pending:
        person = row.existing
        if person is None:
            person = Person(employee_number=row.number, is_active=True)
            db.session.add(person)
        else:
            snapshots[row.number] = snapshot(person, *PERSON_FIELDS)
        person.first_name, person.last_name, person.email = (row.first_name, row.last_name,
                                                             row.email)
        person.service, person.kind = row.service, row.kind
        if row.hired_on is not None:
            person.hired_on = row.hired_on
        by_number[row.number] = person
    db.session.flush()
    managers = {p.employee_number: p for p in db.session.scalars(
        select(Person).where(Person.employee_number.in_(
            {row.manager_number for row, _c in pending if row.manager_number})))}
    for row, _change in pending:
        person = by_number[row.number]
        person.manager = managers.get(row.manager_number) if row.manager_number else None
    db.session.flush()
    for row, change in pending:
        person = by_number[row.number]
        if change.action == "created":
            record("person.created", person, after=snapshot(person, *PERSON_FIELDS), actor=actor)
            events.person_created.send(person, actor=actor)
            before = {"is_active": True, "departed_on": None}
        else:
            before = snapshots[row.number]
            old_service_id = before["service_id"]
            after = snapshot(person, *PERSON_FIELDS)
            keys = [k for k in PERSON_FIELDS if k not in {"is_active", "departed_on"}
                    and before[k] != after[k]]
            if keys:
                record("person.updated", person, before={k: before[k] for k in keys},
                       after={k: after[k] for k in keys}, actor=actor)
            if person.service_id != old_service_id:
                events.person_service_changed.send(person, actor=actor,
                                                   old_service_id=old_service_id,
                                                   new_service_id=person.service_id)
        _apply_status(person, row, before, actor, end_all_sessions)


def _apply_status(person: Person, row: Row, before: dict, actor, end_all_sessions) -> None:
    state = {"is_active": before["is_active"], "departed_on": before["departed_on"]}
    target = {"is_active": row.is_active, "departed_on": row.departed_on}
    if state == target:
        return
    person.is_active, person.departed_on = row.is_active, row.departed_on
    db.session.flush()
    if row.is_active:
        record("person.reactivated", person, before=state, after=target, actor=actor)
        return
    if not state["is_active"]:  # still departed, the date was corrected
        record("person.updated", person, before=state, after=target, actor=actor)
        return
    record("person.departed", person, before=state, after=target, actor=actor)
    if person.user is not None:
        end_all_sessions(person.user, "person_departed")
    events.person_departed.send(person, actor=actor)


def import_people(actor, data: bytes, *, dry_run: bool = False,
                  filename: str | None = None) -> ImportReport:
    """Check the whole file, then apply it (unless dry run or any error). Only flushes."""
    report = ImportReport(dry_run=dry_run)
    try:
        text = decode(data)
    except ImportRejected as rejected:
        report.errors.append(str(rejected))
        return report
    rows = read_rows(text, report)
    if report.errors:
        return report
    _check_against_database(rows, report, actor)
    if report.errors:
        return report
    report.changes = _plan(rows)
    if dry_run:
        return report
    _apply(rows, report.changes, actor)
    record("people_import.completed", target_type="people_import", target_label=filename or "CSV",
           actor=actor,
           after={"file": filename, "sha256": hashlib.sha256(data).hexdigest(),
                  "created": report.created, "updated": report.updated,
                  "unchanged": report.unchanged})
    return report
