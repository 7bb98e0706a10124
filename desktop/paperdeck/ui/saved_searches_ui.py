"""Saved searches in the sidebar: a "Saved searches" section above the tags, each row
with its live count; choosing one runs its query; rename, delete and reorder from the
context menu; "Save search…" (Ctrl+Shift+S) names the search being typed.

Reads and writes go through the window's background worker (the counts run every
saved query, which at 100,000 papers is not GUI-thread work).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QMenu

from paperdeck.core.saved_searches import SavedSearch

from .sidebar import CountRole, KindRole, ValueRole
from .tasks import describe

if TYPE_CHECKING:
    from .main_window import MainWindow

HEADER = "Saved searches"


class SavedSearchesSection:
    """The sidebar rows of saved searches, and the actions on them."""

    def __init__(self, win: MainWindow) -> None:
        self.win = win
        self.sidebar = win.sidebar
        self.searches: list[SavedSearch] = []
        self._token = 0
        header = QListWidgetItem(HEADER)
        header.setData(KindRole, "header")
        header.setData(ValueRole, "")
        header.setData(CountRole, None)
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        self.sidebar.insertItem(self._tags_row(), header)
        self.sidebar.chosen.connect(self._chosen)
        self.sidebar.menu_requested.connect(self._menu)
        self.save_action = QAction("Save search…", win)
        self.save_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_action.setToolTip("Keep the search being typed in the sidebar, with its count")
        self.save_action.triggered.connect(self.ask_save)
        win.addAction(self.save_action)
        self.refresh()

    # -- rows -------------------------------------------------------------------------
    def _tags_row(self) -> int:
        return next(r for r in range(self.sidebar.count())
                    if self.sidebar.item(r).data(KindRole) == "header"
                    and self.sidebar.item(r).text() == "Tags")

    def _header_row(self) -> int:
        return next(r for r in range(self.sidebar.count())
                    if self.sidebar.item(r).data(KindRole) == "header"
                    and self.sidebar.item(r).text() == HEADER)

    def refresh(self) -> None:
        """Re-read the saved searches and their counts (on the worker)."""
        self._token += 1
        token, lib = self._token, self.win.lib

        def done(searches: list[SavedSearch]) -> None:
            if token == self._token:
                self._show(searches)

        self.win.tasks.run(lib.saved_searches, done, lambda _e: None)

    def _show(self, searches: list[SavedSearch]) -> None:
        self.searches = searches
        sidebar = self.sidebar
        chosen = sidebar.current()
        sidebar.blockSignals(True)
        try:
            start = self._header_row() + 1
            while sidebar.item(start).data(KindRole) == "saved":
                sidebar.takeItem(start)
            for offset, s in enumerate(searches):
                item = QListWidgetItem(s.name)
                item.setData(KindRole, "saved")
                item.setData(ValueRole, s.name)
                item.setData(CountRole, s.count)
                item.setToolTip(f"Saved search: {s.query}\n(right-click to rename, move or delete)")
                sidebar.insertItem(start + offset, item)
            sidebar.item(self._header_row()).setHidden(not searches)
            if chosen[0] == "saved" and not sidebar.select(*chosen, emit=False):
                sidebar.select("view", "all", emit=False)
        finally:
            sidebar.blockSignals(False)

    def names(self) -> list[str]:
        return [s.name for s in self.searches]

    # -- choosing one -----------------------------------------------------------------
    def _chosen(self, kind: str, name: str) -> None:
        if kind != "saved":
            return
        lib = self.win.lib

        def show(query: str) -> None:
            win = self.win
            win.view, win.tag = "all", ""
            if win.search.query() == query:
                win.reload()
            else:
                win.search.set_query(query)

        self.win.tasks.run(lambda: lib.saved_query(name), show)

    # -- changes ----------------------------------------------------------------------
    def _run(self, fn, done_message: str) -> None:
        def done(_r: object) -> None:
            self.win.say(done_message)
            self.refresh()

        self.win.tasks.run(fn, done, lambda e: self.win.say(describe(e)))

    def save(self, name: str, query: str) -> None:
        lib = self.win.lib
        self._run(lambda: lib.save_search(name, query), f"Saved the search '{name.strip()}'.")

    def rename(self, old: str, new: str) -> None:
        lib = self.win.lib
        self._run(lambda: lib.rename_search(old, new), f"Renamed '{old}' to '{new.strip()}'.")

    def delete(self, name: str) -> None:
        lib = self.win.lib
        self._run(lambda: lib.remove_search(name), f"Deleted the saved search '{name}'.")

    def move(self, name: str, step: int) -> None:
        names = [n.casefold() for n in self.names()]
        where = names.index(name.casefold()) + step if name.casefold() in names else 0
        lib = self.win.lib
        self._run(lambda: lib.move_search(name, max(0, where)), f"Moved '{name}'.")

    # -- asking -----------------------------------------------------------------------
    def ask_save(self) -> None:
        query = self.win.search.query().strip()
        if not query:
            self.win.say("Type a search first, then save it (Ctrl+Shift+S).")
            return
        name, ok = QInputDialog.getText(self.win, "Save search", f"Name for “{query}”:")
        if ok and name.strip():
            self.save(name, query)

    def ask_rename(self, name: str) -> None:
        new, ok = QInputDialog.getText(self.win, "Rename saved search", "New name:", text=name)
        if ok and new.strip() and new.strip() != name:
            self.rename(name, new)

    def _menu(self, kind: str, value: str, where: QPoint) -> None:
        menu = QMenu(self.sidebar)
        if kind == "saved":
            names = self.names()
            at = [n.casefold() for n in names].index(value.casefold()) if value else -1
            menu.addAction(f"Rename '{value}'…", lambda: self.ask_rename(value))
            up = menu.addAction("Move up", lambda: self.move(value, -1))
            down = menu.addAction("Move down", lambda: self.move(value, +1))
            up.setEnabled(at > 0)
            down.setEnabled(0 <= at < len(names) - 1)
            menu.addAction(f"Delete '{value}'", lambda: self.delete(value))
            menu.addSeparator()
        menu.addAction(self.save_action)
        self.save_action.setEnabled(bool(self.win.search.query().strip()))
        menu.exec(where)
        self.save_action.setEnabled(True)
