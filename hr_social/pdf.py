"""The one PDF rendering helper: every PDF of the application goes through ``render_pdf``.

This is the only module that imports WeasyPrint, lazily (start-up does not pay the import;
``warm_in_background`` pays it in a thread right after start-up). Templates live under
``templates/pdf/`` and end in ``.html`` so Jinja escapes user text. One ``FontConfiguration``
and the pre-parsed print stylesheet are shared by every render of the process.

The URL fetcher serves only ``data:`` URIs and files under ``hr_social/static`` named by the
fake origin ``ASSET_BASE``: no network, no ``file:``, no redirects, a timeout. Anything
else is refused and remembered in ``refused_urls`` (the tests read it).
"""

from __future__ import annotations

import base64
import io
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

STATIC_DIR = (Path(__file__).parent / "static").resolve()
PDF_CSS = Path(__file__).resolve().parent.parent / "templates" / "pdf" / "print.css"
ASSET_BASE = "https://assets.hr-social.invalid/static/"
FETCH_TIMEOUT = 5

_lock = threading.Lock()
_state: dict = {}
refused_urls: list[str] = []


def _weasyprint():
    """Import WeasyPrint once, build the shared font configuration and stylesheet."""
    if "weasyprint" not in _state:
        with _lock:
            if "weasyprint" not in _state:
                import weasyprint
                from weasyprint.text.fonts import FontConfiguration

                fonts = FontConfiguration()
                fetcher = _fetcher_class(weasyprint)(timeout=FETCH_TIMEOUT,
                                                     allow_redirects=False)
                stylesheet = weasyprint.CSS(string=PDF_CSS.read_text(encoding="utf-8"),
                                            font_config=fonts, url_fetcher=fetcher,
                                            base_url=ASSET_BASE)
                _state.update(fonts=fonts, stylesheet=stylesheet, fetcher=fetcher)
                _state["weasyprint"] = weasyprint
    return _state["weasyprint"]


def _fetcher_class(weasyprint):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AllowListFetcher(URLFetcher):
        """data: URIs and the application's own static files; nothing else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return _data_uri(url, URLFetcherResponse)
            if url.startswith(ASSET_BASE):
                relative = unquote(urlsplit(url).path).removeprefix("/static/")
                path = (STATIC_DIR / relative).resolve()
                if path.is_file() and path.is_relative_to(STATIC_DIR):
                    return URLFetcherResponse(url, path.read_bytes(),
                                              {"Content-Type": _guess_type(path)})
            refused_urls.append(url)
            raise ValueError(f"URL refused by the PDF fetcher: {url[:200]}")

    return AllowListFetcher


def _guess_type(path: Path) -> str:
    import mimetypes

    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _data_uri(url: str, response_class):
    header, _, payload = url[5:].partition(",")
    content_type = header.split(";")[0] or "text/plain"
    body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
    return response_class(url[:64], body, {"Content-Type": content_type})


def data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def warm() -> None:
    """Pay the import and the stylesheet parsing now (worker start, background thread)."""
    weasyprint = _weasyprint()
    weasyprint.HTML(string="<p>.</p>", base_url=ASSET_BASE, url_fetcher=_state["fetcher"]) \
        .render(stylesheets=[_state["stylesheet"]], font_config=_state["fonts"])


def warm_in_background() -> threading.Thread:
    thread = threading.Thread(target=warm, name="pdf-warm-up", daemon=True)
    thread.start()
    return thread


def _document(html: str):
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=_state["fetcher"]) \
        .render(stylesheets=[_state["stylesheet"]], font_config=_state["fonts"])


def html_to_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """One HTML document (already rendered and escaped) to PDF bytes."""
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    return _document(html).write_pdf(**options)


def htmls_to_pdf(htmls: list[str]) -> bytes:
    """Several documents in one PDF, each keeping its own page numbering ("Page 1 / 2").

    Each is laid out on its own; the pages are joined with ``Document.copy``.
    """
    documents = [_document(html) for html in htmls]
    if not documents:
        raise ValueError("no document to render")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def render_html(template: str, **context) -> str:
    from flask import render_template

    if not template.startswith("pdf/") or not template.endswith(".html"):
        raise ValueError("PDF templates live under templates/pdf/ and end in .html")
    return render_template(template, **context)


def render_pdf(template: str, **context) -> bytes:
    """Render ``templates/pdf/<name>.html`` with the context and return the PDF bytes."""
    variant = context.pop("pdf_variant", None)
    return html_to_pdf(render_html(template, **context), pdf_variant=variant)


def merge_pdfs(parts: list[bytes]) -> bytes:
    """Concatenate finished PDFs (groups rendered by worker processes)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- worker processes (bulk printing) ------------------------------------------------------

