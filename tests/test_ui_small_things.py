"""Small things a desktop user notices (issue 15, item 10)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from paperdeck.core.models import Draft
from ui_helpers import QT_LOG_IGNORE_DIALOGS, close_window, import_sample, open_window, select_rows, wait_idle

pytestmark = QT_LOG_IGNORE_DIALOGS


def test_ctrl_1_keeps_a_reading_papers_place_in_the_queue(qtbot, win, sample_text):
    ids = import_sample(qtbot, win, sample_text)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    win.list.setFocus()
    select_rows(win, [5])
    qtbot.keyClick(win.list, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, win)
    assert win.lib.get(ids[5]).status == "reading"
    select_rows(win, [win.model.row_of(ids[5])])
    qtbot.keyClick(win.list, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, win)
    assert win.lib.get(ids[5]).status == "queued"
    assert win.model.ids().index(ids[5]) == 5


def test_the_code_mark_has_a_tooltip(qtbot, win):
    win.lib.add([Draft(title="With code", links=["https://github.com/a/b"])], raw_text="x", fmt="bibtex")
    win.reload()
    wait_idle(qtbot, win)
    paper = win.model.paper_at(0)
    assert paper.has_code
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.rect = win.list.visualRect(win.model.index(0))
    option.font = win.list.font()
    mark = win.delegate.code_rect(option, paper)
    assert not mark.isEmpty()
    point = mark.center().toPoint()
    QApplication.sendEvent(win.list.viewport(), QHelpEvent(QEvent.Type.ToolTip, point,
                                                           win.list.viewport().mapToGlobal(point)))
    tips = [w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label" and w.isVisible()]
    assert tips and tips[0].text().startswith("Code available")


def test_authors_field_shows_the_first_authors(qtbot, win):
    names = [f"Author Number{i}" for i in range(30)]
    win.lib.add([Draft(title="Many", authors=names)], raw_text="x", fmt="bibtex")
    win.reload()
    wait_idle(qtbot, win)
    select_rows(win, [0])
    win._current_changed(win.model.index(0))
    field = win.detail.meta["authors"]
    assert field.cursorPosition() == 0


def test_file_dialogs_open_in_the_last_folder_used(qtbot, win, tmp_path, sample_text):
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "week.txt").write_text(sample_text, encoding="utf-8")
    seen = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.directory().absolutePath())
        dialog.selectFile(str(folder / "week.txt"))
        dialog.accept()

    for _ in range(2):
        QTimer.singleShot(0, answer)
        win.importer.choose_files(native=False)
        qtbot.waitUntil(lambda: win.importer.dialog is not None, timeout=10000)
        win.importer.dialog.reject()
        qtbot.waitUntil(lambda: win.importer.dialog is None, timeout=5000)
    assert seen[1] == str(folder)
    assert seen[0] != str(folder)


def test_help_lists_the_keyboard_shortcuts(qtbot, win):
    from paperdeck.ui.shortcuts import ShortcutsDialog

    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: win.findChild(ShortcutsDialog) is not None, timeout=3000)
    dialog = win.findChild(ShortcutsDialog)
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Start reading"] == "Ctrl+2" and rows["Next up"] == "Ctrl+Shift+N"
    assert "Search: on to the cards" in rows
    assert [a.text() for a in win.view_menu.actions()][:7] == [
        "Queue", "For you", "Reading", "Read", "Archived", "All papers", "Trash"]


def test_the_selected_paper_comes_back_after_a_relaunch(qtbot, lib, tmp_path, sample_text):
    settings = tmp_path / "s.ini"
    win = open_window(qtbot, lib, settings)
    import_sample(qtbot, win, sample_text)
    select_rows(win, [40])
    win._current_changed(win.model.index(40))
    pid = win.model.id_at(40)
    close_window(qtbot, win)
    again = open_window(qtbot, lib, settings)
    assert again.selected_ids() == [pid] and again.detail.paper.id == pid
    rect = again.list.visualRect(again.model.index(40))
    assert again.list.viewport().rect().intersects(rect)
    close_window(qtbot, again)
