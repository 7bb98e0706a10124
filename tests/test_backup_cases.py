"""core/backup.py case by case, in process: when a backup is due, which files count and in
what order, what rotation keeps, what a backup check accepts, and restoring (in place,
and over a damaged library). Real library files, real damage (tests/damage.py), real
second connections; times are set on real files with os.utime."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from damage import checkpoint, scribble_leaf, zero_root
from paperdeck.core import backup
from paperdeck.core.errors import InputError, LibraryCorrupt, LibraryLocked
from paperdeck.core.storage import MIGRATIONS, SCHEMA_VERSION, Store
from test_storage_cases import _add, _schema_1

NOW = 1_800_000_000  # a whole second, so "exactly N seconds ago" is exact


def _at(path: Path, when: float) -> Path:
    if not path.exists():
        path.write_bytes(b"")
    os.utime(path, (when, when))
    return path


def _stamp(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).strftime("%Y%m%d-%H%M%S-%f")


def _open_fds(under: Path) -> list[str]:
    """The files under `under` this process holds open (a leaked connection shows here),
    but for the live library's own (the open store's connections)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with_target = f"/proc/self/fd/{fd}"
        try:
            target = os.readlink(with_target)
        except OSError:
            continue
        if target.startswith(str(under)) and "/library.db" not in target:
            found.append(target)
    return found


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    where = tmp_path / "library"
    where.mkdir()
    return where


@pytest.fixture
def store(folder: Path):
    opened = Store(folder / "library.db")
    _add(opened, "Alpha robots", "Beta gardens")
    yield opened
    opened.close()


def _papers(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM papers ORDER BY id")]
    finally:
        conn.close()


# -- dates, order, due ---------------------------------------------------------------------------

def test_made_at_is_the_older_of_name_and_mtime(tmp_path):
    named = _at(tmp_path / f"library-{_stamp(NOW - 100)}.db", NOW)
    assert backup.made_at(named) == NOW - 100
    touched = _at(tmp_path / f"library-{_stamp(NOW)}.db", NOW - 50)
    assert backup.made_at(touched) == NOW - 50
    plain = _at(tmp_path / "library-mine.db", NOW - 7)
    assert backup.made_at(plain) == NOW - 7
    bad_date = _at(tmp_path / "library-20261399-000000-000000.db", NOW - 3)
    assert backup.made_at(bad_date) == NOW - 3
    assert backup.made_at(tmp_path / f"library-{_stamp(NOW - 9)}.db") == NOW - 9  # gone: its name
    assert backup.made_at(tmp_path / "library-gone.db") == 0.0


def test_list_backups_is_oldest_first_and_only_backups(folder):
    assert backup.list_backups(folder) == []  # no backups/ folder yet
    where = backup.backups_dir(folder)
    where.mkdir()
    old = _at(where / "library-a.db", NOW - 1000)
    new = _at(where / "library-b.db", NOW - 10)
    edge = _at(where / "library-c.db", NOW + backup.FUTURE_SLACK_S)  # still believable
    future = _at(where / "library-d.db", NOW + 3600)  # the clock was ahead: counts as oldest
    for name in ("library-e.db.part", "notes.db", "library-f.txt"):
        _at(where / name, NOW)
    (where / "library-g.db").mkdir()
    assert backup.list_backups(folder, NOW) == [future, old, new, edge]
    assert set(backup.list_backups(folder)) == {future, old, new, edge}  # now: the clock's


@pytest.mark.parametrize("age, due", [
    (None, True),  # no backup at all
    (23 * 3600, False),
    (24 * 3600 - 1, False),
    (24 * 3600, True),  # exactly a day
    (30 * 3600, True),
    (-600, False),  # ahead of the clock, but by ten minutes at most: recent
    (-600.5, True),  # further ahead: made while the clock was wrong, not recent
])
def test_a_backup_is_due_after_a_day(folder, age, due):
    where = backup.backups_dir(folder)
    where.mkdir()
    if age is not None:
        _at(where / "library-x.db", NOW - age)
    _at(where / f"library-y-{backup.DAMAGED}.db", NOW - 60)  # a damaged copy never counts
    assert backup.is_due(folder, NOW) is due


def test_is_due_uses_the_clock_without_a_time(folder):
    where = backup.backups_dir(folder)
    where.mkdir()
    _at(where / "library-x.db", time.time() - 60)
    assert backup.is_due(folder) is False


def test_new_names_are_unique_sortable_and_labelled(folder):
    where = backup.backups_dir(folder)
    where.mkdir()
    names = []
    for _ in range(5):
        path = backup._new_name(where, "")
        path.touch()
        names.append(path)
    assert len(set(names)) == 5 and names == sorted(names)
    labelled = backup._new_name(where, "before-restore")
    assert labelled.name.endswith("-before-restore.db") and labelled.name.startswith("library-")


# -- making backups ------------------------------------------------------------------------------

def test_a_backup_is_complete_private_single_file_and_closed(folder, store):
    with store.write():
        store.db.execute("UPDATE papers SET notes = 'in the journal only' WHERE id = 1")
    made = backup.make_backup(store, folder)
    assert made.parent == folder / "backups" and made.stat().st_mode & 0o777 == 0o600
    assert backup.is_good(made) and backup.integrity_ok(made)
    assert _papers(made) == ["Alpha robots", "Beta gardens"]
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT notes FROM papers WHERE id = 1").fetchone()[0] == "in the journal only"
    conn.close()
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]
    assert _open_fds(made.parent) == []


