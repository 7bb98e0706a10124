"""Every keyboard shortcut of the window, pressed as a key on the focused card list (never
`QAction.trigger()`), with its effect on the library or the window checked; dialogs the keys
open are answered by typing and clicking. A second check finds bindings that clash: two
actions on one key (Qt would run neither and only warn), or an action on a menu's Alt key."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QInputDialog, QLineEdit

from paperdeck.core.models import Draft
from ui_helpers import (
    QT_LOG_IGNORE_DIALOGS,
    activate,
    choose_file,
    close_window,
    open_window,
    press,
    select_rows,
    type_and_enter,
    wait_idle,
    when_modal,
)

pytestmark = QT_LOG_IGNORE_DIALOGS

# What each key is bound to, written out by hand: a new, moved or lost binding shows here.
# Quit has the platform's key (Ctrl+Q on Linux and macOS, none on Windows, where Alt+F4
# closes a window; the offscreen platform follows Windows): see `platform_quit_key`.
EXPECTED = {
    "Ctrl+O": "Import…", "Ctrl+V": "Paste digest", "Ctrl+E": "Export…",
    "Ctrl+Z": "Undo", "Ctrl+Shift+Z": "Redo", "Ctrl+Y": "Redo", "Ctrl+F": "Find", "Ctrl+L": "Find",
    "Ctrl+1": "Back to queue", "Ctrl+2": "Start reading", "Ctrl+3": "Mark as read",
    "Ctrl+4": "Archive", "Alt+0": "No priority", "Alt+1": "Low priority", "Alt+2": "Medium priority",
    "Alt+3": "High priority", "Ctrl+T": "Add tag…", "Ctrl+Shift+T": "Remove tag…",
    "Ctrl+Shift+Up": "Move to top", "Ctrl+Up": "Move up", "Ctrl+Down": "Move down",
    "Ctrl+Shift+Down": "Move to bottom", "Del": "Move to trash", "Ctrl+Shift+R": "Restore from trash",
    "Ctrl+Shift+N": "Next up", "Ctrl+Return": "Open link", "Ctrl+Shift+C": "Copy BibTeX",
    "Ctrl+Shift+M": "Complete metadata", "Ctrl+Shift+S": "Save search…", "Ctrl+,": "Preferences…",
    "F1": "Keyboard shortcuts",
}
TWO_BIB = """@article{lovelace1843,
  title = {Notes on the Analytical Engine},
  author = {Lovelace, Ada},
  year = {1843},
}

@article{turing1950,
  title = {Computing Machinery and Intelligence},
  author = {Turing, Alan},
  year = {1950},
}
"""
TITLES = ("Attention maps", "Robot grasping", "Sparse robots", "Quiet models")


def action_name(text: str) -> str:
    """The menu text without its accelerator mark (and without the undo step it names)."""
    name = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return re.sub(r"^(Undo|Redo) .*", r"\1", name)


def bindings(win) -> dict[str, list[str]]:
    """Key → the actions of the window bound to it, and the menu bar's Alt+letter keys."""
    found: dict[str, list[str]] = defaultdict(list)
    for action in win.findChildren(QAction):
        if action.menu() is None:
            for sequence in action.shortcuts():
                found[sequence.toString()].append(action_name(action.text()))
    for action in win.menuBar().actions():
        mnemonic = re.search(r"&(\w)", action.text().replace("&&", ""))
        if mnemonic:
            found["Alt+" + mnemonic.group(1).upper()].append("menu " + action_name(action.text()))
    return dict(found)


@dataclass
class Desk:
    """A shown window over four papers (the last one an arXiv id without metadata), the
    card list focused and the second card ("Robot grasping") selected."""

    qtbot: object
    win: object
    ids: list[int]
    tmp: Path

    @property
    def lib(self):
        return self.win.lib

    def press(self, keys: str) -> None:
        press(self.qtbot, self.win.list, keys)

    def idle(self) -> None:
        wait_idle(self.qtbot, self.win)

    def pick(self, pid: int) -> None:
        self.idle()
        select_rows(self.win, [self.win.model.row_of(pid)])
        self.win.list.setFocus()

    def message(self) -> str:
        return self.win.statusBar().currentMessage()


@pytest.fixture
def desk(qtbot, lib, tmp_path):
    ids = lib.add([Draft(title=TITLES[0], url="https://example.org/attention"),
                   *(Draft(title=t) for t in TITLES[1:]), Draft(arxiv_id="1706.03762")],
                  raw_text="x", fmt="test")
    win = open_window(qtbot, lib, tmp_path / "settings.ini")
    activate(qtbot, win)
    here = Desk(qtbot, win, ids, tmp_path)
    here.pick(ids[1])
    yield here
    close_window(qtbot, win)


