"""BibTeX export: choose what (selection, this view or search, everything) and how (ASCII
BibTeX or UTF-8 BibLaTeX), then write a .bib file or copy to the clipboard - off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from paperdeck.core.errors import InputError
from paperdeck.core.library import Library

from .folders import RecentFolder
from .paper_text import count
from .ports import CardSelection, Navigation, Report
from .tasks import Tasks

FLAVOURS = (("BibTeX (ASCII, works with every style)", False),
            ("BibLaTeX (UTF-8, for biber)", True))


def write_bib(path: Path, text: str) -> None:
    """Write the file (UTF-8; the ASCII flavour is plain ASCII anyway)."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot write '{path}': {exc.strerror or exc}.") from exc


class ExportDialog(QDialog):
    """Scope and flavour; the buttons save to a file or copy to the clipboard."""

    def __init__(self, exporter: Exporter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exporter = exporter
        self.setWindowTitle("Export BibTeX")
        selected = len(exporter.cards.selected_ids())
        shown = len(exporter.cards.shown_ids())
        total = exporter.lib.counts()["all"]
        self.scopes = QButtonGroup(self)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        options = ((f"Selected papers ({selected:,})", "selected", selected),
                   (f"Papers shown now ({shown:,})", "shown", shown),
                   (f"Whole library ({total:,})", "all", total))
        for i, (label, key, n) in enumerate(options):
            radio = QRadioButton(label)
            radio.setProperty("scope", key)
            radio.setEnabled(n > 0)
            self.scopes.addButton(radio, i)
            column.addWidget(radio)
        first = next((b for b in self.scopes.buttons() if b.isEnabled()), None)
        if first is not None:
            first.setChecked(True)
        self.flavour = QComboBox()
        for label, utf8 in FLAVOURS:
            self.flavour.addItem(label, utf8)
        form = QFormLayout()
        form.addRow("Export", box)
        form.addRow("Format", self.flavour)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton("Save to file…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button = buttons.addButton("Copy to clipboard", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def scope(self) -> str:
        button = self.scopes.checkedButton()
        return button.property("scope") if button else "selected"

    def utf8(self) -> bool:
        return bool(self.flavour.currentData())

    def save(self) -> None:
        folder = self.exporter.folder
        start = str(Path(folder.get()) / "papers.bib") if folder else "papers.bib"
        name, _ = QFileDialog.getSaveFileName(self, "Export BibTeX", start, "BibTeX files (*.bib)")
        if not name:
            return
        if folder:
            folder.remember(name)
        path = Path(name) if name.endswith(".bib") else Path(name + ".bib")
        self.exporter.to_file(self.scope(), path, self.utf8())
        self.accept()

    def copy(self) -> None:
        self.exporter.to_clipboard(self.exporter.scope_ids(self.scope()), self.utf8())
        self.accept()


class Exporter:
    """Runs exports on the worker; the window stays responsive even for a whole library."""

    def __init__(self, lib: Library, tasks: Tasks, report: Report, cards: CardSelection,
                 parent: QWidget, folder: RecentFolder | None = None,
                 nav: Navigation | None = None) -> None:
        """`nav` tells which view, tag and search are shown (what "the shown papers" are)."""
        self.lib, self.tasks, self.say, self.cards = lib, tasks, report, cards
        self.folder, self.nav = folder, nav
        self.parent = parent
        self.dialog: ExportDialog | None = None

    def open_dialog(self) -> ExportDialog:
        self.dialog = ExportDialog(self, self.parent)
        self.dialog.open()
        return self.dialog

    def scope_ids(self, scope: str) -> list[int] | None:
        """Ids for a scope; None means the whole library (read on the worker)."""
        if scope == "selected":
            return self.cards.selected_ids()
        if scope == "shown":
            return list(self.cards.shown_ids())
        return None

    def _ids_now(self, ids: list[int] | None) -> list[int]:
        return self.lib.ids(view="all") if ids is None else ids

    def to_file(self, scope: str, path: Path, utf8: bool) -> None:
        ids = self.scope_ids(scope)
        lib = self.lib

        def work() -> int:
            chosen = self._ids_now(ids)
            write_bib(path, lib.bibtex(chosen, utf8=utf8))
            return len(chosen)

        self.tasks.run(work, lambda n: self.say(f"Exported {count(n)} to {path}."),
                           label="Exporting…")

    def to_clipboard(self, ids: list[int] | None, utf8: bool) -> None:
        lib = self.lib

        def done(result: tuple[str, int]) -> None:
            QGuiApplication.clipboard().setText(result[0])
            self.say(f"Copied BibTeX of {count(result[1])} to the clipboard.")

        def work() -> tuple[str, int]:
            chosen = self._ids_now(ids)
            return lib.bibtex(chosen, utf8=utf8), len(chosen)

        self.tasks.run(work, done, label="Exporting…")
