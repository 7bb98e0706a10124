"""Reading statistics: the pure numbers, and the painted page (saved as a PNG)."""

from __future__ import annotations

from datetime import date

from paperdeck.core.models import Draft, Paper
from paperdeck.ui.stats_data import compute_stats
from ui_helpers import QT_LOG_IGNORE, close_window, open_window, select_rows, wait_idle

pytestmark = QT_LOG_IGNORE
TODAY = date(2025, 3, 19)  # a Wednesday


def paper(pid: int, added: str, finished: str | None = None, status: str = "queued",
          tags: tuple[str, ...] = ()) -> Paper:
    return Paper(id=pid, title=f"P{pid}", added_at=added, finished_at=finished, status=status,
                 tags=list(tags))


def sample_papers() -> list[Paper]:
    return [
        paper(1, "2025-03-17T09:00:00+00:00", tags=("rl",)),
        paper(2, "2025-03-10T09:00:00+00:00", "2025-03-18T10:00:00+00:00", "read", ("rl", "llm")),
        paper(3, "2025-03-03T09:00:00+00:00", "2025-03-05T10:00:00+00:00", "read", ("llm",)),
        paper(4, "2025-03-03T09:00:00+00:00", status="reading", tags=("rl",)),
        paper(5, "2024-06-01T09:00:00+00:00", "2025-03-04T10:00:00+00:00", "archived"),
        Paper(id=6, title="gone", added_at="2025-03-17T09:00:00+00:00", trashed_at="2025-03-18"),
    ]


def test_weekly_counts_queue_median_and_tags():
    s = compute_stats(sample_papers(), today=TODAY, weeks=4)
    assert [w[0] for w in s.weeks] == [date(2025, 2, 24), date(2025, 3, 3), date(2025, 3, 10),
                                       date(2025, 3, 17)]
    assert [(a, r) for _, a, r in s.weeks] == [(0, 0), (2, 2), (1, 0), (1, 1)]
    assert s.queue_length == 2 and s.total == 5 and s.read_total == 3
    assert s.median_days_to_read == 8  # 8, 2 and 276 days
    assert s.top_tags == [("rl", 3), ("llm", 2)]


def test_no_papers_no_numbers():
    s = compute_stats([], today=TODAY)
    assert len(s.weeks) == 12 and s.median_days_to_read is None and s.top_tags == []


def test_statistics_page_paints_the_numbers_and_bars_to_scale(qtbot, tmp_path):
    """The tiles say the numbers, and the bars' painted areas follow the counts: 4 papers
    added and 3 read in the last 8 weeks, so read bars cover 3/4 of the added bars' area."""
    from PySide6.QtGui import QColor

    from paperdeck.ui.stats_view import ADDED_HUE, READ_HUE, StatsView

    view = StatsView()
    qtbot.addWidget(view)
    view.resize(900, 640)
    view.set_stats(compute_stats(sample_papers(), today=TODAY, weeks=8))
    image = view.grab().toImage()
    assert image.save(str(tmp_path / "stats.png"))
    assert [full for *_r, full in view.tiles_shown] == [
        "In the queue: 2", "Papers: 5", "Read: 3", "Median time to read: 8 days"]
    read_rgb, added_rgb = QColor(READ_HUE).rgb(), QColor(ADDED_HUE).rgb()
    counts = {read_rgb: 0, added_rgb: 0}
    for y in range(image.height()):
        for x in range(image.width()):
            px = image.pixel(x, y)
            if px in counts:
                counts[px] += 1
    assert counts[added_rgb] > 500  # bars were painted, not just the legend's squares
    assert 0.65 < counts[read_rgb] / counts[added_rgb] < 0.85, counts

    view.set_stats(compute_stats([], today=TODAY, weeks=8))
    empty = view.grab().toImage()
    assert [full for *_r, full in view.tiles_shown] == [
        "In the queue: 0", "Papers: 0", "Read: 0", "Median time to read: —"]
    bars = sum(empty.pixel(x, y) in (read_rgb, added_rgb)
               for y in range(empty.height()) for x in range(empty.width()))
    assert bars < 200  # the legend's two squares only


def test_statistics_from_the_sidebar(qtbot, lib, tmp_path):
    ids = lib.add([Draft(title=f"Paper {i}") for i in range(5)], raw_text="x", fmt="t")
    lib.set_status(ids[:2], "read")
    lib.add_tags(ids[:3], ["rl"])
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    win.actions_.show_stats.trigger()
    wait_idle(qtbot, win)
    assert win.stack.currentWidget() is win.stats
    s = win.stats.stats
    assert s.queue_length == 3 and s.read_total == 2 and s.top_tags == [("rl", 3)]
    assert sum(a for _, a, _r in s.weeks) == 5 and sum(r for *_, r in s.weeks) == 2
    win.show_view("queue")
    wait_idle(qtbot, win)
    assert win.stack.currentWidget() is win.list
    select_rows(win, [0])
    close_window(qtbot, win)
