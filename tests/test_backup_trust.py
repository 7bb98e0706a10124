"""Backups you can trust (issue 13, items 1, 2, 8, 13): a restore never deletes what it
restores, a damaged library is reported instead of copied over the good backups, clocks
that were wrong do not eat new backups, and the messages point to what works.

Every case runs real processes on real files damaged on disk; nothing is mocked."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from damage import checkpoint, empty_root, scribble_leaf, zero_root
from paperdeck.core import backup
from paperdeck.core.errors import LibraryCorrupt
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

BODY = "A study of robots that learn to walk on ice, with many words to fill the page. " * 12


def _fill(folder: Path, n: int, prefix: str = "Paper") -> None:
    with Library.open(folder, sync_index=False, backup=False) as lib:
        lib.add([Draft(title=f"{prefix} {i} on robots", abstract=BODY) for i in range(n)],
                raw_text="seed", fmt="test")


def _cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(folder)}
    return subprocess.run([sys.executable, "-m", "paperdeck", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def _one_line_failure(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def _papers(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    finally:
        conn.close()


def _age_all(folder: Path, days: float) -> None:
    for path in backup.list_backups(folder):
        then = os.stat(path).st_mtime - days * 24 * 3600
        os.utime(path, (then, then))


def test_restoring_the_oldest_backup_keeps_it(data_dir):
    """Item 1: the safety backup made first used to rotate the oldest away, then fail."""
    _fill(data_dir, 3)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        made = []
        for i in range(backup.KEEP):
            made.append(lib.backup())
            lib.add([Draft(title=f"Later {i}")], raw_text="x", fmt="t")
    oldest = made[0]
    done = _cli(data_dir, "restore-backup", str(oldest))
    assert done.returncode == 0, done.stderr
    assert "Restored 3 papers" in done.stdout
    assert oldest.exists() and _papers(oldest) == 3
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        assert len(lib.ids()) == 3 and lib.check() == []


@pytest.mark.parametrize("harm", [zero_root, empty_root])
def test_a_damaged_papers_root_is_reported_at_open(data_dir, harm):
    """Item 2: with the papers root page damaged, `list` printed nothing and exited 0 and
    `tag` succeeded. Now every command says so in one line and offers the backups."""
    _fill(data_dir, 300)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        good = lib.backup()
    db = data_dir / "library.db"
    checkpoint(db)
    harm(db)
    for args in (["list"], ["tag", "1", "--add", "x"], ["export"], ["dump"], ["check"]):
        line = _one_line_failure(_cli(data_dir, *args))
        assert "damaged" in line and str(db) in line, line
        assert "restore-backup" in line and "backup --list" in line
        assert "(paperdeck restore)" not in line
        assert f"The newest backup is {good} (" in line  # the backups offered


def test_open_probe_is_cheap_and_passes_healthy_libraries(data_dir):
    _fill(data_dir, 50)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        assert len(lib.ids()) == 50


def test_seven_days_of_a_damaged_library_keep_the_good_backup(data_dir):
    """Item 2, as reported: damage the probe cannot see, seven daily opens. Each open now
    fails (the backup's integrity check finds the damage), no damaged copy is kept, the
    good backup survives, and restore-backup of it brings every paper back."""
    _fill(data_dir, 400)
    first = _cli(data_dir, "list")  # the first open of the day makes the good backup
    assert first.returncode == 0 and len(backup.list_backups(data_dir)) == 1
    good = backup.list_backups(data_dir)[0]
    db = data_dir / "library.db"
    checkpoint(db)
    scribble_leaf(db)
    for _ in range(7):
        _age_all(data_dir, 1.5)
        line = _one_line_failure(_cli(data_dir, "list"))
        assert "damaged" in line and "restore-backup" in line
    assert backup.list_backups(data_dir) == [good]
    listed = _cli(data_dir, "backup", "--list")
    assert listed.returncode == 0 and f"400 papers  ok          {good}" in listed.stdout
    restored = _cli(data_dir, "restore-backup", str(good))
    assert restored.returncode == 0, restored.stderr
    assert "Restored 400 papers" in restored.stdout
    kept = restored.stdout.split("saved in ", 1)[1].split(";")[0]
    assert "damaged" in kept and Path(kept).exists()  # the damaged file, kept as it was
    assert _cli(data_dir, "check").returncode == 0
    assert len(_cli(data_dir, "list").stdout.splitlines()) == 400


def test_rotation_never_removes_the_newest_good_backup(data_dir):
    _fill(data_dir, 2)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        good = lib.backup()
    where = backup.backups_dir(data_dir)
    for i in range(backup.KEEP + 2):  # copies of a damaged library, e.g. from restores
        stamp = datetime.fromtimestamp(time.time() + 1 + i, UTC).strftime("%Y%m%d-%H%M%S-%f")
        later = where / f"library-{stamp}-before-restore-damaged.db"
        later.write_bytes(b"junk")
    backup.rotate(data_dir)
    kept = backup.list_backups(data_dir)
    assert good in kept and len(kept) == backup.KEEP


def test_a_backup_of_a_damaged_library_is_refused_and_rotates_nothing(data_dir):
    _fill(data_dir, 400)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        made = [lib.backup() for _ in range(3)]
    db = data_dir / "library.db"
    checkpoint(db)
    scribble_leaf(db)
    line = _one_line_failure(_cli(data_dir, "backup"))
    assert "damaged" in line and "existing ones are kept" in line
    assert backup.list_backups(data_dir) == made
    assert not list(backup.backups_dir(data_dir).glob("*.part"))


def test_backups_dated_in_the_future_do_not_eat_new_ones(data_dir):
    """Item 8: with the clock once a year ahead, every new backup was deleted at once while
    "Backed up the library to X" was printed; the daily backup was never due either."""
    _fill(data_dir, 2)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        made = [lib.backup() for _ in range(backup.KEEP)]
    ahead = time.time() + 365 * 24 * 3600
    for i, path in enumerate(made):
        stamp = datetime.fromtimestamp(ahead + i, UTC).strftime("%Y%m%d-%H%M%S-%f")
        moved = path.with_name(f"library-{stamp}.db")
        path.rename(moved)
        os.utime(moved, (ahead + i, ahead + i))
    assert backup.is_due(data_dir)  # nothing made at a believable time
    done = _cli(data_dir, "backup")
    assert done.returncode == 0
    new = Path(done.stdout.split(" to ", 1)[1].strip())
    assert new.exists() and backup.list_backups(data_dir)[-1] == new
    assert not backup.is_due(data_dir)
    assert len(backup.list_backups(data_dir)) == backup.KEEP


def test_backup_list_shows_date_size_papers_and_state(data_dir):
    """Item 13: `backup --list` says which backups can be restored."""
    _fill(data_dir, 5)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        good = lib.backup()
        lib.add([Draft(title="Sixth")], raw_text="x", fmt="t")
        newer = lib.backup()
    broken = backup.backups_dir(data_dir) / "library-20200101-000000-000000.db"
    broken.write_bytes(good.read_bytes())
    checkpoint(broken)
    zero_root(broken, "tags")
    rows = _cli(data_dir, "backup", "--list").stdout.strip().splitlines()
    assert len(rows) == 3 and rows[0].endswith(str(broken))  # oldest first
    assert "damaged" in rows[0] and ("2020-01-01" in rows[0] or "2019-12-31" in rows[0])
    assert "      5 papers  ok" in rows[1] and rows[1].endswith(str(good))
    assert "      6 papers  ok" in rows[2] and rows[2].endswith(str(newer))
    assert " MB " in rows[2]
    refused = _one_line_failure(_cli(data_dir, "restore-backup", str(broken)))
    assert "damaged" in refused and "choose another" in refused


@pytest.mark.parametrize("harm", ["zero-root", "empty-file", "scribble"])
def test_restore_backup_works_exactly_when_the_library_is_damaged(data_dir, harm):
    """Item 13: restore-backup used to refuse on a damaged library, the one time it is
    needed. The damaged file is kept (as it was) beside the backups."""
    _fill(data_dir, 300)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        good = lib.backup()
    db = data_dir / "library.db"
    checkpoint(db)
    if harm == "zero-root":
        zero_root(db)
    elif harm == "scribble":
        scribble_leaf(db)
    else:
        db.write_bytes(b"")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    done = _cli(data_dir, "restore-backup", str(good))
    assert done.returncode == 0, done.stderr
    kept = Path(done.stdout.split("saved in ", 1)[1].split(";")[0])
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == before
    assert _cli(data_dir, "check").returncode == 0
    with Library.open(data_dir, backup=False) as lib:
        assert len(lib.ids()) == 300 and lib.ids("robots")
    assert good.exists()


def test_an_open_library_restores_over_damage_in_process(data_dir):
    """The window's path: the library opened (the probe saw nothing), then the restore
    finds the safety copy damaged and swaps the file instead."""
    _fill(data_dir, 300)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        good = lib.backup()
    db = data_dir / "library.db"
    checkpoint(db)
    scribble_leaf(db)
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        with pytest.raises(LibraryCorrupt):
            lib.backup()
        kept = lib.restore_backup(good)
        assert "damaged" in kept.name
        assert len(lib.ids()) == 300 and lib.check() == []
        lib.add_tags([1], ["after"])
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        assert lib.ids("tag:after") == [1]
