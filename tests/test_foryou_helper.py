"""The features file written by a spawned helper process (large libraries): the same
answers as a build in this process; a helper killed with SIGKILL is reported and this
process builds instead; cancelling (a window closing) ends the helper."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from paperdeck.core import foryou, foryou_features
from paperdeck.core.foryou import Cancelled, Recommender
from test_foryou_training import _tiny
from triage_corpus import make_papers


@pytest.fixture
def corpus_lib(lib):
    papers = make_papers(8, seed=5)
    ids = lib.add([p.draft for p in papers], raw_text="test corpus", fmt="test")
    robots = [i for i, p in zip(ids, papers, strict=True) if p.category == "cs.RO"]
    lib.set_status(robots[:3], "read")
    return lib


def _in_this_process(lib, monkeypatch) -> Recommender:
    """The oracle: the model built without a helper, from no file."""
    monkeypatch.setattr(foryou, "HELPER_FROM", 10**9)
    (lib.folder / foryou_features.FILE).unlink(missing_ok=True)
    rec = Recommender(lib.store)
    rec.refresh()
    assert rec.built_by == "this process"
    (lib.folder / foryou_features.FILE).unlink()
    monkeypatch.setattr(foryou, "HELPER_FROM", 0)
    return rec


def _refresh_in_thread(rec: Recommender) -> tuple[threading.Thread, list[BaseException]]:
    raised: list[BaseException] = []

    def run() -> None:
        try:
            rec.refresh()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            raised.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, raised


def _helper_of(rec: Recommender, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while rec.helper is None:
        assert time.monotonic() < deadline, "no helper process started"
        time.sleep(0.001)
    return rec.helper


def _same_answers(a: Recommender, b: Recommender, ids: list[int]) -> None:
    ra, rb = a.rank(ids), b.rank(ids)
    assert ra.ids == rb.ids
    assert [ra.scores[i] for i in ids] == [rb.scores[i] for i in ids]
    assert a.vocab.names == b.vocab.names
    for pid in ids[:5]:
        ca, va = a.vector(pid)
        cb, vb = b.vector(pid)
        assert np.array_equal(ca, cb) and np.array_equal(va, vb)


def test_a_helper_process_writes_the_features_the_same_as_this_process(corpus_lib, monkeypatch):
    lib = corpus_lib
    oracle = _in_this_process(lib, monkeypatch)
    rec = Recommender(lib.store)
    rec.refresh()
    assert rec.built_by == "helper" and rec.helper is None and not rec.helper_failure
    assert (lib.folder / foryou_features.FILE).exists()
    assert not list(lib.folder.glob("*.part-*"))
    _same_answers(rec, oracle, lib.ids(view="all"))


def test_a_helper_killed_with_sigkill_is_reported_and_this_process_builds(corpus_lib, monkeypatch,
                                                                         caplog):
    lib = corpus_lib
    oracle = _in_this_process(lib, monkeypatch)
    rec = Recommender(lib.store)
    caplog.set_level(logging.WARNING, logger="paperdeck.core.foryou")
    thread, raised = _refresh_in_thread(rec)
    helper = _helper_of(rec)
    os.kill(helper.pid, signal.SIGKILL)
    thread.join(60)
    assert not thread.is_alive() and not raised
    assert helper.exitcode == -signal.SIGKILL
    assert rec.helper_failure == "the helper process was killed by signal 9 (SIGKILL)"
    assert any("killed by signal 9 (SIGKILL)" in r.getMessage() for r in caplog.records)
    assert rec.built_by == "this process" and rec.warm()
    assert not list(lib.folder.glob("*.part-*"))  # the helper's half-written file is gone
    _same_answers(rec, oracle, lib.ids(view="all"))


def test_cancelling_ends_the_helper_and_builds_nothing(corpus_lib, monkeypatch):
    lib = corpus_lib
    monkeypatch.setattr(foryou, "HELPER_FROM", 0)
    rec = Recommender(lib.store)
    thread, raised = _refresh_in_thread(rec)
    helper = _helper_of(rec)
    rec.cancel()
    thread.join(30)
    assert not thread.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], Cancelled)
    assert helper.exitcode == -signal.SIGKILL  # ended, not left to finish
    with pytest.raises(ProcessLookupError):
        os.kill(helper.pid, 0)  # and reaped
    assert not (lib.folder / foryou_features.FILE).exists() and not rec.warm()
    assert not rec.helper_failure  # a cancel is not a failure to report
    rec.resume()
    rec.refresh()
    assert rec.built_by == "helper" and rec.warm()


# A script that ranks a large library with no `if __name__ == "__main__":` guard: the
# spawned helper re-runs it while it starts, and multiprocessing refuses to start a
# process from there, so the helper exits with code 1 (the case the module docstring
# tells script writers about).
_UNGUARDED = """
    import logging
    import sys
    from pathlib import Path

    from paperdeck.core import foryou
    from paperdeck.core.library import Library

    logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="LOG %(message)s")
    foryou.HELPER_FROM = 0
    lib = Library.open(Path(sys.argv[1]))
    rec = foryou.Recommender(lib.store)
    rec.refresh()
    print("BUILT", rec.built_by, flush=True)
    print("FAILURE", rec.helper_failure, flush=True)
    print("RANKED", len(rec.rank(lib.ids(view="all")).ids), flush=True)
    lib.close()
