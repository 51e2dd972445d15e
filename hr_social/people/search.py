"""The one person-search filter: what a search box over people matches.

Every word of a query must be part of the first name, last name or employee number,
ignoring case and accents, read from ``people.search_text`` (``search_fold``). Each database
answers through an index rather than reading every person:

- PostgreSQL: the trigram index on ``search_text`` (``ix_people_search_text``, pg_trgm);
- SQLite: ``people_search``, an FTS5 table with the trigram tokenizer over the same column
  (external content, kept in step by triggers: ``models.SQLITE_SEARCH_DDL``). A word of three
  characters or more is a phrase of that table (any part of a word, as ``LIKE '%…%'``);
  a shorter word has no trigram and is compared with ``LIKE``.
"""

from __future__ import annotations

from sqlalchemy import String, and_, bindparam, column, or_, select, table, true, union

from hr_social.db import db, in_set
from hr_social.people.models import SEARCH_TABLE, Person, User, search_fold

TRIGRAM = 3
# A search matching more people than this walks a list in its own order instead.
FEW_PEOPLE = 200
_search = table(SEARCH_TABLE, column("rowid"), column(SEARCH_TABLE))


def _on_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _containing(text: str):
    """A LIKE pattern for "contains ``text``" (``%`` and ``_`` taken literally), written into
    the statement, not bound: a plan PostgreSQL keeps for a prepared statement would not
    know it, and chose to read every person (5 ms → 20 ms)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return bindparam(None, f"%{escaped}%", String, literal_execute=True)


def _like(word: str):
    return Person.search_text.like(_containing(word), escape="\\")


def _phrases(words: list[str]) -> str:
    # Each word as it is (no FTS syntax), all of them: « "emond" AND "zoe" ».
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def _words(query: str) -> tuple[list[str], list[str], bool]:
    """The query's words: those the trigram table can answer, the others, and whether the
    trigram table is there (SQLite)."""
    words = search_fold(query).split()
    if not _on_sqlite():
        return [], words, False
    return ([w for w in words if len(w) >= TRIGRAM], [w for w in words if len(w) < TRIGRAM],
            True)


def _names(query: str):
    indexed, plain, _sqlite = _words(query)
    conditions = [_like(word) for word in plain]
    if indexed:
        conditions.append(Person.id.in_(select(_search.c.rowid).where(
            _search.c[SEARCH_TABLE].op("MATCH")(_phrases(indexed)))))
    return and_(true(), *conditions)


def matching_ids(query: str):
    """``select()`` of the ids of the people ``person_matches(query)`` finds; on SQLite
    straight from the trigram table when every word has three characters or more."""
    indexed, plain, sqlite = _words(query)
    if sqlite and indexed and not plain:
        return select(_search.c.rowid).where(
            _search.c[SEARCH_TABLE].op("MATCH")(_phrases(indexed)))
    return select(Person.id).where(person_matches(query))


def person_matches(query: str, *also):
    """SQL condition: every word of ``query`` is part of the first name, last name or employee
    number, ignoring case and accents (« belang e700 »), through each database's index;
    ``%`` and ``_`` are taken literally. ``also``: more columns a given list searches too
    (the e-mail on the people list when an address is typed), each matching when it
    contains the whole query, ignoring case."""
    return or_(_names(query), *(extra.icontains(query, autoescape=True) for extra in also))


def _login_named(query: str):
    return User.username.ilike(_containing(query), escape="\\")


def login_matches(query: str):
    """SQL condition on ``User``: its person is found by the search, or its user name contains
    the whole query (ignoring case). For a page in user-name order: the database walks that
    order and stops at the page's end."""
    return or_(User.person_id.in_(matching_ids(query)), _login_named(query))


def logins_found(query: str):
    """``select()`` of the ids of the logins ``login_matches(query)`` finds, for counting them:
    a union, so that each side goes through its own index (PostgreSQL: trigrams on the user
    name), where the OR read every login."""
    return union(select(User.id).where(User.person_id.in_(matching_ids(query))),
                 select(User.id).where(_login_named(query)))


def rows_of_people_found(query: str, person_column, *, counting: bool = False):
    """SQL condition: rows of the people a search matches, for a list ordered otherwise. A
    few people (a name): their rows through the person index, sorted. Many (« tremblay » in
    a city): sorting their thousands of rows costs more than walking the list's own order
    and keeping theirs, which ``+ 0`` makes the database do (no index on the expression).
    ``counting``: for a count, always through the index. PostgreSQL needs neither: its
    statistics on ``search_text`` estimate how many people a pattern matches, and its planner
    chooses between the two plans (bench/list_pages.py: the look-up cost more than it saved);
    SQLite cannot estimate a LIKE or an FTS match."""
    matching = matching_ids(query)
    if counting or not _on_sqlite():
        return person_column.in_(matching)
    found = db.session.scalars(matching.limit(FEW_PEOPLE + 1)).all()
    if len(found) <= FEW_PEOPLE:
        return in_set(person_column, found)
    return (person_column + 0).in_(matching)


def people_search(query: str, *, counting: bool = False):
    """SQL condition on ``Person`` for the people lists' search box. An address is looked up
    only when one is typed (« @ »): a name or number stays on the index instead of reading
    every person's e-mail."""
    if "@" in query:
        return person_matches(query, Person.email)
    if counting:  # the people themselves: counted by the condition, not joined back to it
        return person_matches(query)
    return rows_of_people_found(query, Person.id)
