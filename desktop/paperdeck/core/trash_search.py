"""Searching the trash: the index holds only papers outside it, so the few in the trash
get a small index of their own, in memory, with the same schema, parser and ranking.

It is built at the first search of the trash after the trash changed (a few
milliseconds a paper), so a search there answers exactly as the main index would.
"""

from __future__ import annotations

import threading
from pathlib import Path

from whoosh.filedb.filestore import RamStorage

from .search import IndexDoc, SearchIndex


class MemoryIndex(SearchIndex):
    """A `SearchIndex` over a list of documents held in memory (no state file, no other
    process: it is never stale)."""

    def __init__(self, docs: list[IndexDoc]) -> None:
        super().__init__(Path("<memory>"))
        ix = RamStorage().create_index(self.schema)
        writer = ix.writer()
        for doc in docs:
            writer.add_document(**doc.fields())
        writer.commit()
        self._ix = ix

    def _open(self) -> bool:
        return self._ix is not None

    def _stale(self) -> bool:
        return False


class TrashSearch:
    """The trash's `MemoryIndex`, rebuilt when the papers in the trash or their text change."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._index: MemoryIndex | None = None
        self._lock = threading.Lock()

    def index_for(self, key: tuple, docs) -> MemoryIndex:
        """The index for the trash identified by `key` ((id, rev) of each paper there);
        `docs()` reads its documents when it must be built."""
        with self._lock:
            if self._index is None or self._key != key:
                self._index = MemoryIndex(list(docs()))
                self._key = key
            return self._index
