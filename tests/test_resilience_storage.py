"""The medium misbehaves: a read-only disk, a full disk, a file-size limit; and privacy.

We run as root in CI, so `chmod` cannot stop a write: a read-only or full disk is a real
tmpfs mount (skipped, saying why, where mounting is not allowed). The file-size limit
(RLIMIT_FSIZE) needs no privileges.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from paperdeck.core.errors import DiskFull, LibraryReadOnly
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

POSIX = os.name == "posix"


def _ids_digest(n: int, start: int = 0) -> str:
    return "\n".join(f"arXiv:2402.{i:05d}" for i in range(start, start + n)) + "\n"


@contextlib.contextmanager
def tmpfs(where: Path, size: str):
    where.mkdir(parents=True, exist_ok=True)
    if not POSIX or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; a read-only or full disk cannot be simulated")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(where)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _remount_ro(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


def _counts(db: Path) -> tuple[int, int, str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return (conn.execute("SELECT count(*) FROM papers").fetchone()[0],
                conn.execute("SELECT count(*) FROM imports").fetchone()[0],
                conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_read_only_disk_opens_read_only_and_refuses_writes_plainly(tmp_path):
    with tmpfs(tmp_path / "mnt", "8m") as mnt:
        folder = mnt / "library"
        with Library.open(folder) as lib:
            ids = lib.import_text(_ids_digest(30), tags=["t"]).ids
            lib.add([Draft(title="Robots on ice")], raw_text="r", fmt="t")
        _remount_ro(mnt)
        with Library.open(folder) as lib:
            assert lib.store.read_only and "read-only" in lib.notes[0]
            assert len(lib.ids()) == 31 and lib.ids("robots") == [31]
            assert lib.ids("tag:t") == ids and lib.check() == []
            writes = [
                lambda: lib.add_tags(ids[:2], ["new"]),
                lambda: lib.set_status(ids[:1], "read"),
                lambda: lib.move(ids[-1:], to="top"),
                lambda: lib.trash(ids[:1]),
                lambda: lib.update(ids[0], notes="x"),
                lambda: lib.import_text(_ids_digest(3, 500)),
                lambda: lib.backup(),
                lambda: lib.restore_backup(folder / "library.db"),
                lambda: lib.load(['{"type": "header"}']),
            ]
            for write in writes:
                with pytest.raises((LibraryReadOnly, OSError)) as err:
                    write()
                assert err.type is LibraryReadOnly, err.value
                assert "read-only" in str(err.value) or "cannot be written" in str(err.value)
        env = {**os.environ, "PAPERDECK_DATA_DIR": str(folder)}
        cli = [sys.executable, "-m", "paperdeck"]
        listed = subprocess.run([*cli, "list"], capture_output=True, text=True, env=env)
        assert listed.returncode == 0 and "Robots on ice" in listed.stdout
        tagged = subprocess.run([*cli, "tag", "1", "--add", "x"], capture_output=True, text=True,
                                env=env)
        assert tagged.returncode == 1 and "read-only" in tagged.stderr
        assert "Traceback" not in tagged.stderr


def test_read_only_open_of_a_missing_library_says_so(tmp_path):
    with tmpfs(tmp_path / "mnt", "1m") as mnt:
        _remount_ro(mnt)
        with pytest.raises(LibraryReadOnly, match="no library .* none can be created"):
            Library.open(mnt / "library")


def test_full_disk_fails_plainly_and_writes_nothing(tmp_path):
    with tmpfs(tmp_path / "mnt", "3m") as mnt:
        folder = mnt / "library"
        with Library.open(folder, backup=False) as lib:
            lib.import_text(_ids_digest(20))
        before = _counts(folder / "library.db")
        with Library.open(folder, backup=False) as lib:
            filler = mnt / "filler"
            with open(filler, "wb") as fh:  # leave ~64 KiB free
                free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
                fh.write(b"\0" * max(0, free - 64 * 1024))
            big = _ids_digest(3000, 100) + ("% padding " * 4000)
            with pytest.raises(DiskFull) as err:
                lib.import_text(big)
            assert "disk is full" in str(err.value).lower() or "disk" in str(err.value)
            assert len(lib.ids()) == 20
            filler.unlink()
            lib.import_text(_ids_digest(5, 9000))  # space again: writes work again
            assert len(lib.ids()) == 25
            assert lib.check() == []
        assert _counts(folder / "library.db") == (before[0] + 5, before[1] + 1, "ok")


FSIZE_CHILD = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    from paperdeck.core.library import Library
    from paperdeck.core.errors import PaperdeckError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    lib = Library.open(Path(sys.argv[1]), backup=False)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
    text = "\\n".join(f"arXiv:2403.{i:05d}" for i in range(3000)) + "% pad" * 20000
    try:
        lib.import_text(text)
    except PaperdeckError as exc:
        print(type(exc).__name__, exc)
    else:
        print("no error")
""")


