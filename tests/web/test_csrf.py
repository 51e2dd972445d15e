"""Forms need their security token; the same form posted twice has one effect."""

from __future__ import annotations

import html
import re

import pytest
from flask import Blueprint, redirect, render_template_string
from sqlalchemy import func, select

from hr_social.auth.passwords import verify_password
from hr_social.db import db
from hr_social.people.models import Service, User
from hr_social.permissions import login_required_any
from hr_social.web.forms import OneTimeForm
from tests.conftest import PASSWORD


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))




def _csrf_token(page) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    return match.group(1)


@pytest.fixture
def csrf_on(app):
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_password_change_without_its_token_is_refused_and_changes_nothing(
    csrf_on, login_as, make_user
):
    user = make_user("employee")
    client = login_as(user=user)
    csrf_on.config["WTF_CSRF_ENABLED"] = True
    response = client.submit("/account/password", {
        "current_password": PASSWORD, "new_password": "une-phrase-de-passe-neuve",
        "confirm": "une-phrase-de-passe-neuve"})
    assert response.status_code == 400
    assert "jeton de sécurité manquant" in _text(response)
    assert "rien n'a été modifié" in _text(response)
    assert verify_password(db.session.get(User, user.id).password_hash, PASSWORD)


def test_with_its_token_the_same_form_works(csrf_on, login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    csrf_on.config["WTF_CSRF_ENABLED"] = True
    token = _csrf_token(client.get("/account/password"))
    response = client.submit("/account/password", {
        "csrf_token": token, "current_password": PASSWORD,
        "new_password": "une-phrase-de-passe-neuve", "confirm": "une-phrase-de-passe-neuve"})
    assert response.status_code == 302
    db.session.expire_all()
    assert verify_password(db.session.get(User, user.id).password_hash,
                           "une-phrase-de-passe-neuve")


def test_a_language_switch_without_its_token_is_refused(csrf_on, login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    csrf_on.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/locale/en")
    assert response.status_code == 400
    assert db.session.get(User, user.id).preferred_locale == "fr_CA"
    assert 'lang="fr-CA"' in _text(client.get("/"))


def test_a_forged_logout_is_refused(csrf_on, login_as):
    client = login_as("employee")
    csrf_on.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_the_login_form_needs_its_token_too(csrf_on, client, make_user):
    user = make_user("employee")
    csrf_on.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert refused.status_code == 400
    token = _csrf_token(client.get("/login"))
    accepted = client.post("/login", data={"csrf_token": token, "username": user.username,
                                           "password": PASSWORD})
    assert accepted.status_code == 302


class NewServiceForm(OneTimeForm):
    pass


@pytest.fixture
def counting_app(app):
    """A test-only form that creates a service on each accepted submission."""
    blueprint = Blueprint("one_time_test", __name__)

    @blueprint.route("/_test/services", methods=["GET", "POST"])
    @login_required_any
    def create():
        form = NewServiceForm()
        if form.validate_on_submit():
            n = db.session.scalar(select(func.count()).select_from(Service))
            db.session.add(Service(name=f"Service ajouté {n}", code=f"AJ{n}"))
            db.session.commit()
            return redirect("/")
        return render_template_string(
            '{% from "_macros/forms.html" import hidden, form_errors %}{{ form_errors(form) }}'
            '<form method="post">{{ hidden(form) }}</form>', form=form)

    app.register_blueprint(blueprint)
    return app


@pytest.mark.own_app
def test_a_double_click_creates_one_thing(counting_app, login_as):
    client = login_as("employee")
    counting_app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/_test/services")
    token = _csrf_token(page)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"|'
                    r'id="submission_key" name="submission_key" type="hidden" value="([^"]+)"',
                    page.get_data(as_text=True))
    key = next(group for group in key.groups() if group)
    before = db.session.scalar(select(func.count()).select_from(Service))
    first = client.post("/_test/services", data={"csrf_token": token, "submission_key": key})
    second = client.post("/_test/services", data={"csrf_token": token, "submission_key": key})
    counting_app.config["WTF_CSRF_ENABLED"] = False
    assert first.status_code == 302
    assert second.status_code == 200
    assert "Ce formulaire a déjà été envoyé" in _text(second)
    assert db.session.scalar(select(func.count()).select_from(Service)) == before + 1


@pytest.mark.own_app
def test_a_form_without_a_submission_key_has_no_effect(counting_app, login_as):
    client = login_as("employee")
    before = db.session.scalar(select(func.count()).select_from(Service))
    response = client.post("/_test/services", data={"submission_key": ""})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Service)) == before


@pytest.mark.own_app
def test_two_renderings_of_the_form_are_two_submissions(counting_app, login_as):
    client = login_as("employee")
    before = db.session.scalar(select(func.count()).select_from(Service))
    assert client.submit("/_test/services").status_code == 302
    assert client.submit("/_test/services").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Service)) == before + 2


@pytest.mark.own_app
def test_a_form_shown_again_after_its_submission_carries_a_new_key(app, login_as):
    """A dry run's result page shows the form again: submitting it for real must work."""
    blueprint = Blueprint("one_time_rerender", __name__)

    @blueprint.route("/_test/dry-run", methods=["POST"])
    @login_required_any
    def dry_run():
        form = NewServiceForm()
        accepted = form.validate_on_submit()
        db.session.commit()
        return render_template_string("{{ ok }}|{{ form.submission_key.data }}",
                                      ok=accepted, form=form)

    app.register_blueprint(blueprint)
    client = login_as("employee")
    accepted, new_key = _text(client.post("/_test/dry-run", data={"submission_key": "k1"})
                              ).split("|")
    assert accepted == "True" and new_key and new_key != "k1"
    again, _ = _text(client.post("/_test/dry-run", data={"submission_key": new_key})).split("|")
    replay, _ = _text(client.post("/_test/dry-run", data={"submission_key": "k1"})).split("|")
    assert (again, replay) == ("True", "False")


def test_a_blank_form_built_during_a_post_gets_a_key(app):
    with app.test_request_context("/", method="POST", data={}):
        assert NewServiceForm().submission_key.data in (None, "")
        assert NewServiceForm(formdata=None).submission_key.data
