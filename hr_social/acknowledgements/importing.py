"""Reading a policy file (plain text, Markdown or HTML) into one normalised body.

The stored body is a small Markdown subset we produce ourselves: ``## 3.2 Title`` headings
(level = depth of the section number), paragraphs separated by blank lines, ``- `` items.
It is rendered by ``parse_body`` into blocks that templates print escaped: no HTML from a
file ever reaches a page or a PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask_babel import gettext as _

from hr_social.errors import DomainError

NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.{0,110})$")
TOC_LINE = re.compile(r"(\.{3,}|…)\s*\d+\s*$|\t\s*\d+\s*$")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
ITEM = re.compile(r"^\s*(?:[-*•●▪]|\d{1,2}[)])\s+(.*)$")
# The title of a table of contents and its "Page" column label: dropped with the TOC lines.
TOC_TITLE = re.compile(r"^(?:#{1,6}\s*)?(?:table des mati[èe]res|sommaire|table of contents|"
                       r"contents)\s*:?$", re.I)
PAGE_LABEL = re.compile(r"^(?:<u>)?\s*(?:pages?|p\.)\s*(?:</u>)?$", re.I)
# A paragraph that ends mid-sentence (no closing punctuation) and a next one that starts in
# lower case are one paragraph cut by a page break of the original document.
SENTENCE_END = re.compile(r"[.!?:;»)\]…]\s*$")
CONTINUES = re.compile(r"^[a-zà-öø-ÿœæ]")


class PolicyFileRejected(DomainError):
    """Message in French, safe to show."""


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "item"
    text: str
    number: str = ""
    level: int = 0


@dataclass
class Section:
    number: str
    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)


def decode(data: bytes, limit: int) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if not data or not data.strip():
        raise PolicyFileRejected(_("Le fichier est vide."))
    if len(data) > limit:
        raise PolicyFileRejected(
            _("Le fichier dépasse la taille permise (%(kb)d Ko).", kb=limit // 1024))
    if b"\x00" in data:
        raise PolicyFileRejected(_("Ce fichier n'est pas du texte (UTF-8 ou Windows-1252)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise PolicyFileRejected(
                _("Ce fichier n'est ni en UTF-8 ni en Windows-1252.")) from None
    if sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f") > 0:
        raise PolicyFileRejected(_("Ce fichier n'est pas du texte (UTF-8 ou Windows-1252)."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


# What a policy file may be named; the content decides the rest (see ``refuse_other_kinds``).
ALLOWED_SUFFIXES = {"", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"}
# Signatures of documents that are text yet not a policy text: refused by content.
OTHER_KINDS = (
    (re.compile(r"^\s*%PDF-"), "PDF"),
    (re.compile(r"^\s*%!PS"), "PostScript"),
    (re.compile(r"^\s*\{\\rtf", re.I), "RTF"),
    (re.compile(r"<svg[\s>]", re.I), "SVG"),
    (re.compile(r"^\s*<\?xml(?![^>]*>\s*(<!DOCTYPE html|<html))", re.I), "XML"),
)
UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_file_name(name: str | None) -> str | None:
    """The base name only (a path sent by a browser or typed is not kept), without control
    or direction characters, 120 characters at most; None if nothing is left."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = " ".join(UNSAFE_NAME_CHARS.sub("", base).split()).strip(". ")
    return base[:120] or None


def _suffix(name: str) -> str:
    base = clean_file_name(name) or ""
    return "." + base.rsplit(".", 1)[1].lower() if "." in base else ""


def refuse_other_kinds(name: str, text: str) -> None:
    """Accept text, Markdown and HTML by content; refuse a PDF, an image, a word-processor
    file… whatever it is named, and a name that says it is something else."""
    head = text[:4096]
    for pattern, kind in OTHER_KINDS:
        if pattern.search(head):
            raise PolicyFileRejected(_(
                "Ce fichier est un document %(kind)s, pas un texte : importez la politique en "
                "texte, en Markdown ou en HTML (.txt, .md, .html).", kind=kind))
    if _suffix(name) not in ALLOWED_SUFFIXES:
        raise PolicyFileRejected(_(
            "Le nom « %(name)s » n'est pas celui d'un texte : importez la politique en texte, "
            "en Markdown ou en HTML (.txt, .md, .html).", name=clean_file_name(name) or ""))


def guess_format(name: str, text: str) -> str:
    lowered = (name or "").lower()
    if lowered.endswith((".html", ".htm")) or re.search(r"<(html|body|h[1-6]|p)\b", text, re.I):
        return "html"
    if lowered.endswith((".md", ".markdown")) or re.search(r"^#{1,6} ", text, re.M):
        return "markdown"
    return "text"


