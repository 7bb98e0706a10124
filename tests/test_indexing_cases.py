"""The index keeper (indexing.py) case by case: what `ensure` answers for each state of the
index, what a search does when the index is behind, busy in another process or damaged,
what `check` reports, and the SQLite side (facets, texts, the rough fallback).

Locks are held by real processes (a Whoosh writer, another paperdeck's rebuild lock) and
damage is real damage to real files; a library template is built once and copied.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdeck.core import indexing, search
from paperdeck.core.errors import QueryError
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.text_mirror import GENERATION_KEY
from test_resilience_concurrency import HOLD_WHOOSH  # a second process holding the write lock

PAPERS = [
    Draft(title="Grasp planning for a hand", abstract="One robot appears here.",
          authors=["Ada Quill", "Bo An"], year=2019),
    Draft(title="Robot robot: robot learning", abstract="Robots learning robot skills.",
          authors=["Cy Dee"], year=2021),
    Draft(title="Zebra gaits", abstract="Stripes in motion.", authors=["Ada Quill"], year=2020),
    Draft(title="Arm survey", abstract="A robot arm grasps the cup. Motor arm control matters.",
          authors=[], year=2018, doi="10.1000/ARM.1"),
    Draft(title="Wombat burrows", abstract="Digging robot helpers.", authors=["Eve Fox"]),
]
ROBOT = [1, 2, 4, 5]  # the papers with "robot" in their title or abstract, in queue order

HOLD_FILE_LOCK = textwrap.dedent("""
    import sys
    from whoosh.util.filelock import FileLock
    lock = FileLock(sys.argv[1])  # the lock another paperdeck's SearchIndex takes
    assert lock.acquire(blocking=False)
    print("held", flush=True)
    sys.stdin.readline()
    lock.release()
""")


@contextlib.contextmanager
def held(code: str, target: Path) -> Iterator[None]:
    """Another process holding a lock until the block ends (it waits for a line on stdin)."""
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "held", proc.stderr.read()
        yield
    finally:
        proc.stdin.write("go\n")
        proc.stdin.flush()
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("indexing") / "library"
    with Library.open(folder, backup=False) as lib:
        assert lib.add(PAPERS, raw_text="x", fmt="t") == [1, 2, 3, 4, 5]
    return folder


@pytest.fixture
def folder(template, tmp_path) -> Path:
    dest = tmp_path / "library"
    shutil.copytree(template, dest)
    return dest


@pytest.fixture
def short_lock_wait(monkeypatch) -> None:
    """A writer waits 0.2 s, not 3 s, for Whoosh's lock held elsewhere."""
    monkeypatch.setattr(search, "WRITER_TIMEOUT_S", 0.2)


def write_behind(folder: Path, title: str) -> int:
    """Another paperdeck commits a paper to SQLite and dies before indexing it."""
    with Library.open(folder, sync_index=False, backup=False) as other:
        other.index.ready = False
        [pid] = other.add([Draft(title=title)], raw_text="w", fmt="t")
    return pid


# -- helper processes for a rebuild ------------------------------------------------------

@pytest.mark.parametrize(("cores", "papers", "procs"), [
    (4, 1_999, 1), (4, 2_000, 2), (4, 100_000, 2), (2, 2_000, 2), (1, 50_000, 1), (None, 50_000, 1),
])
def test_a_rebuild_uses_a_helper_a_core_from_2000_papers_and_at_most_two(
        monkeypatch, cores, papers, procs):
    monkeypatch.setattr(indexing.os, "cpu_count", lambda: cores)  # the machine it runs on
    assert indexing.rebuild_procs(papers) == procs


def test_helpers_that_cannot_start_leave_the_rebuild_to_this_process(folder, caplog):
    """No interpreter to spawn (a frozen app, a sandbox): the rebuild is done here instead."""
    import multiprocessing.spawn as spawn
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # started with the real interpreter, as it would be
    before = spawn.get_executable()
    with Library.open(folder, sync_index=False, backup=False) as lib:
        spawn.set_executable(str(folder / "no-such-python"))
        try:
            assert lib.index.rebuild(procs=2) == 5
        finally:
            spawn.set_executable(before)
        assert "rebuilding here" in caplog.text
        assert len(lib.index.index._ix._segments()) == 1  # one segment, written here
        assert lib.index.index.doc_ids() == {1, 2, 3, 4, 5}
        assert lib.check() == [] and lib.ids("zebra") == [3]


