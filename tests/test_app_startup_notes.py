"""What the window says as it starts (`app.start_upkeep`, `app.start_index`): a backup that
could not be made, and a search index rebuilt while the user is already searching."""

from __future__ import annotations

import shutil

from paperdeck.app import build_main_window
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from ui_helpers import QT_LOG_IGNORE, close_window, settings_at, wait_idle

pytestmark = QT_LOG_IGNORE
TITLES = ("Robot grasping", "Sparse robots", "Quiet models")


def a_library(folder) -> None:
    lib = Library.open(folder)
    try:
        lib.add([Draft(title=t) for t in TITLES], raw_text="x", fmt="test")
    finally:
        lib.close()


def show(qtbot, lib, tmp_path):
    win = build_main_window(lib, settings_at(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.show()
    return win


def test_a_backup_that_cannot_be_made_is_said_in_the_status_bar(qtbot, tmp_path):
    """The window opens the library without the backup (run_gui does), then makes it on the
    worker; a file where the backups folder belongs makes it fail, and the window says so."""
    folder = tmp_path / "library"
    a_library(folder)
    shutil.rmtree(folder / "backups", ignore_errors=True)
    (folder / "backups").write_text("not a folder", encoding="utf-8")
    lib = Library.open(folder, sync_index=False, backup=False)
    try:
        assert lib.notes == []
        win = show(qtbot, lib, tmp_path)
        wait_idle(qtbot, win)
        message = win.statusBar().currentMessage()
        assert message.startswith("Today's automatic backup could not be made: ")
        assert lib.notes == [message]
        close_window(qtbot, win)
    finally:
        lib.close()


def test_what_opening_found_is_said_as_soon_as_the_window_is_up(qtbot, tmp_path):
    folder = tmp_path / "library"
    a_library(folder)
    shutil.rmtree(folder / "backups", ignore_errors=True)
    (folder / "backups").write_text("not a folder", encoding="utf-8")
    lib = Library.open(folder)  # the backup is tried while opening, and fails
    try:
        [note] = lib.notes
        win = build_main_window(lib, settings_at(tmp_path / "s.ini"))
        qtbot.addWidget(win)
        assert win.statusBar().currentMessage() == note  # before any worker has run
        wait_idle(qtbot, win)
        close_window(qtbot, win)
    finally:
        lib.close()


def test_a_search_typed_while_the_index_is_rebuilt_is_run_again_ranked(qtbot, tmp_path):
    folder = tmp_path / "library"
    a_library(folder)
    shutil.rmtree(folder / "index")  # lost: the window rebuilds it after the first cards
    lib = Library.open(folder, sync_index=False, backup=False)
    try:
        assert not lib.index.ready
        win = show(qtbot, lib, tmp_path)
        win.search.set_query("robots")  # typed before the index is back
        assert win.busy_label.text() == ""
        with qtbot.waitSignal(win.cards_shown, timeout=30000):
            pass
        assert win.busy_label.text() == "Preparing search… (results are unranked until it is ready)"
        with qtbot.waitSignal(win.search_applied, timeout=30000, raising=True) as again:
            qtbot.waitUntil(lambda: lib.index.ready, timeout=30000)
        wait_idle(qtbot, win)
        assert lib.index.ready and win.busy_label.text() == ""
        assert again.args == [2]  # the search ran again once the index was ready
        assert win.statusBar().currentMessage() == "Search index ready."
        assert sorted(win.model.paper_at(r).title for r in range(2)) == ["Robot grasping", "Sparse robots"]
        close_window(qtbot, win)
    finally:
        lib.close()
