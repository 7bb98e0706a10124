"""New papers while the index catches up (issue 15, item 7): the status bar says so, and a
search shown meanwhile refreshes when the index is done."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from ui_helpers import QT_LOG_IGNORE, wait_idle

pytestmark = QT_LOG_IGNORE


def test_importing_says_indexing_and_refreshes_the_search(qtbot, win, sample_text):
    notes: list[str] = []
    watch = QTimer(interval=5)
    watch.timeout.connect(lambda: notes.append(win.busy_label.text()))
    watch.start()
    dialog = win.importer.open_dialog(sample_text)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: win.model.rowCount() == 119, timeout=30000)
    win.search.set_query("skill")  # searched while the index may still be catching up
    wait_idle(qtbot, win)
    watch.stop()
    assert "Indexing 119 new papers… (search finds them when done)" in notes
    assert win.busy_label.text() == ""
    assert set(win.model.ids()) == set(win.lib.ids("skill", view="queue"))
    assert win.model.rowCount() > 10
