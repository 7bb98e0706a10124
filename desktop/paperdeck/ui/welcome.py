"""What an empty library shows instead of a blank list: how to start, and a sample to try."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

TEXT = """
<h2>Your reading queue is empty</h2>
<p>paperdeck turns the paper digests you receive into a queue of cards.</p>
<ol>
<li>Copy a digest: an arXiv e-mail or listing page, Hugging Face daily or trending papers,
Google Scholar alerts, a Markdown list, BibTeX, RIS, or plain arXiv ids and DOIs.</li>
<li>Press <b>Ctrl+V</b> here (or drop a <code>.txt</code> / <code>.bib</code> file on this
window, or use <b>File → Import…</b>).</li>
<li>Check the papers you want and press <b>Import</b>.</li>
</ol>
<p>Not sure yet? Import a sample digest to look around; you can delete it later.</p>
"""


class WelcomePanel(QWidget):
    """Shown while the library has no papers at all."""

    import_sample = Signal()
    paste = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        text = QLabel(TEXT)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setMaximumWidth(520)
        self.sample_button = QPushButton("Import the sample digest")
        self.sample_button.clicked.connect(self.import_sample)
        paste_button = QPushButton("Paste from the clipboard")
        paste_button.clicked.connect(self.paste)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sample_button)
        buttons.addWidget(paste_button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(text)
        column.addLayout(buttons)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(column, 6)
        outer.addStretch(1)