# -- the checks, one per key ----------------------------------------------------------------
def import_file(d: Desk) -> None:
    path = d.tmp / "digests" / "two.bib"
    path.parent.mkdir()
    path.write_text(TWO_BIB, encoding="utf-8")

    def choose(dialog: QFileDialog) -> None:
        choose_file(d.qtbot, dialog, path.name)

    d.win.settings.setValue("folders/import", str(path.parent))  # where the last import came from
    seen = when_modal(QFileDialog, choose)
    d.press("Ctrl+O")
    d.qtbot.waitUntil(lambda: d.win.importer.dialog is not None, timeout=10000)
    dialog = d.win.importer.dialog
    d.qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    assert seen == ["Import papers"]
    assert dialog.import_button.text() == "Import 2 papers"
    dialog.import_button.click()
    d.idle()
    assert {p.title for p in d.lib.papers(d.lib.ids(view="all"))} >= {
        "Notes on the Analytical Engine", "Computing Machinery and Intelligence"}
    assert d.win.settings.value("folders/import") == str(path.parent)


def paste_digest(d: Desk) -> None:
    QGuiApplication.clipboard().setText(TWO_BIB)
    d.press("Ctrl+V")
    d.qtbot.waitUntil(lambda: d.win.importer.dialog is not None, timeout=10000)
    dialog = d.win.importer.dialog
    d.qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    assert dialog.import_button.text() == "Import 2 papers"
    dialog.reject()


def export(d: Desk) -> None:
    d.press("Ctrl+E")
    dialog = d.win.exporter.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.scopes.checkedButton().text() == "Selected papers (1)"
    dialog.reject()


def undo(d: Desk) -> None:
    d.lib.set_status([d.ids[1]], "read")
    d.idle()
    d.pick(d.ids[0])
    d.press("Ctrl+Z")
    d.idle()
    assert d.lib.get(d.ids[1]).status == "queued"
    assert d.message() == "Undone: mark 1 paper read."


def redo(keys: str):
    def check(d: Desk) -> None:
        d.lib.set_status([d.ids[1]], "archived")
        d.lib.undo()
        d.idle()
        assert d.win.actions_.redo.isEnabled()
        d.press(keys)
        d.idle()
        assert d.lib.get(d.ids[1]).status == "archived"
        assert d.message().startswith("Redone: ")

    return check


def find(keys: str):
    def check(d: Desk) -> None:
        d.win.search.setText("robot")
        d.press(keys)
        assert d.win.search.hasFocus()
        assert d.win.search.selectedText() == "robot"  # typing replaces the old search

    return check


def status(keys: str, expected: str, before: str = "queued"):
    def check(d: Desk) -> None:
        d.win.show_view("all")
        d.lib.set_status([d.ids[1]], before)
        d.pick(d.ids[1])
        d.press(keys)
        d.idle()
        assert d.lib.get(d.ids[1]).status == expected
        assert d.lib.get(d.ids[2]).status == "queued"  # only the selected card

    return check


def priority(keys: str, expected: int):
    def check(d: Desk) -> None:
        d.lib.set_priority([d.ids[1]], 2 if expected != 2 else 0)
        d.pick(d.ids[1])
        d.press(keys)
        d.idle()
        assert d.lib.get(d.ids[1]).priority == expected

    return check


def add_tag(d: Desk) -> None:
    seen = when_modal(QInputDialog, lambda dialog: type_and_enter(d.qtbot, dialog, "robotics, to read"))
    d.press("Ctrl+T")
    d.idle()
    assert seen == ["Add tag"]
    assert sorted(d.lib.get(d.ids[1]).tags) == ["robotics", "to read"]
    assert d.lib.get(d.ids[0]).tags == []


def remove_tag(d: Desk) -> None:
    d.lib.add_tags([d.ids[1]], ["robotics", "vision"])
    d.pick(d.ids[1])

    def second_tag(dialog: QInputDialog) -> None:
        combo = dialog.findChild(QComboBox)
        assert [combo.itemText(i) for i in range(combo.count())] == ["robotics", "vision"]
        d.qtbot.keyClick(combo, Qt.Key.Key_Down)
        d.qtbot.keyClick(combo, Qt.Key.Key_Return)

    seen = when_modal(QInputDialog, second_tag)
    d.press("Ctrl+Shift+T")
    d.idle()
    assert seen == ["Remove tag"]
    assert d.lib.get(d.ids[1]).tags == ["robotics"]


