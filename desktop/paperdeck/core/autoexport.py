"""Files kept up to date: a .bib (or CSL-JSON, RIS) linked to a tag, a search or the
whole library, rewritten after every change that touches its papers.

Better BibTeX's most used feature, for a reading queue: the user's LaTeX document or
Pandoc project reads a file that follows the library. The rules:

- A link is stored in the ``autoexports`` table with the ids it wrote last time. After an
  edit (window or CLI, both go through `Library.apply`), a link is rewritten when the edit
  touched one of those ids or one it would now include (new imports, tagging, restores).
- Entries are sorted by citation key, so a change rewrites its own entry and the file's
  diff stays small; keys are the stored ones, never regenerated.
- Writes are atomic (a temporary file in the same folder, then ``os.replace``) and skipped
  when the text is unchanged. A failed write never undoes the edit: it is logged and
  noted for the status bar, and the next change tries again.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import shared_file_mode
from .edits import Change
from .errors import InputError, LibraryReadOnly
from .models import EXPORT_FORMATS
from .rows import now_iso
from .storage import explained

if TYPE_CHECKING:
    from .library import Library
    from .models import Paper

log = logging.getLogger(__name__)


@dataclass
class Link:
    """One file kept up to date."""

    path: str
    tag: str = ""
    query: str = ""
    format: str = "bibtex"

    def describe(self) -> str:
        what = f"tag {self.tag}" if self.tag else f"search {self.query!r}" if self.query else "everything"
        return f"{self.path}  ({self.format}, {what})"


def write_atomically(path: Path, text: str) -> bool:
    """Replace `path` with `text` unless it already holds it; True when written. A file
    replaced keeps its mode; a new one gets the user's usual mode (paperdeck's own files
    are private, but an export is meant to be read by LaTeX, a co-author, a web server)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    tmp = path.with_name(f".{path.name}.paperdeck-part")
    try:
        tmp.write_text(text, encoding="utf-8")
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = shared_file_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    return True


class AutoExports:
    """The links of one library, and the listener that keeps their files current."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        # (format, paper id) -> (the paper as last rendered, its entry): in a long-lived
        # process (the window) an edit re-renders only the papers it changed.
        self._cache: dict[tuple[str, int], tuple[str, object]] = {}

    def render(self, papers: list[Paper], fmt: str) -> str:
        """The same text as `Library.export_papers`, reusing unchanged papers' entries."""
        from .bibtex import paper_entry
        from .csl import csl_item
        from .ris_export import ris_record

        one = {"bibtex": paper_entry, "biblatex": lambda p: paper_entry(p, biblatex=True),
               "csl-json": csl_item, "ris": ris_record}[fmt]
        pieces: list = []
        for paper in papers:
            seen = repr(paper)
            hit = self._cache.get((fmt, paper.id))
            if hit is None or hit[0] != seen:
                hit = (seen, one(paper))
                self._cache[(fmt, paper.id)] = hit
            pieces.append(hit[1])
        if fmt == "csl-json":
            return json.dumps(pieces, ensure_ascii=False, indent=2) + "\n"
        return "\n".join(pieces)

    def links(self) -> list[Link]:
        with explained():
            rows = self.lib.store.read().execute(
                "SELECT path, tag, query, format FROM autoexports ORDER BY path").fetchall()
        return [Link(*row) for row in rows]

    def add(self, path: Path, *, tag: str = "", query: str = "", fmt: str = "bibtex") -> int:
        """Link `path` and write it now; returns the number of entries written."""
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"Unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}.")
        if tag and query:
            raise InputError("Link a file to a tag or to a search, not both.")
        path = path.expanduser().resolve()
        if not path.parent.is_dir():
            raise InputError(f"No folder {path.parent} to keep {path.name} in.")
        link = Link(str(path), tag.strip(), query.strip(), fmt)
        ids = self._selection(link)  # a bad query fails here, before anything is stored
        self._execute("INSERT OR REPLACE INTO autoexports (path, tag, query, format, ids, added_at) "
                      "VALUES (?, ?, ?, ?, '[]', ?)", [link.path, link.tag, link.query, fmt, now_iso()])
        self._write(link, ids)
        return len(ids)

    def remove(self, path: Path) -> bool:
        """Unlink `path` (the file stays as it is); False when it was not linked."""
        target = str(path.expanduser().resolve())
        return self._execute("DELETE FROM autoexports WHERE path = ?", [target]) > 0

    def _selection(self, link: Link) -> list[int]:
        return self.lib.ids(link.query or None, tag=link.tag or None)

    def _write(self, link: Link, ids: list[int]) -> None:
        papers = sorted(self.lib.papers(ids), key=lambda p: p.citekey.lower())
        text = self.render(papers, link.format)
        write_atomically(Path(link.path), text)
        self._execute("UPDATE autoexports SET ids = ? WHERE path = ?",
                      [json.dumps(sorted(ids)), link.path])

    def _execute(self, sql: str, params: list) -> int:
        """One statement in its own transaction. Not `Store.write`: links are settings, not
        papers, so the generation (which the index and the window follow) stays put."""
        store = self.lib.store
        if store.read_only:
            raise LibraryReadOnly(store.read_only_reason or "The library is open read-only.")
        with explained(), self.lib._lock:  # the library's writer lock: one writer at a time
            store.db.execute("BEGIN IMMEDIATE")
            try:
                count = store.db.execute(sql, params).rowcount
                store.db.execute("COMMIT")
            except BaseException:
                if store.db.conn.in_transaction:
                    store.db.execute("ROLLBACK")
                raise
        return count

    def on_change(self, change: Change) -> None:
        """After an edit: rewrite each linked file whose papers it touched."""
        with explained():
            rows = self.lib.store.read().execute(
                "SELECT path, tag, query, format, ids FROM autoexports").fetchall()
        for path, tag, query, fmt, written in rows:
            link = Link(path, tag, query, fmt)
            try:
                ids = self._selection(link)
                before = set(json.loads(written or "[]"))
                if not (change.paper_ids & (before | set(ids))) and before == set(ids):
                    continue
                self._write(link, ids)
            except Exception as exc:  # noqa: BLE001 - a file's trouble must not undo the edit
                log.warning("could not keep %s up to date: %s", path, exc)
                note = f"Could not update {path}: {exc}"
                if note not in self.lib.notes:
                    self.lib.notes.append(note)
