"""French typography, over every template and every message of the catalogue: a
non-breaking space before « : ; ! ? » and inside « », times that stay on one line, elision
(« l'accès », « d'André »), « Délégué·e » for the DG's delegate."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from flask import render_template_string
from flask_babel import gettext as _
from jinja2 import Environment

from hr_social.typography import NBSP, elide, fix, problems

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
_BLOCK = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# Text people read in attributes (a tag is otherwise markup, not text).
_READ_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|alt|aria-label)="([^"]*)"')


_LEXER = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)


def _catalogue() -> list[str]:
    method_map = [("hr_social/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("templates/**.txt", "jinja2")]
    messages = []
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, keywords=KEYWORDS, options_map={"templates/**": {}}):
        messages.extend(message if isinstance(message, tuple) else (message,))
    return [m for m in messages if m]


def template_text(source: str) -> str:
    """What a template writes itself (outside Jinja code and HTML tags), Jinja
    expressions standing as « § »."""
    parts = []
    for _line, kind, value in _LEXER.lex(source):
        if kind == "data":
            parts.append(value)
        elif kind in ("variable_begin", "block_begin"):
            parts.append("§")
    text = _BLOCK.sub(" ", "".join(parts))
    attributes = " ".join(_READ_ATTRIBUTES.findall(text))
    return _TAG.sub(" ", text) + " " + attributes


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


def test_every_message_of_the_catalogue_follows_french_typography():
    messages = _catalogue()
    assert len(messages) > 1000
    wrong = sorted({f"{message!r}: {', '.join(problems(message))}" for message in messages
                    if problems(message)})
    assert wrong == [], "\n".join(wrong)


def test_every_template_follows_french_typography():
    templates = _templates()
    assert len(templates) > 80
    wrong = []
    for path in templates:
        for line in template_text(path.read_text()).splitlines():
            if found := problems(line):
                wrong.append(f"{path.relative_to(ROOT)} ({line.strip()[:60]!r}): {found}")
    assert wrong == [], "\n".join(wrong)


def test_the_dg_delegate_is_named_inclusively():
    pattern = re.compile(r"\b[Dd]élégué(?![·\w])")
    messages = [m for m in _catalogue() if pattern.search(m)]
    texts = [p.name for p in _templates() if pattern.search(template_text(p.read_text()))]
    assert messages == [] and texts == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Statut : actif", ["espace ordinaire avant « : »"]),
    ("Statut: actif", ["pas d'espace avant « : »"]),
    ("Vraiment ?", ["espace ordinaire avant « ? »"]),
    ("Le menu « Accès »", ["espace ordinaire ou absente à l'intérieur des « »"]),
    ("La demande de André", ["élision manquante : « de André »"]),
    ("Révoquer le accès", ["élision manquante : « le accès »"]),
    ("Il reste de un à trois jours", ["élision manquante : « de un »"]),
    ("À 14 h 30", ["heure coupable en fin de ligne (« 14 h 30 »)"]),
    ("Statut\u00a0: actif, «\u00a0Accès\u00a0», demandez-le à l'accueil, 14\u00a0h\u00a030", []),
    ("https://ville.test/?page=2 à 14:30, le ou la gestionnaire", []),
])
def test_the_rules_catch_what_they_should_and_only_that(text, expected):
    assert problems(text) == expected
    if not expected or "élision" not in expected[0]:
        assert problems(fix(text)) == []


def test_a_word_before_a_name_is_elided_when_the_name_starts_with_a_vowel(app):
    assert elide("Dossier de %(name)s", {"name": "André Côté"}) == "Dossier d'%(name)s"
    assert elide("Dossier de %(name)s", {"name": "Marie"}) == "Dossier de %(name)s"
    assert elide("Que %(name)s signe", {"name": "Yves"}) == "Qu'%(name)s signe"
    assert elide("de %(n)s jours", {"n": 11}) == "de %(n)s jours"
    with app.test_request_context():
        assert _("La demande d'accès de %(name)s", name="Émile") == (
            "La demande d'accès d'Émile")
        page = render_template_string('{{ _("Le dossier de %(name)s", name=n) }}',
                                      n="Éloïse <b>")
        assert page == "Le dossier d'Éloïse &lt;b&gt;"


def test_times_stay_on_one_line(app):
    from hr_social.i18n import datetime_filter

    with app.test_request_context():
        shown = datetime_filter(dt.datetime(2026, 7, 1, 18, 30, tzinfo=dt.UTC))
    assert f"14{NBSP}h{NBSP}30" in shown
