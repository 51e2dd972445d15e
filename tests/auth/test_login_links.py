"""The owner of a delayed account gets in with a sign-in link sent by e-mail: single-use,
15 minutes, only its hash stored (issue 11, item 6)."""

from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.auth.models import LoginLink, UserSession
from hr_social.db import db
from hr_social.mail.models import OutgoingEmail

SENT = "un lien de connexion valable 15 minutes vient d'y être envoyé"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _delay(client, username, times=5):
    for _ in range(times):
        client.post("/login", data={"username": username, "password": "devine"},
                    environ_base={"REMOTE_ADDR": "203.0.113.9"})


def _ask(client, username):
    return client.post("/login/link", data={"username": username}, follow_redirects=True)


def _link_path() -> str:
    body = db.session.scalars(select(OutgoingEmail.body)).one()
    return re.search(r"https?://[^/\s]+(/login/link/\S+)", body)[1]


def test_a_delayed_owner_signs_in_once_with_the_link_sent_by_e_mail(client, make_user):
    user = make_user("employee", email="owner@ville.test")
    _delay(client, user.username)
    assert _ask(client, user.username.upper()).status_code == 200
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert email.to_address == "owner@ville.test" and "15 minutes" in email.body
    path = _link_path()
    token = path.rsplit("/", 1)[1]
    stored = db.session.scalars(select(LoginLink)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    page = client.get(path)  # a mail scanner opening the link does not use it up
    assert page.status_code == 200 and "Me connecter" in _text(page)
    response = client.post(path)
    assert response.status_code == 302 and response.location == "/"
    assert db.session.scalars(select(UserSession.user_id)).all() == [user.id]
    assert client.get("/").status_code == 200
    client.post("/logout")
    again = client.post(path)
    assert again.status_code == 404 and "n'est plus valable" in _text(again)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("user.login_link%"))).all()
    assert actions == ["user.login_link_sent", "user.login_link_used"]


def test_the_link_expires_after_15_minutes(client, make_user):
    user = make_user("employee")
    _delay(client, user.username)
    _ask(client, user.username)
    link = db.session.scalars(select(LoginLink)).one()
    link.expires_at -= dt.timedelta(minutes=15)
    db.session.commit()
    response = client.post(_link_path())
    assert response.status_code == 404 and "n'est plus valable" in _text(response)
    assert db.session.scalars(select(UserSession)).all() == []


def test_no_link_for_an_account_that_is_not_delayed_nor_for_a_stranger(client, make_user):
    user = make_user("employee")
    _delay(client, user.username, times=4)
    for name in (user.username, "inconnu"):
        response = _ask(client, name)
        assert SENT in _text(response), "the same answer whether the account exists or not"
    assert db.session.scalars(select(OutgoingEmail)).all() == []


def test_at_most_three_links_an_hour(client, make_user):
    user = make_user("employee")
    _delay(client, user.username)
    for _ in range(5):
        _ask(client, user.username)
    assert len(db.session.scalars(select(OutgoingEmail)).all()) == 3


def test_the_delayed_login_page_offers_the_link(client, make_user):
    user = make_user("employee")
    _delay(client, user.username)
    response = client.post("/login", data={"username": user.username, "password": "x"})
    assert response.status_code == 429
    assert f"/login/link?username={user.username}" in _text(response)
    form = client.get(f"/login/link?username={user.username}")
    assert f'value="{user.username}"' in _text(form)
