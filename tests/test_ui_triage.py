"""The window's triage parts, driven through real widgets: the For you view and its
reasons on hover, saved searches in the sidebar, the sort choice, the import dialog
ranked by score, and suggested tags and related papers in the detail pane."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from ui_helpers import QT_LOG_IGNORE, wait_idle

pytestmark = QT_LOG_IGNORE


def _shown(win) -> list[int]:
    return [win.model.id_at(r) for r in range(win.model.rowCount())]


def _wait_triage(qtbot, win) -> None:
    for _ in range(2):  # the model's worker may queue work for the window's, and back
        wait_idle(qtbot, win)
        qtbot.waitUntil(win.triage.idle, timeout=20000)
    wait_idle(qtbot, win)


@pytest.fixture
def sampled(qtbot, win, sample_text):
    win.lib.import_text(sample_text)
    _wait_triage(qtbot, win)
    return win


@pytest.mark.qt_log_ignore("propagateSizeHints", "QFont::setPointSizeF", "does not support raise")
def test_for_you_view_ranks_the_queue_and_explains_on_hover_off_the_gui_thread(qtbot, sampled):
    win, lib = sampled, sampled.lib
    rec = lib.recommender
    threads: list[threading.Thread] = []
    refresh = rec.refresh
    rec.refresh = lambda: (threads.append(threading.current_thread()), refresh())[1]
    skills = lib.ids("title:skill")
    for pid in skills[:3]:
        lib.update(pid, title="<i>Skill</i> & " + lib.get(pid).title)
    lib.set_status(skills[:3], "read")
    updates = win.triage.updates
    qtbot.waitUntil(lambda: win.triage.updates > updates, timeout=10000)
    assert win.sidebar.select("view", "foryou")
    _wait_triage(qtbot, win)
    top = _shown(win)[0]
    assert lib.get(top).status == "queued"
    assert "skill" in (lib.get(top).title + lib.get(top).abstract).lower()
    qtbot.waitUntil(lambda: win.triage.tooltip_for(top) is not None, timeout=10000)
    tip = win.triage.tooltip_for(top)
    assert tip.startswith("<qt><b>For you: ") and "like “" in tip and "terms: " in tip
    assert "&lt;i&gt;Skill&lt;/i&gt; &amp; " in tip and "<i>Skill" not in tip
    # a real hover over the first card shows that text
    rect = win.list.visualRect(win.model.index(0))
    where = win.list.viewport().mapToGlobal(rect.center())
    QApplication.sendEvent(win.list.viewport(), QHelpEvent(QEvent.Type.ToolTip, rect.center(), where))
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    assert QToolTip.text() == tip
    assert threads and all(t is not threading.main_thread() for t in threads)
    rec.refresh = refresh  # the test's own questions below run here, on the GUI thread
    assert _shown(win) == lib.ids(view="foryou")
    assert len(_shown(win)) == len(lib.ids(view="queue"))


def test_cold_start_says_so_and_lists_newest_first(qtbot, sampled):
    win, lib = sampled, sampled.lib
    win.sidebar.select("view", "foryou")
    _wait_triage(qtbot, win)
    assert _shown(win) == lib.ids(view="queue", sort="added")
    qtbot.waitUntil(lambda: "No reading signal yet" in win.statusBar().currentMessage(),
                    timeout=10000)


def test_saved_searches_in_the_sidebar_with_live_counts(qtbot, sampled):
    win, lib = sampled, sampled.lib
    section = win.triage.saved
    section.save("Skills", "skill*")
    section.save("Robots", "robot*")
    _wait_triage(qtbot, win)

    def rows() -> list[tuple[str, int]]:
        from paperdeck.ui.sidebar import CountRole, KindRole

        return [(win.sidebar.item(r).text(), win.sidebar.item(r).data(CountRole))
                for r in range(win.sidebar.count()) if win.sidebar.item(r).data(KindRole) == "saved"]

    skills = lib.ids("skill*")
    assert rows() == [("Skills", len(skills)), ("Robots", len(lib.ids("robot*")))]
    assert win.sidebar.select("saved", "skills")
    _wait_triage(qtbot, win)
    assert win.search.query() == "skill*" and _shown(win) == lib.ids("skill*")
    lib.trash(skills[:2])  # counts are live
    _wait_triage(qtbot, win)
    assert rows()[0] == ("Skills", len(skills) - 2)
    section.rename("Skills", "Skill papers")
    section.move("Robots", -1)
    _wait_triage(qtbot, win)
    assert [name for name, _ in rows()] == ["Robots", "Skill papers"]
    section.delete("Robots")
    _wait_triage(qtbot, win)
    assert [name for name, _ in rows()] == ["Skill papers"]
    assert [s.name for s in lib.saved_searches(counts=False)] == ["Skill papers"]
    section.save("Typo", "year:[2020 TO")  # refused, said in the status bar, nothing saved
    _wait_triage(qtbot, win)
    assert "A range is not closed" in win.statusBar().currentMessage()
    assert [name for name, _ in rows()] == ["Skill papers"]


def test_sort_choice_offers_every_order(qtbot, sampled):
    win, lib = sampled, sampled.lib
    keys = [win.sort.itemData(i) for i in range(win.sort.count())]
    assert keys == ["queue", "relevance", "for-you", "added", "year", "title", "author"]
    win.sort.setCurrentIndex(keys.index("author"))
    win.sort.activated.emit(keys.index("author"))
    _wait_triage(qtbot, win)
    assert _shown(win) == lib.ids(view="queue", sort="author")


def test_import_dialog_rows_by_score_with_bars_and_tick_top_n(qtbot, win, sample_text):
    lib = win.lib
    lines = sample_text.split("\n")
    half = "\n".join(lines[: len(lines) // 2])
    lib.import_text(half)
    _wait_triage(qtbot, win)  # the index catches up aside
    skills = lib.ids("skill*")
    lib.set_status(skills[:4], "read")
    lib.add_tags(skills[4:6], ["skills"])
    _wait_triage(qtbot, win)
    dialog = win.importer.open_dialog(sample_text)
    qtbot.waitUntil(lambda: bool(dialog.triage.scores), timeout=20000)
    assert dialog.triage.tasks is win.triage.tasks  # not the window's worker
    scores = [s.score for s in dialog.triage.scores]
    from paperdeck.ui.import_triage import ScoreRole

    assert [dialog.preview.item(r).data(ScoreRole) for r in range(len(scores))] == scores
    new_rows = [r for r, it in enumerate(dialog.items) if it.verdict == "new"]
    assert new_rows == list(range(len(new_rows)))  # new papers first, then those you have
    for part in (scores[: len(new_rows)], scores[len(new_rows):]):
        assert part == sorted(part, reverse=True)
    top_new = dialog.items[new_rows[0]].draft
    assert "skill" in (top_new.title + top_new.abstract).lower()
    tip = dialog.preview.item(new_rows[0]).toolTip()
    assert tip.startswith("<qt>") and "like “" in tip
    dialog.triage.tick_top(5)
    checked = [r for r in range(dialog.preview.count())
               if dialog.preview.item(r).checkState() == Qt.CheckState.Checked]
    assert checked == new_rows[:5]
    assert dialog.import_button.text() == "Import 5 papers"
    dialog.triage.tick_above(0.6)
    checked = [r for r in range(dialog.preview.count())
               if dialog.preview.item(r).checkState() == Qt.CheckState.Checked]
    assert checked == [r for r in new_rows if scores[r] >= 0.6]
    assert any("Suggested tags: skills" in dialog.preview.item(r).text() for r in new_rows[:10])
    assert not dialog.grab().isNull()  # the bars paint
    dialog.reject()


def test_detail_pane_offers_suggested_tag_chips_and_related_papers(qtbot, sampled):
    win, lib = sampled, sampled.lib
    skills = lib.ids("title:skill")
    lib.add_tags(skills[:3], ["skills"])
    _wait_triage(qtbot, win)
    pid = skills[4]
    win.list.setCurrentIndex(win.model.index(win.model.row_of(pid)))
    panel = win.triage.panel
    qtbot.waitUntil(lambda: panel.pid == pid and bool(panel.related), timeout=10000)
    assert [c.text() for c in panel.chips][:1] == ["+ skills"]
    near = lib.related(pid)
    assert [b.full_text.split("  ", 1)[1] for b in panel.related] == [
        lib.get(i).title for i, _ in near]
    panel.chips[0].click()
    qtbot.waitUntil(lambda: "skills" in lib.get(pid).tags, timeout=10000)
    _wait_triage(qtbot, win)
    qtbot.waitUntil(lambda: "+ skills" not in [c.text() for c in panel.chips], timeout=10000)
    panel.related[0].click()
    _wait_triage(qtbot, win)
    qtbot.waitUntil(lambda: win.detail.paper is not None and win.detail.paper.id == near[0][0],
                    timeout=10000)


def test_a_cancelled_model_build_stops_and_a_resumed_one_runs(qtbot, win, sample_text):
    """Closing the window cancels a build (half a minute at 100,000 papers) rather than wait."""
    from paperdeck.core import foryou_features
    from paperdeck.core.foryou import Cancelled, Recommender

    lib = win.lib
    lib.import_text(sample_text)
    _wait_triage(qtbot, win)
    (lib.folder / foryou_features.FILE).unlink()  # else a new model maps the window's file
    rec = Recommender(lib.store)
    rec.cancel()
    with pytest.raises(Cancelled):
        rec.refresh()
    assert not (lib.folder / foryou_features.FILE).exists()
    rec.resume()
    rec.refresh()
    assert len(rec.row_of) == len(lib.ids(view="all")) == rec.features.n


def test_a_window_opening_on_for_you_shows_cards_at_once_then_ranks_them(qtbot, lib, tmp_path,
                                                                          sample_text):
    """The first cards never wait for the model's first build: queue order, then by score."""
    from ui_helpers import close_window, open_window, settings_at

    lib.import_text(sample_text)
    skills = lib.ids("title:skill")
    lib.set_status(skills[:3], "read")
    settings = settings_at(tmp_path / "s.ini")
    settings.setValue("view/kind", "view")
    settings.setValue("view/value", "foryou")
    settings.sync()
    assert not lib.recommender.warm()
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    try:
        assert win.view == "foryou"
        qtbot.waitUntil(lambda: win.triage.updates >= 1, timeout=20000)
        _wait_triage(qtbot, win)
        assert _shown(win) == lib.ids(view="foryou") != lib.ids(view="queue")
    finally:
        close_window(qtbot, win)


