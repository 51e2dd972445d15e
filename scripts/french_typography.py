"""Put the non-breaking spaces French needs into interface strings (hr_social.typography.fix).

    python scripts/french_typography.py sources      # templates and gettext strings in code
    python scripts/french_typography.py po FILE.po   # the same change on a catalogue's msgids

``sources`` changes string literals and template text only: never Jinja code, HTML tags,
scripts or styles. ``po`` rewrites the msgids of an existing translation (the English
catalogue) so that its translations still match the sources after the change; msgstrs stay.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hr_social.typography import FIXES, fix  # noqa: E402

GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext"}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MASKED = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.DOTALL | re.IGNORECASE)
_JINJA_MSGID = re.compile(r"""((?:_|gettext|ngettext)\(\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def _fix_with_context(text: str, before: str = "", after: str = "") -> str:
    fixed = fix(before + text + after)
    return fixed[len(before):len(fixed) - len(after)] if after else fixed[len(before):]


# --- templates -----------------------------------------------------------------------------

def fix_template(source: str) -> str:
    """Template text is fixed where it is text: Jinja code, tags, scripts and styles are
    masked (same length, so positions stay); msgids in ``_()`` are fixed as messages."""
    masked = _JINJA.sub(lambda m: "§" * len(m.group(0)), source)
    masked = _MASKED.sub(lambda m: "§" * len(m.group(0)), masked)
    # Then as « < »: not a space, and a place where a line may end (like a tag).
    masked = masked.replace("§", "<")
    for pattern, replacement in FIXES:
        edits = [(m.start(), m.end(), replacement(m)) for m in pattern.finditer(masked)]
        for start, end, new in reversed(edits):
            masked = masked[:start] + new + masked[end:]
            source = source[:start] + new + source[end:]
    return _JINJA.sub(lambda m: _JINJA_MSGID.sub(
        lambda s: s.group(1) + s.group(2)[0] + fix(s.group(2)[1:-1]) + s.group(2)[-1],
        m.group(0)), source)


# --- Python --------------------------------------------------------------------------------

def _msgid_groups(source: str) -> list[list[tokenize.TokenInfo]]:
    """The STRING tokens that are positional arguments of a gettext call, grouped as
    Python concatenates them (adjacent literals make one message)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    groups, stack = [], []  # stack: for each open bracket, whether it is a gettext call
    previous = None
    for index, token in enumerate(tokens):
        if token.type == tokenize.OP and token.string in "([{":
            stack.append(token.string == "(" and previous is not None
                         and previous.type == tokenize.NAME and previous.string in GETTEXT
                         and tokens[index - 1] is previous)
        elif token.type == tokenize.OP and token.string in ")]}":
            if stack:
                stack.pop()
        elif token.type == tokenize.STRING and stack and stack[-1] and previous is not None:
            if previous.type == tokenize.STRING and groups and groups[-1][-1] is previous:
                groups[-1].append(token)
            elif previous.string in ("(", ","):
                groups.append([token])
        if token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE):
            previous = token
    return groups


def _parts(token: str) -> tuple[str, str, str]:
    match = re.match(r"^([a-zA-Z]*)('\'\'|\"\"\"|'|\")(.*)\2$", token, re.DOTALL)
    return match.group(1) + match.group(2), match.group(3), match.group(2)


def _fix_body(body: str, before: str, after: str) -> str:
    # An escaped line break reads as one: « Ligne écrite :\n » ends the phrase.
    plain = body.replace("\\n", "\n")
    fixed = _fix_with_context(plain, before.replace("\\n", "\n")[-1:],
                              after.replace("\\n", "\n")[:1])
    return fixed.replace("\n", "\\n") if fixed != plain else body


def fix_python(source: str) -> str:
    edits = []
    for group in _msgid_groups(source):
        bodies = [_parts(token.string) for token in group]
        for index, (token, (head, body, tail)) in enumerate(zip(group, bodies, strict=True)):
            if "r" in head.lower() or "f" in head.lower():
                continue
            before = bodies[index - 1][1] if index else ""
            after = bodies[index + 1][1] if index + 1 < len(group) else ""
            new = _fix_body(body, before, after)
            if new != body:
                edits.append((token, head + new + tail))
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for token, text in sorted(edits, key=lambda edit: edit[0].start, reverse=True):
        start = offsets[token.start[0] - 1] + token.start[1]
        end = offsets[token.end[0] - 1] + token.end[1]
        source = source[:start] + text + source[end:]
    return source


def fix_sources() -> list[Path]:
    changed = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in (".html", ".txt"):
            text = path.read_text()
            if (new := fix_template(text)) != text:
                path.write_text(new)
                changed.append(path)
    for path in sorted((ROOT / "hr_social").rglob("*.py")):
        text = path.read_text()
        if (new := fix_python(text)) != text:
            path.write_text(new)
            changed.append(path)
    return changed


# Messages reworded by hand with fix() (the DG's delegate, named inclusively).
REWORDED = (("le délégué décide", "le ou la délégué·e décide"),
            ("nommer un délégué.", "nommer un ou une délégué·e."),
            ("comme délégué.", "comme délégué·e."),
            ("Nommer le délégué", "Nommer le ou la délégué·e"),
            ("Nommer un délégué", "Nommer un ou une délégué·e"))


def _new_msgid(text: str) -> str:
    if text == "Délégué":
        return "Délégué·e"
    for old, new in REWORDED:
        text = text.replace(old, new)
    return fix(text)


def fix_po(path: Path) -> None:
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as f:
        catalogue = read_po(f)
    for message in list(catalogue):
        if not message.id:
            continue
        new_id = (tuple(_new_msgid(i) for i in message.id)
                  if isinstance(message.id, tuple | list) else _new_msgid(message.id))
        if new_id != message.id:
            catalogue.delete(message.id, context=message.context)
            message.id = new_id
            catalogue[new_id] = message
    with path.open("wb") as f:
        write_po(f, catalogue, width=100)


if __name__ == "__main__":
    if sys.argv[1:2] == ["sources"]:
        for changed in fix_sources():
            print(changed.relative_to(ROOT))
    elif sys.argv[1:2] == ["po"]:
        for name in sys.argv[2:]:
            fix_po(Path(name))
    else:
        sys.exit(__doc__)
