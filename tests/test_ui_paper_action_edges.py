"""The edges of the paper keys and dialogs: moving past the ends of the queue, Next up with
an empty queue or without a link, an Add tag answer of only commas, a cancelled Remove tag,
renaming or deleting a tag while another view is shown, notes typed just before moving on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from paperdeck.core.models import Draft
from ui_helpers import (
    QT_LOG_IGNORE_DIALOGS,
    activate,
    click_button,
    close_window,
    open_window,
    press,
    right_click_row,
    select_rows,
    type_and_enter,
    wait_idle,
    when_modal,
    when_popup,
)

pytestmark = QT_LOG_IGNORE_DIALOGS


@pytest.fixture
def ids(lib):
    ids = lib.add([Draft(title=t) for t in ("First", "Middle", "Last")], raw_text="x", fmt="test")
    lib.add_tags(ids[:2], ["robotics"])
    return ids


@pytest.fixture
def win(qtbot, lib, ids, tmp_path):
    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    activate(qtbot, window)
    yield window
    close_window(qtbot, window)


def pick(win, row: int) -> None:
    select_rows(win, [row])
    win.list.setFocus()


@pytest.mark.parametrize(("row", "keys"), [(0, "Ctrl+Up"), (2, "Ctrl+Down")])
def test_moving_past_an_end_of_the_queue_changes_nothing(qtbot, win, ids, row, keys):
    pick(win, row)
    press(qtbot, win.list, keys)
    wait_idle(qtbot, win)
    assert win.lib.ids(view="queue") == ids and win.model.ids() == ids
    assert win.lib.undo_label() == "tag 'robotics' on 2 papers"  # no move was recorded


def test_next_up_with_nothing_queued_says_so(qtbot, win, ids):
    win.lib.set_status(ids, "read")
    win.show_view("all")
    wait_idle(qtbot, win)
    pick(win, 0)
    press(qtbot, win.list, "Ctrl+Shift+N")
    wait_idle(qtbot, win)
    assert win.statusBar().currentMessage() == "Nothing is queued: your reading queue is empty."
    assert win.view == "all"


def test_next_up_without_a_link_selects_it_and_says_there_is_nothing_to_open(qtbot, win, ids):
    pick(win, 2)
    press(qtbot, win.list, "Ctrl+Shift+N")
    wait_idle(qtbot, win)
    assert win.selected_ids() == [ids[0]]
    assert win.statusBar().currentMessage() == "Next up has no web link to open."


def test_an_add_tag_answer_of_only_commas_adds_nothing(qtbot, win, ids):
    pick(win, 2)
    asked = when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, " , ,"))
    press(qtbot, win.list, "Ctrl+T")
    wait_idle(qtbot, win)
    assert asked == ["Add tag"] and win.lib.get(ids[2]).tags == []


def test_a_cancelled_remove_tag_keeps_the_tags(qtbot, win, ids):
    pick(win, 0)
    asked = when_modal(QInputDialog, lambda d: qtbot.keyClick(d, Qt.Key.Key_Escape))
    press(qtbot, win.list, "Ctrl+Shift+T")
    wait_idle(qtbot, win)
    assert asked == ["Remove tag"] and win.lib.get(ids[0]).tags == ["robotics"]


def test_renaming_a_tag_from_the_queue_stays_in_the_queue(qtbot, win, ids):
    assert win.view == "queue"
    when_popup(qtbot, "Rename")
    when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, "Robots"))
    right_click_row(qtbot, win, "tag", "robotics")
    wait_idle(qtbot, win)
    assert dict(win.lib.tags()) == {"Robots": 2}
    assert (win.view, win.tag) == ("queue", "") and win.sidebar.current() == ("view", "queue")


def test_deleting_a_tag_from_all_papers_stays_there(qtbot, win, ids):
    win.show_view("all")
    wait_idle(qtbot, win)
    when_popup(qtbot, "Delete")
    when_modal(QMessageBox, lambda box: click_button(qtbot, box, QMessageBox.StandardButton.Yes))
    right_click_row(qtbot, win, "tag", "robotics")
    wait_idle(qtbot, win)
    assert win.lib.tags() == []
    assert win.sidebar.current() == ("view", "all") and win.model.rowCount() == 3


def test_notes_typed_just_before_moving_to_the_next_card_are_kept(qtbot, win, ids):
    pick(win, 0)
    notes = win.detail.notes
    qtbot.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(notes, "Read it again")
    assert win.detail._notes_timer.isActive()  # not saved yet
    win.list.setFocus()
    qtbot.keyClick(win.list, Qt.Key.Key_Down)  # at once to the next card
    assert win.detail.paper.id == ids[1]
    wait_idle(qtbot, win)
    assert win.lib.get(ids[0]).notes == "Read it again"
    assert win.lib.get(ids[1]).notes == ""
