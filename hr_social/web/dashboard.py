"""The home page: what awaits each user. Domains declare what they show; this module names
no domain.

A provider (``@dashboard_provider``) takes the signed-in user and returns:

- ``Card`` / ``Counted``: number cards linking to a queue. A ``Counted`` count is a scalar
  ``select()`` not yet run: every count rides in ONE statement, and a card whose count is
  zero is not shown.
- ``Listed``: rows a domain lists on the home (to-do items, news, the bars of a chart). Its
  ``statement`` selects the columns made by ``row(...)``; every list of the page is fetched
  in ONE bounded ``UNION ALL`` (each list cut at its ``limit``), and its ``build`` turns its
  rows, without any further query, into ``Todo`` items and ``Panel`` blocks.
- ``Todo`` / ``Panel`` directly, when nothing needs to be read.

``person_fact`` lets a domain add what it knows about a person to every to-do item that
names one (e.g. whether the person signed the policy in force), computed inside the same
``UNION ALL``: the domain listing the item does not know the domain stating the fact.

The home therefore costs at most three statements whatever the number of cards and items:
the counts, the lists, and the update of the user's last visit (once per session).

A domain builds each statement in a function decorated ``@built_once``, with the user's
values and the day as bound parameters (``bindparam("access_person")``, prefixed by the
domain) whose values the card or list gives in ``params``: the statements, and the one
uniting them, are then built once per process (tests/web/test_home_statements.py fails if a
date is frozen into one). A statement built for one page still works, at the cost of
building the whole union again on every page.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import url_for
from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from hr_social.db import db, utcnow

# --- number cards -------------------------------------------------------------------------


# A card reads « 999+ » past this, as its list reads « Plus de 1 000 résultats », and a
# queue of thousands (``count_up_to``) stops being counted there.
CARD_COUNT_CAP = 999


@dataclass
class Card:
    title: str
    text: str
    url: str
    count: int | None = None
    tone: str = ""  # "soon" or "overdue": the card is coloured as a deadline approaches

    @property
    def shown_count(self) -> str:
        return f"{CARD_COUNT_CAP}+" if self.count > CARD_COUNT_CAP else str(self.count)


def count_up_to(rows):
    """A card's count of ``rows`` (a select), which stops past ``CARD_COUNT_CAP``: exact
    below, « 999+ » above, and a queue of 25,000 costs what a queue of 1,000 does."""
    return select(func.count()).select_from(rows.limit(CARD_COUNT_CAP + 1).subquery())


@dataclass
class Counted:
    """A card shown only when its count, a scalar SELECT not yet run, is not zero."""

    title: str
    text: str
    url: str
    count_statement: object
    tone: str = ""
    params: dict = field(default_factory=dict)  # values of its bound parameters


@dataclass
class Shortcut:
    """A button at the top of the home: what the person comes to do (ask for access, log an
    incident). ``primary``: the main one, drawn as such."""

    label: str
    url: str
    primary: bool = False
    order: int = 50


# --- to-do items and panels ---------------------------------------------------------------


@dataclass
class InlineAction:
    """A one-click action shown on the to-do item: a POST form with one button per choice
    (``name``, ``value``, label) and, optionally, a comment box."""

    url: str
    buttons: list[tuple[str, str, str]]
    comment: tuple[str, str] | None = None  # (field name, label)
    confirm: str | None = None  # asked before sending (irreversible actions)
    hidden: dict = field(default_factory=dict)


@dataclass
class Todo:
    """One thing the signed-in person must act on (``news``: something that happened to
    them since their last visit). Items are listed oldest first."""

    title: str
    url: str
    at: dt.datetime | None = None
    detail: str = ""
    person_id: int | None = None
    action: InlineAction | None = None
    news: bool = False
    status: str = ""  # a short state word, styled as a pill
    notes: list[str] = field(default_factory=list)  # facts about the person (person_fact)


@dataclass
class Panel:
    """A block of the home rendered by a domain's own partial template."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50
    url: str | None = None
    link_text: str | None = None


@dataclass
class Listed:
    """Rows to read for the home: ``statement`` selects ``row(...)`` (ordered as the domain
    wishes); the dashboard cuts it at ``limit`` and gives the rows to ``build``, which
    returns ``Todo`` items and ``Panel`` blocks (and must not query the database)."""

    statement: object
    build: Callable[[list], list]
    limit: int = 10
    params: dict = field(default_factory=dict)  # values of its bound parameters


# The columns every listed row has, whatever the domain: (name, type).
ROW_COLUMNS = (("ref", Integer), ("at", DateTime(timezone=True)), ("label", String),
               ("detail", String), ("extra", String), ("person_id", Integer),
               ("number", Integer), ("number2", Integer), ("total", Integer))


