"""A manager's team: direct and indirect reports, on both databases (PostgreSQL looks each
level up through the manager index, SQLite joins: same people either way)."""

import pytest
from sqlalchemy import select, text

from hr_social.db import db
from hr_social.people.models import Person


def test_team_holds_every_level_below_the_manager_and_no_one_else(app, make_person):
    director = make_person(first_name="Diane")
    chief = make_person(first_name="Charles", manager=director)
    clerk = make_person(first_name="Claire", manager=chief)
    intern = make_person(first_name="Inès", manager=clerk)
    peer = make_person(first_name="Paul", manager=director)
    outsider = make_person(first_name="Odile")
    make_person(first_name="Olivier", manager=outsider)

    team = set(db.session.scalars(Person.team_ids_query(director.id)))

    assert team == {chief.id, clerk.id, intern.id, peer.id}
    assert set(db.session.scalars(Person.team_ids_query(clerk.id))) == {intern.id}
    assert set(db.session.scalars(Person.team_ids_query(intern.id))) == set()


def test_team_is_usable_inside_a_larger_statement(app, make_person):
    """The home and the lists embed the team in their own statements."""
    director = make_person(first_name="Diane")
    chief = make_person(first_name="Charles", manager=director)
    clerk = make_person(first_name="Claire", manager=chief)
    make_person(first_name="Odile")

    names = db.session.scalars(
        select(Person.first_name).where(Person.id.in_(Person.team_ids_query(director.id)))
        .order_by(Person.first_name)).all()

    assert names == ["Charles", "Claire"]
    assert clerk.id in set(db.session.scalars(Person.team_ids_query(director.id, name="t2")))


def test_postgresql_reads_each_level_through_the_manager_index(app):
    """The statement is written for the database it runs on."""
    from sqlalchemy.dialects import postgresql, sqlite

    statement = Person.team_ids_query(1)
    assert "LATERAL" in str(statement.compile(dialect=postgresql.dialect()))
    assert "LATERAL" not in str(statement.compile(dialect=sqlite.dialect()))


def test_postgresql_connections_do_not_compile_statements_just_in_time(app):
    """A team's cost estimate crosses jit_above_cost: compiling took 2.5 s on the home."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL setting")
    assert db.session.scalar(text("SHOW jit")) == "off"
