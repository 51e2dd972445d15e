"""Hostile values the fuzz test sends to every route, form field and query parameter.

Each value is text (sent percent-encoded as UTF-8) or bytes (sent as they are, so invalid
UTF-8 reaches the application)."""

from __future__ import annotations

# Integers a URL converter or an `int` coercion would accept as digits.
HOSTILE_INTS = (
    "2147483647",  # largest PostgreSQL INTEGER: legal, must simply not be found
    "2147483648",  # one past it
    "9223372036854775808",  # past SQLite's and BIGINT's range
    "0" * 30 + "99999999999999999999",
)

# Sent to every field and parameter of every route, each in its own request.
CORE_VALUES = (
    "a\x00b",
    "2147483648",
    "9223372036854775808",
    "-2147483649",
    "A" * 10_000,
    b"\xff\xfe\xc3(",  # invalid UTF-8
    "\u202eRTL\u202c\u200b\u200d\ufeff\u2066x",  # RTL override, zero-width characters
    "0000-00-00",
    "9999-12-31",
    "{{ 7*7 }}{% for x in range(9) %}{{ config }}{% endfor %}",
)

# The rest, mixed: each request gives each field a different one (seeded).
OTHER_VALUES = (
    "\x00",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "é" * 10_000,
    "' OR '1'='1' --",
    '"; DROP TABLE people; --',
    "%' AND 1=CAST((SELECT version()) AS int) --",
    "${7*7}#{7*7}",
    "<script>alert(1)</script>",
    "0001-01-01",
    "2026-02-30",
    "../../../../etc/passwd",
    "",
    " ",
    b"caf\xe9",  # Windows-1252, invalid as UTF-8
)

HOSTILE_VALUES = CORE_VALUES + OTHER_VALUES

# Uploaded files: hostile names and contents.
HOSTILE_FILES = (
    ("../../../../tmp/x\u202egpj.csv", b"\x00\xff\xfe" * 10),
    ("a" * 300 + ".pdf", b"%PDF-1.4\n" + b"A" * 64),
    ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ("vide.txt", b""),
)
