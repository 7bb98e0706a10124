"""The sidebar: the reading views and the tags, each with its count, and tag upkeep by context menu."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from . import theme
from .plain import menu_text, tooltip

VIEWS = (("queue", "Queue"), ("foryou", "For you"), ("reading", "Reading"), ("read", "Read"),
         ("archived", "Archived"), ("all", "All papers"), ("trash", "Trash"))
KindRole = Qt.ItemDataRole.UserRole + 1  # "view", "saved", "tag", "stats" or "header"
ValueRole = Qt.ItemDataRole.UserRole + 2
CountRole = Qt.ItemDataRole.UserRole + 3
INDENT = 10


class _CountDelegate(QStyledItemDelegate):
    """The name on the left, the count in a quieter colour on the right; headers in small caps."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if index.data(KindRole) == "header":
            painter.save()
            font = QFont(option.font)
            font.setBold(True)
            font.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
            painter.setFont(font)
            painter.setPen(theme.secondary_text(option.palette))
            painter.drawText(option.rect.adjusted(10, 0, -8, -2),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             str(index.data()).upper())
            painter.restore()
            return
        count = index.data(CountRole)
        widget = option.widget
        style = widget.style() if widget else None
        if style is not None:  # the selection across the full width, the text indented
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if option.state & QStyle.StateFlag.State_HasFocus:  # where the keyboard is
            painter.save()
            painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                                else QPalette.ColorRole.Highlight))
            painter.drawRect(QRect(option.rect).adjusted(1, 1, -2, -2))
            painter.restore()
        painter.save()
        painter.setFont(option.font)
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                            else QPalette.ColorRole.Text))
        name_rect = QRect(option.rect).adjusted(INDENT, 0, -56, 0)
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         option.fontMetrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight,
                                                       name_rect.width()))
        painter.restore()
        if count is None:
            return
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText) if selected
                       else theme.secondary_text(option.palette))
        painter.drawText(option.rect.adjusted(0, 0, -10, 0),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{count:,}")
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        extra = 14 if index.data(KindRole) == "header" else 8
        return QSize(size.width() + 40, size.height() + extra)


class Sidebar(QListWidget):
    """Views, Statistics and tags; choosing one emits `chosen(kind, value)`."""

    chosen = Signal(str, str)
    rename_requested = Signal(str)
    delete_requested = Signal(str)
    menu_requested = Signal(str, str, QPoint)  # kind, value, global position (not for tags)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_CountDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._add("header", "", "Library")
        for key, label in VIEWS:
            self._add("view", key, label)
        self._add("stats", "", "Statistics")
        self._add("header", "", "Tags")
        self.currentItemChanged.connect(self._current_changed)

    def _add(self, kind: str, value: str, label: str, count: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem(label, self)
        item.setData(KindRole, kind)
        item.setData(ValueRole, value)
        item.setData(CountRole, count)
        if kind == "header":
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        elif kind == "tag":
            item.setToolTip(tooltip(f"Papers tagged '{value}' (right-click to rename or delete)"))
        return item

    def _current_changed(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None and item.data(KindRole) in ("view", "saved", "tag", "stats"):
            self.chosen.emit(item.data(KindRole), item.data(ValueRole))

    def set_counts(self, counts: dict[str, int], tags: list[tuple[str, int]]) -> None:
        """New numbers, and the tag list rebuilt (keeping the chosen item chosen)."""
        chosen = self.current()
        self.blockSignals(True)
        try:
            for row in range(self.count()):
                item = self.item(row)
                if item.data(KindRole) == "view":
                    item.setData(CountRole, counts.get(item.data(ValueRole), 0))
            first_tag = next(r for r in range(self.count()) if self.item(r).data(KindRole) == "header"
                             and self.item(r).text() == "Tags") + 1
            while self.count() > first_tag:
                self.takeItem(first_tag)
            for name, n in tags:
                self._add("tag", name, name, n)
            self.select(*chosen, emit=False)
        finally:
            self.blockSignals(False)

    def current(self) -> tuple[str, str]:
        item = self.currentItem()
        return (item.data(KindRole), item.data(ValueRole)) if item else ("view", "queue")

    def select(self, kind: str, value: str, emit: bool = True) -> bool:
        """Make (kind, value) current; tags match ignoring case. False when it is not listed."""
        for row in range(self.count()):
            item = self.item(row)
            same = item.data(ValueRole).casefold() == value.casefold() if kind in ("tag", "saved") \
                else item.data(ValueRole) == value
            if item.data(KindRole) == kind and same:
                if not emit:
                    self.blockSignals(True)
                self.setCurrentItem(item)
                if not emit:
                    self.blockSignals(False)
                return True
        return False

    def count_of(self, kind: str, value: str) -> int | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(KindRole) == kind and item.data(ValueRole) == value:
                return item.data(CountRole)
        return None

    def tag_names(self) -> list[str]:
        return [self.item(r).data(ValueRole) for r in range(self.count())
                if self.item(r).data(KindRole) == "tag"]

    def _menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        if item is None or item.data(KindRole) != "tag":
            kind, value = (item.data(KindRole), item.data(ValueRole)) if item else ("", "")
            self.menu_requested.emit(kind, value, self.viewport().mapToGlobal(pos))
            return
        name = item.data(ValueRole)
        menu = QMenu(self)
        menu.addAction(menu_text(f"Rename or merge '{name}'…"), lambda: self.rename_requested.emit(name))
        menu.addAction(menu_text(f"Delete tag '{name}'"), lambda: self.delete_requested.emit(name))
        menu.exec(self.viewport().mapToGlobal(pos))