def test_the_last_seven_are_kept(folder, store):
    """README: "the last 7 are kept"."""
    made = [backup.make_backup(store, folder) for _ in range(9)]
    assert backup.list_backups(folder) == made[-7:]
    extra = backup.make_backup(store, folder, "before-restore", rotate_after=False)
    assert backup.list_backups(folder) == [*made[-7:], extra]


def test_a_damaged_library_makes_no_backup_and_rotates_nothing(folder):
    db = folder / "library.db"
    store = Store(db)
    _add(store, *(f"Paper {i}" for i in range(400)))
    made = [backup.make_backup(store, folder) for _ in range(backup.KEEP)]
    store.close()
    checkpoint(db)
    scribble_leaf(db)
    store = Store(db)  # the probe at open does not read that deep
    try:
        with pytest.raises(LibraryCorrupt, match="no backup was made and the existing ones are kept"):
            backup.make_backup(store, folder)
    finally:
        store.close()
    assert backup.list_backups(folder) == made
    assert not list(backup.backups_dir(folder).glob("*.part"))


def test_integrity_ok_says_no_to_damage_and_to_other_files(tmp_path, store):
    made = backup.make_backup(store, store.path.parent)
    assert backup.integrity_ok(made)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert backup.integrity_ok(garbage) is False  # a bool, as the signature says
    conn = sqlite3.connect(made, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX papers_title_key ON papers(title)' "
                 "WHERE name = 'papers_title_key'")
    conn.close()
    assert not backup.integrity_ok(made)
    assert _open_fds(tmp_path) == []


# -- rotation -----------------------------------------------------------------------------------

def test_rotation_keeps_the_newest_and_the_newest_good_one(folder):
    where = backup.backups_dir(folder)
    where.mkdir()
    good = [_at(where / f"library-{_stamp(NOW + i)}.db", NOW + i) for i in range(3)]
    damaged = []
    for i in range(backup.KEEP + 1):
        path = _at(where / f"library-{_stamp(NOW + 10 + i)}-{backup.DAMAGED}.db", NOW + 10 + i)
        Path(f"{path}-wal").write_bytes(b"journal")  # kept beside a damaged copy
        damaged.append(path)
    gone = backup.rotate(folder)
    kept = backup.list_backups(folder)
    assert kept == [good[-1], *damaged[-(backup.KEEP - 1):]]
    assert sorted(gone) == sorted([*good[:2], *damaged[:2]])
    assert not Path(f"{damaged[0]}-wal").exists() and Path(f"{damaged[-1]}-wal").exists()


def test_rotation_keeps_what_it_is_told_to(folder):
    where = backup.backups_dir(folder)
    where.mkdir()
    made = [_at(where / f"library-{_stamp(NOW + i)}.db", NOW + i) for i in range(10)]
    backup.rotate(folder, keep=3, protect=(made[0],))
    assert backup.list_backups(folder) == [made[0], made[8], made[9]]


def test_rotation_removes_only_stale_leftovers(folder):
    where = backup.backups_dir(folder)
    where.mkdir()
    now = time.time()
    stale = _at(where / "library-old.db.part", now - 3600.5)
    running = _at(where / "library-new.db.part", now - 3000)  # another process copying now
    backup.rotate(folder)
    assert not stale.exists() and running.exists()
    assert backup.rotate(folder / "nothing-here") == []


# -- checking a backup ----------------------------------------------------------------------------

