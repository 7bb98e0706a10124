"""core/storage.py case by case: the schema and its upgrades, write transactions, the
checks at open, and how SQLite's and the OS's failures reach the user. Real SQLite files
in temporary folders, real damage (tests/damage.py), real second connections and
processes; errors are the ones SQLite and the OS really raise where we can provoke them."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from damage import checkpoint, empty_root, zero_root
from paperdeck.core import storage
from paperdeck.core.errors import (
    DiskFull,
    LibraryCorrupt,
    LibraryLocked,
    LibraryReadOnly,
    LibraryReplaced,
    PaperdeckError,
)
from paperdeck.core.storage import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    explained,
    fetch_ids,
    no_checkpoint_on_close,
    refuse_empty,
    refuse_foreign,
    run_script,
    sqlite_uri,
    translate,
)


def _add(store: Store, *titles: str) -> list[int]:
    ids = []
    with store.write() as gen:
        for title in titles:
            cur = store.db.execute(
                "INSERT INTO papers (title, citekey, added_at, updated_at, rev) VALUES (?, ?, ?, ?, ?)",
                [title, f"key{title}", "2026-01-01", "2026-01-01", gen])
            ids.append(cur.lastrowid)
    return ids


def _count(db: Path, sql: str = "SELECT count(*) FROM papers") -> int:
    conn = sqlite3.connect(sqlite_uri(db, mode="ro"), uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def store(db: Path):
    opened = Store(db)
    yield opened
    opened.close()


def _schema_1(db: Path, *titles: str) -> None:
    """A library as paperdeck's first schema wrote it, with papers in it."""
    conn = sqlite3.connect(db, isolation_level=None)
    MIGRATIONS[0](Database(conn))
    for i, title in enumerate(titles):
        conn.execute("INSERT INTO papers (title, citekey, added_at, updated_at) VALUES (?, ?, ?, ?)",
                     [title, f"old{i}", "2025-01-01", "2025-01-01"])
    conn.execute("PRAGMA user_version = 1")
    conn.close()


# -- run_script, fetch_ids, sqlite_uri ---------------------------------------------------------

def test_run_script_runs_every_statement_inside_the_open_transaction(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    db = Database(conn)
    conn.execute("BEGIN")
    # packed without spaces, a ';' inside a string, and a last statement without ';'
    run_script(db, "CREATE TABLE t(x);INSERT INTO t VALUES ('a;b');\n"
                   "INSERT INTO t VALUES ('c')\n  ")
    assert [r[0] for r in conn.execute("SELECT x FROM t")] == ["a;b", "c"]
    assert conn.in_transaction  # executescript() would have committed
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    conn.close()


def test_fetch_ids_keeps_the_query_order_and_handles_nothing(store):
    ids = _add(store, "a", "b", "c")
    conn = store.read()
    assert fetch_ids(conn, "SELECT id FROM papers ORDER BY id DESC") == ids[::-1]
    assert fetch_ids(conn, "SELECT id FROM papers WHERE title = ?", ["b"]) == [ids[1]]
    assert fetch_ids(conn, "SELECT id FROM papers WHERE title = ?", ["none"]) == []


def test_a_folder_name_with_uri_characters_opens_and_reads(tmp_path):
    folder = tmp_path / "a?b#c %d"
    folder.mkdir()
    with_params = sqlite_uri(folder / "library.db", mode="ro")
    assert with_params.startswith("file:") and with_params.endswith("?mode=ro")
    assert "?" not in sqlite_uri(folder / "library.db")
    store = Store(folder / "library.db")
    try:
        _add(store, "x")
        assert store.meta("generation") == "1"  # through the read connection's URI
        assert not list(Path.cwd().glob("file:*"))
    finally:
        store.close()


# -- migrations ---------------------------------------------------------------------------------

def test_a_schema_1_library_is_upgraded_keeping_its_papers(db):
    _schema_1(db, "Attention", "Transformers")
    store = Store(db)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = store.db.execute(
            "SELECT title, arxiv_version, entry_type, fields FROM papers ORDER BY id").fetchall()
        assert rows == [("Attention", None, "", "{}"), ("Transformers", None, "", "{}")]
        names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
        assert {"papers_doi_lower", "papers_position", "papers_trashed", "papers_queue",
                "papers_status", "autoexports", "saved_searches", "search_text",
                "search_words"} <= names
        queue = [r[2] for r in store.db.execute("PRAGMA index_info(papers_queue)")]
        assert queue == ["priority", "position", "id", "status", "trashed_at"]
        status = [r[2] for r in store.db.execute("PRAGMA index_info(papers_status)")]
        assert status == ["status", "trashed_at"]
        assert store.meta("search_text_generation") == "-1"
        assert store.meta("generation") == "0" and len(store.library_id) == 32
        _add(store, "After")
    finally:
        store.close()
    again = Store(db)  # the version was recorded: nothing runs twice
    try:
        assert _count(db) == 3 and again.integrity_problems() == []
    finally:
        again.close()


def test_a_failed_upgrade_changes_nothing_and_leaves_no_lock(db):
    """A schema-2 library edited by hand in a SQLite browser already has an index by the
    name migration 3 creates: the upgrade fails as a whole, the file stays at schema 2."""
    _schema_1(db, "Kept")
    conn = sqlite3.connect(db, isolation_level=None)
    MIGRATIONS[1](Database(conn))
    conn.execute("CREATE INDEX papers_doi_lower ON papers(doi)")
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        Store(db)
    check = sqlite3.connect(db, isolation_level=None, timeout=0.2)
    try:
        assert check.execute("PRAGMA user_version").fetchone()[0] == 2
        cols = {r[1] for r in check.execute("PRAGMA table_info(papers)")}
        assert "arxiv_version" in cols and "entry_type" not in cols
        check.execute("BEGIN IMMEDIATE")  # no half-done upgrade holds the write lock
        check.execute("ROLLBACK")
    finally:
        check.close()


def test_a_newer_schema_is_refused_plainly(db):
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryCorrupt, match="newer paperdeck"):
        Store(db)