def move(keys: str, expected_row: int):
    def check(d: Desk) -> None:
        d.pick(d.ids[2])
        d.press(keys)
        d.idle()
        order = d.win.model.ids()
        assert order.index(d.ids[2]) == expected_row
        assert d.lib.ids(view="queue") == order
        assert d.win.selected_ids() == [d.ids[2]]  # the moved card stays selected

    return check


def trash(d: Desk) -> None:
    d.press("Del")
    d.idle()
    assert d.lib.ids(view="trash") == [d.ids[1]]
    assert d.message() == "Moved 1 paper to the trash (Ctrl+Z to undo)."
    assert d.ids[1] not in d.win.model.ids()


def restore(d: Desk) -> None:
    d.lib.trash([d.ids[1]])
    d.win.show_view("trash")
    d.pick(d.ids[1])
    d.press("Ctrl+Shift+R")
    d.idle()
    assert d.lib.ids(view="trash") == []
    assert d.message() == "Restored 1 paper."


def next_up(d: Desk) -> None:
    d.win.show_view("all")
    d.pick(d.ids[3])
    QGuiApplication.clipboard().clear()
    d.press("Ctrl+Shift+N")
    d.idle()
    assert d.win.selected_ids() == [d.ids[0]]  # the first queued paper
    assert d.message().startswith("No web browser could be opened for https://example.org/attention")


def open_link(d: Desk) -> None:
    d.press("Ctrl+Return")
    assert d.message() == "'Robot grasping' has no web link to open."


def copy_bibtex(d: Desk) -> None:
    QGuiApplication.clipboard().clear()
    d.press("Ctrl+Shift+C")
    d.idle()
    key = d.lib.get(d.ids[1]).citekey
    text = QGuiApplication.clipboard().text()
    assert text.startswith("@") and key in text and "Robot grasping" in text


def complete_metadata(d: Desk) -> None:
    from enrich_fakes import FakeServices, Reply
    from paperdeck.core.enrich import EnrichSettings

    services = FakeServices().start()
    try:
        services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
        d.lib.metadata_client(EnrichSettings(arxiv_api=services.arxiv_api,
                                             crossref_api=services.crossref_api, arxiv_interval=0))
        d.pick(d.ids[4])
        d.press("Ctrl+Shift+M")
        d.qtbot.waitUntil(lambda: not d.win.metadata.running, timeout=30000)
        d.idle()
    finally:
        services.stop()
    assert d.lib.get(d.ids[4]).title.startswith("Attention Is All You Need")
    for box in QApplication.topLevelWidgets():  # the "what changed" note
        if box.windowTitle() == "Metadata completed":
            box.close()


def save_search(d: Desk) -> None:
    d.qtbot.keyClicks(d.win.search, "robot")
    d.qtbot.keyClick(d.win.search, Qt.Key.Key_Return)
    d.idle()
    d.win.list.setFocus()
    seen = when_modal(QInputDialog, lambda dialog: type_and_enter(d.qtbot, dialog, "Robots"))
    d.press("Ctrl+Shift+S")
    d.idle()
    assert seen == ["Save search"]
    assert [(s.name, s.query) for s in d.lib.saved_searches()] == [("Robots", "robot")]


