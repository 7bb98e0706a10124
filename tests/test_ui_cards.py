"""What a card says (issue 15, items 1 and 9): authors shortened, venue and year on every
card, no added date posing as the publication date, simple TeX shown as the reader means it."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from paperdeck.core.models import Draft
from ui_helpers import QT_LOG_IGNORE, select_rows, wait_idle

pytestmark = QT_LOG_IGNORE

MANY = [f"Given{i} Family{i}" for i in range(14)]


def _add(qtbot, win, drafts):
    ids = win.lib.add(drafts, raw_text="x", fmt="bibtex")
    win.reload()
    wait_idle(qtbot, win)
    return ids


def ink_rows(win, row: int, top: float, bottom: float) -> int:
    """Pixel rows of a card band [top, bottom) (fractions of its height) holding text-coloured ink."""
    image = win.list.viewport().grab().toImage()
    rect = win.list.visualRect(win.model.index(row))
    base = win.list.palette().color(QPalette.ColorRole.Base)
    rows = 0
    for y in range(int(rect.top() + rect.height() * top), int(rect.top() + rect.height() * bottom)):
        dark = sum(1 for x in range(rect.left() + 20, rect.right() - 20, 2)
                   if abs(QColor(image.pixel(x, y)).lightness() - base.lightness()) > 90)
        rows += dark > 3
    return rows


def test_cards_show_short_authors_venue_and_year(qtbot, win):
    _add(qtbot, win, [
        Draft(title="Learning to rank with many authors", authors=MANY, venue="NeurIPS", year=2024,
              abstract="An abstract."),
        Draft(title="Two authors", authors=["Wang, Zhihu", "Shiwan Zhao"], year=2023),
        Draft(title="Nobody known", abstract="Only an abstract here."),
    ])
    delegate = win.delegate
    shown = [delegate.heading(win.model.paper_at(r)) for r in range(3)]
    assert shown[0] == ("Learning to rank with many authors", "G. Family0, G. Family1 … +12 · NeurIPS 2024")
    assert shown[1] == ("Two authors", "Z. Wang, S. Zhao · 2023")
    assert shown[2] == ("Nobody known", "")
    assert delegate.right_text(win.model.paper_at(0)) == ""  # no added date on the card
    # the byline band of the first card has ink; without a byline the same band holds abstract text
    assert ink_rows(win, 0, 0.30, 0.42) > 2


def test_author_search_shows_the_matching_author(qtbot, win):
    _add(qtbot, win, [Draft(title="A big collaboration", authors=MANY[:9] + ["Ada Lovelace"] + MANY[9:])])
    win.search.set_query("lovelace")
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 1
    _title, who = win.delegate.heading(win.model.paper_at(0), win.model.terms)
    assert who == "G. Family0, G. Family1 … A. Lovelace +12"


def test_added_date_is_in_the_detail_pane_labelled(qtbot, win):
    _add(qtbot, win, [Draft(title="Dated", authors=["A Person"], year=2019)])
    select_rows(win, [0])
    win._current_changed(win.model.index(0))
    text = win.detail.byline.text()
    assert "A Person · 2019" in text and "Added " in text


def test_tex_is_rendered_for_display_only(qtbot, win):
    ids = _add(qtbot, win, [Draft(
        title=r"Value--at--Risk for ``robust'' $\alpha$-divergence in $O(n^2)$ --- a study",
        abstract=r"We bound $\epsilon \leq 10^{-3}$; see https://example.org/a--b for code.")])
    paper = win.model.paper_at(0)
    title, _ = win.delegate.heading(paper)
    assert title == "Value–at–Risk for “robust” α-divergence in O(n²) — a study"
    select_rows(win, [0])
    win._current_changed(win.model.index(0))
    from PySide6.QtGui import QTextDocumentFragment

    shown = QTextDocumentFragment.fromHtml(win.detail.abstract.text()).toPlainText()
    assert shown == "We bound ε ≤ 10⁻³; see https://example.org/a--b for code."
    win.list.viewport().grab()  # paint the card: its abstract is rendered the same way
    assert win.delegate.painted[(ids[0], "abstract")].text == shown
    assert win.lib.papers(ids)[0].title.startswith("Value--at--Risk")  # stored as pasted