def _clean(text: str) -> str:
    text = re.sub(r"</?u>", "", text)  # underline markers left by some exports
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _heading(number: str, title: str) -> Block:
    return Block("heading", _clean(title), number, number.count(".") + 1 if number else 1)


def _from_lines(lines: list[str], markdown: bool, numbered_lines: bool) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            blocks.append(Block("paragraph", _clean(" ".join(paragraph))))
            paragraph.clear()

    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if TOC_LINE.search(stripped) or TOC_TITLE.match(stripped):
            continue  # table of contents: numbers of pages that no longer exist
        if PAGE_LABEL.match(stripped) and not paragraph:
            continue  # the "Page" column heading of that table
        if markdown and (match := MD_HEADING.match(stripped)):
            flush()
            title = match[2]
            numbered = NUMBERED_HEADING.match(title)
            if numbered:
                blocks.append(_heading(numbered[1], numbered[2]))
            else:
                blocks.append(Block("heading", _clean(title), "", max(1, len(match[1]) - 1)))
            continue
        numbered = numbered_lines and NUMBERED_HEADING.match(stripped)
        if numbered and not stripped.endswith((".", ":", ";", ",")) and not paragraph:
            flush()
            blocks.append(_heading(numbered[1], numbered[2]))
            continue
        if match := ITEM.match(line):
            flush()
            blocks.append(Block("item", _clean(match[1])))
            continue
        paragraph.append(stripped)
    flush()
    return [b for b in blocks if b.text]


class _HTMLText(HTMLParser):
    """Keeps headings, paragraphs and list items as text; drops every tag and script."""

    BLOCKS = {"p": "paragraph", "li": "item", "div": "paragraph", "td": "paragraph"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: list[str] | None = None
        self.kind = ""
        self.level = 0
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "head", "title"}:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag) or tag in self.BLOCKS:
            self._end()
            self.kind = "heading" if tag.startswith("h") else self.BLOCKS[tag]
            self.level = int(tag[1]) if tag.startswith("h") else 0
            self.current = []
        elif tag == "br" and self.current is not None:
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "head", "title"}:
            self.skip = max(0, self.skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self.BLOCKS:
            self._end()

    def handle_data(self, data):
        if self.skip:
            return
        if self.current is None:
            if data.strip():
                self.blocks.append(Block("paragraph", _clean(data)))
            return
        self.current.append(data)

    def _end(self):
        if self.current is None:
            return
        text = _clean(" ".join(self.current))
        if text:
            if self.kind == "heading":
                numbered = NUMBERED_HEADING.match(text)
                self.blocks.append(_heading(numbered[1], numbered[2]) if numbered
                                   else Block("heading", text, "", self.level))
            else:
                self.blocks.append(Block(self.kind, text))
        self.current = None


def to_blocks(text: str, fmt: str) -> list[Block]:
    if fmt == "html":
        parser = _HTMLText()
        parser.feed(text)
        parser.close()
        parser._end()
        return [b for b in parser.blocks if b.text]
    return _from_lines(text.split("\n"), markdown=fmt == "markdown",
                       numbered_lines=fmt == "text")


def join_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """Join a paragraph cut in two by a page break (see ``SENTENCE_END``/``CONTINUES``)."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (previous is not None and block.kind == previous.kind == "paragraph"
                and not SENTENCE_END.search(previous.text) and CONTINUES.match(block.text)):
            previous.text = f"{previous.text} {block.text}"
            continue
        joined.append(block)
    return joined


def normalise(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if block.kind == "heading":
            title = f"{block.number} {block.text}" if block.number else block.text
            parts.append("#" * min(6, block.level + 1) + " " + title)
        elif block.kind == "item":
            parts.append("- " + block.text)
        else:
            parts.append(block.text)
    return "\n\n".join(parts) + "\n"


def import_text(data: bytes, name: str, limit: int) -> str:
    """Bytes of an uploaded file → normalised body; PolicyFileRejected when unusable."""
    text = decode(data, limit)
    refuse_other_kinds(name, text)
    blocks = join_broken_paragraphs(to_blocks(text, guess_format(name, text)))
    if not any(b.kind in {"paragraph", "item"} for b in blocks):
        raise PolicyFileRejected(_("Le fichier ne contient aucun texte de politique."))
    return normalise(blocks)


def parse_body(body: str) -> list[Section]:
    """The stored body as sections (a preamble without heading has number "")."""
    sections: list[Section] = []
    for block in _from_lines(body.split("\n"), markdown=True, numbered_lines=False):
        if block.kind == "heading":
            sections.append(Section(block.number, block.text, block.level))
        else:
            if not sections:
                sections.append(Section("", "", 0))
            sections[-1].blocks.append(block)
    return sections
