"""Search highlights and snippets on real cards: the query is typed into the real search
box, the cards are painted offscreen, and what each card drew is checked against the
paper's text read independently (regular expressions over the stored text)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from ui_helpers import QT_LOG_IGNORE, wait_idle

pytestmark = QT_LOG_IGNORE


@pytest.fixture
def shown(qtbot, win, lib, sample_text):
    """A window over the sample digest; `type(query)` searches as a user does and returns
    the cards painted: paper id -> {"title": Painted, "abstract": Painted}, plus the image."""
    lib.import_text(sample_text)
    win.reload()
    wait_idle(qtbot, win)
    win.resize(900, 1400)

    def search(query: str):
        win.search.clear()
        win.search.setFocus()
        qtbot.keyClicks(win.search, query)
        with qtbot.waitSignal(win.search_applied, timeout=30000):
            qtbot.keyClick(win.search, Qt.Key.Key_Return)
        wait_idle(qtbot, win)
        win.delegate.painted.clear()
        image = win.list.viewport().grab().toImage()
        cards: dict[int, dict] = {}
        for (pid, field), painted in win.delegate.painted.items():
            cards.setdefault(pid, {})[field] = painted
        assert cards, "no card was painted"
        return cards, image

    return search


def _mark_colour(win):
    from paperdeck.ui import theme

    return theme.match_background(win.list.palette()).rgb()


def _drawn_on_mark(image, rect, mark) -> bool:
    """Some pixel inside `rect` (where a marked stretch was drawn) has the mark colour."""
    r = rect.toAlignedRect()
    return any(image.pixel(x, y) == mark
               for x in range(max(0, r.left()), min(image.width(), r.right() + 1))
               for y in range(max(0, r.top()), min(image.height(), r.bottom() + 1)))


def _words_on_mark(image, text_rects, mark) -> int:
    return sum(_drawn_on_mark(image, rect, mark) for _text, rect in text_rects)


def _inside(image, text_rects):
    """The marks of a card cut by the viewport's bottom edge that are within the image."""
    return [(t, r) for t, r in text_rects if r.bottom() <= image.height() and r.right() <= image.width()]


def test_a_quoted_phrase_marks_the_phrase_and_no_lone_word(win, shown):
    cards, image = shown('"chain of thought"')
    phrase = re.compile(r"chains?\W+of\W+thoughts?\b", re.IGNORECASE)  # the same stems
    seen = 0
    for pid, fields in cards.items():
        for painted in fields.values():
            marked = [text for text, _rect in painted.marks]
            expected = phrase.findall(painted.text)
            assert sorted(marked) == sorted(expected), (pid, painted.text)
            assert not any(re.fullmatch(r"of\w*", m, re.IGNORECASE) for m in marked)
            seen += len(marked)
            inside = _inside(image, painted.marks)
            assert _words_on_mark(image, inside, _mark_colour(win)) == len(inside)
    assert seen >= 3  # the sample has the phrase in several cards' first lines


def test_a_fuzzy_word_marks_the_words_it_matched(win, shown):
    cards, image = shown("manipulaiton~")
    near = re.compile(r"\bmanipul\w*", re.IGNORECASE)  # one edit away, or the same stem
    seen = 0
    for pid, fields in cards.items():
        for painted in fields.values():
            marked = [text for text, _rect in painted.marks]
            assert marked == near.findall(painted.text), (pid, painted.text)
            seen += len(marked)
            inside = _inside(image, painted.marks)
            assert _words_on_mark(image, inside, _mark_colour(win)) == len(inside)
    assert seen >= 3
    # every card shows the word that matched, in its title or its abstract
    assert all(any(p.marks for p in fields.values()) for fields in cards.values())


def test_the_card_shows_the_passage_that_matched(win, lib, shown):
    # a word only in a later sentence of one abstract: the card starts there, with "…"
    [pid] = [i for i in lib.ids(view="all")
             if "Bloom's Taxonomy" in lib.get(i).abstract]
    abstract = lib.get(pid).abstract
    assert not re.search(r"taxonom", abstract.split(". ")[0] + lib.get(pid).title, re.I)
    cards, image = shown("taxonomy capability")
    painted = cards[pid]["abstract"]
    assert painted.text.startswith("\u2026 ")
    assert re.search(r"taxonomy", painted.text, re.IGNORECASE)
    assert " ".join(abstract.split()).find(painted.text[2:].rstrip("\u2026")[:40]) > 0
    assert [t.lower() for t, _r in painted.marks if t.lower().startswith("taxonom")]
    assert _words_on_mark(image, painted.marks, _mark_colour(win)) == len(painted.marks)


def test_without_a_search_cards_show_the_first_lines_unmarked(qtbot, win, lib, shown):
    shown("taxonomy")
    win.search.set_query("")
    wait_idle(qtbot, win)
    win.delegate.painted.clear()
    win.list.viewport().grab()
    painted = win.delegate.painted
    assert painted
    for (pid, field), p in painted.items():
        assert not p.marks
        if field == "abstract" and lib.get(pid).abstract:
            assert " ".join(lib.get(pid).abstract.split()).startswith(p.text.rstrip("\u2026"))


def _pasted_titles_parse() -> bool:
    """Does this tree read a pasted title ("Choreographer: Learning ...") as text? That is
    search-core's fix (issue 12); before it, the title is an unknown field."""
    from pathlib import Path

    from paperdeck.core.errors import QueryError
    from paperdeck.core.search import SearchIndex

    try:
        SearchIndex(Path("<probe>")).parse("Choreographer: Learning and Adapting Skills")
    except QueryError:
        return False
    return True


@pytest.mark.xfail(not _pasted_titles_parse(), strict=True,
                   reason="needs search-core's fix for pasted titles (a colon after a "
                   "non-field is text; issue 12): runs, and must pass, once it is merged")
def test_a_pasted_sample_title_puts_its_paper_first(qtbot, win, lib, expected_titles, shown):
    ids = {lib.get(i).title: i for i in lib.ids(view="all")}
    missed = []
    for title in expected_titles:
        win.search.clear()
        win.search.setFocus()
        qtbot.keyClicks(win.search, title)
        qtbot.keyClick(win.search, Qt.Key.Key_Return)
        wait_idle(qtbot, win)
        if win.hint.isVisible() or not win.model.ids() or win.model.id_at(0) != ids.get(title):
            missed.append(title)
    assert missed == [], f"{len(missed)} of {len(expected_titles)} titles not first"
