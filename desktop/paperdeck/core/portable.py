"""The whole library as JSON Lines, and back: a human-readable copy that outlives paperdeck.

One JSON object per line, each with a "type":

- `header`  — format name and version, the schema it came from;
- `meta`    — library settings kept in the database (not its identity or generation);
- `import`  — one import with its raw paste, exactly as typed;
- `paper`   — every column of a paper (authors and links as lists), its `tags` and its
  `status_history` (`[status, at]` pairs, oldest first).

The order is fixed (meta, imports by id, papers by id), so dumping a library, loading the
file into an empty folder and dumping again gives the same bytes. Columns are read from
the database, so a column added by a later migration is carried without changing this file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from .edits import tag_key
from .errors import InputError
from .rows import JSON_COLUMNS
from .storage import SCHEMA_VERSION, Store, explained

FORMAT = "paperdeck-jsonl"
VERSION = 1
INTERNAL_META = ("generation", "library_id",  # identity of one database, never carried over
                 "search_text_generation")  # and its search text's bookkeeping (text_mirror)
SKIPPED_COLUMNS = ("rev",)  # the index's bookkeeping


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def records(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every record of the library, in the fixed order (read in one snapshot by the caller)."""
    yield {"type": "header", "format": FORMAT, "version": VERSION, "schema": SCHEMA_VERSION}
    for key, value in conn.execute("SELECT key, value FROM meta ORDER BY key"):
        if key not in INTERNAL_META:
            yield {"type": "meta", "key": key, "value": value}
    cols = _columns(conn, "imports")
    for row in conn.execute(f"SELECT {', '.join(cols)} FROM imports ORDER BY id"):
        yield {"type": "import", **dict(zip(cols, row, strict=True))}
    tags: dict[int, list[str]] = {}
    for pid, name in conn.execute(
        "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
        "ORDER BY pt.paper_id, t.key"
    ):
        tags.setdefault(pid, []).append(name)
    history: dict[int, list[list[str]]] = {}
    for pid, status, at in conn.execute(
        "SELECT paper_id, status, at FROM status_history ORDER BY paper_id, id"
    ):
        history.setdefault(pid, []).append([status, at])
    cols = [c for c in _columns(conn, "papers") if c not in SKIPPED_COLUMNS]
    for row in conn.execute(f"SELECT {', '.join(cols)} FROM papers ORDER BY id"):
        paper: dict[str, Any] = {"type": "paper"}
        for col, value in zip(cols, row, strict=True):
            paper[col] = json.loads(value or "[]") if col in JSON_COLUMNS else value
        paper["tags"] = tags.get(row[0], [])
        paper["status_history"] = history.get(row[0], [])
        yield paper


def dump(store: Store, out: TextIO) -> int:
    """Write the library as JSON Lines to `out`; returns the number of papers."""
    n = 0
    with explained():
        conn = store.read()
        conn.execute("BEGIN")  # one consistent snapshot, while others may write
        try:
            for rec in records(conn):
                out.write(_line(rec))
                n += rec["type"] == "paper"
        finally:
            conn.execute("COMMIT")
    return n


# Characters JSON leaves raw that some readers (Python's str.splitlines among them) take
# for line breaks; escaped, so that one record is always exactly one line.
_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})


def _line(rec: dict[str, Any]) -> str:
    return json.dumps(rec, ensure_ascii=False).translate(_BREAKS) + "\n"


def parse(lines: Iterable[str]) -> list[dict[str, Any]]:
    """The records of a dump, checked for shape; raises InputError naming the bad line."""
    out: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            raise InputError(f"Line {number} is not JSON: this is not a paperdeck dump.") from None
        if not isinstance(rec, dict) or rec.get("type") not in ("header", "meta", "import", "paper"):
            raise InputError(f"Line {number} is not a paperdeck record.")
        if not out:
            if rec["type"] != "header" or rec.get("format") != FORMAT:
                raise InputError("This file is not a paperdeck dump (no paperdeck header line).")
            if not isinstance(rec.get("version"), int) or rec["version"] > VERSION:
                raise InputError("This dump was written by a newer paperdeck; update to load it.")
        elif rec["type"] == "header":
            raise InputError(f"Line {number}: a second header; is this two files joined?")
        if rec["type"] in ("import", "paper") and not isinstance(rec.get("id"), int):
            raise InputError(f"Line {number}: a {rec['type']} without a whole-number id.")
        out.append(rec)
    if not out:
        raise InputError("The file is empty: nothing to load.")
    return out


def load(store: Store, lines: Iterable[str]) -> int:
    """Recreate a dumped library in this (empty) one, in one transaction; returns papers loaded.

    Refuses a library that already has papers or imports: loading never merges."""
    recs = parse(lines)
    with explained():
        if store.db.execute(
            "SELECT EXISTS (SELECT 1 FROM papers) OR EXISTS (SELECT 1 FROM imports)"
        ).fetchone()[0]:
            raise InputError(
                "This library is not empty. Load a dump only into an empty library "
                "(for example: paperdeck --data-dir NEW_FOLDER load FILE)."
            )
        paper_cols = set(store.db["papers"].columns_dict) - set(SKIPPED_COLUMNS)
        import_cols = set(store.db["imports"].columns_dict)
    n = 0
    try:
        with store.write() as gen:
            db = store.db.conn
            for rec in recs:
                kind = rec["type"]
                if kind == "meta" and rec.get("key") not in INTERNAL_META:
                    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                               [str(rec["key"]), str(rec["value"])])
                elif kind == "import":
                    store.db["imports"].insert({k: v for k, v in rec.items() if k in import_cols})
                elif kind == "paper":
                    row = {k: (json.dumps(v, ensure_ascii=False) if k in JSON_COLUMNS else v)
                           for k, v in rec.items() if k in paper_cols}
                    store.db["papers"].insert({**row, "rev": gen})
                    _load_tags(db, rec["id"], rec.get("tags") or [])
                    db.executemany(
                        "INSERT INTO status_history (paper_id, status, at) VALUES (?, ?, ?)",
                        [(rec["id"], s, at) for s, at in rec.get("status_history") or []],
                    )
                    n += 1
    except (sqlite3.IntegrityError, TypeError, ValueError) as exc:
        raise InputError(f"The dump is inconsistent and was not loaded: {exc}.") from None
    return n


def _load_tags(db: sqlite3.Connection, pid: int, names: list[str]) -> None:
    for name in names:
        db.execute("INSERT OR IGNORE INTO tags (name, key) VALUES (?, ?)", [name, tag_key(name)])
        db.execute("INSERT OR IGNORE INTO paper_tags (paper_id, tag_id) "
                   "SELECT ?, id FROM tags WHERE key = ?", [pid, tag_key(name)])
