"""Ways in for papers: Ctrl+V, File → Import, dropped text or files, the sample digest.

Each ends in the import dialog (or, for the sample, a direct import); the chosen papers
are added on the background worker, then handed to `on_imported` (the window shows them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from paperdeck.core.errors import InputError
from paperdeck.core.library import Library
from paperdeck.paths import sample_digest_path

from .card_model import MIME_IDS
from .folders import RecentFolder
from .paper_text import count
from .plain import message_box
from .ports import Report
from .tasks import Tasks

if TYPE_CHECKING:
    from .import_dialog import ImportChoice, ImportDialog

# The digest parsers (and the dialog that shows them) load at the first paste, not at
# startup: compiling their ~75 patterns cost ~0.1 s before the first cards.

FILE_SUFFIXES = (
    ".txt", ".bib", ".md", ".ris", ".eml", ".html", ".htm", ".text", ".markdown", ".json", ".rdf",
)
FILE_FILTER = "Digests and bibliographies (*.txt *.bib *.md *.ris *.eml *.html *.json *.rdf);;All files (*)"


def _read_file(path: Path) -> str:
    """One file's text; raises InputError in plain words for a binary or unreadable one."""
    from paperdeck.core.digest import decode_paste

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read '{path.name}': {exc.strerror or exc}.") from exc
    try:
        return decode_paste(data)
    except ValueError as exc:
        raise InputError(f"'{path.name}' {exc}.") from exc


def read_files(paths: list[Path]) -> str:
    """The text of the files, joined; raises InputError in plain words for binary or unreadable ones."""
    return "\n\n".join(_read_file(path) for path in paths)


@dataclass
class Batch:
    """Files reviewed together: adjacent files read as one format."""

    names: list[str]
    text: str

    def title(self, at: int, of: int) -> str:
        names = ", ".join(self.names)
        if len(self.names) > 3:
            names = f"{self.names[0]} and {len(self.names) - 1} more"
        return f"Import papers from {names}" + (f" ({at} of {of})" if of > 1 else "")


def read_batches(paths: list[Path]) -> list[Batch]:
    """The files' texts, one batch per run of files of one format: a .bib and a .ris joined
    read as one format and lost the other file's papers, so each format is reviewed apart."""
    from paperdeck.core.digest import parse_digest

    batches: list[Batch] = []
    last = ""
    for path in paths:
        text = _read_file(path)
        fmt = parse_digest(text).format if len(paths) > 1 else ""
        if batches and fmt == last:
            batches[-1].names.append(path.name)
            batches[-1].text += "\n\n" + text
        else:
            batches.append(Batch([path.name], text))
        last = fmt
    return batches


def summary(imported: int, duplicates: int) -> str:
    text = f"Imported {count(imported)}"
    if duplicates:
        text += f", {duplicates} already in your library"
    return text


RENAMED_SHOWN = 12  # keys listed in the box; the rest are counted


def renamed_text(renamed: list[tuple[str, str, str]]) -> str:
    """The renamed keys in words, one line each (pasted → key in the library: why)."""
    n = len(renamed)
    lines = [f"{pasted} → {key}: {why}" for pasted, key, why in renamed[:RENAMED_SHOWN]]
    if n > RENAMED_SHOWN:
        lines.append(f"… and {n - RENAMED_SHOWN} more (paperdeck list --json shows every key)")
    head = (f"{count(n, 'pasted citation key')} could not be kept: "
            f"{'its paper is' if n == 1 else 'their papers are'} in the library under "
            f"{'another key' if n == 1 else 'other keys'}. Documents that cite "
            f"{'it' if n == 1 else 'them'} need the library's {'key' if n == 1 else 'keys'}:")
    return head + "\n\n" + "\n".join(lines)


