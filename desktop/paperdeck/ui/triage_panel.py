"""The detail pane's triage box: suggested tags as one-click chips, and related papers.

Both come from the for-you model's vectors (`Library.suggest_tags`, `Library.related`),
asked on the background worker whenever another paper is shown; an answer for a paper
no longer shown is dropped. Titles are set as plain text.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from paperdeck.core.library import Library

from .flow_layout import FlowLayout
from .tasks import Tasks

RELATED = 5
CHIP_CHARS = 22  # a longer suggested tag is shortened on its chip (the tooltip has it all)
RELATED_PADDING = 12  # the flat buttons' left and right padding, and a little air


class ElidedButton(QPushButton):
    """A flat one-line button whose text ends in "…" when the pane is narrower than it;
    `full_text` keeps the whole line. It never asks for more width than it is given."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = text
        self.setFlat(True)
        self.setStyleSheet("text-align: left; padding: 2px 4px;")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(0, self.width() - RELATED_PADDING)
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room)
        self.setText(shown.replace("&", "&&"))  # "&" is not a shortcut mark


def chip_text(tag: str) -> str:
    """"+ tag" for a suggested-tag chip, a long tag cut with "…"."""
    shown = tag if len(tag) <= CHIP_CHARS else tag[:CHIP_CHARS - 1] + "…"
    return f"+ {shown}".replace("&", "&&")


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
        # The chips wrap onto more lines: three of them in one row made the detail pane
        # wider than the window at 800×600.
        self.chip_row = FlowLayout(spacing=6)
        self.chip_label = QLabel("Suggested tags:")
        self.chip_label.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        self.chip_label.setMinimumHeight(QPushButton("+").sizeHint().height())  # level with chips
        self.chip_row.addWidget(self.chip_label)
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
            chip = QPushButton(chip_text(tag))
            chip.setToolTip(f"<qt>Add the tag <b>{escape(tag)}</b> (its nearest tagged papers "
                            "have it)</qt>")
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.clicked.connect(lambda _c=False, t=tag: self.tag_chosen.emit(pid, t))
            self.chip_row.addWidget(chip)
            self.chips.append(chip)
        self.chip_label.setVisible(bool(tags))
        for other, sim, title in near:
            button = ElidedButton(f"{round(sim * 100):>3} %  {title}")
            button.setToolTip(f"<qt>{escape(title)}</qt>")
            button.clicked.connect(lambda _c=False, i=other: self.paper_chosen.emit(i))
            self.related_box.addWidget(button)
            self.related.append(button)
        self.related_heading.setVisible(bool(near))
