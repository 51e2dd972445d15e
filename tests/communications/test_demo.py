import random

from sqlalchemy import select

from hr_social.access_requests.demo import seed_access_requests
from hr_social.communications.demo import OFFICIAL_ACCOUNTS, seed_communications
from hr_social.communications.models import (
    AccountChangeRequest,
    LogoAuthorization,
    OfficialAccount,
)
from hr_social.db import db
from hr_social.demo import SEEDERS, DemoContext


def test_demo_loads_the_seven_official_accounts_and_requests_in_several_states(
        app, make_service, make_person, make_user):
    assert any(func is seed_communications for _order, func in SEEDERS)
    services = {code: make_service(name, code) for code, name in (
        ("COMM", "Division des communications"),
        ("CULT", "Service de la culture et des loisirs"), ("LOIS", "Loisirs"))}
    people = [make_person(service=services[code]) for code in ("COMM", "CULT", "CULT")]
    users = {role: make_user(*{"employee", role}, username=f"demo-{role}")
             for role in ("employee", "manager", "hr", "dg", "communications", "admin")}
    ctx = DemoContext(rng=random.Random(1), services=services, people=people, users=users)
    seed_access_requests(ctx)
    seed_communications(ctx)
    db.session.commit()
    accounts = db.session.scalars(select(OfficialAccount).order_by(OfficialAccount.id)).all()
    assert len(accounts) == len(OFFICIAL_ACCOUNTS) == 7
    by_service = {}
    for account in accounts:
        by_service.setdefault(account.managing_service.code, set()).add(account.display_name)
    assert by_service["CULT"] == {"Bibliothèque Alice-Lane", "Bande estivale", "Natation VBC",
                                  "L'Alternative"}
    assert {a.platform.name for a in accounts if a.managing_service.code == "COMM"} == {
        "Facebook", "X (Twitter)", "YouTube"}
    assert all(a.current_administrators for a in accounts)
    assert {r.state for r in db.session.scalars(select(LogoAuthorization))} == {
        "submitted", "authorized", "changes_requested", "escalated"}
    assert {r.state for r in db.session.scalars(select(AccountChangeRequest))} == {
        "submitted", "done"}
