"""The policy text as employees read it: each paragraph or list item of the stored body is
rendered as inline Markdown (bold, italics, links) by markdown-it-py.

Why markdown-it-py: a maintained CommonMark implementation whose ``html`` option, off here,
makes any HTML in the text come out as escaped text (no tag from an imported file ever reaches
a page or a PDF); its link validation refuses ``javascript:``/``data:`` links; with linkify
(linkify-it-py) a bare ``www.…`` address becomes a link as ``<https://…>`` autolinks do.
Headings and lists are the body's own blocks (``importing.parse_body``); only the inline
part of each block goes through Markdown.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    parser.enable("linkify")
    # Block syntax is ours (headings, lists): inside a block only inline Markdown counts.
    return parser


def inline_markdown(text: str | None) -> Markup:
    """One block's text as safe HTML: ``**bold**``, ``*italics*``, ``<https://…>`` and
    ``www.…`` links; raw HTML is shown as text."""
    if not text:
        return Markup("")
    return Markup(_parser().renderInline(text).strip())  # noqa: S704 - html disabled


def plain_text(text: str | None) -> str:
    """The same text without Markdown marks (a PDF line, an e-mail)."""
    if not text:
        return ""
    tokens = _parser().parseInline(text)
    parts = []
    for token in tokens:
        for child in token.children or []:
            if child.type in {"text", "code_inline"}:
                parts.append(child.content)
            elif child.type in {"softbreak", "hardbreak"}:
                parts.append(" ")
    return "".join(parts)
