"""The detail pane edited by typing (click, type, Enter; arrow keys in the combo boxes), and
the tag and trash questions answered in their dialogs: the sidebar's right-click menu, the
Edit menu, an input dialog typed into, a message box's button clicked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMenu, QMessageBox

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
def win(qtbot, lib, tmp_path):
    lib.add([Draft(title="Robot grasping", year=2019, authors=["Ada Lovelace"]),
             Draft(title="Sparse robots"), Draft(title="Quiet models")], raw_text="x", fmt="test")
    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    activate(qtbot, window)
    select_rows(window, [0])
    yield window
    close_window(qtbot, window)


def type_into(qtbot, field, text: str) -> None:
    """Click into a field, select what is there (Ctrl+A), type over it, press Enter."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    assert field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(field, text)
    else:
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def shown(win):
    return win.lib.get(win.detail.paper.id)


# -- the detail pane ------------------------------------------------------------------------
def test_metadata_fields_save_what_is_typed(qtbot, win):
    meta = win.detail.meta
    type_into(qtbot, meta["year"], "2023")
    type_into(qtbot, meta["authors"], "Ada Lovelace;  Alan Turing ;")
    type_into(qtbot, meta["doi"], "10.1000/xyz123")
    type_into(qtbot, meta["url"], "https://example.org/robots")
    type_into(qtbot, meta["arxiv_id"], "2401.01234")
    wait_idle(qtbot, win)
    paper = shown(win)
    assert (paper.year, paper.authors) == (2023, ["Ada Lovelace", "Alan Turing"])
    assert (paper.doi, paper.url, paper.arxiv_id) == ("10.1000/xyz123", "https://example.org/robots",
                                                      "2401.01234")
    type_into(qtbot, meta["year"], "")  # an emptied year is no year
    wait_idle(qtbot, win)
    assert shown(win).year is None


def test_a_year_that_is_not_a_number_is_refused_with_a_note(qtbot, win):
    before = win.lib.undo_label()
    type_into(qtbot, win.detail.meta["year"], "20x4")
    wait_idle(qtbot, win)
    assert win.statusBar().currentMessage() == "The year must be a number, like 2024."
    assert shown(win).year == 2019 and win.lib.undo_label() == before


def test_typing_the_same_value_again_makes_no_edit(qtbot, win):
    before = win.lib.undo_label()
    type_into(qtbot, win.detail.meta["year"], "2019")
    type_into(qtbot, win.detail.meta["authors"], "Ada Lovelace")
    type_into(qtbot, win.detail.meta["doi"], "")
    wait_idle(qtbot, win)
    assert win.lib.undo_label() == before == "import 3 papers"


