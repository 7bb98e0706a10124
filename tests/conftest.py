"""Shared fixtures: a real library in a temporary folder, the shared sample digest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DIGESTS = REPO.parent / "shared" / "fixtures" / "digests"
SAMPLE = REPO / "resources" / "sample-digest.txt"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "library"


@pytest.fixture
def lib(data_dir: Path):
    from paperdeck.core.library import Library

    library = Library.open(data_dir)
    yield library
    library.close()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def expected_titles() -> list[str]:
    path = SHARED_DIGESTS / "hf-trending-papers.expected.json"
    if not path.exists():
        path = REPO / "tests" / "samples" / "hf-fixture" / "hf-trending-papers.expected.json"
    return [item["title"] for item in json.loads(path.read_text(encoding="utf-8"))]


@pytest.fixture
def win(qtbot, lib, tmp_path):
    """A shown window over the test's (empty) library; a test module may define its own."""
    from ui_helpers import close_window, open_window

    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    yield window
    close_window(qtbot, window)


SLOW_TIMEOUT = 600  # seconds; every other test has pyproject's `timeout` (180)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--soak", action="store_true",
                     help="also run the long soaks (tests marked soak; minutes each)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A slow test gets the longer limit unless it names its own; the long soaks run only
    with --soak (CI runs their bounded versions, which carry no soak mark)."""
    kept, soaks = [], []
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT))
        (soaks if item.get_closest_marker("soak") and not config.getoption("--soak") else kept).append(item)
    if soaks:
        config.hook.pytest_deselected(items=soaks)
        items[:] = kept


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With PAPERDECK_NO_SKIPS=1 (CI sets it) a skipped test fails the run: CI installs every
    tool the tests need, so a skip there means a test silently stopped testing."""
    if os.environ.get("PAPERDECK_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"PAPERDECK_NO_SKIPS: {len(skipped)} test(s) skipped; every test must run in CI",
                            red=True)
        session.exitstatus = 1


def pytest_configure(config: pytest.Config) -> None:
    _trace_qt_workers()


def _trace_qt_workers() -> None:
    """Let a tracer (coverage, a debugger) see the jobs run on the window's Qt worker threads.

    Python installs a tracer in each thread that `threading` starts; a QThreadPool thread is
    not one of them, so every background job (the searches, edits and file reads the GUI
    tests do run) counted as never run. When a thread tracer is set, a job's first run on a
    pool thread installs it there."""
    import sys
    import threading

    if threading.gettrace() is None:
        return
    from paperdeck.ui import tasks

    run = tasks._Job.run

    def traced_run(self) -> None:
        if sys.gettrace() is None and threading.gettrace() is not None:
            sys.settrace(threading.gettrace())
        run(self)

    tasks._Job.run = traced_run
