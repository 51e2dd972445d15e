"""Access e-mails to someone without a login say how to get in (issue 12)."""

from hr_social.db import db
from tests.access_requests.conftest import mails_to
from tests.access_requests.test_requests import ask


def test_a_manager_without_login_is_told_how_to_get_in(login_as, platforms, make_service,
                                                       make_person, make_user):
    service = make_service()
    boss = make_person("Sans", "Compte", service=service, email="sans.compte@ville.test")
    employee = make_user("employee", service=service, manager=boss)
    ask(login_as(user=employee), platforms, "Facebook")
    body = mails_to("sans.compte@ville.test")[0].body
    assert "demandez une invitation aux Ressources humaines" in body


def test_a_manager_with_a_login_gets_no_such_line(login_as, platforms, team):
    ask(login_as(user=team["employee"]), platforms, "Facebook")
    db.session.rollback()
    assert "invitation" not in mails_to("gestion@ville.test")[0].body
