"""The window's background worker: what it logs when a job fails or is stopped."""

from __future__ import annotations

import logging

from paperdeck.core.errors import InputError
from paperdeck.core.foryou_features import Cancelled
from paperdeck.ui.tasks import APOLOGY, Tasks


def _run(qtbot, fn) -> list[str]:
    tasks = Tasks()
    said: list[str] = []
    tasks.failed.connect(said.append)
    tasks.run(fn)
    qtbot.waitUntil(tasks.idle, timeout=5000)
    return said


def _raise(exc: BaseException):
    def fn():
        raise exc
    return fn


def test_a_bug_is_logged_with_its_traceback_and_the_user_gets_an_apology(qtbot, caplog):
    with caplog.at_level(logging.INFO, logger="paperdeck.ui.tasks"):
        said = _run(qtbot, _raise(KeyError("boom")))
    assert said == [APOLOGY]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == ["background task failed"] and errors[0].exc_info


def test_a_build_stopped_on_closing_is_not_logged_as_a_failure(qtbot, caplog):
    """Closing the window while the For you model builds stops it on purpose: an info
    line, no error with a traceback (it logged one)."""
    with caplog.at_level(logging.INFO, logger="paperdeck.ui.tasks"):
        _run(qtbot, _raise(Cancelled("the library is closing")))
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "background task stopped: the library is closing")]


def test_our_own_errors_are_said_as_they_are_and_not_logged(qtbot, caplog):
    with caplog.at_level(logging.INFO, logger="paperdeck.ui.tasks"):
        said = _run(qtbot, _raise(InputError("There is no paper with id 7.")))
    assert said == ["There is no paper with id 7."] and caplog.records == []
