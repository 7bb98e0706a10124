"""The user's operations, each turned into an `Edit` (see edits.py) against the current rows.

Nothing here writes: a builder reads what it needs and returns an Edit with before
and after values; `Library.apply` runs it, and undo runs it backwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .citekeys import is_safe_citekey
from .dedupe import title_key
from .edits import Edit, clean_tag, tag_key
from .errors import InputError
from .models import QUEUE_STATUSES, STATUSES
from .rows import EDITABLE_FIELDS, now_iso, to_db
from .storage import Store

MIN_GAP = 1e-6  # below this, positions are renumbered (rare)


def _rows(store: Store, ids: Sequence[int], cols: Sequence[str]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for row in store.db.execute(
        f"SELECT id, {', '.join(cols)} FROM papers WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(ids))],
    ):
        out[row[0]] = dict(zip(cols, row[1:], strict=True))
    return out


def _plural(n: int, word: str = "paper") -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def set_status(store: Store, ids: Sequence[int], status: str) -> Edit:
    """Change status; record when reading started and finished, and the history."""
    if status not in STATUSES:
        raise InputError(f"Unknown status '{status}'. Statuses: {', '.join(STATUSES)}.")
    stamp = now_iso()
    edit = Edit(label=f"mark {_plural(len(ids))} {status}")
    cols = ("status", "started_at", "finished_at", "updated_at")
    for pid, row in _rows(store, ids, cols).items():
        if row["status"] == status:
            continue
        after = {"status": status, "updated_at": stamp}
        if status == "reading" and not row["started_at"]:
            after["started_at"] = stamp
        if status == "read":
            after["finished_at"] = stamp
            if not row["started_at"]:
                after["started_at"] = stamp
        if status == "queued":
            after["finished_at"] = None
        edit.updates[pid] = ({c: row[c] for c in after}, after)
        edit.history.append((pid, status, stamp))
    return edit


def add_tags(store: Store, ids: Sequence[int], names: Sequence[str]) -> Edit:
    names = [clean_tag(n) for n in names]
    current = _current_tags(store, ids)
    edit = Edit(label=f"tag {', '.join(repr(n) for n in names)} on {_plural(len(ids))}")
    for pid in ids:
        have = current.get(pid, set())
        edit.links_added += [(pid, n) for n in names if tag_key(n) not in have]
    return edit


def remove_tags(store: Store, ids: Sequence[int], names: Sequence[str]) -> Edit:
    keys = {tag_key(n): n for n in names}
    current = _current_tags(store, ids, with_names=True)
    edit = Edit(label=f"untag {', '.join(repr(n) for n in keys.values())} on {_plural(len(ids))}")
    for pid in ids:
        for key, name in current.get(pid, {}).items():
            if key in keys:
                edit.links_removed.append((pid, name))
    return edit


def rename_tag(store: Store, old: str, new: str) -> Edit:
    """Rename a tag; onto an existing tag this merges the two."""
    new = clean_tag(new)
    holders = _tag_holders(store, old)
    if not holders:
        raise InputError(f"There is no tag '{old}'.")
    merged = _tag_holders(store, new) if tag_key(new) != tag_key(old) else {}
    verb = "merge" if merged else "rename"
    edit = Edit(label=f"{verb} tag '{old}' into '{new}'" if merged else f"rename tag '{old}' to '{new}'")
    for pid, name in holders.items():
        edit.links_removed.append((pid, name))
        if pid not in merged:
            edit.links_added.append((pid, new))
    return edit


def delete_tag(store: Store, name: str) -> Edit:
    holders = _tag_holders(store, name)
    if not holders:
        raise InputError(f"There is no tag '{name}'.")
    edit = Edit(label=f"delete tag '{name}' from {_plural(len(holders))}")
    edit.links_removed = list(holders.items())
    return edit


def _tag_holders(store: Store, name: str) -> dict[int, str]:
    return {pid: tname for pid, tname in store.db.execute(
        "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
        "WHERE t.key = ?", [tag_key(name)])}


def _current_tags(store: Store, ids: Sequence[int], with_names: bool = False) -> dict:
    out: dict[int, Any] = {}
    for pid, name in store.db.execute(
        "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
        "WHERE pt.paper_id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))]
    ):
        if with_names:
            out.setdefault(pid, {})[tag_key(name)] = name
        else:
            out.setdefault(pid, set()).add(tag_key(name))
    return out


def update_fields(store: Store, pid: int, values: dict[str, Any]) -> Edit:
    """Edit metadata or notes of one paper (citation key included, when asked explicitly)."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise InputError(f"Cannot edit {', '.join(sorted(unknown))}.")
    new = {c: to_db(c, v) for c, v in values.items()}
    if "citekey" in new:
        _check_citekey(store, pid, new["citekey"])
    row = _rows(store, [pid], [*new, "title_key", "updated_at"]).get(pid)
    if row is None:
        return Edit(label="edit")
    changed = {c: v for c, v in new.items() if row[c] != v}
    if not changed:
        return Edit(label="edit")
    if "title" in changed:
        changed["title_key"] = title_key(values["title"])
    changed["updated_at"] = now_iso()
    what = "notes" if set(values) == {"notes"} else ", ".join(sorted(values))
    edit = Edit(label=f"edit {what}")
    edit.updates[pid] = ({c: row[c] for c in changed}, changed)
    return edit


