"""Every empty view says what it is for; a search without hits in a narrowed view offers
to search all papers in one click (issue 15, item 6)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from paperdeck.core.query import any_words
from ui_helpers import QT_LOG_IGNORE, activate, import_sample, wait_idle

pytestmark = QT_LOG_IGNORE


def shown_page(win) -> str:
    if win.stack.currentWidget() is win.empty:
        return f"{win.empty.heading.text()} | {win.empty.text.text()}"
    return "list" if win.stack.currentWidget() is win.list else "other"


def test_each_empty_view_says_what_it_is_for(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    expected = {"archived": "The archive is empty", "trash": "The trash is empty",
                "reading": "Nothing in Reading", "read": "Nothing read yet"}
    for view, heading in expected.items():
        win.sidebar.select("view", view)
        wait_idle(qtbot, win)
        assert shown_page(win).startswith(heading), view
        assert win.empty.heading.isVisible() and not win.empty.everywhere.isVisible()
    win.sidebar.select("view", "queue")
    wait_idle(qtbot, win)
    assert shown_page(win) == "list"


def test_a_search_without_hits_in_the_queue_offers_all_papers(qtbot, win, sample_text):
    ids = import_sample(qtbot, win, sample_text)
    win.lib.set_status(ids[:1], "archived")  # its title words are now only outside the queue
    title = win.lib.papers(ids[:1])[0].title
    word = max(title.split(), key=len).strip(":,.").lower()
    wait_idle(qtbot, win)
    query = f'"{title}"'
    win.search.setFocus()
    qtbot.keyClicks(win.search, query)
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    assert shown_page(win).startswith(f"No papers in Queue match “{query}”"), shown_page(win)
    assert "(search in Queue)" in win.shown_label.text()
    assert win.empty.everywhere.isVisible()
    qtbot.mouseClick(win.empty.everywhere, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)
    assert win.sidebar.current() == ("view", "all")
    assert win.search.text() == query and win.model.ids() == ids[:1]
    assert shown_page(win) == "list" and word


def test_a_search_without_hits_in_all_papers_offers_nothing_more(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    win.sidebar.select("view", "all")
    win.search.set_query("zzzunfindable")
    wait_idle(qtbot, win)
    assert shown_page(win).startswith("No papers match “zzzunfindable”")
    assert not win.empty.everywhere.isVisible()


def test_an_empty_tag_view_names_the_tag_literally(qtbot, win, sample_text):
    ids = import_sample(qtbot, win, sample_text)
    win.lib.add_tags(ids[:1], ["<b>bold</b>"])
    wait_idle(qtbot, win)
    win.filter_by_tag("<b>bold</b>")
    win.search.set_query("zzzunfindable")
    wait_idle(qtbot, win)
    assert win.empty.heading.textFormat() == Qt.TextFormat.PlainText
    assert shown_page(win).startswith("No papers in “<b>bold</b>” match")


def test_the_for_you_view_names_itself_in_words(qtbot, win, sample_text):
    """Not by its internal key: the status line, an empty search and an empty view say
    "For you" (they said "foryou" and "Nothing here"), and the View menu has it."""
    ids = import_sample(qtbot, win, sample_text)
    win.sidebar.select("view", "foryou")
    wait_idle(qtbot, win)
    win.search.setFocus()
    qtbot.keyClicks(win.search, "zzzunfindable")
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    assert shown_page(win).startswith("No papers in For you match “zzzunfindable”"), shown_page(win)
    assert win.shown_label.text() == "0 papers shown (search in For you)"
    win.search.set_query("")
    win.lib.set_status(ids, "read")
    win.sidebar.select("view", "queue")
    wait_idle(qtbot, win)
    next(a for a in win.view_menu.actions() if a.text() == "For you").trigger()
    wait_idle(qtbot, win)
    assert win.sidebar.current() == ("view", "foryou")
    assert shown_page(win).startswith("Nothing for you yet | Queued papers show here"), shown_page(win)


def test_a_pasted_reference_line_offers_any_of_its_words_and_finds_the_paper(qtbot, win,
                                                                             sample_text):
    """A title pasted with its venue and year (`… (NeurIPS 2024)`) or a reference list's
    whole line has words no card holds, so every word together finds nothing. The empty
    view offers the words joined by OR; a click puts that query in the field (Ctrl+Z there
    brings back what was typed) and the pasted paper is the first card."""
    ids = import_sample(qtbot, win, sample_text)
    win.sidebar.select("view", "all")
    paper = win.lib.papers(ids[5:6])[0]
    line = f'Lee, A., Chen, B. (2024). {paper.title}. In NeurIPS, pp. 1-12.'
    activate(qtbot, win, win.search)
    qtbot.keyClicks(win.search, line)
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    wait_idle(qtbot, win)
    assert shown_page(win).startswith(f"No papers match “{line}”"), shown_page(win)
    assert "every one of these words" in win.empty.text.text()
    assert win.empty.any.isVisible() and not win.empty.everywhere.isVisible()
    qtbot.mouseClick(win.empty.any, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)
    assert win.search.text() == any_words(line) and " OR " in win.search.text()
    assert shown_page(win) == "list" and win.model.ids()[0] == paper.id
    assert win.list.currentIndex().row() == 0  # the top hit is selected, as for any search
    win.search.setFocus()
    qtbot.keyClick(win.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, win)
    assert win.search.text() == line
    qtbot.waitUntil(lambda: shown_page(win).startswith("No papers match"), timeout=5000)


def test_no_offer_of_any_words_for_one_word_or_the_search_language(qtbot, win, sample_text):
    import_sample(qtbot, win, sample_text)
    win.sidebar.select("view", "all")
    for query in ("zzzunfindable", "zzzunfindable -robots", "tag:none zzzunfindable",
                  "zzz* qqq", "the zzzunfindable"):
        win.search.set_query(query)
        wait_idle(qtbot, win)
        assert shown_page(win).startswith(f"No papers match “{query}”"), query
        assert not win.empty.any.isVisible(), query
    win.sidebar.select("view", "queue")  # narrowed: both offers
    win.search.set_query("zzzunfindable qqqnothing")
    wait_idle(qtbot, win)
    assert win.empty.everywhere.isVisible() and win.empty.any.isVisible()
