""""Complete metadata": look the selected papers up online, off the GUI thread, with progress.

The core does the work (`Library.complete_metadata`: rate limits, cache, one undoable
edit); this module only relays progress to the status bar and shows what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QToolButton, QWidget

from paperdeck.core.library import Library

from .paper_text import count
from .plain import message_box
from .ports import Report
from .tasks import Tasks

if TYPE_CHECKING:
    from paperdeck.core.enrich import CompletionReport

MAX_LINES = 25  # more than this and the dialog lists the count only


def describe_completion(report: CompletionReport) -> tuple[str, str]:
    """(dialog title, one-line message) in plain words: what changed, and which services
    could not be reached ("arXiv could not be reached: check the internet connection")."""
    counts = report.counts()
    updated = counts.get("updated", 0)
    parts = [f"{count(updated)} updated"] if updated else []
    for status, label in (("unchanged", "already complete"), ("not-found", "not found"),
                          ("cancelled", "not looked up (stopped)")):
        if counts.get(status):
            parts.append(f"{counts[status]:,} {label}")
    failed = sum(counts.get(s, 0) for s in ("offline", "timeout"))
    if not report.offline:
        known = ("updated", "unchanged", "not-found", "cancelled")
        others = sum(n for s, n in counts.items() if s not in known)
        if others:
            parts.append(f"{others:,} could not be looked up")
        return "Metadata completed", "Metadata: " + (", ".join(parts) or "nothing to look up") + "."
    services = list(dict.fromkeys(
        it.note.split(" cannot be reached")[0].split(" timed out")[0].strip()
        for it in report.items if it.status in ("offline", "timeout") and it.note))
    who = " and ".join(s for s in services if s and len(s) < 30) or "The lookup services"
    text = (f"{who} could not be reached: check the internet connection and try again. "
            f"Nothing was changed for {count(failed)}.")
    if parts:
        text += " Meanwhile: " + ", ".join(parts) + "."
    title = "Metadata partly completed" if updated else "Metadata not completed"
    return title, text


class MetadataCompleter(QObject):
    """Runs one completion at a time and reports it in plain words; `stop_action` (in the
    Paper menu and as a button in the status bar while a lookup runs) ends it early."""

    progressed = Signal(int, int, str)  # emitted on the worker thread, delivered on the GUI's

    def __init__(self, lib: Library, tasks: Tasks, report: Report,
                 show_progress: Callable[[str], None], parent: QWidget) -> None:
        """`show_progress` shows one line while the lookup runs; dialogs open over `parent`."""
        super().__init__(parent)
        self.lib, self.tasks, self.say = lib, tasks, report
        self._progress_line, self._parent = show_progress, parent
        self.running = False
        self.progressed.connect(self._show_progress)
        self.stop_action = QAction("Stop metadata lookup", parent)
        self.stop_action.setToolTip("Stop looking papers up; those already looked up keep "
                                    "their changes (Edit → Undo reverts them)")
        self.stop_action.triggered.connect(self.stop)
        self.stop_button = QToolButton()
        self.stop_button.setDefaultAction(self.stop_action)
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.stop_action.setEnabled(running)
        self.stop_button.setVisible(running)

    def complete(self, ids: list[int]) -> None:
        if not ids:
            self.say("Select the papers whose metadata should be completed.")
            return
        if self.running:
            self.say("Metadata completion is already running.")
            return
        self._set_running(True)
        lib = self.lib

        def work():
            return lib.complete_metadata(ids, progress=lambda d, t, label: self.progressed.emit(d, t, label))

        self.tasks.run(work, self._done, self._failed,
                           label=f"Looking up {len(ids)} paper{'s' if len(ids) != 1 else ''}…")

    def cancel(self) -> None:
        if self.running:
            self.lib.metadata_client().cancel()

    def stop(self) -> None:
        """The user's stop: papers not looked up yet are left as they are."""
        if self.running:
            self.cancel()
            self.stop_action.setEnabled(False)
            self._progress_line("Stopping the lookup…")

    def _show_progress(self, done: int, total: int, label: str) -> None:
        self._progress_line(f"Looking up {done}/{total}: {label[:60]}")

    def _done(self, result: tuple[object, CompletionReport]) -> None:
        self._set_running(False)
        _change, report = result
        title, message = describe_completion(report)
        self.say(message, 12000)
        lines = [item.line() for item in report.items if item.changes]
        if not lines and not report.offline:
            return
        shown = lines[:MAX_LINES]
        if len(lines) > MAX_LINES:
            shown.append(f"… and {len(lines) - MAX_LINES} more.")
        icon = QMessageBox.Icon.Warning if report.offline else QMessageBox.Icon.Information
        box = message_box(self._parent, icon, title, message)
        if lines:
            box.setDetailedText("\n".join(shown) + "\n\nEdit → Undo reverts all of it.")
        box.open()

    def _failed(self, error: BaseException) -> None:
        self._set_running(False)
        from .tasks import describe

        self.say(describe(error), 12000)
