"""The one person-search filter every list uses (people, accounts, access requests,
acknowledgements)."""

from __future__ import annotations

from sqlalchemy import select

from hr_social.db import db
from hr_social.people.models import Person
from hr_social.people.search import person_matches


def _found(query, *also):
    return sorted(db.session.scalars(
        select(Person.employee_number).where(person_matches(query, *also))).all())


def test_name_full_name_and_number_match_ignoring_case(make_person):
    make_person("Élise", "Gagnon", employee_number="A100", email="elise@ville.test")
    make_person("Marc", "Gagné", employee_number="B200", email="marc@ville.test")
    assert _found("gagnon") == ["A100"]
    assert _found("Élise gag") == ["A100"]
    assert _found("b2") == ["B200"]
    assert _found("MARC") == ["B200"]
    assert _found("marc@") == []  # the e-mail only where the list asks for it
    assert _found("marc@", Person.email) == ["B200"]


def test_like_wildcards_in_the_query_are_taken_literally(make_person):
    make_person("Anne", "Roy", employee_number="C_1")
    make_person("Anne", "Roy", employee_number="CX1")
    assert _found("c_1") == ["C_1"]
    assert _found("%") == []
