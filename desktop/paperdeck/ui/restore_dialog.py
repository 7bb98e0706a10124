"""File → Restore from backup…: the library's backups with their date, papers, size and
whether each checks out; restoring one replaces the library (the current one is backed
up first, so the restore itself can be undone from this same list).

Also: a restore or load made by another paperdeck is noticed here (a small read every
few seconds, on the worker), and the window then shows the library as it is now."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..core.backup import BackupInfo, describe_backups

if TYPE_CHECKING:
    from ..core.library import Library
    from .ports import Report
    from .tasks import Tasks

WATCH_MS = 4000
REPLACED = ("The library was replaced by a restore in another paperdeck; it is shown as it "
            "is now, and the undo history (which belonged to the old one) was cleared.")


def install(menu: QMenu, parent: QWidget, lib: Library, tasks: Tasks, say: Report) -> QAction:
    """Add the menu item (before the menu's last entry, Quit) and the watch for restores
    elsewhere; the window gives the File menu and its library, worker and status line."""
    action = QAction("Restore from backup…", parent)
    action.setStatusTip("Replace the library with one of its backups (the current one is "
                        "backed up first)")
    action.triggered.connect(lambda: show_for(parent, lib, tasks, say))
    last = menu.actions()[-1] if menu.actions() else None
    menu.insertAction(last, action)
    timer = QTimer(parent)
    timer.setInterval(WATCH_MS)
    # Only while the window is shown: a check started as it closes would outlive it.
    timer.timeout.connect(lambda: parent.isVisible() and _watch(lib, tasks, say))
    timer.start()
    return action


def _watch(lib: Library, tasks: Tasks, say: Report) -> None:
    if tasks.idle():  # never queue behind the user's own work
        tasks.run(lib.check_replaced, lambda replaced: replaced and say(REPLACED),
                  lambda _error: None)


def describe_row(info: BackupInfo) -> str:
    """One plain-text line: when, papers, size, state."""
    when = datetime.fromtimestamp(info.made).strftime("%Y-%m-%d %H:%M")
    papers = "? papers" if info.papers is None else f"{info.papers} papers"
    note = "" if info.ok else f" — {info.state}, cannot be restored"
    kind = " (saved before a restore)" if "before-restore" in info.path.name else ""
    return f"{when} — {papers} — {info.size / 1e6:.1f} MB{kind}{note}"


class RestoreDialog(QDialog):
    """Lists the backups (checked on the worker) and restores the chosen one."""

    def __init__(self, parent: QWidget, lib: Library, tasks: Tasks, say: Report) -> None:
        super().__init__(parent)
        self.lib, self.tasks, self.say = lib, tasks, say
        self.setWindowTitle("Restore from backup")
        self.setObjectName("restore-dialog")
        self.note = QLabel("Checking the backups…")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.list = QListWidget()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            "Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(lambda: self.restore())
        self.list.currentItemChanged.connect(lambda *_: self._update())
        layout = QVBoxLayout(self)
        for widget in (self.note, self.list, self.buttons):
            layout.addWidget(widget)
        self.resize(560, 320)
        self.infos: list[BackupInfo] = []
        folder = lib.folder
        tasks.run(lambda: describe_backups(folder), self._fill, self._failed)

    def _fill(self, infos: list[BackupInfo]) -> None:
        self.infos = list(reversed(infos))  # newest first
        self.list.clear()
        for info in self.infos:
            item = QListWidgetItem(describe_row(info))
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            if not info.ok:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.list.addItem(item)
        self.note.setText(
            "Choose a backup to restore. The library as it is now is backed up first."
            if self.infos else "There are no backups yet (one is made each day the library "
                               "is opened).")
        first_ok = next((i for i, info in enumerate(self.infos) if info.ok), None)
        if first_ok is not None:
            self.list.setCurrentRow(first_ok)
        self._update()

    def _failed(self, error: BaseException) -> None:
        from .tasks import describe

        self.note.setText(f"The backups could not be listed: {describe(error)}")

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        if item is None or not (item.flags() & Qt.ItemFlag.ItemIsSelectable):
            return None
        return Path(item.data(Qt.ItemDataRole.UserRole))

    def _update(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def restore(self, confirm: bool = True) -> None:
        path = self.chosen()
        if path is None:
            return
        if confirm and QMessageBox.question(
                self, "Restore from backup",
                "Replace the whole library with this backup? The library as it is now is "
                "backed up first, so this can be undone by restoring that backup."
        ) != QMessageBox.StandardButton.Yes:
            return
        self.restore_button.setEnabled(False)
        self.note.setText("Restoring…")
        lib = self.lib
        self.tasks.run(lambda: lib.restore_backup(path), self._restored, self._failed_restore)

    def _restored(self, before: Path) -> None:
        self.say(f"Restored the backup. The library as it was is saved in {before}.", 15000)
        self.accept()

    def _failed_restore(self, error: BaseException) -> None:
        from .tasks import describe

        self.note.setText(f"Nothing was restored: {describe(error)}")
        self._update()


def show_for(parent: QWidget, lib: Library, tasks: Tasks, say: Report) -> RestoreDialog:
    dialog = RestoreDialog(parent, lib, tasks, say)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
