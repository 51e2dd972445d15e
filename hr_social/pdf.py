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
import gc
import io
import logging
import os
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
                _keep_font_subsets()
                _state.update(fonts=fonts, stylesheet=stylesheet, fetcher=fetcher)
                _state["weasyprint"] = weasyprint
    return _state["weasyprint"]


def _keep_font_subsets() -> None:
    """Each written PDF subsets its fonts to the glyphs it uses (about a quarter of writing a
    letter). The subsets of the last 128 glyph sets are kept and given again: a letter's bold
    and monospace glyphs rarely change. WeasyPrint 70's ``Font.subset`` only replaces
    ``file_content``, from the font and these keys: the bytes are the same
    (tests/acknowledgements/test_pdf_speed_ups.py)."""
    from weasyprint.pdf.fonts import Font

    subset, kept = Font.subset, {}

    def subset_kept(font, to_unicode, hinting):
        key = (font.hash, font.index, len(font.file_content), hinting,
               tuple(sorted(font.missing.items())), frozenset(to_unicode))
        if key in kept:
            font.file_content = kept[key]
            return
        subset(font, to_unicode, hinting)
        if to_unicode:
            if len(kept) >= 128:
                kept.clear()
            kept[key] = font.file_content

    Font.subset = subset_kept


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
    """Pay the import, the stylesheet parsing and the first use of the letters' fonts now
    (worker start, background thread): a small letter-shaped document laid out and written."""
    _document((PDF_CSS.parent / "warm-up.html").read_text(encoding="utf-8")).write_pdf()


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
    """Several documents in one PDF, each laid out on its own (own numbering: "Page 1 / 2")."""
    if not htmls:
        raise ValueError("no document to render")
    return _render_group(htmls)[0]


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
    writer.write(out := io.BytesIO())
    return out.getvalue()


# ---- worker processes (bulk printing) ------------------------------------------------------