def test_read_only_open_cannot_upgrade(db):
    _schema_1(db, "Old")
    with pytest.raises(LibraryReadOnly, match="needs an upgrade"):
        Store(db, read_only=True)
    assert _count(db, "PRAGMA user_version") == 1


# -- what opening refuses -------------------------------------------------------------------

def test_an_empty_file_is_a_lost_library_not_a_new_one(db, tmp_path):
    db.touch()
    with pytest.raises(LibraryCorrupt, match=r"empty \(0 bytes\)"):
        Store(db)
    assert db.stat().st_size == 0
    refuse_empty(tmp_path / "missing.db")  # nothing there: a new library may be made


def test_a_one_byte_file_is_refused_like_an_empty_one(db):
    """SQLite's Unix layer reads a 1-byte file as empty: it used to become a new library,
    the byte overwritten. Two bytes are a damaged file."""
    db.write_bytes(b"\n")
    with pytest.raises(LibraryCorrupt, match=r"empty \(1 bytes\)"):
        Store(db)
    assert db.read_bytes() == b"\n"
    db.write_bytes(b"\n\n")
    with pytest.raises(LibraryCorrupt, match="damaged"):
        Store(db)
    assert db.read_bytes() == b"\n\n"


def _db_with(path: Path, version: int, tables: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for name in tables:
        conn.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)")
    conn.execute(f"PRAGMA user_version = {version}")
    return conn


@pytest.mark.parametrize("version, tables, ours", [
    (0, [], True),  # brand new
    (0, ["notes"], False),  # another app's
    (0, ["papers", "meta", "imports"], False),  # same names, never upgraded by us
    (1, ["papers", "meta", "imports"], True),  # exactly the core tables
    (2, ["papers", "meta", "imports", "tags"], True),
    (1, [], False),
    (3, ["papers", "meta"], False),
])
def test_only_a_new_database_or_a_library_counts_as_ours(tmp_path, version, tables, ours):
    path = tmp_path / "other.db"
    conn = _db_with(path, version, tables)
    try:
        if ours:
            refuse_foreign(conn, path)
        else:
            with pytest.raises(LibraryCorrupt, match="not a paperdeck library"):
                refuse_foreign(conn, path)
    finally:
        conn.close()


def _held_open(path: Path) -> bool:
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                return True
    return False


def test_another_apps_database_is_left_byte_for_byte_and_let_go(db):
    _db_with(db, 0, ["notes"]).close()
    before = db.read_bytes()
    with pytest.raises(LibraryCorrupt, match="not a paperdeck library") as caught:
        Store(db)
    assert caught.value is not None and not _held_open(db)  # closed even while the error lives
    assert db.read_bytes() == before and not Path(f"{db}-wal").exists()


