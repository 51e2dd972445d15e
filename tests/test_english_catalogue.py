"""The English catalogue translates every interface string, and English users read English."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from hr_social.db import db

TRANSLATIONS = Path(__file__).resolve().parents[1] / "hr_social" / "translations"
PO_FILE = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>|&\w+;")


def _read_catalogue():
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="en")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """`make test` compiles the catalogue first; standalone runs compile it here."""
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        catalogue = _read_catalogue()
        with MO_FILE.open("wb") as f:
            write_mo(f, catalogue)
    return MO_FILE


def _messages():
    return [m for m in _read_catalogue() if m.id]


def _forms(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _french_texts() -> set[str]:
    """French source strings that read differently in English (placeholders cut out)."""
    texts = set()
    for message in _messages():
        for source, target in zip(_forms(message.id), _forms(message.string), strict=False):
            if source == target:
                continue
            for part in PLACEHOLDER.split(source):
                part = part.strip(" .:;«»")
                if len(part) >= 8 and " " in part:
                    texts.add(part)
    return texts


def _english_user(make_user, *roles):
    user = make_user(*roles)
    user.preferred_locale = "en"
    db.session.commit()
    return user


def _no_french(text: str) -> list[str]:
    text = html.unescape(text)
    return sorted(french for french in _french_texts() if french in text)


def test_every_message_has_an_english_translation():
    messages = _messages()
    assert len(messages) > 500
    untranslated = [m.id for m in messages if not all(_forms(m.string)) or m.fuzzy]
    assert untranslated == []
    plurals = [m for m in messages if m.pluralizable]
    assert plurals and all(len(_forms(m.string)) == 2 for m in plurals)


def test_translations_keep_every_placeholder_and_tag():
    broken = []
    for message in _messages():
        for source, target in zip(_forms(message.id), _forms(message.string), strict=False):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                broken.append((source, target))
    assert broken == []


def test_the_compiled_catalogue_translates(compiled_catalogue):
    with compiled_catalogue.open("rb") as f:
        translations = Translations(f)
    assert translations.gettext("Tableau de bord") == "Dashboard"
    assert translations.gettext("Direction générale") == "Director General"
    assert translations.ngettext("%(num)d résultat", "%(num)d résultats", 2) == "%(num)d results"


def test_an_english_user_sees_the_dashboard_in_english(login_as, make_user):
    user = _english_user(make_user, "employee", "manager", "hr", "dg", "communications", "admin")
    page = login_as(user=user).get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'lang="en"' in text
    for english in ("Dashboard", "Hello ", "Log out", "Password", "Access requests", "People",
                    "Skip to content", "Social Media Policy"):
        assert english in text, english
    for french in ("Tableau de bord", "Bonjour", "Se déconnecter", "Demandes d'accès"):
        assert french not in html.unescape(text), french
    assert _no_french(text) == []


def test_a_visitor_who_chose_english_sees_the_login_page_in_english(client):
    client.post("/locale/en", data={"next": "/login"})
    text = client.get("/login").get_data(as_text=True)
    for english in ("Log in", "Username", "Password", "Skip to content"):
        assert english in text, english
    for french in ("Connexion", "Nom d'utilisateur", "Mot de passe", "Se connecter"):
        assert french not in html.unescape(text), french
    assert _no_french(text) == []


def test_a_wrong_password_is_explained_in_english(client, make_user):
    user = make_user("employee")
    client.post("/locale/en", data={"next": "/login"})
    response = client.post("/login", data={"username": user.username, "password": "wrong"})
    assert "Incorrect username or password." in html.unescape(response.get_data(as_text=True))


def test_error_pages_read_in_english(login_as, make_user):
    client = login_as(user=_english_user(make_user, "employee"))
    response = client.get("/no-such-page")
    assert response.status_code == 404
    text = html.unescape(response.get_data(as_text=True))
    assert "Page not found" in text
    assert "This page does not exist or you do not have access to it." in text
    assert "Back to the dashboard" in text
    assert "Page introuvable" not in text
    assert _no_french(text) == []

