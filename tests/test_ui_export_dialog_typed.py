"""File → Export as a user does it: Ctrl+E, a scope clicked, a format picked with the arrow
keys, "Save to file…" clicked and a name typed into the real save dialog (not a patched
`getSaveFileName`), and a kept-up-to-date file rewritten after a later edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from paperdeck.core.models import Draft
from paperdeck.ui.sidebar import KindRole, ValueRole
from ui_helpers import (
    QT_LOG_IGNORE_DIALOGS,
    activate,
    choose_file,
    close_window,
    open_window,
    press,
    select_rows,
    wait_idle,
    when_modal,
)

pytestmark = QT_LOG_IGNORE_DIALOGS


@pytest.fixture
def win(qtbot, lib, tmp_path):
    ids = lib.add([Draft(title="Robot grasping", authors=["Ada Lovelace"], year=2020),
                   Draft(title="Sparse robots", authors=["Alan Turing"], year=2021),
                   Draft(title="Quiet models", authors=["Grace Hopper"], year=2022)],
                  raw_text="x", fmt="test")
    lib.add_tags(ids[:1], ["robotics"])
    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    window.settings.setValue("folders/export", str(tmp_path))  # where the last export went
    activate(qtbot, window)
    select_rows(window, [0])
    yield window
    close_window(qtbot, window)


def click(qtbot, widget) -> None:
    """A click at the left end of the widget: on a radio button's or check box's mark (their
    middle can be empty room right of the text, which Qt does not count as a hit)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def scope_button(dialog, key: str):
    return next(b for b in dialog.scopes.buttons() if b.property("scope") == key)


def test_whole_library_as_ris_saved_under_a_typed_name(qtbot, win, tmp_path):
    press(qtbot, win.list, "Ctrl+E")
    dialog = win.exporter.dialog
    click(qtbot, scope_button(dialog, "all"))
    assert dialog.scope() == "all"
    dialog.flavour.setFocus()
    for _ in range(3):
        qtbot.keyClick(dialog.flavour, Qt.Key.Key_Down)
    assert dialog.flavour.currentText() == "RIS (Zotero, Mendeley, EndNote)"
    asked = when_modal(QFileDialog, lambda d: choose_file(qtbot, d, "mine"))
    click(qtbot, dialog.save_button)
    wait_idle(qtbot, win)
    target = tmp_path / "mine.ris"  # the format's suffix is added to a bare name
    assert asked == ["Export"]
    assert win.statusBar().currentMessage() == f"Exported 3 papers to {target}."
    text = target.read_text(encoding="utf-8")
    assert text.count("TY  - ") == 3 and text.count("ER  - ") == 3
    assert "TI  - Quiet models" in text and "AU  - Hopper, Grace" in text
    assert not dialog.isVisible()


def test_cancelling_the_save_dialog_writes_nothing_and_keeps_the_export_open(qtbot, win, tmp_path):
    press(qtbot, win.list, "Ctrl+E")
    dialog = win.exporter.dialog
    asked = when_modal(QFileDialog, lambda d: d.reject())
    click(qtbot, dialog.save_button)
    wait_idle(qtbot, win)
    assert asked == ["Export"] and dialog.isVisible()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library", "settings.ini"]
    dialog.reject()


def test_a_tag_kept_up_to_date_is_rewritten_after_a_later_tagging(qtbot, win, tmp_path):
    sidebar = win.sidebar
    item = next(sidebar.item(r) for r in range(sidebar.count())
                if (sidebar.item(r).data(KindRole), sidebar.item(r).data(ValueRole)) == ("tag", "robotics"))
    click_at = sidebar.visualItemRect(item).center()
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=click_at)
    wait_idle(qtbot, win)
    assert win.tag == "robotics" and win.model.rowCount() == 1
    activate(qtbot, win)
    press(qtbot, win.list, "Ctrl+E")
    dialog = win.exporter.dialog
    click(qtbot, scope_button(dialog, "shown"))
    assert dialog.scope() == "shown"
    click(qtbot, dialog.keep)
    assert dialog.keep.isChecked()
    when_modal(QFileDialog, lambda d: choose_file(qtbot, d, "robotics.bib"))
    click(qtbot, dialog.save_button)
    wait_idle(qtbot, win)
    target = tmp_path / "robotics.bib"
    assert win.statusBar().currentMessage() == f"Exported 1 paper to {target}; it is kept up to date."
    assert "Robot grasping" in target.read_text(encoding="utf-8")
    assert "Quiet models" not in target.read_text(encoding="utf-8")
    # later, in All papers: tag another paper by typing in the detail pane
    win.show_view("all")
    wait_idle(qtbot, win)
    select_rows(win, [win.model.ids().index(win.lib.ids(view="all")[2])])
    field = win.detail.tag_input
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(field, "robotics")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: "Quiet models" in target.read_text(encoding="utf-8"), timeout=10000)
    assert target.read_text(encoding="utf-8").count("@") == 2


def test_a_hand_picked_selection_cannot_be_kept_and_is_written_once(qtbot, win, tmp_path):
    press(qtbot, win.list, "Ctrl+E")
    dialog = win.exporter.dialog
    assert dialog.scopes.checkedButton() is scope_button(dialog, "selected")
    click(qtbot, dialog.keep)
    when_modal(QFileDialog, lambda d: choose_file(qtbot, d, "picked.bib"))
    click(qtbot, dialog.save_button)
    wait_idle(qtbot, win)
    assert (tmp_path / "picked.bib").read_text(encoding="utf-8").count("@") == 1
    assert win.statusBar().currentMessage() == f"Exported 1 paper to {tmp_path / 'picked.bib'}."
    assert win.lib.autoexports.links() == []
