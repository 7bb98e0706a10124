"""Reading-queue work in the window: drag and drop, keyboard moves, bulk edits, undo, trash, tags."""

from __future__ import annotations

import pytest

from paperdeck.core.models import Draft
from ui_helpers import QT_LOG_IGNORE, close_window, open_window, select_rows, wait_idle

pytestmark = QT_LOG_IGNORE


@pytest.fixture
def win(qtbot, lib, tmp_path):
    lib.add([Draft(title=f"Paper {i}", abstract=f"About topic {i}") for i in range(8)],
            raw_text="x", fmt="test")
    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    yield window
    close_window(qtbot, window)


def titles(win) -> list[str]:
    return [win.model.paper_at(r).title for r in range(win.model.rowCount())]


def test_drag_and_drop_reorders_the_queue(qtbot, win):
    from PySide6.QtCore import QModelIndex, Qt

    model = win.model
    assert model.reorderable
    mime = model.mimeData([model.index(5), model.index(6)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    wait_idle(qtbot, win)
    assert titles(win)[:4] == ["Paper 0", "Paper 5", "Paper 6", "Paper 1"]
    assert [model.paper_at(r).title for r in sorted(i.row() for i in
            win.list.selectionModel().selectedRows())] == ["Paper 5", "Paper 6"]
    mime = model.mimeData([model.index(0)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())  # at the end
    wait_idle(qtbot, win)
    assert titles(win)[-1] == "Paper 0"


def test_drops_are_refused_outside_queue_order(qtbot, win):
    from PySide6.QtCore import QModelIndex, Qt

    win.search.set_query("topic")
    wait_idle(qtbot, win)
    mime = win.model.mimeData([win.model.index(0)])
    assert not win.model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())


def test_keyboard_moves(qtbot, win):
    from PySide6.QtCore import Qt

    select_rows(win, [3])
    win.list.setFocus()
    qtbot.keyClick(win.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, win)
    assert titles(win)[2] == "Paper 3"
    win.actions_.moves["top"].trigger()
    wait_idle(qtbot, win)
    assert titles(win)[0] == "Paper 3"
    win.actions_.moves["bottom"].trigger()
    wait_idle(qtbot, win)
    assert titles(win)[-1] == "Paper 3"
    win.actions_.moves["up"].trigger()
    wait_idle(qtbot, win)
    assert titles(win)[-2] == "Paper 3"
    win.actions_.moves["down"].trigger()
    wait_idle(qtbot, win)
    assert titles(win)[-1] == "Paper 3"


def test_bulk_status_tags_priority_and_undo_redo_through_the_edit_menu(qtbot, win):
    select_rows(win, [0, 1, 2])
    win.actions_.status["read"].trigger()
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 5
    assert win.sidebar.count_of("view", "read") == 3
    assert win.actions_.undo.text() == "&Undo mark 3 papers read"
    select_rows(win, [0, 1])
    win.actions_.tag_selected(["robotics", "LLM"])
    wait_idle(qtbot, win)
    assert win.actions_.undo.text() == "&Undo tag 'robotics', 'LLM' on 2 papers"
    assert dict((n, c) for n, c in win.lib.tags()) == {"LLM": 2, "robotics": 2}
    assert win.sidebar.count_of("tag", "robotics") == 2
    assert win.model.paper_at(0).tags == ["LLM", "robotics"]
    win.actions_.priority[3].trigger()
    wait_idle(qtbot, win)
    assert win.model.paper_at(0).priority == 3
    edit_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Edit")
    undo = next(a for a in edit_menu.actions() if a.text().startswith("&Undo"))
    undo.trigger()
    wait_idle(qtbot, win)
    undo.trigger()
    wait_idle(qtbot, win)
    assert win.lib.tags() == []
    assert win.sidebar.count_of("tag", "robotics") is None
    assert win.actions_.redo.text() == "&Redo tag 'robotics', 'LLM' on 2 papers"
    win.actions_.redo.trigger()
    wait_idle(qtbot, win)
    assert win.sidebar.count_of("tag", "robotics") == 2
    win.actions_.undo.trigger()
    wait_idle(qtbot, win)
    win.actions_.undo.trigger()  # the status change
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 8 and win.sidebar.count_of("view", "read") == 0


def test_tag_rename_merge_delete_and_chip_filter(qtbot, win):
    select_rows(win, [0, 1])
    win.actions_.tag_selected(["rl"])
    wait_idle(qtbot, win)
    select_rows(win, [2])
    win.actions_.tag_selected(["reinforcement learning"])
    wait_idle(qtbot, win)
    win.filter_by_tag("rl")
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 2 and win.sidebar.current() == ("tag", "rl")
    win.actions_.rename_tag("rl", "RL")
    wait_idle(qtbot, win)
    assert win.sidebar.count_of("tag", "RL") == 2
    win.actions_.rename_tag("RL", "reinforcement learning")  # a merge
    wait_idle(qtbot, win)
    assert win.sidebar.tag_names() == ["reinforcement learning"]
    assert win.sidebar.count_of("tag", "reinforcement learning") == 3
    assert win.sidebar.current() == ("tag", "reinforcement learning") and win.model.rowCount() == 3
    assert all(win.model.paper_at(r).tags == ["reinforcement learning"] for r in range(3))
    win.actions_.delete_tag("reinforcement learning")
    wait_idle(qtbot, win)
    assert win.sidebar.tag_names() == [] and win.view == "all" and win.model.rowCount() == 8


def test_clicking_a_chip_filters_by_its_tag(qtbot, win):
    from PySide6.QtCore import QPoint, Qt

    select_rows(win, [0])
    win.actions_.tag_selected(["vision"])
    wait_idle(qtbot, win)
    from PySide6.QtWidgets import QStyleOptionViewItem

    opt = QStyleOptionViewItem()
    win.list.initViewItemOption(opt)
    opt.rect = win.list.visualRect(win.model.index(0))
    [(tag, rect)] = win.delegate.bottom_row(opt, win.model.paper_at(0))[2]
    assert tag == "vision"
    qtbot.mouseClick(win.list.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(*map(int, (
        rect.center().x(), rect.center().y()))))
    wait_idle(qtbot, win)
    assert win.sidebar.current() == ("tag", "vision") and win.model.rowCount() == 1


def test_trash_and_restore(qtbot, win):
    select_rows(win, [0, 1])
    win.actions_.trash.trigger()
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 6 and win.sidebar.count_of("view", "trash") == 2
    win.show_view("trash")
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 2
    select_rows(win, [0, 1])
    win.actions_.update_enabled()
    assert win.actions_.restore.isEnabled() and not win.actions_.trash.isEnabled()
    win.actions_.restore.trigger()
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 0 and win.sidebar.count_of("view", "queue") == 8


def test_next_up_selects_the_first_queued_paper_and_opens_it(qtbot, win, monkeypatch):
    from paperdeck.ui import links

    opened = []
    monkeypatch.setattr(links.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    first = win.model.id_at(0)
    win.lib.update(first, url="https://example.org/paper0")
    wait_idle(qtbot, win)
    win.show_view("read")
    wait_idle(qtbot, win)
    win.actions_.next_up.trigger()
    wait_idle(qtbot, win)
    assert win.view == "queue" and win.selected_ids() == [first]
    assert [u.toString() for u in opened] == ["https://example.org/paper0"]


def test_bulk_edit_on_many_papers_runs_in_the_background(qtbot, lib, tmp_path):
    lib.add([Draft(title=f"Bulk paper {i}") for i in range(1200)], raw_text="x", fmt="test")
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    win.list.selectAll()
    busy = []
    win.tasks.busy_changed.connect(lambda on, label: busy.append((on, label)))
    win.actions_.tag_selected(["bulk"])
    assert win.busy.isVisible() or busy  # the indicator shows while the worker tags
    wait_idle(qtbot, win)
    assert busy[0] == (True, "Tagging 1,200 papers…") and busy[-1][0] is False
    assert win.sidebar.count_of("tag", "bulk") == 1200
    close_window(qtbot, win)


def test_move_to_top_under_higher_priorities_says_so(qtbot, win, lib):
    """A tester pressed Ctrl+Shift+Up and the paper stopped below the prioritised ones,
    silently: the queue puts higher priorities first, and now the window says so."""
    from PySide6.QtCore import Qt

    ids = lib.ids(view="queue")
    lib.set_priority(ids[:2], 2)
    wait_idle(qtbot, win)
    win.reload()
    wait_idle(qtbot, win)
    select_rows(win, [7])
    win.list.setFocus()
    qtbot.keyClick(win.list, Qt.Key.Key_Up,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_idle(qtbot, win)
    assert titles(win)[2] == "Paper 7"
    assert "2 papers with a higher priority stay ahead" in win.statusBar().currentMessage()
    select_rows(win, [0])  # a prioritised paper really is at the top: nothing to say
    qtbot.keyClick(win.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, win)
    win.statusBar().clearMessage()
    qtbot.keyClick(win.list, Qt.Key.Key_Up,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_idle(qtbot, win)
    assert "higher priority" not in win.statusBar().currentMessage()
