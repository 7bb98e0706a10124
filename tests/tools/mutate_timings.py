"""A pytest plugin for tests/tools/mutate.py: how long each test took, so mutants run the quick ones first."""

from __future__ import annotations

import json
import os

_TIMES: dict[str, float] = {}


def pytest_runtest_logreport(report) -> None:  # noqa: ANN001 - pytest's TestReport
    _TIMES[report.nodeid] = _TIMES.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session) -> None:  # noqa: ANN001, ARG001
    path = os.environ.get("PAPERDECK_MUTATE_TIMINGS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(_TIMES, out)
