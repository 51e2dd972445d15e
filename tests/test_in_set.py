"""``db.in_set`` with a list of ids: the same rows on both databases, one parameter on
PostgreSQL (the statement's text does not depend on how many ids there are)."""

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from hr_social.db import db, in_set
from hr_social.people.models import Person


def test_a_list_of_ids_finds_those_rows_even_when_empty(app, make_person):
    people = [make_person() for _ in range(4)]

    def found(ids):
        return db.session.scalars(select(Person.id).where(in_set(Person.id, ids))
                                  .order_by(Person.id)).all()

    assert found([people[0].id, people[2].id]) == [people[0].id, people[2].id]
    assert found([people[3].id]) == [people[3].id]
    assert found([]) == []


def test_the_text_does_not_depend_on_the_number_of_ids_on_postgresql():
    def text(ids, dialect):
        return str(select(Person.id).where(in_set(Person.id, ids)).compile(dialect=dialect))

    assert text([1, 2], postgresql.dialect()) == text(list(range(150)), postgresql.dialect())
    assert "= ANY(" in text([1, 2], postgresql.dialect())
    assert " IN " in text([1, 2], sqlite.dialect())
