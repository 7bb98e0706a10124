"""The window's actions (with their shortcuts) and the edits they make on the selected papers
(status, priority, tags, queue order, trash, undo). Every edit is a one-liner handed to the
background worker. The window lays the actions out in its menus and toolbar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from paperdeck.core.library import Library

from . import plain
from .links import first_link, open_or_explain
from .ports import CardSelection, Commands, Navigation, Report
from .tasks import Tasks

STATUS_ACTIONS = (("reading", "Start reading", "Ctrl+2"), ("read", "Mark as read", "Ctrl+3"),
                  ("archived", "Archive", "Ctrl+4"), ("queued", "Back to queue", "Ctrl+1"))
PRIORITY_NAMES = ("No priority", "Low priority", "Medium priority", "High priority")
MOVES = (("top", "Move to top", "Ctrl+Shift+Up"), ("up", "Move up", "Ctrl+Up"),
         ("down", "Move down", "Ctrl+Down"), ("bottom", "Move to bottom", "Ctrl+Shift+Down"))
BULK = 200  # selections larger than this show the busy indicator with a label


def _plural(n: int) -> str:
    return f"{n:,} paper{'s' if n != 1 else ''}"


class PaperActions:
    """All QActions of the window, the card context menu and their handlers."""

    def __init__(self, host: QWidget, lib: Library, tasks: Tasks, report: Report,
                 cards: CardSelection, nav: Navigation, commands: Commands) -> None:
        """`host` owns the actions (their shortcuts work anywhere in it) and parents dialogs."""
        self.host, self.lib, self.tasks, self.say = host, lib, tasks, report
        self.cards, self.nav, self.commands = cards, nav, commands
        self._build_actions()
        self.update_undo()
        self.update_enabled()

    def _action(self, text: str, slot: Callable[[], object], shortcut: str | QKeySequence = "",
                tip: str = "") -> QAction:
        action = QAction(text, self.host)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.host.addAction(action)
        return action

    def _build_actions(self) -> None:
        c = self.commands
        self.import_file = self._action("&Import…", c.import_files, "Ctrl+O",
                                        "Import papers from .txt or .bib files")
        self.paste = self._action("&Paste digest", c.paste, QKeySequence.StandardKey.Paste)
        self.export = self._action("&Export…", c.export, "Ctrl+E",
                                   "Export BibTeX, CSL-JSON or RIS to a file or the clipboard")
        self.quit = self._action("&Quit", c.quit, QKeySequence.StandardKey.Quit)
        self.undo = self._action("&Undo", self.do_undo, QKeySequence.StandardKey.Undo)
        self.redo = self._action("&Redo", self.do_redo)
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.find = self._action("&Find", self.nav.focus_search, "Ctrl+F")
        self.find.setShortcuts([QKeySequence("Ctrl+F"), QKeySequence("Ctrl+L")])
        self.status = {s: self._action(label, lambda s=s: self.set_status(s), key)
                       for s, label, key in STATUS_ACTIONS}
        self.priority = [self._action(name, lambda p=p: self.set_priority(p), f"Alt+{p}")
                         for p, name in enumerate(PRIORITY_NAMES)]
        self.add_tag = self._action("Add tag…", self.ask_add_tag, "Ctrl+T")
        self.remove_tag = self._action("Remove tag…", self.ask_remove_tag, "Ctrl+Shift+T")
        self.moves = {m: self._action(label, lambda m=m: self.move(m), key) for m, label, key in MOVES}
        self.trash = self._action("Move to trash", self.trash_selected, QKeySequence.StandardKey.Delete)
        self.restore = self._action("Restore from trash", self.restore_selected, "Ctrl+Shift+R")
        self.next_up = self._action("Next up", self.open_next_up, "Ctrl+Shift+N",
                                    "Select the first queued paper and open its link")
        self.open_paper = self._action("Open link", self.open_selected, "Ctrl+Return")
        self.copy_bib = self._action("Copy BibTeX", self.copy_bibtex, "Ctrl+Shift+C")
        self.show_stats = self._action("Statistics", c.show_stats)
        self.complete = self._action("Complete metadata", lambda: c.complete(self.cards.selected_ids()),
                                     "Ctrl+Shift+M", "Look up authors, year, venue and identifiers "
                                     "on arXiv and Crossref (undoable)")
        self.empty_trash = self._action("Empty trash…", self.ask_empty_trash)

    def fill_paper_menu(self, menu: QMenu) -> None:
        for a in self.status.values():
            menu.addAction(a)
        prio = menu.addMenu("Priority")
        for a in self.priority:
            prio.addAction(a)
        menu.addSeparator()
        menu.addAction(self.add_tag)
        menu.addAction(self.remove_tag)
        menu.addSeparator()
        for a in self.moves.values():
            menu.addAction(a)
        menu.addSeparator()
        for a in (self.open_paper, self.copy_bib, self.complete, self.next_up):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.trash)
        menu.addAction(self.restore)

    def card_menu(self, global_pos: QPoint) -> None:
        menu = QMenu(self.host)
        self.fill_paper_menu(menu)
        menu.exec(global_pos)

    # -- state of the actions ----------------------------------------------------------
    def update_enabled(self) -> None:
        some = self.cards.has_selection()
        in_trash = self.nav.view == "trash"
        for a in [*self.status.values(), *self.priority, self.add_tag, self.remove_tag,
                  self.open_paper, self.copy_bib, self.complete]:
            a.setEnabled(some and not in_trash)
        for a in self.moves.values():
            a.setEnabled(some and self.nav.reorderable())
        self.trash.setEnabled(some and not in_trash)
        self.restore.setEnabled(some and in_trash)

    def update_undo(self) -> None:
        undo, redo = self.lib.undo_label(), self.lib.redo_label()
        self.undo.setText(f"&Undo {undo}" if undo else "&Undo")
        self.undo.setEnabled(bool(undo))
        self.redo.setText(f"&Redo {redo}" if redo else "&Redo")
        self.redo.setEnabled(bool(redo))

    # -- edits -------------------------------------------------------------------------
    def _edit(self, fn: Callable[[], object], ids: list[int], label: str, select: bool = False) -> None:
        """Run an edit off the GUI thread; big selections show a busy label."""
        def done(_change: object) -> None:
            if select:
                self.nav.reload(select=ids)

        self.tasks.run(fn, done, label=label if len(ids) > BULK else "")

    def set_status(self, status: str) -> None:
        ids = self.cards.selected_ids()
        if ids:
            self._edit(lambda: self.lib.set_status(ids, status), ids, f"Updating {_plural(len(ids))}…")

    def set_priority(self, priority: int) -> None:
        ids = self.cards.selected_ids()
        if ids:
            self._edit(lambda: self.lib.set_priority(ids, priority), ids,
                       f"Updating {_plural(len(ids))}…")

    def tag_selected(self, names: list[str]) -> None:
        ids = self.cards.selected_ids()
        if ids and names:
            self._edit(lambda: self.lib.add_tags(ids, names), ids, f"Tagging {_plural(len(ids))}…")

    def untag_selected(self, names: list[str]) -> None:
        ids = self.cards.selected_ids()
        if ids and names:
            self._edit(lambda: self.lib.remove_tags(ids, names), ids, f"Untagging {_plural(len(ids))}…")

    def ask_add_tag(self) -> None:
        text, ok = plain.ask_text(self.host, "Add tag", "Tag for the selected papers "
                                  "(several: separate with commas):")
        if ok:
            self.tag_selected([t.strip() for t in text.split(",") if t.strip()])

    def ask_remove_tag(self) -> None:
        present = sorted({t for p in self.lib.papers(self.cards.selected_ids()[:2000]) for t in p.tags},
                         key=str.casefold)
        if not present:
            self.say("The selected papers have no tags.")
            return
        name, ok = QInputDialog.getItem(self.host, "Remove tag", "Tag to remove:", present, 0, False)
        if ok and name:
            self.untag_selected([name])

    def ask_rename_tag(self, old: str) -> None:
        new, ok = plain.ask_text(self.host, "Rename tag", f"New name for '{old}' (an existing "
                                 "tag's name merges the two):", old)
        if ok and new.strip() and new.strip() != old:
            self.rename_tag(old, new.strip())

    def rename_tag(self, old: str, new: str) -> None:
        def done(_change: object) -> None:
            if self.nav.tag.casefold() == old.casefold():
                self.nav.filter_by_tag(new)

        self.tasks.run(lambda: self.lib.rename_tag(old, new), done)

    def ask_delete_tag(self, name: str) -> None:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = plain.ask(self.host, QMessageBox.Icon.Question, "Delete tag",
                           f"Remove the tag '{name}' from every paper? (Edit → Undo brings it back.)",
                           buttons, QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_tag(name)

    def delete_tag(self, name: str) -> None:
        def done(_change: object) -> None:
            if self.nav.tag.casefold() == name.casefold():
                self.nav.show_view("all")

        self.tasks.run(lambda: self.lib.delete_tag(name), done)

    def move(self, where: str) -> None:
        ids = self.cards.selected_ids()
        if not ids or not self.nav.reorderable():
            return
        shown = self.cards.shown_ids()
        where_is = {pid: row for row, pid in enumerate(shown)} if len(ids) > 1 else None
        rows = [where_is[i] for i in ids] if where_is else [shown.index(ids[0])]
        if where in ("top", "bottom"):
            self.move_to(ids, where, None)
            if where == "top":  # runs after the move: the worker takes jobs in order
                self.tasks.run(lambda: self.lib.ahead_by_priority(ids),
                               lambda note: note and self.say(note, 10000))
        elif where == "up" and min(rows) > 0:
            self.move_to(ids, "before", shown[min(rows) - 1])
        elif where == "down" and max(rows) < len(shown) - 1:
            self.move_to(ids, "after", shown[max(rows) + 1])

    def move_to(self, ids: list[int], to: str, anchor: int | None) -> None:
        """Reorder the queue (drag and drop, keyboard); the moved cards stay selected."""
        self._edit(lambda: self.lib.move(ids, to=to, anchor=anchor), ids,
                   f"Moving {_plural(len(ids))}…", select=True)

    def trash_selected(self) -> None:
        ids = self.cards.selected_ids()
        if ids:
            self._edit(lambda: self.lib.trash(ids), ids, f"Moving {_plural(len(ids))} to the trash…")
            self.say(f"Moved {_plural(len(ids))} to the trash (Ctrl+Z to undo).")

    def restore_selected(self) -> None:
        ids = self.cards.selected_ids()
        if ids:
            self._edit(lambda: self.lib.restore(ids), ids, f"Restoring {_plural(len(ids))}…")
            self.say(f"Restored {_plural(len(ids))}.")

    def ask_empty_trash(self) -> None:
        """The explicit second step after "Move to trash": deletes for good, so it asks first."""
        n = self.nav.trash_count()
        if n <= 0:
            self.say("The trash is empty.")
            return
        answer = plain.ask(
            self.host, QMessageBox.Icon.Warning, "Empty trash",
            f"Delete the {_plural(n)} in the trash for good? This cannot be undone "
            "(the daily backup still has them).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.empty_trash_now()

    def empty_trash_now(self) -> None:
        def done(count: int) -> None:
            self.say(f"Deleted {_plural(count)} for good.")
            self.nav.reload()
            self.nav.refresh_counts()
            self.update_undo()

        self.tasks.run(self.lib.empty_trash, done, label="Emptying the trash…")

    def do_undo(self) -> None:
        label = self.lib.undo_label()
        if label:
            self.tasks.run(self.lib.undo, lambda _c: self.say(f"Undone: {label}."))

    def do_redo(self) -> None:
        label = self.lib.redo_label()
        if label:
            self.tasks.run(self.lib.redo, lambda _c: self.say(f"Redone: {label}."))

    # -- reading -----------------------------------------------------------------------
    def open_next_up(self) -> None:
        """Select the first queued paper (switching to the queue if needed) and open its link."""
        def found(ids: list[int]) -> None:
            if not ids:
                self.say("Nothing is queued: your reading queue is empty.")
                return
            pid = ids[0]
            if pid not in self.cards.shown_ids():
                self.nav.clear_search()
                self.nav.show_view("queue")
            self.nav.reload(select=[pid])
            paper = self.lib.papers([pid])
            link = first_link(paper[0]) if paper else ""
            if not link:
                self.say("Next up has no web link to open.")
            else:
                self.say(open_or_explain(link) or f"Next up: {paper[0].title}", 12000)

        self.tasks.run(lambda: self.lib.ids(view="queue", status="queued", limit=1), found)

    def open_selected(self) -> None:
        for paper in self.lib.papers(self.cards.selected_ids()[:5]):
            link = first_link(paper)
            problem = open_or_explain(link) if link else f"'{paper.title}' has no web link to open."
            if problem:
                self.say(problem, 12000)

    def copy_bibtex(self) -> None:
        ids = self.cards.selected_ids()
        if ids:
            self.commands.copy_bibtex(ids)