# -- what `ensure` answers -----------------------------------------------------------------

def test_ensure_answers_current_caught_up_and_rebuilt(folder):
    with Library.open(folder, sync_index=False, backup=False) as lib:
        assert lib.index.ensure(warm=False) == "current" and lib.index.ready
    pid = write_behind(folder, "Quokka maps")
    with Library.open(folder, sync_index=False, backup=False) as lib:
        assert not lib.index.current()
        assert lib.index.ensure(warm=False) == "caught up"
        assert lib.index.current() and lib.ids("quokka") == [pid]
    shutil.rmtree(folder / "index")
    with Library.open(folder, sync_index=False, backup=False) as lib:
        assert lib.index.ensure(warm=False) == "rebuilt"
        assert lib.index.current() and lib.ids("quokka") == [pid]


def test_the_index_of_another_library_is_rebuilt_not_trusted(folder, tmp_path):
    other = tmp_path / "other"
    with Library.open(other, backup=False) as lib:
        [pid] = lib.add([Draft(title="Robot only here")], raw_text="o", fmt="t")
    shutil.rmtree(other / "index")
    shutil.copytree(folder / "index", other / "index")  # the same generation: it looks current
    with Library.open(other, sync_index=False, backup=False) as lib:
        assert lib.check(catch_up=True) == [  # checking never adopts it
            "The search index is missing or damaged (run `paperdeck reindex`)."]
        assert lib.index.ensure(warm=False) == "rebuilt"
        assert lib.ids("robot") == [pid] and lib.check() == []


def test_a_rebuild_under_way_in_another_process_is_busy_and_sqlite_answers(folder):
    with held(HOLD_FILE_LOCK, folder / f"index{search.REBUILD_LOCK_SUFFIX}"), \
            Library.open(folder, backup=False) as lib:
        assert lib.index.ready
        shutil.rmtree(folder / "index")  # gone while open: the next `ensure` would rebuild
        assert lib.index.ensure(warm=False) == "busy"
        assert not lib.index.ready and not (folder / "index").exists()
        assert lib.ids("robot") == ROBOT  # from SQLite, in queue order
        assert lib.check()[0].startswith("The search index is missing")


def test_a_writer_holding_the_index_at_open_means_busy_not_a_rebuild(folder, short_lock_wait, caplog):
    pid = write_behind(folder, "Quokka maps")
    with Library.open(folder, sync_index=False, backup=False) as lib:
        with held(HOLD_WHOOSH, folder / "index"):
            progress: list[int] = []
            assert lib.index.ensure(lambda done, total: progress.append(done), warm=False) == "busy"
            assert progress == []  # no rebuild was tried: the index is sound, only busy
            assert "being written by another paperdeck" in caplog.text
            assert not lib.index.ready and lib.ids("quokka") == [pid]  # SQLite answers
        assert lib.index.index.generation() < lib.store.generation()  # not rebuilt
        assert lib.index.ensure(warm=False) == "caught up"


def test_an_index_that_cannot_be_rebuilt_leaves_the_library_searchable(folder, caplog):
    """Something in the way of the new index's folder (as a full disk would be): the
    library opens, says so, and searches from SQLite."""
    shutil.rmtree(folder / "index")
    (folder / "index.new").write_text("in the way")
    with Library.open(folder, backup=False) as lib:
        assert "could not be rebuilt" in caplog.text
        assert any("could not be rebuilt" in note for note in lib.notes)
        assert not lib.index.ready and lib.ids("robot") == ROBOT
        assert lib.index.ensure(warm=False) == "unavailable"


def test_an_index_lost_while_open_that_cannot_be_rebuilt_is_no_longer_used(folder):
    with Library.open(folder, backup=False) as lib:
        assert lib.index.ready
        shutil.rmtree(folder / "index")
        (folder / "index.new").write_text("in the way")
        assert lib.index.ensure(warm=False) == "unavailable"
        assert not lib.index.ready and lib.ids("robot") == ROBOT


