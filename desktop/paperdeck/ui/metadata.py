""""Complete metadata": look the selected papers up online, off the GUI thread, with progress.

The core does the work (`Library.complete_metadata`: rate limits, cache, one undoable
edit); this module only relays progress to the status bar and shows what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from paperdeck.core.library import Library

from .plain import message_box
from .ports import Report
from .tasks import Tasks

if TYPE_CHECKING:
    from paperdeck.core.enrich import CompletionReport

MAX_LINES = 25  # more than this and the dialog lists the count only


class MetadataCompleter(QObject):
    """Runs one completion at a time and reports it in plain words."""

    progressed = Signal(int, int, str)  # emitted on the worker thread, delivered on the GUI's

    def __init__(self, lib: Library, tasks: Tasks, report: Report,
                 show_progress: Callable[[str], None], parent: QWidget) -> None:
        """`show_progress` shows one line while the lookup runs; dialogs open over `parent`."""
        super().__init__(parent)
        self.lib, self.tasks, self.say = lib, tasks, report
        self._progress_line, self._parent = show_progress, parent
        self.running = False
        self.progressed.connect(self._show_progress)

    def complete(self, ids: list[int]) -> None:
        if not ids:
            self.say("Select the papers whose metadata should be completed.")
            return
        if self.running:
            self.say("Metadata completion is already running.")
            return
        self.running = True
        lib = self.lib

        def work():
            return lib.complete_metadata(ids, progress=lambda d, t, label: self.progressed.emit(d, t, label))

        self.tasks.run(work, self._done, self._failed,
                           label=f"Looking up {len(ids)} paper{'s' if len(ids) != 1 else ''}…")

    def cancel(self) -> None:
        if self.running:
            self.lib.metadata_client().cancel()

    def _show_progress(self, done: int, total: int, label: str) -> None:
        self._progress_line(f"Looking up {done}/{total}: {label[:60]}")

    def _done(self, result: tuple[object, CompletionReport]) -> None:
        self.running = False
        _change, report = result
        self.say(report.summary(), 12000)
        lines = [item.line() for item in report.items if item.changes]
        if report.offline:
            lines.insert(0, "The lookup services could not be reached (offline?): "
                            "nothing was changed for the papers not found.")
        if not lines:
            return
        shown = lines[:MAX_LINES]
        if len(lines) > MAX_LINES:
            shown.append(f"… and {len(lines) - MAX_LINES} more.")
        box = message_box(self._parent, QMessageBox.Icon.Information, "Metadata completed", report.summary())
        box.setDetailedText("\n".join(shown) + "\n\nEdit → Undo reverts all of it.")
        box.open()

    def _failed(self, error: BaseException) -> None:
        self.running = False
        from .tasks import describe

        self.say(describe(error), 12000)
