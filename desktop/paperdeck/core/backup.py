"""Rotating backups of `library.db`, and restoring one.

A backup is a complete single-file copy made with SQLite's online backup API, so it
is consistent even while another paperdeck writes, and it counts only once the copy
passes `PRAGMA integrity_check`: a damaged library is reported, never copied over the
good backups. At most one automatic backup is made a day (checked cheaply when the
library opens); the newest `KEEP` are kept in `<library folder>/backups/`, and rotation
never removes the newest good one. Restoring first backs up the current library, so a
restore can itself be undone by restoring that file.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from ..paths import ensure_private_dir
from .errors import InputError, LibraryCorrupt
from .storage import (
    MIGRATIONS,
    RESTORE_HINT,
    SCHEMA_VERSION,
    Store,
    explained,
    sqlite_uri,
)

KEEP = 7
DAY_S = 24 * 3600
PREFIX, SUFFIX = "library-", ".db"
DAMAGED = "damaged"  # label of a copy kept of a library that failed its check
# A backup dated more than this ahead of the clock was made while the clock was wrong:
# it is neither "recent" (the daily backup is still due) nor newer than today's.
FUTURE_SLACK_S = 600
_STAMP = re.compile(r"^library-(\d{8}-\d{6}-\d{6})")


def backups_dir(folder: Path) -> Path:
    return folder / "backups"


def made_at(path: Path) -> float:
    """When a backup was made: the UTC time in its name or its mtime, whichever is older
    (a file aged by hand, or copied in with a fresh mtime, still sorts sensibly)."""
    times = []
    with contextlib.suppress(OSError):
        times.append(path.stat().st_mtime)
    found = _STAMP.match(path.name)
    if found:
        with contextlib.suppress(ValueError):
            times.append(datetime.strptime(found.group(1), "%Y%m%d-%H%M%S-%f").replace(
                tzinfo=UTC).timestamp())
    return min(times, default=0.0)


def _order(path: Path, now: float) -> tuple[bool, float, str]:
    when = made_at(path)
    return (when <= now + FUTURE_SLACK_S, when, path.name)  # future-dated ones sort first


def list_backups(folder: Path, now: float | None = None) -> list[Path]:
    """The backups of the library in `folder`, oldest first. Backups dated in the future
    (made while the clock was ahead) count as the oldest: they must not push today's out."""
    where = backups_dir(folder)
    if not where.is_dir():
        return []
    now = time.time() if now is None else now
    found = [p for p in where.iterdir()
             if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX) and p.is_file()]
    return sorted(found, key=lambda p: _order(p, now))


def is_good(path: Path) -> bool:
    """A backup that passed its check when made (copies of a damaged library are labelled)."""
    return DAMAGED not in path.name


def is_due(folder: Path, now: float | None = None) -> bool:
    """True when the newest good backup is more than a day old (or there is none). Cheap."""
    now = time.time() if now is None else now
    times = [made_at(p) for p in list_backups(folder, now) if is_good(p)]
    recent = [t for t in times if t <= now + FUTURE_SLACK_S]
    return not recent or now - max(recent) >= DAY_S


def _new_name(where: Path, label: str) -> Path:
    while True:  # microseconds in the name: unique, and names sort by time
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        final = where / f"{PREFIX}{stamp}{'-' + label if label else ''}{SUFFIX}"
        if not final.exists():
            return final


def integrity_ok(path: Path) -> bool:
    """`PRAGMA integrity_check` of a database file says "ok"."""
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _copy_database(uri: str, part: Path) -> None:
    """Copy the database at `uri` into `part` (user-only) as one self-contained file."""
    os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    src = sqlite3.connect(uri, uri=True)
    dst = sqlite3.connect(part, isolation_level=None)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def make_backup(store: Store, folder: Path, label: str = "", *, rotate_after: bool = True) -> Path:
    """Copy the live database into a new backup file (user-only), check the copy, then
    rotate. Returns it. A copy that fails its check is deleted and LibraryCorrupt raised:
    the library itself is damaged, and the existing backups are all kept."""
    with explained():
        where = ensure_private_dir(backups_dir(folder))
    final = _new_name(where, label)
    part = final.with_name(final.name + ".part")
    with explained():
        try:
            _copy_database(store.ro_uri, part)
            if not integrity_ok(part):
                raise LibraryCorrupt(
                    f"The library database {store.path} is damaged (SQLite's integrity check "
                    f"fails), so no backup was made and the existing ones are kept. {RESTORE_HINT} "
                    "(In the window: File → Restore from backup….)")
            _fsync(part)
            os.replace(part, final)
        except BaseException:
            with contextlib.suppress(OSError):
                part.unlink()
            raise
    if rotate_after:
        rotate(folder, protect=(final,))
    return final


