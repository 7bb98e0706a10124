"""The detail pane's triage box: suggested tags as one-click chips, and related papers.

Both come from the for-you model's vectors (`Library.suggest_tags`, `Library.related`),
asked on the background worker whenever another paper is shown; an answer for a paper
no longer shown is dropped. Titles are set as plain text.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from paperdeck.core.library import Library

from .tasks import Tasks

RELATED = 5


class TriagePanel(QWidget):
    """`tag_chosen(paper id, tag)` when a chip is clicked; `paper_chosen(id)` for a related paper."""

    tag_chosen = Signal(int, str)
    paper_chosen = Signal(int)

    def __init__(self, lib: Library, tasks: Tasks, parent=None) -> None:
        super().__init__(parent)
        self.lib, self.tasks = lib, tasks
        self.pid: int | None = None
        self._token = 0
        self.chips: list[QPushButton] = []
        self.related: list[QPushButton] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.chip_row = QHBoxLayout()
        self.chip_row.setSpacing(6)
        self.chip_label = QLabel("Suggested tags:")
        self.chip_row.addWidget(self.chip_label)
        self.chip_row.addStretch(1)
        lay.addLayout(self.chip_row)
        self.related_heading = QLabel("Related papers")
        font = self.related_heading.font()
        font.setBold(True)
        self.related_heading.setFont(font)
        lay.addWidget(self.related_heading)
        self.related_box = QVBoxLayout()
        self.related_box.setSpacing(0)
        lay.addLayout(self.related_box)
        self._clear()

    def show_for(self, pid: int | None) -> None:
        """Ask for `pid`'s suggestions and neighbours (None: show nothing)."""
        self.pid = pid
        self._token += 1
        token, lib = self._token, self.lib
        if pid is None:
            self._clear()
            return

        def work() -> tuple[list[str], list[tuple[int, float, str]]]:
            tags = lib.suggest_tags(pid)
            near = lib.related(pid, limit=RELATED)
            titles = {p.id: p.title or p.arxiv_id or p.doi or "(untitled)"
                      for p in lib.papers([i for i, _ in near])}
            return tags, [(i, s, titles.get(i, "")) for i, s in near]

        def done(result: tuple[list[str], list[tuple[int, float, str]]]) -> None:
            if token == self._token:
                self._fill(*result)

        self.tasks.run(work, done, lambda _e: None)

    def _clear(self) -> None:
        for button in self.chips + self.related:
            button.setParent(None)
            button.deleteLater()
        self.chips, self.related = [], []
        self.chip_label.setVisible(False)
        self.related_heading.setVisible(False)

    def _fill(self, tags: list[str], near: list[tuple[int, float, str]]) -> None:
        self._clear()
        pid = self.pid
        for tag in tags:
            chip = QPushButton(f"+ {tag}".replace("&", "&&"))  # "&" is not a shortcut mark
            chip.setToolTip(f"<qt>Add the tag <b>{escape(tag)}</b> (its nearest tagged papers "
                            "have it)</qt>")
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.clicked.connect(lambda _c=False, t=tag: self.tag_chosen.emit(pid, t))
            self.chip_row.insertWidget(self.chip_row.count() - 1, chip)
            self.chips.append(chip)
        self.chip_label.setVisible(bool(tags))
        for other, sim, title in near:
            button = QPushButton(f"{round(sim * 100):>3} %  {title}".replace("&", "&&"))
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setToolTip(f"<qt>{escape(title)}</qt>")
            button.clicked.connect(lambda _c=False, i=other: self.paper_chosen.emit(i))
            self.related_box.addWidget(button)
            self.related.append(button)
        self.related_heading.setVisible(bool(near))
