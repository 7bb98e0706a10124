"""The import review, triaged: rows by for-you score with a small relevance bar, the
reasons on hover, suggested tags under each title, and "tick the top N" or "tick
those above a score".

Attached to an `ImportDialog` from outside (the dialog only says when its rows are
rebuilt). Scores and suggestions are computed on the dialog's background worker;
an answer for an older reading of the paste is dropped.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QObject, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from paperdeck.core.foryou import COLD_NOTE, Scored

from .import_dialog import ImportDialog
from .tasks import Tasks

ScoreRole = Qt.ItemDataRole.UserRole + 40
BAR_SPACE = 64  # pixels kept free on the right of each row for the bar
BAR_WIDTH, BAR_HEIGHT = 44, 6


class ScoreBarDelegate(QStyledItemDelegate):
    """The row as usual, narrowed, with a relevance bar (and its percent) on the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        score = index.data(ScoreRole)
        narrowed = QStyleOptionViewItem(option)
        if score is not None:
            narrowed.rect = option.rect.adjusted(0, 0, -BAR_SPACE, 0)
        super().paint(painter, narrowed, index)
        if score is None:
            return
        painter.save()
        x = option.rect.right() - BAR_SPACE + 10
        y = option.rect.top() + 8
        track = QRect(x, y, BAR_WIDTH, BAR_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(track, 3, 3)
        painter.setBrush(option.palette.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(QRect(x, y, max(3, round(BAR_WIDTH * score)), BAR_HEIGHT), 3, 3)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(QRect(x, y + BAR_HEIGHT + 2, BAR_WIDTH, 16),
                         Qt.AlignmentFlag.AlignCenter, f"{round(score * 100)} %")
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex):
        size = super().sizeHint(option, index)
        size.setHeight(max(size.height(), 36))
        return size


class ImportTriage(QObject):
    """Scores, sorts and explains the dialog's rows; offers to tick the best ones."""

    def __init__(self, dialog: ImportDialog, tasks: Tasks) -> None:
        super().__init__(dialog)
        self.dialog, self.tasks = dialog, tasks
        self.scores: list[Scored] = []
        self.cold = False
        self._token = 0
        dialog.preview.setItemDelegate(ScoreBarDelegate(dialog.preview))
        row = QHBoxLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.top_n = QSpinBox(minimum=1, maximum=9999, value=10)
        self.top_n.setPrefix("top ")
        self.tick_top_button = QPushButton("Tick only the")
        self.tick_top_button.clicked.connect(lambda: self.tick_top(self.top_n.value()))
        self.threshold = QSpinBox(minimum=1, maximum=99, value=60)
        self.threshold.setPrefix("score ≥ ")
        self.threshold.setSuffix(" %")
        self.tick_above_button = QPushButton("Tick only")
        self.tick_above_button.clicked.connect(lambda: self.tick_above(self.threshold.value() / 100))
        for widget in (self.tick_top_button, self.top_n, self.tick_above_button, self.threshold):
            row.addWidget(widget)
        row.addStretch(1)
        layout = dialog.preview.parentWidget().layout()
        layout.addWidget(self.note)
        layout.addLayout(row)
        self._enable(False)
        dialog.parsed.connect(self.score)

    def _enable(self, on: bool) -> None:
        for widget in (self.tick_top_button, self.top_n, self.tick_above_button, self.threshold):
            widget.setEnabled(on)

    def score(self) -> None:
        """Score the rows just read (on the worker)."""
        self._token += 1
        token, items, lib = self._token, list(self.dialog.items), self.dialog.lib
        self._enable(False)
        if not items:
            self.note.setText("")
            return
        self.note.setText("Ranking by what you read…")
        drafts = [it.draft for it in items]

        def work() -> tuple[list[Scored], list[list[str]]]:
            return lib.score_drafts(drafts), [lib.suggest_tags_for_draft(d) for d in drafts]

        def done(result: tuple[list[Scored], list[list[str]]]) -> None:
            if token == self._token and self.dialog.items == items:
                self._apply(*result)

        self.tasks.run(work, done, lambda _e: self.note.setText(""))

    def _apply(self, scores: list[Scored], tags: list[list[str]]) -> None:
        dialog, preview = self.dialog, self.dialog.preview
        self.cold = bool(scores) and scores[0].score is None
        order = list(range(len(scores)))
        if not self.cold:  # new papers first (the rest are already in the library)
            new = [it.verdict == "new" for it in dialog.items]
            order.sort(key=lambda j: (not new[j], -(scores[j].score or 0.0), j))
        rows = [preview.item(j) for j in range(preview.count())]
        preview.blockSignals(True)
        try:
            while preview.count():
                preview.takeItem(0)
            for j in order:
                item = rows[j]
                item.setData(ScoreRole, scores[j].score)
                if tags[j]:
                    item.setText(f"{item.text()}\nSuggested tags: {', '.join(tags[j])}")
                earlier = item.toolTip()
                hover = "<br>".join(escape(r) for r in scores[j].reasons)
                if earlier:
                    hover = f"{escape(earlier)}<br>{hover}"
                item.setToolTip(f"<qt>{hover}</qt>")
                preview.addItem(item)
        finally:
            preview.blockSignals(False)
        dialog.items = [dialog.items[j] for j in order]
        self.scores = [scores[j] for j in order]
        self.note.setText(COLD_NOTE if self.cold else
                          "Sorted by how close each paper is to what you read and tag "
                          "(hover a row for why).")
        self._enable(not self.cold)
        preview.viewport().update()

    def _tick(self, keep) -> None:
        """Tick the new papers `keep(rank, score)` accepts, untick every other row."""
        dialog = self.dialog
        rank = 0
        for row, item in enumerate(dialog.items):
            on = False
            if item.verdict == "new":
                score = self.scores[row].score if row < len(self.scores) else None
                on = keep(rank, score or 0.0)
                rank += 1
            dialog.preview.item(row).setCheckState(Qt.CheckState.Checked if on
                                                   else Qt.CheckState.Unchecked)

    def tick_top(self, n: int) -> None:
        self._tick(lambda rank, _score: rank < n)

    def tick_above(self, threshold: float) -> None:
        self._tick(lambda _rank, score: score >= threshold)