def row(**values) -> list:
    """The columns of a listed row, typed alike in every list (so that they unite on
    PostgreSQL); missing ones are NULL. ``at`` must be a date-time column."""
    unknown = set(values) - {name for name, _type in ROW_COLUMNS}
    if unknown:
        raise ValueError(f"unknown row columns: {sorted(unknown)}")
    columns = []
    for name, type_ in ROW_COLUMNS:
        value = values.get(name)
        if value is None:
            columns.append(cast(null(), type_).label(name))
        elif name == "at":
            columns.append(value.label(name))
        else:
            columns.append(cast(value, type_).label(name))
    return columns


@dataclass
class PersonFact:
    """What a domain states about any person named by a to-do item: ``expression`` builds a
    scalar SQL expression from a person id column; ``describe`` turns its value into a short
    sentence (or None: nothing to say)."""

    name: str
    expression: Callable
    describe: Callable


PERSON_FACTS: list[PersonFact] = []


def person_fact(name: str, expression: Callable, describe: Callable) -> None:
    PERSON_FACTS.append(PersonFact(name, expression, describe))


def fact_columns(person_id_column) -> list:
    """The registered facts about the person in ``person_id_column``, as columns to add to
    a select (a list page shows them as the home does: ``fact_notes(row)``)."""
    return [fact.expression(person_id_column).label(f"fact{n}")
            for n, fact in enumerate(PERSON_FACTS)]


def fact_notes(result) -> list[str]:
    """The sentences the facts of a row read with ``fact_columns`` say."""
    notes = []
    for n, fact in enumerate(PERSON_FACTS):
        if (text := fact.describe(getattr(result, f"fact{n}"))) is not None:
            notes.append(text)
    return notes


# Each provider takes the user and returns cards, lists, items and panels; registered by
# domains.
PROVIDERS: list = []


def dashboard_provider(func):
    PROVIDERS.append(func)
    return func


@dataclass
class Home:
    shortcuts: list[Shortcut]
    cards: list[Card]
    todos: list[Todo]
    news: list[Todo]
    panels: list[Panel]


# --- statements built once ----------------------------------------------------------------
# Building and keying SQLAlchemy statements cost more than running them on a home page. A
# statement whose builder takes only shapes (never a user's id or today's date: those are
# bound parameters, ``bindparam("access_person")``, whose values the card or list gives in
# ``params``) is built once per process, and so is the one statement uniting the same
# cards or lists: a home then builds nothing but its cards' titles and links.

_STABLE: dict[int, object] = {}
_UNITED: dict[tuple, object] = {}
_UNITED_KEPT = 256  # role combinations seen by a process: a handful


def built_once(builder):
    """Decorator of a statement builder whose arguments are hashable shapes."""
    cached = functools.cache(builder)

    @functools.wraps(builder)
    def wrapper(*args):
        statement = cached(*args)
        _STABLE[id(statement)] = statement
        return statement
    return wrapper


def _united(key: tuple, parts: list, build: Callable, params: dict):
    """The statement uniting ``parts``, built once per process and per day: the days among
    ``params`` (review limit, due dates) are written into it, so a new day builds it again."""
    if not all(id(part) in _STABLE for part in parts):
        return build()  # a part built for this page alone: so is the whole
    days = {name: value for name, value in params.items()
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime)}
    key = (*key, *sorted(days.items()))
    statement = _UNITED.get(key)
    if statement is None:
        if len(_UNITED) >= _UNITED_KEPT:
            _UNITED.clear()
        statement = _UNITED[key] = _constants_written_in(build(), days)
    return statement


_CONSTANTS = (str, int, bool)


def _sql_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    return "'" + value.replace("'", "''") + "'"


def _constants_written_in(statement, days: dict):
    """The statement with its constants (states, limits, labels) and the ``days`` written in
    its text; only the user's values and times stay parameters. PostgreSQL then keeps one
    plan for it rather than planning each home: not knowing which state or day a parameter
    holds, its plan for any value looked dearer, so it planned every one (2 ms per page)."""
    def inline(element):
        if not isinstance(element, BindParameter) or element.callable is not None:
            return None
        if element.key in days:
            return literal_column(_sql_literal(days[element.key]), Date)
        values = element.value if element.expanding else [element.value]
        if (not values or not all(isinstance(v, _CONSTANTS) for v in values)
                or any("\x00" in v for v in values if isinstance(v, str))):
            return None
        written = ", ".join(map(_sql_literal, values))
        return literal_column(f"({written})" if element.expanding else written, element.type)
    return visitors.replacement_traverse(statement, {}, inline)


