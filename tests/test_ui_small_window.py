"""The window from 800×600 up (issue 15, item 5): the detail pane wraps instead of scrolling
sideways, and the statistics tiles fit, or elide with the full text in a tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication

from paperdeck.core.models import Draft
from ui_helpers import import_sample, select_rows, wait_idle

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "QFont::setPointSizeF", "does not support raise")


def show_first(qtbot, win):
    select_rows(win, [0])
    win._current_changed(win.model.index(0))
    qtbot.wait(50)


def test_detail_pane_wraps_at_800_by_600(qtbot, win, sample_text):
    win.lib.add([Draft(title="A paper with a very long address", url="https://github.com/"
                       "some-organisation-name/a-really-long-repository-name-for-testing/tree/main",
                       authors=["Author Number One", "Author Number Two"], year=2024)],
                raw_text="x", fmt="bibtex")
    import_sample(qtbot, win, sample_text)
    win.resize(800, 600)
    qtbot.wait(50)
    win.sidebar.select("view", "all")
    wait_idle(qtbot, win)
    for row in (0, win.model.rowCount() - 1):
        select_rows(win, [row])
        win._current_changed(win.model.index(row))
        qtbot.wait(50)
        d = win.detail
        assert not d.horizontalScrollBar().isVisible()
        width = d.viewport().width()
        assert d.widget().minimumSizeHint().width() <= width
        for label in (d.title, d.links, d.byline, d.abstract):
            assert label.geometry().right() <= width, label.text()[:60]
        assert d.priority.geometry().right() <= width
    assert sum(win.splitter.sizes()) <= 800


def tile_tip(qtbot, view, rect) -> str:
    point = rect.center().toPoint()
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, point, view.mapToGlobal(point)))
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "qtooltip_label" and widget.isVisible():
            return widget.text()
    return ""


@pytest.mark.parametrize("width", [800, 1280, 1600])
def test_statistics_tiles_fit_or_elide_with_a_tooltip(qtbot, win, sample_text, width):
    import_sample(qtbot, win, sample_text)
    win.resize(width, 600)
    win.actions_.show_stats.trigger()
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: bool(win.stats.tiles_shown), timeout=5000)
    win.stats.repaint()
    labels = {"In the queue", "Papers", "Read", "Median time to read"}
    seen = set()
    for rect, label, _value, full in win.stats.tiles_shown:
        assert rect.right() <= win.stats.width()
        if label in labels:
            seen.add(label)
        else:  # elided: the tooltip says it all
            assert label.endswith("…") and full.split(":")[0] in tile_tip(qtbot, win.stats, rect)
    if width >= 1280:
        assert seen == labels  # wide enough: nothing cut