def _check_citekey(store: Store, pid: int, key: str) -> None:
    if not is_safe_citekey(key):
        raise InputError("A citation key uses only ASCII letters, digits and _ : . + / -")
    row = store.db.execute(
        "SELECT id FROM papers WHERE citekey = ? COLLATE NOCASE AND id != ?", [key, pid]
    ).fetchone()
    if row:
        raise InputError(f"The citation key '{key}' is already used by paper {row[0]}.")


def trash(store: Store, ids: Sequence[int]) -> Edit:
    stamp = now_iso()
    edit = Edit(label=f"move {_plural(len(ids))} to the trash")
    for pid, row in _rows(store, ids, ["trashed_at"]).items():
        if row["trashed_at"] is None:
            edit.updates[pid] = ({"trashed_at": None}, {"trashed_at": stamp})
    return edit


def restore(store: Store, ids: Sequence[int]) -> Edit:
    edit = Edit(label=f"restore {_plural(len(ids))} from the trash")
    for pid, row in _rows(store, ids, ["trashed_at"]).items():
        if row["trashed_at"] is not None:
            edit.updates[pid] = ({"trashed_at": row["trashed_at"]}, {"trashed_at": None})
    return edit


def set_priority(store: Store, ids: Sequence[int], priority: int) -> Edit:
    if priority not in (0, 1, 2, 3):
        raise InputError("Priority is 0 (none) to 3 (highest).")
    edit = Edit(label=f"set priority {priority} on {_plural(len(ids))}")
    for pid, row in _rows(store, ids, ["priority"]).items():
        if row["priority"] != priority:
            edit.updates[pid] = ({"priority": row["priority"]}, {"priority": priority})
    return edit


# -- queue order ---------------------------------------------------------------------------
# Positions are sparse REAL numbers. Moving papers gives them positions between their new
# neighbours, so one move touches only the moved rows; when neighbours get closer than
# MIN_GAP the whole queue is renumbered once (1.0, 2.0, ...), which is rare.

def move(
    store: Store, ids: Sequence[int], *, to: str = "top", anchor: int | None = None
) -> Edit:
    """Move papers (keeping their relative order) to the top or bottom of the queue,
    or just before / after `anchor`. `to` is one of top, bottom, before, after."""
    ids = list(dict.fromkeys(ids))
    db = store.db
    if to in ("before", "after"):
        if anchor is None or anchor in ids:
            raise InputError("Move before/after needs another paper as the anchor.")
        row = db.execute("SELECT position FROM papers WHERE id = ?", [anchor]).fetchone()
        if row is None:
            raise InputError(f"There is no paper with id {anchor}.")
        pos = row[0]
        cmp, order = ("<", "DESC") if to == "before" else (">", "ASC")
        neighbour = db.execute(
            f"SELECT position FROM papers WHERE position {cmp} ? AND id NOT IN "
            f"(SELECT value FROM json_each(?)) ORDER BY position {order} LIMIT 1",
            [pos, json.dumps(ids)],
        ).fetchone()
        other = neighbour[0] if neighbour else (pos - 1.0 if to == "before" else pos + 1.0)
        low, high = (other, pos) if to == "before" else (pos, other)
    elif to == "top":
        low = (db.execute("SELECT min(position) FROM papers").fetchone()[0] or 0.0) - len(ids) - 1
        high = low + len(ids) + 1
    elif to == "bottom":
        low = db.execute("SELECT max(position) FROM papers").fetchone()[0] or 0.0
        high = low + len(ids) + 1
    else:
        raise InputError(f"Unknown move '{to}'.")
    step = (high - low) / (len(ids) + 1)
    if step < MIN_GAP:
        return _renumbered_move(store, ids, to=to, anchor=anchor)
    current = _rows(store, ids, ["position"])
    edit = Edit(label=f"move {_plural(len(ids))} {to}")
    for i, pid in enumerate(i for i in ids if i in current):
        edit.updates[pid] = ({"position": current[pid]["position"]}, {"position": low + step * (i + 1)})
    return edit


def _renumbered_move(store: Store, ids: list[int], *, to: str, anchor: int | None) -> Edit:
    """Lay out the whole order afresh with gaps of 1.0 (only when positions got too close)."""
    order = [r[0] for r in store.db.execute("SELECT id FROM papers ORDER BY position, id")]
    moving = set(ids)
    rest = [i for i in order if i not in moving]
    if to == "top":
        new_order = ids + rest
    elif to == "bottom":
        new_order = rest + ids
    else:
        at = rest.index(anchor) + (1 if to == "after" else 0)
        new_order = rest[:at] + ids + rest[at:]
    current = {r[0]: r[1] for r in store.db.execute("SELECT id, position FROM papers")}
    edit = Edit(label=f"move {_plural(len(ids))} {to}")
    for n, pid in enumerate(new_order, start=1):
        if current[pid] != float(n):
            edit.updates[pid] = ({"position": current[pid]}, {"position": float(n)})
    return edit


def queue_neighbour(store: Store, pid: int, direction: int) -> int | None:
    """The paper just above (-1) or below (+1) `pid` in the queue view, for keyboard moves."""
    row = store.db.execute("SELECT priority, position FROM papers WHERE id = ?", [pid]).fetchone()
    if row is None:
        return None
    cmp, order = ("<", "DESC") if direction < 0 else (">", "ASC")
    statuses = ", ".join(f"'{s}'" for s in QUEUE_STATUSES)
    found = store.db.execute(
        f"SELECT id FROM papers WHERE trashed_at IS NULL AND status IN ({statuses}) "
        f"AND priority = ? AND position {cmp} ? ORDER BY position {order} LIMIT 1",
        [row[0], row[1]],
    ).fetchone()
    return found[0] if found else None
