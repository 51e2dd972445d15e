"""Configuration comes from the environment, with safe defaults and no secret in git."""

from __future__ import annotations

import stat

from hr_social import create_app
from hr_social.config import DEFAULTS, instance_secret
from tests.conftest import TEST_CONFIG


def test_settings_are_read_from_the_environment(monkeypatch, database_url):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("MAIL_SENDER", "rh@ville.test")
    monkeypatch.setenv("HSTS", "yes")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_IDLE_MINUTES"] == 15
    assert app.config["MAIL_SENDER"] == "rh@ville.test"
    assert app.config["HSTS"] is True and app.config["TRUSTED_PROXIES"] == 1
    assert app.config["PERMANENT_SESSION_LIFETIME"] == 10 * 3600


def test_defaults_are_safe(monkeypatch, database_url):
    for name in ("HSTS", "SESSION_COOKIE_SECURE", "BASE_URL", "TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    config = app.config
    assert config["SESSION_COOKIE_HTTPONLY"] is True and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024
    assert config["TRUSTED_PROXIES"] == 0 and config["HSTS"] is False


def test_the_database_comes_from_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://rh@db.ville.test/rh")
    app = create_app({key: value for key, value in TEST_CONFIG.items()})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://rh@db.ville.test/rh"


def test_the_secret_key_is_made_once_and_private(tmp_path):
    path = tmp_path / "instance" / "secret_key"
    first = instance_secret(path)
    assert len(first) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert instance_secret(path) == first


def test_every_role_that_reads_personal_registers_needs_two_step_sign_in_by_default(
        monkeypatch):
    """HR, the DG, administrators and the privacy officer (confidentiality incidents)."""
    monkeypatch.delenv("TWO_FACTOR_ROLES", raising=False)
    roles = set(DEFAULTS["TWO_FACTOR_ROLES"].split(","))
    assert roles == {"hr", "dg", "admin", "privacy"}
