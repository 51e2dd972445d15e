"""A password typed by an administrator is temporary: changed at the first login."""

from __future__ import annotations

import html

from hr_social.db import db
from hr_social.people.models import User
from tests.conftest import login

TEMPORARY = "temporaire-remis-de-vive-voix"
CHOSEN = "ma propre phrase de passe"


def test_an_account_created_by_the_admin_must_change_its_password_first(
        app, login_as, make_person):
    person = make_person("Nouvelle")
    admin = login_as("admin")
    admin.submit("/admin/users/new", data={"person_number": person.employee_number,
                                           "username": "nouvelle", "password": TEMPORARY,
                                           "confirm": TEMPORARY, "roles": ["employee"]})
    user = User.by_username("nouvelle")
    assert user.must_change_password
    client = login(app.test_client(), user, TEMPORARY)
    home = client.get("/")
    assert home.headers["Location"].endswith("/account/password")
    page = html.unescape(client.get("/account/password", follow_redirects=True)
                         .get_data(as_text=True))
    assert "celui qui vous a été remis est temporaire" in page
    client.submit("/account/password", data={"current_password": TEMPORARY,
                                             "new_password": CHOSEN, "confirm": CHOSEN})
    db.session.refresh(user)
    assert not user.must_change_password
    assert client.get("/").status_code == 200


def test_a_password_reset_by_the_admin_is_temporary_too(app, login_as, make_user):
    user = make_user("employee")
    login_as("admin").submit(f"/admin/users/{user.id}/password",
                             data={"password": TEMPORARY, "confirm": TEMPORARY})
    client = login(app.test_client(), user, TEMPORARY)
    assert client.get("/acknowledgements/").headers["Location"].endswith(
        "/account/password")


def test_the_admin_resets_a_lost_authenticator(app, login_as, make_user):
    import datetime as dt

    user = make_user("employee", "hr")
    user.totp_secret, user.totp_enabled_at = "JBSWY3DPEHPK3PXP", dt.datetime.now(dt.UTC)
    db.session.commit()
    login_as("admin").submit(f"/admin/users/{user.id}/two-factor/reset")
    db.session.refresh(user)
    assert user.totp_secret is None and user.totp_enabled_at is None
