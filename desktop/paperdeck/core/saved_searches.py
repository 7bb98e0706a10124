"""Saved searches: a name for a query, kept in the library, listed with a live count.

A mixin of `Library`. They are settings of the user's, not papers, so they are not
undoable edits; each change is still one SQLite transaction. Names are unique ignoring
case and surrounding spaces; the query is checked (as a search box checks it) before
it is saved, so a saved search never fails later for its syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InputError
from .rows import now_iso
from .storage import explained

if TYPE_CHECKING:
    from .indexing import IndexKeeper
    from .storage import Store

NAME_LIMIT = 80


@dataclass
class SavedSearch:
    name: str
    query: str
    count: int | None = None  # papers it finds now (not in the trash); None: not counted


def search_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InputError("A saved search needs a name.")
    if len(cleaned) > NAME_LIMIT:
        raise InputError(f"A saved search's name is at most {NAME_LIMIT} characters.")
    return cleaned


class LibrarySavedSearches:
    """Save, list (with live counts), rename, remove and reorder searches."""

    store: Store
    index: IndexKeeper

    def saved_searches(self, *, counts: bool = True) -> list[SavedSearch]:
        """Every saved search in the user's order; with `counts`, how many papers each finds."""
        with explained():
            rows = self.store.read().execute(
                "SELECT name, query FROM saved_searches ORDER BY position, id").fetchall()
        out = [SavedSearch(name, query) for name, query in rows]
        if counts:
            for item in out:
                item.count = len(self.ids(item.query))  # type: ignore[attr-defined]
        return out

    def saved_query(self, name: str) -> str:
        """The query saved under `name`; InputError naming the saved searches if none."""
        with explained():
            row = self.store.read().execute(
                "SELECT query FROM saved_searches WHERE key = ?", [search_key(name)]).fetchone()
        if row is None:
            names = [s.name for s in self.saved_searches(counts=False)]
            listed = f" Saved searches: {', '.join(names)}." if names else " There are none yet."
            raise InputError(f"No saved search named '{name}'.{listed}")
        return row[0]

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Save `query` under `name` (replacing the query of a search of that name)."""
        from .query import check

        name = _clean_name(name)
        query = (query or "").strip()
        if not query:
            raise InputError("A saved search needs a query.")
        check(query)
        with self.store.write():
            db = self.store.db
            if db.execute("SELECT 1 FROM saved_searches WHERE key = ?", [search_key(name)]).fetchone():
                db.execute("UPDATE saved_searches SET query = ?, name = ? WHERE key = ?",
                           [query, name, search_key(name)])
            else:
                end = db.execute("SELECT coalesce(max(position), -1) + 1 FROM saved_searches"
                                 ).fetchone()[0]
                db.execute("INSERT INTO saved_searches (name, key, query, position, created_at) "
                           "VALUES (?, ?, ?, ?, ?)", [name, search_key(name), query, end, now_iso()])
        self.index.catch_up_quietly()
        return SavedSearch(name, query)

    def rename_search(self, old: str, new: str) -> None:
        self.saved_query(old)
        new = _clean_name(new)
        with self.store.write():
            db = self.store.db
            clash = db.execute("SELECT 1 FROM saved_searches WHERE key = ?", [search_key(new)]).fetchone()
            if clash and search_key(new) != search_key(old):
                raise InputError(f"There is already a saved search named '{new}'.")
            db.execute("UPDATE saved_searches SET name = ?, key = ? WHERE key = ?",
                       [new, search_key(new), search_key(old)])
        self.index.catch_up_quietly()

    def remove_search(self, name: str) -> None:
        self.saved_query(name)
        with self.store.write():
            self.store.db.execute("DELETE FROM saved_searches WHERE key = ?", [search_key(name)])
        self.index.catch_up_quietly()

    def move_search(self, name: str, to: int) -> None:
        """Put the saved search at place `to` (0 is first; past the end means last)."""
        self.saved_query(name)
        with self.store.write():
            db = self.store.db
            keys = [r[0] for r in db.execute(
                "SELECT key FROM saved_searches ORDER BY position, id")]
            keys.remove(search_key(name))
            keys.insert(max(0, min(to, len(keys))), search_key(name))
            db.conn.executemany("UPDATE saved_searches SET position = ? WHERE key = ?",
                                [(i, k) for i, k in enumerate(keys)])
        self.index.catch_up_quietly()
