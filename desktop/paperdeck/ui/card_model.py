"""The card list model: the ordered ids of the current view, rows loaded lazily in pages.

Holding ids (not papers) keeps a 100,000-paper view cheap: a search or a view change
replaces the id list with a model reset, and only the pages the user scrolls to are
read from the library (`Library.papers`, a cheap read on this thread's connection).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from paperdeck.core.library import Library
from paperdeck.core.models import Paper

from .plain import tooltip

PAGE_SIZE = 100
CACHE_LIMIT = 3000  # papers kept in memory; older pages are dropped first
MIME_IDS = "application/x-paperdeck-ids"
PaperRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


class CardModel(QAbstractListModel):
    """Ids of the shown papers, in order, with a page cache of their rows."""

    move_requested = Signal(list, str, int)  # ids, "before"/"after", anchor id

    def __init__(self, lib: Library, parent=None) -> None:
        super().__init__(parent)
        self.lib = lib
        self._ids: list[int] = []
        self._rows: dict[int, int] | None = None
        self._cache: OrderedDict[int, Paper] = OrderedDict()
        self.terms: tuple[str, ...] = ()  # stems to highlight in visible cards
        self.reorderable = False  # drops allowed (queue view, queue order, no search)

    # -- the id list -------------------------------------------------------------------
    def set_ids(self, ids: list[int], terms: tuple[str, ...] = ()) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = None
        self._cache.clear()
        self.terms = terms
        self.endResetModel()

    def ids(self) -> list[int]:
        return self._ids

    def row_of(self, pid: int) -> int:
        """Row of a paper id, or -1 (the id-to-row map is built on first use after a reset)."""
        if self._rows is None:
            self._rows = {pid: row for row, pid in enumerate(self._ids)}
        return self._rows.get(pid, -1)

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def paper_at(self, row: int) -> Paper | None:
        pid = self._ids[row]
        paper = self._cache.get(pid)
        if paper is None:
            self._load_page(row // PAGE_SIZE)
            paper = self._cache.get(pid)
        return paper

    def _load_page(self, page: int) -> None:
        chunk = self._ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        for paper in self.lib.papers(chunk):
            self._cache[paper.id] = paper
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)

    def refresh(self, pids: Iterable[int]) -> None:
        """Forget cached rows of changed papers and repaint those that are shown."""
        rows = []
        for pid in pids:
            self._cache.pop(pid, None)
            row = self.row_of(pid)
            if row >= 0:
                rows.append(row)
        if rows:
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)))

    def refresh_all(self) -> None:
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0), self.index(len(self._ids) - 1))

    # -- Qt model interface ------------------------------------------------------------
    def rowCount(self, parent: AnyIndex | None = None) -> int:
        # Qt calls this twice per row while laying out the list: keep it minimal.
        return len(self._ids) if parent is None or not parent.isValid() else 0

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == IdRole:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, PaperRole,
                        Qt.ItemDataRole.AccessibleTextRole):
            return None
        paper = self.paper_at(index.row())
        if paper is None:
            return None
        if role == PaperRole:
            return paper
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(paper.title or "(untitled)")
        return paper.title or "(untitled)"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.reorderable else Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren)

    def roleNames(self) -> dict[int, QByteArray]:
        names = super().roleNames()
        names[PaperRole] = QByteArray(b"paper")
        names[IdRole] = QByteArray(b"paperId")
        return names

    # -- drag and drop (queue reordering) ----------------------------------------------
    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_IDS, "text/plain"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self._ids[r] for r in rows]
        mime = QMimeData()
        mime.setData(MIME_IDS, QByteArray(json.dumps(ids).encode()))
        titles = [p.title for p in self.lib.papers(ids[:50])]
        mime.setText("\n".join(titles))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        return self.reorderable and data.hasFormat(MIME_IDS)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        """Ask for a queue move placing the dragged papers at `row`; the library does the move."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            moving = [int(i) for i in json.loads(bytes(data.data(MIME_IDS).data()).decode())]
        except (ValueError, TypeError):
            return False
        if parent.isValid():
            row = parent.row()
        placement = drop_target(self._ids, set(moving), row)
        if placement is None:
            return False
        self.move_requested.emit(moving, placement[0], placement[1])
        return True


def drop_target(ids: list[int], moving: set[int], row: int) -> tuple[str, int] | None:
    """Where a drop at `row` puts papers: before the first unmoved paper from `row` on,
    else after the last unmoved one. None when nothing else is in the list."""
    if row < 0 or row > len(ids):
        row = len(ids)
    for pid in ids[row:]:
        if pid not in moving:
            return "before", pid
    for pid in reversed(ids[:row]):
        if pid not in moving:
            return "after", pid
    return None
