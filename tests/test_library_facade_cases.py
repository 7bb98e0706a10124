"""The `Library` façade (core/library.py) on a real folder: opening and what it tells the
user, undo/redo and its limits, listeners, the background catch-up, a library replaced
under an open window, emptying the trash."""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from paperdeck.core import backup as backups
from paperdeck.core.edits import Change, Edit
from paperdeck.core.errors import InputError, LibraryCorrupt, LibraryReplaced
from paperdeck.core.library import UNDO_LIMIT, Library
from paperdeck.core.models import Draft


@pytest.fixture
def lib(data_dir):
    library = Library.open(data_dir, backup=False)
    yield library
    library.close()


def add(lib: Library, *titles: str) -> list[int]:
    return lib.add([Draft(title=t) for t in titles], raw_text="pasted", fmt="test")


def tag_edit(pid: int, name: str) -> Edit:
    """An edit that touches no indexed text (tags are answered by SQLite)."""
    return Edit(label=f"tag {name}", links_added=[(pid, name)])


# -- opening -----------------------------------------------------------------------------

def test_a_missing_index_is_rebuilt_and_said_so_only_when_there_are_papers(tmp_path):
    empty, full = tmp_path / "empty", tmp_path / "full"
    with Library.open(empty, backup=False) as lib:
        assert lib.notes == [] and lib.index.ready
    with Library.open(full, backup=False) as lib:
        add(lib, "Robots in the snow")
    for folder in (empty, full):
        for f in (folder / "index").iterdir():
            f.unlink()
    with Library.open(empty, backup=False) as lib:
        assert lib.notes == []  # nothing was lost: no need to say anything
    with Library.open(full, backup=False) as lib:
        assert lib.notes == ["The search index was missing, damaged or out of date; "
                             "it was rebuilt from the library."]
        assert lib.index.ready and lib.ids("snow") == [1]
    with Library.open(full, backup=False) as lib:  # now current: quiet again
        assert lib.notes == []


