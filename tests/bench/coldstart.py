"""Child process for the cold-start measurement: `python coldstart.py LIBRARY T0 QUERY`.

T0 is the parent's wall clock just before it started this process. Prints one JSON
object of milliseconds since T0 (and the peak RSS). Like `paperdeck.app.run_gui`:
QApplication (offscreen), `Library.open(sync_index=False)`, then
`paperdeck.app.build_main_window(lib)`, shown; "cards" is its `cards_shown` signal.
Then the search bar gets QUERY and "first search" is the `search_applied` signal
for it (answered by Whoosh if its background open finished, else by the SQLite
fallback: `ranked` says which). With a fourth argument `model`, it then waits for the
for-you model's first build (issue 16), opens the For you view and reports the peak
RSS with the model built ("model_ms": when it was ready). Without `build_main_window` (older trees) it
measures the parts: Library.open, the queue's ids and its first page of cards.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
FIRST_PAGE = 50


def peak_rss_mb() -> float:
    """This process's peak resident set. Not getrusage's ru_maxrss: Linux carries that
    over from the parent across fork and exec, so a child of the (big) bench process
    would report the bench's own peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    folder, t0, query = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    ms = lambda: round((time.time() - t0) * 1000, 1)  # noqa: E731
    out: dict[str, object] = {"python_ms": ms()}
    from PySide6.QtWidgets import QApplication

    try:
        from paperdeck import app as pd_app
    except ImportError:
        pd_app = None
    build = getattr(pd_app, "build_main_window", None)
    make_app = getattr(pd_app, "_application", None) or QApplication
    _app = make_app(sys.argv[:1])  # held: Qt needs its application alive
    out["qt_ms"] = ms()
    from paperdeck.core.library import Library

    lib = Library.open(folder, sync_index=build is None)
    out["open_ms"] = ms()
    if build is not None:
        out["mode"] = "build_main_window"
        from PySide6.QtCore import QEventLoop, QTimer

        def wait_until(key: str, seconds: float = 120.0) -> None:
            """Run the event loop, as the app does (not a Python busy loop, which would
            take the interpreter from the background threads), until `key` is done."""
            if key in done:
                return
            loop = QEventLoop()
            waiting[key] = loop
            QTimer.singleShot(int(seconds * 1000), loop.quit)
            loop.exec()

        def mark(key: str, value: object = None) -> None:
            done.setdefault(key, ms())
            if value is not None:
                done.setdefault("hits", value)
            if key in waiting:
                waiting.pop(key).quit()

        window = build(lib)
        done: dict[str, object] = {}
        waiting: dict[str, QEventLoop] = {}
        window.cards_shown.connect(lambda *a: mark("cards"))
        window.show()
        wait_until("cards")
        out["cards_ms"] = done.get("cards")
        window.search_applied.connect(lambda n: mark("search", n))
        window.search.set_query(query)
        ranked = lib.index.ready
        wait_until("search")
        out["first_search_ms"] = done.get("search")
        out["hits"] = done.get("hits")
        out["ranked"] = ranked
        wait_until("idle", 1.0)  # let the background index open finish, as a user would
        if sys.argv[4:5] == ["model"]:
            triage = window.triage
            if triage.updates == 0:
                triage.model_updated.connect(lambda: mark("model"))
                wait_until("model", 600.0)
            out["model_ms"] = done.get("model", ms())
            window.cards_shown.connect(lambda *a: mark("foryou"))
            window.sidebar.select("view", "foryou")
            wait_until("foryou", 60.0)
            wait_until("settle", 2.0)  # the view's reasons (hover tips) are fetched
        if hasattr(window, "shutdown"):
            window.shutdown()
    else:
        out["mode"] = "parts (no paperdeck.app.build_main_window)"
        ids = lib.ids(view="queue")
        lib.papers(ids[:FIRST_PAGE])
        out["cards_ms"] = ms()
        lib.papers(lib.ids(query)[:FIRST_PAGE])
        out["first_search_ms"] = ms()
    out["peak_rss_mb"] = peak_rss_mb()
    lib.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
