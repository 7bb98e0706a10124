"""The import dialog: the pasted text, the format it was read as, and a checked list of papers.

Reading a paste (up to megabytes) happens on the background worker; a newer reading or
Cancel simply makes the dialog ignore an older answer. Papers the library already has
are shown, explained and left unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from paperdeck.core.digest import FORMATS
from paperdeck.core.edits import clean_tag
from paperdeck.core.errors import InputError
from paperdeck.core.importer import PreviewItem
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

from . import theme
from .paper_text import count
from .plain import plain, tooltip
from .tasks import Tasks, describe

REPARSE_MS = 500
AUTO = ""
NEWER = "newer-version"
VERDICT_WORDS = {
    "duplicate": "Already in your library",
    "similar": "Probably in your library",
    NEWER: "A newer version of a paper you have (check it to record the new version)",
}


@dataclass
class ImportChoice:
    """What the user chose to import, ready for `Library.add`."""

    drafts: list[Draft]
    raw_text: str
    fmt: str
    tags: list[str]
    found: int
    duplicates: int
    versions: list[PreviewItem] = field(default_factory=list)  # newer arXiv versions to record
    complete: bool = False  # look the new papers' metadata up right after importing
    # papers left out as already in the library: their pasted keys may name them otherwise
    left_out: list[PreviewItem] = field(default_factory=list)


def _describe_item(item: PreviewItem) -> str:
    d = item.draft
    ident = d.arxiv_id and f"arXiv:{d.arxiv_id}" or d.doi and f"doi:{d.doi}" or ""
    who = ", ".join(d.authors[:3]) + (" et al." if len(d.authors) > 3 else "")
    extra = " · ".join(x for x in (who, str(d.year or ""), ident) if x)
    return d.label() + (f"\n{extra}" if extra else "")


class ImportDialog(QDialog):
    """Review a paste before importing; emits `chosen(ImportChoice)` on Import."""

    chosen = Signal(object)
    parsed = Signal()  # the rows were (re)built from a reading of the paste

    def __init__(self, lib: Library, tasks: Tasks, text: str, parent=None) -> None:
        super().__init__(parent)
        self.lib, self.tasks = lib, tasks
        self.items: list[PreviewItem] = []
        self.fmt = "none"
        self.busy = False
        self._token = 0
        self.setWindowTitle("Import papers")
        self.resize(980, 680)
        self._build()
        self.text.setPlainText(text)
        self._timer = QTimer(self, singleShot=True, interval=REPARSE_MS)
        self._timer.timeout.connect(self.parse)
        self.text.textChanged.connect(self._timer.start)
        self.parse()

    def _build(self) -> None:
        self.text = QPlainTextEdit()
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setPlaceholderText("Paste a digest here")
        self.text.setTabChangesFocus(True)  # Tab moves on; a tab character in a paste is noise
        self.format = QComboBox()
        self.format.addItem("Detect automatically", AUTO)
        for name, label in FORMATS.items():
            self.format.addItem(label, name)
        self.format.activated.connect(lambda _i: self.parse())
        self.summary = plain(QLabel())  # error messages quote the pasted text
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.stop = QPushButton("Cancel reading")
        self.stop.setAutoDefault(False)
        self.stop.clicked.connect(self.cancel_parse)
        self.preview = QListWidget()
        self.preview.setAlternatingRowColors(True)
        self.preview.setWordWrap(True)
        self.preview.itemChanged.connect(lambda _item: self._update_button())
        self.tags = QLineEdit(placeholderText="Tags for all imported papers, separated by commas")
        self.complete = QCheckBox("Complete metadata online afterwards (arXiv, Crossref)")
        self.complete.setToolTip("Digests rarely carry authors and years; look them up after "
                                 "importing. Undoable; nothing is sent until you import.")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Read as:"))
        top.addWidget(self.format, 1)
        top.addWidget(self.progress)
        top.addWidget(self.stop)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("Pasted text (you can edit it):"))
        lv.addWidget(self.text)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.summary)
        rv.addWidget(self.preview, 1)
        select = QHBoxLayout()
        for label, state in (("Check all new", True), ("Uncheck all", False)):
            button = QPushButton(label)
            button.setAutoDefault(False)  # Enter anywhere imports; these need a click or Space
            button.clicked.connect(lambda _c=False, s=state: self.check_all(s))
            select.addWidget(button)
        select.addStretch(1)
        rv.addLayout(select)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([380, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.tags)
        layout.addWidget(self.complete)
        layout.addWidget(self.buttons)

    # -- reading the paste -------------------------------------------------------------
    def parse(self) -> None:
        """Read the text (off the GUI thread); an older reading still running is ignored."""
        self._token += 1
        token, text, fmt = self._token, self.text.toPlainText(), self.format.currentData() or None

        def work() -> tuple[str, str, list[PreviewItem]]:
            result = self.lib.parse(text, fmt)
            note = result.message or result.skipped_summary()  # broken library entries
            return result.format, note, self.lib.preview(result.drafts)

        self._set_busy(True)
        self.tasks.run(work, lambda r: self._parsed(token, r), lambda e: self._failed(token, e))

    def cancel_parse(self) -> None:
        self._token += 1
        self._set_busy(False)
        self.summary.setText("Reading cancelled. Edit the text or choose a format to read it again.")

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop.setVisible(busy)
        self.busy = busy
        if busy:
            self.summary.setText("Reading the paste…")
            self.import_button.setEnabled(False)

    def _failed(self, token: int, error: BaseException) -> None:
        if token == self._token:
            self._set_busy(False)
            self.summary.setText(describe(error))

    def _parsed(self, token: int, result: tuple[str, str, list[PreviewItem]]) -> None:
        if token != self._token:
            return
        self._set_busy(False)
        self.fmt, message, self.items = result
        self.preview.blockSignals(True)
        self.preview.clear()
        quiet = theme.secondary_text(self.palette())
        for item in self.items:
            row = QListWidgetItem(_describe_item(item))
            row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if item.selected_by_default
                              else Qt.CheckState.Unchecked)
            if item.verdict != "new":
                kind = VERDICT_WORDS.get(item.verdict, "Probably in your library")
                row.setText(f"{row.text()}\n{kind}: {item.reason}")
                row.setForeground(quiet)
                row.setToolTip(tooltip(f"{kind} ({item.reason}); check it to import it anyway."))
            self.preview.addItem(row)
        self.preview.blockSignals(False)
        if not self.items:
            self.summary.setText(message or "No papers recognised in this text.")
        else:
            dup = sum(1 for i in self.items if i.verdict != "new")
            label = FORMATS.get(self.fmt, self.fmt)
            self.summary.setText(f"Read as {label}: {count(len(self.items))} found"
                                 + (f", {dup} already in your library (unchecked)." if dup else ".")
                                 + (f" {message}" if message else ""))
        self._update_button()
        self.parsed.emit()

    # -- choosing ----------------------------------------------------------------------
    def _checked_items(self) -> list[PreviewItem]:
        return [item for row, item in enumerate(self.items)
                if self.preview.item(row).checkState() == Qt.CheckState.Checked]

    def checked(self) -> list[Draft]:
        """Drafts to add as new papers (a checked newer version updates its paper instead)."""
        return [item.draft for item in self._checked_items() if item.verdict != NEWER]

    def checked_versions(self) -> list[PreviewItem]:
        """Checked "newer arXiv version" rows: the paper in the library takes the new version."""
        return [item for item in self._checked_items() if item.verdict == NEWER]

    def check_all(self, state: bool) -> None:
        for row, item in enumerate(self.items):
            on = state and item.verdict == "new"
            self.preview.item(row).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update_button(self) -> None:
        n, v = len(self.checked()), len(self.checked_versions())
        text = f"Import {n} paper{'s' if n != 1 else ''}"
        if v:
            text += f", update {v} version{'s' if v != 1 else ''}"
        self.import_button.setText(text)
        self.import_button.setEnabled((n > 0 or v > 0) and not self.busy)
        self.import_button.setDefault(True)

    def do_import(self) -> None:
        try:
            tags = [clean_tag(t) for t in self.tags.text().split(",") if t.strip()]
        except InputError as exc:
            self.summary.setText(str(exc))
            self.tags.setFocus()
            return
        drafts, versions = self.checked(), self.checked_versions()
        if not drafts and not versions:
            return
        dup = sum(1 for i in self.items if i.verdict != "new")
        chosen = {id(d) for d in drafts}
        left_out = [i for i in self.items if i.verdict in ("duplicate", "newer-version")
                    and id(i.draft) not in chosen]
        self.chosen.emit(ImportChoice(drafts, self.text.toPlainText(), self.fmt, tags,
                                      len(self.items), dup, versions, self.complete.isChecked(),
                                      left_out))
        self.accept()
