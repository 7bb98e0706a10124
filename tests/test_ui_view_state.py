"""Which view, order and card the window shows after what a user does: an import while a
tag and a search are shown, a relaunch on a tag (and on a tag deleted meanwhile), Relevance
chosen with no search, Down from a search that found nothing, an edit while the statistics
page is up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from ui_helpers import (
    QT_LOG_IGNORE_DIALOGS,
    activate,
    close_window,
    open_window,
    press,
    select_rows,
    wait_idle,
)

pytestmark = QT_LOG_IGNORE_DIALOGS
NEW_BIB = """@article{hopper1952,
  title = {The Education of a Computer},
  author = {Hopper, Grace},
  year = {1952},
}
"""


@pytest.fixture
def ids(lib):
    ids = lib.add([Draft(title=t) for t in ("Robot grasping", "Sparse robots", "Quiet models")],
                  raw_text="x", fmt="test")
    lib.add_tags(ids[:2], ["robotics"])
    return ids


def type_search(qtbot, win, text: str) -> None:
    activate(qtbot, win, win.search)
    win.search.selectAll()
    qtbot.keyClicks(win.search, text)
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    wait_idle(qtbot, win)


def test_an_import_during_a_search_in_a_tag_shows_the_new_paper_in_the_queue(qtbot, lib, ids, tmp_path):
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    win.filter_by_tag("robotics")
    wait_idle(qtbot, win)
    type_search(qtbot, win, "sparse")
    assert win.sort.currentData() == "relevance" and win.model.rowCount() == 1
    QGuiApplication.clipboard().setText(NEW_BIB)
    activate(qtbot, win)
    press(qtbot, win.list, "Ctrl+V")
    qtbot.waitUntil(lambda: win.importer.dialog is not None and bool(win.importer.dialog.items),
                    timeout=30000)
    win.importer.dialog.import_button.click()
    wait_idle(qtbot, win)
    new = win.lib.ids(view="all")[-1]
    assert win.lib.get(new).title == "The Education of a Computer"
    assert (win.view, win.tag, win.search.text()) == ("queue", "", "")
    assert win.sidebar.current() == ("view", "queue")
    assert win.sort.currentData() == "queue"  # the order from before the search
    assert win.selected_ids() == [new] and win.model.rowCount() == 4
    close_window(qtbot, win)


def test_a_relaunch_comes_back_to_the_tag_shown_at_closing(qtbot, lib, ids, tmp_path):
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    win.filter_by_tag("robotics")
    wait_idle(qtbot, win)
    close_window(qtbot, win)
    again = open_window(qtbot, lib, tmp_path / "s.ini")
    assert (again.view, again.tag) == ("all", "robotics")
    assert again.sidebar.current() == ("tag", "robotics") and sorted(again.model.ids()) == ids[:2]
    close_window(qtbot, again)


def test_a_relaunch_on_a_tag_deleted_meanwhile_opens_the_queue(qtbot, lib, data_dir, ids, tmp_path):
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    win.filter_by_tag("robotics")
    wait_idle(qtbot, win)
    close_window(qtbot, win)
    lib.delete_tag("robotics")  # say, `paperdeck tag --delete` in a terminal
    again = open_window(qtbot, lib, tmp_path / "s.ini")
    assert (again.view, again.tag) == ("queue", "")
    assert again.sidebar.current() == ("view", "queue") and again.model.rowCount() == 3
    close_window(qtbot, again)


def test_relevance_chosen_without_a_search_falls_back_to_the_queue_order(qtbot, lib, ids, tmp_path):
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    activate(qtbot, win, win.sort)
    assert win.sort.itemData(win.sort.currentIndex() + 1) == "relevance"
    qtbot.keyClick(win.sort, Qt.Key.Key_Down)  # Queue order → Relevance
    wait_idle(qtbot, win)
    assert win.sort.currentData() == "queue"  # with no search there is no relevance
    assert win.model.ids() == lib.ids(view="queue")
    close_window(qtbot, win)


def test_down_from_a_search_that_found_nothing_stays_in_the_search_box(qtbot, lib, ids, tmp_path):
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    type_search(qtbot, win, "zebra")
    assert win.model.rowCount() == 0 and win.stack.currentWidget() is win.empty
    qtbot.keyClick(win.search, Qt.Key.Key_Down)
    assert win.search.hasFocus()
    close_window(qtbot, win)


def test_down_from_the_search_box_picks_the_first_card_when_none_is_current(qtbot, lib, ids, tmp_path):
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    assert not win.list.currentIndex().isValid()
    activate(qtbot, win, win.search)
    qtbot.keyClick(win.search, Qt.Key.Key_Down)
    assert win.list.hasFocus() and win.selected_ids() == [win.model.id_at(0)]
    close_window(qtbot, win)


def test_the_statistics_page_follows_an_edit(qtbot, lib, ids, tmp_path):
    from paperdeck.ui.sidebar import KindRole

    win = open_window(qtbot, lib, tmp_path / "s.ini")
    sidebar = win.sidebar
    row = next(sidebar.item(r) for r in range(sidebar.count()) if sidebar.item(r).data(KindRole) == "stats")
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualItemRect(row).center())
    wait_idle(qtbot, win)
    assert win.stack.currentWidget() is win.stats
    assert (win.stats.stats.queue_length, win.stats.stats.read_total) == (3, 0)
    lib.set_status(ids, "read")  # e.g. from a terminal: the window hears of it
    wait_idle(qtbot, win)
    assert win.stack.currentWidget() is win.stats
    assert (win.stats.stats.queue_length, win.stats.stats.read_total) == (0, 3)
    close_window(qtbot, win)


def test_a_library_opened_read_only_says_so_on_an_edit(qtbot, lib, data_dir, ids, tmp_path):
    lib.close()
    read_only = Library.open(data_dir, read_only=True)
    try:
        win = open_window(qtbot, read_only, tmp_path / "s.ini")
        activate(qtbot, win)
        select_rows(win, [0])
        press(qtbot, win.list, "Ctrl+3")
        wait_idle(qtbot, win)
        assert "read-only" in win.statusBar().currentMessage()
        assert read_only.get(ids[0]).status == "queued"
        close_window(qtbot, win)
    finally:
        read_only.close()
