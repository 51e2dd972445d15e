"""Names sort in French order on both databases, not byte by byte (« Émond » after every
« Z », « Bélanger » after « Bouchard »)."""

from __future__ import annotations

import re

from sqlalchemy import select

from hr_social.db import db, french
from hr_social.people.models import Person, Service

NAMES = ["Émond", "Eastman", "Bélanger", "Bouchard", "Zacharie", "Ève"]
FRENCH = ["Bélanger", "Bouchard", "Eastman", "Émond", "Ève", "Zacharie"]


def _in_page_order(html: str, names: list[str]) -> list[str]:
    positions = {name: m.start() for name in names if (m := re.search(re.escape(name), html))}
    return sorted(positions, key=positions.get)


def test_the_database_sorts_names_in_french_order(make_service, make_person):
    service = make_service()
    for name in NAMES:
        make_person(first_name="Anne", last_name=name, service=service)
    ordered = db.session.scalars(select(Person.last_name).order_by(french(Person.last_name)))
    assert list(ordered) == FRENCH


def test_people_and_services_lists_are_in_french_order(login_as, make_service, make_person):
    service = make_service("Loisirs", "LOI")
    for n, name in enumerate(NAMES):
        make_person(first_name="Anne", last_name=name, service=service)
        make_service(f"{name} (service)", f"X{n}")
    hr = login_as("hr")
    people = hr.get("/people/?q=Anne").get_data(as_text=True)
    assert _in_page_order(people, NAMES) == FRENCH
    services = hr.get("/services/").get_data(as_text=True)
    assert _in_page_order(services, [f"{n} (service)" for n in NAMES]) == [
        f"{n} (service)" for n in FRENCH]
    db.session.rollback()
    names = db.session.scalars(select(Service.name).where(Service.code.like("X%"))
                               .order_by(french(Service.name))).all()
    assert names == [f"{n} (service)" for n in FRENCH]


def test_a_renamed_person_moves_and_sqlite_reads_the_order_from_an_index(make_service,
                                                                          make_person):
    """SQLite sorts by stored keys (issue 15, item 5): a renamed person takes their new
    place, rows inserted without the ORM get their keys, and the list's first page comes
    from ix_people_french_key instead of sorting every person."""
    from sqlalchemy import insert, text

    service = make_service()
    people = [make_person(first_name="Anne", last_name=name, service=service)
              for name in NAMES]
    db.session.execute(insert(Person), [{"employee_number": "BULK1", "first_name": "Zoé",
                                         "last_name": "Èbe", "service_id": service.id}])
    people[0].last_name = "Aubé"  # « Émond » becomes « Aubé »
    db.session.commit()
    statement = (select(Person.last_name).where(Person.is_active.is_(True))
                 .order_by(french(Person.last_name), french(Person.first_name), Person.id))
    assert list(db.session.scalars(statement)) == ["Aubé", "Bélanger", "Bouchard", "Eastman",
                                                   "Èbe", "Ève", "Zacharie"]
    if db.engine.dialect.name == "sqlite":
        compiled = statement.limit(25).compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in db.session.execute(
            text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "ix_people_french_key" in plan and "TEMP B-TREE" not in plan, plan
