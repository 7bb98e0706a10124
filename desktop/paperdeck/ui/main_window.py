"""The library window: sidebar, card list and detail pane, and the wiring between them.

Behaviour lives in small helpers: `paper_actions` (actions, shortcuts, edits of the
selection), `importing` (paste, files, the import dialog), `exporting`, `metadata`,
`stats_view` and the triage parts (`triage_ui`, `saved_searches_ui`). Each gets only
what it needs (see `ports.py`); this class composes them, lays out the menus, loads id
lists through the background worker, and reacts to the library's change notifications.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QListView,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from paperdeck.core.edits import Change
from paperdeck.core.errors import QueryError
from paperdeck.core.library import Library

from . import restore_dialog
from .card_delegate import CardDelegate
from .card_model import CardModel
from .detail import DetailPane
from .empty_view import VIEW_NAMES, EmptyView
from .exporting import Exporter
from .folders import RecentFolder
from .highlight import query_terms
from .importing import Importer, summary
from .metadata import MetadataCompleter
from .paper_actions import PaperActions
from .paper_text import count
from .plain import plain
from .ports import Commands
from .saved_searches_ui import SavedSearchesSection
from .search_bar import QueryHint, SearchField
from .sidebar import Sidebar
from .stats_view import StatsView
from .tasks import Tasks, describe
from .triage_ui import TriageController
from .welcome import WelcomePanel

SORTS = (("queue", "Queue order"), ("relevance", "Relevance"), ("for-you", "For you"),
         ("added", "Date added"), ("year", "Year"), ("title", "Title"), ("author", "First author"))
STALE = object()
LAYOUT_BATCH = 4000


class _ChangeRelay(QObject):
    """Carries the library's change notices (sent from the worker) to the GUI thread."""

    changed = Signal(object)