def _with_tables(path: Path, version: int, tables: list[str]) -> Path:
    conn = sqlite3.connect(path)
    for name in tables:
        conn.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    return path


def test_check_backup_accepts_libraries_old_and_current(tmp_path, store):
    backup.check_backup(backup.make_backup(store, store.path.parent))
    old = tmp_path / "old.db"
    _schema_1(old, "From schema 1")
    backup.check_backup(old)
    backup.check_backup(_with_tables(tmp_path / "core.db", 1, ["papers", "meta", "imports"]))
    assert _open_fds(tmp_path) == []


@pytest.mark.parametrize("make, error, words", [
    (lambda p: p, InputError, "no backup file"),
    (lambda p: (p.mkdir(), p)[1], InputError, "no backup file"),
    (lambda p: (p.write_bytes(b"not sqlite" * 200), p)[1], InputError, "not a paperdeck"),
    (lambda p: _with_tables(p, 0, ["papers", "meta", "imports"]), InputError, "not a paperdeck"),
    (lambda p: _with_tables(p, 3, ["papers", "meta"]), InputError, "not a paperdeck"),
    (lambda p: _with_tables(p, SCHEMA_VERSION + 1, ["papers", "meta", "imports"]), InputError,
     "newer paperdeck"),
])
def test_check_backup_refuses_plainly(tmp_path, make, error, words):
    path = make(tmp_path / "candidate.db")
    with pytest.raises(error, match=words):
        backup.check_backup(path)


def _damaged_copy(store: Store, how: str) -> Path:
    made = backup.make_backup(store, store.path.parent)
    if how == "index":  # damage SQLite reads past: the check lists it
        conn = sqlite3.connect(made, isolation_level=None)
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX papers_title_key ON papers(title)' "
                     "WHERE name = 'papers_title_key'")
        conn.close()
    else:  # damage so bad the check itself fails
        zero_root(made, "papers")
    return made


@pytest.mark.parametrize("how", ["index", "root"])
def test_check_backup_refuses_damage(store, how):
    made = _damaged_copy(store, how)
    with pytest.raises(LibraryCorrupt, match="is damaged; choose another"):
        backup.check_backup(made)


def test_describe_says_what_each_backup_is(tmp_path, folder, store):
    good = backup.make_backup(store, folder)
    where = backup.backups_dir(folder)
    newer = where / "library-newer.db"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    foreign = _with_tables(where / "library-foreign.db", 0, ["papers", "meta", "imports"])
    damaged = _damaged_copy(store, "index")
    infos = {info.path: info for info in backup.describe_backups(folder)}
    assert (infos[good].state, infos[good].papers, infos[good].ok) == ("ok", 2, True)
    assert infos[good].size == good.stat().st_size and infos[good].made == backup.made_at(good)
    assert (infos[newer].state, infos[newer].papers, infos[newer].ok) == ("newer paperdeck", 2, False)
    assert (infos[foreign].state, infos[foreign].papers) == ("not a paperdeck library", None)
    assert (infos[damaged].state, infos[damaged].papers) == ("damaged", None)
    assert len(set(infos.values())) == 4  # frozen: hashable, for a dialog's lookups
    missing = backup.describe(tmp_path / "library-gone.db")
    assert (missing.size, missing.papers, missing.state) == (0, None, "not a paperdeck library")
    assert _open_fds(folder) == []


# -- restoring ------------------------------------------------------------------------------------

def _fts_ok(store: Store) -> None:
    store.db.execute("INSERT INTO search_text(search_text) VALUES ('integrity-check')")


def test_restore_in_place_replaces_everything_in_one_step(folder, store):
    with store.write():  # the search text was filled when this backup was made
        store.db.execute("UPDATE meta SET value = '1' WHERE key = 'search_text_generation'")
    old = backup.make_backup(store, folder)
    old_id = store.library_id
    _add(store, "Gamma later")
    with store.write() as gen:
        store.db.execute("INSERT INTO search_text (rowid, title, abstract, authors, notes, rev) "
                         "VALUES (3, 'gamma later', '', '', '', ?)", [gen])
        store.db.execute("UPDATE meta SET value = '5' WHERE key = 'search_text_generation'")
    generation = store.generation()
    before = backup.restore_backup(store, folder, old)
    assert "before-restore" in before.name and _papers(before) == ["Alpha robots", "Beta gardens",
                                                                    "Gamma later"]
    assert _papers(store.path) == ["Alpha robots", "Beta gardens"]
    assert store.generation() == generation + 1
    assert store.meta("search_text_generation") == "-1"
    assert store.db.execute("SELECT count(*) FROM search_text").fetchone()[0] == 0
    assert store.library_id not in (old_id, "") and store.meta("library_id") == store.library_id
    assert store.integrity_problems() == []
    _fts_ok(store)
    _add(store, "Written after")  # the store trusts the restored library
    undone = backup.restore_backup(store, folder, before)  # a restore can be undone
    assert "before-restore" in undone.name
    assert _papers(store.path) == ["Alpha robots", "Beta gardens", "Gamma later"]
    assert not list(backup.backups_dir(folder).glob("*.part"))
    assert _open_fds(folder) == []  # the prepared copy was closed, not only deleted