def test_file_size_limit_fails_plainly_and_writes_nothing(tmp_path):
    folder = tmp_path / "library"
    with Library.open(folder, backup=False) as lib:
        lib.import_text(_ids_digest(20))
    before = _counts(folder / "library.db")
    proc = subprocess.run([sys.executable, "-c", FSIZE_CHILD, str(folder), str(128 * 1024)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("DiskFull "), proc.stdout + proc.stderr
    assert "nothing was saved" in proc.stdout
    assert _counts(folder / "library.db") == before
    with Library.open(folder) as lib:
        assert lib.check() == []
        lib.import_text(_ids_digest(2, 7000))
        assert len(lib.ids()) == 22


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_library_files_are_private(tmp_path):
    folder = tmp_path / "library"
    old = os.umask(0o022)  # a typical umask: files would be world-readable by default
    try:
        with Library.open(folder, backup=False) as lib:
            lib.add([Draft(title="Private notes")], raw_text="x", fmt="t")
            assert (folder / "library.db-wal").exists() and (folder / "library.db-shm").exists()
            for name in ("library.db", "library.db-wal", "library.db-shm"):
                assert (folder / name).stat().st_mode & 0o777 == 0o600, name
            made = lib.backup()
            assert made.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o700
    for path in folder.rglob("*"):
        if path.is_dir():  # every folder (index/, backups/) is user-only, so nothing in it
            assert path.stat().st_mode & 0o077 == 0, path  # can be read by anyone else
    assert (folder / "index").stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_an_existing_open_folder_is_made_private(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with Library.open(folder):
        pass
    assert folder.stat().st_mode & 0o777 == 0o700


def test_full_disk_at_open_still_opens_and_searches(tmp_path):
    with tmpfs(tmp_path / "mnt", "16m") as mnt:
        folder = mnt / "library"
        words = ["robot", "garden", "proof", "lemma", "kernel", "graph"]
        drafts = [Draft(title=f"{words[i % 6]} study {i}",
                        abstract=" ".join(f"w{(i * 7 + j) % 997}x{j}" for j in range(60)))
                  for i in range(300)]
        with Library.open(folder, backup=False) as lib:
            lib.index.ready = False
            lib.add(drafts, raw_text="x", fmt="t")
        filler = mnt / "filler"
        with open(filler, "wb") as fh:  # leave ~256 KiB: SQLite opens, an index does not fit
            free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
            fh.write(b"\0" * max(0, free - 256 * 1024))
        with Library.open(folder, backup=False) as lib:
            assert any("could not be rebuilt" in note for note in lib.notes), lib.notes
            assert not lib.index.ready
            assert len(lib.ids("lemma")) == 50  # answered from SQLite meanwhile
        assert not (mnt / "library" / "index.new").exists()
        filler.unlink()
        with Library.open(folder, backup=False) as lib:  # space again: the index is rebuilt
            assert lib.index.ready and len(lib.ids("lemma")) == 50
            assert lib.check() == []


def test_failed_index_commit_gives_the_space_back(tmp_path):
    """A catch-up that hits a full disk after the SQLite commit leaves no half segment."""
    with tmpfs(tmp_path / "mnt", "16m") as mnt:
        folder = mnt / "library"
        with Library.open(folder, backup=False) as lib:
            lib.add([Draft(title=f"Robot {i}") for i in range(20)], raw_text="x", fmt="t")
            index_files = sorted(p.name for p in (folder / "index").iterdir())
            filler = mnt / "filler"
            with open(filler, "wb") as fh:
                free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
                fh.write(b"\0" * max(0, free - 768 * 1024))
            big = [Draft(title=f"Garden {i}", abstract=" ".join(f"w{i}x{j}" for j in range(300)))
                   for i in range(60)]
            lib.index.ready = True
            try:
                lib.add(big, raw_text="y", fmt="t")  # SQLite has room; the index does not
            except DiskFull:
                pytest.skip("the database itself did not fit; nothing to learn about the index")
            assert sorted(p.name for p in (folder / "index").iterdir()) == index_files
            filler.unlink()
        with Library.open(folder, backup=False) as lib:
            assert len(lib.ids("garden")) == 60 and lib.check() == []
