"""The home's statements are built once per process, with the user's values and the day
bound at each page: nobody sees another person's items, and no date is frozen."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from hr_social.web import dashboard
from tests.people.helpers import text
from tests.web.test_home import _ask, town  # noqa: F401 - the fixture

ALL_ROLES = ("employee", "manager", "hr", "dg", "admin", "communications", "privacy")


def test_a_second_visit_builds_no_statement(login_as):
    client = login_as(*ALL_ROLES)
    dashboard._UNITED.clear()
    client.get("/")
    # Every card and list is built once: so are the statement of the counts and the lists'.
    assert len(dashboard._UNITED) == 2
    stable, united = dict(dashboard._STABLE), dict(dashboard._UNITED)
    assert client.get("/").status_code == 200
    assert stable == dashboard._STABLE and united == dashboard._UNITED


def test_no_date_or_time_is_frozen_into_a_statement_built_once(login_as):
    login_as(*ALL_ROLES).get("/")
    frozen = []
    for statement in [*dashboard._STABLE.values(), *dashboard._UNITED.values()]:
        for element in visitors.iterate(statement, {"column_collections": False}):
            if isinstance(element, BindParameter) and isinstance(
                    element.value, dt.date | dt.datetime):
                frozen.append((element.key, element.value))
    # Every date of a card or list is a bound parameter given at each page.
    assert frozen == []


def test_each_person_sees_their_own_items_from_the_same_statements(login_as, town):  # noqa: F811
    emile, zoe, facebook = town["employee"], town["zoe"], town["platforms"][0]
    _ask(emile, facebook, submit=False)
    emile_page = text(login_as(user=emile).get("/"))
    zoe_page = text(login_as(user=zoe).get("/"))
    assert "Soumettre votre demande d'accès" in emile_page
    assert "Soumettre votre demande d'accès" not in zoe_page
    _ask(zoe, facebook, submit=False)
    assert "Soumettre votre demande d'accès" in text(login_as(user=zoe).get("/"))


def test_constants_and_the_day_are_written_in_and_only_the_users_values_stay_parameters(app):
    """A plan kept for the statement knows the states and the day it counts (PostgreSQL
    planned every home otherwise); a quote in a constant is escaped; another day is
    another statement."""
    from sqlalchemy import Date, bindparam, func, select

    from hr_social.db import db
    from hr_social.people.models import Service

    db.session.add_all([Service(code="ETE", name="Loisirs l'été"),
                        Service(code="HIV", name="Hiver"), Service(code="AUT", name="Autre")])
    db.session.commit()

    def written_for(day):
        return dashboard._constants_written_in(
            select(func.count()).select_from(Service).where(
                Service.name.in_(["Loisirs l'été", "Hiver"]), Service.code != "AUT",
                func.date(Service.created_at) <= bindparam("day", type_=Date),
                Service.id > bindparam("above")), {"day": day})

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    sql = str(written_for(tomorrow).compile(db.engine))
    assert "'Loisirs l''été'" in sql and "'AUT'" in sql and f"'{tomorrow.isoformat()}'" in sql
    assert db.session.scalar(written_for(tomorrow), {"above": 0}) == 2
    assert db.session.scalar(written_for(dt.date(2000, 1, 1)), {"above": 0}) == 0


def test_a_card_past_the_cap_reads_999_plus_and_stops_counting(app, monkeypatch):
    from sqlalchemy import select

    from hr_social.db import db
    from hr_social.people.models import Service

    assert dashboard.Card("t", "x", "/", 999).shown_count == "999"
    assert dashboard.Card("t", "x", "/", 1000).shown_count == "999+"
    monkeypatch.setattr(dashboard, "CARD_COUNT_CAP", 2)
    db.session.add_all([Service(code=f"S{n}", name=f"Service {n}") for n in range(5)])
    db.session.commit()
    assert db.session.scalar(dashboard.count_up_to(select(Service.id))) == 3
    assert dashboard.Card("t", "x", "/", 3).shown_count == "2+"


def test_a_new_day_builds_the_united_statement_again(app):
    from sqlalchemy import Date, bindparam, literal, select

    @dashboard.built_once
    def part():
        return select(literal(1)).where(bindparam("test_day", type_=Date) > dt.date(2000, 1, 1))

    def united(day):
        return dashboard._united(("test",), [part()], lambda: part(), {"test_day": day})

    today, tomorrow = dt.date(2026, 12, 4), dt.date(2026, 12, 5)
    assert united(today) is united(today)
    assert united(tomorrow) is not united(today)
    assert "'2026-12-05'" in str(united(tomorrow).compile())
