"""The first administrator is created from the command line."""

from __future__ import annotations

from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.auth.passwords import verify_password
from hr_social.db import db
from hr_social.people.models import User


def _create(app, username, password):
    return app.test_cli_runner().invoke(
        args=["users", "create-admin", username, "--password", password])


def test_the_first_administrator_is_created_and_audited(app):
    result = _create(app, "Direction", "une-phrase-de-passe-solide")
    assert result.exit_code == 0 and "Administrateur direction créé." in result.output
    user = User.by_username("direction")
    assert user.role_names == {"admin"} and user.person is None
    assert verify_password(user.password_hash, "une-phrase-de-passe-solide")
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.action == "user.created" and event.actor_label == "Système"


def test_a_short_password_is_refused(app):
    result = _create(app, "direction", "court")
    assert result.exit_code != 0 and "au moins 12 caractères" in result.output
    assert User.by_username("direction") is None


def test_an_existing_username_is_refused(app, make_user):
    make_user("employee", username="direction")
    result = _create(app, "direction", "une-phrase-de-passe-solide")
    assert result.exit_code == 1 and "existe déjà" in result.output
    assert User.by_username("direction").role_names == {"employee"}
