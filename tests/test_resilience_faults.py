"""Faults from outside, with real processes and real files (issue 13, items 11 and 15):
concurrent rebuilds of the search index, concurrent imports, a read-only mount, a full
disk and a `backups` that is a file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.core.library import Library
from paperdeck.core.models import Draft


def _start(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}
    return subprocess.Popen([sys.executable, "-m", "paperdeck", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    proc = _start(data_dir, *args)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _library(folder: Path, n: int) -> Path:
    drafts = [Draft(title=f"Paper {i} on {('robots', 'gardens', 'proofs')[i % 3]}",
                    abstract=f"We study {('robots', 'gardens', 'proofs')[i % 3]} number {i}.",
                    authors=[f"A. Writer{i % 97}"], year=2000 + i % 25) for i in range(n)]
    with Library.open(folder, sync_index=False, backup=False) as lib:
        lib.index.ready = False
        lib.add(drafts, raw_text="prepared", fmt="test")
    return folder


@pytest.mark.slow
def test_concurrent_rebuilds_never_delete_each_others_files(tmp_path):
    """Issue 13 item 15: with the index missing, three commands open the library at once
    and each would rebuild it, into the same `index.new`; a `reindex` runs as well. Every
    one must succeed, and the index they leave must check out."""
    folder = _library(tmp_path / "library", 1500)
    shutil.rmtree(folder / "index", ignore_errors=True)
    procs = [_start(folder, "reindex")]
    procs += [_start(folder, "list", "--query", "robots", "--json") for _ in range(3)]
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    for proc, _out, err in results:
        assert proc.returncode == 0 and "Traceback" not in err, err
    for _proc, out, _err in results[1:]:
        assert out.count('"id"') == 500, out[:300]
    check = _run(folder, "check")
    assert check.returncode == 0, check.stderr
    left = {p.name for p in folder.iterdir() if p.name.startswith("index")}
    assert left <= {"index", "index.lock", "index.rebuild.lock"}, left


def test_lock_files_are_private_files_not_executables(tmp_path):
    """Issue 13 item 16: the index's lock files are created 0600, like every other file."""
    from conftest import SAMPLE

    folder = tmp_path / "library"
    assert _run(folder, "import", str(SAMPLE)).returncode == 0
    assert _run(folder, "reindex").returncode == 0
    locks = [folder / "index.lock", folder / "index.rebuild.lock", folder / "index" / "MAIN_WRITELOCK"]
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in locks}
    assert modes == {p.name: "0o600" for p in locks}


IMPORT_LOOP = """
import json, sys
from pathlib import Path
from paperdeck.core.errors import LibraryLocked
from paperdeck.core.library import Library
worker, rounds = int(sys.argv[2]), int(sys.argv[3])
done, busy = 0, 0
with Library.open(Path(sys.argv[1]), backup=False) as lib:
    for i in range(rounds):
        digest = "\\n".join(f"arXiv:2403.{worker}{i:02d}{k:02d}" for k in range(3))
        try:
            lib.import_text(digest, source=f"loop {worker}")
            done += 1
        except LibraryLocked:
            busy += 1
print(json.dumps({"done": done, "busy": busy}))
"""