def test_an_index_that_cannot_be_rebuilt_is_a_note_and_search_still_works(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        add(lib, "Robots in the snow", "Gardens")
    for f in (folder / "index").iterdir():
        f.unlink()
    (folder / "index.new").write_text("a file where the new index is built")  # cannot be built
    with Library.open(folder, backup=False) as lib:
        assert lib.notes == ["The search index could not be rebuilt (is the disk full?). "
                             "Search still works, more slowly, until it can be."]
        assert not lib.index.ready
        assert lib.ids("snow") == [1]


def test_without_sync_the_index_is_left_for_later(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        add(lib, "Robots")
    with Library.open(folder, sync_index=False, backup=False) as lib:
        assert not lib.index.ready and lib.notes == []
        assert lib.ids("robots") == [1]  # answered from SQLite


def test_the_daily_backup_is_made_at_open_only_when_asked_and_there_are_papers(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        assert backups.list_backups(folder) == []  # an empty library: nothing to keep
        add(lib, "Worth keeping")
    with Library.open(folder, backup=False):
        assert backups.list_backups(folder) == []
    with Library.open(folder):
        assert len(backups.list_backups(folder)) == 1
    with Library.open(folder):  # not due again the same day
        assert len(backups.list_backups(folder)) == 1


def test_a_library_opened_by_the_constructor_can_be_written(tmp_path):
    with Library(tmp_path / "lib") as lib:
        assert not lib.store.read_only and lib.notes == []
        add(lib, "Written directly")
        assert lib.counts()["all"] == 1


def _corrupt(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[:16] = b"garbage garbage!"  # no SQLite header
    db.write_bytes(bytes(data))


def test_a_damaged_library_names_the_newest_good_backup(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        add(lib, "Precious")
        older = lib.backup()
        newer = lib.backup()
    # a copy of a damaged library made a second after the newest: never offered
    stamp = datetime.strptime(newer.name[len("library-"):-len(".db")], "%Y%m%d-%H%M%S-%f")
    damaged = newer.with_name(f"library-{stamp + timedelta(seconds=1):%Y%m%d-%H%M%S-%f}-damaged.db")
    damaged.write_bytes(older.read_bytes())
    assert backups.list_backups(folder)[-1] == damaged
    _corrupt(folder / "library.db")
    with pytest.raises(LibraryCorrupt) as info:
        Library.open(folder)
    message = str(info.value)
    assert f" The newest backup is {newer} (" in message and str(older) not in message
    assert str(damaged) not in message
    assert re.search(r"\(\d{4}-\d\d-\d\d \d\d:\d\d\)\.$", message)


def test_a_damaged_library_without_backups_says_there_are_none(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        add(lib, "Unprotected")
    _corrupt(folder / "library.db")
    with pytest.raises(LibraryCorrupt, match=r" There are no backups\.$"):
        Library.open(folder)


def test_damage_found_by_the_daily_backup_fails_the_open_and_names_the_good_backup(tmp_path):
    """Damage deep in a table passes the quick probe at open; the backup's integrity check
    finds it: the open fails (closed, nothing copied) and the last good backup is named."""
    from damage import checkpoint, scribble_leaf

    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        lib.add([Draft(title=f"Paper {i} " + "words " * 20) for i in range(400)],
                raw_text="x", fmt="t")
        good = lib.backup()
    good = good.rename(good.with_name("library-20200101-000000-000000.db"))  # a day old and more
    checkpoint(folder / "library.db")
    scribble_leaf(folder / "library.db")
    with pytest.raises(LibraryCorrupt) as info:
        Library.open(folder)
    assert "damaged" in str(info.value) and f" The newest backup is {good} (2020-01-01 " in str(info.value)
    assert _open_files_under(folder) == []  # the failed open closed what it had opened
    assert backups.list_backups(folder) == [good]


# -- parsing and importing text ----------------------------------------------------------

def test_unreadable_characters_are_pointed_out(lib):
    text = "Papers:\narXiv:2401.00001\nBroken \ufffd\ufffd title\narXiv:2401.00002\n"
    result = lib.parse(text)
    assert len(result.drafts) == 2
    assert result.message.startswith("2 unreadable characters (shown as \ufffd)")
    assert lib.parse("arXiv:2401.00001\n").message == ""
    report = lib.import_text(text, dry_run=True)
    assert report.message == result.message


def test_text_with_no_papers_is_refused_with_the_reason(lib):
    with pytest.raises(InputError, match="^No papers recognised: the text did not match any known"):
        lib.import_text("just a sentence about nothing much")
    with pytest.raises(InputError, match="^No papers recognised: the text is empty"):
        lib.import_text("   ")
    assert lib.counts()["all"] == 0


def test_import_text_skips_duplicates_but_imports_look_alikes(lib):
    """The CLI import skips only sure duplicates; a merely similar title is imported (the
    window's preview is where the user decides about look-alikes)."""
    [pid] = add(lib, "Chain of Thought Prompting Elicits Reasoning in Large Language Models")
    report = lib.import_text(
        "@misc{k1, title={Chain-of-Thought Prompting Elicits Reasoning in Large Language Model}}\n"
        "@misc{k2, title={chain of thought prompting elicits reasoning in large language models}}\n",
        source="clip", tags=["cot"], fmt="bibtex")
    assert (report.found, report.imported, report.duplicates) == (2, 1, 1)
    assert [(i.verdict, i.match_id, i.reason) for i in report.skipped] == [("duplicate", pid, "same title")]
    [new] = lib.papers(report.ids)
    assert new.title == "Chain-of-Thought Prompting Elicits Reasoning in Large Language Model"
    assert new.tags == ["cot"]
    assert lib.imports()[0]["source"] == "clip" and lib.imports()[0]["found"] == 2
    assert lib.imports()[0]["format"] == "bibtex"


def test_a_dry_run_reports_and_writes_nothing(lib):
    report = lib.import_text("arXiv:2401.00001\narXiv:2401.00002\n", dry_run=True)
    assert (report.found, report.imported, report.duplicates, report.ids) == (2, 2, 0, [])
    assert lib.counts()["all"] == 0 and lib.imports() == [] and lib.undo_label() is None


def test_broken_library_entries_are_reported_with_the_import(lib):
    report = lib.import_text('[{"id": "a", "type": "article-journal", "title": "Fine entry", '
                             '"issued": {"date-parts": [[2020]]}}, "oops"]')
    assert (report.format, report.imported) == ("csl-json", 1)
    assert report.broken == ["item 2: not an item record"]


# -- edits, undo and redo ----------------------------------------------------------------

def test_undo_keeps_the_last_200_edits(tmp_path):
    with Library.open(tmp_path / "lib", sync_index=False, backup=False) as lib:  # no index: quick
        _undo_keeps_the_last_200_edits(lib)


def _undo_keeps_the_last_200_edits(lib: Library) -> None:
    [pid] = add(lib, "Much edited")
    for i in range(UNDO_LIMIT):  # the import and 200 more: the import falls off
        # edits of a paper that is not there: recorded, but each writes nothing (quick)
        lib.apply(Edit(label=f"edit {i}", updates={pid + 1: ({"notes": ""}, {"notes": f"{i}"})}))
    undone = 0
    while lib.undo() is not None:
        undone += 1
    assert undone == UNDO_LIMIT == 200
    assert lib.counts()["all"] == 1 and lib.redo_label() == "edit 0"


def test_undo_and_redo_walk_the_history_in_order(lib):
    assert lib.undo() is None and lib.redo() is None
    assert (lib.undo_label(), lib.redo_label()) == (None, None)
    [pid] = add(lib, "Walked")
    lib.apply(tag_edit(pid, "a"))
    lib.apply(tag_edit(pid, "b"))
    change = lib.undo()
    assert change is not None and change.label == "tag b" and change.tags
    assert lib.get(pid).tags == ["a"]
    assert (lib.undo_label(), lib.redo_label()) == ("tag a", "tag b")
    lib.undo()
    assert lib.get(pid).tags == [] and lib.redo_label() == "tag a"
    assert lib.redo().label == "tag a"
    assert lib.get(pid).tags == ["a"] and lib.redo_label() == "tag b"
    lib.apply(tag_edit(pid, "c"))  # a new edit: what was undone cannot be redone any more
    assert lib.redo() is None and lib.redo_label() is None
    assert sorted(lib.get(pid).tags) == ["a", "c"]


def test_an_unrecorded_edit_is_applied_but_not_undoable(lib):
    [pid] = add(lib, "Quiet")
    lib.apply(tag_edit(pid, "kept"), record=False)
    assert lib.get(pid).tags == ["kept"] and lib.undo_label() == "import 1 paper"


def test_an_empty_edit_changes_nothing_yet_is_announced(lib):
    heard: list[Change] = []
    [pid] = add(lib, "Unchanged")
    gen = lib.store.generation()
    lib.subscribe(heard.append)
    change = lib.apply(Edit(label="nothing"))
    assert change.label == "nothing" and heard == [change]
    assert lib.store.generation() == gen and lib.undo_label() == "import 1 paper"
    assert lib.get(pid).tags == []


def _a_broken_listener_then_a_good_one(lib) -> tuple[list[str], Callable[[Change], None]]:
    """Subscribe a listener that raises, then one that records labels; return both."""
    heard: list[str] = []

    def broken(change: Change) -> None:
        raise RuntimeError("a screen's bug")

    lib.subscribe(broken)
    lib.subscribe(lambda c: heard.append(c.label))
    return heard, broken


def test_listeners_that_fail_are_logged_and_the_others_still_hear(lib, caplog):
    heard, broken = _a_broken_listener_then_a_good_one(lib)
    with caplog.at_level(logging.ERROR, logger="paperdeck.core.library"):
        add(lib, "Still saved")
    assert heard == ["import 1 paper"] and lib.counts()["all"] == 1
    assert "change listener failed" in caplog.text
    lib.unsubscribe(broken)
    lib.unsubscribe(broken)  # a second time is harmless
    lib.set_status([1], "read")
    assert heard == ["import 1 paper", "mark 1 paper read"]


def test_move_step_swaps_with_the_queue_neighbour(lib):
    a, b, c = add(lib, "A", "B", "C")
    assert lib.move_step(a, -1) is None  # already first
    assert lib.move_step(c, +1) is None  # already last
    lib.move_step(b, -1)
    assert lib.ids(view="queue") == [b, a, c]
    lib.move_step(b, +1)
    assert lib.ids(view="queue") == [a, b, c]
    lib.move_step(a, +1)
    assert lib.ids(view="queue") == [b, a, c]


def test_update_edits_the_one_paper_named(lib):
    a, b = add(lib, "First", "Second")
    lib.update(b, notes="only mine")
    assert (lib.get(a).notes, lib.get(b).notes) == ("", "only mine")


# -- the index off the caller's thread ---------------------------------------------------

class Runner:
    """The window's background runner: here each job runs on a thread of its own."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def __call__(self, fn) -> None:
        self.threads.append(threading.Thread(target=fn))
        self.threads[-1].start()

    def join(self) -> None:
        for t in self.threads:
            t.join(timeout=60)


def test_only_edits_of_more_than_20_papers_text_go_to_the_background(lib):
    ids = add(lib, *[f"Paper {i}" for i in range(41)])
    runner = Runner()
    lib.background = runner
    lib.trash(ids[:20])  # exactly 20: indexed at once
    assert runner.threads == [] and lib.index.current()
    lib.trash(ids[20:])  # 21
    assert len(runner.threads) == 1
    runner.join()
    assert not lib.index_catching_up() and lib.index.current()
    assert lib.ids("paper") == [] and lib.check() == []


def test_a_background_catch_up_gives_up_while_the_index_is_locked_elsewhere(lib, monkeypatch, caplog):
    """Another writer holds the Whoosh lock: five tries, then the edit is left for the
    next edit or open to index; nothing is lost and the library is not stuck 'catching up'.
    (A writer waits 0.05 s for the lock here instead of seconds.)"""
    from whoosh import index

    from paperdeck.core import search

    monkeypatch.setattr(search, "WRITER_TIMEOUT_S", 0.05)
    ids = add(lib, *[f"Robot {i}" for i in range(21)])
    lib.background = lambda fn: fn()  # run at once, on this thread
    blocker = index.open_dir(str(lib.folder / "index")).writer()
    try:
        with caplog.at_level(logging.WARNING, logger="paperdeck.core.indexing"):
            lib.trash(ids)
        assert not lib.index_catching_up()
        assert not lib.index.current()
    finally:
        blocker.cancel()
    tries = [r for r in caplog.records if r.getMessage().startswith("search index not updated")]
    assert len(tries) == 5
    lib.set_status([ids[0]], "read")  # a small edit catches the index up
    assert lib.index.current() and lib.ids("robot") == []


def test_an_edit_made_while_catching_up_joins_that_catch_up(lib):
    ids = add(lib, *[f"Walker {i}" for i in range(21)])
    jobs: list = []
    lib.background = jobs.append  # held: the catch-up has not run yet
    lib.trash(ids)
    assert len(jobs) == 1 and lib.index_catching_up()
    lib.update(ids[0], title="Walker zebra")  # joins: neither indexed now nor a second job
    assert len(jobs) == 1 and not lib.index.current()
    assert lib.ids("walker") == []  # a search meanwhile leaves the work to that catch-up
    assert not lib.index.current()
    jobs[0]()
    assert not lib.index_catching_up() and lib.index.current()
    assert lib.ids("zebra") == [] and lib.ids("zebra", view="trash") == [ids[0]]


# -- a library replaced under an open window ---------------------------------------------

def test_a_restore_elsewhere_clears_history_and_tells_listeners(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as window, Library.open(folder, backup=False) as other:
        a, b = add(window, "Before the backup", "Also before")
        saved = other.backup()
        add(window, "After the backup")
        window.apply(tag_edit(a, "mine"))
        heard: list[Change] = []
        window.subscribe(heard.append)
        assert window.check_replaced() is False and heard == []
        other.restore_backup(saved)
        with pytest.raises(LibraryReplaced, match="the undo history, which belonged to the old one, "
                                                  "was cleared"):
            window.undo()
        assert window.undo_label() is None and window.redo_label() is None
        assert heard[-1] == Change("the library was replaced", frozenset({a, b}),
                                   inserted=True, tags=True, order=True)
        assert window.check_replaced() is False  # adopted: once is enough
        assert window.index.ready and window.ids("backup") == [a]
        window.apply(tag_edit(a, "after"))  # the window goes on with the library as it is
        assert window.get(a).tags == ["after"]


def test_check_replaced_notices_a_restore_and_rebuilds_the_index_aside(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as window, Library.open(folder, backup=False) as other:
        [a] = add(window, "Kept paper")
        saved = other.backup()
        add(window, "Lost paper")
        other.restore_backup(saved)
        jobs: list = []
        window.background = jobs.append
        heard: list[Change] = []
        window.subscribe(heard.append)
        assert window.check_replaced() is True
        assert len(jobs) == 1 and not window.index.ready  # searched from SQLite meanwhile
        assert heard[-1].paper_ids == frozenset({a})
        assert window.ids("paper") == [a]
        jobs[0]()
        assert window.index.ready and window.ids("paper") == [a]


def test_a_window_that_never_searched_leaves_the_index_be(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as other:
        add(other, "Something")
        saved = other.backup()
        with Library.open(folder, sync_index=False, backup=False) as cli:
            other.restore_backup(saved)
            jobs: list = []
            cli.background = jobs.append
            assert cli.check_replaced() is True
            assert jobs == [] and not cli.index.ready


# -- the trash, emptied for good ---------------------------------------------------------

def test_emptying_the_trash_drops_only_history_that_names_the_deleted(lib):
    keep, drop = add(lib, "Keep me", "Drop me")
    lib.apply(tag_edit(keep, "k1"))
    lib.apply(tag_edit(drop, "d1"))
    lib.apply(tag_edit(keep, "k2"))
    lib.apply(tag_edit(keep, "k3"))
    lib.undo()  # k3 waits on the redo side
    lib.trash([drop])
    assert lib.empty_trash() == 1
    assert lib.empty_trash() == 0
    assert lib.ids(view="all") == [keep] and lib.ids(view="trash") == []
    assert lib.tags() == [("k1", 1), ("k2", 1)]  # d1 went with its only paper
    labels = []
    while (label := lib.undo_label()) is not None:
        labels.append(label)
        lib.undo()
    assert labels == ["tag k2", "tag k1"]  # the import and d1 named the deleted paper
    assert lib.get(keep).tags == []
    assert lib.check() == []


def test_each_operation_is_applied_announced_and_undoable(lib):
    a, b = add(lib, "Alpha", "Beta")
    steps = [
        (lambda: lib.set_status([a], "reading"), lambda: lib.get(a).status == "reading"),
        (lambda: lib.add_tags([a, b], ["x", "y"]), lambda: lib.tags() == [("x", 2), ("y", 2)]),
        (lambda: lib.remove_tags([b], ["y"]), lambda: lib.tags() == [("x", 2), ("y", 1)]),
        (lambda: lib.rename_tag("x", "z"), lambda: lib.tags() == [("y", 1), ("z", 2)]),
        (lambda: lib.delete_tag("y"), lambda: lib.tags() == [("z", 2)]),
        (lambda: lib.set_priority([b], 2), lambda: lib.get(b).priority == 2),
        (lambda: lib.move([b], to="top"), lambda: lib.ids(view="queue") == [b, a]),
        (lambda: lib.update(a, title="Alpha renamed"), lambda: lib.ids("renamed") == [a]),
        (lambda: lib.trash([a]), lambda: lib.ids(view="all") == [b]),
        (lambda: lib.restore([a]), lambda: sorted(lib.ids(view="all")) == [a, b]),
    ]
    for act, done in steps:
        change = act()
        assert isinstance(change, Change) and change.label == lib.undo_label() and done()
    for _ in steps:
        lib.undo()
    assert lib.tags() == [] and lib.ids(view="queue") == [a, b] and lib.get(a).title == "Alpha"


def test_linked_files_follow_the_edits_that_touch_them(lib, tmp_path):
    target = tmp_path / "reading.bib"
    a, b = add(lib, "Linked paper", "Other paper")
    lib.add_tags([a], ["keep"])
    lib.autoexports.add(target, tag="keep")
    assert target.read_text().count("@") == 1
    lib.add_tags([b], ["keep"])
    assert target.read_text().count("@") == 2 and "Other paper" in target.read_text()


def test_a_read_only_window_never_rewrites_linked_files(tmp_path):
    """Told that the library was replaced, a read-only window reloads but writes nothing:
    a linked file is for the windows that can write to keep (here the user deleted it)."""
    folder, target = tmp_path / "lib", tmp_path / "reading.bib"
    with Library.open(folder, backup=False) as writer:
        add(writer, "First paper", "Second paper")
        writer.autoexports.add(target)
        saved = writer.backup()
        with Library.open(folder, read_only=True, backup=False) as ro:
            writer.restore_backup(saved)
            assert target.read_text().count("@") == 2
            target.unlink()
            assert ro.check_replaced() is True
            assert not target.exists()


def test_a_read_only_library_without_its_index_is_searched_quietly(tmp_path):
    """Read-only, the index cannot be rebuilt: SQLite answers, and no note is added (the
    index note would only repeat that nothing can be written)."""
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        add(lib, "Robots in the snow")
    for f in (folder / "index").iterdir():
        f.unlink()
    with Library.open(folder, read_only=True) as ro:
        assert ro.notes == [] and not ro.index.ready
        assert ro.ids("snow") == [1]


def _open_files_under(folder: Path) -> list[str]:
    """Files this process holds open inside `folder` (Linux: /proc/self/fd)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)):
            held.append(target)
    return held


def test_closing_a_library_lets_go_of_every_file(tmp_path):
    """So the disk it is on can be unmounted, or the folder moved, once the window closes."""
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        add(lib, "Robots in the snow")
        assert lib.ids("snow") == [1]  # the searcher is open now
        assert _open_files_under(folder)
    assert _open_files_under(folder) == []


def test_an_unsubscribed_listener_hears_nothing_more(lib):
    heard: list[str] = []
    lib.subscribe(heard.append)
    lib.unsubscribe(heard.append)  # bound methods compare equal: this is the same listener
    lib.unsubscribe(heard.append)  # and a second time is no error
    add(lib, "Unheard")
    assert heard == []


def test_a_library_replaced_elsewhere_leaves_nothing_to_redo_either(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as window, Library.open(folder, backup=False) as other:
        [a] = add(window, "Edited")
        saved = other.backup()
        window.apply(tag_edit(a, "one"))
        window.apply(tag_edit(a, "two"))
        window.undo()
        assert (window.undo_label(), window.redo_label()) == ("tag one", "tag two")
        other.restore_backup(saved)
        assert window.check_replaced() is True
        assert (window.undo_label(), window.redo_label()) == (None, None)
        assert window.redo() is None and window.get(a).tags == []


def test_a_listener_failing_on_a_restore_is_logged_and_the_restore_stands(lib, caplog):
    [a] = add(lib, "Kept by the backup")
    saved = lib.backup()
    add(lib, "Gone after the restore")
    heard, broken = _a_broken_listener_then_a_good_one(lib)
    with caplog.at_level(logging.ERROR, logger="paperdeck.core.library"):
        lib.restore_backup(saved)
    assert "change listener failed" in caplog.text and heard == ["restore a backup"]
    assert lib.ids(view="all") == [a]


def test_a_background_catch_up_ends_as_soon_as_the_index_is_current(lib):
    """One catch-up, then done: not five more rounds of 0.2 s pauses (at least a second)
    with the library still saying it is catching up."""
    import time

    ids = add(lib, *[f"Runner {i}" for i in range(21)])
    jobs: list = []
    lib.background = jobs.append
    lib.trash(ids)
    started = time.monotonic()
    jobs[0]()
    assert time.monotonic() - started < 1.0
    assert not lib.index_catching_up() and lib.index.current()


def test_emptying_the_trash_drops_redo_entries_that_name_the_deleted(lib):
    keep, drop = add(lib, "Keep me", "Drop me")
    lib.trash([drop])
    lib.apply(tag_edit(keep, "k"))
    lib.apply(tag_edit(drop, "d"))  # tagging a paper in the trash
    lib.undo()
    lib.undo()
    assert lib.redo_label() == "tag k"
    assert lib.empty_trash() == 1
    assert lib.index.current()  # the deleted paper is out of the index at once
    assert lib.redo_label() == "tag k"  # names only the kept paper: still there
    lib.redo()
    assert lib.redo_label() is None and lib.get(keep).tags == ["k"]