def _worker_init() -> None:
    warm()


def _render_group(htmls: list[str], with_copies: bool = False):
    """One group joined into one PDF and, if asked, the SHA-256 of each document written on
    its own from the layout already made: the very bytes ``html_to_pdf(html)`` gives (the
    layout is what costs; writing a laid-out document again is cheap and deterministic).
    Also this process's id, CPU seconds and peak RSS (KiB) so far, for ``last_batch``."""
    import hashlib
    import os
    import resource

    documents = [_document(html) for html in htmls]
    data = None
    if with_copies:
        written = []  # each document's pydyf PDF, kept by a finisher before its trailer
        digests = [hashlib.sha256(document.write_pdf(finisher=lambda _d, p: written.append(p)))
                   .hexdigest() for document in documents]
        try:
            data = _join_written(documents, written)
        except _CannotJoin:
            data = None
    else:
        digests = []
    if data is None:
        pages = [page for document in documents for page in document.pages]
        data = documents[0].copy(pages).write_pdf()
    times = os.times()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return data, digests, (os.getpid(), times.user + times.system, peak)


class _CannotJoin(Exception):
    """Something ``_join_written`` does not carry over (links, forms, patterns…)."""


_PAGE_KEYS = {"Type", "Parent", "MediaBox", "Contents", "Resources", "TrimBox", "BleedBox"}


def _join_written(documents, written) -> bytes:
    """The group's PDF from the documents already written alone (their copies): the pages'
    content streams and images are taken as they are instead of drawing every page again,
    the fonts are subset once for the group (glyph ids are kept by WeasyPrint's subsetting,
    so each content stream is valid against the group's subset). Same pages, outlines,
    metadata of the first document as ``documents[0].copy(pages).write_pdf()`` (an
    identical-looking file, not the same bytes). Raises ``_CannotJoin`` for what it does
    not handle, and the caller draws the pages again."""
    import copy

    import pydyf
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.pdf.anchors import add_outlines
    from weasyprint.pdf.fonts import build_fonts_dictionary
    from weasyprint.text.fonts import get_hb_object_data

    def target(pdf, reference):
        return pdf.objects[int(reference.split()[0])]

    group = pydyf.PDF()
    first = written[0]
    if set(first.catalog) - {"Type", "Pages", "Outlines", "Lang"}:
        raise _CannotJoin("catalog")
    if "Lang" in first.catalog:
        group.catalog["Lang"] = first.catalog["Lang"]
    group.info.update(first.info)
    color_spaces, fonts, merged, images = {}, pydyf.Dictionary(), {}, {}
    group.add_object(fonts)
    for document, pdf in zip(documents, written, strict=True):
        for font in document.fonts.values():
            if font.missing or font.used_in_forms or font.bitmap:
                raise _CannotJoin("font")
            if font.hash not in merged:
                merged[font.hash] = copy.copy(font)
                merged[font.hash].__dict__.update(
                    to_unicode={}, widths={}, file_content=get_hb_object_data(font.hb_face))
            merged[font.hash].to_unicode.update(font.to_unicode)
            merged[font.hash].widths.update(font.widths)
        resources_seen = {}
        for number in pdf.pages["Kids"][::3]:
            page = pdf.objects[number]
            if set(page) - _PAGE_KEYS:
                raise _CannotJoin("page")
            if page["Resources"] not in resources_seen:
                resources_seen[page["Resources"]] = _join_resources(
                    group, pdf, target(pdf, page["Resources"]), target, color_spaces,
                    fonts, images)
            stream = target(pdf, page["Contents"])
            group.add_object(stream)  # compressed again with the group (~0.1 ms a page)
            group.add_page(pydyf.Dictionary({
                **page, "Parent": group.pages.reference, "Contents": stream.reference,
                "Resources": resources_seen[page["Resources"]]}))
    fonts.update(build_fonts_dictionary(group, merged, True, True, DEFAULT_OPTIONS))
    pages = [page for document in documents for page in document.pages]
    add_outlines(group, documents[0].copy(pages).make_bookmark_tree(0.75, True))
    output = io.BytesIO()
    group.write(output, None, False, True)  # WeasyPrint's defaults: 1.7, no id, compressed
    return output.getvalue()


