"""Child process for the cold-start measurement: `python coldstart.py LIBRARY T0 QUERY`.

T0 is the parent's wall clock just before it started this process. Prints one JSON
object of milliseconds since T0 (and the peak RSS). Uses
`paperdeck.app.build_main_window(lib)` and its `cards_shown` / `search_applied`
signals when they exist; otherwise it measures the parts that exist: Qt import and
QApplication (offscreen), Library.open, the queue's ids and the first page of cards,
then the first search (ids plus highlighting of the first 20 hits).
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


def main() -> None:
    folder, t0, query = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    ms = lambda: round((time.time() - t0) * 1000, 1)  # noqa: E731
    out: dict[str, object] = {"python_ms": ms()}
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    out["qt_ms"] = ms()
    from paperdeck.core.library import Library

    try:
        from paperdeck import app as pd_app

        build = getattr(pd_app, "build_main_window", None)
    except ImportError:
        build = None
    lib = Library.open(folder)
    out["open_ms"] = ms()
    if build is not None:
        out["mode"] = "build_main_window"
        window = build(lib)
        done: dict[str, float] = {}
        window.cards_shown.connect(lambda *a: done.setdefault("cards", ms()))
        window.search_applied.connect(lambda *a: done.setdefault("search", ms()))
        window.show()
        while "cards" not in done and ms() < 60_000:
            app.processEvents()
        out["cards_ms"] = done.get("cards")
        window.set_query(query) if hasattr(window, "set_query") else None
        while "search" not in done and ms() < 60_000:
            app.processEvents()
        out["first_search_ms"] = done.get("search")
    else:
        out["mode"] = "parts (no paperdeck.app.build_main_window yet)"
        ids = lib.ids(view="queue")
        lib.papers(ids[:FIRST_PAGE])
        out["cards_ms"] = ms()
        from highlight import highlight_top

        hits = lib.ids(query)
        highlight_top(lib, query, hits)
        out["first_search_ms"] = ms()
        out["hits"] = len(hits)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    lib.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
