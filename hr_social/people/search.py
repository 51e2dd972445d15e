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

from sqlalchemy import and_, column, or_, select, table, true

from hr_social.db import db
from hr_social.people.models import SEARCH_TABLE, Person, search_fold

TRIGRAM = 3
_search = table(SEARCH_TABLE, column("rowid"), column(SEARCH_TABLE))


def _like(word: str):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Person.search_text.like(f"%{escaped}%", escape="\\")


def _contains(word: str, sqlite: bool):
    if not sqlite or len(word) < TRIGRAM:
        return _like(word)
    phrase = '"' + word.replace('"', '""') + '"'  # the word as it is, no FTS syntax
    return Person.id.in_(select(_search.c.rowid).where(
        _search.c[SEARCH_TABLE].op("MATCH")(phrase)))


def person_matches(query: str, *also):
    """SQL condition: every word of ``query`` is part of the first name, last name or employee
    number, ignoring case and accents (« belang e700 »), through each database's index;
    ``%`` and ``_`` are taken literally. ``also``: more columns a given list searches too
    (the e-mail on the people list, the user name on accounts), each matching when it
    contains the whole query, ignoring case."""
    sqlite = db.engine.dialect.name == "sqlite"
    words = search_fold(query).split()
    names = and_(true(), *(_contains(word, sqlite) for word in words))
    return or_(names, *(column.icontains(query, autoescape=True) for column in also))
