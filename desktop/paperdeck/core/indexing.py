"""Keeping the Whoosh index in step with SQLite: catch up, rebuild, check, fall back.

While the index is missing or being rebuilt, searches still answer from a plain
SQLite scan, so the library stays searchable (slower, without ranking).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from whoosh.index import LockError
from whoosh.query import And, Query, Term

from .errors import LibraryLocked
from .parallel_rebuild import HelperFailed
from .search import FACET_FIELDS, STEMMED_FIELDS, IndexDoc, SearchIndex
from .sqlite_search import SqliteSearch
from .storage import Store, fetch_ids
from .text_mirror import TextMirror
from .textnorm import fold
from .trash_search import TrashSearch

log = logging.getLogger(__name__)

# From this many papers a rebuild analyses in helper processes, one a core (at most two):
# below it, starting them (~0.5 s each: a spawned process imports paperdeck) costs more.
PARALLEL_REBUILD_MIN = 2_000
MAX_REBUILD_PROCS = 2
OPEN_WAIT_S = 5.0  # the longest a search waits for the index being opened (not rebuilt)
FILTER_FIELDS = FACET_FIELDS  # a search of only these is a filter, not a ranked search

_DOC_SQL = """
SELECT p.id, p.title, p.abstract, p.authors, p.notes, p.year, p.arxiv_id, p.doi
FROM papers p WHERE p.trashed_at IS NULL
"""
_TRASH_DOC_SQL = _DOC_SQL.replace("p.trashed_at IS NULL", "p.trashed_at IS NOT NULL")


class SqliteFacets:
    """`tag:` and `status:` terms inside a search, answered by SQLite (phrases.Facets).
    A tag matches by its name trimmed and folded (textnorm.fold: NFKC, no accents, lower
    case), as the query parser writes it: `tag:ｍｌ` finds the tag "ml"."""

    fields = FACET_FIELDS

    def __init__(self, store: Store) -> None:
        self.store = store
        self._tags: tuple[int, dict[str, list[int]]] | None = None  # (generation, name -> ids)
        self._found: tuple[int, dict[tuple, list[int]]] = (-1, {})  # (generation, answers)

    def _tag_ids(self) -> dict[str, list[int]]:
        """Tag ids by folded, trimmed name (the way the query parser writes a tag),
        read again after any edit."""
        gen = self.store.generation()
        if self._tags is None or self._tags[0] != gen:
            names: dict[str, list[int]] = {}
            for tid, name in self.store.read().execute("SELECT id, name FROM tags"):
                names.setdefault(fold(name.strip()), []).append(tid)
            self._tags = (gen, names)
        return self._tags[1]

    def words(self, field: str) -> list[str]:
        if field == "status":
            return [r[0] for r in self.store.read().execute("SELECT DISTINCT status FROM papers")]
        return sorted(self._tag_ids())

    def tag_ids(self, word: str) -> list[int]:
        """Ids of the tags a `tag:word` term names."""
        return self._tag_ids().get(word, [])

    def paper_ids(self, field: str, words: list[str]) -> list[int]:
        """Kept until the next edit: someone typing repeats `status:queued` with every key
        (70,000 ids at 100k papers take ~40 ms to read)."""
        gen = self.store.generation()
        key = (field, tuple(sorted(words)))
        if self._found[0] != gen:
            self._found = (gen, {})
        cached = self._found[1].get(key)
        if cached is None:
            cached = self._found[1][key] = self._read_ids(field, words)
            if len(self._found[1]) > 16:
                self._found[1].pop(next(iter(self._found[1])))
        return cached

    def _read_ids(self, field: str, words: list[str]) -> list[int]:
        db = self.store.read()
        if field == "status":
            sql = "SELECT id FROM papers WHERE status IN (SELECT value FROM json_each(?))"
            return fetch_ids(db, sql, [json.dumps(words)])
        tag_ids = [tid for w in words for tid in self.tag_ids(w)]
        if not tag_ids:  # most words of a search are no tag's name
            return []
        sql = ("SELECT DISTINCT paper_id AS id FROM paper_tags "
               "WHERE tag_id IN (SELECT value FROM json_each(?))")
        return fetch_ids(db, sql, [json.dumps(tag_ids)])


class SqliteTexts:
    """The indexed text of papers, read from SQLite (phrases.PhraseTexts)."""

    COLUMNS = {"title": "title", "abstract": "abstract", "notes": "notes", "authors": "authors"}

    def __init__(self, store: Store) -> None:
        self.store = store

    def texts(self, field: str, paper_ids: list[int]) -> dict[int, str]:
        column = self.COLUMNS.get(field)
        if column is None:
            return {}
        rows = self.store.read().execute(
            f"SELECT id, {column} FROM papers WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(paper_ids)])
        if field != "authors":
            return {pid: text or "" for pid, text in rows}
        return {pid: _authors(text) for pid, text in rows}


def _authors(raw: str | None) -> str:
    """Authors as the index holds them: the names joined by "; "."""
    try:
        names = json.loads(raw or "[]")
    except ValueError:
        names = []
    return "; ".join(map(str, names))


def _filter_terms(q: Query) -> list[Term] | None:
    """The terms of a query made only of `tag:` and `status:` terms joined by AND, else None."""
    parts = q.subqueries if isinstance(q, And) else [q]
    if not parts or any(type(p) is not Term or p.fieldname not in FILTER_FIELDS for p in parts):
        return None
    return list(parts)


def rebuild_procs(papers: int) -> int:
    """How many spawned helper processes analyse a rebuild of `papers` (1: none, this
    process does it)."""
    if papers < PARALLEL_REBUILD_MIN:
        return 1
    return max(1, min(MAX_REBUILD_PROCS, os.cpu_count() or 1))


def _doc(row: tuple) -> IndexDoc:
    pid, title, abstract, authors, notes, year, arxiv_id, doi = row
    return IndexDoc(
        id=pid, title=title, abstract=abstract, authors=_authors(authors),
        notes=notes, year=year, arxiv_id=arxiv_id, doi=(doi or "").lower(),
    )


class IndexKeeper:
    """Owns the SearchIndex of one library and knows whether it can be trusted."""

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        self.index = SearchIndex(folder)
        self.facets = SqliteFacets(store)
        self.index.facets = self.facets
        self.index.texts = SqliteTexts(store)
        self._trash = TrashSearch()
        self.mirror = TextMirror(store)  # the papers' index terms in SQLite: the fallback's
        self.sqlite = SqliteSearch(store, self.facets, STEMMED_FIELDS,
                                   self.index.schema["year"].from_bytes)
        self.ready = False
        self._rebuild_lock = threading.Lock()
        self._count_lock = threading.Lock()
        # Cleared while `ensure` decides; set once the index is ready, or being rebuilt,
        # or unavailable. A search waits for it (a second or so), not for a rebuild.
        self._settled = threading.Event()
        self._settled.set()
        self._writers = 0  # this process's threads inside catch_up (see _fresh_enough)
        # Set by Library: True while it indexes a large edit on a thread of its own.
        self.catching_up_aside: Callable[[], bool] = lambda: False

    def library_id(self) -> str:
        return self.store.meta("library_id")

    def ensure(self, progress: Callable[[int, int], None] | None = None, *,
               warm: bool = True) -> str:
        """Make the index current. Returns "current", "caught up" or "rebuilt".

        With `warm` (the window, in the background) the searcher also maps its documents
        to paper ids now; a one-shot command skips that."""
        self._settled.clear()
        try:
            # After an upgrade the first fill analyses every paper (100,000: about a minute):
            # in the window's background open, not in a command that has a usable index.
            self.mirror.catch_up_quietly(fill=warm)
            state = self._ensure(progress)
        finally:
            self._settled.set()
        if self.ready and warm:
            try:
                self.index.warm()  # the first search then finds its searcher ready
            except Exception as exc:  # noqa: BLE001 - a search will report it
                log.warning("search index could not be warmed: %s", exc)
        return state

    def current(self) -> bool:
        """True when the index reflects the library as it is now."""
        return self.ready and self.index.generation() == self.store.generation()

    def searched_current(self) -> bool:
        """True when the last search's searcher reflects the library as it is now: its hits
        are then exactly papers not in the trash. (The searcher's generation, not the state
        file's: another process may have written the index since the searcher opened.)"""
        return self.ready and self.index.searcher_generation == self.store.generation()

    def _ensure(self, progress: Callable[[int, int], None] | None) -> str:
        if self.index.usable_for(self.library_id(), self.store.generation()):
            if self.index.generation() == self.store.generation():
                self.ready = True
                return "current"
            try:
                self.catch_up()
                return "caught up"
            except LockError:
                return self._busy()
            except Exception as exc:  # noqa: BLE001 - a broken index is rebuilt, never fatal
                log.warning("index catch-up failed (%s); rebuilding", exc)
        if self.store.read_only:
            self.ready = False  # a read-only library is searched with the SQLite fallback
            return "unavailable"
        self._settled.set()  # a rebuild takes minutes: meanwhile, search from SQLite
        try:
            self.rebuild(progress)
        except LibraryLocked:
            return self._busy()
        except OSError as exc:  # a full disk, say: the library still opens, searched from SQLite
            log.warning("the search index could not be rebuilt: %s", exc)
            self.ready = False
            return "unavailable"
        return "rebuilt"

    def _busy(self) -> str:
        """Another process is writing the index: it is busy, not broken. Search from SQLite
        for now (slower, exact); the next open catches up."""
        log.warning("the search index is being written by another paperdeck; searching without it")
        self.ready = False
        return "busy"

    def catch_up(self) -> int:
        """Re-index the papers whose indexed text changed since the index's generation (their
        `rev` is newer; see edits.INDEXED_COLUMNS); returns how many. An edit of tags, status
        or queue places changes no `rev`, so it re-indexes nothing and adds no segment."""
        # Read and write under one inter-process lock: otherwise another process could read
        # the database after us, write its newer documents first, and have ours overwrite them.
        with self._writing(), self.index.update_lock():
            since = self.index.generation()
            with self.store.snapshot() as db:
                gen = int(db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
                removed = [r[0] for r in db.execute(
                    "SELECT id FROM papers WHERE rev > ? AND trashed_at IS NOT NULL "
                    "UNION ALL SELECT paper_id FROM purged WHERE rev > ?", [since, since])]
                docs = [_doc(r) for r in db.execute(_DOC_SQL + " AND p.rev > ?", [since])]
            self.index.apply(docs, removed, self.library_id(), gen)
        self.ready = True
        return len(docs) + len(removed)

    def catch_up_if_usable(self) -> None:
        """Catch a sound index up (never rebuild); a failure is left for `problems` to report."""
        if not self.index.usable_for(self.library_id(), self.store.generation()):
            return
        try:
            self.catch_up()
        except Exception as exc:  # noqa: BLE001 - reported by problems() as "behind"
            log.warning("index catch-up failed (%s)", exc)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with self._count_lock:
            self._writers += 1
        try:
            yield
        finally:
            with self._count_lock:
                self._writers -= 1

    def _fresh_enough(self) -> bool:
        """Before a search: is the index at least as new as what is committed? Another
        process's edit may be in SQLite and not (yet, or ever: it was killed) in the index;
        then catch up here, waiting for that process's index write if it is under way.
        False when the index stays behind (locked elsewhere): search from SQLite this time.
        While this process is catching up itself (a large import in the background), the
        index as it is serves, as it always has: the view filters drop trashed papers."""
        if self.index.generation() >= self.store.generation():
            return True
        if self._writers or self.catching_up_aside():
            return True
        try:
            self.catch_up()
        except LockError:
            log.warning("the search index is being written elsewhere; searching SQLite this time")
            return False
        except Exception as exc:  # noqa: BLE001 - a broken index: SQLite answers; open rebuilds
            log.warning("index catch-up before a search failed: %s", exc)
            return False
        return True

    def catch_up_quietly(self) -> None:
        """After an edit: update the index (then the fallback's text table), but never let
        it fail a saved edit."""
        try:
            if self.ready:
                self.catch_up()
        except Exception as exc:  # noqa: BLE001 - SQLite has the edit; next open catches up
            log.warning("search index not updated (%s); it will catch up later", exc)
        finally:
            self.mirror.catch_up_quietly(fill=False)

    def rebuild(self, progress: Callable[[int, int], None] | None = None,
                procs: int | None = None, *, wait: bool = False) -> int:
        """Build the index afresh from SQLite, reading through a connection of its own. With
        another process rebuilding, raise LibraryLocked, or with `wait` wait for it first.
        `procs` None: helper processes for a large library (see rebuild_procs)."""
        with self._rebuild_lock:
            conn = sqlite3.connect(self.store.ro_uri, uri=True)
            try:
                conn.execute("BEGIN")
                gen = int(conn.execute(
                    "SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
                total = conn.execute(
                    "SELECT count(*) FROM papers WHERE trashed_at IS NULL").fetchone()[0]

                def docs() -> Iterator[IndexDoc]:
                    for row in conn.execute(_DOC_SQL):
                        yield _doc(row)

                if procs is None:
                    procs = rebuild_procs(total)
                try:
                    self.index.rebuild(docs(), total, self.library_id(), gen, progress, procs,
                                       wait)
                except HelperFailed as exc:  # killed, or no processes here: do it ourselves
                    log.warning("rebuilding in helper processes failed (%s); rebuilding here", exc)
                    self.index.rebuild(docs(), total, self.library_id(), gen, progress, 1, wait)
            finally:
                conn.close()
            self.ready = True
            return total

    def search(self, query: str) -> list[int]:
        q = self.index.parse(query)  # also tells the user about a malformed query
        terms = _filter_terms(q)
        if terms is not None:
            return self._filter_search(terms)
        if not self.ready:  # the window opens the index just after its first cards
            self._settled.wait(OPEN_WAIT_S)
        if self.ready and self._fresh_enough():
            return self.index.search(query)
        return self._fallback_search(query)

    def search_trash(self, query: str) -> list[int]:
        """Ids of the papers in the trash matching `query`, most relevant first: the same
        query language and ranking, over a small in-memory index of the trash."""
        self.index.parse(query)  # a malformed query is told the same way everywhere
        with self.store.snapshot() as db:
            key = tuple(db.execute(
                "SELECT id, rev FROM papers WHERE trashed_at IS NOT NULL ORDER BY id"))
            if not key:
                return []

            def docs() -> list[IndexDoc]:
                return [_doc(r) for r in db.execute(
                    _TRASH_DOC_SQL + " ORDER BY p.trashed_at DESC, p.id DESC")]

            ix = self._trash.index_for(key, docs)
        ix.facets = self.facets
        if hasattr(self.index, "texts"):  # phrase checks against the stored text, if any
            ix.texts = self.index.texts
        return ix.search(query)

    def _filter_search(self, terms: list[Term]) -> list[int]:
        """`tag:x status:y` alone is a filter, not a ranked search: SQLite answers it exactly
        (same matching as the index: a tag's name, trimmed and lower-cased), in queue order."""
        clauses, params = ["trashed_at IS NULL"], []
        db = self.store.read()
        for t in terms:
            if t.fieldname == "status":
                clauses.append("+status = ?")  # walk the queue index, in order
                params.append(t.text)
            else:
                tag_ids = self.facets.tag_ids(t.text)
                clauses.append("id IN (SELECT paper_id FROM paper_tags "
                               "WHERE tag_id IN (SELECT value FROM json_each(?)))")
                params.append(json.dumps(tag_ids))
        sql = (f"SELECT id FROM papers WHERE {' AND '.join(clauses)} "
               "ORDER BY priority DESC, position, id")
        return fetch_ids(db, sql, params)

    def _fallback_search(self, query: str) -> list[int]:
        """The index's answer, from SQLite (see sqlite_search), while the index is missing,
        rebuilding, busy or read-only: the same papers, in queue order, unranked."""
        self.mirror.catch_up_quietly()  # exact even if an edit's update of it failed
        if self.mirror.generation() >= 0:
            return self.sqlite.search(self.index.parse(query))
        return self._rough_search(query)  # a read-only library never filled: words alone

    def _rough_search(self, query: str) -> list[int]:
        """Plain word matching in SQLite: only when the text mirror was never filled."""
        words = [w for w in re.findall(r"\w+", query) if w not in ("AND", "OR", "NOT")]
        if not words:
            return []
        clause = " AND ".join(
            "(title LIKE ? OR abstract LIKE ? OR notes LIKE ? OR authors LIKE ?)" for _ in words
        )
        params = [f"%{w}%" for w in words for _ in range(4)]
        rows = self.store.read().execute(
            f"SELECT id FROM papers WHERE trashed_at IS NULL AND {clause} ORDER BY position",
            params,
        )
        return [r[0] for r in rows]

    def problems(self) -> list[str]:
        """How the index differs from the database, in words (empty when it matches)."""
        if not self.index.usable_for(self.library_id(), self.store.generation()):
            return ["The search index is missing or damaged (run `paperdeck reindex`)."]
        out = []
        gen, igen = self.store.generation(), self.index.generation()
        if gen != igen:
            out.append(f"The search index is behind the database (generation {igen} of {gen}).")
        db_ids = {r[0] for r in self.store.read().execute(
            "SELECT id FROM papers WHERE trashed_at IS NULL")}
        ix_ids = self.index.doc_ids()
        if db_ids - ix_ids:
            out.append(f"{len(db_ids - ix_ids)} papers are missing from the search index.")
        if ix_ids - db_ids:
            out.append(f"The search index has {len(ix_ids - db_ids)} papers the library does not.")
        return out

    def close(self) -> None:
        self.index.close()
