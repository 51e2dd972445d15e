"""Logging in: throttling that cannot be turned against a colleague, safe redirects."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.auth.models import LoginAttempt, LoginThrottle, UserSession
from hr_social.db import db, utcnow
from hr_social.web.security import safe_next_path
from tests.conftest import PASSWORD

HOME = "10.1.1.1"
ATTACKER = "203.0.113.66"


def _post(client, username, password, address=HOME, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _age_throttles(**delta):
    """As if the time of every login counter had passed ``delta`` ago."""
    for row in db.session.scalars(select(LoginThrottle)):
        if row.last_failure_at:
            row.last_failure_at -= dt.timedelta(**delta)
        if row.next_check_at:
            row.next_check_at -= dt.timedelta(**delta)
    db.session.commit()


def test_a_wrong_password_gets_a_french_message_and_is_audited(client, make_user):
    user = make_user("employee")
    response = _post(client, user.username, "mauvais")
    assert response.status_code == 422
    assert "Nom d'utilisateur ou mot de passe incorrect." in _text(response)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.login_failed")).one()
    assert event.target_id == str(user.id)


def test_an_unknown_user_gets_the_same_message(client):
    response = _post(client, "personne", "mauvais")
    assert "Nom d'utilisateur ou mot de passe incorrect." in _text(response)


def test_a_disabled_account_cannot_log_in_even_with_its_password(client, make_user):
    user = make_user("employee")
    user.is_enabled = False
    db.session.commit()
    assert _post(client, user.username, PASSWORD).status_code == 422
    assert db.session.scalars(select(UserSession)).all() == []


def test_five_wrong_passwords_delay_the_account_with_a_429(client, make_user):
    user = make_user("employee")
    for _ in range(5):
        assert _post(client, user.username, "mauvais").status_code == 422
    blocked = _post(client, user.username, PASSWORD)
    assert blocked.status_code == 429
    text = _text(blocked)
    assert "Trop de tentatives de connexion" in text and "réessayez dans 1 minute(s)" in text
    assert 0 < int(blocked.headers["Retry-After"]) <= 30
    assert "Recevoir un lien de connexion par courriel" in text
    assert db.session.scalars(select(UserSession)).all() == [], "no session while delayed"


def test_attempts_while_delayed_do_not_extend_the_delay(client, make_user):
    user = make_user("employee")
    for _ in range(5):
        _post(client, user.username, "mauvais")
    for _ in range(10):
        response = _post(client, user.username, "mauvais")
        assert response.status_code == 429 and int(response.headers["Retry-After"]) <= 30
    assert db.session.scalar(select(db.func.count()).select_from(LoginAttempt)) == 5


def test_the_delay_doubles_with_each_failure_then_a_success_clears_it(client, make_user):
    user = make_user("employee")
    for _ in range(5):
        _post(client, user.username, "mauvais")
    waits = []
    for _ in range(6):
        _age_throttles(seconds=15 * 60)  # the wait has passed (failures are kept 24 h)
        assert _post(client, user.username, "mauvais").status_code == 422
        waits.append(int(_post(client, user.username, "mauvais").headers["Retry-After"]))
    assert waits == [60, 120, 240, 480, 900, 900]
    _age_throttles(seconds=15 * 60)
    assert _post(client, user.username, PASSWORD).status_code == 302
    client.post("/logout")
    assert _post(client, user.username, "oubli").status_code == 422, "the count starts over"


def test_failures_are_forgotten_after_a_day_without_one(client, make_user):
    user = make_user("employee")
    for _ in range(5):
        _post(client, user.username, "mauvais")
    _age_throttles(hours=25)
    for _ in range(4):
        assert _post(client, user.username, "mauvais").status_code == 422
    assert _post(client, user.username, PASSWORD).status_code == 302


def test_failures_from_outside_do_not_slow_the_owner_inside_the_trusted_network(
        client, make_user, app):
    app.config["LOGIN_TRUSTED_NETWORKS"] = "10.1.0.0/16, 192.168.0.0/24"
    user = make_user("employee")
    for _ in range(8):
        _post(client, user.username, "devine", address=ATTACKER)
    assert _post(client, user.username, "devine", address=ATTACKER).status_code == 429
    # The owner at the town hall still gets in, and no one there is delayed for it.
    assert _post(client, user.username, PASSWORD, address=HOME).status_code == 302


def test_failures_inside_the_trusted_network_count_there(client, make_user, app):
    app.config["LOGIN_TRUSTED_NETWORKS"] = "10.1.0.0/16"
    user = make_user("employee")
    for _ in range(5):
        _post(client, user.username, "oublie", address=HOME)
    assert _post(client, user.username, PASSWORD, address="10.1.9.9").status_code == 429
    assert _post(client, user.username, PASSWORD, address=ATTACKER).status_code == 302


def test_a_shared_address_in_the_trusted_network_does_not_lock_out_everyone_behind_it(
        client, app, make_user):
    """A NAT or terminal server: many people, one address; counted per account only."""
    app.config.update(LOGIN_TRUSTED_NETWORKS="10.1.0.0/16", LOGIN_MAX_FAILURES_PER_ADDRESS=6)
    for victim in [make_user("employee") for _ in range(4)]:
        for _ in range(3):
            assert _post(client, victim.username, "devine").status_code == 422
    colleague = make_user("employee")
    assert _post(client, colleague.username, PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_blocked(client, app, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 6
    victims = [make_user("employee") for _ in range(3)]
    for victim in victims:
        for _ in range(2):
            assert _post(client, victim.username, "devine", address=ATTACKER).status_code == 422
    other = make_user("employee")
    response = _post(client, other.username, PASSWORD, address=ATTACKER)
    assert response.status_code == 429
    # Other addresses are not affected.
    assert _post(client, other.username, PASSWORD, address=HOME).status_code == 302


def test_the_login_page_is_never_cached(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "\\/evil.example", "https://evil.example",
    "javascript:alert(1)", "http:/evil.example", "/%0a/evil.example".replace("%0a", "\n"),
    "", "evil.example",
])
def test_after_login_an_external_next_goes_to_the_dashboard(client, make_user, target):
    user = make_user("employee")
    response = client.post("/login", query_string={"next": target},
                           data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"


def test_after_login_an_internal_next_is_kept(client, make_user):
    user = make_user("hr")
    response = client.post("/login", query_string={"next": "/people/?q=a"},
                           data={"username": user.username, "password": PASSWORD})
    assert response.location == "/people/?q=a"


def test_a_page_asked_for_before_login_is_shown_after_it(client, make_user):
    user = make_user("hr")
    bounce = client.get("/people/?q=a")
    assert bounce.status_code == 302 and "/login" in bounce.location
    response = client.post(bounce.location, data={"username": user.username,
                                                  "password": PASSWORD})
    assert response.location == "/people/?q=a"


def test_safe_next_path_refuses_long_or_control_targets():
    assert safe_next_path("/" + "a" * 2001) is None
    assert safe_next_path("/ok\x7f") is None
    assert safe_next_path("/audit/?action=auth.") == "/audit/?action=auth."


def test_a_logged_in_user_visiting_the_login_page_goes_to_the_dashboard(login_as):
    client = login_as("employee")
    assert client.get("/login").location == "/"


def test_a_successful_login_records_the_session_and_the_event(client, make_user):
    user = make_user("employee")
    _post(client, user.username, PASSWORD, address=HOME)
    login = db.session.scalars(select(UserSession)).one()
    assert login.ip_address == HOME and login.ended_at is None
    assert utcnow() - login.created_at < dt.timedelta(minutes=1)
    assert db.session.scalars(select(AuditEvent.action)).all() == ["user.logged_in"]


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))
