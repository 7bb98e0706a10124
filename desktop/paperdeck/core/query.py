"""The search language: Whoosh's query syntax over our fields, checked before it runs.

Whoosh's parser is lenient: it turns `titel:robots` or an unclosed quote into a
silently different search. A user deserves to be told instead, so `check()`
rejects what the parser would misread, with a message that says how to fix it.
"""

from __future__ import annotations

import re

from .errors import QueryError
from .models import STATUSES

# Field name a user types -> index field.
FIELDS: dict[str, str] = {
    "title": "title",
    "abstract": "abstract",
    "authors": "authors",
    "author": "authors",
    "tag": "tag",
    "tags": "tag",
    "notes": "notes",
    "note": "notes",
    "status": "status",
    "year": "year",
    "arxiv": "arxiv",
    "doi": "doi",
}
FIELD_NAMES = "title, abstract, authors, tag, notes, status, year, arxiv, doi"

_QUOTED = re.compile(r'"[^"]*"')
_FIELD = re.compile(r"(?<![\w.\-/])([A-Za-z_][A-Za-z_0-9]*):(?!//)")
_YEAR_VALUE = re.compile(r"^(?:[<>]=?)?\d{1,4}$|^[\[{]\s*\d{0,4}\s+(?:to|TO)\s+\d{0,4}\s*[\]}]$")


def _unquoted(text: str) -> str:
    """The query with quoted phrases blanked out, so their contents are not checked."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def check(text: str) -> str:
    """Return the query normalised (field names lower-cased), or raise QueryError."""
    if text.count('"') % 2:
        raise QueryError('Unbalanced quote: close the phrase with another ".')
    bare = _unquoted(text)
    depth = 0
    for ch in bare:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("Unbalanced parentheses: a ')' has no matching '('.")
    if depth:
        raise QueryError("Unbalanced parentheses: a '(' is never closed.")
    spans: list[tuple[int, int, str]] = []
    for m in _FIELD.finditer(bare):
        name = m.group(1)
        if name.lower() not in FIELDS:
            raise QueryError(f"Unknown field '{name}:'. Fields you can search: {FIELD_NAMES}.")
        spans.append((m.start(1), m.end(1), name.lower()))
        value = _field_value(bare, m.end())
        target = FIELDS[name.lower()]
        if target == "year" and not _YEAR_VALUE.match(value):
            raise QueryError(
                f"year: needs a number, like year:2024 or year:[2020 TO 2024] (got '{value}')."
            )
        if target == "status" and value and value.lower() not in STATUSES:
            raise QueryError(f"status: is one of {', '.join(STATUSES)} (got '{value}').")
    for start, end, name in reversed(spans):
        text = text[:start] + name + text[end:]
    return text


def _field_value(bare: str, start: int) -> str:
    """The value after `field:` (a bracketed range, or up to the next space)."""
    rest = bare[start:]
    if rest[:1] in "[{":
        close = min((i for i in (rest.find("]"), rest.find("}")) if i >= 0), default=-1)
        if close < 0:
            raise QueryError("A range is not closed: write it like year:[2020 TO 2024].")
        return rest[: close + 1]
    m = re.match(r"[^\s()]*", rest)
    return m.group(0) if m else ""
