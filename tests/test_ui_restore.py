"""File → Restore from backup… (issue 13, item 13), and a window that learns of a restore
made by another paperdeck (item 3). A real window, real backups, a real CLI process."""

from __future__ import annotations

import os
import subprocess
import sys

from paperdeck.core.models import Draft
from ui_helpers import QT_LOG_IGNORE, wait_idle

pytestmark = QT_LOG_IGNORE


def _dialog_ready(qtbot, win):
    from paperdeck.ui.restore_dialog import RestoreDialog

    menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&File")
    assert win.restore_action in menu.actions()
    assert menu.actions().index(win.restore_action) == len(menu.actions()) - 2  # just above Quit
    win.restore_action.trigger()
    dialog = win.findChild(RestoreDialog, "restore-dialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.list.count() > 0, timeout=30000)
    return dialog


def test_restore_from_the_window(qtbot, win, lib):
    lib.add([Draft(title="Kept <b>bold</b>")], raw_text="a", fmt="t")
    good = lib.backup()
    lib.add([Draft(title="Added later")], raw_text="b", fmt="t")
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 2 and lib.undo_label()
    dialog = _dialog_ready(qtbot, win)
    assert dialog.list.count() == 1
    row = dialog.list.item(0).text()
    assert "1 papers" in row and "MB" in row and "cannot" not in row
    assert dialog.chosen() == good and dialog.restore_button.isEnabled()
    dialog.restore(confirm=False)
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: win.model.rowCount() == 1, timeout=30000)
    assert win.model.paper_at(0).title == "Kept <b>bold</b>"
    assert lib.undo_label() is None
    assert "Restored the backup" in win.statusBar().currentMessage()
    again = _dialog_ready(qtbot, win)  # the safety copy is offered to undo the restore
    assert again.list.count() == 2 and "saved before a restore" in again.list.item(0).text()
    again.reject()


def test_a_damaged_backup_is_listed_but_not_restorable(qtbot, win, lib):
    lib.add([Draft(title="One")], raw_text="a", fmt="t")
    good = lib.backup()
    broken = good.with_name("library-20200101-000000-000000.db")
    broken.write_bytes(b"SQLite format 3\x00" + bytes(4000))
    dialog = _dialog_ready(qtbot, win)
    assert dialog.list.count() == 2
    assert "cannot be restored" in dialog.list.item(1).text()
    dialog.list.setCurrentRow(1)
    assert dialog.chosen() is None and not dialog.restore_button.isEnabled()
    dialog.reject()


def test_the_window_notices_a_restore_made_elsewhere(qtbot, win, lib):
    lib.add([Draft(title="First")], raw_text="a", fmt="t")
    good = lib.backup()
    lib.add([Draft(title="Second")], raw_text="b", fmt="t")
    wait_idle(qtbot, win)
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(lib.folder)}
    done = subprocess.run([sys.executable, "-m", "paperdeck", "restore-backup", str(good)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    # nothing is called here: the window's own watch (every 4 s) must notice
    qtbot.waitUntil(lambda: win.model.rowCount() == 1, timeout=30000)
    wait_idle(qtbot, win)
    assert lib.undo_label() is None
    assert "replaced by a restore" in win.statusBar().currentMessage()
