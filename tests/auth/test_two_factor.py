"""Two-factor sign-in (TOTP) for the powerful roles, with frozen clocks."""

from __future__ import annotations

import datetime as dt
import html
import re

import pyotp
import pytest
from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.auth import totp
from hr_social.auth.models import RecoveryCode, UserSession
from hr_social.db import db
from hr_social.delegation.models import DgDelegation
from tests.conftest import PASSWORD

T0 = 1_800_000_000.0  # a frozen instant, at the start of a 30-second step
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def frozen(app, monkeypatch):
    """Two-factor as configured by default, and a clock the test moves by hand."""
    app.config["TWO_FACTOR_ROLES"] = "hr,dg,admin"
    now = {"t": T0}
    monkeypatch.setattr(totp, "clock", lambda: now["t"])
    return now


def _code(at: float, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(at)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _enrolled(user):
    user.totp_secret, user.totp_enabled_at = totp._stored(SECRET), dt.datetime.now(dt.UTC)
    db.session.commit()
    return user


def _sign_in(client, user, password=PASSWORD):
    return client.post("/login", data={"username": user.username, "password": password})


def _actions(name):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)).all()


def test_hr_must_enrol_before_using_the_role_then_gets_ten_recovery_codes(
        client, make_user, frozen):
    user = make_user("employee", "hr")
    assert _sign_in(client, user).status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/account/two-factor")
    assert client.get("/people/").headers["Location"].endswith("/account/two-factor")
    page = _text(client.get("/account/two-factor"))
    assert 'src="data:image/png;base64,' in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.submit("/account/two-factor", data={"code": "000000"})
    assert "ne correspond pas" in _text(wrong)
    done = client.submit("/account/two-factor", data={"code": _code(T0, secret)})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", _text(done))
    assert len(codes) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    assert client.get("/people/").status_code == 200
    assert len(_actions("user.two_factor_enrolled")) == 1


def test_an_employee_is_not_asked_unless_the_setting_extends_it_to_everyone(
        app, client, make_user, frozen):
    user = make_user("employee")
    _sign_in(client, user)
    assert client.get("/").status_code == 200
    app.config["TWO_FACTOR_EVERYONE"] = True
    assert client.get("/").headers["Location"].endswith("/account/two-factor")


def test_a_delegate_acting_as_dg_must_enrol_while_the_delegation_runs(
        client, make_user, frozen):
    from hr_social.clock import local_today as today

    dg, delegate = make_user("employee", "dg"), make_user("employee")
    db.session.add(DgDelegation(dg_user_id=dg.id, delegate_user_id=delegate.id,
                                starts_on=today(), ends_on=today()))
    db.session.commit()
    _sign_in(client, delegate)
    assert client.get("/").headers["Location"].endswith("/account/two-factor")


def test_sign_in_asks_the_code_after_the_password_and_opens_no_session_before(
        client, make_user, frozen):
    user = _enrolled(make_user("employee", "admin"))
    response = _sign_in(client, user)
    assert response.headers["Location"].endswith("/login/code")
    assert db.session.scalars(select(UserSession)).all() == []
    assert client.get("/").headers["Location"].startswith("/login")
    assert client.post("/login/code", data={"code": _code(T0)}).status_code == 302
    assert client.get("/admin/users/").status_code == 200


@pytest.mark.parametrize("offset", [-30, 0, 30])
def test_the_previous_current_and_next_windows_are_accepted(client, make_user, frozen,
                                                            offset):
    user = _enrolled(make_user("employee", "hr"))
    _sign_in(client, user)
    assert client.post("/login/code", data={"code": _code(T0 + offset)}).status_code == 302


def test_an_older_code_is_refused(client, make_user, frozen):
    user = _enrolled(make_user("employee", "hr"))
    _sign_in(client, user)
    refused = client.post("/login/code", data={"code": _code(T0 - 60)})
    assert refused.status_code == 422 and "Code incorrect ou expiré." in _text(refused)
    assert db.session.scalars(select(UserSession)).all() == []


