"""Render paperdeck's screens to PNG files, in light and dark palettes, for a visual check.

    QT_QPA_PLATFORM=offscreen python tools/render_screens.py [--out shots]

Builds a throwaway library with the sample digest (a few papers read, tagged and
prioritised), then saves the main window, the import dialog, the welcome panel and
the statistics page. Fusion style in both themes, so the result is the same everywhere.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def settle(app, win=None, rounds: int = 40) -> None:
    """Let queued work and paints finish."""
    import time

    for _ in range(rounds):
        app.processEvents()
        if win is not None and win.tasks.idle() and win.indexer.idle():
            app.processEvents()
            return
        time.sleep(0.05)


def wait_idle(app, win, seconds: float = 60) -> None:
    import time

    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        if win.tasks.idle() and win.indexer.idle():
            break
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def decorate(lib) -> None:
    """Give the sample library some variety: statuses, tags, priorities, notes."""
    ids = lib.ids(view="queue")
    lib.set_status(ids[1:3], "reading")
    lib.set_status(ids[10:25], "read")
    lib.set_status(ids[25:30], "archived")
    lib.add_tags(ids[0:40:3], ["skills"])
    lib.add_tags(ids[0:60:4], ["robotics"])
    lib.add_tags(ids[0:30:5], ["llm agents"])
    lib.add_tags(ids[3:9], ["to discuss"])
    lib.set_priority(ids[0:1], 3)
    lib.set_priority(ids[3:5], 1)
    lib.update(ids[0], notes="Compare with Chain-of-Learning; check the legal-task numbers.",
               authors=["Zhihu Wang", "Shiwan Zhao"], year=2024, arxiv_id="2408.06904")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "shots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import paperdeck.ui  # noqa: F401 - installs the PySide6 refcount guard first
    from paperdeck.app import build_main_window
    from paperdeck.core.library import Library
    from paperdeck.paths import sample_digest_path
    from paperdeck.ui.theme import dark_palette

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    sample = sample_digest_path().read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        lib = Library.open(tmp_path / "library")
        lib.import_text(sample)
        decorate(lib)
        for theme, palette in (("light", app.style().standardPalette()), ("dark", dark_palette())):
            app.setPalette(palette)
            settings = QSettings(str(tmp_path / f"{theme}.ini"), QSettings.Format.IniFormat)
            win = build_main_window(lib, settings)
            win.resize(1360, 860)
            win.show()
            wait_idle(app, win)
            win.search.set_query("skill")
            wait_idle(app, win)
            win.list.setCurrentIndex(win.model.index(0))
            wait_idle(app, win)
            win.grab().save(str(out / f"main-{theme}.png"))
            win.search.set_query("")
            wait_idle(app, win)
            win.list.setCurrentIndex(win.model.index(0))
            wait_idle(app, win)
            win.grab().save(str(out / f"queue-{theme}.png"))
            win.sidebar.select("view", "foryou")  # the queue by for-you score (issue 16)
            wait_idle(app, win)
            win.list.setCurrentIndex(win.model.index(0))
            wait_idle(app, win)
            win.grab().save(str(out / f"foryou-{theme}.png"))
            win.sidebar.select("view", "queue")
            wait_idle(app, win)
            win.actions_.show_stats.trigger()
            wait_idle(app, win)
            win.stats.grab().save(str(out / f"stats-{theme}.png"))
            win.close()
            win.deleteLater()
            wait_idle(app, win)
            empty = Library.open(tmp_path / f"empty-{theme}")
            fresh = build_main_window(empty, QSettings(str(tmp_path / f"e{theme}.ini"),
                                                       QSettings.Format.IniFormat))
            fresh.resize(1100, 700)
            fresh.show()
            wait_idle(app, fresh)
            fresh.grab().save(str(out / f"welcome-{theme}.png"))
            lines = sample.split("\n")
            empty.import_text("\n".join(lines[:3] + lines[5:11]))  # a few: the rest are new
            wait_idle(app, fresh)
            dialog = fresh.importer.open_dialog(sample)
            dialog.tags.setText("weekly digest")
            wait_idle(app, fresh)
            settle(app)
            dialog.grab().save(str(out / f"import-{theme}.png"))
            dialog.reject()
            half = "\n".join(lines[: len(lines) // 2])  # the import review ranked by score
            reader = Library.open(tmp_path / f"reader-{theme}")
            reader.import_text(half)
            skills = reader.ids("skill*")
            reader.set_status(skills[:4], "read")
            reader.add_tags(skills[4:8], ["skills"])
            ranked = build_main_window(reader, QSettings(str(tmp_path / f"r{theme}.ini"),
                                                         QSettings.Format.IniFormat))
            ranked.show()
            wait_idle(app, ranked)
            dialog = ranked.importer.open_dialog(sample)
            for _ in range(200):
                if dialog.triage.scores:
                    break
                wait_idle(app, ranked)
            dialog.triage.tick_top(10)
            settle(app)
            dialog.grab().save(str(out / f"import-foryou-{theme}.png"))
            dialog.reject()
            ranked.close()
            wait_idle(app, ranked)
            reader.close()
            fresh.close()
            wait_idle(app, fresh)
            empty.close()
        lib.close()
    print(f"screens saved in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