def rotate(folder: Path, keep: int = KEEP, protect: tuple[Path, ...] = ()) -> list[Path]:
    """Delete all but the newest `keep` backups (and leftovers of interrupted ones); never
    the newest good backup nor those in `protect` (just made, or being restored)."""
    where = backups_dir(folder)
    for stale in where.glob(f"{PREFIX}*.part") if where.is_dir() else []:
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
    found = list_backups(folder)
    good = [p for p in found if is_good(p)]
    listed = {p.resolve() for p in found}
    kept = ({p.resolve() for p in protect} | ({good[-1].resolve()} if good else set())) & listed
    for path in reversed(found):  # then the newest, up to `keep` in all
        if len(kept) >= keep:
            break
        kept.add(path.resolve())
    gone = [p for p in found if p.resolve() not in kept]
    for path in gone:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            Path(f"{path}-wal").unlink()  # a damaged library's journal, kept beside it
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
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            names = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.Error:
            raise InputError(f"{path} is not a paperdeck library backup.") from None
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        except sqlite3.Error:  # damage so bad that the check itself cannot run
            ok = False
    finally:
        conn.close()
    if not {"papers", "meta", "imports"} <= names or version < 1:
        raise InputError(f"{path} is not a paperdeck library backup.")
    if not ok:
        raise LibraryCorrupt(f"The backup {path} is damaged; choose another one.")
    if version > SCHEMA_VERSION:
        raise InputError(f"{path} was written by a newer paperdeck; update paperdeck to restore it.")


