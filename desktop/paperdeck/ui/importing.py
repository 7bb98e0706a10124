"""Ways in for papers: Ctrl+V, File → Import, dropped text or files, the sample digest.

Each ends in the import dialog (or, for the sample, a direct import); the chosen papers
are added on the background worker, then shown selected with a one-line summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from paperdeck.core.errors import InputError
from paperdeck.paths import sample_digest_path

from .card_model import MIME_IDS

if TYPE_CHECKING:
    from .import_dialog import ImportChoice, ImportDialog
    from .main_window import MainWindow

# The digest parsers (and the dialog that shows them) load at the first paste, not at
# startup: compiling their ~75 patterns cost ~0.1 s before the first cards.

FILE_SUFFIXES = (".txt", ".bib", ".md", ".ris", ".eml", ".html", ".htm", ".text", ".markdown")
FILE_FILTER = "Digests and bibliographies (*.txt *.bib *.md *.ris *.eml *.html);;All files (*)"


def read_files(paths: list[Path]) -> str:
    """The text of the files, joined; raises InputError in plain words for binary or unreadable ones."""
    from paperdeck.core.digest import decode_paste

    texts = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"Cannot read '{path.name}': {exc.strerror or exc}.") from exc
        try:
            texts.append(decode_paste(data))
        except ValueError as exc:
            raise InputError(f"'{path.name}' {exc}.") from exc
    return "\n\n".join(texts)


def summary(imported: int, duplicates: int) -> str:
    text = f"Imported {imported} paper{'s' if imported != 1 else ''}"
    if duplicates:
        text += f", {duplicates} already in your library"
    return text


class Importer:
    """Opens the import dialog from the clipboard, files or drops, and carries out the import."""

    def __init__(self, win: MainWindow) -> None:
        self.win = win
        self.dialog: ImportDialog | None = None

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and self._local_files(mime):
            self.open_files(self._local_files(mime))
        elif mime is not None and mime.hasHtml():
            from paperdeck.core.digest import better_paste

            plain, html = mime.text(), mime.html()  # rich text: read both, keep the better
            self.win.tasks.run(lambda: better_paste(plain, html), self.open_dialog)
        elif mime is not None and mime.hasText() and mime.text().strip():
            self.open_dialog(mime.text())
        else:
            self.win.say("The clipboard holds no text to import. Copy a digest first.")

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self.win, "Import papers", "", FILE_FILTER)
        if names:
            self.open_files([Path(n) for n in names])

    def open_files(self, paths: list[Path]) -> None:
        self.win.tasks.run(lambda: read_files(paths), self.open_dialog,
                           lambda e: self.win.say(str(e) if isinstance(e, InputError)
                                                  else "Sorry, those files could not be read."))

    def open_dialog(self, text: str) -> ImportDialog:
        if self.dialog is not None:
            self.dialog.close()
        from .import_dialog import ImportDialog

        self.dialog = ImportDialog(self.win.lib, self.win.tasks, text, self.win)
        from .import_triage import ImportTriage

        # rows by for-you score (issue 16), computed on the model's own worker
        self.dialog.triage = ImportTriage(self.dialog, self.win.triage.tasks)
        self.dialog.chosen.connect(self.add)
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()
        return self.dialog

    def _dialog_closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def add(self, choice: ImportChoice) -> None:
        lib = self.win.lib

        def work() -> list[int]:
            ids = []
            if choice.drafts:
                ids = lib.add(choice.drafts, raw_text=choice.raw_text, fmt=choice.fmt,
                              tags=choice.tags, found=choice.found, duplicates=choice.duplicates)
            if choice.versions:
                lib.accept_newer_versions(choice.versions)
            return ids

        def done(ids: list[int]) -> None:
            self.show_new(ids, choice.duplicates)
            if choice.complete and ids:
                self.win.metadata.complete(ids)

        self.win.tasks.run(work, done, label=f"Importing {len(choice.drafts)} papers…")

    def import_sample(self) -> None:
        lib = self.win.lib

        def work() -> tuple[list[int], int]:
            text = read_files([sample_digest_path()])
            report = lib.import_text(text, source="sample digest")
            return report.ids, report.duplicates

        self.win.tasks.run(work, lambda r: self.show_new(*r), label="Importing the sample digest…")

    def show_new(self, ids: list[int], duplicates: int) -> None:
        """Show the new papers selected: in the queue, with the search cleared."""
        win = self.win
        win.say(summary(len(ids), duplicates), 10000)
        if not ids:
            return
        if win.view not in ("queue", "all") or win.tag or win.search.query():
            win.search.blockSignals(True)
            win.search.set_query("")
            win.search.blockSignals(False)
            win.sidebar.select("view", "queue", emit=False)
            win.view, win.tag = "queue", ""
        win.reload(select=ids)

    # -- drops -------------------------------------------------------------------------
    @staticmethod
    def _local_files(mime: QMimeData) -> list[Path]:
        if not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def can_accept(self, mime: QMimeData) -> bool:
        if mime.hasFormat(MIME_IDS):
            return False
        files = self._local_files(mime)
        if files:
            return all(f.suffix.lower() in FILE_SUFFIXES for f in files)
        return mime.hasText()

    def drop(self, mime: QMimeData) -> bool:
        if not self.can_accept(mime):
            return False
        files = self._local_files(mime)
        if files:
            self.open_files(files)
        else:
            self.open_dialog(mime.text())
        return True