"""


def _run_script(source: str, script: Path, library: Path) -> subprocess.CompletedProcess:
    """Run `source` as a script of its own on `library`, as a user's script would be run."""
    script.write_text(textwrap.dedent(source), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, str(script), str(library)], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done


def test_a_script_without_a_main_guard_gets_its_features_built_in_its_own_process(
        corpus_lib, tmp_path):
    lib = corpus_lib
    done = _run_script(_UNGUARDED, tmp_path / "rank.py", lib.folder)
    lines = done.stdout.splitlines()
    assert "FAILURE the helper process failed (exit code 1)" in lines
    assert "BUILT this process" in lines
    assert ("LOG for-you features: the helper process failed (exit code 1); "
            "building them in this process instead") in lines
    assert f"RANKED {len(lib.ids(view='all'))}" in lines
    assert "bootstrapping phase" in done.stderr  # the helper's own reason, on its stderr
    assert not list(lib.folder.glob("*.part-*"))


@pytest.mark.slow
def test_a_helper_writes_the_features_from_ten_thousand_papers_on(lib):
    """The README's threshold, at its edge: 9,999 papers are built here, 10,000 by a helper."""
    lib.add(_tiny(9999, 4), raw_text="many", fmt="test")
    rec = Recommender(lib.store)
    rec.refresh()
    assert rec.built_by == "this process"
    lib.add(_tiny(1, 5), raw_text="one more", fmt="test")
    rec.refresh()
    assert rec.built_by == "helper" and not rec.helper_failure
    assert len(rec.row_of) == 10_000


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert done.returncode == 0
    probe = subprocess.Popen([sys.executable, "-c", "pass"])
    probe.wait()
    return probe.pid


def test_half_written_files_of_writers_no_longer_running_are_removed(corpus_lib, monkeypatch):
    """A window quit or killed while it wrote the features file leaves its part behind
    (tens of MB at scale): the next build removes those of dead writers, and only those."""
    lib = corpus_lib
    monkeypatch.setattr(foryou, "HELPER_FROM", 10**9)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        name = foryou_features.FILE
        dead = lib.folder / f"{name}.part-{_dead_pid()}-140"
        alive = lib.folder / f"{name}.part-{live.pid}-140"
        mine = lib.folder / f"{name}.part-{os.getpid()}-7"
        odd = lib.folder / f"{name}.part-x-1"
        for part in (dead, alive, mine, odd):
            part.write_bytes(b"half")
        rec = Recommender(lib.store)
        rec.refresh()
        assert rec.warm() and not dead.exists()
        assert alive.exists() and mine.exists() and odd.exists()
    finally:
        live.kill()
        live.wait()