def test_read_only_open_of_nothing_says_so(db):
    with pytest.raises(LibraryReadOnly, match="no library"):
        Store(db, read_only=True)
    assert not db.exists()


# -- the probe at open ------------------------------------------------------------------------

def _library(db: Path, n: int) -> None:
    store = Store(db)
    _add(store, *(f"Paper {i}" for i in range(n)))
    store.close()


@pytest.mark.parametrize("n", [0, 1, 2, 40])
def test_healthy_libraries_open(db, n):
    _library(db, n)
    store = Store(db)
    try:
        assert _count(db) == n and store.integrity_problems() == []
    finally:
        store.close()


@pytest.mark.parametrize("harm", [zero_root, empty_root])
def test_a_damaged_papers_root_fails_the_open_naming_the_file(db, harm):
    _library(db, 300)
    checkpoint(db)
    harm(db)
    with pytest.raises(LibraryCorrupt) as caught:
        Store(db)
    assert f"{db} is damaged" in str(caught.value) and "restore-backup" in str(caught.value)


def test_a_failed_open_lets_go_of_the_file_at_once(db):
    """The error of a failed open may be kept (Library.open chains it, a window shows it):
    it must not keep the library's files open, as a restore replaces them next."""
    _library(db, 300)
    checkpoint(db)
    zero_root(db)
    with pytest.raises(LibraryCorrupt) as caught:
        Store(db)
    assert caught.value is not None and not _held_open(db)
    _schema_1(db.with_name("old.db"), "x")
    conn = sqlite3.connect(db.with_name("old.db"))
    conn.execute("CREATE TABLE search_words (id INTEGER PRIMARY KEY)")  # the last upgrade fails
    conn.close()
    with pytest.raises(sqlite3.OperationalError) as failed:
        Store(db.with_name("old.db"))
    assert failed.value is not None and not _held_open(db.with_name("old.db"))


def test_a_failed_open_leaves_a_damaged_library_and_its_journal_as_they_were(db, tmp_path):
    """Closing the failed open must not move the journal's pages into the damaged file:
    a restore keeps both files, as they were, beside the backups."""
    store = Store(db)
    _add(store, *(f"Paper {i}" for i in range(300)))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.execute("PRAGMA wal_autocheckpoint = 0")
    with store.write():
        store.db.execute("UPDATE papers SET title = 'journal ' || id")
    crash = {suffix: Path(f"{db}{suffix}").read_bytes() for suffix in ("", "-wal")}
    store.close()
    for suffix, data in crash.items():  # the files as a crash leaves them
        Path(f"{db}{suffix}").write_bytes(data)
    zero_root(db, "imports")
    damaged = db.read_bytes()
    with pytest.raises(LibraryCorrupt):
        Store(db)
    assert db.read_bytes() == damaged and Path(f"{db}-wal").read_bytes() == crash["-wal"]


def test_a_damaged_root_of_another_table_fails_the_open(db):
    store = Store(db)
    with store.write():
        for _ in range(300):
            store.db.execute("INSERT INTO imports (created_at, format, raw_text) VALUES (?, ?, ?)",
                             ["2026", "t", "x" * 200])
    store.close()
    checkpoint(db)
    zero_root(db, "imports")
    with pytest.raises(LibraryCorrupt, match=r"is damaged \(.*malformed"):
        Store(db)


def test_a_table_sqlite_cannot_read_fails_the_open_plainly(db):
    """A table written by a SQLite with an extension we lack: one plain message."""
    _library(db, 3)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES "
                 "('table', 'ghost', 'ghost', 0, 'CREATE VIRTUAL TABLE ghost USING nosuchmodule()')")
    conn.close()
    with pytest.raises(LibraryCorrupt, match=r"is damaged \(.*nosuchmodule"):
        Store(db)


# -- connections and pragmas -----------------------------------------------------------------

def test_a_new_library_is_private_in_wal_with_full_sync_and_foreign_keys(db, store):
    if os.name == "posix":
        assert db.stat().st_mode & 0o777 == 0o600
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    (pid,) = _add(store, "Tagged")
    with store.write():
        store.db.execute("INSERT INTO tags (name, key) VALUES ('t', 't')")
        store.db.execute("INSERT INTO paper_tags VALUES (?, 1)", [pid])
        store.db.execute("INSERT INTO status_history (paper_id, status, at) VALUES (?, 'read', 'x')",
                         [pid])
    with store.write():
        store.db.execute("DELETE FROM papers WHERE id = ?", [pid])
    assert _count(db, "SELECT count(*) FROM paper_tags") == 0  # cascaded
    assert _count(db, "SELECT count(*) FROM status_history") == 0


