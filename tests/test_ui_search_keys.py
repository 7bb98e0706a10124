"""The window from the keyboard (issue 15, items 2, 3, 4 and 8): Ctrl+V from the search box,
where a search lands, Esc, Down into the list, and what an import leaves selected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from ui_helpers import QT_LOG_IGNORE, import_sample, select_rows, wait_idle

pytestmark = QT_LOG_IGNORE


def type_query(qtbot, win, text: str) -> None:
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    win.search.setFocus()
    win.search.selectAll()
    qtbot.keyClicks(win.search, text)
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    wait_idle(qtbot, win)


def test_ctrl_v_of_a_digest_in_the_search_box_opens_the_import_dialog(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text.split("\n\n")[0])
    type_query(qtbot, win, "agent")
    QGuiApplication.clipboard().setText(sample_text)
    qtbot.keyClick(win.search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.importer.dialog is not None, timeout=5000)
    dialog = win.importer.dialog
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    assert win.search.text() == "agent"  # the digest did not land in the search box
    assert len(dialog.items) == 119
    dialog.reject()


def test_ctrl_v_of_one_line_in_the_search_box_is_a_search(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    win.search.setFocus()
    QGuiApplication.clipboard().setText("robot")
    qtbot.keyClick(win.search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert win.search.text() == "robot" and win.importer.dialog is None


def test_a_new_search_shows_the_top_hit_at_the_top_and_clearing_returns(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    win.resize(1000, 600)
    select_rows(win, [100, 101, 102])  # three cards far down, scrolled to
    win.list.scrollTo(win.model.index(101))
    win._current_changed(win.model.index(100))
    chosen = win.selected_ids()
    assert win.list.verticalScrollBar().value() > 0
    type_query(qtbot, win, "agent")
    best = win.lib.ids("agent", view="queue")
    assert win.model.ids() == best and len(best) > 3
    assert win.list.verticalScrollBar().value() == 0
    assert win.list.indexAt(win.list.viewport().rect().topLeft() + win.list.rect().center() * 0).row() == 0
    assert win.selected_ids() == [best[0]] and win.detail.paper.id == best[0]
    qtbot.keyClick(win.search, Qt.Key.Key_Escape)
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 119
    assert win.selected_ids() == chosen  # Esc kept the three-card selection
    assert win.detail.paper.id == chosen[0]
    visible = win.list.viewport().rect()
    assert visible.intersects(win.list.visualRect(win.model.index(100)))


def test_a_card_chosen_in_the_results_stays_chosen_after_clearing(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    type_query(qtbot, win, "agent")
    select_rows(win, [2])
    picked = win.selected_ids()
    qtbot.keyClick(win.search, Qt.Key.Key_Escape)
    wait_idle(qtbot, win)
    assert win.selected_ids() == picked


def test_down_from_the_search_box_moves_into_the_cards(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    type_query(qtbot, win, "skill")
    assert win.search.hasFocus()
    qtbot.keyClick(win.search, Qt.Key.Key_Down)
    assert win.list.hasFocus()
    qtbot.keyClick(win.list, Qt.Key.Key_Down)
    assert win.selected_ids() == [win.model.id_at(1)]
    assert win.detail.paper.id == win.model.id_at(1)