def preferences(d: Desk) -> None:
    from paperdeck.ui.preferences import PreferencesDialog

    d.press("Ctrl+,")
    dialog = d.win.findChild(PreferencesDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def shortcuts(d: Desk) -> None:
    from paperdeck.ui.shortcuts import ShortcutsDialog

    d.press("F1")
    dialog = d.win.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Move to trash"] == "Del" and rows["Redo"] == "Ctrl+Shift+Z, Ctrl+Y"
    dialog.reject()


CHECKS = {
    "Ctrl+O": import_file, "Ctrl+V": paste_digest, "Ctrl+E": export,
    "Ctrl+Z": undo, "Ctrl+Shift+Z": redo("Ctrl+Shift+Z"), "Ctrl+Y": redo("Ctrl+Y"),
    "Ctrl+F": find("Ctrl+F"), "Ctrl+L": find("Ctrl+L"),
    "Ctrl+1": status("Ctrl+1", "queued", before="read"), "Ctrl+2": status("Ctrl+2", "reading"),
    "Ctrl+3": status("Ctrl+3", "read"), "Ctrl+4": status("Ctrl+4", "archived"),
    "Alt+0": priority("Alt+0", 0), "Alt+1": priority("Alt+1", 1), "Alt+2": priority("Alt+2", 2),
    "Alt+3": priority("Alt+3", 3), "Ctrl+T": add_tag, "Ctrl+Shift+T": remove_tag,
    "Ctrl+Shift+Up": move("Ctrl+Shift+Up", 0), "Ctrl+Up": move("Ctrl+Up", 1),
    "Ctrl+Down": move("Ctrl+Down", 3), "Ctrl+Shift+Down": move("Ctrl+Shift+Down", 4),
    "Del": trash, "Ctrl+Shift+R": restore, "Ctrl+Shift+N": next_up, "Ctrl+Return": open_link,
    "Ctrl+Shift+C": copy_bibtex, "Ctrl+Shift+M": complete_metadata, "Ctrl+Shift+S": save_search,
    "Ctrl+,": preferences, "F1": shortcuts,
}


@pytest.mark.parametrize("keys", list(CHECKS))
def test_pressing_the_key_does_what_its_action_says(desk, keys):
    [name] = bindings(desk.win)[keys]
    assert name == EXPECTED[keys]
    CHECKS[keys](desk)


def platform_quit_key() -> str:
    return QKeySequence(QKeySequence.StandardKey.Quit).toString()


def test_every_binding_is_expected_and_pressed_by_a_test(desk):
    found = {keys: names for keys, names in bindings(desk.win).items() if not names[0].startswith("menu ")}
    quit_key = {platform_quit_key(): "Quit"} if platform_quit_key() else {}
    assert {keys: names[0] for keys, names in found.items()} == EXPECTED | quit_key
    assert set(CHECKS) == set(EXPECTED)


def test_quit_by_keyboard_closes_the_window_and_saves_where_it_was(desk):
    """The platform's Quit key where it has one; else the File menu by its letters (Alt+F, Q)."""
    if platform_quit_key():
        desk.press(platform_quit_key())
    else:
        press(desk.qtbot, desk.win, "Alt+F")
        desk.qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
        menu = QApplication.activePopupWidget()
        assert [a.text() for a in menu.actions()][-1] == "&Quit"
        desk.qtbot.keyClick(menu, Qt.Key.Key_Q)
    desk.qtbot.waitUntil(lambda: not desk.win.isVisible(), timeout=5000)
    assert desk.win.closing
    assert int(desk.win.settings.value("view/current")) == desk.ids[1]  # saved on the way out


def test_no_two_actions_share_a_key(desk):
    """Qt runs neither of two actions bound to one key (it reports an "ambiguous shortcut");
    an action on Alt+letter would also shadow the menu opened by that letter."""
    clashes = {keys: names for keys, names in bindings(desk.win).items() if len(names) > 1}
    assert clashes == {}


def test_bindings_finds_a_clash_when_there_is_one(desk):
    """The clash check itself: a second action on Del and one on the File menu's Alt+F."""
    extra = QAction("Delete for good", desk.win)
    extra.setShortcut("Del")
    desk.win.addAction(extra)
    menu_key = QAction("Filter", desk.win)
    menu_key.setShortcut("Alt+F")
    desk.win.addAction(menu_key)
    clashes = {keys: names for keys, names in bindings(desk.win).items() if len(names) > 1}
    assert clashes == {"Del": ["Move to trash", "Delete for good"], "Alt+F": ["Filter", "menu File"]}


def test_empty_clipboard_says_so_instead_of_opening_an_empty_import(desk):
    QGuiApplication.clipboard().clear()
    desk.press("Ctrl+V")
    assert desk.win.importer.dialog is None
    assert desk.message() == "The clipboard holds no text to import. Copy a digest first."


def test_keys_typed_in_the_search_box_edit_the_search_not_the_library(desk):
    """Del and Ctrl+Z in the search field edit its text (the field takes them before the
    window's shortcuts): typing never trashes or undoes papers."""
    activate(desk.qtbot, desk.win, desk.win.search)
    desk.qtbot.keyClicks(desk.win.search, "robots")
    desk.qtbot.keyClick(desk.win.search, Qt.Key.Key_Home)
    press(desk.qtbot, desk.win.search, "Del")
    assert desk.win.search.text() == "obots"
    press(desk.qtbot, desk.win.search, "Ctrl+Z")
    assert desk.win.search.text() == "robots"
    desk.idle()
    assert desk.lib.ids(view="trash") == []
    assert isinstance(QApplication.focusWidget(), QLineEdit)