def test_an_existing_library_keeps_the_mode_its_owner_gave_it(db):
    Store(db).close()
    os.chmod(db, 0o640)  # shared with a group on purpose
    Store(db).close()
    assert db.stat().st_mode & 0o777 == 0o640


def test_connections_wait_for_a_short_lock_instead_of_failing(db, store):
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, other.execute, ["COMMIT"]).start()
    try:
        _add(store, "waited")  # needs the lock the other connection holds for 0.3 s
        assert store.read().execute("PRAGMA busy_timeout").fetchone()[0] == storage.BUSY_TIMEOUT_MS
    finally:
        other.close()


def test_a_held_lock_is_reported_as_busy(db, store):
    store.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(LibraryLocked, match="busy"):
            _add(store, "blocked")
    finally:
        other.execute("ROLLBACK")
        other.close()
    _add(store, "later")
    assert store.generation() == 1


def test_writes_and_checks_run_from_worker_threads(db, store):
    _add(store, "main")
    ro = Store(db, read_only=True)
    found: list = []

    def work() -> None:
        _add(store, "worker")
        found.append(store.integrity_problems())
        found.append(ro.integrity_problems())
        found.append(ro.meta("generation"))

    try:
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert found == [[], [], "2"]
    finally:
        ro.close()
    store.close()
    assert not Path(f"{db}-wal").exists()  # every connection, the worker's reader too, closed
    assert _count(db) == 2


# -- write transactions ----------------------------------------------------------------------

def test_each_write_bumps_the_generation_by_one(store):
    assert store.generation() == 0
    with store.write() as gen:
        assert gen == 1
    with store.write() as gen:
        assert gen == 2
    assert store.generation() == 2 and store.meta("nothing", "default") == "default"


def test_a_failed_write_leaves_nothing_and_the_error_goes_on(db, store):
    _add(store, "kept")
    with pytest.raises(ZeroDivisionError), store.write():
        store.db.execute("INSERT INTO papers (citekey, added_at, updated_at) VALUES ('z', 'x', 'x')")
        raise ZeroDivisionError("a bug half-way through the write")
    assert _count(db) == 1 and store.generation() == 1
    _add(store, "next")
    assert store.generation() == 2


def test_read_only_writes_are_refused_with_the_reason(db):
    _library(db, 1)
    plain = Store(db, read_only=True)
    told = Store(db, read_only=True, reason="The library is on a read-only disk.")
    try:
        with pytest.raises(LibraryReadOnly, match="open read-only: changes cannot be saved"):
            _add(plain, "x")
        with pytest.raises(LibraryReadOnly, match="^The library is on a read-only disk.$"):
            _add(told, "x")
        assert plain.notes == [] and plain.changed_files() == []
    finally:
        plain.close()
        told.close()


def test_a_read_only_store_reads_the_live_library(db):
    _library(db, 1)
    writer = Store(db)
    ro = Store(db, read_only=True)
    try:
        _add(writer, "later")
        assert ro.generation() == 2 and ro.notes == []
        assert fetch_ids(ro.read(), "SELECT id FROM papers") == [1, 2]
    finally:
        ro.close()
        writer.close()


def test_a_restore_elsewhere_stops_writes_until_adopted(db, store):
    _add(store, "mine")
    other = Store(db)
    try:
        new = other.renew_identity()
        assert other.library_id == new != store.library_id
    finally:
        other.close()
    with pytest.raises(LibraryReplaced):
        _add(store, "refused")
    assert _count(db) == 1
    store.adopt_identity()
    assert store.library_id == new
    _add(store, "accepted")
    assert _count(db) == 2


# -- reading -------------------------------------------------------------------------------------

def test_a_snapshot_reads_one_state_while_others_write(db, store):
    _add(store, "one")
    with store.snapshot() as conn:
        before = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        _add(store, "two")
        with store.snapshot() as inner:  # nested: the same read, not a new one
            assert inner is conn
            assert inner.execute("SELECT count(*) FROM papers").fetchone()[0] == before == 1
        assert store.generation() == 1  # meta() reads through the same snapshot
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 1
    assert store.generation() == 2
    with store.snapshot() as conn:
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 2


