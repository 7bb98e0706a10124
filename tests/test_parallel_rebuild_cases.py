"""A rebuild's segments written by spawned helpers (core/parallel_rebuild.py), called
directly on small libraries: the index holds what one plain Whoosh writer makes of the
same papers; a helper that fails or dies fails the whole build at once; and whatever
happens, no helper is left running, the index is left unlocked and no stray file stays.

The helpers' liveness is checked every POLL_S while the parent waits; the tests poll
every 20 ms, so helpers that finished (exit code 0) are seen by those checks too. Batches
are of SMALL papers (not BATCH), so a few dozen papers make several."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as windex

from paperdeck.core import parallel_rebuild
from paperdeck.core.parallel_rebuild import HelperFailed, write_segments
from paperdeck.core.search import make_schema

sys.path.insert(0, str(Path(__file__).parent))
from test_rebuild_writer import _contents, _docs, _whoosh_reference  # noqa: E402

# Each test spawns helpers that import paperdeck (~1-3 s); a wait that never ends fails
# within a minute, with every thread's stack (pytest-timeout), rather than at 600 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


SMALL = 25  # papers a batch here


@pytest.fixture(autouse=True)
def quick_polls_small_batches(monkeypatch):
    monkeypatch.setattr(parallel_rebuild, "POLL_S", 0.02)
    monkeypatch.setattr(parallel_rebuild, "BATCH", SMALL)


def _helpers_running() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name.startswith("paperdeck-index")]


def _empty_index(folder: Path):
    folder.mkdir()
    return windex.create_in(str(folder), make_schema())


def _left_clean(ix, folder: Path, failed: bool = False) -> None:
    """No helper runs, another writer can lock the index at once, and (after a build that
    worked: a failed one's folder is deleted whole by SearchIndex) every file in the
    folder is the table of contents, its lock, or a file of a segment it names."""
    assert _helpers_running() == []
    lock = ix.lock("WRITELOCK")  # what every writer takes first
    assert lock.acquire(blocking=False)
    lock.release()
    if failed:
        return
    ix = windex.open_dir(str(folder))
    named = [segment.segment_id() for segment in ix._segments()]
    toc = f"_MAIN_{ix.latest_generation()}.toc"
    ix.close()
    stray = [name for name in os.listdir(folder)
             if name not in (toc, "MAIN_WRITELOCK") and not name.startswith(tuple(named) or "\0")]
    assert stray == []


def test_helpers_write_what_one_plain_whoosh_writer_writes(tmp_path):
    """Two full batches for two helpers: their segments hold every paper's postings and
    lengths, as one Whoosh writer's index of the same papers does."""
    docs = _docs(2 * SMALL, seed=21)
    folder = tmp_path / "index"
    ix = _empty_index(folder)
    handed: list[int] = []
    write_segments(ix, (doc.fields() for doc in docs), 2, 16, handed.append)
    assert handed == [SMALL, SMALL]  # each batch once it is handed out, no empty one after
    _left_clean(ix, folder)
    ix = windex.open_dir(str(folder))
    segments = ix._segments()
    assert sum(s.doc_count_all() for s in segments) == len(docs)
    assert not any(s.is_compound() for s in segments)  # plain files, read through mmap
    ix.close()
    assert _contents(folder) == _contents(_whoosh_reference(docs, tmp_path / "reference"))


def test_a_short_batch_is_handed_out_and_an_idle_helper_adds_no_segment(tmp_path):
    docs = _docs(SMALL - 7, seed=22)
    folder = tmp_path / "index"
    ix = _empty_index(folder)
    handed: list[int] = []
    write_segments(ix, (doc.fields() for doc in docs), 2, 16, handed.append)
    assert handed == [SMALL - 7]
    _left_clean(ix, folder)
    ix = windex.open_dir(str(folder))
    assert [s.doc_count_all() for s in ix._segments()] == [SMALL - 7]
    ix.close()
    assert _contents(folder) == _contents(_whoosh_reference(docs, tmp_path / "reference"))


def test_a_helper_that_fails_fails_the_build_and_leaves_nothing_behind(tmp_path):
    docs = [doc.fields() for doc in _docs(SMALL + 50, seed=23)]
    docs[SMALL + 10]["year"] = "not a year"
    folder = tmp_path / "index"
    ix = _empty_index(folder)
    with pytest.raises(HelperFailed, match="helper failed: ValueError"):
        write_segments(ix, iter(docs), 2, 16)
    assert ix.latest_generation() == 0  # nothing committed
    _left_clean(ix, folder, failed=True)


_OUT_OF_DESCRIPTORS = """
    import os, resource, sys
    from multiprocessing import resource_tracker
    from pathlib import Path
    from whoosh import index as windex
    from paperdeck.core.parallel_rebuild import HelperFailed, write_segments
    from paperdeck.core.search import make_schema

    resource_tracker.ensure_running()  # as after any earlier build
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for spare in range(1, 16):
        folder = Path(sys.argv[1]) / str(spare)
        folder.mkdir()
        ix = windex.create_in(str(folder), make_schema())
        resource.setrlimit(resource.RLIMIT_NOFILE, (len(os.listdir("/proc/self/fd")) + spare, hard))
        try:
            write_segments(ix, iter([{"id": str(i), "title": f"paper {i}"} for i in range(5)]), 2, 16)
            outcome = "built"
        except HelperFailed as exc:
            outcome = f"HelperFailed: {exc}"
        except Exception as exc:
            outcome = f"{type(exc).__name__}: {exc}"
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        print(spare, outcome, flush=True)
"""


def test_a_helper_that_cannot_start_fails_the_build_as_such(tmp_path):
    """Starting a helper needs descriptors (pipes): at a process's open-file limit the
    start raises, and the build must fail with HelperFailed, which the caller answers by
    rebuilding in its own process. It raised AssertionError ("can only join a started
    process": the cleanup joined helpers never started), which no caller expects. Run in
    a child at a real RLIMIT_NOFILE, from 1 spare descriptor to 15."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(_OUT_OF_DESCRIPTORS), str(tmp_path)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert not [o for o in outcomes.values() if "AssertionError" in o], outcomes
    assert any(o == "HelperFailed: a search index helper could not start: [Errno 24] Too many "
               "open files" for o in outcomes.values()), outcomes


def test_a_helper_killed_mid_build_fails_the_build_at_once(tmp_path):
    """A helper that dies (the OOM killer, a crash) never reports: the parent notices the
    exit code while it hands out papers or waits, and stops the others."""
    docs = _docs(4 * SMALL, seed=24)
    killed: list[int] = []

    def papers() -> Iterator[dict]:
        for k, doc in enumerate(docs):
            if k == SMALL + 1:  # the first batch is out: the helpers are running
                victim = _helpers_running()[0]
                os.kill(victim.pid, signal.SIGKILL)
                victim.join(10)
                killed.append(victim.exitcode)
            yield doc.fields()

    folder = tmp_path / "index"
    ix = _empty_index(folder)
    started = time.monotonic()
    with pytest.raises(HelperFailed, match=r"helper stopped \(exit code -9\)"):
        write_segments(ix, papers(), 2, 16)
    assert killed == [-signal.SIGKILL] and time.monotonic() - started < 60
    assert ix.latest_generation() == 0
    _left_clean(ix, folder, failed=True)


def test_a_helper_killed_while_the_results_are_awaited_fails_the_build(tmp_path):
    """Every batch is out and the parent waits for the segments: a helper dying then
    never reports, which the wait notices."""
    docs = _docs(2 * SMALL, seed=25)
    handed: list[int] = []
    killed: list[int] = []

    def batch_done(n: int) -> None:
        handed.append(n)
        if sum(handed) == len(docs):  # the last batch is out: then the ends, then the wait
            victim = _helpers_running()[0]
            os.kill(victim.pid, signal.SIGKILL)
            victim.join(10)
            killed.append(victim.exitcode)

    folder = tmp_path / "index"
    ix = _empty_index(folder)
    with pytest.raises(HelperFailed, match=r"helper stopped \(exit code -9\)"):
        write_segments(ix, (doc.fields() for doc in docs), 2, 16, batch_done)
    assert killed == [-signal.SIGKILL]
    _left_clean(ix, folder, failed=True)


_NO_SEMAPHORES = """
    import sys
    from pathlib import Path
    from whoosh import index as windex
    from paperdeck.core.parallel_rebuild import HelperFailed, write_segments
    from paperdeck.core.search import make_schema

    folder = Path(sys.argv[1])
    ix = windex.create_in(str(folder), make_schema())
    try:
        write_segments(ix, iter([{"id": 1, "title": "Robots"}]), 2, 16)
    except HelperFailed as exc:
        print("HelperFailed:", exc)
    writer = ix.writer(timeout=0.0)  # not locked
    writer.cancel()
"""


def test_without_posix_semaphores_the_build_says_so_before_starting_anything(tmp_path):
    """Some sandboxes have no POSIX semaphores (no writable /dev/shm): the build fails
    with HelperFailed, which the caller answers by rebuilding in its own process. Run
    in a mount namespace whose /dev/shm is a read-only tmpfs."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a read-only /dev/shm needs root and unshare(1)")
    folder = tmp_path / "index"
    folder.mkdir()
    script = textwrap.dedent(_NO_SEMAPHORES)
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c",
         'mount -t tmpfs -o ro,size=1m tmpfs /dev/shm && exec "$0" -c "$1" "$2"',
         sys.executable, script, str(folder)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
    if "mount:" in done.stderr and done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert "HelperFailed: helper processes cannot be used here" in done.stdout
    assert "Read-only file system" in done.stdout


