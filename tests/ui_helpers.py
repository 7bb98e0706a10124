"""Helpers for the GUI tests: a real window over a real library, and waiting for its worker."""

from __future__ import annotations

from pathlib import Path

import pytest

# The offscreen platform warns that it cannot resize windows to their size hints: harmless.
QT_LOG_IGNORE = pytest.mark.qt_log_ignore("propagateSizeHints", "QFont::setPointSizeF")
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

