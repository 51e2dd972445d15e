"""Directory sign-in against a real slapd (tests/directory_server.py)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from hr_social.audit.models import AuditEvent
from hr_social.auth.models import LoginAttempt, UserSession
from hr_social.db import db
from hr_social.people.models import User
from tests.conftest import PASSWORD
from tests.directory_server import free_port, group_dn, ldap_settings


@pytest.fixture
def directory(app, directory_url, make_person):
    app.config.update(ldap_settings(directory_url))
    people = {number: make_person(first_name=number, employee_number=number)
              for number in ("D1001", "D1002", "D1003")}
    people["D1004"] = make_person(employee_number="D1004", email="doublon@ville.test")
    people["OLD"] = make_person(employee_number="OLD", email="ancien.doublon@ville.test")
    return people


def _login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _audit(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_person_of_the_directory_signs_in_and_lands_home_as_employee(client, directory):
    response = _login(client, "mtremblay", "Annuaire-Marie-2026")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    user = User.by_username("mtremblay")
    assert user.person_id == directory["D1001"].id
    assert user.auth_source == "directory" and user.role_names == {"employee"}
    assert [e.target_id for e in _audit("user.created")] == [str(user.id)]
    # The second sign-in reuses the login.
    client.post("/logout")
    assert _login(client, "mtremblay", "Annuaire-Marie-2026").status_code == 302
    assert _count(User) == 1


def test_a_wrong_directory_password_is_a_counted_failure(client, directory):
    for _ in range(5):
        refused = _login(client, "mtremblay", "mauvais")
        assert "Nom d'utilisateur ou mot de passe incorrect." in _text(refused)
    assert _login(client, "mtremblay", "Annuaire-Marie-2026").status_code == 429
    assert _count(User) == 0
    assert _count(LoginAttempt) == 5


def test_an_empty_password_is_not_an_anonymous_bind(client, directory):
    assert _login(client, "mtremblay", "").status_code == 422
    assert _count(UserSession) == 0


def test_a_disabled_directory_account_cannot_sign_in(client, directory):
    refused = _login(client, "desactive", "Annuaire-Off-2026")
    assert "Nom d'utilisateur ou mot de passe incorrect." in _text(refused)
    assert _count(User) == 0


@pytest.mark.parametrize(("username", "password", "message", "reason"), [
    ("inconnu", "Annuaire-Inconnu-2026", "ne correspond à aucune personne active",
     "not_a_person"),
    ("sansnumero", "Annuaire-Sans-2026", "n'indique pas de matricule", "no_identifier"),
    ("doublon", "Annuaire-Deux-2026", "correspond à plusieurs personnes", "ambiguous"),
])
def test_entries_the_application_cannot_match_are_refused_clearly(
        app, client, directory, username, password, message, reason):
    if username == "doublon":
        app.config["LDAP_MATCH_BY"] = "email"
    refused = _login(client, username, password)
    assert refused.status_code == 422 and message in _text(refused)
    assert _count(User) == 0 and _count(UserSession) == 0
    assert reason in _audit("user.directory_sign_in_refused")[0].after_json


def test_a_person_who_left_is_refused(client, directory):
    from hr_social.people.services import local_today

    person = directory["D1001"]
    person.is_active, person.departed_on = False, local_today()
    db.session.commit()
    refused = _login(client, "mtremblay", "Annuaire-Marie-2026")
    assert "aucune personne active" in _text(refused)
    assert _count(User) == 0


def test_a_directory_that_is_down_refuses_clearly_and_local_admins_still_sign_in(
        app, client, directory, make_user):
    app.config["LDAP_URL"] = f"ldap://127.0.0.1:{free_port()}"
    app.config["LDAP_TIMEOUT_SECONDS"] = 1
    refused = _login(client, "mtremblay", "Annuaire-Marie-2026")
    assert "L'annuaire de l'organisation ne répond pas" in _text(refused)
    assert _count(User) == 0
    assert "unavailable" in _audit("user.directory_sign_in_refused")[0].after_json
    admin = make_user("employee", "admin", username="admin.local")
    assert _login(client, admin.username, PASSWORD).status_code == 302


def test_group_mapping_sets_roles_at_each_sign_in_and_audits_changes(app, client, directory):
    app.config["LDAP_GROUP_ROLES"] = f"{group_dn('rh')}=hr;{group_dn('gestion')}=manager"
    assert _login(client, "rhannuaire", "Annuaire-RH-2026").status_code == 302
    user = User.by_username("rhannuaire")
    assert user.role_names == {"employee", "hr", "manager"}
    client.post("/logout")
    # Removed from the HR group in the directory: the role goes at the next sign-in.
    app.config["LDAP_GROUP_ROLES"] = f"cn=autre,ou=groups,dc=ville,dc=test=hr;" \
                                     f"{group_dn('gestion')}=manager"
    _login(client, "rhannuaire", "Annuaire-RH-2026")
    db.session.refresh(user)
    assert user.role_names == {"employee", "manager"}
    assert len(_audit("user.roles_changed")) == 2


def test_without_group_mapping_roles_stay_as_granted_in_the_application(client, directory):
    _login(client, "rhannuaire", "Annuaire-RH-2026")
    assert User.by_username("rhannuaire").role_names == {"employee"}


def test_a_person_with_a_local_login_is_told_to_use_it(client, directory, make_user):
    make_user("employee", person=directory["D1001"], username="marie.locale")
    refused = _login(client, "mtremblay", "Annuaire-Marie-2026")
    assert "Vous avez déjà un compte local (marie.locale)" in _text(refused)
    assert _count(User) == 1


def test_a_directory_login_confirms_its_password_against_the_directory(client, directory):
    """Signing a document asks the password again: a directory login has none here."""
    from hr_social.auth.directory import check_password

    _login(client, "mtremblay", "Annuaire-Marie-2026")
    user = User.by_username("mtremblay")
    assert check_password(user, "Annuaire-Marie-2026")
    assert not check_password(user, "mauvais")


def test_a_directory_login_is_sent_to_the_directory_to_change_its_password(client, directory):
    _login(client, "mtremblay", "Annuaire-Marie-2026")
    page = _text(client.get("/account/password"))
    assert "compte réseau de l'organisation" in page and "current_password" not in page


def test_a_directory_login_given_hr_by_its_group_enrols_then_gives_a_code(
        app, client, directory, monkeypatch):
    import pyotp

    from hr_social.auth import totp

    app.config["LDAP_GROUP_ROLES"] = f"{group_dn('rh')}=hr"
    app.config["TWO_FACTOR_ROLES"] = "hr,dg,admin"
    _login(client, "rhannuaire", "Annuaire-RH-2026")
    assert client.get("/").headers["Location"].endswith("/account/two-factor")
    user = User.by_username("rhannuaire")
    secret = pyotp.random_base32()
    totp.confirm_enrolment(user, secret, pyotp.TOTP(secret).at(1_800_000_000), now=1_800_000_000)
    db.session.commit()
    client.post("/logout")
    monkeypatch.setattr(totp, "clock", lambda: 1_800_000_030.0)
    assert _login(client, "rhannuaire", "Annuaire-RH-2026").headers["Location"].endswith(
        "/login/code")
    answer = client.post("/login/code", data={"code": pyotp.TOTP(secret).at(1_800_000_030)})
    assert answer.status_code == 302 and client.get("/people/").status_code == 200