def test_restoring_the_oldest_backup_keeps_it(folder, store):
    made = [backup.make_backup(store, folder) for _ in range(7)]
    _add(store, "Later")
    backup.restore_backup(store, folder, made[0])
    assert made[0].exists() and _papers(store.path) == ["Alpha robots", "Beta gardens"]


def test_restore_takes_the_newer_generation_when_the_backup_has_more(folder, store):
    made = backup.make_backup(store, folder)
    conn = sqlite3.connect(made)
    conn.execute("UPDATE meta SET value = '900' WHERE key = 'generation'")
    conn.commit()
    conn.close()
    backup.restore_backup(store, folder, made)
    assert store.generation() == 901


def test_restoring_a_schema_1_backup_upgrades_it(tmp_path, folder, store):
    old = tmp_path / "old.db"
    _schema_1(old, "From schema 1")
    backup.restore_backup(store, folder, old)
    assert _papers(store.path) == ["From schema 1"]
    assert store.db.execute("SELECT fields FROM papers").fetchone()[0] == "{}"
    assert old.exists() and _papers(old) == ["From schema 1"]  # the backup itself untouched


def test_a_backup_that_cannot_be_upgraded_changes_nothing(tmp_path, folder, store):
    broken = tmp_path / "broken.db"
    _schema_1(broken, "Cannot upgrade")
    conn = sqlite3.connect(broken, isolation_level=None)
    MIGRATIONS[1](Database(conn))
    conn.execute("CREATE INDEX papers_doi_lower ON papers(doi)")
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        backup.restore_backup(store, folder, broken)
    assert _papers(store.path) == ["Alpha robots", "Beta gardens"]
    assert not list(backup.backups_dir(folder).glob("*.part"))


def test_a_restore_waits_for_no_one_and_changes_nothing_when_locked(folder, store):
    made = backup.make_backup(store, folder)
    _add(store, "Gamma later")
    store.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(LibraryLocked):
            backup.restore_backup(store, folder, made)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(_papers(store.path)) == 3
    backup.restore_backup(store, folder, made)  # nothing was left attached or half-done
    assert len(_papers(store.path)) == 2


def test_an_open_damaged_library_is_swapped_out_whole(folder):
    db = folder / "library.db"
    store = Store(db)
    _add(store, *(f"Paper {i}" for i in range(400)))
    good = backup.make_backup(store, folder)
    store.close()
    checkpoint(db)
    scribble_leaf(db)
    damaged_bytes = db.read_bytes()
    store = Store(db)
    try:
        kept = backup.restore_backup(store, folder, good)
        assert backup.DAMAGED in kept.name and kept.read_bytes() == damaged_bytes
        assert kept.stat().st_mode & 0o777 == 0o600
        assert len(_papers(db)) == 400 and store.integrity_problems() == []
        _add(store, "After the restore")
    finally:
        store.close()
    assert len(_papers(db)) == 401
    assert not list(backup.backups_dir(folder).glob("*.part"))


def test_restore_unreadable_drops_the_old_journal(tmp_path, folder):
    """A library that cannot be opened, with unsaved pages in its -wal: the journal is
    kept with the damaged copy, never applied to the restored file."""
    db = folder / "library.db"
    store = Store(db)
    _add(store, *(f"Paper {i}" for i in range(300)))
    good = backup.make_backup(store, folder)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.execute("PRAGMA wal_autocheckpoint = 0")
    with store.write():
        store.db.execute("UPDATE papers SET title = 'journal ' || id")
    wal = Path(f"{db}-wal").read_bytes()
    crash = tmp_path / "crash"  # the files as a crash leaves them
    crash.mkdir()
    for suffix in ("", "-wal"):
        (crash / f"library.db{suffix}").write_bytes(Path(f"{db}{suffix}").read_bytes())
    store.close()
    for suffix in ("", "-wal"):
        Path(f"{db}{suffix}").write_bytes((crash / f"library.db{suffix}").read_bytes())
    zero_root(db, "imports")
    with pytest.raises(LibraryCorrupt):
        Store(db)
    kept = backup.restore_unreadable(folder, good)
    assert Path(f"{kept}-wal").read_bytes() == wal
    assert Path(f"{kept}-wal").stat().st_mode & 0o777 == 0o600
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    assert _open_fds(folder) == []
    store = Store(db)
    try:
        titles = _papers(db)
        assert len(titles) == 300 and not any(t.startswith("journal") for t in titles)
        assert store.integrity_problems() == []
    finally:
        store.close()


