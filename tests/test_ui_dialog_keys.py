"""The import dialog from the keyboard, and focus you can see (issue 15, item 4)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui_helpers import QT_LOG_IGNORE, wait_idle

pytestmark = QT_LOG_IGNORE


def open_parsed(qtbot, win, text):
    dialog = win.importer.open_dialog(text)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    return dialog


def test_enter_in_the_tags_field_imports(qtbot, win, sample_text):
    dialog = open_parsed(qtbot, win, sample_text)
    dialog.tags.setFocus()
    qtbot.keyClicks(dialog.tags, "weekly")
    qtbot.keyClick(dialog.tags, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 119
    assert win.sidebar.count_of("tag", "weekly") == 119


def test_tab_leaves_the_pasted_text_unchanged_and_reaches_the_import_button(qtbot, win, sample_text):
    dialog = open_parsed(qtbot, win, sample_text)
    assert dialog.import_button.isDefault()
    dialog.text.setFocus()
    before = dialog.text.toPlainText()
    seen = set()
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.add(QApplication.focusWidget())
    assert dialog.text.toPlainText() == before  # no tab characters typed into the paste
    assert dialog.tags in seen and dialog.import_button in seen
    dialog.import_button.setFocus()
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 119


def test_focus_in_the_card_list_is_drawn(qtbot, win, sample_text):
    from ui_helpers import import_sample

    import_sample(qtbot, win, sample_text)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    rect = win.list.visualRect(win.model.index(0))
    win.list.clearFocus()
    qtbot.wait(20)
    unfocused = win.list.viewport().grab(rect).toImage()
    win.list.setFocus()
    qtbot.waitUntil(win.list.hasFocus, timeout=3000)
    focused = win.list.viewport().grab(rect).toImage()
    assert focused != unfocused  # the current card shows that the list has the keyboard
    win.sidebar.setFocus()
    qtbot.waitUntil(win.sidebar.hasFocus, timeout=3000)
    item = win.sidebar.currentItem()
    srect = win.sidebar.visualItemRect(item)
    with_focus = win.sidebar.viewport().grab(srect).toImage()
    win.list.setFocus()
    qtbot.waitUntil(win.list.hasFocus, timeout=3000)
    assert win.sidebar.viewport().grab(srect).toImage() != with_focus
