"""The text mirror (text_mirror.py) case by case: its generation as stored, and what a
damaged one does. The mirror's agreement with the index is test_search_fallback.py's."""

from __future__ import annotations

import sqlite3

from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.text_mirror import GENERATION_KEY


def test_a_damaged_generation_reads_as_never_filled_and_the_mirror_refills(tmp_path):
    library = Library.open(tmp_path / "library", backup=False)
    try:
        ids = library.add([Draft(title="Robot arms"), Draft(title="Zebra gaits")], raw_text="x", fmt="t")
        mirror = library.index.mirror
        mirror.catch_up()
        assert mirror.generation() == library.store.generation() and not mirror.behind()
        with sqlite3.connect(library.store.path) as conn:  # a value no process writes
            conn.execute("UPDATE meta SET value = 'x1' WHERE key = ?", [GENERATION_KEY])
        assert mirror.generation() == -1 and mirror.behind()
        assert mirror.catch_up() == 2  # every paper analysed again
        assert mirror.generation() == library.store.generation()
        assert library.index.sqlite.search(library.index.index.parse("robot")) == ids[:1]
    finally:
        library.close()


def test_a_read_only_library_never_writes_its_mirror(tmp_path):
    folder = tmp_path / "library"
    with Library.open(folder, backup=False) as library:
        library.add([Draft(title="Robot arms")], raw_text="x", fmt="t")
        library.index.mirror.catch_up()
        path = library.store.path
    with sqlite3.connect(path) as conn:  # behind: as a library just upgraded would be
        conn.execute("UPDATE meta SET value = '-1' WHERE key = ?", [GENERATION_KEY])
    with Library.open(folder, read_only=True, backup=False) as ro:
        assert ro.index.mirror.behind()
        assert ro.index.mirror.catch_up() == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = ?", [GENERATION_KEY]).fetchone() == ("-1",)


def test_a_fill_in_many_chunks_stores_every_paper(tmp_path, monkeypatch):
    """A large library's first fill goes CHUNK papers a transaction, each from the last
    id read: none is skipped between chunks."""
    from paperdeck.core import text_mirror

    library = Library.open(tmp_path / "library", backup=False)
    try:
        ids = library.add([Draft(title=f"Robot number {i}") for i in range(5)], raw_text="x", fmt="t")
        with sqlite3.connect(library.store.path) as conn:
            conn.execute("UPDATE meta SET value = '-1' WHERE key = ?", [GENERATION_KEY])
            conn.execute(f"DELETE FROM {text_mirror.TABLE}")
        monkeypatch.setattr(text_mirror, "CHUNK", 2)
        assert library.index.mirror.catch_up() == 5
        assert library.index.sqlite.search(library.index.index.parse("robot")) == ids
    finally:
        library.close()
