"""French by default; English on request, remembered for the account."""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale

from hr_social.db import db
from hr_social.i18n import date_filter, datetime_filter
from hr_social.people.models import User


def test_a_visitor_chooses_english_for_this_browser(client):
    assert 'lang="fr-CA"' in client.get("/login").get_data(as_text=True)
    response = client.post("/locale/en", data={"next": "/login"})
    assert response.status_code == 302 and response.location == "/login"
    assert 'lang="en"' in client.get("/login").get_data(as_text=True)


def test_a_user_choice_is_kept_on_the_account(login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    client.post("/locale/en", data={"next": "//evil.example"})
    assert db.session.get(User, user.id).preferred_locale == "en"
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
    client.post("/locale/fr_CA")
    assert db.session.get(User, user.id).preferred_locale == "fr_CA"


def test_an_unknown_language_changes_nothing(login_as, make_user):
    user = make_user("employee")
    client = login_as(user=user)
    response = client.post("/locale/de")
    assert response.location == "/"
    assert db.session.get(User, user.id).preferred_locale == "fr_CA"


def test_dates_follow_quebec_conventions_in_french_and_read_naturally_in_english(app):
    moment = dt.datetime(2026, 1, 5, 19, 7, tzinfo=dt.UTC)  # 14 h 07 in Toronto (EST)
    with app.test_request_context():
        assert date_filter(moment) == "2026-01-05"
        assert datetime_filter(moment) == "2026-01-05 14\u00a0h\u00a007"
        assert date_filter(None) == "—" and datetime_filter(None) == "—"
        with force_locale("en"):
            assert date_filter(dt.date(2026, 1, 5)) == "Jan 5, 2026"
            assert "2026" in datetime_filter(moment)


def test_command_line_jobs_speak_the_organisation_language(app):
    from flask_babel import get_locale

    assert str(get_locale()) == "fr_CA"


def test_wtforms_own_messages_follow_the_language_of_each_request(app):
    """WTForms' catalogue is read once per language, not once per request: a French
    request and an English one still get their own message."""
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.validators import DataRequired

    class NameForm(FlaskForm):
        class Meta:
            csrf = False

        name = StringField(validators=[DataRequired()])

    messages = {}
    for locale in ("fr_CA", "en", "fr_CA"):
        with app.test_request_context("/", method="POST", data={}), force_locale(locale):
            form = NameForm()
            assert not form.validate()
            messages.setdefault(locale, set()).add(form.name.errors[0])
    assert messages == {"fr_CA": {"Ce champ est requis."}, "en": {"This field is required."}}
