"""Edits as data: every change to the library is an `Edit` that can run forwards or back.

The GUI, the CLI and undo/redo share this one code path. An edit records the
before and after values of each changed column, the tag links it adds or removes,
and the rows it creates, so reverting it needs no knowledge of what kind of edit it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .bidi import without_bidi_controls
from .errors import InputError
from .storage import Store

MAX_TAG_LENGTH = 64


def tag_key(name: str) -> str:
    """Tags are unique ignoring case and Unicode form ('ML' == 'ml' == 'ｍｌ')."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def clean_tag(name: str) -> str:
    """A tag as stored: trimmed, single spaces, no commas (the index separates tags by comma),
    no bidi controls (see bidi.py)."""
    cleaned = re.sub(r"\s+", " ", unicodedata.normalize("NFC", without_bidi_controls(name))).strip()
    if not cleaned:
        raise InputError("A tag needs at least one visible character.")
    if "," in cleaned:
        raise InputError(f"Tags cannot contain commas: '{cleaned}'. Add them one at a time.")
    if len(cleaned) > MAX_TAG_LENGTH:
        raise InputError(f"Tags are at most {MAX_TAG_LENGTH} characters long.")
    return cleaned


@dataclass
class Edit:
    """One undoable change. Values are stored in database form (JSON text for lists)."""

    label: str
    updates: dict[int, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    links_added: list[tuple[int, str]] = field(default_factory=list)
    links_removed: list[tuple[int, str]] = field(default_factory=list)
    inserted: list[dict[str, Any]] = field(default_factory=list)
    import_row: dict[str, Any] | None = None
    history: list[tuple[int, str, str]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.updates or self.links_added or self.links_removed or self.inserted)

    def paper_ids(self) -> set[int]:
        ids = set(self.updates)
        ids.update(pid for pid, _ in self.links_added)
        ids.update(pid for pid, _ in self.links_removed)
        ids.update(row["id"] for row in self.inserted)
        return ids


@dataclass(frozen=True)
class Change:
    """What an edit changed, for screens deciding whether to refresh."""

    label: str
    paper_ids: frozenset[int]
    inserted: bool = False
    tags: bool = False
    order: bool = False


def change_of(edit: Edit) -> Change:
    cols = {c for before, after in edit.updates.values() for c in after}
    return Change(
        label=edit.label,
        paper_ids=frozenset(edit.paper_ids()),
        inserted=bool(edit.inserted),
        tags=bool(edit.links_added or edit.links_removed),
        order=bool(cols & {"position", "priority", "status", "trashed_at"}),
    )


def run_edit(store: Store, edit: Edit, forward: bool = True,
             prepare: Callable[[Edit], None] | None = None) -> int:
    """Apply `edit` (or revert it) in one transaction; returns the new generation.

    `prepare` fills the edit inside that transaction, before it runs: what must not change
    between planning and writing (new paper ids, citation keys, queue places) is then read
    under the write lock, so another process cannot take the same values meanwhile."""
    with store.write() as gen:
        if prepare is not None:
            prepare(edit)
        # Only link changes and removed papers can leave a tag unused: other edits (a queue
        # move, a status) skip the two scans of paper_tags that look for such tags.
        tidy = _drop_orphan_tags if edit.links_added or edit.links_removed or edit.inserted else _no_op
        db = store.db
        if forward:
            if edit.import_row:
                cols = list(edit.import_row)
                db.execute(
                    f"INSERT OR IGNORE INTO imports ({', '.join(cols)}) "
                    f"VALUES ({', '.join('?' for _ in cols)})",
                    [edit.import_row[c] for c in cols],
                )
            _insert_papers(db, edit.inserted, gen)
            _set_columns(db, {pid: after for pid, (_, after) in edit.updates.items()}, gen)
            _remove_links(db, edit.links_removed)
            tidy(db)  # before adding, so a rename can change a tag's case
            _add_links(db, edit.links_added)
            db.conn.executemany(
                "INSERT INTO status_history (paper_id, status, at) VALUES (?, ?, ?)", edit.history
            )
        else:
            db.conn.executemany(
                "DELETE FROM status_history WHERE paper_id = ? AND status = ? AND at = ?",
                edit.history,
            )
            _remove_links(db, edit.links_added)
            tidy(db)
            _add_links(db, edit.links_removed)
            _set_columns(db, {pid: before for pid, (before, _) in edit.updates.items()}, gen)
            _delete_papers(db, [row["id"] for row in edit.inserted], gen)
        tidy(db)
        return gen


def _insert_papers(db, rows: list[dict[str, Any]], gen: int) -> None:
    if not rows:
        return
    cols = [c for c in rows[0] if c != "rev"] + ["rev"]
    sql = f"INSERT INTO papers ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    db.conn.executemany(sql, [[row.get(c) for c in cols[:-1]] + [gen] for row in rows])
    db.conn.executemany("DELETE FROM purged WHERE paper_id = ?", [(row["id"],) for row in rows])


def _delete_papers(db, ids: list[int], gen: int) -> None:
    if not ids:
        return
    db.conn.executemany("DELETE FROM papers WHERE id = ?", [(i,) for i in ids])
    db.conn.executemany(
        "INSERT OR REPLACE INTO purged (paper_id, rev) VALUES (?, ?)", [(i, gen) for i in ids]
    )


# Columns the search index holds (indexing._DOC_SQL reads them; a test keeps the two in
# step). A paper's `rev` is the generation that last changed one of them: the index
# re-reads the papers whose `rev` is newer than the generation it reflects. An edit of
# other columns (queue place, priority, status, dates) or of tags leaves `rev` alone:
# SQLite answers `tag:` and `status:` terms.
INDEXED_COLUMNS = frozenset(
    ("title", "abstract", "authors", "notes", "year", "arxiv_id", "doi", "trashed_at")
)


def reindexed_ids(edit: Edit) -> set[int]:
    """Papers whose indexed text this edit changes (the search index re-reads them)."""
    return {row["id"] for row in edit.inserted} | {
        pid for pid, (before, after) in edit.updates.items()
        if INDEXED_COLUMNS.intersection(before, after)}


def _set_columns(db, values: dict[int, dict[str, Any]], gen: int) -> None:
    """UPDATE rows, batched by the set of columns each one changes; `rev` moves to `gen`
    only where an indexed column changes."""
    groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
    for pid, cols in values.items():
        names = tuple(sorted(cols))
        if INDEXED_COLUMNS.intersection(names):
            names += ("rev",)
            cols = {**cols, "rev": gen}
        if names:
            groups[names].append([cols[c] for c in names] + [pid])
    for names, params in groups.items():
        assignments = ", ".join(f"{c} = ?" for c in names)
        db.conn.executemany(f"UPDATE papers SET {assignments} WHERE id = ?", params)


def _remove_links(db, links: Iterable[tuple[int, str]]) -> None:
    db.conn.executemany(
        "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = (SELECT id FROM tags WHERE key = ?)",
        [(pid, tag_key(name)) for pid, name in links],
    )


def _add_links(db, links: list[tuple[int, str]]) -> None:
    if not links:
        return
    names = {tag_key(name): name for _, name in links}
    db.conn.executemany(
        "INSERT OR IGNORE INTO tags (name, key) VALUES (?, ?)", [(n, k) for k, n in names.items()]
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO paper_tags (paper_id, tag_id) "
        "SELECT ?, id FROM tags WHERE key = ?",
        [(pid, tag_key(name)) for pid, name in links],
    )


def _no_op(db) -> None:
    pass


def _drop_orphan_tags(db) -> None:
    db.execute("DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM paper_tags)")
