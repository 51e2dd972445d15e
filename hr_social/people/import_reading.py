"""Reading a people CSV for the import (see ``importer``): decoding, columns, and every row
checked on its own (the checks against the database and the changes are in ``importer``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.column_limits import column_errors
from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.people.models import Person, PersonKind, Service
from hr_social.people.services import (
    departure_date_error,
    email_error,
    employee_number_error,
    normalise_email,
)

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
REQUIRED = ("matricule", "prenom", "nom", "courriel", "service", "gestionnaire", "type")
OPTIONAL = ("statut", "date_depart", "date_embauche")
HEADER_ALIASES = {
    "matricule": "matricule", "no employe": "matricule", "numero employe": "matricule",
    "prenom": "prenom", "nom": "nom", "nom de famille": "nom",
    "courriel": "courriel", "adresse courriel": "courriel", "email": "courriel",
    "service": "service", "gestionnaire": "gestionnaire",
    "matricule gestionnaire": "gestionnaire", "type": "type", "statut": "statut",
    "date depart": "date_depart", "date de depart": "date_depart",
    "date embauche": "date_embauche", "date d'embauche": "date_embauche",
    "date dembauche": "date_embauche", "embauche": "date_embauche",
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
            "is_active", "departed_on", "hired_on")
# How the report names the compared fields (the CSV's own column names).
FIELD_LABELS = {"first_name": "prénom", "last_name": "nom", "email": "courriel",
                "service": "service", "manager_number": "gestionnaire", "kind": "type",
                "is_active": "actif", "departed_on": "date de départ",
                "hired_on": "date d'embauche"}


class ImportRejected(DomainError):
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
    # None when the file has no hiring date for the row: the known one is kept.
    hired_on: dt.date | None = None


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
            return _("Import refusé : %(n)d erreur(s), rien n'a été importé.", n=len(self.errors))
        if self.dry_run:
            return _("Simulation : %(c)d création(s), %(u)d mise(s) à jour, %(s)d sans changement. "
                     "Rien n'a été enregistré.", c=self.created, u=self.updated, s=self.unchanged)
        return _("Import terminé : %(c)d création(s), %(u)d mise(s) à jour, %(s)d sans "
                 "changement.", c=self.created, u=self.updated, s=self.unchanged)


# Reading --------------------------------------------------------------------------------------

def decode(data: bytes) -> str:
    limit = current_app.config.get("PEOPLE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if len(data) > limit:
        raise ImportRejected(_("Le fichier dépasse la taille permise (%(kb)d Ko).",
                               kb=limit // 1024))
    if b"\x00" in data:
        raise ImportRejected(_("Encodage illisible : le fichier n'est pas un CSV texte (UTF-8 ou "
                               "Windows-1252)."))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportRejected(_("Encodage illisible à l'octet %(pos)d : enregistrez le fichier "
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
        report.errors.append(_("Ligne 1 : en-tête illisible."))
        return []
    columns = {HEADER_ALIASES.get(fold(name)): index for index, name in enumerate(header)}
    columns.pop(None, None)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        report.errors.append(_("Ligne 1 : colonne(s) obligatoire(s) manquante(s) : %(c)s.",
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
        report.errors.append(_("Ligne %(n)d : CSV mal formé (%(e)s).", n=line, e=str(error)))
    if not rows and not report.errors:
        report.errors.append(_("Le fichier ne contient aucune personne (seulement l'en-tête)."))
    return rows


def _read_row(line, cells, columns, services, report, seen_numbers, seen_emails) -> Row | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def error(message: str) -> None:
        report.errors.append(_("Ligne %(n)d : %(m)s", n=line, m=message))

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
        error(_("courriel invalide « %(v)s ».", v=email))
    elif email and email in seen_emails:
        error(_("courriel %(v)s en double (déjà à la ligne %(l)d).", v=email, l=seen_emails[email]))
    elif email:
        seen_emails[email] = line
    service = services.get(fold(cell("service")))
    if not cell("service"):
        error(_("service manquant."))
    elif service is None:
        error(_("service inconnu « %(v)s » (code ou nom d'un service existant).",
                v=cell("service")))
    kind_text = fold(cell("type"))
    kind = KINDS.get(kind_text) if kind_text else PersonKind.employee
    if kind is None:
        error(_("type inconnu « %(v)s » (employé, stagiaire, bénévole ou contractuel).",
                v=cell("type")))
    status, date_text = fold(cell("statut")), cell("date_depart")
    departed_on, is_active = None, True
    if date_text:
        try:
            departed_on = _parse_date(date_text)
        except ValueError:
            error(_("date de départ invalide « %(v)s » (AAAA-MM-JJ).", v=date_text))
    if status in DEPARTED_WORDS or (not status and date_text):
        is_active = False
        if not date_text:
            error(_("date de départ manquante pour une personne partie."))
        elif departed_on is not None and (message := departure_date_error(departed_on)):
            error(message)
    elif status not in ACTIVE_WORDS:
        error(_("statut inconnu « %(v)s » (actif ou parti).", v=cell("statut")))
    elif date_text:
        error(_("statut « %(s)s » mais une date de départ est donnée.", s=cell("statut")))
    hired_on = None
    if hired_text := cell("date_embauche"):
        try:
            hired_on = _parse_date(hired_text)
        except ValueError:
            error(_("date d'embauche invalide « %(v)s » (AAAA-MM-JJ).", v=hired_text))
    manager_number = cell("gestionnaire") or None
    limits = column_errors(Person, {"first_name": first_name, "last_name": last_name,
                                    "email": email}, required=False)
    for name, message in limits.items():
        error(f"{FIELD_LABELS[name]} : {message}")
    if manager_number and manager_number == number:
        error(_("une personne ne peut pas être sa propre gestionnaire."))
    if len(report.errors) > errors_before:
        return None
    return Row(line, number, first_name, last_name, email, service, manager_number, kind,
               is_active, departed_on if not is_active else None, hired_on=hired_on)


# Checking against the database -------------------------------------------------------------