def test_a_related_paper_outside_the_list_opens_in_all_papers(qtbot, sampled):
    """Choosing a related paper the current tag and search hide: the search is cleared, the
    sidebar goes to All papers, and that paper is selected and shown."""
    win, lib = sampled, sampled.lib
    pid = lib.ids("title:skill")[0]
    lib.add_tags([pid], ["solo"])
    _wait_triage(qtbot, win)
    win.filter_by_tag("solo")
    win.search.set_query("tag:solo")
    qtbot.waitUntil(lambda: _shown(win) == [pid], timeout=10000)
    win.list.setCurrentIndex(win.model.index(0))
    panel = win.triage.panel
    qtbot.waitUntil(lambda: panel.pid == pid and bool(panel.related), timeout=10000)
    other = lib.related(pid)[0][0]
    assert other not in _shown(win)
    panel.related[0].click()
    _wait_triage(qtbot, win)
    qtbot.waitUntil(lambda: win.detail.paper is not None and win.detail.paper.id == other,
                    timeout=10000)
    assert win.search.query() == "" and (win.view, win.tag) == ("all", "")
    assert win.sidebar.current() == ("view", "all")
    assert win.selected_ids() == [other] and _shown(win) == lib.ids(view="all", sort="queue")


def test_after_close_nothing_new_reaches_the_model_worker(qtbot, sampled):
    """Results the window's worker hands over after Close (a new list, a new current card)
    start no model work: the library is closed next, and a question still running on the
    model's worker then read a closed database (a segfault seen in the test runs)."""
    win = sampled
    win.close()
    assert win.triage.tasks.idle()
    win.select_rows([1])  # the current card changes: the panel would ask for suggestions
    assert win.triage.tasks.idle()
    win.ids_applied.emit(win.model.rowCount())  # a reload delivered after Close
    assert win.triage.tasks.idle()


def test_closing_the_window_ends_the_helper_process_building_the_features(qtbot, lib, tmp_path,
                                                                          sample_text, monkeypatch):
    """At 100,000 papers a helper process builds the vectors for half a minute: closing
    the window must end it, not wait for it or leave it running."""
    import signal
    import time

    from paperdeck.core import foryou, foryou_features
    from ui_helpers import open_window

    monkeypatch.setattr(foryou, "HELPER_FROM", 0)  # this small library gets a helper too
    lib.import_text(sample_text)
    lib.set_status(lib.ids("title:skill")[:3], "read")
    window = open_window(qtbot, lib, tmp_path / "settings.ini")
    rec = lib.recommender
    deadline = time.monotonic() + 30
    while rec.helper is None and not rec.warm():
        assert time.monotonic() < deadline
        qtbot.wait(1)
    helper = rec.helper
    assert helper is not None, "the model was built before a helper was seen"
    window.close()
    assert helper.exitcode == -signal.SIGKILL
    assert not (lib.folder / foryou_features.FILE).exists() and not rec.warm()