def test_a_read_only_library_with_a_damaged_index_searches_sqlite(folder, caplog):
    for toc in (folder / "index").glob("*.toc"):
        toc.write_bytes(b"not a toc")
    with Library.open(folder, read_only=True, backup=False) as lib:
        assert lib.index.ensure(warm=False) == "unavailable"
        assert not lib.index.ready and not lib.index.current()
        assert lib.index.ensure() == "unavailable"  # the window's open: nothing to warm
        assert "could not be warmed" not in caplog.text
        assert lib.ids("robot") == ROBOT
    assert all(t.read_bytes() == b"not a toc" for t in (folder / "index").glob("*.toc"))


def test_a_search_before_the_index_is_opened_answers_at_once_from_sqlite(folder, monkeypatch):
    """Nothing is deciding about the index yet: no wait, and SQLite's answer (queue order),
    though the index on disk is current."""
    monkeypatch.setattr(indexing, "OPEN_WAIT_S", 60.0)
    with Library.open(folder, sync_index=False, backup=False) as lib:
        start = time.monotonic()
        assert lib.ids("robot") == ROBOT != lib.index.index.search("robot")
        assert time.monotonic() - start < 20


def test_a_search_after_a_failed_open_does_not_wait(folder, monkeypatch):
    """`ensure` settles whatever it decides: a search then answers at once from SQLite."""
    monkeypatch.setattr(indexing, "OPEN_WAIT_S", 60.0)
    shutil.rmtree(folder / "index")
    with Library.open(folder, read_only=True, backup=False) as lib:
        assert not lib.index.ready
        start = time.monotonic()
        assert lib.ids("zebra") == [3]
        assert time.monotonic() - start < 20


def test_a_search_while_the_index_is_caught_up_at_open_waits_for_it(folder):
    """The window opens the index on a thread; a search meanwhile waits for the catch-up
    (here held up by another process's update) and gets the index's ranked answer."""
    pid = write_behind(folder, "Robot quokka")
    with Library.open(folder, sync_index=False, backup=False) as lib:
        state: list[str] = []
        found: list[list[int]] = []
        with held(HOLD_FILE_LOCK, folder / f"index{search.UPDATE_LOCK_SUFFIX}"):
            opening = threading.Thread(target=lambda: state.append(lib.index.ensure(warm=False)))
            opening.start()
            time.sleep(0.3)  # `ensure` is waiting for the update lock now
            searching = threading.Thread(target=lambda: found.append(lib.ids("robot")))
            searching.start()
            time.sleep(0.3)
        opening.join(30)
        searching.join(30)
        assert state == ["caught up"]
        assert found == [lib.index.index.search("robot")]  # ranked by the caught-up index
        assert sorted(found[0]) == [*ROBOT, pid] and found[0] != [*ROBOT, pid]


def test_a_search_during_a_rebuild_answers_at_once_from_sqlite(folder, monkeypatch):
    monkeypatch.setattr(indexing, "OPEN_WAIT_S", 60.0)
    shutil.rmtree(folder / "index")
    answers: list[tuple[list[int], float]] = []
    with Library.open(folder, sync_index=False, backup=False) as lib:

        def progress(done: int, total: int) -> None:  # the new index is built, not yet in place
            start = time.monotonic()
            answers.append((lib.ids("robot"), time.monotonic() - start))

        assert lib.index.ensure(progress, warm=False) == "rebuilt"
    assert answers and answers[-1][0] == ROBOT and answers[-1][1] < 20


def test_ensure_for_the_window_fills_a_large_librarys_text_table_a_command_does_not(
        folder, monkeypatch):
    from paperdeck.core import text_mirror

    monkeypatch.setattr(text_mirror, "SMALL_FILL", 3)  # five papers count as a large library
    with sqlite3.connect(folder / "library.db") as conn:  # as just upgraded: never filled
        conn.execute("UPDATE meta SET value = '-1' WHERE key = ?", [GENERATION_KEY])
    with Library.open(folder, sync_index=False, backup=False) as lib:
        assert lib.index.ensure(warm=False) == "current"
        assert lib.index.mirror.generation() == -1  # a command does not wait for it
        lib.update(3, notes="striped")  # nor does an edit
        assert lib.index.mirror.generation() == -1
        assert lib.index.ensure() == "current"  # the window's open, in the background
        assert lib.index.mirror.generation() == lib.store.generation()


# -- a search when the index is behind -----------------------------------------------------

