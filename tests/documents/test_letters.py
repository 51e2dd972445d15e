"""A new domain's letter: it registers its subject type, issues a code, extends the shared
letterhead, and the public page describes it as the domain says."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader

from hr_social import pdf
from hr_social.db import db
from hr_social.documents import services
from hr_social.documents.letter import render_letter
from hr_social.documents.registry import Description, register_subject
from hr_social.organisation.models import OrganisationSettings

LETTER = """{% extends "pdf/_letter.html" %}
{% from "pdf/_signatures.html" import signature_block %}
{% block doc_title %}Lettre d'essai{% endblock %}
{% block body %}<p>Objet : {{ subject }}</p>{% endblock %}
{% block signatures %}{{ signature_block(left_label="Signature de la direction") }}{% endblock %}
"""
SUBJECTS = {1: "Autorisation d'utiliser le logo", 2: None}


def _describe(document):
    """A test domain: subject 2 was deleted; its letters keep no copy to compare."""
    title = SUBJECTS.get(document.subject_id)
    if title is None:
        return None
    return Description(title=title, person="Marc Tremblay", label="Lettre d'autorisation.",
                       facts=(("Valide jusqu'au", dt.date(2027, 1, 31)),), comparable=False)


register_subject("test_letter", describe=_describe)


@pytest.fixture
def letter_template(app):
    app.jinja_env.loader = ChoiceLoader([DictLoader({"pdf/test_letter.html": LETTER}),
                                         app.jinja_env.loader])


def test_a_letter_extends_the_letterhead(app, letter_template):
    db.session.add(OrganisationSettings(name="Ville d'Essai", address="1, rue Principale"))
    db.session.commit()
    with app.test_request_context():
        document = services.issue("test_letter", 1, "letter")
        html = render_letter("pdf/test_letter.html", document, subject="Logo <b>")
        data = pdf.html_to_pdf(html)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\u00a0", " ")
    dashed = "-".join(document.code[i:i + 4] for i in range(0, 12, 4))
    for expected in ("Ville d'Essai", "1, rue Principale", "Lettre d'essai", "Logo <b>",
                     "Signature de la direction", dashed, f"/verify/{document.code}",
                     "Page 1 / 1"):
        assert expected in text, expected
    assert "&lt;b&gt;" in html and 'src="data:image/png;base64,' in html  # escaped; QR
    assert services.copy_sha256(html) == services.sha256(data)  # rendering is repeatable


def test_the_verification_page_shows_what_the_domain_describes(app, client):
    app.config["ACK_VERIFY_MIN_SECONDS"] = 0
    kept = services.issue("test_letter", 1, "letter", sha256="ab" * 32)
    gone = services.issue("test_letter", 2, "letter")
    db.session.commit()
    page = client.post("/verify", data={"code": kept.code, "file": (io.BytesIO(b"x"), "a.pdf")},
                       content_type="multipart/form-data")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Marc Tremblay" in body and "Autorisation d&#39;utiliser le logo" in body
    assert "Lettre d&#39;autorisation." in body and "2027-01-31" in body
    assert "Aucune copie de ce document" in body and "est pas identique" not in body
    missing = client.get(f"/verify/{gone.code}")  # its subject is gone: nothing to show
    assert missing.status_code == 404 and "Introuvable." in missing.get_data(as_text=True)


def test_only_registered_subject_types_get_documents(app):
    with pytest.raises(ValueError, match="unregistered"):
        services.issue("nobody_registered_this", 1, "letter")
    with pytest.raises(ValueError, match="already registered"):
        register_subject("test_letter", describe=lambda document: None)
