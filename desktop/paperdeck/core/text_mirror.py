"""The papers' words as the index analyses them, kept in SQLite (an FTS5 table), so a
search can be answered without the index, exactly as the index would answer it.

The index is a cache that can be missing, rebuilding, locked by another process or
unwritable; the library must stay searchable meanwhile. `search_text` holds, for
every paper, each text field as the space-separated terms the index's analyzer makes
of it (stemmed, stop words dropped), and FTS5's `ascii` tokenizer splits only on the
spaces, so an FTS5 term is an index term and an FTS5 phrase is consecutive index
terms. The table follows the papers' `rev` like the index does (its generation is
the meta key `search_text_generation`), updated after each edit of indexed text.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3
from collections.abc import Iterator

from .phrases import is_pair
from .storage import BUSY_TIMEOUT_MS, Store

log = logging.getLogger(__name__)

TABLE = "search_text"
FIELDS = ("title", "abstract", "authors", "notes")
GENERATION_KEY = "search_text_generation"
TERMS_KEY, TERMS_VERSION = "search_text_terms", "2"  # 2: ł, ø, ß... folded; bump with the analyzers
CHUNK = 2000  # papers analysed per write transaction (a first fill of a large library)
SMALL_FILL = 1000  # a library this small fills its table whenever it is behind (~0.5 s)

_ROWS_SQL = """
SELECT p.id, p.title, p.abstract, p.authors, p.notes, p.year, p.arxiv_id, p.doi, p.rev
FROM papers p WHERE p.rev > ? AND p.id > ? ORDER BY p.id LIMIT ?
"""


def analysed(values: dict[str, object], schema) -> list[str]:
    """Each of FIELDS as the index's terms for it, in order, joined by spaces."""
    out = []
    for name in FIELDS:
        text = values.get(name) or ""
        analyzer = schema[name].analyzer
        out.append(" ".join(t.text for t in analyzer(str(text), mode="index")
                            if not is_pair(t.text)))
    return out


class TextMirror:
    """Keeps `search_text` in step with the papers (any process may; the newest wins)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def generation(self) -> int:
        """The generation the table reflects; -1 when never filled, or filled with terms
        of an older analysis (it is then filled again, as an index of another schema is
        rebuilt: its terms would not match what a search now looks for)."""
        if self.store.meta(TERMS_KEY) != TERMS_VERSION:
            return -1
        try:
            return int(self.store.meta(GENERATION_KEY, "-1"))
        except ValueError:
            return -1

    def behind(self) -> bool:
        """True when some paper's indexed text changed after the table was last updated."""
        since = self.generation()
        row = self.store.read().execute(
            "SELECT EXISTS (SELECT 1 FROM papers WHERE rev > ?) "
            "OR EXISTS (SELECT 1 FROM purged WHERE rev > ?)", [since, since]).fetchone()
        return bool(row[0])

    def catch_up(self) -> int:
        """Analyse the papers whose `rev` is newer than the table's generation and store
        their terms; returns how many. Analysis runs outside any write transaction; each
        chunk is written in a short one, and a row is never replaced by an older one."""
        if self.store.read_only or (self.generation() >= 0 and not self.behind()):
            return 0
        from .indexing import _doc

        schema = _schema()
        since = self.generation()
        done = 0
        with self._connection() as conn:
            if since < 0:  # a first fill, or terms of an older analysis: words anew
                conn.execute("DELETE FROM search_words")
            reader = sqlite3.connect(self.store.ro_uri, uri=True, isolation_level=None)
            try:
                reader.execute("BEGIN")  # one snapshot for the whole catch-up
                gen = int(reader.execute(
                    "SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
                purged = [r[0] for r in reader.execute(
                    "SELECT paper_id FROM purged WHERE rev > ?", [since])]
                last = 0
                while True:
                    rows = reader.execute(_ROWS_SQL, [since, last, CHUNK]).fetchall()
                    if not rows:
                        break
                    last = rows[-1][0]
                    terms = [(r[0], r[-1], analysed(_doc(r[:-1]).fields(), schema)) for r in rows]
                    self._write(conn, terms)
                    done += len(rows)
            finally:
                reader.close()
            conn.execute("BEGIN IMMEDIATE")
            try:
                if purged:
                    conn.execute(f"DELETE FROM {TABLE} WHERE rowid IN "
                                 "(SELECT value FROM json_each(?))", [_json(purged)])
                conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                             "UPDATE SET value = excluded.value "
                             "WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER)",
                             [GENERATION_KEY, str(gen)])
                conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                             "UPDATE SET value = excluded.value", [TERMS_KEY, TERMS_VERSION])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return done

    def _small(self) -> bool:
        """Few enough papers to fill the table on any thread (a fraction of a second)."""
        row = self.store.read().execute(
            f"SELECT count(*) FROM (SELECT 1 FROM papers LIMIT {SMALL_FILL})").fetchone()
        return row[0] < SMALL_FILL

    @staticmethod
    def _write(conn: sqlite3.Connection, terms: list[tuple[int, int, list[str]]]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for pid, rev, fields in terms:
                row = conn.execute(f"SELECT rev FROM {TABLE} WHERE rowid = ?", [pid]).fetchone()
                try:
                    newer = row is not None and int(row[0]) > rev
                except (TypeError, ValueError):  # a damaged rev (NULL, text): replace the row
                    newer = False
                if newer:
                    continue  # another process stored newer text already
                if row is not None:
                    conn.execute(f"DELETE FROM {TABLE} WHERE rowid = ?", [pid])
                conn.execute(f"INSERT INTO {TABLE} (rowid, {', '.join(FIELDS)}, rev) "
                             f"VALUES (?, {', '.join('?' for _ in FIELDS)}, ?)", [pid, *fields, rev])
            words = {(name, w) for _pid, _rev, fields in terms
                     for name, text in zip(FIELDS, fields, strict=True) for w in text.split()}
            conn.executemany("INSERT OR IGNORE INTO search_words (field, word) VALUES (?, ?)",
                             sorted(words))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A writer connection of its own: the store's may be inside the caller's edit.
        `synchronous=NORMAL`: the table is a cache, rebuilt from the papers if lost."""
        conn = sqlite3.connect(self.store.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA synchronous = NORMAL")
            yield conn
        finally:
            conn.close()

    def catch_up_quietly(self, fill: bool = True) -> None:
        """Never let the table fail anything (a fallback search catches it up first).
        Without `fill`, a table never filled (just upgraded) is left for a caller that
        can wait: the window's background open, or a search that needs it."""
        if not fill and self.generation() < 0 and not self._small():
            return
        try:
            self.catch_up()
        except (sqlite3.Error, OSError) as exc:
            log.warning("search text not updated (%s); it will catch up later", exc)


@functools.lru_cache(maxsize=1)
def _schema():
    """The index's schema, made once: its stemmer keeps a cache of the words it has seen."""
    from .search import make_schema

    return make_schema()


def _json(ids: list[int]) -> str:
    import json

    return json.dumps(ids)
