"""Files and text dropped on the window, delivered as Qt delivers a drag from a file manager:
a QDragEnterEvent and QDragMoveEvent on the widget under the pointer (the card list's
viewport, which refuses anything but its own cards, so the event travels up to the window),
then the QDropEvent, which Qt hands to whichever widget accepted the enter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from paperdeck.core.models import Draft
from ui_helpers import QT_LOG_IGNORE, close_window, open_window, wait_idle

pytestmark = QT_LOG_IGNORE

BIB = """@article{lovelace1843,
  title = {Notes on the Analytical Engine},
  author = {Lovelace, Ada},
  year = {1843},
}
"""
BIB_2 = """@article{turing1950,
  title = {Computing Machinery and Intelligence},
  author = {Turing, Alan},
  year = {1950},
}
"""


@pytest.fixture
def win(qtbot, lib, tmp_path):
    lib.add([Draft(title="Already here")], raw_text="x", fmt="test")
    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    yield window
    close_window(qtbot, window)


def files_mime(*paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drag_and_drop(target, mime: QMimeData, point=None,
                  action: Qt.DropAction = Qt.DropAction.CopyAction) -> tuple[bool, bool]:
    """Drag `mime` over `target` (its middle, or `point`) and drop it there; (enter accepted,
    drop accepted)."""
    point = target.rect().center() if point is None else point
    copy = action
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, copy, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False, False
    move = QDragMoveEvent(point, copy, mime, buttons, mods)
    QApplication.sendEvent(target, move)
    drop = QDropEvent(point.toPointF(), copy, mime, buttons, mods)
    QApplication.sendEvent(target, drop)
    return True, drop.isAccepted()


def import_dialog_items(qtbot, win):
    qtbot.waitUntil(lambda: win.importer.dialog is not None, timeout=10000)
    dialog = win.importer.dialog
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    return dialog


def test_two_files_dropped_on_the_cards_open_one_import(qtbot, win, tmp_path):
    (tmp_path / "a.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "b.BIB").write_text(BIB_2, encoding="utf-8")
    both = files_mime(tmp_path / "a.bib", tmp_path / "b.BIB")
    assert drag_and_drop(win.list.viewport(), both) == (True, True)
    dialog = import_dialog_items(qtbot, win)
    assert dialog.import_button.text() == "Import 2 papers"
    dialog.import_button.click()
    wait_idle(qtbot, win)
    titles = {p.title for p in win.lib.papers(win.lib.ids(view="all"))}
    assert titles == {"Already here", "Notes on the Analytical Engine",
                      "Computing Machinery and Intelligence"}
    assert win.statusBar().currentMessage() == "Imported 2 papers"


def test_text_dropped_on_the_detail_pane_opens_the_import(qtbot, win):
    mime = QMimeData()
    mime.setText(BIB)
    assert drag_and_drop(win.detail.viewport(), mime) == (True, True)
    assert import_dialog_items(qtbot, win).import_button.text() == "Import 1 paper"


def test_a_file_of_another_kind_is_refused_at_the_door(qtbot, win, tmp_path):
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    (tmp_path / "a.bib").write_text(BIB, encoding="utf-8")
    assert drag_and_drop(win.list.viewport(), files_mime(pdf)) == (False, False)
    assert drag_and_drop(win.list.viewport(), files_mime(tmp_path / "a.bib", pdf)) == (False, False)
    qtbot.wait(100)
    assert win.importer.dialog is None


def test_an_unreadable_dropped_file_is_explained(qtbot, win, tmp_path):
    binary = tmp_path / "digest.txt"
    binary.write_bytes(bytes(range(256)) * 8)  # named .txt, but not text
    missing = tmp_path / "gone.bib"
    assert drag_and_drop(win.list.viewport(), files_mime(binary)) == (True, True)
    wait_idle(qtbot, win)
    assert win.importer.dialog is None
    assert win.statusBar().currentMessage().startswith("'digest.txt' ")
    assert drag_and_drop(win.list.viewport(), files_mime(missing)) == (True, True)
    wait_idle(qtbot, win)
    assert win.importer.dialog is None
    assert win.statusBar().currentMessage().startswith("Cannot read 'gone.bib'")


def test_cards_dragged_out_of_the_list_are_not_imported(qtbot, win):
    """A card's own drag (its ids) dropped elsewhere in the window is no paste."""
    mime = win.model.mimeData([win.model.index(0)])
    assert mime.hasText()  # cards carry their titles as text for other programs
    assert drag_and_drop(win.detail.viewport(), mime) == (False, False)
    qtbot.wait(100)
    assert win.importer.dialog is None


def test_dropping_on_the_welcome_panel_of_an_empty_library(qtbot, tmp_path):
    from paperdeck.core.library import Library

    empty = Library.open(tmp_path / "empty")
    try:
        window = open_window(qtbot, empty, tmp_path / "s.ini")
        assert window.stack.currentWidget() is window.welcome
        (tmp_path / "a.bib").write_text(BIB, encoding="utf-8")
        assert drag_and_drop(window.welcome, files_mime(tmp_path / "a.bib")) == (True, True)
        dialog = import_dialog_items(qtbot, window)
        dialog.import_button.click()
        wait_idle(qtbot, window)
        assert window.stack.currentWidget() is window.list and window.model.rowCount() == 1
        close_window(qtbot, window)
    finally:
        empty.close()


def test_cards_dragged_within_the_queue_reorder_it(qtbot, lib, tmp_path):
    """Cards 4 and 5 dragged onto the top edge of card 1 land before it, stay selected;
    outside the queue order the list refuses the drop."""
    from PySide6.QtCore import QPoint

    from ui_helpers import select_rows

    ids = lib.add([Draft(title=f"Paper {i}") for i in range(6)], raw_text="x", fmt="test")
    window = open_window(qtbot, lib, tmp_path / "s.ini")
    view = window.list
    mime = window.model.mimeData([window.model.index(4), window.model.index(5)])
    top_of_1 = view.visualRect(window.model.index(1)).topLeft() + QPoint(20, 1)
    assert drag_and_drop(view.viewport(), mime, top_of_1, Qt.DropAction.MoveAction) == (True, True)
    wait_idle(qtbot, window)
    assert window.model.ids() == [ids[0], ids[4], ids[5], ids[1], ids[2], ids[3]]
    assert lib.ids(view="queue") == window.model.ids()
    assert window.selected_ids() == [ids[4], ids[5]]
    window.search.set_query("paper")  # a search shows relevance order: no reordering there
    wait_idle(qtbot, window)
    select_rows(window, [0])
    mime = window.model.mimeData([window.model.index(3)])
    top_of_0 = view.visualRect(window.model.index(0)).topLeft() + QPoint(20, 1)
    assert drag_and_drop(view.viewport(), mime, top_of_0, Qt.DropAction.MoveAction)[1] is False
    wait_idle(qtbot, window)
    assert lib.ids(view="queue") == [ids[0], ids[4], ids[5], ids[1], ids[2], ids[3]]
    close_window(qtbot, window)
