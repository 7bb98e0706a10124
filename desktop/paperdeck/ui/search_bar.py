"""The search field: live, debounced; Esc clears it; a malformed query shows a hint, not a dialog.

A paste of several lines (a digest, not a query) is handed on as `digest_pasted`, so Ctrl+V
imports from anywhere in the window; Down moves on into the card list (`down_pressed`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit

DEBOUNCE_MS = 150
PLACEHOLDER = "Search titles, abstracts, tags, notes…  (e.g. robot* tag:rl year:>2023)"


def looks_like_digest(text: str) -> bool:
    """More than one non-empty line: nobody types that as a query."""
    return sum(1 for line in text.splitlines() if line.strip()) > 1


class SearchField(QLineEdit):
    """Emits `query_changed` once typing pauses, or at once on Enter / Esc."""

    query_changed = Signal(str)
    digest_pasted = Signal()
    down_pressed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(PLACEHOLDER)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(260)
        self.setToolTip(
            "Words match titles, abstracts, authors, tags and notes. Use quotes for phrases,\n"
            "AND / OR / NOT (-word leaves a word out), prefixes like robot*, and fields:\n"
            "title: author: tag: notes: status: year: (e.g. year:>=2023), arxiv: doi:.\n"
            "Ctrl+F or Ctrl+L to come here.")
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.emit_now)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self.emit_now)
        self._last = ""

    def emit_now(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.query_changed.emit(text)

    def set_query(self, text: str) -> None:
        """Set the text and search for it now (Esc, a clicked tag, tests)."""
        self.setText(text)
        self.emit_now()

    def replace_query(self, text: str) -> None:
        """Put `text` in place of what was typed, as an edit Ctrl+Z takes back, and search."""
        self.selectAll()
        self.insert(text)
        self.emit_now()

    def query(self) -> str:
        return self._last

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.set_query("")
            return
        if event.key() == Qt.Key.Key_Down and not event.modifiers():
            self.emit_now()
            self.down_pressed.emit()
            return
        if event.matches(QKeySequence.StandardKey.Paste) and self._clipboard_is_digest():
            self.digest_pasted.emit()
            return
        super().keyPressEvent(event)

    @staticmethod
    def _clipboard_is_digest() -> bool:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return False
        if mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
            return True
        return mime.hasText() and looks_like_digest(mime.text())


class QueryHint(QLabel):
    """One quiet line under the search field saying what is wrong with the query."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setContentsMargins(12, 6, 12, 6)
        self.setObjectName("queryHint")
        self.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes the query
        self.hide()

    def show_problem(self, message: str) -> None:
        self.setText(f"⚠ {message}  Showing the last results that worked.")
        self.show()

    def clear_problem(self) -> None:
        self.hide()
        self.clear()