def test_a_search_behind_a_writer_held_elsewhere_answers_from_sqlite_then_catches_up(
        folder, short_lock_wait, caplog):
    with Library.open(folder, backup=False) as lib:
        assert lib.ids("robot") == lib.index.index.search("robot")  # the index answers
        pid = write_behind(folder, "Robot quokka")
        with held(HOLD_WHOOSH, folder / "index"):
            assert lib.ids("robot") == [*ROBOT, pid]  # exact, from SQLite, in queue order
            assert "being written elsewhere" in caplog.text
            lib.update(pid, notes="edited meanwhile")  # saved; the index catches up later
            assert "it will catch up later" in caplog.text
        assert lib.index.index.generation() < lib.store.generation()
        ranked = lib.ids("robot")  # caught up now: ranked by the index
        assert lib.index.index.generation() == lib.store.generation()
        assert ranked == lib.index.index.search("robot") and sorted(ranked) == [*ROBOT, pid]
        assert ranked != [*ROBOT, pid]  # ranked, not in queue order


def test_a_current_index_answers_even_while_another_process_updates_it(folder):
    with Library.open(folder, backup=False) as lib:
        ranked = lib.index.index.search("robot")
        assert ranked != ROBOT and sorted(ranked) == ROBOT  # the two answers differ in order
        with held(HOLD_FILE_LOCK, folder / f"index{search.UPDATE_LOCK_SUFFIX}"):
            assert lib.ids("robot") == ranked


def test_a_damaged_index_behind_the_library_answers_from_sqlite(folder, caplog):
    with Library.open(folder, backup=False) as lib:
        assert lib.ids("zebra") == [3]  # the index is open
        pid = write_behind(folder, "Zebra crossings")
        for toc in (folder / "index").glob("*.toc"):
            toc.write_bytes(b"\x00garbage" * 10)
        assert lib.ids("zebra") == [3, pid]
        assert "catch-up before a search failed" in caplog.text


def test_an_index_whose_catch_up_fails_at_open_is_rebuilt(folder):
    """The segment's files rotted in place (same sizes, so the index still looks sound):
    the catch-up fails, and the index is rebuilt rather than left broken."""
    messages: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())  # keeps no record:
    logger = logging.getLogger(indexing.__name__)  # a kept one holds the failed writer's lock
    with Library.open(folder, backup=False) as lib:
        assert lib.ids("zebra") == [3]  # the index is open
        pid = write_behind(folder, "Zebra crossings")
        for part in (folder / "index").glob(f"{search.windex._DEF_INDEX_NAME}_*.*"):
            part.write_bytes(b"\x00" * part.stat().st_size)  # not the TOC, lock or state
        logger.addHandler(handler)
        logger.propagate = False
        try:
            assert lib.index.ensure(warm=False) == "rebuilt"
        finally:
            logger.removeHandler(handler)
            logger.propagate = True
        assert any("catch-up failed" in m and "rebuilding" in m for m in messages), messages
        assert sorted(lib.ids("zebra")) == [3, pid] and lib.check() == []


def test_while_this_process_catches_up_aside_a_search_uses_the_index_as_it_is(folder):
    """A large import indexing on a thread of its own: searches neither wait for it nor
    start a catch-up of their own."""
    with Library.open(folder, backup=False) as lib:
        before = lib.index.index.generation()
        pid = write_behind(folder, "Robot quokka")
        lib.index.catching_up_aside = lambda: True
        assert lib.ids("robot") == lib.index.index.search("robot")
        assert pid not in lib.ids("robot") and lib.index.index.generation() == before
        lib.index.catching_up_aside = lambda: False
        assert pid in lib.ids("robot") and lib.index.index.generation() > before


def test_a_keeper_of_its_own_catches_up_before_a_search(folder):
    """An IndexKeeper without a Library (nothing catching up aside) catches up itself."""
    with Library.open(folder, sync_index=False, backup=False) as lib:
        keeper = indexing.IndexKeeper(lib.store, folder / "index")
        try:
            assert keeper.ensure(warm=False) == "current"
            pid = write_behind(folder, "Quokka maps")
            assert keeper.search("quokka") == [pid]
            assert keeper.index.generation() == lib.store.generation()
        finally:
            keeper.close()


def test_a_doi_is_found_whatever_its_case(folder):
    with Library.open(folder, backup=False) as lib:
        assert lib.ids("doi:10.1000/arm.1") == [4]
        assert lib.ids("doi:10.1000/ARM.1") == [4]
        assert lib.ids("doi:*") == [4]  # only the paper that has one
        shutil.rmtree(folder / "index")
        assert lib.index.rebuild() == 5
        assert lib.ids("doi:10.1000/arm.1") == [4] and lib.ids("doi:*") == [4]