class Importer:
    """Opens the import dialog from the clipboard, files or drops, and carries out the import."""

    def __init__(self, lib: Library, tasks: Tasks, report: Report, parent: QWidget,
                 on_imported: Callable[[list[int], int], None],
                 complete: Callable[[list[int]], None], folder: RecentFolder | None = None) -> None:
        """`on_imported(new ids, duplicates)` shows the result; `complete(ids)` looks metadata up;
        `folder` is where File → Import opens."""
        self.lib, self.tasks, self.say, self.parent = lib, tasks, report, parent
        self.folder = folder
        self.on_imported, self.complete = on_imported, complete
        # The for-you model's worker (issue 16), set by the window once it has one.
        self.triage_tasks: Tasks | None = None
        self.dialog: ImportDialog | None = None
        self.pending: list[tuple[int, int, Batch]] = []  # files to review after this dialog

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and self._local_files(mime):
            self.open_files(self._local_files(mime))
        elif mime is not None and mime.hasHtml():
            from paperdeck.core.digest import better_paste

            plain, html = mime.text(), mime.html()  # rich text: read both, keep the better
            self.tasks.run(lambda: better_paste(plain, html), self.open_dialog)
        elif mime is not None and mime.hasText() and mime.text().strip():
            self.open_dialog(mime.text())
        else:
            self.say("The clipboard holds no text to import. Copy a digest first.")

    def choose_files(self, native: bool = True) -> None:
        start = self.folder.get() if self.folder else ""
        options = QFileDialog.Option(0) if native else QFileDialog.Option.DontUseNativeDialog
        names, _ = QFileDialog.getOpenFileNames(self.parent, "Import papers", start, FILE_FILTER,
                                                options=options)
        if names:
            if self.folder:
                self.folder.remember(names[0])
            self.open_files([Path(n) for n in names])

    def open_files(self, paths: list[Path]) -> None:
        self.tasks.run(lambda: read_batches(paths), self._review,
                           lambda e: self.say(str(e) if isinstance(e, InputError)
                                                  else "Sorry, those files could not be read."))

    def _review(self, batches: list[Batch]) -> None:
        """One dialog a batch, the next when the last closes (imported or cancelled)."""
        self.open_dialog(batches[0].text)
        if self.dialog is not None:
            self.dialog.setWindowTitle(batches[0].title(1, len(batches)))
        self.pending = [(k + 2, len(batches), b) for k, b in enumerate(batches[1:])]

    def open_dialog(self, text: str) -> ImportDialog:
        if self.pending:  # a new paste or drop replaces the files still to review
            n = sum(len(b.names) for _, _, b in self.pending)
            self.pending = []
            self.say(f"The review of {count(n, 'more file')} was left for this one; "
                     "open them again to import them.")
        if self.dialog is not None:
            self.dialog.close()
        from .import_dialog import ImportDialog

        self.dialog = ImportDialog(self.lib, self.tasks, text, self.parent)
        if self.triage_tasks is not None:
            from .import_triage import ImportTriage

            # rows by for-you score (issue 16), computed on the model's own worker
            self.dialog.triage = ImportTriage(self.dialog, self.triage_tasks)
        self.dialog.chosen.connect(self.add)
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()
        return self.dialog

    def _dialog_closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        if self.pending:
            at, of, batch = self.pending.pop(0)
            rest, self.pending = self.pending, []
            self.open_dialog(batch.text).setWindowTitle(batch.title(at, of))
            self.pending = rest

    def add(self, choice: ImportChoice) -> None:
        lib = self.lib

        def work() -> tuple[list[int], list[tuple[str, str, str]]]:
            ids, renamed = [], []
            if choice.drafts:
                ids = lib.add(choice.drafts, raw_text=choice.raw_text, fmt=choice.fmt,
                              tags=choice.tags, found=choice.found, duplicates=choice.duplicates)
                renamed = lib.renamed_keys(choice.drafts, ids)
            renamed += lib.held_keys(choice.left_out)
            if choice.versions:
                lib.accept_newer_versions(choice.versions)
            return ids, renamed

        def done(result: tuple[list[int], list[tuple[str, str, str]]]) -> None:
            ids, renamed = result
            self.show_new(ids, choice.duplicates)
            if renamed:
                self.tell_renamed(renamed)
            if choice.complete and ids:
                self.complete(ids)

        self.tasks.run(work, done, label=f"Importing {count(len(choice.drafts))}…")

    def import_sample(self) -> None:
        lib = self.lib

        def work() -> tuple[list[int], int]:
            text = read_files([sample_digest_path()])
            report = lib.import_text(text, source="sample digest")
            return report.ids, report.duplicates

        self.tasks.run(work, lambda r: self.show_new(*r), label="Importing the sample digest…")

    def show_new(self, ids: list[int], duplicates: int) -> None:
        self.on_imported(ids, duplicates)

    def tell_renamed(self, renamed: list[tuple[str, str, str]]) -> QMessageBox:
        """Pasted citation keys stored under other keys: a document citing them needs the
        new ones, so this is said in a box that stays until read, not in the status bar."""
        box = message_box(self.parent, QMessageBox.Icon.Information, "Citation keys renamed",
                          renamed_text(renamed))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

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
