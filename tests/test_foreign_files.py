"""A `library.db` that is not a paperdeck library, or not all there (issue 13, items 6, 7
and the "foreign database with a papers table" traceback of item 11): refused by name,
never written to; a read-only medium's journal read in full or not at all."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.core.errors import LibraryCorrupt
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from test_resilience_storage import _remount_ro, tmpfs


def _cli(folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(folder)}
    return subprocess.run([sys.executable, "-m", "paperdeck", *args], capture_output=True,
                          text=True, env=env, timeout=120, input=stdin)


def _foreign(db: Path, kind: str) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    if kind == "empty":
        db.write_bytes(b"")
        return
    conn = sqlite3.connect(db)
    if kind == "papers-table":  # another reading app's file: a papers table, no version
        conn.execute("CREATE TABLE papers (id INTEGER PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO papers (title) VALUES ('Somebody else''s paper')")
    else:  # an app that versions its schema too
        conn.execute("PRAGMA user_version = 3")
        conn.execute("CREATE TABLE papers (id INTEGER PRIMARY KEY, title TEXT)")
        conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()


def _state(folder: Path) -> tuple[str, list[str]]:
    db = folder / "library.db"
    return hashlib.sha256(db.read_bytes()).hexdigest(), sorted(os.listdir(folder))


@pytest.mark.parametrize("kind", ["empty", "papers-table", "versioned"])
def test_a_database_that_is_not_a_library_is_refused_and_untouched(data_dir, kind):
    db = data_dir / "library.db"
    _foreign(db, kind)
    before = _state(data_dir)
    digest = "arXiv:2401.00001\n"
    for args in (["list"], ["import"], ["check"], ["tag", "1", "--add", "x"], ["backup"],
                 ["dump"]):
        done = _cli(data_dir, *args, stdin=digest)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert str(db) in done.stderr and "restore-backup" in done.stderr
        assert ("empty" if kind == "empty" else "not a paperdeck library") in done.stderr
    assert _state(data_dir) == before  # not a byte written, no -wal, no backups/ folder
    with pytest.raises(LibraryCorrupt):
        Library.open(data_dir)
    assert _state(data_dir) == before


def test_a_backup_can_replace_a_foreign_file_and_keeps_it(data_dir, tmp_path):
    """The way out the message offers works: the foreign file is kept in backups/."""
    source = tmp_path / "source"
    with Library.open(source, sync_index=False, backup=False) as lib:
        lib.add([Draft(title="Mine")], raw_text="x", fmt="t")
        good = lib.backup()
    _foreign(data_dir / "library.db", "papers-table")
    theirs = (data_dir / "library.db").read_bytes()
    done = _cli(data_dir, "restore-backup", str(good))
    assert done.returncode == 0, done.stderr
    kept = Path(done.stdout.split("saved in ", 1)[1].split(";")[0])
    assert kept.read_bytes() == theirs
    assert "Mine" in _cli(data_dir, "list").stdout


def test_a_new_library_is_still_created(data_dir):
    with Library.open(data_dir) as lib:
        assert lib.ids() == []
    with Library.open(data_dir) as lib:  # and reopened: it is ours
        assert lib.store.library_id


def test_read_only_medium_with_a_journal_but_no_index_shows_everything(tmp_path):
    """Item 7: a read-only copy of a library taken while it was open (library.db and
    -wal, no -shm) used to open `immutable`: 20 of 139 papers missing from `list` and
    `dump`, which reported success. Now the journal is read in full."""
    with tmpfs(tmp_path / "mnt", "16m") as mnt:
        source = tmp_path / "source"
        lib = Library.open(source, sync_index=False, backup=False)
        try:
            lib.add([Draft(title=f"Settled {i}") for i in range(119)], raw_text="a", fmt="t")
            lib.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            lib.store.db.execute("PRAGMA wal_autocheckpoint = 0")
            lib.add([Draft(title=f"Journal {i}") for i in range(20)], raw_text="b", fmt="t")
            folder = mnt / "library"
            folder.mkdir()
            for name in ("library.db", "library.db-wal"):  # as a copy of an open library is
                (folder / name).write_bytes((source / name).read_bytes())
        finally:
            lib.close()
        assert (folder / "library.db-wal").stat().st_size > 0
        _remount_ro(mnt)
        with Library.open(folder, sync_index=False) as ro:
            assert ro.store.read_only and len(ro.ids()) == 139
            assert any("private copy" in note for note in ro.notes)
        listed = _cli(folder, "list")
        assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 139
        dumped = _cli(folder, "dump")
        assert dumped.returncode == 0 and dumped.stdout.count('"type": "paper"') == 139
        assert sorted(os.listdir(folder)) == ["library.db", "library.db-wal"]
