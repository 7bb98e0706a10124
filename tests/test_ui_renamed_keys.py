"""An import whose pasted citation keys could not be kept says so in the window, with the
new keys, in a box that stays until read (the CLI always said so; the window never did)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QMessageBox

from paperdeck.core.models import Draft
from paperdeck.ui.importing import RENAMED_SHOWN, renamed_text
from test_ui_drop_files import drag_and_drop, import_dialog_items
from ui_helpers import QT_LOG_IGNORE, close_window, open_window, wait_idle

pytestmark = QT_LOG_IGNORE

PASTE = """@article{lovelace1843,
  title = {Notes on the Analytical Engine},
  author = {Lovelace, Ada},
  year = {1843},
}
@article{<b>bad key</b>,
  title = {Computing Machinery and Intelligence},
  author = {Turing, Alan},
  year = {1950},
}
@article{fresh2020,
  title = {A Paper Whose Key Is Free},
  author = {Free, Fay},
  year = {2020},
}
"""


@pytest.fixture
def win(qtbot, lib, tmp_path):
    lib.add([Draft(title="Already here", citekey="Lovelace1843")], raw_text="x", fmt="test")
    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    yield window
    close_window(qtbot, window)


def _boxes(win) -> list[QMessageBox]:
    return [b for b in win.findChildren(QMessageBox) if b.isVisible()]


def test_renamed_keys_are_shown_with_their_new_keys(qtbot, win):
    mime = QMimeData()
    mime.setText(PASTE)
    assert drag_and_drop(win.list.viewport(), mime) == (True, True)
    dialog = import_dialog_items(qtbot, win)
    assert dialog.import_button.text() == "Import 3 papers"
    dialog.import_button.click()
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: bool(_boxes(win)), timeout=10000)
    (box,) = _boxes(win)
    papers = {p.title: p.citekey for p in win.lib.papers(win.lib.ids(view="all"))}
    new_lovelace = papers["Notes on the Analytical Engine"]
    new_turing = papers["Computing Machinery and Intelligence"]
    assert new_lovelace != "lovelace1843" and papers["A Paper Whose Key Is Free"] == "fresh2020"
    text = box.text()
    assert text.startswith("2 pasted citation keys could not be kept: their papers are")
    assert f"lovelace1843 → {new_lovelace}: paper 1 has it" in text
    assert f"<b>bad key</b> → {new_turing}: it has characters LaTeX cannot cite" in text
    assert "fresh2020" not in text
    assert box.textFormat() == Qt.TextFormat.PlainText  # the pasted key is shown, not rendered
    assert win.statusBar().currentMessage() == "Imported 3 papers"
    box.accept()


def test_a_duplicate_left_out_names_the_key_the_library_holds_it_under(qtbot, win):
    mime = QMimeData()
    mime.setText("@article{here2024,\n  title = {Already here},\n  year = {2024},\n}\n"
                 + PASTE.split("@article{<b>")[0].replace("lovelace1843", "babbage1837"))
    assert drag_and_drop(win.list.viewport(), mime) == (True, True)
    dialog = import_dialog_items(qtbot, win)
    assert dialog.import_button.text() == "Import 1 paper"  # the duplicate is left unticked
    dialog.import_button.click()
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: bool(_boxes(win)), timeout=10000)
    (box,) = _boxes(win)
    assert box.text().endswith("\n\nhere2024 → Lovelace1843: paper 1 is this paper (same title)")
    box.accept()


def test_an_import_that_keeps_every_key_shows_no_box(qtbot, win):
    mime = QMimeData()
    mime.setText(PASTE.split("@article{<b>")[0].replace("lovelace1843", "babbage1837"))
    assert drag_and_drop(win.list.viewport(), mime) == (True, True)
    dialog = import_dialog_items(qtbot, win)
    dialog.import_button.click()
    wait_idle(qtbot, win)
    assert win.statusBar().currentMessage() == "Imported 1 paper"
    assert _boxes(win) == []


def test_a_long_list_is_cut_and_counted():
    renamed = [(f"key{i}", f"new{i}", "another paper in this paste has it") for i in range(30)]
    text = renamed_text(renamed)
    assert text.startswith("30 pasted citation keys could not be kept: their papers are in the "
                           "library under other keys. Documents that cite them need the library's keys:")
    assert "key11 → new11" in text and "key12 → new12" not in text
    assert text.endswith(f"… and {30 - RENAMED_SHOWN} more (paperdeck list --json shows every key)")
    one = renamed_text(renamed[:1])
    assert one.startswith("1 pasted citation key could not be kept: its paper is in the library "
                          "under another key. Documents that cite it need the library's key:")
