"""The upkeep half of `Library`: export, dumps and backups, checks, the index, and
metadata completion (see core/enrich). A mixin, so `Library` stays one façade."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .edits import Change
from .errors import InputError, LibraryCorrupt, LibraryReadOnly, PaperdeckError
from .models import EXPORT_FORMATS
from .storage import explained

if TYPE_CHECKING:
    from .autoexport import AutoExports
    from .enrich import CompletionReport, EnrichSettings, MetadataClient
    from .importer import PreviewItem
    from .models import Paper

log = logging.getLogger(__name__)

READ_ONLY_NOTE = ("The library folder cannot be written (a read-only disk or no permission), "
                  "so it is open read-only: you can read and search, but changes cannot be saved.")


class LibraryUpkeep:
    """Export, backup, consistency and enrichment (mixed into `Library`)."""

    _autoexports: AutoExports | None = None

    def dump(self, out: TextIO) -> int:
        """Write everything as JSON Lines (see portable.py); returns the number of papers."""
        from . import portable

        return portable.dump(self.store, out)

    def load(self, lines: Iterable[str], notes: list[str] | None = None) -> int:
        """Recreate a dumped library here; only into an empty library. Returns papers loaded;
        what had to be repaired on the way (see portable.check_and_repair) goes to `notes`."""
        from . import portable

        if self.store.read_only:
            raise LibraryReadOnly(self.store.read_only_reason or READ_ONLY_NOTE)
        with self._lock:
            n = portable.load(self.store, lines, notes)
            self.store.renew_identity()  # other windows' undo must not touch the new papers
            self._undo.clear()
            self._redo.clear()
        try:  # the papers are saved: an index that cannot be built now is built at next open
            self.index.rebuild(wait=True)
        except (PaperdeckError, OSError) as exc:
            log.warning("the search index will be rebuilt at the next open: %s", exc)
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
        except LibraryCorrupt as exc:
            log.info("automatic backup refused: %s", exc)  # the caller reports it
            self.damage = str(exc)
            self.notes.append(str(exc))
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
            self.damage = ""
        self._index_anew()  # the restored database has a new identity: a full rebuild
        self._tell_all("restore a backup")
        return before

    # -- export and upkeep -------------------------------------------------------------
    def bibtex(self, ids: Iterable[int], *, utf8: bool = False, biblatex: bool = False) -> str:
        from .bibtex import to_bibtex

        return to_bibtex(self.papers(ids), utf8=utf8, biblatex=biblatex)

    def export(self, ids: Iterable[int], fmt: str = "bibtex", *, utf8: bool = False) -> str:
        """The papers in one of `EXPORT_FORMATS` (``utf8`` matters to BibTeX only)."""
        return self.export_papers(self.papers(ids), fmt, utf8=utf8)

    def export_papers(self, papers: list[Paper], fmt: str = "bibtex", *, utf8: bool = False) -> str:
        from .bibtex import to_bibtex
        from .csl import to_csl_json
        from .ris_export import to_ris

        if fmt == "bibtex":
            return to_bibtex(papers, utf8=utf8)
        if fmt == "biblatex":
            return to_bibtex(papers, biblatex=True)
        if fmt == "csl-json":
            return to_csl_json(papers)
        if fmt == "ris":
            return to_ris(papers)
        raise InputError(f"Unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}.")

    @property
    def autoexports(self) -> AutoExports:
        """The files kept up to date (see autoexport.py)."""
        from .autoexport import AutoExports

        if self._autoexports is None:
            self._autoexports = AutoExports(self)
        return self._autoexports

    def check(self, *, catch_up: bool = False) -> list[str]:
        """Problems found in the database and the index (empty when all is well).

        With `catch_up`, an index that is sound but behind (a writer was killed before it
        caught up) is brought up to date first, as any open does: that is no damage."""
        problems = self.store.integrity_problems()
        if problems:
            return problems
        if catch_up and not self.store.read_only:
            self.index.catch_up_if_usable()
        return self.index.problems()

    def reindex(self, progress: Callable[[int, int], None] | None = None,
                procs: int | None = None) -> int:
        """Rebuild the search index from SQLite; returns the number of papers indexed.

        `procs` > 1 analyses in that many spawned processes (Whoosh's own multi-process
        writer); None chooses by the library's size (indexing.rebuild_procs). Spawned, not
        forked, so the window can do it too: a fork of its live threads is not safe."""
        if self.store.read_only:
            raise LibraryReadOnly("The library is read-only here, so its search index cannot be "
                                  "rebuilt; searches still work, read from the library itself.")
        with explained():  # a full disk: one line, and the old index is kept
            return self.index.rebuild(progress, procs, wait=True)

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
