"""The SQLite file: opening it safely, the schema and its migrations, write transactions.

SQLite is the truth. Every write goes through `Store.write()`, one IMMEDIATE
transaction that also bumps the library's generation counter; the search index
compares that counter with its own to know what it must catch up on.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

from .errors import DiskFull, LibraryCorrupt, LibraryLocked, LibraryReadOnly, PaperdeckError

BUSY_TIMEOUT_MS = 5000


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


def _v6_search_text(db: Database) -> None:
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
    _v6_search_text,
]
SCHEMA_VERSION = len(MIGRATIONS)


def translate(exc: BaseException) -> PaperdeckError | None:
    """Turn an environment failure from sqlite3 or the OS into a message for the user."""
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DiskFull("The disk is full: nothing was saved. Free some space and try again.")
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return LibraryReadOnly(f"The library folder cannot be written ({exc.strerror}).")
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
        return LibraryCorrupt(
            "The library database is damaged. Restore a backup (paperdeck restore) "
            "or move the file aside to start a new one."
        )
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
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        with explained():
            self.db = self._connect()
            self._migrate()

    def _connect(self) -> Database:
        if self.read_only:
            if not self.path.exists():
                raise LibraryReadOnly(f"There is no library at {self.path} to open read-only.")
            conn = self._connect_read_only()
        else:
            fresh = not self.path.exists()
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            if fresh and os.name == "posix":
                with contextlib.suppress(OSError):
                    os.chmod(self.path, 0o600)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
        # No sqlite-utils plugins: looking them up scans every installed package's
        # metadata (~0.3 s at each start), and paperdeck uses none.
        return Database(conn, execute_plugins=False)

    def _connect_read_only(self) -> sqlite3.Connection:
        """Read-only, even on a read-only medium: there a WAL database cannot get its -shm
        file and `mode=ro` fails, while `immutable=1` (nothing else writes it) reads fine."""
        last: sqlite3.Error | None = None
        tries = [{"mode": "ro"}]
        if not os.access(self.path.parent, os.W_OK):  # never while another process may write
            tries.append({"mode": "ro", "immutable": "1"})
        for params in tries:
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
        with explained():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                gen = int(self.db.execute(
                    "SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]) + 1
                self.db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", [str(gen)])
                yield gen
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

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
            rows = [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall()]
            problems = [] if rows == ["ok"] else rows
            fk = self.db.execute("PRAGMA foreign_key_check").fetchall()
            problems += [f"broken reference in {r[0]} row {r[1]}" for r in fk]
            return problems

    def reopen(self) -> None:
        """After the file's contents were replaced (restore): fresh connections, schema current."""
        self.close()
        self._local = threading.local()
        with explained():
            self.db = self._connect()
            self._migrate()

    def close(self) -> None:
        for conn in self._readers:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._readers.clear()
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
