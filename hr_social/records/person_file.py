"""The person's file: everything the application holds on one person, from every record type
the domains declared (``registry``), in time order, each domain deciding what the viewer may
see; and the A-2.1 export of the person's information, with the parts withheld.

Who opens a file: HR (anyone's), the person (their own), a manager (a person of their team:
each domain then shows only what the manager may open elsewhere). Anyone else: 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from hr_social.audit.services import record
from hr_social.db import db
from hr_social.people.models import Person
from hr_social.records.registry import ExportSection, FileEntry, record_types


def may_open(viewer, person: Person) -> bool:
    if not getattr(viewer, "is_authenticated", False) or person is None:
        return False
    if viewer.has_role("hr") or viewer.person_id == person.id:
        return True
    if viewer.has_role("manager") and viewer.person is not None:
        return person.is_in_team_of(viewer.person)
    return False


def _moment(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


def entries(person: Person, viewer, *, show_hidden: bool = False) -> list[FileEntry]:
    """Newest first; each record type's ``entries_for_person`` applies its own rules."""
    found = []
    for record_type in record_types():
        if record_type.entries_for_person is not None:
            found.extend(record_type.entries_for_person(person, viewer, show_hidden=show_hidden))
    return sorted(found, key=lambda e: (_moment(e.when), e.record_type, e.record_id),
                  reverse=True)


def has_hidden_entries(person: Person, viewer) -> bool:
    return any(rt.extra["has_hidden_entries"](person, viewer) for rt in record_types()
               if "has_hidden_entries" in rt.extra)


def find_entry(person: Person, viewer, key: str) -> FileEntry | None:
    """The entry of the file named ``"<record type>:<id>"`` (a form's choice), or None."""
    for entry in entries(person, viewer):
        if entry_key(entry) == key:
            return entry
    return None


def entry_key(entry: FileEntry) -> str:
    return f"{entry.record_type}:{entry.record_id}"


def opened(viewer, person: Person, *, show_hidden: bool) -> None:
    record("person_file.opened", actor=viewer, target_type="person_files", target_id=person.id,
           target_label="Dossier de la personne", after={"show_hidden": show_hidden})


@dataclass
class ExportPart:
    label: str  # the record type's
    sections: list[ExportSection]


def export(person: Person) -> list[ExportPart]:
    """The person's information from every record type, for the answer to an A-2.1 request
    (what the person may receive: no viewer rule, each domain withholds what the Act lets or
    makes it withhold, and names the article)."""
    person = db.session.scalar(select(Person).where(Person.id == person.id))
    parts = []
    for record_type in record_types():
        if record_type.export_for_person is not None:
            parts.append(ExportPart(str(record_type.label),
                                    list(record_type.export_for_person(person))))
    return parts
