"""Saved searches in the sidebar: a "Saved searches" section above the tags, each row
with its live count; choosing one runs its query; rename, delete and reorder from the
context menu; "Save search…" (Ctrl+Shift+S) names the search being typed.

Reads and writes go through the window's background worker (the counts run every
saved query, which at 100,000 papers is not GUI-thread work). The window composes this
section with only what it needs (see `ports.py`).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QMenu, QWidget

from paperdeck.core.library import Library
from paperdeck.core.saved_searches import SavedSearch

from . import plain
from .ports import Navigation, Report
from .sidebar import CountRole, KindRole, Sidebar, ValueRole
from .tasks import Tasks, describe

HEADER = "Saved searches"


class SavedSearchesSection:
    """The sidebar rows of saved searches, and the actions on them."""

    def __init__(self, host: QWidget, lib: Library, tasks: Tasks, report: Report, nav: Navigation,
                 sidebar: Sidebar) -> None:
        """`host` owns the Save search action (its shortcut works anywhere in it) and
        parents the dialogs."""
        self.host, self.lib, self.tasks, self.say, self.nav = host, lib, tasks, report, nav
        self.sidebar = sidebar
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
        self.save_action = QAction("Save search…", host)
        self.save_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_action.setToolTip("Keep the search being typed in the sidebar, with its count")
        self.save_action.triggered.connect(self.ask_save)
        host.addAction(self.save_action)
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
        token, lib = self._token, self.lib

        def done(searches: list[SavedSearch]) -> None:
            if token == self._token:
                self._show(searches)

        self.tasks.run(lib.saved_searches, done, lambda _e: None)

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
        lib, nav = self.lib, self.nav

        def show(query: str) -> None:
            nav.view, nav.tag = "all", ""
            if nav.current_query() == query:
                nav.reload()
            else:
                nav.search_for(query)

        self.tasks.run(lambda: lib.saved_query(name), show)

    # -- changes ----------------------------------------------------------------------
    def _run(self, fn, done_message: str) -> None:
        def done(_r: object) -> None:
            self.say(done_message)
            self.refresh()

        self.tasks.run(fn, done, lambda e: self.say(describe(e)))

    def save(self, name: str, query: str) -> None:
        lib = self.lib
        self._run(lambda: lib.save_search(name, query), f"Saved the search '{name.strip()}'.")

    def rename(self, old: str, new: str) -> None:
        lib = self.lib
        self._run(lambda: lib.rename_search(old, new), f"Renamed '{old}' to '{new.strip()}'.")

    def delete(self, name: str) -> None:
        lib = self.lib
        self._run(lambda: lib.remove_search(name), f"Deleted the saved search '{name}'.")

    def move(self, name: str, step: int) -> None:
        names = [n.casefold() for n in self.names()]
        where = names.index(name.casefold()) + step if name.casefold() in names else 0
        lib = self.lib
        self._run(lambda: lib.move_search(name, max(0, where)), f"Moved '{name}'.")

    # -- asking -----------------------------------------------------------------------
    def ask_save(self) -> None:
        query = self.nav.current_query().strip()
        if not query:
            self.say("Type a search first, then save it (Ctrl+Shift+S).")
            return
        name, ok = plain.ask_text(self.host, "Save search", f"Name for “{query}”:")  # the query as typed
        if ok and name.strip():
            self.save(name, query)

    def ask_rename(self, name: str) -> None:
        new, ok = QInputDialog.getText(self.host, "Rename saved search", "New name:", text=name)
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
        self.save_action.setEnabled(bool(self.nav.current_query().strip()))
        menu.exec(where)
        self.save_action.setEnabled(True)
