from sqlalchemy import select

from hr_social.access_requests.demo import CATALOGUE, seed_access_requests
from hr_social.access_requests.models import AccessRequest, Platform
from hr_social.db import db
from hr_social.demo import SEEDERS, DemoContext


def test_demo_seeder_creates_the_catalogue_and_requests_in_several_states(app, make_user):
    import random

    assert any(func is seed_access_requests for _order, func in SEEDERS)
    users = {role: make_user(*{"employee", role}, username=f"demo-{role}")
             for role in ("employee", "manager", "hr", "dg", "communications", "admin")}
    seed_access_requests(DemoContext(rng=random.Random(1), users=users))
    db.session.commit()
    assert len(db.session.scalars(select(Platform)).all()) == len(CATALOGUE)
    states = {r.state for r in db.session.scalars(select(AccessRequest))}
    assert states == {"decided", "submitted", "draft"}