# -- checks ---------------------------------------------------------------------------------------

def test_integrity_problems_name_damage_and_broken_references(db):
    _library(db, 1)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("INSERT INTO status_history (id, paper_id, status, at) VALUES (7, 99, 'read', 'x')")
    conn.close()
    store = Store(db)
    try:
        assert store.integrity_problems() == ["broken reference in status_history row 7"]
    finally:
        store.close()


def test_integrity_problems_report_an_index_that_disagrees_with_its_table(db):
    """Damage SQLite can read past: an index whose entries no longer match its rows."""
    _library(db, 5)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX papers_title_key ON papers(title)' "
                 "WHERE name = 'papers_title_key'")
    conn.close()
    store = Store(db)
    try:
        problems = store.integrity_problems()
        assert problems and all("papers_title_key" in p for p in problems)
    finally:
        store.close()


# -- files replaced under an open store -----------------------------------------------------

_OTHER_WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("INSERT INTO tags (name, key) VALUES ('cli', 'cli')")
conn.close()
"""


def test_deleted_journal_files_are_noticed_and_never_written_back(db):
    store = Store(db)
    _add(store, *(f"P{i}" for i in range(3)))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with store.write():
        store.db.execute("UPDATE papers SET notes = 'only in the old journal' WHERE id = 2")
    for suffix in ("-wal", "-shm"):
        os.unlink(f"{db}{suffix}")
    done = subprocess.run([sys.executable, "-c", _OTHER_WRITER, str(db)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert store.changed_files() == ["library.db-wal", "library.db-shm"]
    with pytest.raises(LibraryCorrupt, match="library.db-wal and library.db-shm in .* deleted"):
        _add(store, "refused")
    assert "deleted or replaced" in store.integrity_problems()[0]
    store.close()  # must not checkpoint its stale journal over the other process's tag
    assert _count(db, "SELECT count(*) FROM tags WHERE key = 'cli'") == 1


def test_a_replaced_library_file_is_named_and_reopen_reads_the_new_one(db, tmp_path):
    """As a restore of an unreadable library does it: the store closed, the old journal
    removed, the file replaced (by an older schema here), the store reopened."""
    store = Store(db)
    _add(store, "old")
    old_id = store.library_id
    store.read()  # this thread's reader of the old file: reopen must not hand it out again
    fresh = tmp_path / "fresh.db"
    _schema_1(fresh, "new one", "new two")
    os.replace(fresh, db)
    try:
        assert store.changed_files() == ["library.db"]
        store.close()
        for suffix in ("-wal", "-shm"):
            os.unlink(f"{db}{suffix}")
        store.reopen()
        assert store.changed_files() == []
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.library_id != old_id and store.meta("library_id") == store.library_id
        assert fetch_ids(store.read(), "SELECT id FROM papers") == [1, 2]
        _add(store, "after")
    finally:
        store.close()
    assert _count(db) == 3


def test_reopen_lets_go_of_the_old_connections(store):
    _add(store, "one")
    old_reader, old_writer = store.read(), store.db.conn
    store.reopen()
    for old in (old_reader, old_writer):
        with pytest.raises(sqlite3.ProgrammingError):
            old.execute("SELECT 1")
    assert store.read() is not old_reader and store.generation() == 1
    _add(store, "two")
    assert store.generation() == 2


def test_a_library_without_its_queue_index_still_opens(db):
    """Dropped by hand in a SQLite browser: the library is whole, only slower to list."""
    _library(db, 3)
    conn = sqlite3.connect(db)
    conn.execute("DROP INDEX papers_queue")
    conn.close()
    store = Store(db)
    try:
        assert fetch_ids(store.read(), "SELECT id FROM papers") == [1, 2, 3]
    finally:
        store.close()


def test_a_read_only_store_never_reports_files_replaced(db, tmp_path):
    _library(db, 1)
    ro = Store(db, read_only=True)
    try:
        copy = tmp_path / "copy.db"
        copy.write_bytes(db.read_bytes())
        os.replace(copy, db)
        assert ro.changed_files() == [] and ro.integrity_problems() == []
    finally:
        ro.close()


def test_no_checkpoint_on_close_names_only_its_own_file(db, tmp_path, store):
    other = sqlite3.connect(tmp_path / "other.db")
    try:
        assert no_checkpoint_on_close(store.read(), db) is True
        assert no_checkpoint_on_close(other, db) is False
    finally:
        other.close()


# -- turning failures into messages -------------------------------------------------------------

def _raised(action) -> BaseException:
    try:
        action()
    except BaseException as exc:  # noqa: BLE001 - the very exception the OS or SQLite raised
        return exc
    raise AssertionError("nothing was raised")


def test_os_failures_become_plain_messages(tmp_path):
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        assert isinstance(translate(OSError(code, os.strerror(code))), DiskFull)
    for code in (errno.EROFS, errno.EACCES, errno.EPERM):
        nice = translate(OSError(code, os.strerror(code)))
        assert isinstance(nice, LibraryReadOnly) and os.strerror(code) in str(nice)
    assert translate(OSError(errno.ENOENT, "No such file")) is None
    for code in (errno.EBUSY, errno.ETXTBSY):  # "busy", but not another paperdeck writing
        assert translate(OSError(code, os.strerror(code))) is None
    a_file = tmp_path / "backups"
    a_file.write_text("x")
    over_file = _raised(lambda: os.mkdir(a_file))
    assert isinstance(over_file, FileExistsError)
    nice = translate(over_file)
    assert type(nice) is PaperdeckError and f"{a_file} is a file where" in str(nice)
    assert translate(_raised(lambda: os.mkdir(tmp_path))) is None  # a folder: not that
    under_file = _raised(lambda: (a_file / "x").write_text("x"))
    assert isinstance(under_file, NotADirectoryError)
    assert "is a file where" in str(translate(under_file))
    assert translate(FileExistsError(errno.EEXIST, "exists")) is None  # no name to give
    assert translate(ValueError("not ours")) is None


def test_sqlite_failures_become_plain_messages(tmp_path, db, store):
    other = sqlite3.connect(db, isolation_level=None, timeout=0)
    store.db.execute("BEGIN IMMEDIATE")
    try:
        locked = _raised(lambda: other.execute("BEGIN IMMEDIATE"))
    finally:
        store.db.execute("ROLLBACK")
        other.close()
    assert isinstance(translate(locked), LibraryLocked)
    ro = sqlite3.connect(sqlite_uri(db, mode="ro"), uri=True)
    readonly = _raised(lambda: ro.execute("INSERT INTO tags (name, key) VALUES ('a', 'a')"))
    ro.close()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite" * 300)
    not_db = _raised(lambda: sqlite3.connect(garbage).execute("SELECT * FROM sqlite_master"))
    no_dir = _raised(lambda: sqlite3.connect(tmp_path / "missing" / "x.db"))
    duplicate = _raised(lambda: store.db.execute(
        "INSERT INTO meta (key, value) VALUES ('generation', '9')"))
    made = [
        (locked, LibraryLocked),
        (sqlite3.OperationalError("database is busy"), LibraryLocked),
        (readonly, LibraryReadOnly),
        (sqlite3.OperationalError("read-only file system"), LibraryReadOnly),
        (sqlite3.OperationalError("database or disk is full"), DiskFull),
        (sqlite3.OperationalError("disk is full"), DiskFull),
        (not_db, LibraryCorrupt),
        (sqlite3.DatabaseError("database disk image is malformed"), LibraryCorrupt),
        (sqlite3.DatabaseError("file is encrypted or is not a database"), LibraryCorrupt),
        (sqlite3.DatabaseError("file is encrypted"), LibraryCorrupt),
        (no_dir, LibraryReadOnly),
        (sqlite3.OperationalError("disk I/O error"), DiskFull),
        (duplicate, type(None)),
    ]
    for exc, kind in made:
        assert type(translate(exc)) is kind, exc
    assert "cannot be opened" in str(translate(no_dir))
    assert "reported an error" in str(translate(sqlite3.OperationalError("disk I/O error")))


def test_explained_passes_ours_translates_theirs_and_keeps_the_rest():
    with pytest.raises(LibraryReplaced, match="kept"), explained():
        raise LibraryReplaced("kept")
    with pytest.raises(DiskFull) as caught, explained():
        raise sqlite3.OperationalError("database or disk is full")
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    with pytest.raises(sqlite3.IntegrityError), explained():
        raise sqlite3.IntegrityError("UNIQUE constraint failed")
    with pytest.raises(KeyError), explained():
        raise KeyError("not an environment failure")
    with explained():
        done = True
    assert done


# -- read-only media (a real read-only tmpfs mount; skipped, saying why, without root) ---------

def test_a_damaged_file_opened_read_only_is_reported_as_damage(db):
    db.write_bytes(b"garbage, not a database" * 100)
    with pytest.raises(LibraryCorrupt, match="damaged"):
        Store(db, read_only=True)


def _journal_on_read_only_medium(tmp_path: Path) -> Path:
    """library.db with unsaved pages in its -wal, copied onto a medium then made read-only
    (how a USB stick or a backup of an open library looks). Returns the db's path."""
    from test_resilience_storage import _remount_ro

    source = tmp_path / "source.db"
    store = Store(source)
    _add(store, *(f"Settled {i}" for i in range(30)))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.execute("PRAGMA wal_autocheckpoint = 0")
    _add(store, *(f"Journal {i}" for i in range(5)))
    mnt = tmp_path / "mnt"
    db = mnt / "library.db"
    for suffix in ("", "-wal"):
        Path(f"{db}{suffix}").write_bytes(Path(f"{source}{suffix}").read_bytes())
    store.close()
    _remount_ro(mnt)
    return db


