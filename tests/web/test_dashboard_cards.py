"""The dashboard tells each role what awaits it in the foundation: logins to create or to
close for the administration, e-mail that did not leave."""

import datetime as dt

from hr_social.clock import local_today
from hr_social.db import db, utcnow
from hr_social.mail.models import OutgoingEmail
from tests.people.helpers import text


def _mail(status: str, age_minutes: int, to: str = "marie@ville.test") -> OutgoingEmail:
    message = OutgoingEmail(to_address=to, subject="Accès accordé", body="Bonjour",
                            status=status, created_at=utcnow() - dt.timedelta(minutes=age_minutes))
    db.session.add(message)
    db.session.commit()
    return message


def test_the_administrator_sees_people_who_cannot_log_in_yet(login_as, make_user, make_person):
    me = make_user("admin")
    admin = login_as(user=me)
    without_login = make_person("Lucie", "Sanscompte")
    gone = make_person("Omer", "Parti")
    gone.is_active, gone.departed_on = False, local_today()
    db.session.commit()
    dashboard = text(admin.get("/"))
    assert "Personnes actives sans compte" in dashboard
    assert "/people/?login=none" in dashboard
    listing = text(admin.get("/people/?login=none"))
    assert without_login.sort_name in listing
    assert "Parti, Omer" not in listing
    # The administrator's own person has a login: not listed.
    assert "Seulement les personnes sans compte." in listing
    assert me.person.sort_name not in listing
    # Other roles do not act on logins: no card for them.
    assert "Personnes actives sans compte" not in text(login_as("hr").get("/"))


def test_the_administrator_sees_enabled_logins_of_people_who_left(login_as, make_user,
                                                                  make_person):
    admin = login_as("admin")
    assert "Comptes de personnes parties" not in text(admin.get("/"))
    leaver = make_user("hr", username="gaston.parti")
    make_user("employee", username="rita.presente")
    closed = make_user("employee", username="paul.ferme")
    for user in (leaver, closed):
        user.person.is_active, user.person.departed_on = False, local_today()
    closed.is_enabled = False
    db.session.commit()
    dashboard = text(admin.get("/"))
    assert "Comptes de personnes parties" in dashboard
    listing = text(admin.get("/admin/users/?status=departed"))
    assert "gaston.parti" in listing
    assert "rita.presente" not in listing and "paul.ferme" not in listing
    assert "Comptes de personnes parties" not in text(login_as("hr").get("/"))


def test_the_administrator_sees_e_mail_that_failed_or_is_late(login_as):
    admin = login_as("admin")
    _mail("queued", 1)  # just queued: not late yet
    _mail("sent", 60)
    dashboard = text(admin.get("/"))
    assert "Courriels en échec" not in dashboard and "Courriels en retard" not in dashboard
    _mail("failed", 30, to="echec@ville.test")
    _mail("sending", 30, to="coince@ville.test")
    dashboard = text(admin.get("/"))
    assert "Courriels en échec" in dashboard and "Courriels en retard" in dashboard
    late = text(admin.get("/admin/outbox/?status=late"))
    assert "coince@ville.test" in late and "marie@ville.test" not in late
    assert "En cours d'envoi" in late  # the state in French, not "sending"
    assert "echec@ville.test" in text(admin.get("/admin/outbox/?status=failed"))
    for role in ("hr", "communications", "dg"):
        assert "Courriels en" not in text(login_as(role).get("/"))


def _statements(client, url: str) -> tuple[int, str]:
    from sqlalchemy import event

    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), text(response)


def test_the_dashboard_costs_three_statements_whatever_the_number_of_cards(
        login_as, make_user, make_person):
    """Every count rides in one statement: more cards do not mean more queries."""
    me = make_user("employee", "manager", "hr", "dg", "admin")
    boss = make_person("Omer", "Parti")
    make_person("Lucie", "Sanscompte", manager=boss)
    boss.is_active, boss.departed_on = False, local_today()
    _mail("failed", 5)
    _mail("queued", 60)
    db.session.commit()
    client = login_as(user=me)
    client.get("/account/password")  # the session touch is behind us
    bare, _page = _statements(client, "/account/password")
    dashboard, page = _statements(client, "/")
    cards = sum(title in page for title in (
        "Personnes actives sans compte", "Personnes dont le gestionnaire est parti",
        "Courriels en échec", "Courriels en retard"))
    assert cards == 4
    assert dashboard - bare <= 3, (dashboard, bare)


def test_the_people_cards_count_as_the_lists_they_open(app, make_user, make_person):
    """The cards count through the departed people and the login index; the lists select
    with the plain conditions: both give the same numbers."""
    from sqlalchemy import func, select

    from hr_social.people import wiring
    from hr_social.people.account_services import DEPARTED_WITH_LOGIN
    from hr_social.people.models import Person, User

    boss, other_boss = make_person("Berthe", "Cheffe"), make_person("Carl", "Chef")
    for n in range(3):
        make_person("Employé", f"Équipe{n}", manager=boss)
    make_person("Employée", "Autre", manager=other_boss)
    make_user("employee", person=make_person("Ali", "Connecté", manager=boss))
    leaver = make_user("hr", username="parti.actif")
    closed = make_user("employee", username="parti.ferme")
    for person in (boss, leaver.person, closed.person):
        person.is_active, person.departed_on = False, local_today()
    closed.is_enabled = False
    db.session.add(User(username="sans.personne", password_hash="x"))
    db.session.commit()

    def count(*conditions, model=Person):
        return db.session.scalar(select(func.count()).select_from(model).where(*conditions))

    cards = {name: db.session.scalar(getattr(wiring, name)()) for name in (
        "_departed_manager_count", "_without_login_count", "_departed_with_login_count")}
    assert cards == {
        "_departed_manager_count": count(Person.is_active.is_(True),
                                         Person.manager.has(Person.is_active.is_(False))),
        "_without_login_count": count(Person.is_active.is_(True), ~Person.user.has()),
        "_departed_with_login_count": count(*DEPARTED_WITH_LOGIN, model=User),
    }
    assert cards == {"_departed_manager_count": 4, "_without_login_count": 5,
                     "_departed_with_login_count": 1}
