"""Bulk printing takes each document's copy hash from its own layout in the worker
processes instead of rendering every document a second time: the digests must be those of
the document rendered alone (``copy_sha256``), or the verification page would answer "not
identical" for a true copy."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from hr_social import pdf
from hr_social.documents.services import copy_sha256

DOCUMENTS = [
    f"<h1>Accusé n° {n}</h1><p>Émile Bélanger-Côté « {n} »</p>"
    + ("<p>Texte assez long pour une seconde page.</p>" * (40 if n % 2 else 1))
    for n in range(5)
]


@pytest.mark.parametrize("workers", [1, 2], ids=["this process", "worker processes"])
def test_batch_digests_are_those_of_each_document_rendered_alone(app, workers):
    data, digests = pdf.render_many_with_copies(DOCUMENTS, workers=workers, group_size=2)
    assert digests == [copy_sha256(html) for html in DOCUMENTS]
    assert len(set(digests)) == len(DOCUMENTS)
    # The merged file still holds every page, each document numbered on its own.
    alone = sum(len(PdfReader(io.BytesIO(pdf.html_to_pdf(h))).pages) for h in DOCUMENTS)
    assert len(PdfReader(io.BytesIO(data)).pages) == alone


def test_a_batch_without_copies_gives_the_same_pages(app):
    data = pdf.render_many(DOCUMENTS[:2], workers=1)
    assert len(PdfReader(io.BytesIO(data)).pages) == 3
