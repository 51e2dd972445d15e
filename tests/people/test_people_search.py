"""Searches by name or employee number read one lower-case, unaccented column, which
PostgreSQL answers from a trigram index (no scan of the people table)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text

from hr_social.db import db
from hr_social.people.models import Person
from hr_social.people.search import person_matches
from tests.people.helpers import text as page_text


def test_any_case_any_accent_any_part_of_the_name_or_number(login_as, make_person,
                                                              make_service):
    service = make_service()
    anne = make_person("Anne", "Bélanger", service=service, employee_number="E70001")
    make_person("Éric", "Côté", service=service, employee_number="E70002")
    hr = login_as("hr")
    for query in ("belanger", "BÉLANGER", "lange", "anne bel", "e70001"):
        page = page_text(hr.get(f"/people/?q={query}"))
        assert anne.sort_name in page and "Côté, Éric" not in page, query
    assert "Côté, Éric" in page_text(hr.get("/people/?q=cote"))
    assert "Aucune personne" in page_text(hr.get("/people/?q=50%25"))  # % is a character


def test_renaming_someone_updates_what_searches_find(make_person):
    person = make_person("Zoé", "Urbain")
    person.last_name = "Émond"
    db.session.commit()
    found = db.session.scalars(select(Person.id).where(person_matches("emond zoe"))).all()
    assert found == [person.id]


def test_rows_loaded_in_bulk_are_searchable_too(make_service):
    service = make_service()
    db.session.execute(insert(Person), [{
        "employee_number": "B1", "first_name": "Ève", "last_name": "Zacharie",
        "email": "eve@ville.test", "service_id": service.id}])
    db.session.commit()
    assert db.session.scalar(select(Person.last_name).where(person_matches("eve zach"))) \
        == "Zacharie"


def test_postgresql_answers_from_the_trigram_index(app, make_person):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    make_person("Anne", "Bélanger")
    statement = select(Person.id).where(person_matches("belang"))
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))
    db.session.rollback()
    assert "ix_people_search_text" in plan, plan


def test_a_search_finding_many_people_lists_the_same_page(login_as, make_person, make_service,
                                                          monkeypatch):
    """Many people found: the list walks its French order instead of sorting them all."""
    from hr_social.people import search

    service = make_service()
    for last in ("Émond", "Eastman", "Bélanger", "Bouchard", "Zacharie", "Ève"):
        make_person("Anne", last, service=service)
    hr = login_as("hr")

    def rows():
        page = page_text(hr.get("/people/?q=anne"))
        return page[page.index("<tbody"):page.index('class="count"') + 40]

    few = rows()
    monkeypatch.setattr(search, "FEW_PEOPLE", 1)
    many = rows()
    assert many == few and "6 résultats" in few
    names = [n for n in ("Bélanger", "Bouchard", "Eastman", "Émond", "Ève", "Zacharie")]
    assert [few.index(n + ", Anne") for n in names] == sorted(few.index(n + ", Anne")
                                                             for n in names)
