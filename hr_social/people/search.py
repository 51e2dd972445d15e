"""The one person-search filter: what a search box over people matches."""

from __future__ import annotations

from sqlalchemy import and_, or_, true

from hr_social.people.models import Person, search_fold


def _contains(word: str):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Person.search_text.like(f"%{escaped}%", escape="\\")


def person_matches(query: str, *also):
    """SQL condition: every word of ``query`` is part of the first name, last name or employee
    number, ignoring case and accents (« belang e700 »), read from ``people.search_text``,
    which PostgreSQL answers from its trigram index; ``%`` and ``_`` are taken literally.
    ``also``: more columns a given list searches too (the e-mail on the people list, the user
    name on accounts), each matching when it contains the whole query, ignoring case."""
    words = search_fold(query).split()
    names = and_(true(), *(_contains(word) for word in words))
    return or_(names, *(column.icontains(query, autoescape=True) for column in also))
