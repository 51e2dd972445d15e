"""Audit entries in words: one renderer for the audit page, a person's history and every
object's timeline.

Each domain declares, from its own wiring, the French label of every action code it records
(``register_actions``), the names of the fields its entries keep and how their values read
(``register_fields``). This module names no domain. The confidentiality rules stay those of
``audit.confidentiality``: an entry the reader may not read becomes a sentence that says
only that a confidential entry exists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.audit.confidentiality import may_read

Formatter = Callable[[object], object]


@dataclass
class Group:
    """The actions of one domain, as the audit filter lists them."""

    label: object
    codes: list[str] = field(default_factory=list)


_LABELS: dict[str, object] = {}
_ALIASES: dict[str, str] = {}
_GROUPS: dict[str, Group] = {}
_FIELDS: dict[str | None, dict[str, object]] = {None: {
    "state": _l("Statut"),
    "status": _l("Statut"),
    "changed_fields": _l("Éléments modifiés"),
    "reason": _l("Motif"),
    "note": _l("Note"),
    "count": _l("Nombre"),
}}
_VALUES: dict[tuple[str | None, str], Formatter] = {}
_TYPE_LABELS: dict[str, object] = {}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def register_actions(group: str, group_label, labels: Mapping[str, object], *,
                     aliases: Mapping[str, str] | None = None) -> None:
    """Declare the French label of each action code (a short sentence: « Demande soumise »).
    ``aliases`` maps codes written by older versions to the code whose words they share."""
    _LABELS.update(labels)
    _ALIASES.update(aliases or {})
    entry = _GROUPS.setdefault(group, Group(group_label))
    entry.codes.extend(code for code in labels if code not in entry.codes)


def register_fields(target_type: str, labels: Mapping[str, object], *,
                    values: Mapping[str, Formatter] | None = None,
                    type_label=None) -> None:
    """Declare how the fields of a target type's entries are named and how values read;
    ``type_label`` names the type itself (« dossier disciplinaire »)."""
    if type_label is not None:
        _TYPE_LABELS[target_type] = type_label
    _FIELDS.setdefault(target_type, {}).update(labels)
    for name, formatter in (values or {}).items():
        _VALUES[(target_type, name)] = formatter


def labelled(mapping: Mapping) -> Formatter:
    """A value formatter reading a code through a dict of labels (states, outcomes...)."""
    return lambda value: mapping.get(value, value)


def known_actions() -> set[str]:
    """Every code with words, old names included (the test walks the code base against it)."""
    return set(_LABELS) | set(_ALIASES)


def canonical(action: str) -> str:
    return _ALIASES.get(action, action)


def action_label(action: str) -> str:
    label = _LABELS.get(canonical(action))
    return str(label) if label is not None else _("Autre action (%(code)s)", code=action)


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(code, label)]) for the audit filter, alphabetically in French."""
    groups = []
    for group in _GROUPS.values():
        options = sorted(((code, str(_LABELS[code])) for code in group.codes),
                         key=lambda option: option[1].lower())
        groups.append((str(group.label), options))
    return sorted(groups, key=lambda item: item[0].lower())


def codes_for_filter(value: str) -> tuple[list[str], str | None]:
    """The exact codes a filter value stands for (its old names too), or a prefix kept from
    the links written before the list (« access_request. »)."""
    if value.endswith("."):
        return [], value
    return [value, *(old for old, new in _ALIASES.items() if new == value)], None


def field_label(target_type: str | None, name: str) -> str:
    label = _FIELDS.get(target_type, {}).get(name) or _FIELDS[None].get(name)
    return str(label) if label is not None else name.replace("_", " ")


def format_value(target_type: str | None, name: str, value):
    """A value in words; None (nothing) stays None so the page shows a dash."""
    if value is None or value == "" or value == []:
        return None
    formatter = _VALUES.get((target_type, name)) or _VALUES.get((None, name))
    if formatter is not None:
        value = formatter(value)
        if value is None:
            return None
    if name == "changed_fields" and isinstance(value, list):
        return ", ".join(field_label(target_type, item) for item in value)
    return _plain(value)


def _plain(value):
    from hr_social.i18n import datetime_filter

    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list | tuple):
        return ", ".join(str(_plain(item)) for item in value) or None
    if isinstance(value, dict):
        return " ; ".join(f"{key} : {_plain(item)}" for key, item in value.items())
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            return datetime_filter(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


@dataclass
class Sentence:
    """One audit entry in words. ``hidden``: the reader may only know the entry exists."""

    event: object
    label: str
    hidden: bool = False
    changes: list[tuple[str, object, object]] = field(default_factory=list)

    @property
    def subject(self) -> str | None:
        """What the entry is about: its label, else its type and number."""
        if self.hidden:
            return None
        event = self.event
        if event.target_label or not event.target_id:
            return event.target_label
        kind = _TYPE_LABELS.get(event.target_type, event.target_type)
        return _("%(type)s n° %(id)s", type=kind, id=event.target_id)


def sentence(event, reader=None, *, check: bool = True) -> Sentence:
    """``reader``: the user the sentence is for (``check=False`` when the caller already
    knows the reader may read the entry, as an object's own page does)."""
    if check and not may_read(reader, event.target_type, event.target_id):
        kind = _TYPE_LABELS.get(event.target_type, event.target_type)
        return Sentence(event, _("Entrée confidentielle (%(type)s) : ses détails sont réservés "
                                 "aux personnes autorisées.", type=kind), hidden=True)
    kind = event.target_type
    changes = []
    for name, before, after in event.changes():
        old, new = format_value(kind, name, before), format_value(kind, name, after)
        if old != new:
            changes.append((field_label(kind, name), old, new))
    return Sentence(event, action_label(event.action), changes=changes)


def sentences(events: Iterable, reader=None, *, check: bool = True) -> list[Sentence]:
    return [sentence(event, reader, check=check) for event in events]
