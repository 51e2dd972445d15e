"""A session that ends stays ended: a cookie saved before is refused afterwards."""

from __future__ import annotations

import datetime as dt
import html

from sqlalchemy import select, update

from hr_social.auth.models import UserSession
from hr_social.clock import local_today
from hr_social.db import db, utcnow
from hr_social.people.models import Person, User
from tests.conftest import PASSWORD, Client, login


def _cookie(client) -> str:
    return client.get_cookie("hr_social_session").value


def _replay(app, cookie: str):
    """A second browser (or an attacker) presenting a saved cookie."""
    app.test_client_class = Client
    other = app.test_client()
    other.set_cookie("hr_social_session", cookie)
    return other.get("/")


def _open_sessions(user) -> list[UserSession]:
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()


def _age_sessions(user, **delta):
    db.session.execute(
        update(UserSession).where(UserSession.user_id == user.id).values(
            created_at=utcnow() - dt.timedelta(**delta),
            last_seen_at=utcnow() - dt.timedelta(**delta),
        )
    )
    db.session.commit()


def test_a_cookie_saved_before_logout_is_refused_afterwards(app, login_as):
    client = login_as("employee")
    saved = _cookie(client)
    assert _replay(app, saved).status_code == 200

    response = client.post("/logout")
    assert response.status_code == 302 and "/login" in response.location

    replayed = _replay(app, saved)
    assert replayed.status_code == 302 and "/login" in replayed.location
    assert client.get("/").status_code == 302


def test_a_cookie_saved_before_a_password_change_is_refused_but_this_browser_stays(
    app, make_user
):
    user = make_user("employee")
    app.test_client_class = Client
    laptop = login(app.test_client(), user)
    phone = login(app.test_client(), user)
    saved_phone = _cookie(phone)

    response = laptop.submit("/account/password", {
        "current_password": PASSWORD, "new_password": "une-phrase-de-passe-neuve",
        "confirm": "une-phrase-de-passe-neuve",
    })
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert _replay(app, saved_phone).status_code == 302
    assert len(_open_sessions(user)) == 1


def test_disabling_an_account_ends_its_sessions_even_if_it_is_enabled_again(app, make_user):
    user = make_user("employee")
    app.test_client_class = Client
    client = login(app.test_client(), user)
    saved = _cookie(client)

    user.is_enabled = False
    db.session.commit()
    assert _open_sessions(user) == []
    assert _replay(app, saved).status_code == 302

    user.is_enabled = True
    db.session.commit()
    assert _replay(app, saved).status_code == 302, "a re-enabled account revives no cookie"


def test_a_person_who_departs_loses_every_session(app, make_user):
    user = make_user("employee")
    app.test_client_class = Client
    client = login(app.test_client(), user)
    saved = _cookie(client)

    person = db.session.get(Person, user.person_id)
    person.is_active, person.departed_on = False, local_today()
    db.session.commit()

    assert _replay(app, saved).status_code == 302
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.ended_reason == "account_inactive"


def test_an_account_disabled_behind_the_sessions_back_is_refused_at_the_next_request(
    app, make_user
):
    """Even a change made outside the ORM (SQL console) is caught on the next request."""
    user = make_user("employee")
    app.test_client_class = Client
    client = login(app.test_client(), user)
    db.session.execute(update(User).where(User.id == user.id).values(is_enabled=False))
    db.session.commit()

    assert client.get("/").status_code == 302
    assert _open_sessions(user) == []


def test_an_idle_session_expires_after_the_idle_timeout(app, make_user):
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    user = make_user("employee")
    app.test_client_class = Client
    client = login(app.test_client(), user)
    _age_sessions(user, minutes=29)
    assert client.get("/").status_code == 200

    _age_sessions(user, minutes=31)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location
    page = _text(client.get("/login"))
    assert "Votre session a expiré" in page
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.ended_reason == "idle_timeout"


def test_an_active_session_still_ends_at_the_absolute_timeout(app, make_user):
    assert app.config["SESSION_ABSOLUTE_HOURS"] == 10
    user = make_user("employee")
    app.test_client_class = Client
    client = login(app.test_client(), user)
    # Busy all day: seen a minute ago, but opened more than ten hours ago.
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id).values(
        created_at=utcnow() - dt.timedelta(hours=10, minutes=1),
        last_seen_at=utcnow() - dt.timedelta(minutes=1),
    ))
    db.session.commit()
    assert client.get("/").status_code == 302
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.ended_reason == "absolute_timeout"


def test_activity_keeps_a_session_alive(app, make_user):
    user = make_user("employee")
    app.test_client_class = Client
    client = login(app.test_client(), user)
    _age_sessions(user, minutes=20)
    assert client.get("/").status_code == 200
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert utcnow() - row.last_seen_at < dt.timedelta(minutes=1)


def test_each_login_gets_a_fresh_cookie(app, make_user):
    user = make_user("employee")
    app.test_client_class = Client
    client = app.test_client()
    client.get("/login")
    login(client, user)
    first = _cookie(client)
    client.post("/logout")
    login(client, user)
    assert _cookie(client) != first
    assert _replay(app, first).status_code == 302


def test_the_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user("employee")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # BASE_URL is http in tests


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_page_asks_for_no_delegation_of_its_own_yet_a_delegate_acts_as_dg(app, login_as,
                                                                          make_user):
    """The session load tells whether a DG delegation names the user (issue 15, item 7):
    nearly nobody has one, and each page used to run a query of its own to learn it."""
    from sqlalchemy import event

    from hr_social.delegation.models import DgDelegation

    app.config["TWO_FACTOR_ROLES"] = "hr,admin"
    dg, employee = make_user("employee", "dg"), make_user("employee")
    client = login_as(user=employee)
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(statement.lstrip())

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get("/").status_code == 200
        assert client.get("/access-requests/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert seen and not [s for s in seen if s.startswith("SELECT dg_delegations")]
    assert client.get("/access-requests/queue").status_code == 403

    db.session.add(DgDelegation(dg_user_id=dg.id, delegate_user_id=employee.id,
                                starts_on=local_today(), ends_on=local_today()))
    db.session.commit()
    assert client.get("/access-requests/queue").status_code == 200  # now decides as DG


def test_a_page_view_sends_no_new_cookie(client, make_user):
    """The cookie is signed once at log-in, not again at every page (issue 15, item 7): the
    server keeps the idle and absolute limits (user_sessions), which the tests above check."""
    login(client, make_user("employee"))
    client.get("/")  # the first page keeps its form token in the session (a change)
    response = client.get("/")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert client.get("/account/password").status_code == 200  # still logged in
