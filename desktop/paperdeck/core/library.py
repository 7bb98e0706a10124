"""`Library`: the one façade the GUI and the CLI use. SQLite first, then the index."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import operations
from .edits import Change, Edit, change_of, reindexed_ids, run_edit
from .errors import InputError, LibraryCorrupt, LibraryReadOnly, LibraryReplaced
from .indexing import IndexKeeper
from .models import Draft
from .queries import LibraryQueries
from .saved_searches import LibrarySavedSearches
from .storage import Store, explained
from .triage import LibraryTriage
from .upkeep import READ_ONLY_NOTE, LibraryUpkeep

if TYPE_CHECKING:  # these load on first use: a CLI listing never needs them
    from .digest import ParseResult
    from .importer import ImportReport, PreviewItem

log = logging.getLogger(__name__)

UNDO_LIMIT = 200
# Papers whose indexed text an edit changes, from which (with a `background` runner set,
# as the window does) the index is updated off the caller's thread: a digest's ~100 new
# papers take Whoosh ~1 s to write, and the new cards need not wait for that.
LARGE_EDIT = 20
Listener = Callable[[Change], None]


def _unwritable(folder: Path) -> bool:
    """True when the library folder or its database exists but cannot be written."""
    db = folder / "library.db"
    return (folder.is_dir() and not os.access(folder, os.W_OK)) or (
        db.exists() and not os.access(db, os.W_OK))


def _offer_backup(folder: Path) -> str:
    """" The newest backup is ...", naming the one to try first (not checked: that is
    `backup --list`'s job), or nothing when there is none."""
    from datetime import datetime

    from . import backup

    good = [p for p in backup.list_backups(folder) if backup.is_good(p)]
    if not good:
        return " There are no backups."
    when = datetime.fromtimestamp(backup.made_at(good[-1])).strftime("%Y-%m-%d %H:%M")
    return f" The newest backup is {good[-1]} ({when})."


class Library(LibraryQueries, LibraryUpkeep, LibraryTriage, LibrarySavedSearches):
    """A library folder: `library.db` (the truth) and `index/` (the search cache)."""

    def __init__(self, folder: Path, *, read_only: bool = False, reason: str = "") -> None:
        from ..paths import ensure_private_dir

        self.folder = folder
        if not read_only:
            with explained():
                ensure_private_dir(folder)
        self.store = Store(folder / "library.db", read_only=read_only, reason=reason)
        self.index = IndexKeeper(self.store, folder / "index")
        self.notes: list[str] = []  # for the status bar: read-only, index rebuilt, backup failed
        self._undo: list[Edit] = []
        self._redo: list[Edit] = []
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()
        # The window sets this to run large re-indexing off its worker (see `_after`).
        self.background: Callable[[Callable[[], object]], object] | None = None
        self._catching_up = False
        if not read_only:
            self._listeners.append(self._keep_files_current)
        self.damage = ""  # set when a backup's integrity check found the library damaged
        self.index.catching_up_aside = lambda: self._catching_up  # its searches need not wait

    @classmethod
    def open(
        cls, folder: Path, *, read_only: bool = False, sync_index: bool = True, backup: bool = True,
    ) -> Library:
        """Open (creating if needed) the library; with `sync_index`, bring the index up to date now.

        A folder that cannot be written opens read-only, with a note in `notes`; every change
        then raises LibraryReadOnly. With `backup`, a copy of the database is made when the
        newest backup is over a day old (see backup.py); a failure there is only a note.
        """
        reason = ""
        if not read_only and _unwritable(folder):
            read_only, reason = True, READ_ONLY_NOTE
        try:
            lib = cls(folder, read_only=read_only, reason=reason)
        except LibraryReadOnly as exc:
            if read_only:
                raise
            if not (folder / "library.db").exists():
                raise LibraryReadOnly(
                    f"There is no library in {folder}, and none can be created there: {exc}"
                ) from exc
            read_only, reason = True, READ_ONLY_NOTE
            lib = cls(folder, read_only=True, reason=reason)
        except LibraryCorrupt as exc:
            raise LibraryCorrupt(f"{exc}{_offer_backup(folder)}") from None
        if reason:
            lib.notes.append(reason)
        lib.notes += lib.store.notes
        state = lib.index.ensure(warm=False) if sync_index else ""
        if state == "rebuilt" and lib.store.db.execute(
                "SELECT EXISTS (SELECT 1 FROM papers)").fetchone()[0]:
            lib.notes.append("The search index was missing, damaged or out of date; "
                             "it was rebuilt from the library.")
        elif state == "unavailable" and not read_only:
            lib.notes.append("The search index could not be rebuilt (is the disk full?). "
                             "Search still works, more slowly, until it can be.")
        if backup and not read_only:
            lib.backup_if_due()
            if lib.damage:  # found by the backup's check: say so now, as a failure
                lib.close()
                raise LibraryCorrupt(f"{lib.damage}{_offer_backup(folder)}")
        return lib

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- import ------------------------------------------------------------------------
    def parse(self, text: str, fmt: str | None = None) -> ParseResult:
        """Read a paste. When papers were found in text with unreadable characters (U+FFFD,
        from bytes that were not valid UTF-8), `message` says so, for the window to show."""
        from .digest import parse_digest, unreadable_note

        result = parse_digest(text, fmt)
        if result.drafts and not result.message:
            result.message = unreadable_note(text)
        return result

    def preview(self, drafts: list[Draft], fuzzy: bool = True) -> list[PreviewItem]:
        from . import importer

        with explained(), self._lock:
            return importer.classify(self.store, drafts, fuzzy=fuzzy)

    def import_text(
        self, text: str, *, tags: Iterable[str] = (), fmt: str | None = None, source: str = "",
        dry_run: bool = False,
    ) -> ImportReport:
        """Parse a paste and add its new papers at the end of the queue; duplicates are skipped."""
        from . import importer

        result = self.parse(text, fmt)
        if not result.drafts:
            raise InputError(result.message or "No papers recognised in this text.")
        items = self.preview(result.drafts, fuzzy=False)
        fresh = [it.draft for it in items if it.verdict == importer.NEW]
        skipped = [it for it in items if it.verdict != importer.NEW]
        report = importer.ImportReport(result.format, len(items), len(fresh), len(skipped),
                                       message=result.message, skipped=skipped,
                                       broken=result.skipped)
        held = self.held_keys(skipped)
        if dry_run:
            with explained(), self._lock:
                report.rekeyed = importer.planned_rekeys(self.store, fresh) + held
            return report
        report.ids = self.add(fresh, raw_text=text, fmt=result.format, source=source,
                              tags=list(tags), found=len(items), duplicates=len(skipped))
        report.rekeyed = self.renamed_keys(fresh, report.ids) + held
        return report

    def held_keys(self, skipped: list[PreviewItem]) -> list[tuple[str, str, str]]:
        """(pasted key, key held, why) for pasted entries skipped as papers the library
        already holds under another citation key."""
        from . import importer

        with explained(), self._lock:
            return importer.held_as(self.store, skipped)

    def renamed_keys(self, drafts: list[Draft], ids: list[int]) -> list[tuple[str, str, str]]:
        """(pasted key, key stored, why) for each pasted citation key these just-added drafts
        (stored as `ids`) could not keep: a .tex citing the pasted key needs the new one."""
        from . import importer

        with explained(), self._lock:
            return importer.rekeyed(self.store, drafts, ids)

    def add(
        self, drafts: list[Draft], *, raw_text: str, fmt: str, source: str = "",
        tags: list[str] | None = None, found: int | None = None, duplicates: int = 0,
    ) -> list[int]:
        """Add drafts the user chose; the raw paste is kept with them. Returns the new ids.

        New ids, citation keys and queue places are taken inside the write transaction:
        taken before it, two processes importing at once could pick the same id."""
        from . import importer

        if not drafts:
            return []

        def plan(edit: Edit) -> None:
            built = importer.build_insert(
                self.store, drafts, raw_text=raw_text, fmt=fmt, source=source, tags=tags or [],
                found=len(drafts) if found is None else found, duplicates=duplicates,
            )
            vars(edit).update(vars(built))

        with explained():
            importer.clean_tags(tags or [])  # a bad --tag fails before anything is written
        edit = Edit(label="import")
        self.apply(edit, prepare=plan)
        return [row["id"] for row in edit.inserted]

    # -- edits and undo ----------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Call `listener(change)` after every edit (on the thread that made it)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def apply(self, edit: Edit, *, record: bool = True,
              prepare: Callable[[Edit], None] | None = None) -> Change:
        """Run an edit: SQLite in one transaction, then the index; remember it for undo.
        `prepare` fills the edit inside that transaction (see edits.run_edit)."""
        with self._lock:
            if prepare is not None or not edit.is_empty():
                self._run(edit, forward=True, prepare=prepare)
                if record:
                    self._undo.append(edit)
                    del self._undo[:-UNDO_LIMIT]
                    self._redo.clear()
        return self._after(edit)

    def undo(self) -> Change | None:
        return self._replay(self._undo, self._redo, forward=False)

    def redo(self) -> Change | None:
        return self._replay(self._redo, self._undo, forward=True)

    def _replay(self, source: list[Edit], target: list[Edit], *, forward: bool) -> Change | None:
        """Run the newest edit of `source` (backwards for undo) and keep it on `target`."""
        with self._lock:
            if not source:
                return None
            self._run(source[-1], forward=forward)
            edit = source.pop()
            target.append(edit)
        return self._after(edit)

    def _run(self, edit: Edit, *, forward: bool,
             prepare: Callable[[Edit], None] | None = None) -> None:
        """run_edit, unless the library on disk was replaced since we opened it: then
        nothing is written (ids recorded here may name other papers now), the undo
        history is dropped and the listeners reload everything."""
        try:
            run_edit(self.store, edit, forward=forward, prepare=prepare)
        except LibraryReplaced as exc:
            self._replaced()
            raise LibraryReplaced(f"{exc} The library as it is now is shown; the undo "
                                  "history, which belonged to the old one, was cleared.") from None

    def check_replaced(self) -> bool:
        """True (after reloading, see `_replaced`) when a restore or load in another
        paperdeck replaced the library since it was opened here. One small read."""
        with explained():
            if self.store.meta("library_id") == self.store.library_id:
                return False
        self._replaced()
        return True

    def _replaced(self) -> None:
        with self._lock:
            self._undo.clear()
            self._redo.clear()
            self.store.adopt_identity()
            follow = self.index.ready  # a process that never used the index leaves it be
        if follow:
            self._index_anew()
        self._tell_all("the library was replaced")

    def _index_anew(self) -> None:
        """The library was replaced: the index is trusted only once it carries the new
        identity (a rebuild, unless the process that restored already made it). Off the
        caller's thread when a `background` runner is set: a rebuild takes minutes."""
        self.index.ready = False  # meanwhile, searches are answered from SQLite
        if self.background is not None:
            self.background(self._ensure_index_quietly)
        else:
            self._ensure_index_quietly()

    def _ensure_index_quietly(self) -> None:
        """Never fail a restore for the index: busy elsewhere, it is rebuilt at next open."""
        try:
            self.index.ensure(warm=False)
        except Exception as exc:  # noqa: BLE001 - SQLite has the restore; the index follows
            log.warning("search index not rebuilt after the library was replaced (%s)", exc)
            self.index.ready = False

    def _tell_all(self, label: str) -> None:
        """Tell the listeners that everything may have changed (a restore or load)."""
        with explained():
            ids = frozenset(r[0] for r in self.store.read().execute("SELECT id FROM papers"))
        change = Change(label, ids, inserted=True, tags=True, order=True)
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - a screen's bug must not fail the caller
                log.exception("change listener failed")

    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def _after(self, edit: Edit) -> Change:
        """Bring the index up to date, then tell the listeners.

        Tags, status and queue places are not in the index, so editing them indexes
        nothing. With a `background` runner, a larger edit of indexed text (an import) is
        indexed there while the caller goes on; later edits join that catch-up instead of
        waiting for the index lock."""
        with self._lock:
            defer = self.background is not None and (
                self._catching_up or len(reindexed_ids(edit)) > LARGE_EDIT)
            start = defer and not self._catching_up
            self._catching_up = self._catching_up or defer
        if start:
            self.background(self._catch_up_until_current)
        elif not defer:
            self.index.catch_up_quietly()
        change = change_of(edit)
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - a screen's bug must not undo a saved edit
                log.exception("change listener failed")
        return change

    def _keep_files_current(self, change: Change) -> None:
        """Rewrite the files linked with `autoexport add` that this change touched."""
        self.autoexports.on_change(change)

    def _catch_up_until_current(self) -> None:
        """Background: catch the index up until no edit is left behind (a few tries when the
        index is locked elsewhere; then the next edit or open catches up)."""
        stalled = 0
        try:
            while stalled < 5:
                before = self.index.index.generation()
                self.index.catch_up_quietly()
                with self._lock:
                    after = self.index.index.generation()
                    if not self.index.ready or after >= self.store.generation():
                        return
                stalled = stalled + 1 if after == before else 0
                if stalled:
                    time.sleep(0.2)
        finally:
            with self._lock:
                self._catching_up = False

    def index_catching_up(self) -> bool:
        return self._catching_up

    # -- operations (each undoable) ----------------------------------------------------
    def _op(self, build: Callable[..., Edit], *args: Any, **kwargs: Any) -> Change:
        with explained(), self._lock:
            edit = build(self.store, *args, **kwargs)
        return self.apply(edit)

    def set_status(self, ids: Iterable[int], status: str) -> Change:
        return self._op(operations.set_status, self.require(ids), status)

    def add_tags(self, ids: Iterable[int], names: Iterable[str]) -> Change:
        return self._op(operations.add_tags, self.require(ids), list(names))

    def remove_tags(self, ids: Iterable[int], names: Iterable[str]) -> Change:
        return self._op(operations.remove_tags, self.require(ids), list(names))

    def rename_tag(self, old: str, new: str) -> Change:
        return self._op(operations.rename_tag, old, new)

    def delete_tag(self, name: str) -> Change:
        return self._op(operations.delete_tag, name)

    def update(self, pid: int, **values: Any) -> Change:
        """Edit metadata or notes of one paper."""
        return self._op(operations.update_fields, self.require([pid])[0], values)

    def set_priority(self, ids: Iterable[int], priority: int) -> Change:
        return self._op(operations.set_priority, self.require(ids), priority)

    def move(self, ids: Iterable[int], to: str = "top", anchor: int | None = None) -> Change:
        """Reorder the queue: to top/bottom, or before/after the `anchor` paper."""
        return self._op(operations.move, self.require(ids), to=to, anchor=anchor)

    def move_step(self, pid: int, direction: int) -> Change | None:
        """Move one paper up (-1) or down (+1) past its queue neighbour."""
        with explained(), self._lock:
            other = operations.queue_neighbour(self.store, pid, direction)
        if other is None:
            return None
        return self.move([pid], to="before" if direction < 0 else "after", anchor=other)

    def trash(self, ids: Iterable[int]) -> Change:
        return self._op(operations.trash, self.require(ids))

    def restore(self, ids: Iterable[int]) -> Change:
        return self._op(operations.restore, self.require(ids))

    def empty_trash(self) -> int:
        """Delete the papers in the trash for good (the explicit second step; not undoable).

        Returns how many were deleted. Undo entries that refer to them are dropped.
        """
        with explained(), self._lock:
            with self.store.write() as gen:
                db = self.store.db
                ids = [r[0] for r in db.execute("SELECT id FROM papers WHERE trashed_at IS NOT NULL")]
                db.execute("DELETE FROM papers WHERE trashed_at IS NOT NULL")
                db.conn.executemany(
                    "INSERT OR REPLACE INTO purged (paper_id, rev) VALUES (?, ?)", [(i, gen) for i in ids]
                )
                db.execute("DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM paper_tags)")
            gone = set(ids)
            self._undo = [e for e in self._undo if not (e.paper_ids() & gone)]
            self._redo = [e for e in self._redo if not (e.paper_ids() & gone)]
        self.index.catch_up_quietly()
        return len(ids)
