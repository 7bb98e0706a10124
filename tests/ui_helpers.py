"""Helpers for the GUI tests: a real window over a real library, and waiting for its worker."""

from __future__ import annotations

from pathlib import Path

import pytest

# The offscreen platform warns that it cannot resize windows to their size hints: harmless.
QT_LOG_IGNORE = pytest.mark.qt_log_ignore("propagateSizeHints", "QFont::setPointSizeF")
# Tests that open real dialogs also meet the offscreen platform's "does not support" notes.
QT_LOG_IGNORE_DIALOGS = pytest.mark.qt_log_ignore("propagateSizeHints", "QFont::setPointSizeF",
                                                  "does not support")
TIMEOUT_MS = 30000


def settings_at(path: Path):
    from PySide6.QtCore import QSettings

    return QSettings(str(path), QSettings.Format.IniFormat)


def wait_idle(qtbot, win, timeout: int = TIMEOUT_MS) -> None:
    """Until the background worker and the index keeper have delivered everything."""
    qtbot.waitUntil(lambda: win.tasks.idle() and win.indexer.idle(), timeout=timeout)


def open_window(qtbot, lib, settings_file: Path, show: bool = True):
    from paperdeck.app import build_main_window

    win = build_main_window(lib, settings_at(settings_file))
    qtbot.addWidget(win)
    if show:
        win.show()
    wait_idle(qtbot, win)
    return win


def close_window(qtbot, win) -> None:
    import shiboken6

    if not shiboken6.isValid(win):  # pytest-qt closed and deleted it first: nothing to wait for
        return
    wait_idle(qtbot, win)
    win.close()


def select_rows(win, rows: list[int]) -> None:
    from PySide6.QtCore import QItemSelectionModel

    sm = win.list.selectionModel()
    sm.clearSelection()
    for row in rows:
        sm.select(win.model.index(row), QItemSelectionModel.SelectionFlag.Select)
    sm.setCurrentIndex(win.model.index(rows[0]), QItemSelectionModel.SelectionFlag.NoUpdate)


def import_sample(qtbot, win, text: str) -> list[int]:
    """Import a paste through the import dialog, as a user would; returns the new ids."""
    dialog = win.importer.open_dialog(text)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=TIMEOUT_MS)
    before = set(win.lib.ids(view="all"))
    dialog.import_button.click()
    wait_idle(qtbot, win)
    return [i for i in win.lib.ids(view="all") if i not in before]



# -- driving the window as a user would ---------------------------------------------------
def activate(qtbot, win, focus=None) -> None:
    """Bring the window to the front with `focus` (default: the card list) focused: window
    shortcuts only fire in the active window, as on a desktop."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    (focus or win.list).setFocus()
    qtbot.waitUntil(lambda: (focus or win.list).hasFocus(), timeout=5000)


def press(qtbot, widget, keys: str) -> None:
    """A real key press of `keys` ("Ctrl+Shift+T", "Del", "Alt+2") on `widget`: it goes
    through Qt's shortcut map first, as a key from the keyboard does."""
    from PySide6.QtGui import QKeySequence

    sequence = QKeySequence(keys)
    assert sequence.count() == 1 and sequence.toString() == QKeySequence(keys).toString(), keys
    combo = sequence[0]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def when_modal(kind, answer, timeout_ms: int = 10000) -> list[str]:
    """When a modal `kind` (QInputDialog, QMessageBox, QFileDialog) comes up, `answer(dialog)`
    answers it as a user would (typing, clicking a button). Returns the window titles of the
    dialogs answered (filled in later: the dialog runs inside the code under test). A dialog
    that never comes leaves the list empty; one of another kind is closed so nothing hangs."""
    import time

    import shiboken6
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[str] = []
    deadline = time.monotonic() + timeout_ms / 1000

    def unstick(dialog) -> None:
        if shiboken6.isValid(dialog) and dialog.isVisible():  # the answer did not close it
            seen.append(f"still open: {dialog.windowTitle()}")
            dialog.reject()

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            seen.append(dialog.windowTitle())
            QTimer.singleShot(timeout_ms, lambda: unstick(dialog))
            answer(dialog)
        elif dialog is not None and dialog.isVisible():
            seen.append(f"unexpected {type(dialog).__name__}: {dialog.windowTitle()}")
            dialog.reject()
        elif time.monotonic() < deadline:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def type_and_enter(qtbot, dialog, text: str) -> None:
    """Type `text` into the dialog's text field (replacing what is there) and press Enter."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    field = dialog.findChild(QLineEdit)
    field.setFocus()
    field.selectAll()
    if text:
        qtbot.keyClicks(field, text)
    else:
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def click_button(qtbot, box, which) -> None:
    """Click a message box's standard button (`QMessageBox.StandardButton.Yes`) with the mouse."""
    from PySide6.QtCore import Qt

    qtbot.mouseClick(box.button(which), Qt.MouseButton.LeftButton)


def choose_file(qtbot, dialog, name: str) -> None:
    """Type a file's name (in the folder the dialog shows) into a file dialog's name field
    and press Enter (closing the name completion's list first, as a user who typed the
    whole name does)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    field = dialog.findChild(QLineEdit, "fileNameEdit")
    field.setFocus()
    field.selectAll()  # a save dialog proposes a name: typing replaces it
    qtbot.keyClicks(field, name)
    completer = field.completer()
    if completer is not None and completer.popup().isVisible():
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Escape)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def when_popup(qtbot, choose: str, timeout_ms: int = 10000) -> list[str]:
    """When a menu pops up, click its entry starting with `choose` with the mouse; returns
    the entries seen (separators as "")."""
    import time

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMenu

    seen: list[str] = []
    deadline = time.monotonic() + timeout_ms / 1000

    def poll() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.extend(a.text() for a in menu.actions())
            action = next(a for a in menu.actions() if a.text().startswith(choose))
            qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
        elif time.monotonic() < deadline:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def right_click_row(qtbot, win, kind: str, value: str) -> None:
    """A right click on a sidebar row (the context-menu event a right click sends)."""
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    from paperdeck.ui.sidebar import KindRole, ValueRole

    sidebar = win.sidebar
    item = next(sidebar.item(r) for r in range(sidebar.count())
                if (sidebar.item(r).data(KindRole), sidebar.item(r).data(ValueRole)) == (kind, value))
    point = sidebar.visualItemRect(item).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, sidebar.viewport().mapToGlobal(point))
    QApplication.sendEvent(sidebar.viewport(), event)
