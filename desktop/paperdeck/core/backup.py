"""Rotating backups of `library.db`, and restoring one.

A backup is a complete single-file copy made with SQLite's online backup API, so it
is consistent even while another paperdeck writes. At most one automatic backup is
made a day (checked cheaply when the library opens); the newest `KEEP` are kept in
`<library folder>/backups/`. Restoring first backs up the current library, so a
restore can itself be undone by restoring that file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from ..paths import ensure_private_dir
from .errors import InputError, LibraryCorrupt
from .storage import SCHEMA_VERSION, Store, explained, sqlite_uri

KEEP = 7
DAY_S = 24 * 3600
PREFIX, SUFFIX = "library-", ".db"


def backups_dir(folder: Path) -> Path:
    return folder / "backups"


def list_backups(folder: Path) -> list[Path]:
    """The backups of the library in `folder`, oldest first (names sort by time)."""
    where = backups_dir(folder)
    if not where.is_dir():
        return []
    return sorted(p for p in where.iterdir()
                  if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX) and p.is_file())


def is_due(folder: Path, now: float | None = None) -> bool:
    """True when the newest backup is more than a day old (or there is none). Cheap."""
    found = list_backups(folder)
    if not found:
        return True
    try:
        newest = max(p.stat().st_mtime for p in found)
    except OSError:
        return True
    return (now if now is not None else time.time()) - newest >= DAY_S


def make_backup(store: Store, folder: Path, label: str = "") -> Path:
    """Copy the live database into a new backup file (user-only), then rotate. Returns it."""
    with explained():
        where = ensure_private_dir(backups_dir(folder))
    while True:  # microseconds in the name: unique, and names sort by time
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        final = where / f"{PREFIX}{stamp}{'-' + label if label else ''}{SUFFIX}"
        if not final.exists():
            break
    part = final.with_name(final.name + ".part")
    with explained():
        try:
            os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            src = sqlite3.connect(store.ro_uri, uri=True)
            dst = sqlite3.connect(part, isolation_level=None)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dst.close()
                src.close()
            with open(part, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(part, final)
        except BaseException:
            with contextlib.suppress(OSError):
                part.unlink()
            raise
    rotate(folder)
    return final


def rotate(folder: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest `keep` backups (and leftovers of interrupted ones)."""
    where = backups_dir(folder)
    for stale in where.glob(f"{PREFIX}*.part") if where.is_dir() else []:
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
    found = list_backups(folder)
    gone = found[:-keep] if keep > 0 else found
    for path in gone:
        with contextlib.suppress(OSError):
            path.unlink()
    return gone


def check_backup(path: Path) -> None:
    """Raise InputError/LibraryCorrupt unless `path` is an intact paperdeck library."""
    if not path.is_file():
        raise InputError(f"There is no backup file at {path}.")
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"Cannot open {path}: {exc}.") from None
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error:
        raise InputError(f"{path} is not a paperdeck library backup.") from None
    finally:
        conn.close()
    if not {"papers", "meta", "imports"} <= names or version < 1:
        raise InputError(f"{path} is not a paperdeck library backup.")
    if not ok:
        raise LibraryCorrupt(f"The backup {path} is damaged; choose another one.")
    if version > SCHEMA_VERSION:
        raise InputError(f"{path} was written by a newer paperdeck; update paperdeck to restore it.")


def restore_backup(store: Store, folder: Path, path: Path) -> Path:
    """Replace the library's contents with the backup at `path`; returns the safety backup
    of what was there before. The swap goes through SQLite (backup API into the live
    database, under its write lock), so other open connections never see a half file."""
    path = path.resolve()
    check_backup(path)
    before = make_backup(store, folder, label="before-restore")
    with explained():
        src = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
        try:
            src.backup(store.db.conn)
        finally:
            src.close()
    store.reopen()
    with store.write():
        # A fresh identity: the search index must not trust its state for this database.
        store.db.execute("UPDATE meta SET value = ? WHERE key = 'library_id'", [uuid.uuid4().hex])
    return before
