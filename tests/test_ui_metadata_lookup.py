"""Complete metadata (Ctrl+Shift+M) against a local stand-in for arXiv and Crossref: a
second press while it runs, closing the window in the middle, papers not found or answered
with an error, one service offline while the other answers, a library that cannot be written."""

from __future__ import annotations

import re
import time

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from enrich_fakes import FakeServices, Reply, free_port
from paperdeck.core.enrich import EnrichSettings
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from ui_helpers import (
    QT_LOG_IGNORE_DIALOGS,
    activate,
    close_window,
    open_window,
    press,
    select_rows,
    wait_idle,
)

pytestmark = QT_LOG_IGNORE_DIALOGS


@pytest.fixture
def services():
    fake = FakeServices().start()
    yield fake
    fake.stop()


def lookup_window(qtbot, lib, tmp_path, settings: EnrichSettings):
    lib.metadata_client(settings)
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    activate(qtbot, win)
    select_rows(win, list(range(win.model.rowCount())))
    return win


def shown_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


PAPERS = ["1706.03762", "1207.7214", "2401.00001", "2401.00002"]


def paced_lookup(qtbot, lib, tmp_path, services, interval: float):
    """Four papers looked up one a request, `interval` seconds apart, in an open window."""
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    lib.add([Draft(arxiv_id=i) for i in PAPERS], raw_text="x", fmt="identifiers")
    return lookup_window(qtbot, lib, tmp_path, EnrichSettings(
        arxiv_api=services.arxiv_api, crossref_api=services.crossref_api,
        arxiv_interval=interval, arxiv_batch=1))


def test_closing_the_window_stops_a_running_lookup(qtbot, lib, tmp_path, services):
    """arXiv asks for 3 s between requests: four papers looked up one per request take ~9 s.
    Closing the window in the middle must not wait for the rest (it waited for all of it)."""
    ids = PAPERS
    win = paced_lookup(qtbot, lib, tmp_path, services, 3.0)
    press(qtbot, win.list, "Ctrl+Shift+M")
    qtbot.waitUntil(lambda: win.busy_label.text().startswith("Looking up 1/4"), timeout=15000)
    press(qtbot, win.list, "Ctrl+Shift+M")  # impatient: a second press starts nothing
    assert win.statusBar().currentMessage() == "Metadata completion is already running."
    started = time.monotonic()
    win.close()
    took = time.monotonic() - started
    assert took < 2.5, f"closing waited {took:.1f} s for the lookup"
    assert len([s for s in services.seen if s.path == "/api/query"]) < len(ids)


def test_papers_not_found_or_answered_with_an_error_are_counted_without_a_box(
        qtbot, lib, tmp_path, services):
    services.arxiv("id_list=2401.00001", Reply.sample("arxiv-empty.xml"))
    services.arxiv("id_list=2401.00002", Reply(500, b"Internal error"))
    lib.add([Draft(arxiv_id="2401.00001"), Draft(arxiv_id="2401.00002")], raw_text="x", fmt="identifiers")
    win = lookup_window(qtbot, lib, tmp_path, EnrichSettings(
        arxiv_api=services.arxiv_api, crossref_api=services.crossref_api, arxiv_interval=0,
        arxiv_batch=1, retries=0))
    press(qtbot, win.list, "Ctrl+Shift+M")
    qtbot.waitUntil(lambda: not win.metadata.running, timeout=30000)
    wait_idle(qtbot, win)
    assert win.statusBar().currentMessage() == "Metadata: 1 not found, 1 could not be looked up."
    assert shown_boxes() == []  # nothing changed, nothing offline: the status bar says it all
    close_window(qtbot, win)


def test_one_service_offline_the_other_answering_is_a_partial_completion(qtbot, lib, tmp_path, services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    lib.add([Draft(arxiv_id="1706.03762"), Draft(title="Deep residual learning", doi="10.1109/cvpr.2016.90")],
            raw_text="x", fmt="identifiers")
    dead = f"http://127.0.0.1:{free_port()}"
    win = lookup_window(qtbot, lib, tmp_path, EnrichSettings(
        arxiv_api=services.arxiv_api, crossref_api=dead, arxiv_interval=0, timeout=2, retries=0))
    press(qtbot, win.list, "Ctrl+Shift+M")
    qtbot.waitUntil(lambda: not win.metadata.running, timeout=30000)
    wait_idle(qtbot, win)
    [box] = shown_boxes()
    text = box.findChild(QLabel, "qt_msgbox_label").text()
    assert box.windowTitle() == "Metadata partly completed"
    assert text == ("Crossref could not be reached: check the internet connection and try again. "
                    "Nothing was changed for 1 paper. Meanwhile: 1 paper updated.")
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.detailedText().startswith("1: 1706.03762\n    title: (none) → Attention Is All You Need;")
    assert box.detailedText().endswith("Edit → Undo reverts all of it.")
    box.close()
    close_window(qtbot, win)


def test_a_library_that_cannot_be_written_says_why_the_lookup_failed(
        qtbot, lib, data_dir, tmp_path, services):
    services.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    lib.add([Draft(arxiv_id="1706.03762")], raw_text="x", fmt="identifiers")
    lib.close()
    read_only = Library.open(data_dir, read_only=True)
    try:
        win = lookup_window(qtbot, read_only, tmp_path, EnrichSettings(
            arxiv_api=services.arxiv_api, crossref_api=services.crossref_api, arxiv_interval=0))
        press(qtbot, win.list, "Ctrl+Shift+M")
        qtbot.waitUntil(lambda: not win.metadata.running, timeout=30000)
        message = win.statusBar().currentMessage()
        assert "read-only" in message or "cannot be written" in message, message
        assert read_only.papers(read_only.ids(view="all"))[0].title == ""
        close_window(qtbot, win)
    finally:
        read_only.close()


def test_the_stop_button_ends_a_lookup_and_keeps_what_was_found(qtbot, lib, tmp_path, services):
    """Four papers, one a request, 2 s apart: clicking Stop in the status bar after the
    first keeps its update (undoable), leaves the rest untouched and says so."""
    from PySide6.QtCore import Qt

    ids = PAPERS
    win = paced_lookup(qtbot, lib, tmp_path, services, 2.0)
    stop = win.metadata.stop_button
    assert not stop.isVisible() and not win.metadata.stop_action.isEnabled()
    press(qtbot, win.list, "Ctrl+Shift+M")
    qtbot.waitUntil(lambda: win.busy_label.text().startswith("Looking up 2/4"), timeout=15000)
    assert stop.isVisible() and win.metadata.stop_action.isEnabled()
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert win.busy_label.text() == "Stopping the lookup…"
    qtbot.waitUntil(lambda: not win.metadata.running, timeout=10000)
    wait_idle(qtbot, win)
    found = re.fullmatch(r"Metadata: (\d) papers? updated, (\d) not looked up \(stopped\)\.",
                         win.statusBar().currentMessage())
    assert found, win.statusBar().currentMessage()
    updated, stopped = int(found.group(1)), int(found.group(2))
    assert updated >= 1 and stopped >= 1 and updated + stopped == len(ids)
    assert len([s for s in services.seen if s.path == "/api/query"]) < len(ids)
    papers = {p.arxiv_id: p for p in lib.papers(lib.ids(""))}
    assert papers["1706.03762"].title  # looked up before the stop
    assert not papers["2401.00002"].title  # never asked for
    assert not stop.isVisible() and not win.metadata.stop_action.isEnabled()
    for box in shown_boxes():
        box.close()
    close_window(qtbot, win)
