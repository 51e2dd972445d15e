"""Every PDF goes through hr_social.pdf: hostile user text stays text, nothing is fetched."""

import contextlib
import io
import re
import zlib

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hr_social import pdf
from hr_social.acknowledgements import documents
from hr_social.acknowledgements.models import Acknowledgement
from hr_social.db import db

HOSTILE_LINK = '<link rel="attachment" href="file:///etc/passwd">'
HOSTILE_IMG = '<img src="http://169.254.169.254/latest/meta-data/">'


def _raw_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to search for names."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(match.group(1)))
    return b"\n".join(chunks)


def test_hostile_names_and_descriptions_render_as_text(app, published, make_person,
                                                       make_service):
    service = make_service(name=f"Service {HOSTILE_IMG}")
    person = make_person(first_name=HOSTILE_LINK, last_name="Tremblay", service=service)
    published(body=f"## 1 Objet {HOSTILE_IMG}\n\nTexte {HOSTILE_LINK}\n")
    ack = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.person_id == person.id))
    pdf.refused_urls.clear()
    with app.test_request_context():
        html = documents.acknowledgement_html(ack, documents.issue(ack, "printed"))
        data = pdf.html_to_pdf(html)
    assert "&lt;link rel=&#34;attachment&#34;" in html or "&lt;link" in html
    raw = _raw_objects(data)
    assert b"/EmbeddedFiles" not in raw and b"/JavaScript" not in raw
    assert b"root:" not in raw
    assert pdf.refused_urls == []  # not even attempted: escaped text is not a URL
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert 'rel="attachment"' in text and "file:///etc/passwd" in text


def test_the_fetcher_allows_only_data_and_own_assets(app):
    pdf.refused_urls.clear()
    svg = pdf.data_uri(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml")
    html = (
        '<link rel="attachment" href="file:///etc/passwd">'
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">'
        '<img src="https://assets.hr-social.invalid/static/../../pyproject.toml">'
        f'<img src="{svg}">'
        '<img src="https://assets.hr-social.invalid/static/css/app.css"><p>Bonjour « é »</p>'
    )
    data = pdf.html_to_pdf(html)
    raw = _raw_objects(data)
    assert b"/EmbeddedFiles" not in raw and b"/JavaScript" not in raw
    refused = " ".join(pdf.refused_urls)
    assert "file:///etc/passwd" in refused and "http://127.0.0.1:9" in refused
    assert "file:///etc/hostname" in refused and "pyproject.toml" in refused
    assert "app.css" not in refused and "data:" not in refused
    assert "Bonjour « é »" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_templates_must_live_under_pdf_and_end_in_html(app):
    with app.test_request_context(), pytest.raises(ValueError):
        pdf.render_pdf("acknowledgements/mine.html")


def test_documents_joined_keep_their_own_page_numbers(app):
    long_text = "<p>ligne</p>" * 50
    data = pdf.htmls_to_pdf([f"<h1>Un</h1>{long_text}", "<h1>Deux</h1>"])
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert len(texts) == 3, texts
    assert "Page 1 / 2" in texts[0] and "Page 2 / 2" in texts[1] and "Page 1 / 1" in texts[2]
    with pytest.raises(ValueError):
        pdf.htmls_to_pdf([])


def test_warm_up_runs_in_a_background_thread(app):
    thread = pdf.warm_in_background()
    thread.join(timeout=30)
    assert not thread.is_alive() and "weasyprint" in pdf._state
