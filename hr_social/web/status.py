"""Statuses shown as coloured badges: each domain declares the tone of its states, once.

A domain registers, in its ``wiring.py``, the tone of every state of a model::

    register_status(AccessRequest, {"draft": "neutral", "submitted": "pending", ...})

and every template shows a state with the one function ``badge(obj)`` (a Jinja global,
``status_badge(kind, state, label)`` when the state is not an attribute, e.g. an
invitation's computed status): Python, not a Jinja macro, because a list calls it for every
row and a macro call costs several times more. No template maps a state to a
colour by hand. Tones: ``neutral``, ``info``, ``pending``, ``ok``, ``warn``, ``danger``,
``muted``; each has a CSS class ``badge-<tone>`` with AA contrast.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from markupsafe import Markup, escape

TONES = ("neutral", "info", "pending", "ok", "warn", "danger", "muted")


@dataclass(frozen=True)
class StatusTones:
    tones: dict[str, str]
    attribute: str = "state"  # the column holding the state
    label: str = "state_label"  # the property giving its French label


_BY_KEY: dict[object, StatusTones] = {}


def register_status(key, tones: dict[str, str], *, attribute: str = "state",
                    label: str = "state_label") -> None:
    """``key``: a model class (``badge(obj)``) or a name (``status_badge(name, …)``)."""
    unknown = set(tones.values()) - set(TONES)
    if unknown:
        raise ValueError(f"{key}: unknown tones {unknown}")
    _BY_KEY[key] = StatusTones(dict(tones), attribute, label)
    _entry_of_class.cache_clear()


def _entry(key) -> StatusTones | None:
    if isinstance(key, str):
        return _BY_KEY.get(key)
    return _entry_of_class(key if isinstance(key, type) else type(key))


@functools.cache
def _entry_of_class(cls) -> StatusTones | None:
    # Every badge of a list asks: walk the class hierarchy once per class. Registration
    # happens at import, before any page; register_status clears this memo all the same.
    for parent in cls.__mro__:
        if parent in _BY_KEY:
            return _BY_KEY[parent]
    return None


def tone_of(key, state) -> str:
    entry = _entry(key)
    state = getattr(state, "value", state)
    return entry.tones.get(str(state), "neutral") if entry else "neutral"


@dataclass(frozen=True)
class Shown:
    state: str
    label: str
    tone: str


def status_of(obj) -> Shown:
    """The state, French label and tone of an object whose model registered its tones."""
    entry = _entry(obj) or StatusTones({})
    state = getattr(obj, entry.attribute, "")
    state = str(getattr(state, "value", state) or "")
    label = getattr(obj, entry.label, None)
    return Shown(state, str(label if label is not None else state), tone_of(obj, state))


def _badge(tone: str, state, label, id) -> Markup:  # noqa: A002 (the HTML attribute)
    # Plain concatenation with escape(): Markup.format goes through string.Formatter,
    # several times slower, and a list shows a badge on every row.
    extra = f' id="{escape(id)}"' if id else ""
    return Markup(f'<span class="badge badge-{escape(tone)}" data-state="{escape(state)}"'  # noqa: S704
                  f'{extra}>{escape(label)}</span>')


def status_badge(kind, state, label, id=None) -> Markup:  # noqa: A002
    """A state that is not an attribute of an object (``kind``: a registered name)."""
    return _badge(tone_of(kind, state), state, label, id)


def badge(obj, text=None, id=None) -> Markup:  # noqa: A002
    """An object's state as a badge: its tone, its label (or ``text``)."""
    shown = status_of(obj)
    return _badge(shown.tone, shown.state, text if text is not None else shown.label, id)


def init_app(app) -> None:
    app.jinja_env.globals.update(status_of=status_of, status_tone=tone_of, badge=badge,
                                 status_badge=status_badge)
