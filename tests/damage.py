"""Real damage to a real library file, the ways disks and users do it (shared by tests)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _layout(db: Path, table: str) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        return root, conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def checkpoint(db: Path) -> None:
    """Move everything from the -wal into the file, so damage to the file is damage."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def zero_root(db: Path, table: str = "papers") -> None:
    """The table's root page overwritten with zeros."""
    root, size = _layout(db, table)
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(bytes(size))


def empty_root(db: Path, table: str = "papers") -> None:
    """The root page rewritten as a valid but empty leaf: SQLite then reads an empty table
    without complaint (the "list printed nothing and exited 0" damage)."""
    root, size = _layout(db, table)
    page = bytearray(size)
    page[0] = 0x0D  # a table leaf
    page[5:7] = size.to_bytes(2, "big") if size < 65536 else b"\x00\x00"
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(page)


def scribble_leaf(db: Path, table: str = "papers") -> int:
    """Garbage over one leaf page deep inside the table (not what a window reads first).
    Returns the page number."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            [table])]
    finally:
        conn.close()
    target = pages[len(pages) // 2]
    with open(db, "r+b") as fh:
        fh.seek((target - 1) * size + 8)
        fh.write(b"\xa5\x5a" * ((size - 8) // 2))
    return target
