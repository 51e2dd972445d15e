from __future__ import annotations

import random

from sqlalchemy import select

from hr_social.db import db
from hr_social.demo import SEEDERS, DemoContext
from hr_social.discipline.demo import seed_discipline
from hr_social.discipline.entries import Grievance
from hr_social.discipline.models import CASE_STATES, Case


def test_demo_seeds_about_thirty_cases_in_every_state(app, make_user, make_person):
    assert any(func is seed_discipline for _order, func in SEEDERS)
    users = {role: make_user(*{"employee", role}, username=f"demo-{role}")
             for role in ("employee", "manager", "hr", "dg")}
    for n in range(40):
        make_person(f"Personne{n}", manager=users["manager"].person if n % 3 == 0 else None)
    seed_discipline(DemoContext(rng=random.Random(1), users=users))
    db.session.commit()
    cases = db.session.scalars(select(Case)).all()
    assert len(cases) == 30
    assert {c.state for c in cases} == set(CASE_STATES)
    assert sum(1 for c in cases if c.amnesty_recorded_on) == 3
    assert db.session.scalar(select(Grievance)) is not None
