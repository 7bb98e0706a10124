"""Highlighting of the first hits, as a results list would show them.

The index stores only ids, so the text comes from SQLite (`Library.papers`) and is
re-tokenised by Whoosh's highlighter with the terms the query matched in the index
(prefix and fuzzy terms expanded to the words they matched).
"""

from __future__ import annotations

from whoosh.highlight import ContextFragmenter, UppercaseFormatter, WholeFragmenter, highlight

TOP = 20
FIELDS = ("title", "abstract")


def highlight_top(lib, query: str, ids: list[int], top: int = TOP) -> list[tuple[str, str]]:
    papers = lib.papers(ids[:top])
    if not papers:
        return []
    index = lib.index.index
    q = index.parse(query)
    with index._lock:  # noqa: SLF001 - the bench reads the app's own searcher
        reader = index._get_searcher().reader()  # noqa: SLF001
        terms = q.existing_terms(reader, phrases=True, expand=True)
    words = {f: {t.decode("utf-8") for fn, t in terms if fn == f} for f in FIELDS}
    schema = index.schema
    out = []
    for p in papers:
        title = highlight(p.title, words["title"], schema["title"].analyzer, WholeFragmenter(),
                          UppercaseFormatter())
        snippet = highlight(p.abstract, words["abstract"], schema["abstract"].analyzer,
                            ContextFragmenter(surround=60), UppercaseFormatter(), top=2)
        out.append((title, snippet))
    return out
