"""Nothing lost: SIGKILL a real process at many points of an import, a bulk tag and a reorder.

Each run copies a prepared library, starts `crash_worker.py` on it, and kills it: from
outside after a random delay, or from inside at an exact SQL statement or file write.
On reopening, the database must pass `PRAGMA integrity_check`, the operation must be
wholly there or wholly absent, and the index must match the database.

Iterations are bounded for the shared CI machine; PAPERDECK_KILL_ROUNDS=N multiplies
them for a longer soak, and PAPERDECK_KILL_SEED replays a run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from paperdeck.core.library import Library
from paperdeck.core.models import Draft

WORKER = Path(__file__).with_name("crash_worker.py")
ROUNDS = max(1, int(os.environ.get("PAPERDECK_KILL_ROUNDS", "1")))
SEED = int(os.environ.get("PAPERDECK_KILL_SEED", str(random.randrange(1 << 30))))
BIG, SMALL = 10_000, 300
# The large digest goes into the small library: importing into 10,000 papers is slow today
# (citation keys are checked against every key, per paper), which is a separate problem.
IMPORT_LARGE, IMPORT_SMALL = 1_000, 200


def _digest(path: Path, n: int) -> Path:
    path.write_text("\n".join(f"arXiv:{2401 + i // 20000}.{i % 20000:05d}" for i in range(n)) + "\n",
                    "utf-8")
    return path


def _make_library(folder: Path, n: int, *, index: bool) -> None:
    drafts = [Draft(title=f"Paper {i} on {('robots', 'gardens', 'proofs')[i % 3]}",
                    authors=[f"A. Writer{i % 97}"], year=2000 + i % 25, citekey=f"prep{i}")
              for i in range(n)]
    with Library.open(folder, sync_index=index) as lib:
        if not index:
            lib.index.ready = False
        lib.add(drafts, raw_text="prepared", fmt="test")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("kill-base")
    big, small = root / "big", root / "small"
    _make_library(big, BIG, index=False)
    _make_library(small, SMALL, index=True)
    return {
        "big": big, "small": small,
        "large-digest": _digest(root / "large.txt", IMPORT_LARGE),
        "small-digest": _digest(root / "small.txt", IMPORT_SMALL),
    }


def _state(folder: Path) -> dict:
    """What the invariants compare: counts, tag links, queue order, generation."""
    conn = sqlite3.connect(f"file:{folder / 'library.db'}?mode=ro", uri=True)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "papers": one("SELECT count(*) FROM papers"),
            "imports": one("SELECT count(*) FROM imports"),
            "history": one("SELECT count(*) FROM status_history"),
            "links": one("SELECT count(*) FROM paper_tags"),
            "tags": one("SELECT count(*) FROM tags"),
            "generation": int(one("SELECT value FROM meta WHERE key = 'generation'")),
            "order": [r[0] for r in conn.execute(
                "SELECT id FROM papers ORDER BY priority DESC, position, id")],
        }
    finally:
        conn.close()


class Run:
    """One worker process on a fresh copy of a prepared library."""

    def __init__(self, base: Path, dest: Path, op: str, digest: Path, *, index: bool,
                 extra: tuple[str, ...] = ()) -> None:
        shutil.copytree(base, dest)
        self.folder = dest
        self.before = _state(dest)
        cmd = [sys.executable, str(WORKER), str(dest), op, "--digest", str(digest), *extra]
        if index:
            cmd.append("--index")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.strip() == "ready", (line, self.proc.stderr.read())
        self.started = time.monotonic()

    def kill_after(self, delay: float) -> None:
        try:
            self.proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
        self.finish()

    def finish(self) -> str:
        out, err = self.proc.communicate(timeout=120)
        self.elapsed = time.monotonic() - self.started
        self.stdout = out
        if self.proc.returncode == -signal.SIGKILL:
            return "killed"
        assert self.proc.returncode == 0, err
        return "finished"


def _case(op: str, index: bool) -> tuple[str, str, int]:
    """(library, digest, papers the import adds) for an operation."""
    if op == "import":
        return "small", "small-digest" if index else "large-digest", (
            IMPORT_SMALL if index else IMPORT_LARGE)
    return ("small" if index else "big"), "small-digest", 0


def _calibrate(prepared, tmp_path, op: str, *, index: bool) -> tuple[int, int, float]:
    """Run the operation once to completion: SQL statements, file events, seconds."""
    base, digest, _ = _case(op, index)
    run = Run(prepared[base], tmp_path / "calibrate", op, prepared[digest], index=index,
              extra=("--count",))
    assert run.finish() == "finished"
    counts = [line for line in run.stdout.splitlines() if line.startswith("counts ")]
    sql, files = (int(x) for x in counts[0].split()[1:])
    after = _state(run.folder)
    assert _check(run.folder, op, run.before, after, index=index), "the operation should have happened"
    shutil.rmtree(run.folder)
    return sql, files, run.elapsed


def _changed(op: str, before: dict, after: dict, *, index: bool) -> bool:
    """Was the operation committed? Raises if it is half there."""
    base, _, added = _case(op, index)
    n = BIG if base == "big" else SMALL
    if op == "import":
        assert after["papers"] in (before["papers"], before["papers"] + added), after["papers"]
        done = after["papers"] != before["papers"]
        assert after["imports"] == before["imports"] + done
        assert after["history"] == before["history"] + added * done
        assert after["order"][: len(before["order"])] == before["order"]
    elif op == "tag":
        assert after["links"] in (0, n), after["links"]
        done = after["links"] == n
        assert after["tags"] == int(done)
    else:
        assert after["order"] in (before["order"], before["order"][::-1]), "order is mixed"
        done = after["order"] != before["order"]
    assert after["generation"] == before["generation"] + done
    return done


def _check(folder: Path, op: str, before: dict, after: dict, *, index: bool) -> bool:
    conn = sqlite3.connect(folder / "library.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    done = _changed(op, before, after, index=index)
    if not index:
        with Library.open(folder, sync_index=False) as lib:
            assert lib.store.integrity_problems() == []
        return done
    with Library.open(folder) as lib:  # catches up or rebuilds the index, as the app does
        assert lib.check() == []
        tagged = lib.ids("tag:bulk")
        assert len(tagged) == after["links"]
        if op == "import":
            assert len(lib.ids("arxiv:2401.00007")) == int(done)
    return done


def _kill_runs(prepared, tmp_path, op: str, *, index: bool, runs: int) -> Counter:
    base, digest, _ = _case(op, index)
    rng = random.Random(f"{SEED}-{base}-{op}-{index}")
    sql, files, seconds = _calibrate(prepared, tmp_path, op, index=index)
    seen: Counter = Counter()
    plans: list[tuple[str, float]] = []
    for i in range(runs * ROUNDS):
        kind = ("delay", "file" if index else "sql")[i % 2]
        if kind == "sql":  # always include the very last statement before COMMIT
            plans.append(("sql", sql if i == 1 else rng.randint(1, sql)))
        elif kind == "file":
            plans.append(("file", rng.randint(1, max(1, files))))
        else:
            plans.append(("delay", rng.uniform(0, seconds * 1.2)))
    for n, (kind, point) in enumerate(plans):
        extra = {"sql": ("--die-at-sql", str(point)), "file": ("--die-at-file", str(point)),
                 "delay": ()}[kind]
        run = Run(prepared[base], tmp_path / f"run{n}", op, prepared[digest],
                  index=index, extra=extra)
        if kind == "delay":
            run.kill_after(point)
        else:
            run.finish()
        ended = "killed" if run.proc.returncode == -signal.SIGKILL else "finished"
        after = _state(run.folder)
        done = _check(run.folder, op, run.before, after, index=index)
        if kind == "sql":  # killed before COMMIT ran: nothing may be there
            assert ended == "killed" and not done, (point, sql)
        if kind == "file":  # SQLite had committed before any index file was written
            assert ended == "killed" and done, (point, files)
        seen[f"{kind}:{ended}:{'new' if done else 'old'}"] += 1
        shutil.rmtree(run.folder)
    print(f"\nkill {base} {op} index={index} seed={SEED} sql={sql} files={files} "
          f"op_s={seconds:.2f} {dict(seen)}")
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("op", ["import", "tag", "reorder"])
def test_kill_during_the_sqlite_write(prepared, tmp_path, op):
    seen = _kill_runs(prepared, tmp_path, op, index=False, runs=6)
    assert sum(seen.values()) == 6 * ROUNDS


@pytest.mark.slow
@pytest.mark.parametrize("op", ["import", "tag", "reorder"])
def test_kill_while_the_index_follows(prepared, tmp_path, op):
    seen = _kill_runs(prepared, tmp_path, op, index=True, runs=4)
    assert sum(seen.values()) == 4 * ROUNDS


def _reopens_without_rebuild(folder: Path, before: dict) -> str:
    """After a kill, `paperdeck check` passes (catching the index up, never rebuilding) and
    the next open finds the index current."""
    check = subprocess.run([sys.executable, "-m", "paperdeck", "--data-dir", str(folder), "check"],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    with Library.open(folder, backup=False) as lib:
        assert not any("rebuilt" in note for note in lib.notes), lib.notes
        assert lib.check() == []
        done = len(lib.ids(view="all")) > before["papers"]
        assert len(lib.ids("arxiv:2401.00007")) == int(done)
    return "new" if done else "old"


@pytest.mark.slow
def test_a_killed_import_leaves_an_index_that_catches_up(prepared, tmp_path):
    """Issue 13 item 9: SIGKILL anywhere in the index's part of an import (at each kind of
    file write, rename and delete Whoosh and paperdeck make, and after random delays) must
    leave the previous index generation usable: it catches up, it is not rebuilt."""
    rng = random.Random(f"{SEED}-index-generations")
    _sql, files, seconds = _calibrate(prepared, tmp_path, "import", index=True)
    step = max(1, files // 10)
    plans = [("file", p) for p in range(1, files + 1, step)] + [("file", files)]
    plans += [("delay", rng.uniform(0.2 * seconds, seconds)) for _ in range(4 * ROUNDS)]
    seen: Counter = Counter()
    failed = []
    for n, (kind, point) in enumerate(plans):
        extra = ("--die-at-file", str(point)) if kind == "file" else ()
        run = Run(prepared["small"], tmp_path / f"gen{n}", "import", prepared["small-digest"],
                  index=True, extra=extra)
        if kind == "delay":
            run.kill_after(point)
        else:
            run.finish()
        try:
            seen[f"{kind}:{_reopens_without_rebuild(run.folder, run.before)}"] += 1
        except AssertionError as exc:
            failed.append(f"{kind} {point} of {files} file events: {exc}")
        shutil.rmtree(run.folder)
    print(f"\nkilled imports, index kept: seed={SEED} files={files} {dict(seen)}")
    assert not failed, f"{len(failed)} of {len(plans)} kills cost a rebuild:\n" + "\n".join(failed)


@pytest.mark.slow
def test_a_killed_rebuild_leaves_an_index_in_use(prepared, tmp_path):
    """Killed at each file write, rename and delete of a rebuild (into index.new, then the
    swap): the old index, or the new one, is in place at the next open; never a rebuild."""
    run = Run(prepared["small"], tmp_path / "calibrate", "reindex", prepared["small-digest"],
              index=True, extra=("--count",))
    assert run.finish() == "finished"
    files = int(next(ln for ln in run.stdout.splitlines() if ln.startswith("counts ")).split()[2])
    shutil.rmtree(run.folder)
    failed = []
    for point in range(1, files + 1, max(1, files // 40)):
        run = Run(prepared["small"], tmp_path / f"rb{point}", "reindex", prepared["small-digest"],
                  index=True, extra=("--die-at-file", str(point)))
        run.finish()
        try:
            assert _reopens_without_rebuild(run.folder, run.before) == "old"
        except AssertionError as exc:
            failed.append(f"file {point} of {files}: {exc}")
        shutil.rmtree(run.folder)
    assert not failed, "\n".join(failed)
