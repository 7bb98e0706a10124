"""`Library`: the one façade the GUI and the CLI use. SQLite first, then the index."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import operations
from .edits import Change, Edit, change_of, run_edit, unindexed_ids
from .errors import InputError, LibraryReadOnly, PaperdeckError, UnknownPaper
from .indexing import IndexKeeper
from .models import QUEUE_STATUSES, STATUSES, Draft, Paper
from .rows import PAPER_COLUMNS, paper_from_row
from .storage import Store, explained

if TYPE_CHECKING:  # these load on first use: a CLI listing never needs them
    from .digest import ParseResult
    from .enrich import CompletionReport, EnrichSettings, MetadataClient
    from .importer import ImportReport, PreviewItem

log = logging.getLogger(__name__)

VIEWS: dict[str, tuple[str, ...] | None] = {
    "queue": QUEUE_STATUSES,
    "reading": ("reading",),
    "read": ("read",),
    "archived": ("archived",),
    "all": None,
    "trash": None,
}
SORTS = {
    "queue": "priority DESC, position, id",
    "added": "added_at DESC, id DESC",
    "title": "title_key, id",
    "year": "year DESC, id",
}
UNDO_LIMIT = 200
MANY_HITS = 2000  # above this, a search's hits are matched against the whole view in Python
READ_ONLY_NOTE = ("The library folder cannot be written (a read-only disk or no permission), "
                  "so it is open read-only: you can read and search, but changes cannot be saved.")
Listener = Callable[[Change], None]


def _unwritable(folder: Path) -> bool:
    """True when the library folder or its database exists but cannot be written."""
    db = folder / "library.db"
    return (folder.is_dir() and not os.access(folder, os.W_OK)) or (
        db.exists() and not os.access(db, os.W_OK))


class Library:
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
        if reason:
            lib.notes.append(reason)
        state = lib.index.ensure() if sync_index else ""
        if state == "rebuilt" and lib.store.db.execute(
                "SELECT EXISTS (SELECT 1 FROM papers)").fetchone()[0]:
            lib.notes.append("The search index was missing, damaged or out of date; "
                             "it was rebuilt from the library.")
        elif state == "unavailable" and not read_only:
            lib.notes.append("The search index could not be rebuilt (is the disk full?). "
                             "Search still works, more slowly, until it can be.")
        if backup and not read_only:
            lib.backup_if_due()
        return lib

    def dump(self, out: TextIO) -> int:
        """Write everything as JSON Lines (see portable.py); returns the number of papers."""
        from . import portable

        return portable.dump(self.store, out)

    def load(self, lines: Iterable[str]) -> int:
        """Recreate a dumped library here; only into an empty library. Returns papers loaded."""
        from . import portable

        if self.store.read_only:
            raise LibraryReadOnly(self.store.read_only_reason or READ_ONLY_NOTE)
        with self._lock:
            n = portable.load(self.store, lines)
            self._undo.clear()
            self._redo.clear()
        if not self.store.read_only:
            self.index.rebuild()
        return n

    def backup_if_due(self) -> Path | None:
        """The daily automatic backup (cheap when not due). `open(..., backup=False)` and a
        call from a background thread keep a large library's copy off the GUI thread."""
        from . import backup

        if self.store.read_only:
            return None
        try:
            if backup.is_due(self.folder) and self.store.db.execute(
                    "SELECT EXISTS (SELECT 1 FROM papers)").fetchone()[0]:
                return backup.make_backup(self.store, self.folder)
        except (PaperdeckError, OSError) as exc:
            log.warning("automatic backup failed: %s", exc)
            self.notes.append(f"Today's automatic backup could not be made: {exc}")
        return None

    def backup(self) -> Path:
        """Make a backup of the database now; returns its path."""
        from . import backup

        if self.store.read_only:
            raise LibraryReadOnly(self.store.read_only_reason or READ_ONLY_NOTE)
        with self._lock:
            return backup.make_backup(self.store, self.folder)

    def restore_backup(self, path: Path) -> Path:
        """Replace the library with a backup. The current library is backed up first; its
        path is returned, so the restore can itself be undone. Undo history is cleared."""
        from . import backup

        if self.store.read_only:
            raise LibraryReadOnly(self.store.read_only_reason or READ_ONLY_NOTE)
        with self._lock:
            before = backup.restore_backup(self.store, self.folder, Path(path))
            self._undo.clear()
            self._redo.clear()
            self.index.ready = False
        self.index.ensure()  # the restored database has a new identity: a full rebuild
        ids = frozenset(r[0] for r in self.store.db.execute("SELECT id FROM papers"))
        change = Change("restore a backup", ids, inserted=True, tags=True, order=True)
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - a screen's bug must not fail the restore
                log.exception("change listener failed")
        return before

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------
    def get(self, pid: int) -> Paper:
        papers = self.papers([pid])
        if not papers:
            raise UnknownPaper(f"There is no paper with id {pid}.")
        return papers[0]

    def papers(self, ids: Iterable[int]) -> list[Paper]:
        """The papers with these ids, in the order given (unknown ids are left out)."""
        ids = list(ids)
        if not ids:
            return []
        with explained():
            param = json.dumps(ids)
            rows = self.store.read().execute(
                f"SELECT {', '.join(PAPER_COLUMNS)} FROM papers "
                "WHERE id IN (SELECT value FROM json_each(?))",
                [param],
            ).fetchall()
            tags = self._tags_of(param)
        by_id = {r[0]: paper_from_row(dict(zip(PAPER_COLUMNS, r, strict=True)), tags.get(r[0], []))
                 for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def _tags_of(self, ids_json: str) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for pid, name in self.store.read().execute(
            "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
            "WHERE pt.paper_id IN (SELECT value FROM json_each(?)) ORDER BY t.key",
            [ids_json],
        ):
            out.setdefault(pid, []).append(name)
        return out

    def require(self, ids: Iterable[int]) -> list[int]:
        """The ids, checked to exist; raises UnknownPaper naming the missing ones."""
        ids = list(dict.fromkeys(ids))
        with explained():
            found = {r[0] for r in self.store.read().execute(
                "SELECT id FROM papers WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(ids)],
            )}
        missing = [i for i in ids if i not in found]
        if missing:
            listed = ", ".join(str(i) for i in missing[:10])
            raise UnknownPaper(f"No paper with id {listed} in this library.")
        return ids

    def ids(
        self,
        query: str | None = None,
        *,
        view: str = "all",
        tag: str | None = None,
        status: str | None = None,
        sort: str | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Paper ids for a view, optionally narrowed by tag, status and a search query.

        With a query the default order is relevance; otherwise `sort` (default: queue order).
        Trashed papers appear only in the "trash" view.
        """
        if view not in VIEWS:
            raise InputError(f"Unknown view '{view}'. Views: {', '.join(VIEWS)}.")
        if status is not None and status not in STATUSES:
            raise InputError(f"Unknown status '{status}'. Statuses: {', '.join(STATUSES)}.")
        where, params = self._filters(view, tag, status)
        query = (query or "").strip()
        if not query:
            order = SORTS.get(sort or ("added" if view == "trash" else "queue"), SORTS["queue"])
            sql = f"SELECT id FROM papers WHERE {where} ORDER BY {order}"
            if limit is not None:
                sql += f" LIMIT {int(limit)}"
            with explained():
                return [r[0] for r in self.store.read().execute(sql, params)]
        hits = self.index.search(query)
        # Many hits: reading the whole view and keeping the hits is cheaper than looking
        # each hit up (a common word can match most of a 100k library).
        many = len(hits) > MANY_HITS
        with explained():
            if sort in (None, "relevance"):
                if many:
                    view_ids = {r[0] for r in self.store.read().execute(
                        f"SELECT id FROM papers WHERE {where}", params)}
                    ordered = [i for i in hits if i in view_ids]
                else:
                    allowed = {r[0] for r in self.store.read().execute(
                        f"SELECT id FROM papers WHERE {where} "
                        "AND id IN (SELECT value FROM json_each(?))",
                        [*params, json.dumps(hits)],
                    )}
                    ordered = [i for i in hits if i in allowed]
            else:
                order = SORTS.get(sort, SORTS["queue"])
                if many:
                    found = set(hits)
                    ordered = [r[0] for r in self.store.read().execute(
                        f"SELECT id FROM papers WHERE {where} ORDER BY {order}", params)
                        if r[0] in found]
                else:
                    ordered = [r[0] for r in self.store.read().execute(
                        f"SELECT id FROM papers WHERE {where} "
                        f"AND id IN (SELECT value FROM json_each(?)) ORDER BY {order}",
                        [*params, json.dumps(hits)],
                    )]
        return ordered[:limit] if limit is not None else ordered

    @staticmethod
    def _filters(view: str, tag: str | None, status: str | None) -> tuple[str, list[Any]]:
        clauses = ["trashed_at IS NOT NULL" if view == "trash" else "trashed_at IS NULL"]
        params: list[Any] = []
        statuses = VIEWS[view]
        if statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in statuses)})")
            params.extend(statuses)
        if status:
            clauses.append("status = ?")
            params.append(status)
        if tag:
            from .edits import tag_key

            clauses.append(
                "id IN (SELECT pt.paper_id FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
                "WHERE t.key = ?)"
            )
            params.append(tag_key(tag))
        return " AND ".join(clauses), params

    def counts(self) -> dict[str, int]:
        """Papers per view, for the sidebar."""
        with explained():
            rows = self.store.read().execute(
                "SELECT status, trashed_at IS NOT NULL, count(*) FROM papers GROUP BY 1, 2"
            ).fetchall()
        out = dict.fromkeys(VIEWS, 0)
        for status, trashed, n in rows:
            if trashed:
                out["trash"] += n
                continue
            out["all"] += n
            for view, statuses in VIEWS.items():
                if statuses and status in statuses:
                    out[view] += n
        return out

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of papers (not in the trash) carrying it, by name."""
        with explained():
            return [(r[0], r[1]) for r in self.store.read().execute(
                "SELECT t.name, count(p.id) FROM tags t JOIN paper_tags pt ON pt.tag_id = t.id "
                "JOIN papers p ON p.id = pt.paper_id AND p.trashed_at IS NULL "
                "GROUP BY t.id ORDER BY t.key"
            )]

    # -- import ------------------------------------------------------------------------
    def parse(self, text: str, fmt: str | None = None) -> ParseResult:
        from .digest import parse_digest

        return parse_digest(text, fmt)

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
                                       skipped=skipped)
        if dry_run:
            return report
        report.ids = self.add(fresh, raw_text=text, fmt=result.format, source=source,
                              tags=list(tags), found=len(items), duplicates=len(skipped))
        return report

    def add(
        self, drafts: list[Draft], *, raw_text: str, fmt: str, source: str = "",
        tags: list[str] | None = None, found: int | None = None, duplicates: int = 0,
    ) -> list[int]:
        """Add drafts the user chose; the raw paste is kept with them. Returns the new ids."""
        from . import importer

        with explained(), self._lock:
            edit = importer.build_insert(
                self.store, drafts, raw_text=raw_text, fmt=fmt, source=source, tags=tags or [],
                found=len(drafts) if found is None else found, duplicates=duplicates,
            )
        self.apply(edit)
        return [row["id"] for row in edit.inserted]

    def imports(self) -> list[dict[str, Any]]:
        """The import history, newest first (the raw pastes are kept)."""
        with explained():
            cur = self.store.read().execute("SELECT * FROM imports ORDER BY id DESC")
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row, strict=True)) for row in cur]

    # -- edits and undo ----------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Call `listener(change)` after every edit (on the thread that made it)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def apply(self, edit: Edit, *, record: bool = True) -> Change:
        """Run an edit: SQLite in one transaction, then the index; remember it for undo."""
        with self._lock:
            if not edit.is_empty():
                run_edit(self.store, edit, forward=True)
                if record:
                    self._undo.append(edit)
                    del self._undo[:-UNDO_LIMIT]
                    self._redo.clear()
        return self._after(edit)

    def undo(self) -> Change | None:
        with self._lock:
            if not self._undo:
                return None
            edit = self._undo.pop()
            run_edit(self.store, edit, forward=False)
            self._redo.append(edit)
        return self._after(edit)

    def redo(self) -> Change | None:
        with self._lock:
            if not self._redo:
                return None
            edit = self._redo.pop()
            run_edit(self.store, edit, forward=True)
            self._undo.append(edit)
        return self._after(edit)

    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def _after(self, edit: Edit) -> Change:
        self.index.catch_up_quietly(unindexed_ids(edit))
        change = change_of(edit)
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - a screen's bug must not undo a saved edit
                log.exception("change listener failed")
        return change

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

    def status_history(self, pid: int) -> list[tuple[str, str]]:
        with explained():
            return [(r[0], r[1]) for r in self.store.read().execute(
                "SELECT status, at FROM status_history WHERE paper_id = ? ORDER BY id", [pid])]

    # -- export and upkeep -------------------------------------------------------------
    def bibtex(self, ids: Iterable[int], *, utf8: bool = False) -> str:
        from .bibtex import to_bibtex

        return to_bibtex(self.papers(ids), utf8=utf8)

    def check(self) -> list[str]:
        """Problems found in the database and the index (empty when all is well)."""
        problems = self.store.integrity_problems()
        if problems:
            return problems
        return self.index.problems()

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the search index from SQLite; returns the number of papers indexed."""
        return self.index.rebuild(progress)

    # -- metadata completion, citation keys, arXiv versions (issue 6; see core/enrich) ----
    def metadata_client(self, settings: EnrichSettings | None = None) -> MetadataClient:
        """The library's one `enrich.MetadataClient` (its rate limiters see every request).

        `settings` (an `enrich.EnrichSettings`, e.g. from the GUI's preferences) replaces
        the client; its cache defaults to `metadata-cache.sqlite` in the library folder.
        Without, the defaults with PAPERDECK_* environment overrides are used.
        """
        from dataclasses import replace

        from .enrich import EnrichSettings, MetadataClient

        client = getattr(self, "_metadata_client", None)
        if client is None or settings is not None:
            cache = self.folder / "metadata-cache.sqlite"
            if settings is None:
                settings = EnrichSettings(cache_path=cache).with_env()
            elif settings.cache_path is None:
                settings = replace(settings, cache_path=cache)
            client = self._metadata_client = MetadataClient(settings)
        return client

    def complete_metadata(
        self, ids: Iterable[int], *, progress: Callable[[int, int, str], object] | None = None,
        client: MetadataClient | None = None, dry_run: bool = False,
    ) -> tuple[Change | None, CompletionReport]:
        """Look papers up (arXiv, Crossref) and fill what is missing, as ONE undoable edit.

        The network part runs without any lock (call this off the GUI thread); `progress`
        gets (done, total, label) on the calling thread. Returns the change (None when
        nothing changed or `dry_run`) and an `enrich.CompletionReport`. Only empty or
        clearly worse fields are replaced (rule: `enrich/merge.py`); keys never change.
        """
        from .enrich.apply import build_completion

        ids = self.require(ids)
        papers = self.papers(ids)
        results = (client or self.metadata_client()).lookup_many(papers, progress)
        with explained(), self._lock:
            edit, report = build_completion(self.store, [p.id for p in papers], results)
        if dry_run or edit.is_empty():
            return None, report
        change = self.apply(edit)
        report.applied = True
        return change, report

    def ids_missing_metadata(self) -> list[int]:
        """Papers (not in the trash) lacking a title, authors or year, both arXiv id and DOI,
        or (on arXiv) a primary category: what `complete --all-missing` looks up."""
        with explained():
            return [r[0] for r in self.store.read().execute(
                "SELECT id FROM papers WHERE trashed_at IS NULL AND (title = '' "
                "OR authors = '[]' OR year IS NULL OR (arxiv_id = '' AND doi = '') "
                "OR (arxiv_id != '' AND primary_class = '')) ORDER BY id"
            )]

    def regenerate_citekeys(self, ids: Iterable[int], dry_run: bool = True
                            ) -> list[tuple[int, str, str]]:
        """(id, old key, new key) for papers whose key the current metadata would change.

        Nothing changes unless `dry_run=False`; then all of them change in one undoable edit.
        """
        from .enrich.rekey import build_rekey, plan_citekeys

        ids = self.require(ids)
        with explained(), self._lock:
            mapping = plan_citekeys(self.store, ids)
            if dry_run or not mapping:
                return mapping
            edit = build_rekey(self.store, mapping)
        self.apply(edit)
        return mapping

    def accept_newer_versions(self, items: Iterable[PreviewItem]) -> Change:
        """For "newer-version" preview items the user ticked: record the new version on the
        paper already in the library (one undoable edit) rather than adding a copy."""
        from . import importer

        return self._op(importer.build_version_update, list(items))
