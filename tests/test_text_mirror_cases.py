"""The text mirror (text_mirror.py) case by case: its generation as stored, and what a
damaged one does. The mirror's agreement with the index is test_search_fallback.py's."""

from __future__ import annotations

import sqlite3

import pytest

from paperdeck.core import text_mirror
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.text_mirror import GENERATION_KEY, TABLE, TextMirror, _schema, analysed


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


def _mirror_rows(path) -> dict[int, tuple]:
    with sqlite3.connect(path) as conn:
        return {r[0]: r[1:] for r in conn.execute(f"SELECT rowid, title, rev FROM {TABLE}")}


def test_an_older_chunk_never_replaces_newer_text(tmp_path):
    """Two processes catch up at once: the one that read the papers before an edit writes
    its chunk after the other stored the edited text. The newer text stays."""
    with Library.open(tmp_path / "library", backup=False) as library:
        [pid] = library.add([Draft(title="Zebra gaits")], raw_text="x", fmt="t")
        old = _mirror_rows(library.store.path)[pid]
        library.update(pid, title="Wombat burrows")
        new = _mirror_rows(library.store.path)[pid]
        assert new[1] > old[1]
        with sqlite3.connect(library.store.path, isolation_level=None) as conn:
            TextMirror._write(conn, [(pid, old[1], analysed({"title": "Zebra gaits"}, _schema()))])
        assert _mirror_rows(library.store.path)[pid] == new
        library.index.ready = False  # the fallback answers from the table
        assert library.ids("wombat") == [pid] and library.ids("zebra") == []


def test_a_damaged_row_is_replaced_and_never_fails_an_edit(tmp_path):
    with Library.open(tmp_path / "library", backup=False) as library:
        a, b = library.add([Draft(title="Zebra gaits"), Draft(title="Robot arms")], raw_text="x", fmt="t")
        with sqlite3.connect(library.store.path) as conn:  # a rev no process writes
            conn.execute(f"UPDATE {TABLE} SET rev = 'x1' WHERE rowid = ?", [a])
            conn.execute(f"UPDATE {TABLE} SET rev = NULL WHERE rowid = ?", [b])
        library.update(a, title="Zebra crossings")
        library.update(b, title="Robot hands")
        assert library.index.mirror.generation() == library.store.generation()
        library.index.ready = False
        assert library.ids("crossings") == [a] and library.ids("gaits") == []
        assert library.ids("hands") == [b] and library.ids("arms") == []


def test_emptying_the_trash_deletes_the_papers_text_too(tmp_path):
    with Library.open(tmp_path / "library", backup=False) as library:
        ids = library.add([Draft(title=f"Secret plan {i}") for i in range(3)], raw_text="x", fmt="t")
        library.trash(ids[:2])
        library.empty_trash()
        assert set(_mirror_rows(library.store.path)) == {ids[2]}
        assert library.index.mirror.generation() == library.store.generation()


def test_an_edit_keeps_a_filled_table_current_even_in_a_large_library(tmp_path, monkeypatch):
    monkeypatch.setattr(text_mirror, "SMALL_FILL", 3)  # three papers count as a large library
    with Library.open(tmp_path / "library", backup=False) as library:
        assert library.index.mirror.generation() == 0  # an empty library's table: filled
        library.add([Draft(title=f"Robot {i}") for i in range(4)], raw_text="x", fmt="t")
        assert library.index.mirror.generation() == library.store.generation()


def test_an_edit_leaves_a_never_filled_table_of_a_large_library_to_a_search(tmp_path, monkeypatch):
    monkeypatch.setattr(text_mirror, "SMALL_FILL", 3)
    with Library.open(tmp_path / "library", backup=False) as library:
        ids = library.add([Draft(title=f"Robot {i}") for i in range(2)], raw_text="x", fmt="t")
        with sqlite3.connect(library.store.path) as conn:  # as just upgraded
            conn.execute("UPDATE meta SET value = '-1' WHERE key = ?", [GENERATION_KEY])
        library.update(ids[1], title="Robot one")  # 2 papers: small, filled at the edit
        assert library.index.mirror.generation() == library.store.generation()
        ids += library.add([Draft(title="Robot 2")], raw_text="x", fmt="t")
        with sqlite3.connect(library.store.path) as conn:
            conn.execute("UPDATE meta SET value = '-1' WHERE key = ?", [GENERATION_KEY])
        library.update(ids[0], title="Robot zero")  # 3 papers: large, the edit does not wait
        assert library.index.mirror.generation() == -1
        library.index.ready = False
        assert library.ids("robot") == ids  # the search that needs it fills it
        assert library.index.mirror.generation() == library.store.generation()


def test_a_damaged_text_table_fails_the_catch_up_and_records_nothing(tmp_path, caplog):
    """A write that fails is rolled back and raised: the generation stays, so the next
    catch-up does it again; an edit is never failed by it."""
    with Library.open(tmp_path / "library", backup=False) as library:
        [pid] = library.add([Draft(title="Zebra gaits")], raw_text="x", fmt="t")
        gen = library.index.mirror.generation()
        with sqlite3.connect(library.store.path) as conn:
            conn.execute("ALTER TABLE search_words RENAME TO search_words_away")
        library.update(pid, title="Zebra crossings")  # saved, the table left behind
        assert "search text not updated" in caplog.text
        assert library.index.mirror.generation() == gen
        assert _mirror_rows(library.store.path)[pid][0] == "zebra gait"
        with pytest.raises(sqlite3.OperationalError):
            library.index.mirror.catch_up()
        with sqlite3.connect(library.store.path) as conn:
            conn.execute("ALTER TABLE search_words_away RENAME TO search_words")
        assert library.index.mirror.catch_up() == 1
        assert _mirror_rows(library.store.path)[pid][0] == "zebra cross"


def test_a_purge_the_damaged_table_cannot_record_fails_the_catch_up(tmp_path):
    with Library.open(tmp_path / "library", backup=False) as library:
        ids = library.add([Draft(title="Zebra gaits"), Draft(title="Robot arms")], raw_text="x", fmt="t")
        library.trash(ids[:1])
        gen = library.index.mirror.generation()
        with sqlite3.connect(library.store.path) as conn:  # the purge is all that is new
            conn.execute(f"ALTER TABLE {TABLE} RENAME TO search_text_away")
            conn.execute(f"CREATE VIEW {TABLE} AS SELECT 1 AS title")  # nothing can be deleted
        library.index.ready = False
        library.empty_trash()
        assert library.index.mirror.generation() == gen
        with pytest.raises(sqlite3.OperationalError):
            library.index.mirror.catch_up()
