"""Export: choose what (selection, this view or search, everything) and how (ASCII BibTeX,
UTF-8 BibLaTeX, CSL-JSON or RIS), then write a file or copy to the clipboard - off the GUI
thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from paperdeck.core.autoexport import write_atomically
from paperdeck.core.library import Library

from .folders import RecentFolder
from .paper_text import count
from .ports import CardSelection, Navigation, Report
from .tasks import Tasks

# (label, format for `Library.export`, file suffix, file-dialog filter)
FLAVOURS = (("BibTeX (ASCII, works with every style)", "bibtex", ".bib", "BibTeX files (*.bib)"),
            ("BibLaTeX (UTF-8, for biber)", "biblatex", ".bib", "BibTeX files (*.bib)"),
            ("CSL-JSON (Pandoc, Zotero)", "csl-json", ".json", "CSL-JSON files (*.json)"),
            ("RIS (Zotero, Mendeley, EndNote)", "ris", ".ris", "RIS files (*.ris)"))


def write_bib(path: Path, text: str) -> None:
    """Write the file (UTF-8; the ASCII flavour is plain ASCII anyway) through a temporary
    file, with the user's usual file mode (see core.autoexport.write_atomically)."""
    write_atomically(path, text)


class ExportDialog(QDialog):
    """Scope and format; the buttons save to a file or copy to the clipboard."""

    def __init__(self, exporter: Exporter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exporter = exporter
        self.setWindowTitle("Export")
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
        for label, fmt, *_ in FLAVOURS:
            self.flavour.addItem(label, fmt)
        self.keep = QCheckBox("Keep this file up to date")
        self.keep.setToolTip("Rewrite the saved file after every change to its papers "
                             "(the whole library, or the tag or search shown now)")
        form = QFormLayout()
        form.addRow("Export", box)
        form.addRow("Format", self.flavour)
        form.addRow("", self.keep)
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

    def fmt(self) -> str:
        return str(self.flavour.currentData() or "bibtex")

    def save(self) -> None:
        _, fmt, suffix, pattern = FLAVOURS[max(0, self.flavour.currentIndex())]
        folder = self.exporter.folder
        start = str(Path(folder.get()) / ("papers" + suffix)) if folder else "papers" + suffix
        name, _ = QFileDialog.getSaveFileName(self, "Export", start, pattern)
        if not name:
            return
        if folder:
            folder.remember(name)
        path = Path(name) if name.endswith(suffix) else Path(name + suffix)
        if self.keep.isChecked():
            self.exporter.keep_file(self.scope(), path, fmt)
        else:
            self.exporter.to_file(self.scope(), path, fmt)
        self.accept()

    def copy(self) -> None:
        self.exporter.to_clipboard(self.exporter.scope_ids(self.scope()), self.fmt())
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

    def to_file(self, scope: str, path: Path, fmt: str = "bibtex") -> None:
        ids = self.scope_ids(scope)
        lib = self.lib

        def work() -> tuple[int, str]:
            from paperdeck.core.bibtex import kept_characters

            chosen = self._ids_now(ids)
            text = lib.export(chosen, fmt)
            write_bib(path, text)
            kept = kept_characters(text) if fmt == "bibtex" else []
            note = (f" {len(kept)} characters with no LaTeX form (e.g. {''.join(kept[:5])}) were "
                    "kept as they are: load a font for them, or export BibLaTeX." if kept else "")
            return len(chosen), note

        self.tasks.run(work, lambda done: self.say(f"Exported {count(done[0])} to {path}.{done[1]}"),
                       label="Exporting…")

    def link_for(self, scope: str) -> dict[str, str] | None:
        """What a kept-up-to-date file follows: everything, the shown tag or the shown
        search; None for a hand-picked selection or a view the link cannot express."""
        if scope == "all":
            return {}
        if self.nav is None:
            return None
        tag, query = self.nav.tag, self.nav.current_query().strip()
        if scope == "shown" and self.nav.view == "all" and bool(tag) != bool(query):
            return {"tag": tag} if tag else {"query": query}
        return None

    def keep_file(self, scope: str, path: Path, fmt: str = "bibtex") -> None:
        """Export and link the file (core/autoexport.py), so every later change rewrites it."""
        link = self.link_for(scope)
        if link is None:
            self.say("Only the whole library, one tag or one search can be kept up to "
                     "date; this export is written once.")
            self.to_file(scope, path, fmt)
            return
        lib = self.lib

        def work() -> int:
            return lib.autoexports.add(path, fmt=fmt, **link)

        self.tasks.run(work, lambda n: self.say(f"Exported {count(n)} to {path}; it is kept up to date."),
                       label="Exporting…")

    def to_clipboard(self, ids: list[int] | None, fmt: str = "bibtex") -> None:
        lib = self.lib
        label = next(label.split(" (")[0] for label, f, *_ in FLAVOURS if f == fmt)

        def done(result: tuple[str, int]) -> None:
            QGuiApplication.clipboard().setText(result[0])
            self.say(f"Copied {label} of {count(result[1])} to the clipboard.")

        def work() -> tuple[str, int]:
            chosen = self._ids_now(ids)
            return lib.export(chosen, fmt), len(chosen)

        self.tasks.run(work, done, label="Exporting…")