def test_parallel_imports_never_collide_on_paper_ids(tmp_path):
    """Issue 13 item 11: three processes importing in loops (the window and two commands,
    say) took new ids before their write transaction began, so two could pick the same id
    and one failed with `UNIQUE constraint failed: papers.id`. Every import must land
    (or, at worst, report the library busy), with distinct ids and citation keys."""
    import json
    import sqlite3

    folder = _library(tmp_path / "library", 30)
    rounds = 25
    procs = [subprocess.Popen([sys.executable, "-c", IMPORT_LOOP, str(folder), str(w), str(rounds)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in (1, 2, 3)]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err[-2000:]
    done = sum(json.loads(out)["done"] for out, _err in results)
    assert done == 3 * rounds
    conn = sqlite3.connect(folder / "library.db")
    papers = conn.execute("SELECT count(*), count(DISTINCT citekey) FROM papers").fetchone()
    imports = conn.execute("SELECT count(*) FROM imports").fetchone()[0]
    linked = conn.execute("SELECT count(DISTINCT import_id) FROM papers").fetchone()[0]
    conn.close()
    assert papers == (30 + 3 * done, 30 + 3 * done)
    assert imports == linked == 1 + done  # each import's papers point at its own record


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def imported(tmp_path) -> Path:
    from conftest import SAMPLE

    folder = tmp_path / "library"
    assert _run(folder, "import", str(SAMPLE)).returncode == 0
    return folder


def _one_line(proc: subprocess.CompletedProcess, *words: str) -> str:
    """The command failed with one plain line on stderr, naming what went wrong."""
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("paperdeck: "), proc.stderr
    assert "Traceback" not in proc.stderr
    assert all(w in lines[0].lower() for w in words), lines[0]
    return lines[0]


def test_reindex_on_a_read_only_mount_says_so_in_one_line(imported, tmp_path):
    """Issue 13 item 11: a real read-only bind mount of the library (EROFS for every write,
    even root's)."""
    view = tmp_path / "read-only"
    view.mkdir()
    if not (_mount("--bind", str(imported), str(view))):
        pytest.skip("needs mount (root): a bind mount made read-only gives a real EROFS")
    try:
        if not _mount("-o", "remount,ro,bind", str(view)):
            pytest.skip("cannot remount read-only here")
        _one_line(_run(view, "reindex"), "read-only")
        listed = _run(view, "list", "--query", "robot")  # still searchable, from SQLite
        assert listed.returncode == 0 and listed.stdout.strip(), listed.stderr
    finally:
        subprocess.run(["umount", str(view)], capture_output=True)


def test_reindex_on_a_full_disk_says_so_in_one_line_and_keeps_the_index(imported, tmp_path):
    """Issue 13 item 11: a real full disk (a small tmpfs filled to the last byte): ENOSPC
    while the fresh index is written. The old index stays, nothing half-built is left."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)):
        pytest.skip("needs mount (root): a small tmpfs gives a real ENOSPC")
    try:
        folder = disk / "library"
        assert _run(imported, "backup").returncode == 0  # today's backup: none due at open
        shutil.copytree(imported, folder)
        # fill the disk to the last block ...
        with open(disk / "filler", "wb", buffering=0) as out, pytest.raises(OSError):
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        # ... but for room to open the database (its -shm and -wal), not for a new index
        os.truncate(disk / "filler", (disk / "filler").stat().st_size - 192 * 1024)
        _one_line(_run(folder, "reindex"), "disk is full")
        assert not (folder / "index.new").exists()
        (disk / "filler").unlink()
        check = _run(folder, "check")
        assert check.returncode == 0, check.stderr
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_backup_when_backups_is_a_file_says_so_in_one_line(imported):
    (imported / "backups").write_text("not a folder")
    _one_line(_run(imported, "backup"), "backups")
    assert (imported / "backups").read_text() == "not a folder"


HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def test_load_succeeds_while_another_process_holds_the_index(imported, tmp_path):
    """The papers are loaded and committed; the index, locked by another process, is built
    at the next open. `load` must not report a failure for data it saved."""
    dump = _run(imported, "dump")
    assert dump.returncode == 0
    (tmp_path / "dump.jsonl").write_text(dump.stdout, "utf-8")
    fresh = tmp_path / "fresh"
    fresh.mkdir(mode=0o700)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(fresh / "index.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        loaded = _run(fresh, "load", str(tmp_path / "dump.jsonl"))
    finally:
        holder.communicate("\n", timeout=30)
    assert loaded.returncode == 0 and loaded.stdout.startswith("Loaded "), loaded.stderr
    assert "Traceback" not in loaded.stderr
    check = _run(fresh, "list", "--query", "robot")
    assert check.returncode == 0 and check.stdout.strip()
    assert _run(fresh, "check").returncode == 0
