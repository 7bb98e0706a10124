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


def test_a_script_without_a_main_guard_gets_its_features_built_in_its_own_process(
        corpus_lib, tmp_path):
    lib = corpus_lib
    script = tmp_path / "rank.py"
    script.write_text(textwrap.dedent(_UNGUARDED), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, str(script), str(lib.folder)], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
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
