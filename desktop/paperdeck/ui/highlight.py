"""Which stretches of a text a search matched, for the cards and the detail pane.

The matching itself is core's (`core.highlights`: the index's parser and analyzers), so
a word is marked exactly when the index matches it; this module keeps the small
interface the widgets use. Only visible rows are highlighted, so this stays cheap.
"""

from __future__ import annotations

from paperdeck.core import highlights

ELLIPSIS = "\u2026"


class Terms(tuple):
    """What a query highlights. As a tuple it holds the plain words (stems) the query
    looks for in titles and abstracts, longest first; `query` is the search itself."""

    query: str = ""

    def __new__(cls, query: str = "") -> Terms:
        want = highlights.wanted(query)
        words = want.words_of("title") | want.words_of("abstract")
        obj = super().__new__(cls, sorted(words, key=lambda s: (-len(s), s)))
        obj.query = query
        return obj


def query_terms(query: str) -> Terms:
    """What `query` highlights (empty for no query or a malformed one)."""
    return Terms(query or "")


def match_spans(text: str, terms: tuple[str, ...], field: str = "abstract") -> list[tuple[int, int]]:
    """(start, length) of each stretch of `text` (a title or an abstract: `field`) that the
    search matched: a word, or a whole quoted phrase."""
    query = getattr(terms, "query", "")
    if not query or not text:
        return []
    return highlights.spans(query, field, text)


def passage(text: str, terms: tuple[str, ...], field: str = "abstract") -> str:
    """`text` from the sentence that matched best, with an ellipsis when that is not the
    first one, so a card's few lines show the match rather than always the opening."""
    query = getattr(terms, "query", "")
    start = highlights.passage_start(query, field, text) if query and text else 0
    return ELLIPSIS + " " + text[start:] if start else text


def to_html(text: str, terms: tuple[str, ...], background: str, field: str = "abstract") -> str:
    """Escaped `text` with matched stretches wrapped in a coloured span (QLabel rich text)."""
    from html import escape

    out, last = [], 0
    for start, length in match_spans(text, terms, field):
        out.append(escape(text[last:start]))
        out.append(f'<span style="background-color:{background}">'
                   f"{escape(text[start:start + length])}</span>")
        last = start + length
    out.append(escape(text[last:]))
    return "".join(out)
