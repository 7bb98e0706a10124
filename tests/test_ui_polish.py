"""Things an outside tester found in the window under Xvfb: the detail pane overflowing with
three suggested-tag chips, colours baked in before a theme switch, the sort dropdown naming
an order not shown, and a byline saying the year twice."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from paperdeck.core.models import Draft, Paper
from paperdeck.ui.paper_text import byline
from paperdeck.ui.theme import is_dark, keeper
from ui_helpers import QT_LOG_IGNORE, close_window, open_window, select_rows, wait_idle

pytestmark = QT_LOG_IGNORE

LONG = ("Scaling laws for sparsely activated mixture of experts language models trained on "
        "multilingual corpora with curriculum schedules")


def _show(qtbot, win, pid: int) -> None:
    row = win.model.row_of(pid)
    select_rows(win, [row])
    win._current_changed(win.model.index(row))
    wait_idle(qtbot, win)
    qtbot.waitUntil(win.triage.idle, timeout=20000)
    wait_idle(qtbot, win)



def _ids(win) -> list[int]:
    return win.lib.ids(view="all")


@pytest.fixture
def shown(qtbot, win):
    win.lib.add([Draft(title=f"{LONG} part {i} <b>&</b>", authors=["Ada Lovelace", "Alan Turing"],
                       year=2021, venue="Class. Quantum Grav. 38 (2021) 065012",
                       abstract="An abstract " * 40, url=f"https://example.org/paper/{i}")
                 for i in range(6)], raw_text="x", fmt="bibtex")
    win.sidebar.select("view", "all")
    wait_idle(qtbot, win)
    ids = _ids(win)
    win.lib.add_tags(ids[:1], ["a-first-rather-long-tag-name"])
    wait_idle(qtbot, win)
    _show(qtbot, win, ids[0])
    return win


def test_three_chips_and_long_related_titles_fit_800_by_600(qtbot, shown):
    win = shown
    win.resize(800, 600)
    qtbot.wait(50)
    panel, d = win.triage.panel, win.detail
    others = _ids(win)[1:]
    tags = ["reinforcement-learning-from-feedback", "mixture-of-experts-routing",
            "multilingual-curricula", "scaling-laws"]
    panel._fill(tags, [(i, 0.87, f"{LONG} <i>{i}</i> & more") for i in others])
    qtbot.wait(50)
    QApplication.processEvents()
    assert len(panel.chips) == 4
    viewport = d.viewport().width()
    assert d.widget().minimumSizeHint().width() <= viewport
    assert d.widget().width() <= viewport  # no content hidden past the right edge
    for widget in (d.title, d.abstract, d.meta["authors"], d.notes, panel, *panel.chips):
        right = widget.mapTo(d.widget(), widget.rect().topRight()).x()
        assert right <= viewport, widget
    line = d.title.fontMetrics().lineSpacing()
    assert d.title.height() >= 2 * line  # the title wraps onto more lines
    chip_rows = {c.geometry().top() for c in panel.chips}
    assert len(chip_rows) >= 2  # the chips wrap too
    for button in panel.related:
        assert button.text().endswith("…"), button.text()
        assert button.fontMetrics().horizontalAdvance(button.text()) <= button.width()
        assert "&lt;i&gt;" in button.toolTip() and "<i>" not in button.toolTip()
    win.resize(1280, 800)
    qtbot.wait(50)
    assert d.widget().width() <= d.viewport().width()


def _link_colour(html: str) -> set[str]:
    return {m.lower() for m in re.findall(r"color:\s*(#[0-9a-fA-F]{6})", html)}


def test_switching_theme_recolours_the_shown_paper(qtbot, shown):
    from paperdeck.ui.preferences import PreferencesDialog

    win, app = shown, QApplication.instance()
    keep = keeper(app)
    try:
        keep.apply("light")
        qtbot.wait(20)
        light_link = app.palette().color(QPalette.ColorRole.Link).name()
        assert _link_colour(win.detail.tags.text()) == {light_link}
        dialog = PreferencesDialog(win.settings, win)
        dialog.buttons["dark"].click()
        qtbot.waitUntil(lambda: is_dark(win.detail.palette()), timeout=3000)
        QApplication.processEvents()
        dark_link = app.palette().color(QPalette.ColorRole.Link).name()
        assert dark_link != light_link
        assert _link_colour(win.detail.tags.text()) == {dark_link}
        # the web link is drawn in the new link colour too (Qt bakes it in when text is set)
        image = win.detail.links.grab().toImage()
        colours = {image.pixelColor(x, y).name() for x in range(image.width())
                   for y in range(image.height())}
        assert dark_link in colours and light_link not in colours
        dialog.reject()
    finally:
        keep.apply("system", Qt.ColorScheme.Light)


def test_sort_dropdown_after_quitting_during_a_search(qtbot, lib, tmp_path):
    settings = tmp_path / "settings.ini"
    win = open_window(qtbot, lib, settings)
    lib.add([Draft(title=f"Paper {c}", year=2000 + i) for i, c in enumerate("cab")],
            raw_text="x", fmt="bibtex")
    wait_idle(qtbot, win)
    win.search.set_query("paper")
    wait_idle(qtbot, win)
    assert win.sort.currentData() == "relevance"
    win.save_settings()
    close_window(qtbot, win)
    win2 = open_window(qtbot, lib, settings)
    assert win2.search.query() == ""
    assert win2.sort.currentData() == "queue"
    assert [win2.model.id_at(r) for r in range(win2.model.rowCount())] == lib.ids(view="queue")
    close_window(qtbot, win2)


def test_sort_dropdown_names_for_you_in_the_for_you_view(qtbot, lib, tmp_path):
    settings = tmp_path / "settings.ini"
    win = open_window(qtbot, lib, settings)
    assert win.sort.currentData() == "queue"
    assert win.sidebar.select("view", "foryou")
    wait_idle(qtbot, win)
    assert win.sort.currentData() == "for-you"
    win.save_settings()
    assert win.sidebar.select("view", "queue")
    wait_idle(qtbot, win)
    assert win.sort.currentData() == "queue"  # back to the user's own order
    assert win.sidebar.select("view", "foryou")
    wait_idle(qtbot, win)
    win.save_settings()
    close_window(qtbot, win)
    win2 = open_window(qtbot, lib, settings)  # reopens on For you
    assert win2.view == "foryou" and win2.sort.currentData() == "for-you"
    assert win2.sidebar.select("view", "queue")
    wait_idle(qtbot, win2)
    assert win2.sort.currentData() == "queue"
    close_window(qtbot, win2)


@pytest.mark.parametrize(("venue", "year", "expected"), [
    ("Class. Quantum Grav. 38 (2021) 065012", 2021, "A. Lovelace · Class. Quantum Grav. 38 (2021) 065012"),
    ("NeurIPS", 2024, "A. Lovelace · NeurIPS 2024"),
    ("NeurIPS 2024", 2024, "A. Lovelace · NeurIPS 2024"),
    ("Proc. 12021 conference", 2021, "A. Lovelace · Proc. 12021 conference 2021"),
    ("", 2021, "A. Lovelace · 2021"),
])
def test_byline_says_the_year_once(venue, year, expected):
    paper = Paper(id=1, title="T", authors=["Ada Lovelace"], venue=venue, year=year)
    assert byline(paper) == expected


def test_detail_byline_says_the_year_once(qtbot, shown):
    text = shown.detail.byline.text()
    assert text.count("2021") == 1, text
