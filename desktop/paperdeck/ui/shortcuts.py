"""Help → Keyboard shortcuts: every action with a shortcut, read from the actions themselves
(so the list cannot drift from what the keys do), and the keys the widgets handle."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

WIDGET_KEYS = (
    ("Search: clear it and go back to where you were", "Esc"),
    ("Search: on to the cards", "Down"),
    ("Paste a digest (also from the search box)", "Ctrl+V"),
    ("Select every card shown", "Ctrl+A"),
)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what, keys) for each action that has a shortcut, in menu order, without duplicates."""
    rows, seen = [], set()
    for action in actions:
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
        what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        if keys and (what, keys) not in seen:
            seen.add((what, keys))
            rows.append((what, keys))
    return rows + [row for row in WIDGET_KEYS if row not in seen]


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 560)
