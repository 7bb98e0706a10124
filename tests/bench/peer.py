"""The reference peer: SQLite FTS5 over the same papers, built in memory in the same run.

Same columns as the Whoosh index, Porter stemming like Whoosh's StemmingAnalyzer;
a search returns every matching id ranked by bm25 (as `Library.ids` does) and
highlights the title and an abstract snippet of the first 20 hits.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from queries import STATUS_TOKENS

_CASE = " ".join(f"WHEN '{s}' THEN '{t}'" for s, t in STATUS_TOKENS.items())


def build_fts(library_db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"ATTACH DATABASE 'file:{library_db}?mode=ro' AS lib")
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, abstract, authors, tag, notes, status, "
        "arxiv, doi, tokenize = 'porter unicode61')"
    )
    conn.execute(
        f"""INSERT INTO fts (rowid, title, abstract, authors, tag, notes, status, arxiv, doi)
        SELECT p.id, p.title, p.abstract, p.authors,
               (SELECT group_concat(t.name, ', ') FROM lib.paper_tags pt
                JOIN lib.tags t ON t.id = pt.tag_id WHERE pt.paper_id = p.id),
               p.notes, CASE p.status {_CASE} END, p.arxiv_id, p.doi
        FROM lib.papers p WHERE p.trashed_at IS NULL"""
    )
    conn.commit()
    conn.execute("DETACH DATABASE lib")
    return conn


def fts_search(conn: sqlite3.Connection, query: str) -> list[int]:
    """All matching ids by relevance, then highlights of the first 20 (as the app shows)."""
    ids = [r[0] for r in conn.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank", [query])]
    top = ids[:20]
    if top:
        marks = ",".join(str(i) for i in top)
        conn.execute(
            "SELECT rowid, highlight(fts, 0, '<b>', '</b>'), "
            "snippet(fts, 1, '<b>', '</b>', '…', 24) FROM fts "
            f"WHERE fts MATCH ? AND rowid IN ({marks})", [query]).fetchall()
    return ids
