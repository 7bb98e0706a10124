"""Highlighting of the first hits, the way the window does it.

The window (`paperdeck.ui.highlight`, plain Python, no Qt) marks the words of the
visible rows from the query text alone; the bench does the same for the first 20
hits, fetching their rows from SQLite as the card model does. Without that module
(older trees) it falls back to Whoosh's highlighter.
"""

from __future__ import annotations

TOP = 20

try:
    from paperdeck.ui.highlight import match_spans, query_terms
except ImportError:  # pragma: no cover - older trees
    query_terms = match_spans = None


def highlight_top(lib, query: str, ids: list[int], top: int = TOP) -> int:
    """Highlight title and abstract of the first `top` hits; returns the marks made."""
    papers = lib.papers(ids[:top])
    if query_terms is not None:
        terms = query_terms(query)
        return sum(len(match_spans(p.title, terms)) + len(match_spans(p.abstract, terms))
                   for p in papers)
    from whoosh.highlight import UppercaseFormatter, WholeFragmenter, highlight

    index = lib.index.index
    words = {t for _, t in index.parse(query).iter_all_terms() if isinstance(t, str)}
    return sum(len(highlight(p.title + " " + p.abstract, words, index.schema["abstract"].analyzer,
                             WholeFragmenter(), UppercaseFormatter())) for p in papers)
