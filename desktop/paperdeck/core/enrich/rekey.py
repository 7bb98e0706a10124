"""Regenerating citation keys on request (keys never change on their own; DESIGN.md).

A new key is made by `citekeys.make_citekey` from the paper's current authors, title
and year, unique against every key in the library except the paper's own old one. So a
new key never equals any key some row holds, and the UPDATEs (and their undo) can run
in any order without tripping the unique index.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..citekeys import make_citekey
from ..edits import Edit
from ..rows import from_db, now_iso
from ..storage import Store


def plan_citekeys(store: Store, ids: Sequence[int],
                  overrides: Mapping[int, Mapping[str, Any]] | None = None,
                  ) -> list[tuple[int, str, str]]:
    """(id, old key, new key) for each paper whose key would change, in the order given.

    `overrides` supplies not-yet-saved values (authors, title, year) by paper id.
    """
    rows = {r[0]: {"citekey": r[1], "authors": from_db("authors", r[2]), "title": r[3],
                   "year": r[4]}
            for r in store.db.execute(
                "SELECT id, citekey, authors, title, year FROM papers "
                "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))])}
    every = {r[0].lower() for r in store.db.execute("SELECT citekey FROM papers")}
    assigned: set[str] = set()
    out = []
    for pid in dict.fromkeys(ids):
        row = rows.get(pid)
        if row is None:
            continue
        row = {**row, **(overrides or {}).get(pid, {})}
        old = row["citekey"]
        taken = (every - {old.lower()}) | assigned
        new = make_citekey(row["authors"], row["title"], row["year"], taken)
        assigned.add(new.lower())
        if new != old:
            out.append((pid, old, new))
    return out


def build_rekey(store: Store, mapping: Sequence[tuple[int, str, str]]) -> Edit:
    stamp = now_iso()
    n = len(mapping)
    edit = Edit(label=f"regenerate {n} citation key{'s' if n != 1 else ''}")
    stamps = dict(store.db.execute(
        "SELECT id, updated_at FROM papers WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([pid for pid, _, _ in mapping])]).fetchall())
    for pid, old, new in mapping:
        edit.updates[pid] = ({"citekey": old, "updated_at": stamps.get(pid)},
                             {"citekey": new, "updated_at": stamp})
    return edit