def test_a_helper_whose_interpreter_is_gone_is_reported_and_this_process_builds(
        corpus_lib, monkeypatch):
    """The interpreter a helper would run is gone (a Python upgraded under a running
    window): the helper exits at once, the reason is kept, and this process builds."""
    import multiprocessing
    import multiprocessing.spawn

    lib = corpus_lib
    oracle = _in_this_process(lib, monkeypatch)
    kept = multiprocessing.spawn.get_executable()
    multiprocessing.set_executable(str(lib.folder / "no-such-python"))
    try:
        rec = Recommender(lib.store)
        rec.refresh()
    finally:
        multiprocessing.set_executable(kept)
    assert rec.helper_failure == "the helper process failed (exit code 255)"
    assert rec.built_by == "this process" and rec.helper is None
    _same_answers(rec, oracle, lib.ids(view="all"))


def test_a_helper_that_cannot_even_start_is_reported(corpus_lib, monkeypatch):
    """No file descriptor left for the helper's pipes (a process at its open-file limit):
    starting it fails here, in this process, and the failure says so."""
    import resource

    lib = corpus_lib
    monkeypatch.setattr(foryou, "HELPER_FROM", 0)
    rec = Recommender(lib.store)
    rec.refresh()  # opens what the library needs first: only the helper's pipes are left
    pid = lib.ids(view="all")[-1]
    lib.update(pid, title=lib.papers([pid])[0].title + " revised")  # a new text: a new file
    # No file to open first (a cache deleted): at the limit, mapping an old one would fail
    # before the helper is asked for, as "could not be read" (test_foryou_edges.py)
    (lib.store.path.parent / foryou_features.FILE).unlink()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    free = os.dup(0)
    os.close(free)
    resource.setrlimit(resource.RLIMIT_NOFILE, (free + 1, hard))  # one more, a pipe needs two
    try:
        rec.refresh()
    except (OSError, RuntimeError):
        pass  # mapping the file built here may run out of descriptors too; not the point here
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert rec.helper_failure.startswith("the helper process could not start ([Errno 24]")
    assert rec.helper is None


def test_a_cancel_while_the_helper_starts_ends_it(corpus_lib, monkeypatch):
    """The window closes just as the helper starts, before the model knows of it: the
    helper is ended all the same, and writes nothing."""
    import multiprocessing.context

    lib = corpus_lib
    monkeypatch.setattr(foryou, "HELPER_FROM", 0)
    rec = Recommender(lib.store)
    started = []
    start = multiprocessing.context.SpawnProcess.start

    def start_then_close(self) -> None:
        start(self)
        started.append(self)
        rec.cancel()

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", start_then_close)
    with pytest.raises(Cancelled):
        rec.refresh()
    assert len(started) == 1 and started[0].exitcode == -signal.SIGKILL
    assert not (lib.folder / foryou_features.FILE).exists() and not rec.warm()


_QUIT_WHILE_BUILDING = """
    import sys
    import threading
    import time
    from pathlib import Path

    from paperdeck.core import foryou
    from paperdeck.core.library import Library

    if __name__ == "__main__":
        foryou.HELPER_FROM = 0
        lib = Library.open(Path(sys.argv[1]))
        rec = foryou.Recommender(lib.store)
        threading.Thread(target=rec.refresh, daemon=True).start()
        while rec.helper is None:
            time.sleep(0.001)
        print("HELPER", rec.helper.pid, flush=True)
"""


def test_quitting_while_a_helper_builds_ends_the_helper_too(lib, tmp_path):
    """The helper is a daemon process: a window that quits does not wait for its build
    (a library of 3,000 papers: about a second of building) and leaves no process behind."""
    lib.add(_tiny(3000, 6), raw_text="many", fmt="test")
    done = _run_script(_QUIT_WHILE_BUILDING, tmp_path / "quit.py", lib.folder)
    pid = int(done.stdout.split()[1])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not (lib.folder / foryou_features.FILE).exists()  # ended, not waited for
