"""An employee changes their password from the header link."""

from __future__ import annotations

import html

from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.auth.passwords import verify_password
from hr_social.db import db
from hr_social.people.models import User
from tests.conftest import PASSWORD

NEW = "une-phrase-de-passe-neuve"


def _form(current=PASSWORD, new=NEW, confirm=NEW):
    return {"current_password": current, "new_password": new, "confirm": confirm}


def _password_is(user_id: int, password: str) -> bool:
    db.session.rollback()
    return verify_password(db.session.get(User, user_id).password_hash, password)


def test_the_page_shows_three_labelled_fields(login_as):
    page = _text(login_as("employee").get("/account/password"))
    for label in ("Mot de passe actuel", "Nouveau mot de passe", "Confirmez le nouveau"):
        assert label in page


def test_changing_the_password_lets_the_new_one_in_and_keeps_the_old_one_out(
    app, login_as, make_user
):
    user = make_user("employee")
    client = login_as(user=user)
    response = client.submit("/account/password", _form())
    assert response.status_code == 302
    assert "Votre mot de passe a été changé" in _text(client.get("/"))
    assert _password_is(user.id, NEW)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.password_changed")).one()
    assert event.target_id == str(user.id) and event.actor_user_id == user.id

    app.test_client_class = type(client)
    other = app.test_client()
    old = other.post("/login", data={"username": user.username, "password": PASSWORD})
    assert "Nom d'utilisateur ou mot de passe incorrect" in _text(old)
    new = other.post("/login", data={"username": user.username, "password": NEW})
    assert new.status_code == 302


def test_a_wrong_current_password_changes_nothing(login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    response = client.submit("/account/password", _form(current="pas-le-bon-mot-de-passe"))
    assert response.status_code == 422
    assert "Le mot de passe actuel est incorrect." in _text(response)
    assert _password_is(user.id, PASSWORD)
    assert client.get("/").status_code == 200, "this session is not ended either"


def test_a_short_new_password_is_refused_in_french(login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    response = client.submit("/account/password", _form(new="court", confirm="court"))
    assert "Le mot de passe doit compter au moins 12 caractères." in _text(response)
    assert _password_is(user.id, PASSWORD)


def test_a_common_new_password_is_refused(login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    response = client.submit("/account/password", _form(new="MotDePasse123",
                                                        confirm="MotDePasse123"))
    assert "Ce mot de passe est trop courant." in _text(response)
    assert _password_is(user.id, PASSWORD)


def test_a_mismatched_confirmation_is_refused(login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    response = client.submit("/account/password", _form(confirm=NEW + "x"))
    assert "Les deux mots de passe diffèrent." in _text(response)
    assert _password_is(user.id, PASSWORD)


def test_the_same_form_posted_twice_changes_the_password_once(login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    data = {**_form(), "submission_key": "cle-unique-du-formulaire"}
    assert client.post("/account/password", data=data).status_code == 302
    second = client.post("/account/password", data={**data, "current_password": NEW,
                                                     "new_password": "encore-une-autre-phrase",
                                                     "confirm": "encore-une-autre-phrase"})
    assert "Ce formulaire a déjà été envoyé" in _text(second)
    assert _password_is(user.id, NEW)
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "user.password_changed")) == 1


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_guessing_the_current_password_is_throttled_like_a_login(login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    for _ in range(5):
        client.submit("/account/password", _form(current="devinette-numero-x"))
    blocked = client.submit("/account/password", _form())
    assert "Trop de tentatives de connexion" in _text(blocked)
    assert _password_is(user.id, PASSWORD), "even the right password waits for the window"
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "user.reauth_failed")) == 5