def test_a_journal_on_a_read_only_medium_is_read_from_a_private_copy(tmp_path):
    from test_resilience_storage import tmpfs

    with tmpfs(tmp_path / "mnt", "8m"):
        db = _journal_on_read_only_medium(tmp_path)
        store = Store(db, read_only=True)
        try:
            assert any("private copy" in note for note in store.notes)
            copy_dir = Path(store.ro_uri.removeprefix("file:").split("?")[0]).parent
            assert copy_dir.is_dir() and copy_dir != db.parent
            found: list = []
            worker = threading.Thread(target=lambda: found.append(
                (store.integrity_problems(), len(fetch_ids(store.read(), "SELECT id FROM papers")))))
            worker.start()
            worker.join()
            assert found == [([], 35)]
            assert store.changed_files() == []
        finally:
            store.close()
        assert not copy_dir.exists()
        store.close()  # twice: nothing left to remove, no error
        other = Store(db, read_only=True)
        import shutil

        shutil.rmtree(Path(other.ro_uri.removeprefix("file:").split("?")[0]).parent)
        other.close()  # a temp cleaner took the copy meanwhile: closing still succeeds
        assert sorted(os.listdir(db.parent)) == ["library.db", "library.db-wal"]


def test_a_private_copy_that_does_not_fit_fails_plainly_and_leaves_nothing(tmp_path, monkeypatch):
    import tempfile

    from test_resilience_storage import tmpfs

    with tmpfs(tmp_path / "mnt", "8m"), tmpfs(tmp_path / "tiny", "64k") as tiny:
        db = _journal_on_read_only_medium(tmp_path)
        (tiny / "filler").write_bytes(b"x" * (60 * 1024))
        monkeypatch.setattr(tempfile, "tempdir", str(tiny))  # where the copy goes: a full disk
        with pytest.raises(LibraryReadOnly, match="cannot be read in full here"):
            Store(db, read_only=True)
        assert os.listdir(tiny) == ["filler"]


