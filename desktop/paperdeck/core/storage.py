"""The SQLite file: opening it safely, the schema and its migrations, write transactions.

SQLite is the truth. Every write goes through `Store.write()`, one IMMEDIATE
transaction that also bumps the library's generation counter; the search index
compares that counter with its own to know what it must catch up on.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

from .errors import (
    DiskFull,
    LibraryCorrupt,
    LibraryLocked,
    LibraryReadOnly,
    LibraryReplaced,
    PaperdeckError,
)

BUSY_TIMEOUT_MS = 5000
# The tables every paperdeck library has had since schema 1: a database without them is
# another application's, and is never written to.
CORE_TABLES = frozenset({"papers", "meta", "imports"})
RESTORE_HINT = ("List its backups with `paperdeck backup --list` and restore one with "
                "`paperdeck restore-backup FILE`.")


def run_script(db: Database, sql: str) -> None:
    """Run several statements inside the current transaction, one by one: sqlite3's
    executescript() (and so sqlite-utils') would COMMIT it first, making a migration
    half-appliable."""
    start = 0
    for end, ch in enumerate(sql):
        if ch == ";" and sqlite3.complete_statement(sql[start:end + 1]):
            db.execute(sql[start:end + 1])
            start = end + 1
    if sql[start:].strip():
        db.execute(sql[start:])


def fetch_ids(conn: sqlite3.Connection, sql: str, params: list | tuple = ()) -> list[int]:
    """The `id` column of `sql`, in its order, read as one string. Read a row at a time,
    every row hands the interpreter lock back and forth, and while another thread runs
    Python each hand-back waits its turn: 80,000 ids took 0.5 s instead of 0.05."""
    row = conn.execute(f"SELECT group_concat(id) FROM ({sql})", params).fetchone()
    return list(map(int, row[0].split(","))) if row and row[0] else []


def sqlite_uri(path: Path, **params: str) -> str:
    """A `file:` URI for sqlite3 (the path quoted, so '?' or '#' in a folder name is safe)."""
    from urllib.parse import quote

    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path))}" + (f"?{query}" if query else "")


def _v1(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            format TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            raw_text TEXT NOT NULL,
            found INTEGER NOT NULL DEFAULT 0,
            imported INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE papers (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            abstract TEXT NOT NULL DEFAULT '',
            authors TEXT NOT NULL DEFAULT '[]',
            year INTEGER,
            arxiv_id TEXT NOT NULL DEFAULT '',
            doi TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            links TEXT NOT NULL DEFAULT '[]',
            venue TEXT NOT NULL DEFAULT '',
            primary_class TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'reading', 'read', 'archived')),
            position REAL NOT NULL DEFAULT 0,
            priority INTEGER NOT NULL DEFAULT 0,
            notes TEXT NOT NULL DEFAULT '',
            citekey TEXT NOT NULL,
            title_key TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            trashed_at TEXT,
            import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
            rev INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX papers_citekey ON papers(citekey COLLATE NOCASE);
        CREATE INDEX papers_queue ON papers(priority DESC, position);
        CREATE INDEX papers_status ON papers(status);
        CREATE INDEX papers_arxiv ON papers(arxiv_id) WHERE arxiv_id != '';
        CREATE INDEX papers_doi ON papers(doi) WHERE doi != '';
        CREATE INDEX papers_title_key ON papers(title_key);
        CREATE INDEX papers_rev ON papers(rev);
        CREATE INDEX papers_added ON papers(added_at);
        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE
        );
        CREATE TABLE paper_tags (
            paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (paper_id, tag_id)
        ) WITHOUT ROWID;
        CREATE INDEX paper_tags_tag ON paper_tags(tag_id);
        CREATE TABLE status_history (
            id INTEGER PRIMARY KEY,
            paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX status_history_paper ON status_history(paper_id);
        CREATE TABLE purged (paper_id INTEGER PRIMARY KEY, rev INTEGER NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )
    db.execute(
        "INSERT INTO meta(key, value) VALUES ('generation', '0'), ('library_id', ?)",
        [uuid.uuid4().hex],
    )


def _v2_arxiv_version(db: Database) -> None:
    """The arXiv version a paper was imported at (NULL: the paste did not say)."""
    db.execute("ALTER TABLE papers ADD COLUMN arxiv_version INTEGER")


# Forward migrations, applied in order; index i takes user_version i to i + 1.
def _v3_doi_lookup(db: Database) -> None:
    """Duplicate checks compare DOIs case-insensitively; index that expression."""
    db.execute("CREATE INDEX papers_doi_lower ON papers(lower(doi)) WHERE doi != ''")


def _v4_position_lookup(db: Database) -> None:
    """A queue move looks up its neighbour by position; without this, a scan of every paper."""
    db.execute("CREATE INDEX papers_position ON papers(position)")


def _v5_covering_views(db: Database) -> None:
    """A view's ids come from an index alone, already in queue order (100,000 papers: the
    queue's ids in 80 ms, not 180; the sidebar counts in 70 ms, not 200; the tags with
    their counts in 30 ms, not 250). Queries write `+status` so SQLite walks the queue
    index rather than sorting what the status index finds."""
    db.execute("DROP INDEX papers_queue")
    db.execute("CREATE INDEX papers_queue ON papers(priority DESC, position, id, status, trashed_at)")
    db.execute("DROP INDEX papers_status")
    db.execute("CREATE INDEX papers_status ON papers(status, trashed_at)")
    # The few papers in the trash, newest first: the trash view, and the tag counts that
    # leave them out, no longer read every paper's row.
    db.execute("CREATE INDEX papers_trashed ON papers(added_at DESC, id DESC) "
               "WHERE trashed_at IS NOT NULL")


def _citations(db: Database) -> None:
    """What a citation needs beyond the queue's columns: the entry type a paste named
    (``inproceedings``...) and a JSON object of its other bibliographic fields
    (booktitle, volume, pages, ...; ``names``: authors' parts a display guess would miss);
    and the files kept up to date (autoexport.py): a path, what goes in it (a tag, a
    search, or everything), its format, and the ids written last time."""
    db.execute("ALTER TABLE papers ADD COLUMN entry_type TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE papers ADD COLUMN fields TEXT NOT NULL DEFAULT '{}'")
    db.execute(
        "CREATE TABLE autoexports (path TEXT PRIMARY KEY, tag TEXT NOT NULL DEFAULT '', "
        "query TEXT NOT NULL DEFAULT '', format TEXT NOT NULL DEFAULT 'bibtex', "
        "ids TEXT NOT NULL DEFAULT '[]', added_at TEXT NOT NULL)"
    )


def _saved_searches(db: Database) -> None:
    """Saved searches for the sidebar and `--saved NAME`: a name (unique ignoring case),
    the query as typed, and the user's order."""
    run_script(db, """
        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            query TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
    """)


def _search_text(db: Database) -> None:
    """Each paper's text as the index's terms, searchable without the index (see
    text_mirror.py). Filled after the upgrade, like an index catch-up; its generation
    -1 means "not filled yet"; `search_words` lists the words, for `word~`. The `ascii`
    tokenizer splits only on spaces here: the terms are [\\w.*]+ (Whoosh's pattern) and
    every non-ASCII character is a token character."""
    db.execute("CREATE VIRTUAL TABLE search_text USING fts5(title, abstract, authors, notes, "
               "rev UNINDEXED, tokenize = \"ascii tokenchars '._*'\")")
    # Every word ever stored per field (never pruned: a word gone from every paper only
    # costs a look-up that finds nothing). New words get higher rowids, so a reader keeps
    # the list and reads only what was added since (fts5vocab would scan the whole index).
    db.execute("CREATE TABLE search_words (id INTEGER PRIMARY KEY, field TEXT NOT NULL, "
               "word TEXT NOT NULL, UNIQUE (field, word))")
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('search_text_generation', '-1')")


MIGRATIONS: list[Callable[[Database], None]] = [
    _v1, _v2_arxiv_version, _v3_doi_lookup, _v4_position_lookup, _v5_covering_views,
    _citations, _saved_searches, _search_text,
]
SCHEMA_VERSION = len(MIGRATIONS)


def translate(exc: BaseException) -> PaperdeckError | None:
    """Turn an environment failure from sqlite3 or the OS into a message for the user."""
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DiskFull("The disk is full: nothing was saved. Free some space and try again.")
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return LibraryReadOnly(f"The library folder cannot be written ({exc.strerror}).")
    if isinstance(exc, FileExistsError | NotADirectoryError) and exc.filename and (
            isinstance(exc, NotADirectoryError) or not os.path.isdir(exc.filename)):
        return PaperdeckError(f"{exc.filename} is a file where paperdeck keeps a folder: "
                              "move it aside and try again.")
    if not isinstance(exc, sqlite3.Error):
        return None
    if "locked" in text or "busy" in text:
        return LibraryLocked(
            "The library is busy: another paperdeck window or command is writing to it. "
            "Try again in a moment."
        )
    if "readonly" in text or "read-only" in text:
        return LibraryReadOnly("The library is read-only here: changes cannot be saved.")
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFull("The disk is full: nothing was saved. Free some space and try again.")
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return LibraryCorrupt(f"The library database is damaged. {RESTORE_HINT}")
    if "unable to open" in text:
        return LibraryReadOnly(f"The library file cannot be opened ({exc}).")
    if "disk i/o error" in text:
        return DiskFull("The disk reported an error while saving: nothing was saved.")
    return None


@contextlib.contextmanager
def explained() -> Iterator[None]:
    """Re-raise environment failures as PaperdeckError with a plain message."""
    try:
        yield
    except PaperdeckError:
        raise
    except (sqlite3.Error, OSError) as exc:
        nice = translate(exc)
        if nice is None:
            raise
        raise nice from exc


class Store:
    """One connection to `library.db`, with the schema current and safe pragmas on."""

    def __init__(self, path: Path, *, read_only: bool = False, reason: str = "") -> None:
        self.path = path
        self.read_only = read_only
        self.read_only_reason = reason  # why, in words, when the library could not be written
        self.ro_uri = sqlite_uri(path, mode="ro")  # how other connections open it for reading
        self.library_id = ""  # the identity this store opened; a restore elsewhere changes it
        self.notes: list[str] = []  # what opening had to work around, for the user
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._files: dict[str, tuple[int, int] | None] = {}
        self._copy_dir: Path | None = None  # a private copy read instead (see _connect_read_only)
        self._open()

    def _open(self) -> None:
        """Connect, upgrade, settle. On failure, let go of the files at once (the error may
        be kept, and with it this store, while a restore replaces those files) and leave
        them as they were: no checkpoint of the journal into a file found damaged."""
        with explained():
            self.db = self._connect()
            try:
                self._migrate()
                self._settle()
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    no_checkpoint_on_close(self.db.conn, self.path)
                self._close_connections()
                raise

    def _connect(self) -> Database:
        existed = self.path.exists()
        if existed:
            refuse_empty(self.path)
        if self.read_only:
            if not existed:
                raise LibraryReadOnly(f"There is no library at {self.path} to open read-only.")
            conn = self._connect_read_only()
        else:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            if not existed and os.name == "posix":
                with contextlib.suppress(OSError):
                    os.chmod(self.path, 0o600)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            refuse_foreign(conn, self.path)  # before WAL or a migration could touch it
        except BaseException:
            conn.close()
            raise
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
        # No sqlite-utils plugins: looking them up scans every installed package's
        # metadata (~0.3 s at each start), and paperdeck uses none.
        return Database(conn, execute_plugins=False)

    def _settle(self) -> None:
        """After opening: a cheap look at the pages a window reads first (a damaged library
        is reported now, not shown as an empty one), the identity we hold, and which
        journal files are ours (see `changed_files`)."""
        probe(self.db.conn, self.path)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'library_id'").fetchone()
        self.library_id = row[0] if row else ""
        self._files = self._file_ids()

    def _file_ids(self) -> dict[str, tuple[int, int] | None]:
        ids: dict[str, tuple[int, int] | None] = {}
        for suffix in ("", "-wal", "-shm"):
            try:
                st = os.stat(f"{self.path}{suffix}")
                ids[suffix] = (st.st_dev, st.st_ino)
            except OSError:
                ids[suffix] = None
        return ids

    def changed_files(self) -> list[str]:
        """Names of the database files that were deleted or replaced since we opened them.

        While this store is open its connection keeps `library.db-wal` and `-shm` in place;
        if they vanish (deleted by hand, a sync tool), another process writes into new
        ones without seeing our lock and changes are lost at the next checkpoint."""
        if self.read_only or self._copy_dir is not None:
            return []
        now = self._file_ids()
        return [f"{self.path.name}{suffix}" for suffix, ident in self._files.items()
                if ident is not None and now.get(suffix) != ident]

    def _connect_read_only(self) -> sqlite3.Connection:
        """Read-only, even on a read-only medium: there a WAL database cannot get its -shm
        file and `mode=ro` fails. Without a -wal, `immutable=1` (nothing else writes it)
        reads it all; with one, immutable would ignore the -wal's changes (a partial
        library), so a private copy of both files is read instead."""
        last: sqlite3.Error | None = None
        tries: list[dict[str, str] | None] = [{"mode": "ro"}]
        if not os.access(self.path.parent, os.W_OK):  # never while another process may write
            wal = Path(f"{self.path}-wal")
            tries.append(None if wal.exists() and wal.stat().st_size else
                         {"mode": "ro", "immutable": "1"})
        for params in tries:
            if params is None:
                return self._connect_copy()
            uri = sqlite_uri(self.path, **params)
            try:
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as exc:
                last = exc
                continue
            self.ro_uri = uri
            return conn
        assert last is not None
        raise last

    def _connect_copy(self) -> sqlite3.Connection:
        """Read a private copy of `library.db` and its -wal (a read-only medium that has
        unsaved journal pages but no -shm): SQLite reads the copy's journal in full."""
        where = Path(tempfile.mkdtemp(prefix="paperdeck-readonly-"))
        try:
            copy = where / self.path.name
            shutil.copyfile(self.path, copy)
            shutil.copyfile(f"{self.path}-wal", f"{copy}-wal")
            conn = sqlite3.connect(copy, isolation_level=None, check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (OSError, sqlite3.Error) as exc:
            shutil.rmtree(where, ignore_errors=True)
            raise LibraryReadOnly(
                f"{self.path} is on a read-only disk with unsaved changes in its journal "
                f"(-wal) and cannot be read in full here ({exc}). Copy the library folder "
                "to a writable disk and open it there.") from None
        self._copy_dir = where
        self.ro_uri = sqlite_uri(copy, mode="ro")
        self.notes.append("The library is on a read-only disk with unsaved journal changes; "
                          "paperdeck reads a full private copy of it.")
        return conn

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LibraryCorrupt(
                f"This library was written by a newer paperdeck (schema {version}); "
                "update paperdeck to open it."
            )
        if version == SCHEMA_VERSION:
            return
        if self.read_only:
            raise LibraryReadOnly("This library needs an upgrade, which a read-only open cannot do.")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for step in MIGRATIONS[version:]:
                step(self.db)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def write(self) -> Iterator[int]:
        """One write transaction; yields the new generation number to stamp on changed rows."""
        if self.read_only:
            raise LibraryReadOnly(
                self.read_only_reason or "The library is open read-only: changes cannot be saved."
            )
        gone = self.changed_files()
        if gone:
            raise LibraryCorrupt(files_replaced_message(self.path, gone))
        with explained():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self._same_library()
                gen = int(self.db.execute(
                    "SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]) + 1
                self.db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", [str(gen)])
                yield gen
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    def _same_library(self) -> None:
        """Inside the write lock: refuse if a restore or load replaced the library since we
        opened it (its ids may now name other papers)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'library_id'").fetchone()
        if self.library_id and (row[0] if row else "") != self.library_id:
            raise LibraryReplaced(
                "The library was replaced (restored from a backup or loaded) by another "
                "paperdeck since it was opened here; nothing was changed.")

    def adopt_identity(self) -> None:
        """Accept the library now on disk as ours (after our own restore or load)."""
        self.library_id = self.meta("library_id")

    def renew_identity(self) -> str:
        """Give the library a new identity (a restore or load replaced its contents), so
        every other window's undo history and the search index stop trusting theirs."""
        new = uuid.uuid4().hex
        with self.write():
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'library_id'", [new])
        self.library_id = new
        return new

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A consistent read over several queries, on this thread's read connection.

        Never the writer connection: another thread may be in a write transaction on it,
        and a reader there would see (or break) that transaction half-way."""
        conn = self.read()
        with explained():
            if conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def read(self) -> sqlite3.Connection:
        """This thread's read connection: WAL lets it read while another thread writes,
        so the GUI thread never waits for a long write to finish."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with explained():
                conn = sqlite3.connect(
                    self.ro_uri, uri=True, isolation_level=None, check_same_thread=False,
                )
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._local.conn = conn
            self._readers.append(conn)
        return conn

    def generation(self) -> int:
        return int(self.meta("generation", "0"))

    def meta(self, key: str, default: str = "") -> str:
        """A committed meta value, read on this thread's read connection."""
        with explained():
            row = self.read().execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def integrity_problems(self) -> list[str]:
        """`PRAGMA integrity_check` and foreign keys: an empty list means healthy."""
        with explained():
            gone = self.changed_files()
            problems = [files_replaced_message(self.path, gone)] if gone else []
            rows = [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall()]
            problems += [] if rows == ["ok"] else rows
            fk = self.db.execute("PRAGMA foreign_key_check").fetchall()
            problems += [f"broken reference in {r[0]} row {r[1]}" for r in fk]
            return problems

    def reopen(self) -> None:
        """After the file's contents were replaced (restore): fresh connections, schema current."""
        self._close_connections()
        self._local = threading.local()
        self._open()

    def close(self) -> None:
        if self.changed_files():  # our journal is stale: closing must not write it back
            for conn in [*self._readers, self.db.conn]:
                with contextlib.suppress(sqlite3.Error):
                    no_checkpoint_on_close(conn, self.path)
        self._close_connections()

    def _close_connections(self) -> None:
        for conn in self._readers:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._readers.clear()
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if self._copy_dir is not None:
            shutil.rmtree(self._copy_dir, ignore_errors=True)
            self._copy_dir = None


def files_replaced_message(path: Path, names: list[str]) -> str:
    return (f"{' and '.join(names)} in {path.parent} were deleted or replaced while paperdeck "
            "had the library open, so changes may be lost: nothing more is saved here. Close "
            "every paperdeck window, then run `paperdeck check`.")


def refuse_empty(path: Path) -> None:
    """A zero-length `library.db` is a lost library (truncated by a crash or a sync tool),
    never a new one to start in its place. SQLite reads a 1-byte file as empty too (a
    work-around in its Unix layer), and would start a new library over it."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size <= 1:
        raise LibraryCorrupt(f"{path} is empty ({size} bytes): it is not a paperdeck library any "
                             f"more. {RESTORE_HINT} Or move the file aside to start a new one.")


def refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Raise LibraryCorrupt unless the database is a paperdeck library or brand new (no
    tables, schema 0). Reads only the schema: nothing is written to another app's file."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    names = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    if (version == 0 and not names) or (version > 0 and names >= CORE_TABLES):
        return
    raise LibraryCorrupt(f"{path} is not a paperdeck library (another application's database?); "
                         f"paperdeck will not change it. Point --data-dir elsewhere, or move "
                         f"the file aside. {RESTORE_HINT}")


def probe(conn: sqlite3.Connection, path: Path) -> None:
    """A cheap check (about a millisecond at 10,000 papers) of the b-tree pages a window
    reads first: every table's root, the whole queue index, and the papers table's first
    and last rows against it. A damaged root page then fails the open instead of showing
    an empty library; damage deeper in the file is found by the full check every backup
    runs (`PRAGMA integrity_check`, ~90 ms at 10,000 papers: too slow for every open)."""
    try:
        objects = dict(conn.execute(
            "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
        for name, kind in objects.items():
            if kind == "table":
                conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchall()
        if objects.get("papers_queue") != "index":
            return
        n, low, high = conn.execute(
            "SELECT count(*), min(id), max(id) FROM (SELECT id FROM papers INDEXED BY papers_queue)"
        ).fetchone()
        found = conn.execute("SELECT count(*) FROM papers NOT INDEXED WHERE rowid IN (?, ?)",
                             [low, high]).fetchone()[0]
    except sqlite3.Error as exc:
        if translate(exc) is None or "malformed" in str(exc).lower():
            raise LibraryCorrupt(f"The library database {path} is damaged ({exc}). "
                                 f"{RESTORE_HINT}") from None
        raise
    if n and found != (1 if low == high else 2):
        raise LibraryCorrupt(f"The library database {path} is damaged (its papers table and "
                             f"queue index disagree). {RESTORE_HINT}")


def no_checkpoint_on_close(conn: sqlite3.Connection, path: Path) -> bool:
    """Tell SQLite not to checkpoint when `conn` closes (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE):
    a connection whose -wal was deleted under it would otherwise copy its stale pages over
    what other processes wrote since. Python 3.12 has `setconfig`; on CPython 3.11 the
    call goes through ctypes to the SQLite library the sqlite3 module uses, after checking
    the handle names this very file. Returns whether the switch was set."""
    if hasattr(conn, "setconfig"):
        conn.setconfig(sqlite3.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, True)
        return True
    if sys.version_info[:2] != (3, 11) or sys.implementation.name != "cpython" or os.name != "posix":
        return False
    import _sqlite3
    import ctypes

    try:
        lib = ctypes.CDLL(_sqlite3.__file__)
        lib.sqlite3_db_filename.restype = ctypes.c_char_p
        lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        # CPython 3.11's connection object: PyObject_HEAD, then the `sqlite3 *db` handle.
        handle = ctypes.c_void_p.from_address(id(conn) + 2 * ctypes.sizeof(ctypes.c_void_p)).value
        name = lib.sqlite3_db_filename(handle, b"main") if handle else None
        if not name or os.path.realpath(os.fsdecode(name)) != os.path.realpath(path):
            return False
        no_ckpt_on_close = 1006  # SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, SQLite >= 3.16
        return lib.sqlite3_db_config(ctypes.c_void_p(handle), ctypes.c_int(no_ckpt_on_close),
                                     ctypes.c_int(1), ctypes.c_void_p(None)) == 0
    except (OSError, AttributeError):
        return False