_HELPERS_DIE = """
    import multiprocessing
    import os
    import signal
    import sys

    from whoosh import index as windex

    from paperdeck.core import parallel_rebuild
    from paperdeck.core.parallel_rebuild import HelperFailed, write_segments
    from paperdeck.core.search import make_schema

    if __name__ == "__main__":
        parallel_rebuild.BATCH = 10
        parallel_rebuild.POLL_S = 0.05
        ix = windex.create_in(sys.argv[1], make_schema())

        def papers():
            for k in range(400):
                if k == 11:  # the first batch is out: every helper dies
                    for p in multiprocessing.active_children():
                        if p.name.startswith("paperdeck-index"):
                            os.kill(p.pid, signal.SIGKILL)
                            p.join(10)
                yield {"id": k + 1, "title": "word " * 2000}  # 100 KB a batch

        try:
            write_segments(ix, papers(), 2, 16)
        except HelperFailed as exc:
            print("HelperFailed:", exc, flush=True)
"""


def _run_script(tmp_path: Path, source: str, hung: str) -> subprocess.CompletedProcess:
    """Run `source` as a script on an empty index folder, in a process of its own (an exit
    that hangs must not hang the test run); fail with `hung` if it has not ended in 40 s."""
    script, folder = tmp_path / "script.py", tmp_path / "index"
    script.write_text(textwrap.dedent(source), encoding="utf-8")
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        return subprocess.run([sys.executable, str(script), str(folder)], capture_output=True,
                               text=True, timeout=40, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(hung)


def test_a_process_whose_helpers_died_with_batches_queued_still_exits(tmp_path):
    """Batches no helper will read fill the pipe, and the queue's feeder thread waits to
    write them for ever: the process must not wait for that thread when it exits (it
    did: a window whose rebuild lost its helpers could not quit)."""
    done = _run_script(tmp_path, _HELPERS_DIE, "the process did not exit after its helpers died")
    assert "HelperFailed: a search index helper stopped (exit code -9)" in done.stdout
    assert done.returncode == 0, done.stderr


_QUIT_MID_BUILD = """
    import itertools
    import sys
    import threading

    from whoosh import index as windex

    from paperdeck.core import parallel_rebuild
    from paperdeck.core.parallel_rebuild import write_segments
    from paperdeck.core.search import make_schema

    if __name__ == "__main__":
        parallel_rebuild.BATCH = 10
        ix = windex.create_in(sys.argv[1], make_schema())

        read = threading.Event()

        def papers():
            for k in itertools.count():
                if k == 100:  # ten batches out, past the queue's four: helpers are reading
                    read.set()
                yield {"id": k + 1, "title": "word " * 2000}  # 100 KB a batch, for ever

        threading.Thread(target=write_segments, args=(ix, papers(), 2, 16), daemon=True).start()
        read.wait(30)
        print("quitting mid-build", flush=True)
"""


def test_quitting_in_the_middle_of_a_build_ends_the_helpers_and_the_process(tmp_path):
    """The window rebuilds on a daemon thread; quitting then must neither wait for the
    helpers (daemon processes: terminated at exit) nor for the queue's feeder thread,
    stuck writing batches no one reads (it did: the process never exited)."""
    done = _run_script(tmp_path, _QUIT_MID_BUILD, "the process did not exit while its helpers were building")
    assert "quitting mid-build" in done.stdout
    assert done.returncode == 0, done.stderr
