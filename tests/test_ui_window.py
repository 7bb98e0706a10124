"""The library window: import by paste, cards, search, the welcome panel, detail edits, settings."""

from __future__ import annotations

from paperdeck.core.library import Library
from ui_helpers import (
    QT_LOG_IGNORE,
    activate,
    close_window,
    import_sample,
    open_window,
    press,
    select_rows,
    wait_idle,
)

pytestmark = QT_LOG_IGNORE


def test_pasting_the_sample_digest_shows_119_cards_the_first_selected(qtbot, win, sample_text):
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(sample_text)
    activate(qtbot, win, win.welcome.sample_button)  # an empty library shows the welcome panel
    press(qtbot, win.welcome.sample_button, "Ctrl+V")
    dialog = win.importer.dialog
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    assert dialog.import_button.text() == "Import 119 papers"
    assert "119 papers found" in dialog.summary.text()
    dialog.import_button.click()
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 119
    assert win.selected_ids() == [win.model.id_at(0)]  # not all 119: Delete would trash them
    assert win.detail.paper.id == win.model.id_at(0)
    assert win.statusBar().currentMessage() == "Imported 119 papers"
    assert win.sidebar.count_of("view", "queue") == 119
    assert win.stack.currentWidget() is win.list
    assert "119 papers shown" in win.shown_label.text()


def test_search_narrows_highlights_and_keeps_results_on_a_bad_query(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    with qtbot.waitSignal(win.search_applied, timeout=30000) as applied:
        win.search.setText("robots")
        win.search.emit_now()
    found = applied.args[0]
    assert 0 < found < 119 and win.model.rowCount() == found
    assert win.model.terms == ("robot",)
    select_rows(win, [0])
    first = win.model.paper_at(0)
    assert "robot" in (first.title + first.abstract).lower()
    assert "background-color" in win.detail.title.text() + win.detail.abstract.text()
    win.search.set_query('"chain of')
    wait_idle(qtbot, win)
    assert win.hint.isVisible() and "quote" in win.hint.text()
    assert win.model.rowCount() == found  # the last good results stay
    win.search.setFocus()
    from PySide6.QtCore import Qt

    qtbot.keyClick(win.search, Qt.Key.Key_Escape)
    wait_idle(qtbot, win)
    assert win.search.text() == "" and not win.hint.isVisible()
    assert win.model.rowCount() == 119


def test_stale_search_results_are_dropped(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    win.search.set_query("robot")
    win.search.set_query("skill")
    wait_idle(qtbot, win)
    assert set(win.model.ids()) == set(win.lib.ids("skill"))


def test_empty_library_shows_the_welcome_panel_and_imports_the_sample(qtbot, win):
    assert win.stack.currentWidget() is win.welcome
    win.welcome.sample_button.click()
    wait_idle(qtbot, win)
    assert win.stack.currentWidget() is win.list
    assert win.model.rowCount() == 119
    assert win.statusBar().currentMessage().startswith("Imported 119 papers")


def test_detail_edits_persist_after_reopening(qtbot, lib, data_dir, tmp_path, sample_text):
    settings = tmp_path / "settings.ini"
    win = open_window(qtbot, lib, settings)
    import_sample(qtbot, win, sample_text)
    select_rows(win, [2])
    pid = win.model.id_at(2)
    detail = win.detail
    from PySide6.QtCore import Qt

    qtbot.mouseClick(detail.notes.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(detail.notes, "Read section 3 first.")
    qtbot.waitUntil(lambda: not detail._notes_timer.isActive(), timeout=5000)
    for field, value in ((detail.meta["year"], "2023"), (detail.meta["authors"], "Ada Lovelace; Alan Turing"),
                         (detail.meta["doi"], "10.1000/xyz123"), (detail.tag_input, "robotics")):
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)  # click in, replace, Enter
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(field, value)
        qtbot.keyClick(field, Qt.Key.Key_Return)
    detail.status.setFocus()
    qtbot.keyClick(detail.status, Qt.Key.Key_Down)  # Queued → Reading
    wait_idle(qtbot, win)
    win.show_view("all")
    wait_idle(qtbot, win)
    close_window(qtbot, win)
    lib.close()
    again = Library.open(data_dir)
    try:
        paper = again.get(pid)
        assert paper.notes == "Read section 3 first."
        assert paper.year == 2023 and paper.authors == ["Ada Lovelace", "Alan Turing"]
        assert paper.doi == "10.1000/xyz123" and paper.tags == ["robotics"]
        assert paper.status == "reading"
        win2 = open_window(qtbot, again, settings)
        assert win2.view == "all" and win2.sidebar.current() == ("view", "all")
        select_rows(win2, [win2.model.row_of(pid)])
        assert win2.detail.notes.toPlainText() == "Read section 3 first."
        assert "Ada Lovelace" in win2.detail.byline.text()
        close_window(qtbot, win2)
    finally:
        again.close()


def test_links_open_only_for_web_addresses(qtbot, win, monkeypatch):
    from paperdeck.ui import links

    opened = []
    monkeypatch.setattr(links.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert links.open_link("https://arxiv.org/abs/1706.03762")
    assert links.open_link("doi:10.1000/xyz")
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "ftp://x.org/a", "/tmp/x", ""):
        assert not links.open_link(bad)
    assert [u.toString() for u in opened] == ["https://arxiv.org/abs/1706.03762",
                                              "https://doi.org/10.1000/xyz"]
    html = links.links_html([("evil", "javascript:alert(1)"), ("ok", "https://x.org")])
    assert 'href="javascript' not in html and 'href="https://x.org"' in html


def test_card_model_passes_the_model_tester(qtbot, win, sample_text, qtmodeltester):
    import_sample(qtbot, win, sample_text)
    qtmodeltester.check(win.model, force_py=True)


def test_cards_paint_with_highlights(qtbot, win, sample_text, tmp_path):
    import_sample(qtbot, win, sample_text)
    win.search.set_query("skill")
    wait_idle(qtbot, win)
    from paperdeck.ui import theme

    image = win.list.viewport().grab().toImage()
    assert image.save(str(tmp_path / "cards.png"))
    mark = theme.match_background(win.list.palette()).rgb()
    top = min(image.height(), 200)
    marked = sum(image.pixel(x, y) == mark for x in range(0, image.width(), 3) for y in range(0, top, 2))
    assert marked > 20  # the matched words in the first cards sit on the highlight colour
