"""What an empty view says instead of a blank pane: what the view is for, or that a search
found nothing here, with a one-click "search all papers" when the search was narrowed and
"papers with any of these words" when no paper has them all (a pasted reference line)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.query import any_words
from .plain import plain

VIEW_NAMES = {"queue": "Queue", "foryou": "For you", "reading": "Reading", "read": "Read",
              "archived": "Archived", "all": "All papers", "trash": "Trash"}
PURPOSE = {
    "queue": ("Your queue is empty",
              "Paste a digest with Ctrl+V to add papers, or send papers back here with "
              "“Back to queue” (Ctrl+1)."),
    "foryou": ("Nothing for you yet",
               "Queued papers show here, those most like what you read, tag or prioritise "
               "first. Paste a digest with Ctrl+V to add papers."),
    "reading": ("Nothing in Reading",
                "Papers you start reading (Ctrl+2) wait here until you mark them read."),
    "read": ("Nothing read yet", "Papers you mark as read (Ctrl+3) are kept here."),
    "archived": ("The archive is empty",
                 "Archive papers (Ctrl+4) you want to keep but not read now: they leave the queue."),
    "all": ("No papers", "Paste a digest with Ctrl+V to add papers."),
    "trash": ("The trash is empty",
              "Papers you delete wait here until you empty the trash; Ctrl+Z brings them back."),
}


def empty_text(view: str, tag: str, query: str, any_query: str = "") -> tuple[str, str, bool]:
    """(heading, explanation, offer "search all papers") for an empty list; `any_query` is
    the search of any of the query's words, if one is offered."""
    where = f"“{tag}”" if tag else VIEW_NAMES.get(view, view)
    if query:
        narrowed = bool(tag) or view != "all"
        if narrowed:
            return (f"No papers in {where} match “{query}”",
                    "The search looks only in the view chosen on the left.", True)
        if any_query:
            return (f"No papers match “{query}”",
                    "No paper has every one of these words. Papers with any of them are "
                    "one click away, those with the most first.", False)
        return (f"No papers match “{query}”",
                "Try fewer or other words; hover over the search box for what it understands.",
                False)
    if tag:
        return f"No papers tagged “{tag}”", "Tag papers with Ctrl+T or in the detail pane.", False
    heading, text = PURPOSE.get(view, ("Nothing here", ""))
    return heading, text, False


class EmptyView(QWidget):
    """Heading, explanation and, after a search without hits, a "Search all papers" button
    (the search was narrowed) and an "Any of these words" one (it had several words)."""

    search_everywhere = Signal()
    search_any = Signal(str)  # the query to run instead: the words joined by OR

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyView")
        self.heading = plain(QLabel())
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.text = plain(QLabel())
        for label in (self.heading, self.text):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.everywhere = QPushButton("Search all papers")
        self.everywhere.clicked.connect(self.search_everywhere)
        self.any = QPushButton("Any of these words")
        self.any.setToolTip("Search for papers with any of the words, those with the most first")
        self.any.clicked.connect(lambda: self.search_any.emit(self._any_query))
        self._any_query = ""
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.everywhere)
        row.addWidget(self.any)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 24, 24, 24)
        column.addStretch(1)
        column.addWidget(self.heading)
        column.addWidget(self.text)
        column.addLayout(row)
        column.addStretch(2)

    def show_for(self, view: str, tag: str, query: str) -> None:
        self._any_query = (any_words(query) or "") if query else ""
        heading, text, offer = empty_text(view, tag, query, self._any_query)
        self.heading.setText(heading)
        self.text.setText(text)
        self.everywhere.setVisible(offer)
        self.any.setVisible(bool(self._any_query))
