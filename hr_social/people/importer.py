"""CSV import of people from a payroll/HR export.

All or nothing: the whole file is checked first (encoding, columns, every row, the manager
chain as it would stand after the import); one error anywhere and nothing is written, the
report lists every faulty line. A valid file is applied through the same rules as the HR
screens: one ``person.created`` / ``person.updated`` / ``person.departed`` /
``person.reactivated`` audit entry per changed person, and one ``people.imported`` summary
entry (file name, SHA-256, counts) so the whole import can be found in the trail. The
people signals are sent as for a change made on screen.

Re-importing the same file changes nothing (rows are matched by employee number).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import unicodedata
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.audit.services import record, snapshot
from hr_social.column_limits import column_errors
from hr_social.db import db
from hr_social.people import events
from hr_social.people.models import Person, PersonKind, Service
from hr_social.people.services import (
    MANAGER_CHAIN_LIMIT,
    PERSON_FIELDS,
    departure_date_error,
    email_error,
    employee_number_error,
    normalise_email,
)

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
REQUIRED = ("matricule", "prenom", "nom", "courriel", "service", "gestionnaire", "type")
OPTIONAL = ("statut", "date_depart")
HEADER_ALIASES = {
    "matricule": "matricule", "no employe": "matricule", "numero employe": "matricule",
    "prenom": "prenom", "nom": "nom", "nom de famille": "nom",
    "courriel": "courriel", "adresse courriel": "courriel", "email": "courriel",
    "service": "service", "gestionnaire": "gestionnaire",
    "matricule gestionnaire": "gestionnaire", "type": "type", "statut": "statut",
    "date depart": "date_depart", "date de depart": "date_depart",
}
KINDS = {
    "employe": PersonKind.employee, "employee": PersonKind.employee,
    "stagiaire": PersonKind.intern, "intern": PersonKind.intern,
    "benevole": PersonKind.volunteer, "volunteer": PersonKind.volunteer,
    "contractuel": PersonKind.contractor, "contractuelle": PersonKind.contractor,
    "contractor": PersonKind.contractor,
}
ACTIVE_WORDS = {"", "actif", "active", "actif(ve)", "en poste"}
DEPARTED_WORDS = {"parti", "partie", "inactif", "inactive", "depart", "quitte"}
COMPARED = ("first_name", "last_name", "email", "service", "manager_number", "kind",
            "is_active", "departed_on")
# How the report names the compared fields (the CSV's own column names).
FIELD_LABELS = {"first_name": "prénom", "last_name": "nom", "email": "courriel",
                "service": "service", "manager_number": "gestionnaire", "kind": "type",
                "is_active": "actif", "departed_on": "date de départ"}


class ImportRejected(ValueError):
    """The file as a whole cannot be read (encoding, size, empty)."""


def fold(value: str) -> str:
    """Lower case, no accents, single spaces: « Date_de-Départ » → « date de depart »."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


@dataclass
class Row:
    line: int
    number: str
    first_name: str
    last_name: str
    email: str | None
    service: Service | None
    manager_number: str | None
    kind: PersonKind | None
    is_active: bool
    departed_on: dt.date | None
    existing: Person | None = None


@dataclass
class Change:
    line: int
    number: str
    name: str
    action: str  # created, updated, unchanged
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    dry_run: bool
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("Import refusé : %(n)d erreur(s), rien n'a été importé.", n=len(self.errors))
        if self.dry_run:
            return _("Simulation : %(c)d création(s), %(u)d mise(s) à jour, %(s)d sans changement. "
                     "Rien n'a été enregistré.", c=self.created, u=self.updated, s=self.unchanged)
        return _("Import terminé : %(c)d création(s), %(u)d mise(s) à jour, %(s)d sans "
                 "changement.", c=self.created, u=self.updated, s=self.unchanged)


# Reading --------------------------------------------------------------------------------------

