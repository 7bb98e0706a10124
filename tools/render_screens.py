"""Render paperdeck's screens to PNG files, in light and dark palettes, for a visual check.

    QT_QPA_PLATFORM=offscreen python tools/render_screens.py [--out shots]

Builds a throwaway library with the sample digest (a few papers read, tagged and
prioritised), then saves, at 800×600 and 1600×1000, the queue, a search, a search without
hits, an empty view, the statistics page, the welcome panel and the import dialog.
Fusion style in both themes, so the result is the same everywhere. `shots/` is ignored by git.
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


SIZES = ((800, 600), (1600, 1000))


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
            for width, height in SIZES:
                size = f"{width}x{height}"
                settings = QSettings(str(tmp_path / f"{theme}{size}.ini"), QSettings.Format.IniFormat)
                win = build_main_window(lib, settings)
                win.resize(width, height)
                win.show()
                wait_idle(app, win)

                def shot(name: str, widget=None, win=win, size=size, theme=theme) -> None:
                    wait_idle(app, win)
                    settle(app)
                    (widget or win).grab().save(str(out / f"{name}-{size}-{theme}.png"))

                win.list.setCurrentIndex(win.model.index(0))
                shot("queue")
                win.search.set_query("skill")
                shot("search")
                win.search.set_query("zzzunfindable")
                shot("search-none")
                win.search.set_query("")
                win.sidebar.select("view", "foryou")  # the queue by for-you score (issue 16)
                wait_idle(app, win)
                win.list.setCurrentIndex(win.model.index(0))
                shot("foryou")
                win.sidebar.select("view", "queue")
                win.show_view("trash")
                shot("trash-empty")
                win.show_view("queue")
                win.actions_.show_stats.trigger()
                shot("stats")
                win.close()
                win.deleteLater()
                wait_idle(app, win)
                empty = Library.open(tmp_path / f"empty-{theme}-{size}")
                fresh = build_main_window(empty, QSettings(str(tmp_path / f"e{theme}{size}.ini"),
                                                           QSettings.Format.IniFormat))
                fresh.resize(width, height)
                fresh.show()
                wait_idle(app, fresh)
                fresh.grab().save(str(out / f"welcome-{size}-{theme}.png"))
                lines = sample.split("\n")
                empty.import_text("\n".join(lines[:3] + lines[5:11]))  # a few: the rest are new
                wait_idle(app, fresh)
                dialog = fresh.importer.open_dialog(sample)
                dialog.resize(min(980, width - 40), min(680, height - 40))
                dialog.tags.setText("weekly digest")
                wait_idle(app, fresh)
                settle(app)
                dialog.grab().save(str(out / f"import-{size}-{theme}.png"))
                dialog.reject()
                half = "\n".join(lines[: len(lines) // 2])  # the import review ranked by score
                reader = Library.open(tmp_path / f"reader-{theme}-{size}")
                reader.import_text(half)
                skills = reader.ids("skill*")
                reader.set_status(skills[:4], "read")
                reader.add_tags(skills[4:8], ["skills"])
                ranked = build_main_window(reader, QSettings(str(tmp_path / f"r{theme}{size}.ini"),
                                                             QSettings.Format.IniFormat))
                ranked.resize(width, height)
                ranked.show()
                wait_idle(app, ranked)
                dialog = ranked.importer.open_dialog(sample)
                dialog.resize(min(980, width - 40), min(680, height - 40))
                for _ in range(200):
                    if dialog.triage.scores:
                        break
                    wait_idle(app, ranked)
                dialog.triage.tick_top(10)
                settle(app)
                dialog.grab().save(str(out / f"import-foryou-{size}-{theme}.png"))
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
