"""The policy import takes text, Markdown and HTML, judged by content, and keeps only a clean
base name of the file (issue 11, item 7)."""

import html

import pytest
from sqlalchemy import select

from hr_social.acknowledgements.models import PolicyVersion
from hr_social.db import db
from tests.acknowledgements.test_policy_versions import _upload


@pytest.mark.parametrize("content, name, message", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script>"
     b"<text>1. Objet</text></svg>", "politique.svg", "document SVG"),
    (b"<?xml version='1.0'?><svg><p>Texte.</p></svg>", "politique.html", "document SVG"),
    (b"%PDF-1.4\n1. Objet\n\nTexte.\n", "politique.txt", "document PDF"),
    (b"1. Objet\n\nUne ligne de texte.\n", "scan.pdf", "n'est pas celui d'un texte"),
    (b"{\\rtf1\\ansi 1. Objet\\par Texte.}", "politique.rtf", "document RTF"),
])
def test_files_that_are_not_a_policy_text_are_refused_in_french(login_as, content, name,
                                                                message):
    response = _upload(login_as("hr"), content, name)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert message in page and "(.txt, .md, .html)" in page
    assert db.session.scalar(select(PolicyVersion)) is None


def test_only_a_clean_base_name_of_the_file_is_kept(login_as):
    response = _upload(login_as("hr"), b"1. Objet\n\nTexte de la politique.\n",
                       "../../../../tmp/\u202epolitique\x07.md")
    assert response.status_code == 302, response.get_data(as_text=True)
    version = db.session.scalar(select(PolicyVersion))
    assert version.source_name == "politique.md"


def test_markdown_and_html_are_recognised_by_content_whatever_the_name(login_as):
    client = login_as("hr")
    assert _upload(client, b"# 1 Objet\n\nTexte.\n", "politique").status_code == 302
    response = _upload(client, b"<p>1. Objet</p><p>Texte.</p>", "politique.txt")
    assert response.status_code == 422  # same title and label: refused as a duplicate only
    assert "existe déjà" in response.get_data(as_text=True)
