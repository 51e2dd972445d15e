"""Account commands: the first administrator, and the clean-up of old login traces."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from hr_social.audit.models import AuditEvent
from hr_social.auth.models import LoginAttempt, UserSession
from hr_social.auth.passwords import verify_password
from hr_social.db import db, utcnow
from hr_social.people.models import User
from hr_social.web.models import UsedSubmissionKey


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


def test_old_login_traces_are_purged_and_recent_ones_kept(app, make_user):
    user = make_user("employee")
    old, recent = utcnow() - dt.timedelta(days=120), utcnow() - dt.timedelta(days=3)
    db.session.add_all([
        UserSession(token_hash="a" * 64, user=user, created_at=old, last_seen_at=old,
                    ended_at=old, ended_reason="logout"),
        UserSession(token_hash="b" * 64, user=user, created_at=old, last_seen_at=old),
        UserSession(token_hash="c" * 64, user=user, created_at=recent, last_seen_at=recent,
                    ended_at=recent, ended_reason="logout"),
        LoginAttempt(username="x", ip_address="10.0.0.1", succeeded=False, attempted_at=old),
        LoginAttempt(username="x", ip_address="10.0.0.1", succeeded=False, attempted_at=recent),
        UsedSubmissionKey(key="vieille", used_at=old),
        UsedSubmissionKey(key="recente", used_at=recent),
    ])
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "purge", "--days", "90"])
    assert result.exit_code == 0
    assert "1 session(s) terminée(s), 1 tentative(s) de connexion, 1 clé(s)" in result.output
    assert sorted(db.session.scalars(select(UserSession.token_hash))) == ["b" * 64, "c" * 64]
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
    assert db.session.scalars(select(UsedSubmissionKey.key)).all() == ["recente"]


def test_the_first_administrator_follows_the_same_rules_as_the_account_screens(app):
    """The command used the hard-coded 12 characters and took any user name: a longer
    minimum set by the municipality, a common password or a name with a space got through."""
    app.config["PASSWORD_MIN_LENGTH"] = 20
    result = _create(app, "direction", "seize-caracteres")
    assert result.exit_code != 0 and "au moins 20 caractères" in result.output
    app.config["PASSWORD_MIN_LENGTH"] = 12
    result = _create(app, "direction", "MotDePasse123")
    assert result.exit_code != 0 and "trop courant" in result.output
    result = _create(app, "Jean Admin", "une-phrase-de-passe-solide")
    assert result.exit_code != 0 and "lettres minuscules" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