def test_a_schema_1_backup_restored_over_an_unreadable_library_opens_current(tmp_path, folder):
    old = tmp_path / "old.db"
    _schema_1(old, "From schema 1")
    (folder / "library.db").write_bytes(b"")  # lost: 0 bytes
    backup.restore_unreadable(folder, old)
    store = Store(folder / "library.db")
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _papers(store.path) == ["From schema 1"] and store.integrity_problems() == []
    finally:
        store.close()


def test_restore_into_a_folder_without_a_library_leaves_a_placeholder(tmp_path, folder, store):
    good = backup.make_backup(store, folder)
    empty = tmp_path / "new-home"
    empty.mkdir()
    kept = backup.restore_unreadable(empty, good)
    assert kept.exists() and kept.stat().st_size == 0 and kept.stat().st_mode & 0o777 == 0o600
    assert _papers(empty / "library.db") == ["Alpha robots", "Beta gardens"]
    assert good.exists()


def test_tables_tells_virtual_tables_and_their_shadows_apart(store):
    plain, virtual = backup._tables(store.db.conn)
    assert virtual == ["search_text"]
    assert "papers" in plain and not any(name.startswith("search_text") for name in plain)
    assert "search_words" in plain


def test_a_backup_the_user_cannot_read_is_refused_plainly(store):
    """A backup made by `sudo paperdeck backup` (root's, 0600), restored as the user."""
    import tempfile

    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root, to make a file another user cannot read")
    made = backup.make_backup(store, store.path.parent)
    where = Path(tempfile.mkdtemp(prefix="paperdeck-perm-"))
    try:
        where.chmod(0o755)  # the folder can be searched; the file itself cannot be read
        theirs = where / made.name
        theirs.write_bytes(made.read_bytes())
        theirs.chmod(0o600)
        os.seteuid(65534)  # nobody
        try:
            with pytest.raises(InputError, match="Cannot open .*unable to open"):
                backup.check_backup(theirs)
            described = backup.describe(theirs)
        finally:
            os.seteuid(0)
        assert (described.state, described.papers) == ("not a paperdeck library", None)
    finally:
        import shutil

        shutil.rmtree(where)


def test_restores_rotate_to_seven_keeping_the_restored_and_the_safety_copy(tmp_path, folder, store):
    made = [backup.make_backup(store, folder) for _ in range(7)]
    before = backup.restore_backup(store, folder, made[0])
    kept = backup.list_backups(folder)
    assert len(kept) == 7 and made[0] in kept and before in kept
    lost = tmp_path / "lost"
    lost.mkdir()
    where = backup.backups_dir(lost)
    where.mkdir()
    for path in kept:
        (where / path.name).write_bytes(path.read_bytes())
    aside = backup.restore_unreadable(lost, where / made[0].name)
    again = backup.list_backups(lost)
    assert len(again) == 7 and where / made[0].name in again and aside in again


def test_restore_unreadable_checks_the_backup_first(tmp_path, folder):
    (folder / "library.db").write_bytes(b"damaged beyond reading" * 50)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a backup" * 100)
    with pytest.raises(InputError, match="not a paperdeck library backup"):
        backup.restore_unreadable(folder, junk)
    assert (folder / "library.db").read_bytes() == b"damaged beyond reading" * 50
    assert not backup.backups_dir(folder).exists()


def test_a_failed_swap_leaves_no_half_made_copy(tmp_path, folder, store):
    good = backup.make_backup(store, folder)
    odd = tmp_path / "odd"
    (odd / "library.db").mkdir(parents=True)  # a folder where the file should be
    with pytest.raises(OSError):
        backup.restore_unreadable(odd, good)
    assert not list(backup.backups_dir(odd).glob("*.part"))
