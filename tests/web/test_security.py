"""Security headers, cookies, caching, body limit and error pages."""

from __future__ import annotations

import html

import pytest
from flask import Blueprint, abort
from sqlalchemy import select

from hr_social import create_app
from hr_social.auth.models import LoginAttempt
from hr_social.db import db
from hr_social.people.models import Service
from hr_social.permissions import public
from tests.conftest import PASSWORD, TEST_CONFIG, Client


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_every_kind_of_response_carries_the_security_headers(client, login_as):
    _assert_security_headers(client.get("/login"))
    _assert_security_headers(client.get("/static/css/app.css"))
    _assert_security_headers(client.get("/health"))
    _assert_security_headers(client.get("/nulle-part"))
    _assert_security_headers(client.post("/health"))  # 405
    employee = login_as("employee")
    _assert_security_headers(employee.get("/"))
    _assert_security_headers(employee.get("/audit/"))  # 403


def test_hsts_only_when_configured(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["HSTS"] = True
    assert "max-age=31536000" in client.get("/login").headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" in client.get("/nulle-part").headers


def test_pages_of_a_logged_in_user_are_not_cached_but_static_files_may_be(login_as, client):
    employee = login_as("employee")
    assert employee.get("/").headers["Cache-Control"] == "no-store"
    assert employee.get("/account/password").headers["Cache-Control"] == "no-store"
    assert employee.get("/nulle-part").headers["Cache-Control"] == "no-store"
    assert "no-store" not in employee.get("/static/css/app.css").headers.get(
        "Cache-Control", "")
    assert "no-store" not in client.get("/health").headers.get("Cache-Control", "")


def test_error_pages_are_in_french(client, login_as):
    missing = client.get("/nulle-part")
    assert missing.status_code == 404 and "Page introuvable" in _text(missing)
    forbidden = login_as("employee").get("/audit/")
    assert forbidden.status_code == 403 and "Accès refusé" in _text(forbidden)
    assert "communiquez avec les ressources humaines" in _text(forbidden)
    wrong_method = client.post("/health")
    assert wrong_method.status_code == 405 and "Méthode non permise" in _text(wrong_method)


def test_an_oversize_request_gets_the_french_413_page_and_changes_nothing(app, login_as,
                                                                         make_user):
    user = make_user("employee")
    client = login_as(user=user)
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = client.submit("/account/password", {
        "current_password": PASSWORD, "new_password": "x" * 5000, "confirm": "x" * 5000})
    assert response.status_code == 413
    assert "Fichier trop volumineux" in _text(response)
    assert "dépasse la taille permise" in _text(response)
    _assert_security_headers(response)
    db.session.refresh(user)
    from hr_social.auth.passwords import verify_password
    assert verify_password(user.password_hash, PASSWORD)


@pytest.fixture
def crashing_app(app):
    """A test-only page that writes, then fails: the 500 page, and nothing saved."""
    blueprint = Blueprint("crash_test", __name__)

    @blueprint.post("/_test/crash")
    @public
    def crash():
        db.session.add(Service(name="Service fantôme", code="FANTOME"))
        db.session.flush()
        raise RuntimeError("boom")

    @blueprint.get("/_test/forbidden")
    @public
    def forbidden():
        abort(403)

    app.register_blueprint(blueprint)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.own_app
def test_an_unexpected_error_shows_the_french_500_page_and_saves_nothing(crashing_app):
    crashing_app.test_client_class = Client
    client = crashing_app.test_client()
    response = client.post("/_test/crash")
    assert response.status_code == 500
    assert "Erreur interne" in _text(response) and "Rien n'a été enregistré" in _text(response)
    _assert_security_headers(response)
    assert db.session.scalars(select(Service).where(Service.code == "FANTOME")).all() == []


def _make(database_url, tmp_path, monkeypatch, env=None, **config):
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **config})
    app.instance_path = str(tmp_path)
    return app


def test_the_cookie_is_secure_when_the_site_is_served_over_https(database_url, tmp_path,
                                                                monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.delenv("BASE_URL", raising=False)
    assert _make(database_url, tmp_path, monkeypatch).config["SESSION_COOKIE_SECURE"] is False
    https = _make(database_url, tmp_path, monkeypatch, BASE_URL="https://rh.ville.test")
    assert https.config["SESSION_COOKIE_SECURE"] is True
    assert https.config["PREFERRED_URL_SCHEME"] == "https"
    from_env = _make(database_url, tmp_path, monkeypatch,
                     env={"BASE_URL": "https://rh.ville.test"})
    assert from_env.config["SESSION_COOKIE_SECURE"] is True


def test_the_environment_variable_wins_over_the_base_url(database_url, tmp_path, monkeypatch):
    monkeypatch.delenv("BASE_URL", raising=False)
    off = _make(database_url, tmp_path, monkeypatch, env={"SESSION_COOKIE_SECURE": "false"},
                BASE_URL="https://rh.ville.test")
    assert off.config["SESSION_COOKIE_SECURE"] is False
    on = _make(database_url, tmp_path, monkeypatch, env={"SESSION_COOKIE_SECURE": "oui"})
    assert on.config["SESSION_COOKIE_SECURE"] is True


def test_over_https_the_session_cookie_is_marked_secure(database_url, tmp_path, monkeypatch,
                                                        make_user):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    username = make_user("employee").username
    db.session.rollback()  # SQLite: the test's session must not hold the write lock
    https = _make(database_url, tmp_path, monkeypatch, BASE_URL="https://rh.ville.test")
    with https.app_context():
        https.test_client_class = Client
        response = https.test_client().post(
            "/login", data={"username": username, "password": PASSWORD},
            base_url="https://localhost")
        db.session.remove()
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(
    app, database_url, tmp_path, monkeypatch
):
    db.session.rollback()
    proxied = _make(database_url, tmp_path, monkeypatch, TRUSTED_PROXIES=1)
    with proxied.app_context():
        proxied.test_client_class = Client
        proxied.test_client().post(
            "/login", data={"username": "quelquun", "password": "x"},
            headers={"X-Forwarded-For": "198.51.100.7"})
        address = db.session.scalar(select(LoginAttempt.ip_address))
        db.session.remove()
    assert address == "198.51.100.7"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client):
    client.post("/login", data={"username": "quelquun", "password": "x"},
                headers={"X-Forwarded-For": "198.51.100.7"})
    assert db.session.scalar(select(LoginAttempt.ip_address)) == "127.0.0.1"
