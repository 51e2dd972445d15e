"""The one person-search filter: what a search box over people matches."""

from __future__ import annotations

from sqlalchemy import or_

from hr_social.people.models import Person


def person_matches(query: str, *also):
    """SQL condition: first name, last name, "first last" or employee number contains
    ``query``, ignoring case; ``%`` and ``_`` are taken literally. ``also``: more columns a
    given list searches too (the e-mail on the people list, the user name on accounts)."""
    columns = (Person.first_name, Person.last_name,
               Person.first_name + " " + Person.last_name, Person.employee_number, *also)
    return or_(*(column.icontains(query, autoescape=True) for column in columns))