def _join_resources(group, pdf, resources, target, color_spaces, fonts, images):
    """A document's resources in the group: its own images (shared by name: the name is
    the image's URL hash), graphic states and colour space; the group's fonts."""
    import pydyf

    if resources["Pattern"] or resources["Shading"] or any(
            not isinstance(state, pydyf.Dictionary) or "SMask" in state
            for state in resources["ExtGState"].values()):
        raise _CannotJoin("resources")
    x_objects = pydyf.Dictionary()
    for name, reference in resources["XObject"].items():
        if name not in images:
            image = target(pdf, reference)
            if "Resources" in image.extra:
                raise _CannotJoin("form")
            if "SMask" in image.extra:
                mask = target(pdf, image.extra["SMask"])
                group.add_object(mask)
                image.extra["SMask"] = mask.reference
            group.add_object(image)
            images[name] = image.reference
        x_objects[name] = images[name]
    color_space = target(pdf, resources["ColorSpace"])
    key = color_space.data
    if key not in color_spaces:
        if b" R" in key:
            raise _CannotJoin("colour profile")
        group.add_object(color_space)
        color_spaces[key] = color_space.reference
    joined = pydyf.Dictionary({
        "ExtGState": resources["ExtGState"], "XObject": x_objects, "Pattern": pydyf.Dictionary(),
        "Shading": pydyf.Dictionary(), "ColorSpace": color_spaces[key],
        "Font": fonts.reference})
    group.add_object(joined)
    return joined.reference


def render_many(htmls: list[str], *, workers: int = 2, group_size: int = 25,
                progress=None) -> bytes:
    """Render many documents into one PDF using worker processes (both cores)."""
    return _render_batch(htmls, workers, group_size, progress, False)[0]


def render_many_with_copies(htmls: list[str], *, workers: int = 2, group_size: int = 25,
                            progress=None) -> tuple[bytes, list[str]]:
    """``render_many`` and, for each document, the SHA-256 of the PDF it gives rendered
    alone (``sha256(html_to_pdf(html))``), computed in the workers from their own layout."""
    return _render_batch(htmls, workers, group_size, progress, True)


def _render_batch(htmls, workers, group_size, progress, with_copies):
    """Groups of documents are rendered and joined in the workers, then merged here.
    ``progress(done)`` is called as groups finish. Small batches stay in this process.

    Workers are forked from a forkserver that has imported WeasyPrint once (a single-threaded
    server started on the first batch, never a fork of the web or job process): a worker
    starts in ~30 ms instead of ~0.6 s of CPU for a spawned interpreter importing Flask and
    WeasyPrint again. ``last_batch["cpu"]`` is the batch's CPU seconds, workers included."""
    import os

    if not htmls:
        raise ValueError("no document to render")
    started = os.times()
    if len(htmls) <= group_size or workers <= 1:
        data, digests, _stats = _render_group(htmls, with_copies)
        if progress:
            progress(len(htmls))
        _account(started, {})
        return data, digests
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    groups = [htmls[i:i + group_size] for i in range(0, len(htmls), group_size)]
    done = 0
    parts: list[bytes] = []
    digests: list[str] = []
    workers_seen: dict[int, tuple] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context(),
                             initializer=_worker_init, max_tasks_per_child=40) as pool:
        results = pool.map(partial(_render_group, with_copies=with_copies), groups)
        for group, (part, group_digests, stats) in zip(groups, results, strict=True):
            parts.append(part)
            digests.extend(group_digests)
            workers_seen[stats[0]] = stats
            done += len(group)
            if progress:
                progress(done)
    data = merge_pdfs(parts)
    _account(started, workers_seen)
    return data, digests


last_batch: dict = {}


def _account(started, workers_seen: dict[int, tuple]) -> None:
    """CPU seconds of the batch (this process and its workers, start-up included) and the
    workers' peak RSS in MiB."""
    import os

    now = os.times()
    own = now.user + now.system - started.user - started.system
    last_batch.update(cpu=own + sum(cpu for _pid, cpu, _rss in workers_seen.values()),
                      workers=len(workers_seen),
                      worker_peak_mib=max((rss / 1024 for *_, rss in workers_seen.values()),
                                          default=0))


def _worker_context():
    """The forkserver context, WeasyPrint and this module preloaded in the server."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", __name__])
    return context
