"""The one person-search filter every list uses (people, accounts, access requests,
acknowledgements)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hr_social.db import db
from hr_social.people.models import Person
from hr_social.people.search import person_matches
from tests.people.helpers import text as page_text


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


def test_any_part_of_a_word_matches_and_quotes_are_plain_text(make_person):
    make_person("Émile", "O'Neil-Bélanger", employee_number="D300")
    make_person("Zoé", "Langlois", employee_number="D301")
    assert _found("langer") == ["D300"]  # inside a word, through the index
    assert _found("o'neil") == ["D300"]
    assert _found('"langer') == [] and _found("lang") == ["D300", "D301"]
    assert _found("n l") == ["D300", "D301"]  # words too short for trigrams: compared as text


def test_the_index_follows_new_names_renames_and_removals(make_person):
    person = make_person("Hélène", "Tremblay", employee_number="F500")
    assert _found("tremblay") == ["F500"]
    person.last_name = "Ouellet"
    db.session.commit()
    assert _found("tremblay") == [] and _found("ouellet") == ["F500"]
    db.session.delete(person)
    db.session.commit()
    assert _found("ouellet") == []


def test_sqlite_answers_from_its_trigram_table(app, make_person):
    """PostgreSQL's side: tests/people/test_people_search.py."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")
    make_person("Anne", "Bouchard")
    compiled = select(Person.id).where(person_matches("bouchard")).compile(db.engine)
    with db.engine.connect() as connection:
        plan = " ".join(row[-1] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(compiled), tuple(compiled.params.values())))
    assert "people_search VIRTUAL TABLE" in plan, plan
    assert "SCAN people " not in plan + " ", plan


def test_an_address_is_searched_when_one_is_typed(login_as, make_person):
    make_person("Anne", "Roy", email="a.roy@ville.test")
    hr = login_as("hr")
    assert "Roy, Anne" in page_text(hr.get("/people/?q=a.roy@ville"))
    assert "Roy, Anne" in page_text(hr.get("/people/?q=roy"))


def test_ids_of_the_people_found_are_those_the_condition_finds(make_person):
    from hr_social.people.search import matching_ids

    make_person("Émile", "O'Neil-Bélanger", employee_number="G100")
    make_person("Zoé", "Bélanger", employee_number="G101")
    make_person("Émile", "Roy", employee_number="G102")
    for query in ("belanger", "emile bel", "bel emile g1", 'zo"e', "e g", "g10 roy", "xyz"):
        by_ids = set(db.session.scalars(matching_ids(query)))
        by_condition = set(db.session.scalars(select(Person.id).where(person_matches(query))))
        assert by_ids == by_condition, query
    assert len(set(db.session.scalars(matching_ids("emile bel")))) == 1
