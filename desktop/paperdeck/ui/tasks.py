"""One background worker for the GUI: run a function off the GUI thread, get the answer back on it.

Database connections, index writers and long parses must not block the window, and
widgets must never be touched from another thread. `Tasks.run(fn, on_result)` queues
`fn` on a single worker thread (so writes happen one at a time, in order) and calls
`on_result(result)` - or `on_error(error)` - later on the GUI thread via a queued signal.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from paperdeck.core.errors import PaperdeckError
from paperdeck.core.foryou_features import Cancelled

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong in paperdeck (details are in the log)."
Callback = Callable[[Any], None]


def describe(error: BaseException) -> str:
    """What to tell the user: our PaperdeckError messages as they are, anything else an apology."""
    return str(error) if isinstance(error, PaperdeckError) else APOLOGY


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], token: object, relay: Signal) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._token, self._relay = fn, token, relay

    def run(self) -> None:  # worker thread: no widgets here
        try:
            result, error = self._fn(), None
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            result, error = None, exc
            if isinstance(exc, Cancelled):  # stopped on purpose (the window is closing)
                log.info("background task stopped: %s", exc)
            elif not isinstance(exc, PaperdeckError):
                log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))
        with contextlib.suppress(RuntimeError):  # the window closed: nobody waits for this answer
            self._relay.emit(self._token, result, error)


class Tasks(QObject):
    """A single-thread queue of background jobs with results delivered on the GUI thread."""

    _finished = Signal(object, object, object)  # token, result, error
    busy_changed = Signal(bool, str)  # busy?, label of the running work
    failed = Signal(str)  # a message for the status bar when no on_error was given

    def __init__(self, parent: QObject | None = None, daemon: bool = False) -> None:
        """`daemon`: run each job on its own daemon thread, for work that must never hold up
        quitting (an index rebuild is thrown away and redone next time)."""
        super().__init__(parent)
        self._daemon = daemon
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._pending: dict[int, tuple[Callback | None, Callback | None, str]] = {}
        self._next = 0
        self._stopped = False
        self._finished.connect(self._deliver)

    def run(
        self,
        fn: Callable[[], Any],
        on_result: Callback | None = None,
        on_error: Callback | None = None,
        label: str = "",
    ) -> int:
        """Queue `fn`; returns a token (increasing) that callers may use to spot stale answers."""
        self._next += 1
        token = self._next
        if self._stopped:
            return token  # shutting down: the library closes next, nobody waits for this
        self._pending[token] = (on_result, on_error, label)
        if label:
            self.busy_changed.emit(True, label)
        job = _Job(fn, token, self._finished)
        if self._daemon:
            job.setAutoDelete(False)
            threading.Thread(target=job.run, name="paperdeck-background", daemon=True).start()
        else:
            self._pool.start(job)
        return token

    def stop(self) -> None:
        """Shutdown: refuse new work from now on; what is queued still runs (see `wait`)."""
        self._stopped = True

    def idle(self) -> bool:
        return not self._pending

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is done (shutdown only: results are then delivered by the loop)."""
        return self._pool.waitForDone(msecs)

    def _deliver(self, token: int, result: Any, error: BaseException | None) -> None:
        on_result, on_error, label = self._pending.pop(token, (None, None, ""))
        if label and not any(lbl for _, _, lbl in self._pending.values()):
            self.busy_changed.emit(False, "")
        try:
            if error is None:
                if on_result is not None:
                    on_result(result)
            elif on_error is not None:
                on_error(error)
            else:
                self.failed.emit(describe(error))
        except Exception:  # noqa: BLE001 - a screen's bug must not kill the event loop
            log.exception("handling a background result failed")
            self.failed.emit(APOLOGY)