def test_only_a_current_searcher_is_taken_as_exact(folder):
    with Library.open(folder, backup=False) as lib:
        lib.ids("robot")
        assert lib.index.searched_current() and lib.index.current()
        lib.index.ready = False
        assert not lib.index.searched_current() and not lib.index.current()
        lib.index.ready = True
        write_behind(folder, "Quokka maps")
        assert not lib.index.searched_current() and not lib.index.current()


# -- catching up ---------------------------------------------------------------------------

def test_a_catch_up_counts_what_it_added_changed_trashed_and_purged(folder):
    with Library.open(folder, backup=False) as lib:
        with Library.open(folder, sync_index=False, backup=False) as other:
            other.index.ready = False
            other.add([Draft(title="Quokka maps"), Draft(title="Quokka roads")], raw_text="q", fmt="t")
            other.update(1, title="Grasp planning for a quokka")
            other.trash([2, 3])
            other.empty_trash()
            other.trash([4])
        assert lib.index.catch_up() == 2 + 1 + 2 + 1
        assert lib.index.index.doc_ids() == {1, 5, 6, 7}
        assert sorted(lib.ids("quokka")) == [1, 6, 7] and lib.check() == []
        assert lib.index.catch_up() == 0


def test_an_edit_while_the_index_is_not_ready_updates_only_the_text_table(folder):
    with Library.open(folder, backup=False) as lib:
        lib.index.ready = False  # rebuilding, say
        before = lib.index.index.generation()
        lib.update(3, title="Zebra crossings")
        assert lib.index.index.generation() == before
        assert lib.index.mirror.generation() == lib.store.generation()
        assert lib.ids("crossings") == [3]  # from SQLite


def test_check_names_how_the_index_differs(folder):
    with Library.open(folder, backup=False) as lib:
        assert lib.check() == []
        gen = lib.store.generation()
        with Library.open(folder, sync_index=False, backup=False) as other:
            other.index.ready = False
            other.add([Draft(title="Quokka maps"), Draft(title="Quokka roads")], raw_text="q", fmt="t")
            other.trash([2])
        now = lib.store.generation()
        assert lib.index.problems() == [
            f"The search index is behind the database (generation {gen} of {now}).",
            "2 papers are missing from the search index.",
            "The search index has 1 papers the library does not.",
        ]
        assert lib.check(catch_up=True) == []  # a sound index behind is caught up, no damage
    shutil.rmtree(folder / "index")
    with Library.open(folder, sync_index=False, backup=False) as lib:
        assert lib.check(catch_up=True) == [
            "The search index is missing or damaged (run `paperdeck reindex`)."]
        assert not (folder / "index").exists()  # checking never rebuilds


def test_check_reports_a_catch_up_that_failed(folder, short_lock_wait, caplog):
    write_behind(folder, "Quokka maps")
    with Library.open(folder, sync_index=False, backup=False) as lib, \
            held(HOLD_WHOOSH, folder / "index"):
        problems = lib.check(catch_up=True)
        assert problems[0].startswith("The search index is behind the database")
        assert "1 papers are missing from the search index." in problems
        assert "index catch-up failed" in caplog.text


# -- tags, status and stored text, read from SQLite ---------------------------------------

def test_tag_and_status_terms_in_a_search_follow_each_edit(folder):
    with Library.open(folder, backup=False) as lib:
        lib.add_tags([1], ["ML"])
        lib.set_status([2], "read")
        assert lib.ids("robot tag:ml") == [1]
        assert lib.ids("robot status:read") == [2]
        lib.add_tags([4], ["ml"])
        lib.set_status([5], "read")
        assert sorted(lib.ids("robot tag:ml")) == [1, 4]
        assert sorted(lib.ids("robot status:read")) == [2, 5]
        lib.set_status([2, 5], "reading")
        assert lib.ids("robot status:read") == []
        lib.add_tags([2], ["robotics"])
        assert sorted(lib.ids("robot tag:m*")) == [1, 4]  # tag words, not status words
        assert sorted(lib.ids("robot tag:robot*")) == [2]
        assert lib.ids("robot tag:nothing") == []
        assert lib.ids("tag:ml status:queued") == [1, 4]  # a filter alone: queue order