class MainWindow(QMainWindow):
    """The one window. `cards_shown` fires when the first id list is on screen;
    `search_applied(n)` whenever a search result (n papers) replaced the list."""

    cards_shown = Signal()
    search_applied = Signal(int)
    ids_applied = Signal(int)
    background_requested = Signal(object)  # from the worker: large re-indexing to run aside

    def __init__(self, lib: Library, settings: QSettings | None = None) -> None:
        super().__init__()
        self.lib = lib
        self.settings = settings if settings is not None else QSettings()
        self.tasks = Tasks(self)
        self.indexer = Tasks(self, daemon=True)
        self.view, self.tag = "queue", ""
        self._request = 0
        self._first_shown = False
        self._closed = False
        self._counts: dict[str, int] = {"all": -1}  # unknown until the worker has counted
        self._sort_before_search: str | None = None
        self._sort_outside_foryou: str | None = None  # the user's order, shown again on leaving
        # Where the user was when a search started (selected ids, current id), and the top
        # hit the search selected by itself: clearing the search goes back unless the user
        # chose other cards meanwhile.
        self._before_search: tuple[list[int], int | None] | None = None
        self._auto_pick: list[int] = []
        self._restore_current: int | None = None
        self._indexing = False  # a background re-index is running
        self._indexing_new = 0  # new papers it is adding (said in the status bar)
        self._pending_tag: str | None = None  # the tag to choose once the sidebar lists it
        self.setWindowTitle("paperdeck")
        self.setAcceptDrops(True)
        self._build()
        self._compose()
        self._build_menus()
        # File → Restore from backup…, and the watch for restores made elsewhere
        self.restore_action = restore_dialog.install(self.file_menu, self, lib, self.tasks, self.say)
        self._connect_signals()
        self.background_requested.connect(self._run_background)
        lib.background = self.background_requested.emit
        self._restore_settings()
        self.reload()
        self.refresh_counts()

    # -- construction ------------------------------------------------------------------
    def _build(self) -> None:
        self.sidebar = Sidebar()
        self.model = CardModel(self.lib, self)
        self.list = QListView()
        self.list.setObjectName("cards")
        self.list.setModel(self.model)
        self.delegate = CardDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setUniformItemSizes(True)
        # Lay out a huge list in slices between events: the first cards show at once.
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(LAYOUT_BATCH)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setMouseTracking(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setDragDropOverwriteMode(False)
        self.list.setDropIndicatorShown(True)
        self.list.setFrameShape(QListView.Shape.NoFrame)
        self.list.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.hint = QueryHint()
        self.welcome = WelcomePanel()
        self.stats = StatsView()
        self.empty = EmptyView()
        self.stack = QStackedWidget()
        for page in (self.list, self.welcome, self.stats, self.empty):
            self.stack.addWidget(page)
        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.hint)
        column.addWidget(self.stack, 1)
        self.detail = DetailPane(self.lib, self.tasks)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for pane in (self.sidebar, middle, self.detail):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([180, 560, 420])
        self.sidebar.setMinimumWidth(130)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.search = SearchField()
        self.sort = QComboBox()
        for key, label in SORTS:
            self.sort.addItem(label, key)
        self.sort.setToolTip("Order of the cards")
        self.shown_label = plain(QLabel())
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.busy_label = plain(QLabel())  # shows titles while looking metadata up
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.shown_label)
        self.resize(1280, 800)

    def _compose(self) -> None:
        lib, tasks, say = self.lib, self.tasks, self.say
        self.metadata = MetadataCompleter(lib, tasks, say, self.busy_label.setText, self)
        self.statusBar().insertPermanentWidget(2, self.metadata.stop_button)  # after the busy bar
        self.importer = Importer(lib, tasks, say, self, self.show_imported, self.metadata.complete,
                                 RecentFolder(self.settings, "import"))
        self.exporter = Exporter(lib, tasks, say, self, self, RecentFolder(self.settings, "export"),
                                 nav=self)
        commands = Commands(
            import_files=self.importer.choose_files, paste=self.importer.paste,
            export=self.exporter.open_dialog,
            copy_bibtex=lambda ids: self.exporter.to_clipboard(ids, "bibtex"),
            complete=self.metadata.complete, show_stats=lambda: self.sidebar.select("stats", ""),
            quit=self.close)
        self.actions_ = PaperActions(self, lib, tasks, say, self, self, commands)
        # For you, saved searches, suggestions (issue 16).
        saved = SavedSearchesSection(self, lib, tasks, say, self, self.sidebar)
        self.triage = TriageController(self, lib, tasks, say, self, self, saved,
                                       list_view=self.list, model=self.model,
                                       detail=self.detail, sidebar=self.sidebar)
        self.ids_applied.connect(self.triage.list_shown)
        self.cards_shown.connect(self.triage.warm_up)
        self.importer.triage_tasks = self.triage.tasks  # the import review ranks on its worker

    def _build_menus(self) -> None:
        a = self.actions_
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.file_menu = file  # others add entries (Restore from backup…) before the separator
        for action in (a.import_file, a.paste, a.export):
            file.addAction(action)
        file.addSeparator()
        file.addAction(a.quit)
        edit = bar.addMenu("&Edit")
        for action in (a.undo, a.redo):
            edit.addAction(action)
        edit.addSeparator()
        self.select_all = edit.addAction("Select &all", self.list.selectAll)
        edit.addAction(a.find)
        edit.addSeparator()
        edit.addAction(a.empty_trash)
        edit.addSeparator()
        self.preferences_action = edit.addAction("&Preferences…", self.show_preferences)
        self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.addAction(self.preferences_action)
        paper = bar.addMenu("&Paper")
        a.fill_paper_menu(paper)
        paper.insertAction(a.next_up, self.metadata.stop_action)  # after Complete metadata
        self.view_menu = bar.addMenu("&View")
        for key, label in VIEW_NAMES.items():
            self.view_menu.addAction(label, lambda k=key: self.show_view(k))
        self.view_menu.addAction(a.show_stats)
        self.view_menu.addSeparator()
        self.view_menu.addAction(a.find)
        self.help_menu = bar.addMenu("&Help")
        self.shortcuts_action = self.help_menu.addAction("&Keyboard shortcuts", self.show_shortcuts)
        self.shortcuts_action.setShortcut(QKeySequence("F1"))
        self.addAction(self.shortcuts_action)
        tools = self.addToolBar("Main")
        tools.setObjectName("mainToolbar")
        tools.setMovable(False)
        tools.addWidget(self.search)
        tools.addWidget(self.sort)
        tools.addSeparator()
        for action in (a.next_up, a.import_file, a.export):
            tools.addAction(action)

    def show_preferences(self):
        from .preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        dialog.open()
        return dialog

    def show_shortcuts(self):
        from .shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self.actions(), self)
        dialog.open()
        return dialog

    def _connect_signals(self) -> None:
        self.relay = _ChangeRelay(self)
        self.relay.changed.connect(self._on_change)
        self.lib.subscribe(self._listen)
        self.sidebar.chosen.connect(self._sidebar_chosen)
        self.sidebar.rename_requested.connect(self.actions_.ask_rename_tag)
        self.sidebar.delete_requested.connect(self.actions_.ask_delete_tag)
        self.search.query_changed.connect(self._query_changed)
        self.search.digest_pasted.connect(self.importer.paste)
        self.search.down_pressed.connect(self._into_list)
        self.sort.activated.connect(lambda _i: self.reload())
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        # The paper actions follow the selection: Ctrl+A or Shift+click select cards
        # without moving the current one.
        self.list.selectionModel().selectionChanged.connect(lambda *_: self.actions_.update_enabled())
        self.list.customContextMenuRequested.connect(
            lambda pos: self.actions_.card_menu(self.list.viewport().mapToGlobal(pos)))
        self.model.move_requested.connect(self.actions_.move_to)
        self.delegate.tag_clicked.connect(self.filter_by_tag)
        self.detail.tag_clicked.connect(self.filter_by_tag)
        self.detail.message.connect(self.say)
        self.tasks.failed.connect(self.say)
        self.indexer.failed.connect(self.say)
        self.tasks.busy_changed.connect(self._busy)
        self.empty.search_everywhere.connect(lambda: self.show_view("all"))
        self.empty.search_any.connect(self.search.replace_query)
        self.welcome.import_sample.connect(self.importer.import_sample)
        self.welcome.paste.connect(self.importer.paste)

    def _listen(self, change: Change) -> None:  # worker thread: only hand the notice over
        if not self._closed:
            self.relay.changed.emit(change)

    # -- settings ----------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.settings
        if s.value("window/geometry"):
            self.restoreGeometry(s.value("window/geometry"))
        if s.value("window/state"):
            self.restoreState(s.value("window/state"))
        if s.value("window/splitter"):
            self.splitter.restoreState(s.value("window/splitter"))
        current = s.value("view/current", "")
        self._restore_current = int(current) if str(current).isdigit() else None
        sort = s.value("view/sort", "queue")
        self.sort.setCurrentIndex(max(0, self.sort.findData(sort)))
        kind, value = s.value("view/kind", "view"), s.value("view/value", "queue")
        if kind == "tag" and value:
            # Tag rows appear with the first counts (read on the worker): the tag is
            # chosen in the sidebar then (_show_counts); its cards load now.
            self.view, self.tag, self._pending_tag = "all", value, value
            self.sidebar.select("view", "all", emit=False)
            return
        if kind == "view" and value:
            self.view = value
        if not self.sidebar.select(kind, value, emit=False):
            self.view, self.tag = "queue", ""
            self.sidebar.select("view", "queue", emit=False)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        kind, value = self.sidebar.current()
        if kind != "stats":
            s.setValue("view/kind", kind)
            s.setValue("view/value", value)
        # the user's own order, not the one a search or the For you view put up for a while
        s.setValue("view/sort", self._sort_outside_foryou or self._sort_before_search
                   or self.sort.currentData())
        current = self.list.currentIndex()
        if current.isValid():
            s.setValue("view/current", self.model.id_at(current.row()))
        s.sync()

    # -- what is shown -----------------------------------------------------------------
    def _sort_shown(self) -> None:
        """Make the dropdown name the order the cards come in: without a search there is no
        relevance, and the For you view ranks by score when the chosen order is the queue's
        (`Library.ids`); leaving that view puts the user's order back."""
        searching, key = bool(self.search.query().strip()), self.sort.currentData()
        if not searching and key == "relevance":
            key = "queue"
        if self.view == "foryou" and not searching and key == "queue":
            self._sort_outside_foryou, key = "queue", "for-you"
        elif self.view == "foryou" and not searching and key != "for-you":
            self._sort_outside_foryou = None  # the user chose another order here
        elif self.view != "foryou" and self._sort_outside_foryou is not None:
            if key == "for-you":
                key = self._sort_outside_foryou
            if self._sort_before_search == "for-you":
                self._sort_before_search = self._sort_outside_foryou
            self._sort_outside_foryou = None
        if key != self.sort.currentData():
            self.sort.setCurrentIndex(max(0, self.sort.findData(key)))

    def sort_key(self) -> str | None:
        key = self.sort.currentData()
        return None if key == "relevance" else key

    def _query_changed(self, query: str) -> None:
        """Searching orders by relevance and shows the top hit at the top, selected; clearing
        the search puts the previous order back and returns to the cards selected before."""
        searching = bool(query.strip())
        if searching and self._sort_before_search is None:
            self._sort_before_search = self.sort.currentData()
            self.sort.setCurrentIndex(self.sort.findData("relevance"))
        elif not searching and self._sort_before_search is not None:
            self.sort.setCurrentIndex(max(0, self.sort.findData(self._sort_before_search)))
            self._sort_before_search = None
        if searching:
            if self._before_search is None:
                current = self.list.currentIndex()
                self._before_search = (self.selected_ids(), self.model.id_at(current.row())
                                       if current.isValid() else None)
            self.reload(top=True)
            return
        before, self._before_search = self._before_search, None
        chosen = self.selected_ids()
        if before is not None and (not chosen or chosen == self._auto_pick):
            ids, current = before
            self.reload(select=ids, current=current)
        else:
            self.reload(select=chosen or None)

    def trash_count(self) -> int:
        return self._counts.get("trash", 0)

    def reorderable(self) -> bool:
        return (self.view == "queue" and not self.tag and not self.search.query()
                and self.sort.currentData() == "queue")

    def reload(self, select: list[int] | None = None, top: bool = False,
               current: int | None = None) -> int:
        """Fetch the id list for the current view, tag, search and sort off the GUI thread.
        `select`: the ids to select (and scroll to), `current` the one shown in the detail
        pane; `top`: select the first card and scroll to the top (a new search)."""
        self._sort_shown()
        self._request += 1
        token = self._request
        query, view, tag = self.search.query(), self.view, self.tag or None
        sort = self.sort_key()
        if query and self.sort.currentData() == "relevance":
            sort = None

        def fetch() -> object:
            if token != self._request:
                return STALE  # a newer request is queued: skip the work
            return self.lib.ids(query or None, view=view, tag=tag, sort=sort)

        def done(ids: object) -> None:
            if token != self._request or ids is STALE:
                return
            self.hint.clear_problem()
            self._apply_ids(ids, query, select, top, current)

        def failed(error: BaseException) -> None:
            if token != self._request:
                return
            if isinstance(error, QueryError):
                self.hint.show_problem(str(error))
            else:
                self.say(describe(error))

        self.tasks.run(fetch, done, failed)
        return token

    def _apply_ids(self, ids: list[int], query: str, select: list[int] | None, top: bool = False,
                   current_id: int | None = None) -> None:
        if top:
            select = ids[:1]
            self._auto_pick = list(select)
        restore, self._restore_current = self._restore_current, None
        if select is None and restore is not None and not self.list.currentIndex().isValid():
            select = [restore]  # the paper shown when the window last closed
        keep = select if select is not None else self.selected_ids()
        current = self.list.currentIndex()
        old_row = current.row() if current.isValid() else -1
        old_id = self.model.id_at(old_row) if old_row >= 0 else None
        if current_id is not None:
            old_id = current_id
        self.model.reorderable = self.reorderable()
        self.model.set_ids(ids, query_terms(query))
        self.detail.terms = self.model.terms
        rows = [r for r in (self.model.row_of(i) for i in keep) if r >= 0]
        if not rows and select is None and old_row >= 0 and ids:
            rows = [min(old_row, len(ids) - 1)]  # the shown paper left the view: take its neighbour
        self.select_rows(rows, prefer=self.model.row_of(old_id) if old_id is not None else -1,
                         scroll=select is not None)
        if top:
            self.list.scrollToTop()
        if not rows:
            self.detail.show_paper(None, self.model.terms)
        self._update_pages(len(ids), query)
        self.ids_applied.emit(len(ids))
        if query or self.search.query() == "":
            self.search_applied.emit(len(ids))
        if not self._first_shown:
            self._first_shown = True
            self.cards_shown.emit()

    def select_rows(self, rows: list[int], prefer: int = -1, scroll: bool = False) -> None:
        """Select these rows; the current one is `prefer` if selected, else the first."""
        sel = QItemSelection()
        for row in sorted(rows):
            sel.select(self.model.index(row), self.model.index(row))
        sm = self.list.selectionModel()
        sm.select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if rows:
            row = prefer if prefer in rows else min(rows)
            sm.setCurrentIndex(self.model.index(row), QItemSelectionModel.SelectionFlag.NoUpdate)
            self._current_changed(self.model.index(row))
            if scroll:
                self.list.scrollTo(self.model.index(row), QAbstractItemView.ScrollHint.PositionAtCenter)

    def _update_pages(self, shown: int, query: str) -> None:
        counts = self._counts
        empty = counts.get("all", -1) == 0 and counts.get("trash", 0) == 0 and not query and not shown
        if self.sidebar.current()[0] != "stats":
            if empty:
                self._page(self.welcome)
            elif shown == 0 and counts.get("all", -1) >= 0:
                self.empty.show_for(self.view, self.tag, query)
                self._page(self.empty)
            else:
                self._page(self.list)
        noun = "paper" if shown == 1 else "papers"
        where = f"tag “{self.tag}”" if self.tag else VIEW_NAMES.get(self.view, self.view)
        self.shown_label.setText(f"{shown:,} {noun} shown" + (f" (search in {where})" if query else ""))

    def _page(self, page: QWidget) -> None:
        """Show a page in the middle; the welcome and statistics pages take the detail pane's
        room too (it would only say "Select a paper")."""
        self.stack.setCurrentWidget(page)
        self.detail.setVisible(page not in (self.welcome, self.stats))

    def refresh_counts(self) -> None:
        """Counts and tags are read on the worker: at 100,000 papers they take a few tenths
        of a second, too long for the GUI thread after every edit."""
        lib = self.lib
        self._counts_token = getattr(self, "_counts_token", 0) + 1
        token = self._counts_token

        def done(result: tuple[dict[str, int], list[tuple[str, int]]]) -> None:
            if token == self._counts_token:
                self._show_counts(*result)

        self.tasks.run(lambda: (lib.counts(), lib.tags()), done)

    def _show_counts(self, counts: dict[str, int], tags: list[tuple[str, int]]) -> None:
        self._counts = counts
        self.sidebar.set_counts(counts, tags)
        pending, self._pending_tag = self._pending_tag, None
        if pending is not None and (self.view, self.tag) == ("all", pending) and not self.sidebar.select(
                "tag", pending, emit=False):  # the tag shown at closing is gone: the queue
            self.view, self.tag = "queue", ""
            self.sidebar.select("view", "queue", emit=False)
            self.reload()
        self.detail.set_tag_names([name for name, _ in tags])
        if self.model.rowCount() == 0:
            self._update_pages(0, self.search.query())

    def _sidebar_chosen(self, kind: str, value: str) -> None:
        if kind == "saved":
            return  # SavedSearchesSection shows saved searches
        if kind == "stats":
            self._page(self.stats)
            self.stats.load(self.lib, self.tasks)
            return
        self.view, self.tag = ("all", value) if kind == "tag" else (value, "")
        self.actions_.update_enabled()
        self.reload()

    def filter_by_tag(self, name: str) -> None:
        if self.sidebar.select("tag", name, emit=False):
            self._sidebar_chosen("tag", self.sidebar.current()[1])

    def show_view(self, view: str) -> None:
        self.sidebar.select("view", view)

    def _into_list(self) -> None:
        """Down in the search box: on to the cards, the current one (or the first) selected."""
        if not self.model.rowCount() or self.stack.currentWidget() is not self.list:
            return
        self.list.setFocus(Qt.FocusReason.TabFocusReason)  # (makes the first card current)
        if not self.has_selection():
            current = self.list.currentIndex()
            self.select_rows([current.row() if current.isValid() else 0])

    def current_query(self) -> str:
        return self.search.query()

    def search_for(self, query: str) -> None:
        self.search.set_query(query)

    def clear_search(self) -> None:
        self.search.set_query("")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def show_imported(self, ids: list[int], duplicates: int) -> None:
        """After an import: say what happened and show the first new paper, selected alone
        (selecting all of them made the next Delete trash the whole import)."""
        self.say(summary(len(ids), duplicates), 10000)
        if not ids:
            return
        if self.view not in ("queue", "all") or self.tag or self.search.query():
            self.search.blockSignals(True)
            self.search.set_query("")
            self.search.blockSignals(False)
            self._before_search = None
            if self._sort_before_search is not None:
                self.sort.setCurrentIndex(max(0, self.sort.findData(self._sort_before_search)))
                self._sort_before_search = None
            self.sidebar.select("view", "queue", emit=False)
            self.view, self.tag = "queue", ""
        self.reload(select=ids[:1])

    # -- selection (ports.CardSelection) -----------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.list.selectionModel().selectedRows())
        return [self.model.id_at(r) for r in rows]

    def shown_ids(self) -> list[int]:
        return self.model.ids()

    def has_selection(self) -> bool:
        return self.list.selectionModel().hasSelection()

    # -- the card list (ports.CardList, with sort_key and select_rows above) -----------
    @property
    def closing(self) -> bool:
        """True from the start of closing: change notices from the worker are dropped."""
        return self._closed

    def _current_changed(self, index, _previous=None) -> None:
        paper = self.model.paper_at(index.row()) if index.isValid() else None
        self.detail.show_paper(paper, self.model.terms)
        self.actions_.update_enabled()

    # -- changes from the library ------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if self._closed:
            return
        self.refresh_counts()
        self.actions_.update_undo()
        if change.inserted and self._indexing:
            self._indexing_new += len(change.paper_ids)
            self._show_note()
        if change.inserted or change.order or change.tags or self.search.query():
            self.reload()
        else:
            self.model.refresh(change.paper_ids)
        if self.detail.paper is not None and self.detail.paper.id in change.paper_ids:
            self.detail.reload()
        if self.sidebar.current()[0] == "stats":
            self.stats.load(self.lib, self.tasks)

    def _run_background(self, fn) -> None:
        """Re-index a large edit on the index thread; the cards are already up to date, and
        the status bar says that search finds the new papers once this is done."""
        self._indexing = True
        self._show_note()

        def done(_result: object) -> None:
            self._indexing, self._indexing_new = False, 0
            self._show_note()
            if self.search.query():
                self.reload()  # the search now finds the new papers

        def failed(error: BaseException) -> None:
            done(None)
            self.say(describe(error))

        self.indexer.run(fn, done, failed)

    def indexing_note(self) -> str:
        if not self._indexing:
            return ""
        if self._indexing_new:
            return f"Indexing {count(self._indexing_new, 'new paper')}… (search finds them when done)"
        return "Updating the search index…"

    def _show_note(self) -> None:
        """The busy label: running work first, else the index catching up, else nothing."""
        if not self.busy.isVisible():
            self.busy_label.setText(self.indexing_note())

    # -- messages ----------------------------------------------------------------------
    def say(self, message: str, msecs: int = 6000) -> None:
        self.statusBar().showMessage(message, msecs)

    def _busy(self, busy: bool, label: str) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setText(label if busy else self.indexing_note())

    # -- dropping files or text on the window ------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.importer.can_accept(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self.importer.can_accept(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.importer.drop(event.mimeData()):
            event.acceptProposedAction()

    # -- closing -----------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.detail.save_notes()
        self.save_settings()
        self.metadata.cancel()  # else closing waits for every paper still to look up
        self.tasks.wait()
        self._closed = True
        self.lib.unsubscribe(self._listen)
        self.lib.background = None
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Finish queued work (saves) before the library is closed; results are dropped.
        A background re-index gets a few seconds; if cut short, the next open catches up."""
        self._closed = True
        self.tasks.wait()
        self.lib.background = None
        deadline = time.monotonic() + 10
        while self.lib.index_catching_up() and time.monotonic() < deadline:
            time.sleep(0.05)