def _params(things) -> dict:
    params: dict = {}
    for thing in things:
        for name, value in thing.params.items():
            if params.setdefault(name, value) != value:
                raise ValueError(f"bound parameter {name!r} given two values")
    return params


def _counts(counted: list[Counted]) -> dict[int, int]:
    if not counted:
        return {}
    parts = [card.count_statement for card in counted]
    params = _params(counted)
    statement = _united(("counts", *map(id, parts)), parts, lambda: select(*[
        part.scalar_subquery().label(f"c{n}") for n, part in enumerate(parts)]), params)
    row_ = db.session.execute(statement, params).one()
    return {id(card): value for card, value in zip(counted, row_, strict=True)}


def _lists(lists: list[Listed]) -> list[list]:
    """Every list's rows in one statement: a UNION ALL of each list cut at its limit, with
    the person facts computed once per row."""
    found: list[list] = [[] for _list in lists]
    if not lists:
        return found
    parts = [listed.statement for listed in lists]
    key = ("lists", *((id(listed.statement), listed.limit) for listed in lists))
    params = _params(lists)
    statement = _united(key, parts, lambda: _union_of(lists), params)
    for result in db.session.execute(statement, params).all():
        found[result.list_no].append(result)
    return found


def _union_of(lists: list[Listed]):
    names = [name for name, _type in ROW_COLUMNS]
    branches = []
    for n, listed in enumerate(lists):
        part = listed.statement.limit(listed.limit).subquery(f"list{n}")
        branches.append(select(literal_column(str(n), Integer).label("list_no"),
                               *[part.c[name] for name in names]))
    united = (union_all(*branches) if len(branches) > 1 else branches[0]).subquery("home")
    return select(united, *fact_columns(united.c.person_id))


def _notes(result) -> list[str]:
    return [] if result.person_id is None else fact_notes(result)


def _oldest_first(item: Todo):
    at = item.at or dt.datetime.max.replace(tzinfo=dt.UTC)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def home_for(user) -> Home:
    proposed = [thing for provider in PROVIDERS for thing in provider(user)]
    counted = [thing for thing in proposed if isinstance(thing, Counted)]
    lists = [thing for thing in proposed if isinstance(thing, Listed)]
    counts = _counts(counted)
    built = []
    for listed, rows in zip(lists, _lists(lists), strict=True):
        for thing in listed.build(rows):
            if isinstance(thing, Todo) and thing.person_id is not None:
                person_rows = [r for r in rows if r.person_id == thing.person_id]
                thing.notes = thing.notes or (_notes(person_rows[0]) if person_rows else [])
            built.append(thing)
    cards, items, panels, shortcuts = [], [], [], []
    for thing in proposed + built:
        if isinstance(thing, Counted):
            if counts[id(thing)]:
                cards.append(Card(thing.title, thing.text, thing.url, counts[id(thing)],
                                  thing.tone))
        elif isinstance(thing, Card):
            cards.append(thing)
        elif isinstance(thing, Todo):
            items.append(thing)
        elif isinstance(thing, Panel):
            panels.append(thing)
        elif isinstance(thing, Shortcut):
            shortcuts.append(thing)
    items.sort(key=_oldest_first)
    shortcuts.sort(key=lambda s: (not s.primary, s.order))
    return Home(shortcuts=shortcuts, cards=cards, todos=[i for i in items if not i.news],
                news=[i for i in items if i.news],
                panels=sorted(panels, key=lambda p: p.order))


def dashboard_cards(user) -> list[Card]:
    return home_for(user).cards


# --- the last visit -----------------------------------------------------------------------

# Visits closer than this to the previous one belong to the same sitting: the news shown at
# its start stays on the home while the person works, instead of vanishing on the first reload.
SITTING = dt.timedelta(minutes=30)
FIRST_VISIT_NEWS = dt.timedelta(days=30)
# A visit within this of the one recorded changes nothing worth a write.
UNCHANGED = dt.timedelta(minutes=1)


def news_since(user) -> dt.datetime:
    """What happened after this moment is news for the user (``record_visit`` keeps it)."""
    return getattr(user, "home_news_since", None) or utcnow() - FIRST_VISIT_NEWS


def record_visit(user, now: dt.datetime | None = None) -> None:
    """Remember the visit; a visit after a pause longer than ``SITTING`` starts a new
    sitting, whose news starts at the previous visit. One UPDATE at most, flushed with the
    next query; the caller commits."""
    now = now or utcnow()
    last = user.home_visited_at
    if last is not None and now - last < UNCHANGED:
        return
    if last is None:
        user.home_news_since = now - FIRST_VISIT_NEWS
    elif now - last >= SITTING:
        user.home_news_since = last
    user.home_visited_at = now


def link(endpoint: str, **values) -> str:
    return url_for(endpoint, **values)