def test_tag_and_status_alone_filter_in_queue_order_not_by_rank(folder):
    with Library.open(folder, backup=False) as lib:
        lib.add_tags([1, 4, 5], ["ml"])
        lib.move([5], to="top")
        assert lib.ids(view="queue")[:1] == [5]
        assert lib.ids("tag:ml") == [5, 1, 4]
        assert lib.ids("tag:ml status:queued") == [5, 1, 4]
        assert sorted(lib.index.index.search("tag:ml")) == [1, 4, 5]


def test_a_tag_term_is_answered_the_same_on_every_keystroke(folder):
    """Typing repeats a search many times between two edits; each answer stays right, and
    the answers kept for it stay few."""
    with Library.open(folder, backup=False) as lib:
        lib.add_tags([1, 4], ["ml"])
        for n in range(40):
            assert lib.ids(f"robot tag:other{n}") == []
            assert sorted(lib.ids("robot tag:ml")) == [1, 4]
        assert len(lib.index.facets._found[1]) <= 16


def test_stored_texts_are_read_as_the_index_holds_them(folder):
    with Library.open(folder, backup=False) as lib:
        texts = lib.index.index.texts
        assert texts.texts("authors", [1, 4]) == {1: "Ada Quill; Bo An", 4: ""}
        assert texts.texts("notes", [3]) == {3: ""}  # no notes: empty text, not None
        assert texts.texts("title", [3]) == {3: "Zebra gaits"}
        assert texts.texts("year", [3]) == {}  # not a text field
        with sqlite3.connect(folder / "library.db") as conn:  # a row damaged by hand
            conn.execute("UPDATE papers SET authors = '[broken' WHERE id = 3")
        assert texts.texts("authors", [3]) == {3: ""}
        assert lib.index.rebuild() == 5  # the paper is still indexed, without authors
        assert lib.ids("zebra") == [3] and lib.ids("quill") == [1]


def test_a_phrase_in_a_trashed_paper_is_checked_against_its_text(folder):
    """`"robot arm control"`: paper 4 has "robot arm" and "arm control", but apart."""
    with Library.open(folder, backup=False) as lib:
        lib.trash([4])
        assert lib.ids('"robot arm"', view="trash") == [4]
        assert lib.ids('"arm control"', view="trash") == [4]
        assert lib.ids('"robot arm control"', view="trash") == []
        assert lib.ids('"robot arm grasps"', view="trash") == [4]
        lib.add_tags([4], ["ml"])
        assert lib.ids("robot tag:ml", view="trash") == [4]
        lib.restore([4])
        assert lib.ids("robot", view="trash") == []
        with pytest.raises(QueryError):  # told the same way with the trash empty
            lib.ids("(robot", view="trash")


# -- the SQLite fallback -------------------------------------------------------------------

def test_the_fallback_is_exact_even_when_an_edit_left_the_text_table_behind(folder):
    with Library.open(folder, backup=False) as lib:
        gen = lib.index.mirror.generation()
        with sqlite3.connect(folder / "library.db") as conn:  # the table's update will fail
            conn.execute("ALTER TABLE search_words RENAME TO search_words_away")
        lib.update(3, title="Zebra crossings")
        assert lib.index.mirror.generation() == gen
        with sqlite3.connect(folder / "library.db") as conn:
            conn.execute("ALTER TABLE search_words_away RENAME TO search_words")
        lib.index.ready = False
        assert lib.ids("crossings") == [3]
        assert lib.ids("zebra OR wombat") == [3, 5]  # the index's meaning, not plain words
        assert lib.ids("robots") == ROBOT  # stemmed as the index stems


def test_a_read_only_library_never_filled_matches_plain_words(folder):
    """No index and no text table (just upgraded, opened read-only): every word, anywhere."""
    with sqlite3.connect(folder / "library.db") as conn:
        conn.execute("UPDATE meta SET value = '-1' WHERE key = ?", [GENERATION_KEY])
    shutil.rmtree(folder / "index")
    with Library.open(folder, read_only=True, backup=False) as lib:
        assert lib.ids("robot") == ROBOT
        assert lib.ids("robot AND arm") == [4]
        assert lib.ids("quill zebra") == [3]  # authors and title
        assert lib.ids("robot OR zebra") == []  # every word must match: "OR" is no word
        assert lib.ids("NOT") == [] and lib.ids("@@") == []
