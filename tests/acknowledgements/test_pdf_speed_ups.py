"""What makes bulk printing quicker changes no PDF: a document gives the very bytes plain
WeasyPrint gives in a fresh process (no kept font subsets), and
a group joined from its documents' copies holds the pages, text and outlines of a group
drawn again by WeasyPrint."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hr_social import pdf
from hr_social.acknowledgements import documents
from hr_social.acknowledgements.models import Acknowledgement
from hr_social.db import db

MARKDOWN_LIKE = (
    "<h1>Politique</h1><h2>1 Objet</h2><p>Texte <em>é</em> <strong>à</strong> <code>ç</code>"
    ' <a href="https://example.invalid/x">lien</a><sup>1</sup></p><ul><li>un<ul><li>deux</li>'
    "</ul></li></ul><ol><li>trois</li></ol><blockquote><p>cité</p></blockquote><hr>"
    "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>"
    "<dl><dt>terme</dt><dd>définition</dd></dl>"
)
OTHER_MARKUP = [  # dir, hidden, a form element, a footnote
    '<p dir="rtl">שלום</p><ul dir="rtl"><li>א</li></ul><dl><dd dir="ltr">x</dd></dl>',
    '<p hidden>caché</p><p>vu</p><table frame="box"><tr><td>x</td></tr></table>',
    '<form><input type="checkbox" checked><button>OK</button><select><option>a</option>'
    "</select></form>",
    '<p>Texte<span style="float: footnote">Une note.</span></p>',
]

PLAIN = """
import hashlib, pathlib, sys, weasyprint
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
css = weasyprint.CSS(string=pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"),
                     font_config=fonts)
for html in sys.stdin.read().split("\\0"):
    data = weasyprint.HTML(string=html, base_url=sys.argv[2]).render(
        stylesheets=[css], font_config=fonts).write_pdf()
    print(hashlib.sha256(data).hexdigest())
"""


def _letters(make_person, published, count=3):
    for i in range(count):
        make_person(first_name=f"Zoé {i}", last_name=f"Bélanger-Côté {i}")
    published()
    acks = db.session.scalars(select(Acknowledgement).order_by(Acknowledgement.id)).all()
    return [documents.acknowledgement_html(a, documents.issue(a, "printed")) for a in acks]


def test_the_same_bytes_as_plain_weasyprint(app, make_person, published):
    htmls = [*_letters(make_person, published, 2), MARKDOWN_LIKE, *OTHER_MARKUP]
    ours = [hashlib.sha256(pdf.html_to_pdf(html)).hexdigest() for html in htmls]
    again = [hashlib.sha256(pdf.html_to_pdf(html)).hexdigest() for html in htmls]
    plain = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PLAIN, str(pdf.PDF_CSS), pdf.ASSET_BASE],
        input="\0".join(htmls), capture_output=True, text=True, check=True).stdout.split()
    assert ours == plain == again  # the second time with the font subsets kept


def _pages(data: bytes) -> tuple[list[str], list[str]]:
    reader = PdfReader(io.BytesIO(data))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    return [page.extract_text() for page in reader.pages], titles


def test_a_group_joined_from_its_copies(app, make_person, published):
    htmls = [*_letters(make_person, published), MARKDOWN_LIKE.replace("<a href", "<b data")]
    documents_ = [pdf._document(html) for html in htmls]
    drawn_again = documents_[0].copy([p for d in documents_ for p in d.pages]).write_pdf()
    written = []
    for document in documents_:
        document.write_pdf(finisher=lambda _d, p: written.append(p))
    joined = pdf._join_written(documents_, written)
    assert _pages(joined) == _pages(drawn_again)
    assert len(_pages(joined)[0]) == len(htmls) and "Page 1 / 1" in _pages(joined)[0][0]
    assert len(joined) < len(drawn_again) * 1.05


def test_a_link_is_drawn_again(app):
    written, documents_ = [], [pdf._document(MARKDOWN_LIKE)]  # links: annotations on the page
    documents_[0].write_pdf(finisher=lambda _d, p: written.append(p))
    with pytest.raises(pdf._CannotJoin):
        pdf._join_written(documents_, written)
    data, digests, _stats = pdf._render_group([MARKDOWN_LIKE, MARKDOWN_LIKE], with_copies=True)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2 and len(set(digests)) == 1


def test_a_join_that_fails_unexpectedly_draws_the_pages_again(app, monkeypatch, caplog):
    def broken(_documents, _written):
        raise AttributeError("an internal object changed")

    monkeypatch.setattr(pdf, "_join_written", broken)
    data, digests, _stats = pdf._render_group([MARKDOWN_LIKE.replace("<a href", "<b data")] * 2,
                                              with_copies=True)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2 and len(digests) == 2
    assert "not joined from its copies" in caplog.text
