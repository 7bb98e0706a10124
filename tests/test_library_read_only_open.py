"""`Library.open` where nothing can be written: a read-only disk (a real tmpfs mounted
read-only; we run as root, so `chmod` would not stop a write), a database file mounted
read-only in a writable folder, and a library that is not there at all."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperdeck.core.errors import LibraryReadOnly
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.upkeep import READ_ONLY_NOTE


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")


@contextlib.contextmanager
def read_only_disk(where: Path, fill=None) -> Iterator[Path]:
    """A small tmpfs at `where`, filled by `fill(where)` while writable, then read-only."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; a read-only disk cannot be simulated")
    where.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(where))
    try:
        if fill is not None:
            fill(where)
        _mount("-o", "remount,ro", str(where))
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _library(folder: Path) -> None:
    with Library.open(folder, backup=False) as lib:
        lib.add([Draft(title="Robots on ice"), Draft(title="Gardens")], raw_text="x", fmt="t")


def test_a_library_on_a_read_only_disk_opens_read_only_and_says_so(tmp_path):
    with (read_only_disk(tmp_path / "mnt", lambda m: _library(m / "library")) as mnt,
          Library.open(mnt / "library") as lib):  # the daily backup is not even tried
        assert lib.store.read_only and lib.notes == [READ_ONLY_NOTE]
        assert lib.ids("robots") == [1] and lib.counts()["all"] == 2
        with pytest.raises(LibraryReadOnly, match="cannot be written"):
            lib.set_status([1], "read")


def test_an_empty_folder_on_a_read_only_disk_has_no_library_to_open(tmp_path):
    with read_only_disk(tmp_path / "mnt", lambda m: (m / "library").mkdir()) as mnt:
        with pytest.raises(LibraryReadOnly) as info:
            Library.open(mnt / "library")
        db = mnt / "library" / "library.db"
        assert str(info.value) == f"There is no library at {db} to open read-only."


def test_no_folder_on_a_read_only_disk_says_none_can_be_created(tmp_path):
    with (read_only_disk(tmp_path / "mnt") as mnt,
          pytest.raises(LibraryReadOnly, match=f"^There is no library in {mnt / 'library'}, "
                                               "and none can be created there: ")):
        Library.open(mnt / "library")


def test_a_read_only_open_of_a_missing_library_is_refused(tmp_path):
    with pytest.raises(LibraryReadOnly, match="^There is no library at .* to open read-only"):
        Library.open(tmp_path / "nowhere", read_only=True)
    assert not (tmp_path / "nowhere").exists()  # nothing made on the way


def test_a_database_file_mounted_read_only_opens_read_only(tmp_path):
    """The folder can be written, the database cannot: read-only, said once."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("a bind mount needs root")
    folder = tmp_path / "library"
    _library(folder)
    db = folder / "library.db"
    _mount("--bind", str(db), str(db))
    try:
        _mount("-o", "remount,bind,ro", str(db))
        with Library.open(folder) as lib:
            assert lib.store.read_only and lib.notes == [READ_ONLY_NOTE]
            assert lib.ids("gardens") == [2]
    finally:
        subprocess.run(["umount", "-l", str(db)], capture_output=True)


def _library_with_unsaved_journal(mnt: Path) -> None:
    """A copy of a library taken while it was open: its -wal holds pages not yet in the
    database file, and there is no -shm (what a copied or unplugged disk holds)."""
    import shutil

    live, copy = mnt / "live", mnt / "library"
    copy.mkdir(mode=0o700)
    with Library.open(live, backup=False) as lib:
        lib.add([Draft(title="Robots on ice"), Draft(title="Gardens")], raw_text="x", fmt="t")
        assert (live / "library.db-wal").stat().st_size > 0
        for name in ("library.db", "library.db-wal"):
            shutil.copyfile(live / name, copy / name)


def test_a_read_only_disk_with_an_unsaved_journal_is_read_in_full_and_says_so(tmp_path):
    with (read_only_disk(tmp_path / "mnt", _library_with_unsaved_journal) as mnt,
          Library.open(mnt / "library") as lib):
        assert lib.notes == [READ_ONLY_NOTE, "The library is on a read-only disk with unsaved "
                             "journal changes; paperdeck reads a full private copy of it."]
        assert lib.counts()["all"] == 2 and lib.ids("gardens") == [2]
