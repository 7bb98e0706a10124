"""The whole library as JSON Lines, and back: a human-readable copy that outlives paperdeck.

One JSON object per line, each with a "type":

- `header`  — format name and version, the schema it came from;
- `meta`    — library settings kept in the database (not its identity or generation);
- `import`  — one import with its raw paste, exactly as typed;
- `saved_search` — a saved search's name and query, in the user's order;
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

from .citekeys import is_safe_citekey, make_citekey
from .dedupe import title_key
from .edits import clean_tag, tag_key
from .errors import InputError
from .models import STATUSES
from .rows import JSON_COLUMNS
from .storage import SCHEMA_VERSION, Store, explained

FORMAT = "paperdeck-jsonl"
VERSION = 1
INTERNAL_META = ("generation", "library_id",  # identity of one database, never carried over
                 "search_text_generation", "search_text_terms")  # and its search text's
# bookkeeping (text_mirror)
SKIPPED_COLUMNS = ("rev",)  # the index's bookkeeping
LINE = "_line"  # where parse() found a record, for messages (never a column)
INT_COLUMNS = ("year", "priority", "import_id", "arxiv_version")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def records(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every record of the library, in the fixed order (read in one snapshot by the caller)."""
    yield {"type": "header", "format": FORMAT, "version": VERSION, "schema": SCHEMA_VERSION}
    for key, value in conn.execute("SELECT key, value FROM meta ORDER BY key"):
        if key not in INTERNAL_META:
            yield {"type": "meta", "key": key, "value": value}
    for name, query in conn.execute("SELECT name, query FROM saved_searches ORDER BY position, id"):
        yield {"type": "saved_search", "name": name, "query": query}
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
        if not isinstance(rec, dict) or rec.get("type") not in (
                "header", "meta", "saved_search", "import", "paper"):
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
        rec[LINE] = number
        out.append(rec)
    if not out:
        raise InputError("The file is empty: nothing to load.")
    return out


def _refuse(rec: dict[str, Any], why: str) -> InputError:
    return InputError(f"Line {rec.get(LINE, '?')}: {why}. Nothing was loaded; "
                      "correct the file and load it again.")


def _check_paper(rec: dict[str, Any]) -> None:
    """Refuse a paper whose values an import could never have written: the wrong types, an
    unknown status, a priority out of range (a CHECK failure or a crash later on)."""
    for col in ("authors", "links"):
        value = rec.get(col, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _refuse(rec, f"'{col}' must be a list of names or links, not {value!r:.40}")
    if not isinstance(rec.get("title", ""), str):
        raise _refuse(rec, "the title is not text")
    for col, value in rec.items():
        if col in INT_COLUMNS:
            if value is not None and (type(value) is not int or not 0 <= value <= 9999):
                raise _refuse(rec, f"'{col}' must be a whole number, not {value!r:.40}")
        elif col not in (*JSON_COLUMNS, "tags", "status_history", "type") and not (
                value is None or isinstance(value, str | int | float)):
            raise _refuse(rec, f"'{col}' must be text or a number, not {value!r:.40}")
    if rec.get("priority", 0) not in (0, 1, 2, 3):
        raise _refuse(rec, f"priority {rec['priority']} is not one of 0, 1, 2, 3")
    if rec.get("status", "queued") not in STATUSES:
        raise _refuse(rec, f"status {rec['status']!r:.40} is not one of {', '.join(STATUSES)}")
    history = rec.get("status_history") or []
    if not isinstance(history, list) or not all(
            isinstance(h, list) and len(h) == 2 and h[0] in STATUSES and isinstance(h[1], str)
            for h in history):
        raise _refuse(rec, f"the status history must be [status, time] pairs with a status "
                           f"among {', '.join(STATUSES)}")


def _repair_tags(rec: dict[str, Any]) -> str:
    """Tags as an import takes them: commas split one into several, blanks are tidied,
    empty ones dropped. Returns what changed, in words ('' when nothing did)."""
    tags = rec.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _refuse(rec, "'tags' must be a list of tag names")
    out: list[str] = []
    for name in tags:
        for part in name.split(","):
            if not part.strip():
                continue
            try:
                out.append(clean_tag(part))
            except InputError as exc:
                raise _refuse(rec, f"tag '{part.strip()[:30]}…': {exc}".rstrip(".")) from None
    if out == tags:
        return ""
    rec["tags"] = out
    return f"tags {tags!r} became {out!r}"


def check_and_repair(recs: list[dict[str, Any]]) -> list[str]:
    """Hold a dump to an import's rules before anything is written. Repaired, with a note
    each: citation keys unsafe for BibTeX or repeated (a fresh key, as an import gives),
    tags with commas or stray blanks. Refused (InputError naming the line): anything an
    import could not have written. Title keys (duplicate detection) are recomputed."""
    notes: list[str] = []
    papers = [r for r in recs if r["type"] == "paper"]
    taken: set[str] = set()
    keep: set[int] = set()
    for i, rec in enumerate(papers):
        _check_paper(rec)
        key = rec.get("citekey")
        if isinstance(key, str) and is_safe_citekey(key) and key.lower() not in taken:
            taken.add(key.lower())
            keep.add(i)
    for i, rec in enumerate(papers):
        if i not in keep:
            old = rec.get("citekey")
            new = make_citekey(rec.get("authors") or [], rec.get("title") or "",
                               rec.get("year"), taken, folded=True)
            taken.add(new.lower())
            rec["citekey"] = new
            why = "is used by an earlier paper" if isinstance(old, str) and is_safe_citekey(
                old) else "is not safe for BibTeX"
            notes.append(f"Line {rec[LINE]}: citation key {old!r} {why}; it is now {new!r}.")
        tags = _repair_tags(rec)
        if tags:
            notes.append(f"Line {rec[LINE]}: {tags}.")
        rec["title_key"] = title_key(rec.get("title") or "")
    return notes


def load(store: Store, lines: Iterable[str], notes: list[str] | None = None) -> int:
    """Recreate a dumped library in this (empty) one, in one transaction; returns papers loaded.

    Refuses a library that already has papers or imports: loading never merges. The dump is
    checked as an import would be first (see check_and_repair); repairs are added to `notes`."""
    recs = parse(lines)
    repaired = check_and_repair(recs)
    if notes is not None:
        notes.extend(repaired)
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
                elif kind == "saved_search":
                    _load_saved_search(db, rec)
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


def _load_saved_search(db: sqlite3.Connection, rec: dict[str, Any]) -> None:
    from .rows import now_iso
    from .saved_searches import search_key

    name, query = str(rec.get("name") or ""), str(rec.get("query") or "")
    position = db.execute("SELECT count(*) FROM saved_searches").fetchone()[0]
    db.execute("INSERT INTO saved_searches (name, key, query, position, created_at) "
               "VALUES (?, ?, ?, ?, ?)", [name, search_key(name), query, position, now_iso()])
