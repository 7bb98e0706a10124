"""Metadata completion, emptying the trash and search ordering, through the real window."""

from __future__ import annotations

import pytest

from enrich_fakes import FakeServices, Reply
from paperdeck.core.enrich import EnrichSettings
from paperdeck.core.models import Draft
from ui_helpers import QT_LOG_IGNORE, close_window, open_window, select_rows, wait_idle

pytestmark = QT_LOG_IGNORE


@pytest.fixture
def services():
    fake = FakeServices().start()
    fake.arxiv("id_list=", Reply.sample("arxiv-id-batch.xml"))
    yield fake
    fake.stop()


def test_complete_metadata_fills_the_selected_paper_and_undoes(qtbot, lib, tmp_path, services):
    [pid] = lib.add([Draft(arxiv_id="1706.03762")], raw_text="1706.03762", fmt="identifiers")
    lib.metadata_client(EnrichSettings(arxiv_api=services.arxiv_api,
                                       crossref_api=services.crossref_api, arxiv_interval=0))
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    select_rows(win, [0])
    win.actions_.complete.trigger()
    qtbot.waitUntil(lambda: not win.metadata.running, timeout=30000)
    wait_idle(qtbot, win)
    paper = lib.get(pid)
    assert paper.title.startswith("Attention Is All You Need")
    assert paper.authors and paper.year == 2017
    assert "updated" in win.statusBar().currentMessage()
    assert "complete metadata" in win.actions_.undo.text()
    win.actions_.undo.trigger()
    wait_idle(qtbot, win)
    assert lib.get(pid).authors == []
    close_window(qtbot, win)


def test_complete_metadata_offline_says_so_and_changes_nothing(qtbot, lib, tmp_path):
    from enrich_fakes import offline_settings

    [pid] = lib.add([Draft(arxiv_id="1706.03762")], raw_text="x", fmt="identifiers")
    lib.metadata_client(offline_settings(arxiv_interval=0, timeout=2))
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    select_rows(win, [0])
    win.actions_.complete.trigger()
    qtbot.waitUntil(lambda: not win.metadata.running, timeout=30000)
    assert "could not be reached" in win.statusBar().currentMessage()
    assert lib.get(pid).authors == [] and lib.get(pid).title == ""
    close_window(qtbot, win)


def test_empty_trash_deletes_trashed_papers(qtbot, lib, tmp_path):
    ids = lib.add([Draft(title="Keep"), Draft(title="Drop")], raw_text="x", fmt="t")
    lib.trash([ids[1]])
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    assert win.trash_count() == 1
    win.actions_.empty_trash_now()
    wait_idle(qtbot, win)
    assert lib.counts()["trash"] == 0 and lib.ids(view="all") == [ids[0]]
    assert win.trash_count() == 0
    assert "for good" in win.statusBar().currentMessage()
    close_window(qtbot, win)


def test_searching_orders_by_relevance_and_clearing_restores_the_order(qtbot, lib, tmp_path):
    """The rows, not only the sort box: the paper with robots in its title comes first
    (title words weigh 3, abstract words 1), though it is second in the queue."""
    ids = lib.add([Draft(title="Legged locomotion", abstract="It mentions robots once."),
                   Draft(title="Robots that read robots"), Draft(title="Cooking at home")],
                  raw_text="x", fmt="t")
    win = open_window(qtbot, lib, tmp_path / "s.ini")

    def rows() -> list[int]:
        return [win.model.id_at(r) for r in range(win.model.rowCount())]

    assert win.sort.currentData() == "queue" and rows() == ids
    win.search.set_query("robots")
    win.search.emit_now()
    wait_idle(qtbot, win)
    assert win.sort.currentData() == "relevance"
    assert rows() == [ids[1], ids[0]]
    win.search.set_query("")
    win.search.emit_now()
    wait_idle(qtbot, win)
    assert win.sort.currentData() == "queue" and rows() == ids
    close_window(qtbot, win)


def test_import_can_complete_metadata_right_after(qtbot, lib, tmp_path, services):
    lib.metadata_client(EnrichSettings(arxiv_api=services.arxiv_api,
                                       crossref_api=services.crossref_api, arxiv_interval=0))
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    dialog = win.importer.open_dialog("Read these: 1706.03762 and 1207.7214\n")
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    dialog.complete.setChecked(True)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: len(lib.ids(view="all")) == 2, timeout=30000)
    qtbot.waitUntil(lambda: not win.metadata.running, timeout=30000)
    wait_idle(qtbot, win)
    papers = lib.papers(lib.ids(view="all"))
    assert all(p.title and p.authors and p.year for p in papers), papers
    close_window(qtbot, win)
