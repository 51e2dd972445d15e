"""The one place where domains declare their record types (like navigation and dashboard).

A domain calls ``register_record_type(RecordType(...))`` from its ``wiring.py``. The records
package only walks this registry: the person's file, the A-2.1 export and the retention
schedule never name a domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import MISSING, dataclass, field, fields, replace


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
    label: str = ""  # no name: it is kept in the destruction register ("Demande n° 12")


@dataclass(frozen=True)
class RetentionDefault:
    """The rule a record type starts with in the schedule, until HR changes it."""

    months: int
    event: str
    disposition: str  # "destroy", "anonymise" or "keep"


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
    dispose: Callable[..., dict | None] | None = None
    # Retention contract (docs/records.md): ``candidates(event, until)`` yields the records
    # whose ``event`` happened on or before ``until`` and that the domain has not purged yet;
    # ``dispose(record_id, disposition)`` purges one record with the domain's own operation
    # (flush, never commit) and returns counts for the register ({"files_removed": 2}).
    retention_default: RetentionDefault | None = None
    dispositions: tuple[str, ...] = ("keep",)  # what ``dispose`` knows how to do, and keep
    audit_target_type: str | None = None  # the table its audit entries name (tombstone)
    extra: dict = field(default_factory=dict)


RECORD_TYPES: dict[str, RecordType] = {}


def register_record_type(record_type: RecordType) -> RecordType:
    """Declare a record type. A domain may declare one type in two parts (its person's-file
    hooks and its retention hooks, from two modules): the parts are merged, and a field
    given twice with two different values is an error."""
    known = RECORD_TYPES.get(record_type.code)
    if known is not None:
        record_type = _merged(known, record_type)
    RECORD_TYPES[record_type.code] = record_type
    return record_type


def _merged(known: RecordType, new: RecordType) -> RecordType:
    changes = {}
    for item in fields(RecordType):
        mine, theirs = getattr(known, item.name), getattr(new, item.name)
        default = (item.default_factory() if item.default_factory is not MISSING
                   else item.default)
        if theirs in (default, mine) or item.name in ("label", "extra"):
            continue
        if mine != default:
            raise ValueError(f"record type declared twice: {new.code}.{item.name}")
        changes[item.name] = theirs
    if new.extra:
        changes["extra"] = {**known.extra, **new.extra}
    return replace(known, **changes)


def record_types() -> list[RecordType]:
    return list(RECORD_TYPES.values())


def record_type(code: str) -> RecordType | None:
    return RECORD_TYPES.get(code)


@dataclass(frozen=True)
class LinkTarget:
    """A kind of record a confidentiality incident may be linked to (a disciplinary case, a
    consent), by subject type and id; ``exists(id)`` says whether the id names a record."""

    subject_type: str
    label: str
    exists: Callable[[int], bool] | None = None


LINK_TARGETS: dict[str, LinkTarget] = {}


def register_link_target(target: LinkTarget) -> LinkTarget:
    LINK_TARGETS[target.subject_type] = target
    return target


def link_targets() -> list[LinkTarget]:
    return list(LINK_TARGETS.values())
