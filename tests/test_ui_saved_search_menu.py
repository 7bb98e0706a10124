"""Saved searches as a user handles them: saved with Ctrl+Shift+S and a typed name, chosen
with a click in the sidebar, renamed, moved and deleted from their right-click menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from paperdeck.core.models import Draft
from paperdeck.ui.sidebar import KindRole, ValueRole
from ui_helpers import (
    QT_LOG_IGNORE_DIALOGS,
    activate,
    close_window,
    open_window,
    press,
    right_click_row,
    type_and_enter,
    wait_idle,
    when_modal,
    when_popup,
)

pytestmark = QT_LOG_IGNORE_DIALOGS


@pytest.fixture
def win(qtbot, lib, tmp_path):
    lib.add([Draft(title=t) for t in ("Robot grasping", "Sparse robots", "Quiet models")],
            raw_text="x", fmt="test")
    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    activate(qtbot, window)
    yield window
    close_window(qtbot, window)


def search_and_save(qtbot, win, query: str, name: str) -> list[str]:
    activate(qtbot, win, win.search)
    win.search.selectAll()
    qtbot.keyClicks(win.search, query)
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    asked = when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, name))
    press(qtbot, win.search, "Ctrl+Shift+S")
    wait_idle(qtbot, win)
    return asked


def saved_names(win) -> list[str]:
    sidebar = win.sidebar
    return [sidebar.item(r).data(ValueRole) for r in range(sidebar.count())
            if sidebar.item(r).data(KindRole) == "saved"]


@pytest.fixture
def two_saved(qtbot, win):
    assert search_and_save(qtbot, win, "robot", "Robots") == ["Save search"]
    search_and_save(qtbot, win, "quiet", "Quiet ones")
    assert saved_names(win) == ["Robots", "Quiet ones"]
    assert win.statusBar().currentMessage() == "Saved the search 'Quiet ones'."
    return win


def test_saving_with_no_search_typed_says_what_to_do(qtbot, win):
    press(qtbot, win.list, "Ctrl+Shift+S")
    assert win.statusBar().currentMessage() == "Type a search first, then save it (Ctrl+Shift+S)."


def test_clicking_a_saved_search_runs_it_in_all_papers(qtbot, two_saved):
    win = two_saved
    activate(qtbot, win, win.search)
    win.search.selectAll()
    qtbot.keyClick(win.search, Qt.Key.Key_Escape)  # back to no search
    wait_idle(qtbot, win)
    sidebar = win.sidebar
    item = next(sidebar.item(r) for r in range(sidebar.count())
                if sidebar.item(r).data(ValueRole) == "Robots")
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualItemRect(item).center())
    wait_idle(qtbot, win)
    assert win.search.text() == "robot" and win.view == "all"
    assert sorted(win.model.paper_at(r).title for r in range(win.model.rowCount())) == [
        "Robot grasping", "Sparse robots"]


def test_the_menu_moves_renames_and_deletes(qtbot, two_saved):
    win = two_saved
    entries = when_popup(qtbot, "Move down")
    right_click_row(qtbot, win, "saved", "Robots")
    wait_idle(qtbot, win)
    assert entries == ["Rename 'Robots'…", "Move up", "Move down", "Delete 'Robots'", "", "Save search…"]
    assert saved_names(win) == ["Quiet ones", "Robots"]
    assert win.statusBar().currentMessage() == "Moved 'Robots'."

    when_popup(qtbot, "Rename")
    asked = when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, "Robot papers"))
    right_click_row(qtbot, win, "saved", "Robots")
    wait_idle(qtbot, win)
    assert asked == ["Rename saved search"]
    assert saved_names(win) == ["Quiet ones", "Robot papers"]
    assert [(s.name, s.query) for s in win.lib.saved_searches()] == [("Quiet ones", "quiet"),
                                                                     ("Robot papers", "robot")]

    when_popup(qtbot, "Move up")
    right_click_row(qtbot, win, "saved", "Robot papers")
    wait_idle(qtbot, win)
    assert saved_names(win) == ["Robot papers", "Quiet ones"]

    when_popup(qtbot, "Delete")
    right_click_row(qtbot, win, "saved", "Quiet ones")
    wait_idle(qtbot, win)
    assert saved_names(win) == ["Robot papers"]
    assert win.statusBar().currentMessage() == "Deleted the saved search 'Quiet ones'."


def test_the_first_cannot_move_up_nor_the_last_down(qtbot, two_saved):
    win = two_saved
    states = []

    def look(name: str) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMenu

        def poll() -> None:
            menu = QApplication.activePopupWidget()
            if isinstance(menu, QMenu):
                states.append({a.text(): a.isEnabled() for a in menu.actions()
                               if a.text().startswith("Move")})
                menu.close()
            else:
                QTimer.singleShot(20, poll)

        QTimer.singleShot(0, poll)
        right_click_row(qtbot, win, "saved", name)

    look("Robots")
    look("Quiet ones")
    assert states == [{"Move up": False, "Move down": True}, {"Move up": True, "Move down": False}]


def test_renaming_to_the_same_name_or_onto_another_search_is_refused_or_explained(qtbot, two_saved):
    win = two_saved
    when_popup(qtbot, "Rename")
    when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, "Robots"))
    right_click_row(qtbot, win, "saved", "Robots")
    wait_idle(qtbot, win)
    assert saved_names(win) == ["Robots", "Quiet ones"]
    when_popup(qtbot, "Rename")
    when_modal(QInputDialog, lambda d: type_and_enter(qtbot, d, "quiet ONES"))
    right_click_row(qtbot, win, "saved", "Robots")
    wait_idle(qtbot, win)
    assert saved_names(win) == ["Robots", "Quiet ones"]  # names are unique, ignoring case
    assert win.statusBar().currentMessage() == "There is already a saved search named 'quiet ONES'."


def test_the_save_prompt_shows_a_search_with_markup_as_typed(qtbot, win):
    """A search pasted from a web page may look like HTML; the prompt quotes it as text (Qt
    would render `<b>…</b>` bold, and an `<img>` there can hang the window)."""
    from PySide6.QtWidgets import QLabel

    query = "<b>robot</b>"
    activate(qtbot, win, win.search)
    qtbot.keyClicks(win.search, query)
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    shown: list[tuple[str, Qt.TextFormat]] = []

    def read_and_cancel(dialog) -> None:
        label = next(w for w in dialog.findChildren(QLabel) if w.text())
        shown.append((label.text(), label.textFormat()))
        dialog.reject()

    when_modal(QInputDialog, read_and_cancel)
    press(qtbot, win.search, "Ctrl+Shift+S")
    assert shown == [(f"Name for “{query}”:", Qt.TextFormat.PlainText)]
    assert win.lib.saved_searches() == []
