"""Subject types that official documents may be issued for.

``documents`` imports no domain: each domain registers, in its wiring, a ``describe``
callable that tells the public verification page what one of its documents is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Description:
    """What the public verification page shows for a code (already translated text).

    ``title``: what the document is about (e.g. the policy and its version);
    ``person``: whom it was issued for; ``label``: one sentence saying what kind of
    document it is and its state; ``facts``: further (label, value) lines, dates as
    ``datetime.date``; ``comparable``: False when the domain keeps no copy that a dropped
    file could equal (the page then says so instead of "not identical").
    """

    title: str
    person: str
    label: str = ""
    facts: tuple[tuple[str, str | dt.date], ...] = field(default_factory=tuple)
    comparable: bool = True


# describe(document) -> Description | None (None: the subject is gone; shown as not found)
Describer = Callable[[object], "Description | None"]
_SUBJECTS: dict[str, Describer] = {}


def register_subject(subject_type: str, *, describe: Describer) -> None:
    """Declare a subject type once (at import of the domain's wiring)."""
    if _SUBJECTS.get(subject_type, describe) is not describe:
        raise ValueError(f"subject type {subject_type!r} is already registered")
    _SUBJECTS[subject_type] = describe


def is_registered(subject_type: str) -> bool:
    return subject_type in _SUBJECTS


def describe(document) -> Description | None:
    describer = _SUBJECTS.get(document.subject_type)
    return describer(document) if describer else None
