"""Revision 0022 gives SQLite its trigram search table: the people already there must be
found through it, and people added or renamed afterwards too (triggers)."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import select, text

from hr_social.db import db
from hr_social.people.models import Person
from hr_social.people.search import person_matches
from tests import test_migrations

empty_database = test_migrations.empty_database  # fixtures: SQLite file, PostgreSQL schema
migration_app = test_migrations.migration_app

PEOPLE = (
    "INSERT INTO services (id, name, code, is_active, created_at, updated_at) VALUES "
    "(1, 'Loisirs', 'LOI', true, '2026-01-01', '2026-01-01')",
    "INSERT INTO people (id, employee_number, first_name, last_name, email, service_id, kind, "
    "is_active, search_text, last_name_key, first_name_key, created_at, updated_at) VALUES "
    "(1, 'E1', 'Émile', 'Bélanger', 'e@ville.test', 1, 'employee', true, "
    "'emile belanger e1', '', '', '2026-01-01', '2026-01-01')",
)


def _found(query: str) -> list[int]:
    found = list(db.session.scalars(select(Person.id).where(person_matches(query))))
    db.session.rollback()
    return found


def test_people_there_before_the_revision_are_found_through_it(migration_app):
    upgrade(revision="0020")
    with db.engine.begin() as connection:
        for statement in PEOPLE:
            connection.execute(text(statement))
    upgrade()
    assert _found("langer") == [1] and _found("emile bel") == [1]
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE people SET search_text = 'emile cote e1' WHERE id = 1"))
    assert _found("langer") == [] and _found("cote") == [1]
