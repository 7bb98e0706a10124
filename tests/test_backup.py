"""Rotating daily backups, and a restore that can itself be undone."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from paperdeck.core import backup
from paperdeck.core.errors import InputError
from paperdeck.core.library import Library
from paperdeck.core.models import Draft


def _add(lib: Library, *titles: str) -> None:
    lib.add([Draft(title=t) for t in titles], raw_text="\n".join(titles), fmt="test")


def _age(path, days: float) -> None:
    then = time.time() - days * 24 * 3600
    os.utime(path, (then, then))


def test_open_makes_one_backup_a_day(data_dir):
    with Library.open(data_dir) as lib:
        _add(lib, "Alpha robots")
    assert backup.list_backups(data_dir) == []  # nothing to keep in an empty library
    with Library.open(data_dir):
        pass
    first = backup.list_backups(data_dir)
    assert len(first) == 1
    with Library.open(data_dir):
        pass
    assert backup.list_backups(data_dir) == first  # not again the same day
    _age(first[0], 1.5)
    with Library.open(data_dir, sync_index=False):
        pass
    assert len(backup.list_backups(data_dir)) == 2
    with Library.open(data_dir, read_only=True, sync_index=False):
        pass
    assert len(backup.list_backups(data_dir)) == 2


def test_backups_are_complete_private_and_rotated(data_dir):
    with Library.open(data_dir, backup=False) as lib:
        _add(lib, "Alpha robots", "Beta gardens")
        made = [lib.backup() for _ in range(backup.KEEP + 3)]
    kept = backup.list_backups(data_dir)
    assert kept == made[-backup.KEEP:]
    assert (data_dir / "backups").stat().st_mode & 0o777 == 0o700
    for path in kept:
        assert path.stat().st_mode & 0o777 == 0o600
        assert not path.with_name(path.name + "-wal").exists()
        backup.check_backup(path)
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 2
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()


def test_restore_is_undoable_and_rebuilds_the_index(data_dir):
    with Library.open(data_dir, backup=False) as lib:
        _add(lib, "Alpha robots")
        old = lib.backup()
        _add(lib, "Beta gardens")
        lib.add_tags(lib.ids(), ["kept"])
        library_id = lib.store.meta("library_id")
        before = lib.restore_backup(old)
        assert "before-restore" in before.name
        assert [p.title for p in lib.papers(lib.ids())] == ["Alpha robots"]
        assert lib.ids("gardens") == [] and lib.ids("robots") == [1]
        assert lib.store.meta("library_id") not in (library_id, "")
        assert lib.check() == []
        assert lib.undo() is None  # undo history belonged to the replaced library
        lib.restore_backup(before)  # undo the restore
        assert len(lib.ids()) == 2 and lib.ids("tag:kept") and lib.ids("gardens") == [2]
        assert lib.check() == []
    with Library.open(data_dir) as lib:  # a later open trusts the rebuilt index
        assert lib.notes == [] and lib.check() == []


def test_restore_refuses_what_is_not_a_backup(data_dir, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with Library.open(data_dir, backup=False) as lib:
        _add(lib, "Alpha robots")
        for bad in (junk, other, tmp_path / "missing.db"):
            with pytest.raises(InputError):
                lib.restore_backup(bad)
        assert [p.title for p in lib.papers(lib.ids())] == ["Alpha robots"]
        assert backup.list_backups(data_dir) == []  # refused before anything was touched


def test_cli_backup_and_restore(data_dir):
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "paperdeck", *args], capture_output=True,
                              env=env, timeout=120, text=True)

    with Library.open(data_dir, backup=False) as lib:
        _add(lib, "Alpha robots")
    made = run("backup")
    assert made.returncode == 0 and "backups/library-" in made.stdout
    path = made.stdout.split(" to ", 1)[1].strip()
    listed = run("backup", "--list").stdout.strip().splitlines()
    assert len(listed) == 1 and listed[0].endswith(f"  {path}")
    assert " 1 papers  ok " in listed[0]
    with Library.open(data_dir, backup=False) as lib:
        _add(lib, "Beta gardens")
    restored = run("restore-backup", path)
    assert restored.returncode == 0, restored.stderr
    assert "Restored 1 papers" in restored.stdout and "before-restore" in restored.stdout
    assert "healthy" in run("check").stdout
    bad = run("restore-backup", str(data_dir / "nope.db"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_a_failed_automatic_backup_is_a_note_not_a_failure(data_dir):
    with Library.open(data_dir) as lib:
        _add(lib, "Alpha robots")
    (data_dir / "backups").write_text("a file where the folder should be")
    with Library.open(data_dir) as lib:
        assert any("backup could not be made" in note for note in lib.notes), lib.notes
        assert len(lib.ids()) == 1
