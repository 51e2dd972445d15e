"""The one place where domains declare their record types (like navigation and dashboard).

A domain calls ``register_record_type(RecordType(...))`` from its ``wiring.py``. The records
package only walks this registry: the person's file, the A-2.1 export and the retention
schedule never name a domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileEntry:
    """One line of a person's file: what the application holds, when, and where to see it."""

    record_type: str
    record_id: int
    when: dt.datetime | dt.date
    title: str
    summary: str = ""
    url: str | None = None


@dataclass(frozen=True)
class ExportSection:
    """A part of an A-2.1 answer: the person's information from one record, with the parts
    withheld and the article invoked for each."""

    heading: str
    rows: tuple[tuple[str, str], ...]
    withheld: tuple[tuple[str, str], ...] = ()  # (what is withheld, article invoked)


@dataclass(frozen=True)
class RetentionCandidate:
    """A record whose retention period may have run out: the event it runs from and its date."""

    record_id: int
    event: str
    event_on: dt.date
    person_ids: frozenset[int] = frozenset()
    label: str = ""


@dataclass(frozen=True)
class RecordType:
    code: str  # "<domain>.<record>", e.g. "discipline.case"
    label: str  # French, lazy
    # The person's file and export (person, viewer) — each domain applies its own rules
    # of confidentiality for the viewer. ``entries_for_person(person, viewer, **options)``:
    # options the file page may pass (``show_hidden=True``: HR asked to see what a domain
    # hides by default, e.g. amnestied sanctions); a domain ignores the options it does not
    # know. ``export_for_person(person)``: everything the person may receive (A-2.1 art. 83),
    # the parts withheld listed with the article invoked; never another person's information.
    entries_for_person: Callable[..., Iterable[FileEntry]] | None = None
    export_for_person: Callable[..., Iterable[ExportSection]] | None = None
    # Retention: the events a period may run from ("departure", "end_of_validity", "amnesty",
    # "closing"), the records that reached such an event, and the domain's own purge.
    retention_events: tuple[str, ...] = ()
    candidates: Callable[..., Iterable[RetentionCandidate]] | None = None
    dispose: Callable[..., None] | None = None
    extra: dict = field(default_factory=dict)


RECORD_TYPES: dict[str, RecordType] = {}


def register_record_type(record_type: RecordType) -> RecordType:
    if record_type.code in RECORD_TYPES:
        raise ValueError(f"record type declared twice: {record_type.code}")
    RECORD_TYPES[record_type.code] = record_type
    return record_type


def record_types() -> list[RecordType]:
    return list(RECORD_TYPES.values())


def record_type(code: str) -> RecordType | None:
    return RECORD_TYPES.get(code)