def _render_group(htmls: list[str], with_copies: bool = False):
    """One group joined into one PDF and, if asked, the SHA-256 of each document written alone
    (the bytes ``html_to_pdf(html)`` gives); this process's id, CPU s and peak RSS (KiB)."""
    import hashlib
    import resource

    documents, written, data = [_document(html) for html in htmls], [], None
    digests = [hashlib.sha256(document.write_pdf(finisher=lambda _d, p: written.append(p)))
               .hexdigest() for document in documents] if with_copies else []
    data = _joined(documents, written) if with_copies else None
    data = data or documents[0].copy([p for d in documents for p in d.pages]).write_pdf()
    times, peak = os.times(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return data, digests, (os.getpid(), times.user + times.system, peak)


def _joined(documents, written) -> bytes | None:
    """``_join_written``, or None for the caller to draw the pages again. It reads WeasyPrint
    70's and pydyf's objects: if a version changes them, printing goes on the slow way and
    says so in the log rather than failing a batch."""
    try:
        return _join_written(documents, written)
    except _CannotJoin:
        return None
    except Exception:  # noqa: BLE001 -- an exact fallback follows
        logging.getLogger(__name__).exception("PDF group not joined from its copies")
        return None


class _CannotJoin(Exception):
    """Something ``_join_written`` does not carry over (links, forms, patterns…)."""


def _join_written(documents, written) -> bytes:
    """The group's PDF from its documents' copies (written alone): their content streams
    and images as they are, not every page drawn again; fonts subset once for the group
    (WeasyPrint's subsets keep glyph ids, so a content stream fits any subset holding its
    glyphs). Pages, outlines and metadata as ``documents[0].copy(pages).write_pdf()``
    gives them. ``_CannotJoin`` for what it does not carry over: the caller draws again."""
    import pydyf
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.pdf.anchors import add_outlines
    from weasyprint.pdf.fonts import build_fonts_dictionary
    from weasyprint.text.fonts import get_hb_object_data

    page_keys = {"Type", "Parent", "MediaBox", "Contents", "Resources", "TrimBox", "BleedBox"}
    group, first = pydyf.PDF(), written[0]
    if set(first.catalog) - {"Type", "Pages", "Outlines", "Lang"}:
        raise _CannotJoin("catalog")
    group.catalog.update({k: v for k, v in first.catalog.items() if k == "Lang"})
    group.info.update(first.info)
    fonts, merged, shared = pydyf.Dictionary(), {}, {}  # shared: images, colour spaces
    group.add_object(fonts)
    for document, pdf in zip(documents, written, strict=True):
        for font in document.fonts.values():
            if font.missing or font.used_in_forms or font.bitmap:
                raise _CannotJoin("font")
            if font.hash not in merged:
                merged[font.hash] = object.__new__(type(font))  # a copy, its own glyphs
                merged[font.hash].__dict__.update(font.__dict__, to_unicode={}, widths={},
                                                  file_content=get_hb_object_data(font.hb_face))
            merged[font.hash].to_unicode.update(font.to_unicode)
            merged[font.hash].widths.update(font.widths)
        resources = {}
        for number in pdf.pages["Kids"][::3]:
            page = pdf.objects[number]
            if set(page) - page_keys:
                raise _CannotJoin("page")
            if page["Resources"] not in resources:
                resources[page["Resources"]] = _join_resources(
                    group, pdf, _target(pdf, page["Resources"]), fonts, shared)
            stream = _target(pdf, page["Contents"])
            group.add_object(stream)  # compressed again with the group (~0.1 ms a page)
            group.add_page(pydyf.Dictionary({
                **page, "Parent": group.pages.reference, "Contents": stream.reference,
                "Resources": resources[page["Resources"]]}))
    fonts.update(build_fonts_dictionary(group, merged, True, True, DEFAULT_OPTIONS))
    pages = [page for document in documents for page in document.pages]
    add_outlines(group, documents[0].copy(pages).make_bookmark_tree(0.75, True))
    group.write(output := io.BytesIO(), None, False, True)  # WeasyPrint's: 1.7, no id, compressed
    return output.getvalue()


def _target(pdf, reference: bytes):
    return pdf.objects[int(reference.split()[0])]


def _join_resources(group, pdf, resources, fonts, shared):
    """A document's resources in the group: its graphic states, its images (shared by name:
    the name is the image's URL hash) and colour space; the group's fonts."""
    import pydyf

    if resources["Pattern"] or resources["Shading"] or any(
            not isinstance(state, pydyf.Dictionary) or "SMask" in state
            for state in resources["ExtGState"].values()):
        raise _CannotJoin("resources")
    x_objects = pydyf.Dictionary()
    for name, reference in resources["XObject"].items():
        if name not in shared:
            image = _target(pdf, reference)
            if "Resources" in image.extra:
                raise _CannotJoin("form")
            if "SMask" in image.extra:
                group.add_object(mask := _target(pdf, image.extra["SMask"]))
                image.extra["SMask"] = mask.reference
            group.add_object(image)
            shared[name] = image.reference
        x_objects[name] = shared[name]
    color_space = _target(pdf, resources["ColorSpace"])
    if color_space.data not in shared:
        if b" R" in color_space.data:
            raise _CannotJoin("colour profile")
        group.add_object(color_space)
        shared[color_space.data] = color_space.reference
    group.add_object(joined := pydyf.Dictionary({
        "ExtGState": resources["ExtGState"], "XObject": x_objects, "Pattern": pydyf.Dictionary(),
        "Shading": pydyf.Dictionary(), "ColorSpace": shared[color_space.data],
        "Font": fonts.reference}))
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


last_batch: dict = {}  # the last batch's CPU seconds (workers included), workers' peak RSS


def _render_batch(htmls, workers, group_size, progress, with_copies):
    """Groups rendered and joined in workers forked from a warmed forkserver, then merged
    here (``progress(done)`` as groups finish). Small batches stay in this process."""
    if not htmls:
        raise ValueError("no document to render")
    started, seen = os.times(), {}
    if len(htmls) <= group_size or workers <= 1:
        data, digests, _stats = _render_group(htmls, with_copies)
        if progress:
            progress(len(htmls))
    else:
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial

        groups = [htmls[i:i + group_size] for i in range(0, len(htmls), group_size)]
        parts, done, digests = [], 0, []
        with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(),
                                 max_tasks_per_child=40) as pool:  # forked warm
            results = pool.map(partial(_render_group, with_copies=with_copies), groups)
            for group, (part, group_digests, stats) in zip(groups, results, strict=True):
                parts.append(part)
                digests.extend(group_digests)
                seen[stats[0]] = stats
                done += len(group)
                if progress:
                    progress(done)
        data = merge_pdfs(parts)
    now = os.times()
    last_batch.update(cpu=now.user + now.system - started.user - started.system + sum(
        cpu for _pid, cpu, _rss in seen.values()), workers=len(seen),
        worker_peak_mib=max((rss / 1024 for *_, rss in seen.values()), default=0))
    return data, digests


_WARM_ON_IMPORT = "HR_SOCIAL_PDF_WARM_ON_IMPORT"  # see worker_context


def worker_context():
    """The forkserver context; its server (a fresh single-threaded process, started once:
    printing starts it while it builds the letters) imports this module with
    ``_WARM_ON_IMPORT`` set, warms up and freezes its objects out of the GC's sight. A
    worker is forked ready in ~20 ms; a spawned one took ~0.6 s of CPU to get there."""
    import multiprocessing
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    os.environ[_WARM_ON_IMPORT] = "1"  # read by the server when it starts
    try:
        forkserver.ensure_running()
    finally:
        os.environ.pop(_WARM_ON_IMPORT, None)
    return context


if os.environ.pop(_WARM_ON_IMPORT, None) == "1":  # in the forkserver
    warm()
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)  # a group's boxes: fewer young collections