@dataclass(frozen=True)
class BackupInfo:
    """One backup as `backup --list` and the window's restore dialog show it."""

    path: Path
    made: float  # seconds since the epoch (UTC)
    size: int  # bytes
    papers: int | None  # None when it cannot be read
    state: str  # "ok", or why it cannot be restored

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def describe(path: Path) -> BackupInfo:
    """Date, size, paper count and whether it checks out (a full integrity check)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    papers: int | None = None
    try:
        check_backup(path)
        state = "ok"
    except LibraryCorrupt:
        state = "damaged"
    except InputError as exc:
        state = "newer paperdeck" if "newer" in str(exc) else "not a paperdeck library"
    if state in ("ok", "newer paperdeck"):
        with contextlib.suppress(sqlite3.Error):
            conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
            try:
                papers = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
            finally:
                conn.close()
    return BackupInfo(path, made_at(path), size, papers, state)


def describe_backups(folder: Path) -> list[BackupInfo]:
    """Every backup, oldest first (slow for big libraries: run it off the GUI thread)."""
    return [describe(p) for p in list_backups(folder)]


# -- restoring ------------------------------------------------------------------------------

def _prepared_copy(path: Path, folder: Path) -> Path:
    """A private copy of the backup at `path`, migrated to the current schema and given a
    new identity (windows that knew the replaced library must not trust their undo)."""
    with explained():
        where = ensure_private_dir(backups_dir(folder))
        work = where / f"{PREFIX}restore-{uuid.uuid4().hex}{SUFFIX}.part"
        try:
            _copy_database(sqlite_uri(path, mode="ro"), work)
            conn = sqlite3.connect(work, isolation_level=None)
            try:
                db = Database(conn, execute_plugins=False)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                conn.execute("BEGIN IMMEDIATE")
                for step in MIGRATIONS[version:]:
                    step(db)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("UPDATE meta SET value = ? WHERE key = 'library_id'",
                             [uuid.uuid4().hex])
                conn.execute("COMMIT")
            finally:
                conn.close()
        except BaseException:
            with contextlib.suppress(OSError):
                work.unlink()
            raise
    return work


def _swap_in_place(store: Store, folder: Path, work: Path) -> Path:
    """Replace every table's rows with the prepared copy's, in ONE write transaction that
    also makes the safety backup: no other writer can slip a change in between (it would
    be in neither). Raises LibraryCorrupt, changing nothing, if the library is damaged."""
    conn = store.db.conn
    with explained():
        conn.execute("ATTACH DATABASE ? AS restored", [str(work)])
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Read by another connection: under our write lock nobody else can write.
                before = make_backup(store, folder, label="before-restore", rotate_after=False)
                gen = max(int(conn.execute(
                    f"SELECT value FROM {db}.meta WHERE key = 'generation'").fetchone()[0])
                    for db in ("main", "restored")) + 1
                tables, virtual = _tables(conn)
                conn.execute("PRAGMA defer_foreign_keys = ON")
                for name in tables:
                    conn.execute(f'DELETE FROM main."{name}"')
                for name in virtual:  # emptied through the table itself, never its shadow tables
                    conn.execute(f'DELETE FROM main."{name}"')
                for name in tables:
                    cols = ", ".join(f'"{r[1]}"' for r in conn.execute(
                        f'PRAGMA restored.table_info("{name}")'))
                    if cols:
                        conn.execute(f'INSERT INTO main."{name}" ({cols}) '
                                     f'SELECT {cols} FROM restored."{name}"')
                conn.execute("UPDATE main.meta SET value = ? WHERE key = 'generation'", [str(gen)])
                # The search-text table (text_mirror.py) was emptied: it refills from the papers.
                conn.execute("INSERT OR REPLACE INTO main.meta(key, value) "
                             "VALUES ('search_text_generation', '-1')")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute("DETACH DATABASE restored")
    return before


def _tables(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """The library's plain tables, whose rows a restore copies, and its virtual tables
    (the FTS5 search text), which it only empties: writing an FTS5 table's shadow tables
    row by row would damage it."""
    rows = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    plain = [name for name, _sql in rows
             if name not in virtual and not any(name.startswith(v + "_") for v in virtual)]
    return plain, virtual


def _swap_files(db: Path, folder: Path, work: Path) -> Path:
    """For a library that cannot be read (damaged, empty, not paperdeck's): keep its files
    in backups/ as they are, then put the prepared copy in its place. Returns the kept copy."""
    with explained():
        where = ensure_private_dir(backups_dir(folder))
        aside = _new_name(where, f"before-restore-{DAMAGED}")
        for suffix in ("", "-wal"):
            src = Path(f"{db}{suffix}")
            if src.exists():
                shutil.copyfile(src, f"{aside}{suffix}")
                os.chmod(f"{aside}{suffix}", 0o600)
                _fsync(Path(f"{aside}{suffix}"))
        if not aside.exists():  # nothing was there: an empty placeholder says so
            aside.touch(0o600)
        # The old journal first: applied to the new file, its pages would corrupt it.
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{db}{suffix}")
        os.replace(work, db)
        with contextlib.suppress(OSError):
            fd = os.open(db.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    return aside


def restore_backup(store: Store, folder: Path, path: Path) -> Path:
    """Replace the open library's contents with the backup at `path`; returns the safety
    backup of what was there before. Other open connections never see a half-restored
    library, and writes made meanwhile are either in the safety backup or wait for the
    restore (see `_swap_in_place`). A damaged library is swapped out file by file."""
    path = path.resolve()
    check_backup(path)
    work = _prepared_copy(path, folder)
    try:
        try:
            before = _swap_in_place(store, folder, work)
        except LibraryCorrupt:
            store.close()
            before = _swap_files(store.path, folder, work)
            store.reopen()
    finally:
        with contextlib.suppress(OSError):
            work.unlink()
    store.adopt_identity()
    rotate(folder, protect=(path, before))
    return before


def restore_unreadable(folder: Path, path: Path) -> Path:
    """Restore into a library folder whose database cannot be opened at all (damaged,
    empty, another application's file); its files are kept in backups/. Returns that copy."""
    path = path.resolve()
    check_backup(path)
    work = _prepared_copy(path, folder)
    try:
        before = _swap_files(folder / "library.db", folder, work)
    finally:
        with contextlib.suppress(OSError):
            work.unlink()
    rotate(folder, protect=(path, before))
    return before