def decode(data: bytes) -> str:
    limit = current_app.config.get("PEOPLE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if len(data) > limit:
        raise ImportRejected(_("Le fichier dépasse la taille permise (%(kb)d Ko).",
                               kb=limit // 1024))
    if b"\x00" in data:
        raise ImportRejected(_("Encodage illisible : le fichier n'est pas un CSV texte (UTF-8 ou "
                               "Windows-1252)."))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportRejected(_("Encodage illisible à l'octet %(pos)d : enregistrez le fichier "
                                   "en UTF-8 ou en Windows-1252.", pos=error.start + 1)) from None
    if not text.strip():
        raise ImportRejected(_("Le fichier est vide."))
    return text


def sniff_delimiter(text: str) -> str:
    header = text.lstrip().splitlines()[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:
        return ";" if header.count(";") > header.count(",") else ","


def _parse_date(value: str) -> dt.date | None:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _services_lookup() -> dict[str, Service]:
    lookup: dict[str, Service] = {}
    for service in db.session.scalars(select(Service)):
        lookup[fold(service.name)] = service
        lookup[fold(service.code)] = service
    return lookup


def read_rows(text: str, report: ImportReport) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):  # pragma: no cover - decode() refuses empty text
        report.errors.append(_("Ligne 1 : en-tête illisible."))
        return []
    columns = {HEADER_ALIASES.get(fold(name)): index for index, name in enumerate(header)}
    columns.pop(None, None)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        report.errors.append(_("Ligne 1 : colonne(s) obligatoire(s) manquante(s) : %(c)s.",
                               c=", ".join(missing)))
        return []
    services = _services_lookup()
    rows: list[Row] = []
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    line = reader.line_num + 1  # where the next record starts (a quoted field may span lines)
    try:
        for record_ in reader:
            if any(cell.strip() for cell in record_):  # blank lines end many exports
                row = _read_row(line, record_, columns, services, report, seen_numbers,
                                seen_emails)
                if row is not None:
                    rows.append(row)
            line = reader.line_num + 1
    except csv.Error as error:
        report.errors.append(_("Ligne %(n)d : CSV mal formé (%(e)s).", n=line, e=str(error)))
    if not rows and not report.errors:
        report.errors.append(_("Le fichier ne contient aucune personne (seulement l'en-tête)."))
    return rows


def _read_row(line, cells, columns, services, report, seen_numbers, seen_emails) -> Row | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def error(message: str) -> None:
        report.errors.append(_("Ligne %(n)d : %(m)s", n=line, m=message))

    errors_before = len(report.errors)
    needed = max(columns[name] for name in REQUIRED) + 1
    if len(cells) < needed:
        error(_("colonnes manquantes (%(got)d valeur(s) au lieu d'au moins %(want)d).",
                got=len(cells), want=needed))
        return None
    number = cell("matricule")
    if message := employee_number_error(number):
        error(message)
    elif number in seen_numbers:
        error(_("matricule %(v)s en double (déjà à la ligne %(l)d).", v=number,
                l=seen_numbers[number]))
    else:
        seen_numbers[number] = line
    first_name, last_name = cell("prenom"), cell("nom")
    if not first_name:
        error(_("prénom manquant."))
    if not last_name:
        error(_("nom manquant."))
    email = normalise_email(cell("courriel"))
    if email_error(email):
        error(_("courriel invalide « %(v)s ».", v=email))
    elif email and email in seen_emails:
        error(_("courriel %(v)s en double (déjà à la ligne %(l)d).", v=email, l=seen_emails[email]))
    elif email:
        seen_emails[email] = line
    service = services.get(fold(cell("service")))
    if not cell("service"):
        error(_("service manquant."))
    elif service is None:
        error(_("service inconnu « %(v)s » (code ou nom d'un service existant).",
                v=cell("service")))
    kind_text = fold(cell("type"))
    kind = KINDS.get(kind_text) if kind_text else PersonKind.employee
    if kind is None:
        error(_("type inconnu « %(v)s » (employé, stagiaire, bénévole ou contractuel).",
                v=cell("type")))
    status, date_text = fold(cell("statut")), cell("date_depart")
    departed_on, is_active = None, True
    if date_text:
        try:
            departed_on = _parse_date(date_text)
        except ValueError:
            error(_("date de départ invalide « %(v)s » (AAAA-MM-JJ).", v=date_text))
    if status in DEPARTED_WORDS or (not status and date_text):
        is_active = False
        if not date_text:
            error(_("date de départ manquante pour une personne partie."))
        elif departed_on is not None and (message := departure_date_error(departed_on)):
            error(message)
    elif status not in ACTIVE_WORDS:
        error(_("statut inconnu « %(v)s » (actif ou parti).", v=cell("statut")))
    elif date_text:
        error(_("statut « %(s)s » mais une date de départ est donnée.", s=cell("statut")))
    manager_number = cell("gestionnaire") or None
    limits = column_errors(Person, {"first_name": first_name, "last_name": last_name,
                                    "email": email}, required=False)
    for name, message in limits.items():
        error(f"{FIELD_LABELS[name]} : {message}")
    if manager_number and manager_number == number:
        error(_("une personne ne peut pas être sa propre gestionnaire."))
    if len(report.errors) > errors_before:
        return None
    return Row(line, number, first_name, last_name, email, service, manager_number, kind,
               is_active, departed_on if not is_active else None)


# Checking against the database -------------------------------------------------------------

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
            report.errors.append(_("Ligne %(n)d : vous ne pouvez pas marquer votre propre "
                                   "départ ; demandez-le à une collègue des ressources "
                                   "humaines.", n=row.line))
        owner = by_email.get(row.email) if row.email else None
        if owner is not None and owner.employee_number != row.number:
            report.errors.append(_("Ligne %(n)d : le courriel %(v)s est déjà utilisé par %(name)s "
                                   "(matricule %(m)s).", n=row.line, v=row.email,
                                   name=owner.full_name, m=owner.employee_number))
        if row.is_active and not row.service.is_active:
            # As on the person form: nobody active joins a deactivated service (a departed
            # person's history may still name one).
            report.errors.append(_("Ligne %(n)d : le service %(v)s est désactivé.",
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
                        "Ligne %(n)d : cycle dans la chaîne des gestionnaires (%(c)s).",
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
        report.errors.append(_("Ligne %(n)d : gestionnaire inconnu (matricule %(m)s), ni dans le "
                               "fichier ni dans l'organisation.", n=row.line, m=row.manager_number))
        return
    # As on the person form, a departed manager the person already has may stay (HR
    # reassigns them from the dashboard); the file may not give them a new departed one.
    keeps = (row.existing is not None and row.existing.manager is not None
             and row.existing.manager.employee_number == row.manager_number)
    if not active and row.is_active and not keeps:
        report.errors.append(_("Ligne %(n)d : le gestionnaire (matricule %(m)s) a quitté "
                               "l'organisation.", n=row.line, m=row.manager_number))


# Planning and applying ---------------------------------------------------------------------

def _state_of(person: Person) -> dict:
    return {
        "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
        "service": person.service.name,
        "manager_number": person.manager.employee_number if person.manager else None,
        "kind": person.kind, "is_active": person.is_active, "departed_on": person.departed_on,
    }


def _state_of_row(row: Row) -> dict:
    return {
        "first_name": row.first_name, "last_name": row.last_name, "email": row.email,
        "service": row.service.name, "manager_number": row.manager_number, "kind": row.kind,
        "is_active": row.is_active, "departed_on": row.departed_on,
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
        keys = [k for k in COMPARED if before[k] != after[k]]
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


def import_people(data: bytes, *, actor=None, dry_run: bool = False,
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
    record("people.imported", target_type="people_import", target_label=filename or "CSV",
           actor=actor,
           after={"file": filename, "sha256": hashlib.sha256(data).hexdigest(),
                  "created": report.created, "updated": report.updated,
                  "unchanged": report.unchanged})
    return report