def test_a_damaged_library_with_a_journal_on_a_read_only_medium_leaves_no_copy(tmp_path, monkeypatch):
    import tempfile

    from test_resilience_storage import _remount_ro, tmpfs

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with tmpfs(tmp_path / "mnt", "8m") as mnt:
        db = mnt / "library.db"
        db.write_bytes(b"garbage, not a database" * 100)
        Path(f"{db}-wal").write_bytes(b"journal garbage" * 100)
        _remount_ro(mnt)
        with pytest.raises((LibraryReadOnly, LibraryCorrupt)):
            Store(db, read_only=True)
        assert os.listdir(scratch) == []


def test_a_settled_library_on_a_read_only_medium_is_read_in_place(tmp_path):
    """No journal: read where it is (`immutable`, as no -shm can be made there), no copy."""
    from test_resilience_storage import _remount_ro, tmpfs

    with tmpfs(tmp_path / "mnt", "8m") as mnt:
        db = mnt / "library.db"
        store = Store(db)
        _add(store, *(f"Paper {i}" for i in range(12)))
        store.close()
        assert not Path(f"{db}-wal").exists()
        _remount_ro(mnt)
        ro = Store(db, read_only=True)
        try:
            assert ro.notes == [] and "immutable=1" in ro.ro_uri
            assert len(fetch_ids(ro.read(), "SELECT id FROM papers")) == 12
        finally:
            ro.close()
