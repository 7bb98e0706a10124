"""Two processes on one library: no corruption, no lost write, no traceback for the user.

Locks are held by real processes (a Whoosh writer, an SQLite write transaction) that wait
for a line on stdin before letting go, so the tests order events without sleeping.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from paperdeck.core.errors import LibraryLocked
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

HOLD_WHOOSH = textwrap.dedent("""
    import sys
    from whoosh import index
    writer = index.open_dir(sys.argv[1]).writer()  # takes the index's write lock
    print("held", flush=True)
    sys.stdin.readline()
    writer.cancel()
""")
HOLD_SQLITE = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE papers SET notes = 'written by the lock holder' WHERE id = 2")
    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    print("held", flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
""")
WRITER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from paperdeck.core.errors import LibraryLocked
    from paperdeck.core.library import Library
    name, rounds = sys.argv[2], int(sys.argv[3])
    done, busy = [], []
    with Library.open(Path(sys.argv[1]), backup=False) as lib:
        ids = lib.ids()
        for i in range(rounds):
            tag = f"{name}{i}"
            try:
                lib.add_tags(ids[i % 7: i % 7 + 3], [tag])
                if i % 4 == 0:
                    lib.move([ids[(i * 3) % len(ids)]], to="top")
                done.append(tag)
            except LibraryLocked as exc:
                busy.append(str(exc))
    print(json.dumps({"done": done, "busy": busy}))
""")


@pytest.fixture
def library(tmp_path) -> Path:
    folder = tmp_path / "library"
    with Library.open(folder, backup=False) as lib:
        lib.add([Draft(title=f"Robot paper {i}") for i in range(20)], raw_text="x", fmt="t")
    return folder


def _cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(folder)}
    return subprocess.run([sys.executable, "-m", "paperdeck", *args], capture_output=True,
                          text=True, env=env, timeout=120)


class Holder:
    """A process holding a lock until released."""

    def __init__(self, code: str, target: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(target)], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        line = self.proc.stdout.readline()
        assert line.strip() == "held", self.proc.stderr.read()

    def release(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        _, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, err


def test_whoosh_lock_held_elsewhere_never_shows_a_traceback(library):
    holder = Holder(HOLD_WHOOSH, library / "index")
    try:
        tagged = _cli(library, "tag", "1", "--add", "held")
        listed = _cli(library, "list", "--query", "robot", "--json")
    finally:
        holder.release()
    assert tagged.returncode == 0, tagged.stderr
    assert "Traceback" not in tagged.stderr and "LockError" not in tagged.stderr
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 20
    with Library.open(library) as lib:  # the index catches up on the saved tag
        assert lib.ids("tag:held") == [1]
        assert lib.check() == []


def test_stale_index_and_a_held_whoosh_lock_at_open(library):
    with Library.open(library, sync_index=False, backup=False) as lib:
        lib.index.ready = False
        lib.update(3, title="Zebra crossings")  # the index is now behind
    holder = Holder(HOLD_WHOOSH, library / "index")
    try:
        listed = _cli(library, "list", "--query", "zebra", "--json")
    finally:
        holder.release()
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
    assert [p["id"] for p in json.loads(listed.stdout)] == [3]
    with Library.open(library) as lib:
        assert lib.ids("zebra") == [3] and lib.check() == []


def test_second_writer_waits_then_fails_plainly_and_changes_nothing(library):
    holder = Holder(HOLD_SQLITE, library / "library.db")
    try:
        proc = _cli(library, "status", "1", "read")
    finally:
        holder.release()
    assert proc.returncode == 1
    assert "busy" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    with Library.open(library) as lib:
        assert lib.get(1).status == "queued"  # the refused change left nothing behind
        assert lib.get(2).notes == "written by the lock holder"  # the holder's write is kept
        assert lib.check() == []
    again = _cli(library, "status", "1", "read")
    assert again.returncode == 0, again.stderr


def test_two_writers_at_once_lose_nothing(library):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(library), name, "12"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in err, err
        results.append(json.loads(out))
    done = [tag for r in results for tag in r["done"]]
    assert len(done) + sum(len(r["busy"]) for r in results) == 24
    assert all("busy" in msg for r in results for msg in r["busy"])
    with Library.open(library) as lib:
        assert lib.check() == []
        tags = {name for name, _ in lib.tags()}
        assert set(done) <= tags  # every write that said it was saved, is
        for tag in done:
            assert len(lib.ids(f"tag:{tag}")) == 3


HOLD_UPDATE = textwrap.dedent("""
    import sys
    from whoosh.util.filelock import FileLock
    lock = FileLock(sys.argv[1])  # what another paperdeck holds while it updates the index
    assert lock.acquire(blocking=False)
    print("held", flush=True)
    sys.stdin.readline()
    lock.release()
""")


def test_index_updates_take_turns_across_processes(library):
    """While another process reads and writes the index, this one's update waits its turn
    (then gives up quietly), so a slower process never writes older documents over newer."""
    with Library.open(library, backup=False) as lib:
        before = lib.index.index.generation()
        holder = Holder(HOLD_UPDATE, library / "index.lock")
        try:
            lib.add_tags([4], ["turn"])  # saved; the index update waits, then gives up
            assert lib.index.index.generation() == before
            with pytest.raises(LibraryLocked):
                lib.reindex()  # nor may a rebuild swap the folder meanwhile
        finally:
            holder.release()
        lib.index.catch_up()
        assert lib.ids("tag:turn") == [4] and lib.check() == []