def test_a_field_being_typed_in_is_not_overwritten_by_a_change(qtbot, win):
    doi = win.detail.meta["doi"]
    qtbot.mouseClick(doi, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(doi, "10.1000/half")
    win.lib.set_priority([win.detail.paper.id], 3)  # a change to this paper arrives meanwhile
    wait_idle(qtbot, win)
    assert win.detail.priority.currentIndex() == 3  # the pane did show the change
    assert doi.text() == "10.1000/half"
    qtbot.keyClicks(doi, "way")
    qtbot.keyClick(doi, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    assert shown(win).doi == "10.1000/halfway"


def test_tags_typed_with_enter_are_added(qtbot, win):
    field = win.detail.tag_input
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(field, "robotics, grasping ,")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    assert sorted(shown(win).tags) == ["grasping", "robotics"]
    assert field.text() == ""
    qtbot.keyClicks(field, " , ")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # nothing but commas: no tag
    wait_idle(qtbot, win)
    assert sorted(shown(win).tags) == ["grasping", "robotics"]


def test_priority_and_status_combos_follow_the_arrow_keys(qtbot, win):
    detail = win.detail
    detail.priority.setFocus()
    qtbot.keyClick(detail.priority, Qt.Key.Key_Down)
    qtbot.keyClick(detail.priority, Qt.Key.Key_Down)
    wait_idle(qtbot, win)
    assert shown(win).priority == 2 and detail.priority.currentText() == "Priority: Medium"
    qtbot.keyClick(detail.priority, Qt.Key.Key_Up)
    wait_idle(qtbot, win)
    assert shown(win).priority == 1
    detail.status.setFocus()
    qtbot.keyClick(detail.status, Qt.Key.Key_Down)
    wait_idle(qtbot, win)
    assert shown(win).status == "reading"
    assert win.sidebar.count_of("view", "reading") == 1


def test_notes_typed_are_saved_after_a_pause(qtbot, win):
    notes = win.detail.notes
    qtbot.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(notes, "Read section 3")
    qtbot.waitUntil(lambda: not win.detail._notes_timer.isActive(), timeout=5000)
    wait_idle(qtbot, win)
    assert shown(win).notes == "Read section 3"


def test_copy_bibtex_button_copies_the_shown_paper(qtbot, win):
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(win.detail.copy_bib, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)
    text = QGuiApplication.clipboard().text()
    assert text.startswith("@") and "Robot grasping" in text and shown(win).citekey in text
    assert win.statusBar().currentMessage() == "BibTeX copied to the clipboard."


def test_ctrl_a_on_the_cards_enables_the_paper_keys(qtbot, lib, tmp_path):
    """Opening shows nothing selected; focusing the list makes the first card current
    without selecting it; Ctrl+A then selects every card without moving the current one.
    The paper keys must follow the selection, not only the current card (they stayed
    disabled, so Ctrl+3 after Ctrl+A did nothing)."""
    ids = lib.add([Draft(title=t) for t in ("One", "Two", "Three")], raw_text="x", fmt="test")
    window = open_window(qtbot, lib, tmp_path / "fresh.ini")
    activate(qtbot, window)
    assert window.selected_ids() == [] and not window.actions_.status["read"].isEnabled()
    qtbot.keyClick(window.list, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.selected_ids() == ids
    press(qtbot, window.list, "Ctrl+3")
    wait_idle(qtbot, window)
    assert [p.status for p in lib.papers(ids)] == ["read"] * 3
    close_window(qtbot, window)


# -- the sidebar's tag menu and its dialogs -------------------------------------------------
def right_click_tag(qtbot, win, name: str) -> None:
    right_click_row(qtbot, win, "tag", name)


@pytest.fixture
def tagged(qtbot, win):
    ids = win.lib.ids(view="all")
    win.lib.add_tags(ids[:2], ["rl"])
    win.lib.add_tags(ids[2:], ["reinforcement learning"])
    wait_idle(qtbot, win)
    win.filter_by_tag("rl")
    wait_idle(qtbot, win)
    return ids


def test_renaming_a_tag_from_its_menu_renames_it_and_keeps_it_shown(qtbot, win, tagged):
    entries = when_popup(qtbot, "Rename")
    asked = when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, "RL"))
    right_click_tag(qtbot, win, "rl")
    wait_idle(qtbot, win)
    assert entries == ["Rename or merge 'rl'…", "Delete tag 'rl'"] and asked == ["Rename tag"]
    assert dict(win.lib.tags()) == {"RL": 2, "reinforcement learning": 1}
    assert win.sidebar.current() == ("tag", "RL") and win.model.rowCount() == 2


def test_renaming_onto_another_tag_merges_them(qtbot, win, tagged):
    when_popup(qtbot, "Rename")
    when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, "reinforcement learning"))
    right_click_tag(qtbot, win, "rl")
    wait_idle(qtbot, win)
    assert dict(win.lib.tags()) == {"reinforcement learning": 3}
    assert win.model.rowCount() == 3


def test_renaming_to_the_same_name_or_cancelling_changes_nothing(qtbot, win, tagged):
    when_popup(qtbot, "Rename")
    when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, "rl"))
    right_click_tag(qtbot, win, "rl")
    when_popup(qtbot, "Rename")
    when_modal(QInputDialog, lambda d: qtbot.keyClick(d.findChild(QLineEdit), Qt.Key.Key_Escape))
    right_click_tag(qtbot, win, "rl")
    wait_idle(qtbot, win)
    assert dict(win.lib.tags()) == {"rl": 2, "reinforcement learning": 1}
    assert not win.actions_.undo.text().startswith("&Undo rename")


def test_deleting_a_tag_asks_first(qtbot, win, tagged):
    when_popup(qtbot, "Delete")
    asked = when_modal(QMessageBox, lambda box: click_button(qtbot, box, QMessageBox.StandardButton.No))
    right_click_tag(qtbot, win, "rl")
    wait_idle(qtbot, win)
    assert asked == ["Delete tag"] and dict(win.lib.tags())["rl"] == 2
    when_popup(qtbot, "Delete")
    when_modal(QMessageBox, lambda box: click_button(qtbot, box, QMessageBox.StandardButton.Yes))
    right_click_tag(qtbot, win, "rl")
    wait_idle(qtbot, win)
    assert dict(win.lib.tags()) == {"reinforcement learning": 1}
    assert win.view == "all" and win.tag == "" and win.model.rowCount() == 3  # the tag's view is gone


