"""Which words of a text a search matched, computed from the query text alone.

The index stems words, so "robots" finds "robotic": we mimic that loosely by cutting
common English endings off each query word and marking every word that starts with
the stem. Only visible rows are highlighted, so this stays cheap.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
# Fields whose values are not words of the title or abstract.
_NON_TEXT_FIELD = re.compile(r"\b(?:status|year|tags?|arxiv|doi|authors?|notes?):(?:\"[^\"]*\"|\S+)",
                             re.IGNORECASE)
_FIELD_PREFIX = re.compile(r"\b\w+:")
_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied",
             "ers", "ed", "es", "er", "ly", "s")


def stem(word: str) -> str:
    """A rough stem: lower case, one common ending cut, never shorter than three letters."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def query_terms(query: str) -> tuple[str, ...]:
    """Stems of the words a query looks for in titles and abstracts (longest first)."""
    text = _NON_TEXT_FIELD.sub(" ", query or "")
    text = _FIELD_PREFIX.sub(" ", text)
    stems = {stem(w) for w in _WORD.findall(text) if w not in _OPERATORS and len(w) > 1}
    return tuple(sorted(stems, key=lambda s: (-len(s), s)))


def match_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, length) of each word in `text` that starts with one of the stems."""
    if not terms or not text:
        return []
    return [(m.start(), m.end() - m.start()) for m in _WORD.finditer(text)
            if m.group().lower().startswith(terms)]


def to_html(text: str, terms: tuple[str, ...], background: str) -> str:
    """Escaped `text` with matched words wrapped in a coloured span (for QLabel rich text)."""
    from html import escape

    out, last = [], 0
    for start, length in match_spans(text, terms):
        out.append(escape(text[last:start]))
        out.append(f'<span style="background-color:{background}">'
                   f"{escape(text[start:start + length])}</span>")
        last = start + length
    out.append(escape(text[last:]))
    return "".join(out)