def test_a_code_used_once_is_refused_the_second_time(app, make_user, frozen):
    user = _enrolled(make_user("employee", "dg"))
    first, second = app.test_client(), app.test_client()
    _sign_in(first, user)
    assert first.post("/login/code", data={"code": _code(T0)}).status_code == 302
    _sign_in(second, user)
    frozen["t"] = T0 + 10  # same 30-second window: same code
    replay = second.post("/login/code", data={"code": _code(T0)})
    assert "Ce code a déjà servi" in _text(replay)
    assert len(db.session.scalars(select(UserSession)).all()) == 1
    assert len(_actions("user.two_factor_code_replayed")) == 1
    frozen["t"] = T0 + 30  # the next code works
    assert second.post("/login/code", data={"code": _code(T0 + 30)}).status_code == 302


def test_wrong_codes_count_like_wrong_passwords(client, make_user, frozen):
    user = _enrolled(make_user("employee", "hr"))
    _sign_in(client, user)
    for _ in range(5):
        assert client.post("/login/code", data={"code": "123456"}).status_code == 422
    blocked = client.post("/login/code", data={"code": _code(T0)})
    assert blocked.status_code == 429 and "Trop de tentatives" in _text(blocked)
    assert len(_actions("user.two_factor_failed")) == 5
    # The password step is blocked as well: same counter.
    assert _sign_in(client, user).status_code == 429


def test_a_recovery_code_signs_in_once(client, make_user, frozen):
    user = make_user("employee", "hr")
    codes = totp.confirm_enrolment(user, SECRET, _code(T0), now=T0)
    db.session.commit()
    _sign_in(client, user)
    assert client.post("/login/code", data={"code": codes[0].upper()}).status_code == 302
    client.post("/logout")
    _sign_in(client, user)
    again = client.post("/login/code", data={"code": codes[0]})
    assert "déjà utilisé" in _text(again)
    assert totp.remaining_recovery_codes(user) == 9


def test_the_code_page_expires_and_sends_back_to_the_login(client, make_user, frozen,
                                                           monkeypatch):
    from hr_social.auth import two_factor_views

    user = _enrolled(make_user("employee", "hr"))
    _sign_in(client, user)
    monkeypatch.setattr(two_factor_views, "PENDING_SECONDS", -1)
    late = client.post("/login/code", data={"code": _code(T0)})
    assert late.headers["Location"].endswith("/login")
    assert db.session.scalars(select(UserSession)).all() == []


def test_the_last_administrator_can_be_reset_from_the_command_line(app, make_user):
    user = _enrolled(make_user("employee", "admin", username="seul.admin"))
    result = app.test_cli_runner().invoke(args=["users", "reset-two-factor", "seul.admin"])
    assert result.exit_code == 0 and "réinitialisée" in result.output
    db.session.refresh(user)
    assert not totp.is_enrolled(user)
    assert len(_actions("user.two_factor_reset")) == 1
    unknown = app.test_cli_runner().invoke(args=["users", "reset-two-factor", "personne"])
    assert unknown.exit_code == 1 and "Aucun compte" in unknown.output


def test_the_secret_is_stored_encrypted_and_a_new_secret_key_asks_for_a_reset(
        app, make_user, frozen):
    user = make_user("employee", "hr")
    totp.confirm_enrolment(user, SECRET, _code(T0), now=T0)
    db.session.commit()
    assert SECRET not in user.totp_secret
    assert totp.verify(user, _code(T0 + 30)) == "totp"
    app.config["SECRET_KEY"] = "another-secret-key"
    with pytest.raises(totp.CodeRefused, match="doit être configurée de nouveau"):
        totp.verify(user, _code(T0 + 60))


def test_a_sign_in_link_replaces_the_password_not_the_code(client, make_user, frozen):
    from tests.auth.test_login_links import _ask, _delay, _link_path

    user = _enrolled(make_user("employee", "hr", email="rh.bloquee@ville.test"))
    _delay(client, user.username)
    _ask(client, user.username)
    response = client.post(_link_path())
    assert response.headers["Location"].endswith("/login/code")
    assert db.session.scalars(select(UserSession)).all() == []
    assert client.post("/login/code", data={"code": _code(T0)}).status_code == 302
    assert client.get("/people/").status_code == 200