def test_remove_tag_on_papers_without_tags_says_so(qtbot, win):
    win.list.setFocus()
    press(qtbot, win.list, "Ctrl+Shift+T")
    assert win.statusBar().currentMessage() == "The selected papers have no tags."


def test_cancelling_add_tag_adds_nothing(qtbot, win):
    asked = when_modal(QInputDialog, lambda d: d.reject())
    win.list.setFocus()
    press(qtbot, win.list, "Ctrl+T")
    wait_idle(qtbot, win)
    assert asked == ["Add tag"] and win.lib.tags() == []


# -- Edit → Empty trash… --------------------------------------------------------------------
def open_edit_menu_and_click(qtbot, win, entry: str) -> None:
    """Alt+E opens the Edit menu; the entry is clicked with the mouse. (The window is made
    active first: the offscreen platform does not hand activation back after a dialog.)"""
    activate(qtbot, win)
    press(qtbot, win, "Alt+E")
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    action = next(a for a in menu.actions() if a.text() == entry)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def test_empty_trash_asks_and_deletes_only_when_told(qtbot, win):
    ids = win.lib.ids(view="all")
    win.lib.trash(ids[1:])
    wait_idle(qtbot, win)
    texts = []

    def cancel(box: QMessageBox) -> None:
        texts.append(box.text())
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        click_button(qtbot, box, QMessageBox.StandardButton.Cancel)

    asked = when_modal(QMessageBox, cancel)
    open_edit_menu_and_click(qtbot, win, "Empty trash…")
    wait_idle(qtbot, win)
    assert asked == ["Empty trash"] and len(win.lib.ids(view="trash")) == 2
    assert texts == ["Delete the 2 papers in the trash for good? This cannot be undone "
                     "(the daily backup still has them)."]
    when_modal(QMessageBox, lambda box: click_button(qtbot, box, QMessageBox.StandardButton.Yes))
    open_edit_menu_and_click(qtbot, win, "Empty trash…")
    wait_idle(qtbot, win)
    assert win.lib.ids(view="trash") == [] and win.lib.ids(view="all") == ids[:1]
    assert win.statusBar().currentMessage() == "Deleted 2 papers for good."
    assert win.trash_count() == 0 and win.sidebar.count_of("view", "trash") == 0


def test_empty_trash_with_nothing_in_it_says_so_without_asking(qtbot, win):
    asked = when_modal(QMessageBox, lambda box: box.reject(), timeout_ms=1000)
    open_edit_menu_and_click(qtbot, win, "Empty trash…")
    qtbot.wait(1200)
    assert asked == []
    assert win.statusBar().currentMessage() == "The trash is empty."


def test_undo_and_redo_from_the_edit_menu_name_the_step(qtbot, win):
    ids = win.lib.ids(view="all")
    win.lib.set_status(ids[:1], "read")
    wait_idle(qtbot, win)
    open_edit_menu_and_click(qtbot, win, "&Undo mark 1 paper read")
    wait_idle(qtbot, win)
    assert win.lib.get(ids[0]).status == "queued"
    open_edit_menu_and_click(qtbot, win, "&Redo mark 1 paper read")
    wait_idle(qtbot, win)
    assert win.lib.get(ids[0]).status == "read"


def test_select_all_from_the_edit_menu_selects_every_card(qtbot, win):
    open_edit_menu_and_click(qtbot, win, "Select &all")
    assert win.selected_ids() == win.model.ids() and len(win.model.ids()) == 3


def test_right_click_on_a_view_offers_save_search_only_while_searching(qtbot, win):
    entries = []

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            entries.append([(a.text(), a.isEnabled()) for a in menu.actions()])
            menu.close()
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    right_click_row(qtbot, win, "view", "queue")
    win.search.set_query("robot")
    wait_idle(qtbot, win)
    QTimer.singleShot(0, look)
    right_click_row(qtbot, win, "view", "queue")
    assert entries == [[("Save search…", False)], [("Save search…", True)]]
