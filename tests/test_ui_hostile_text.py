"""Paper text is shown as text: hostile titles, authors and tags pass through every widget
that shows paper text and come out literally (issue 13, item 10).

The oracle is Qt's own HTML reader: whatever a widget would render as rich text is turned
into the text a user sees (`QTextDocumentFragment`), which must equal the string as pasted.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextDocumentFragment
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip

from paperdeck.core.models import Draft
from ui_helpers import select_rows, wait_idle

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "QFont::setPointSizeF", "does not support raise")

HOSTILE = (
    '<img src="/dev/zero">',
    '<b style="color:red;font-size:40px">SYSTEM WARNING</b>: re-enter your password',
    '<img src="file:///etc/hostname"> Local image',
    '<a href="https://evil.example/">Click me</a> for the paper',
    "R&D of <i>agents</i> &amp; tools",
)


def _flat(text: str) -> str:
    return " ".join(text.split())


def shown_text(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a label (or tooltip) with `text` in format `fmt` puts on screen, as plain text."""
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    return _flat(QTextDocumentFragment.fromHtml(text).toPlainText() if rich else text)


def label_shows(label: QLabel) -> str:
    return shown_text(label.text(), label.textFormat())


def tooltip_label() -> QLabel | None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "qtooltip_label" and widget.isVisible():
            return widget
    return None


def hover(qtbot, view, point: QPoint) -> str:
    """Ask `view` for its tooltip at `point`, as a resting mouse does; the text the tip shows."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: tooltip_label() is None, timeout=3000)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: tooltip_label() is not None, timeout=3000)
    tip = tooltip_label()
    text = label_shows(tip)
    QToolTip.hideText()
    return text


def modal_text(qtbot, trigger) -> tuple[str, str]:
    """Run `trigger` (which opens a modal dialog), read its window title and label, close it."""
    seen: dict[str, str] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        label = dialog.findChild(QLabel, "qt_msgbox_label") or dialog.findChildren(QLabel)[0]
        seen["title"], seen["text"] = dialog.windowTitle(), label_shows(label)
        dialog.reject()

    QTimer.singleShot(0, look)
    trigger()
    qtbot.waitUntil(lambda: "text" in seen, timeout=5000)
    return seen["title"], seen["text"]


@pytest.fixture
def hostile(qtbot, win):
    drafts = [Draft(title=t, abstract=f"About {t}", authors=[t, "A. Person"], venue=t,
                    url="https://example.org/" + str(i)) for i, t in enumerate(HOSTILE)]
    ids = win.lib.add(drafts, raw_text="\n".join(HOSTILE), fmt="bibtex")
    for pid, title in zip(ids, HOSTILE, strict=True):
        win.lib.add_tags([pid], [title.replace(",", " ")[:60]])
    win.reload()
    wait_idle(qtbot, win)
    return win


def test_card_tooltips_show_hostile_titles_literally(qtbot, hostile):
    win = hostile
    for row in range(win.model.rowCount()):
        paper = win.model.paper_at(row)
        centre = win.list.visualRect(win.model.index(row)).center()
        if not win.list.viewport().rect().contains(centre):
            win.list.scrollTo(win.model.index(row))
            centre = win.list.visualRect(win.model.index(row)).center()
        assert _flat(paper.title) in hover(qtbot, win.list, centre)


def test_sidebar_tag_tooltips_and_menus_show_tags_literally(qtbot, hostile):
    side = hostile.sidebar
    names = side.tag_names()
    assert len(names) == len(HOSTILE)
    for row in range(side.count()):
        item = side.item(row)
        if item.data(Qt.ItemDataRole.UserRole + 1) != "tag":
            continue
        point = side.visualItemRect(item).center()
        assert _flat(f"Papers tagged '{item.text()}'") in hover(qtbot, side, point)


def test_delete_and_rename_tag_dialogs_quote_the_tag_literally(qtbot, hostile):
    side = hostile.sidebar
    for name in side.tag_names():
        title, text = modal_text(qtbot, lambda n=name: side.delete_requested.emit(n))
        assert title == "Delete tag" and f"Remove the tag '{_flat(name)}' from every paper" in text
        title, text = modal_text(qtbot, lambda n=name: side.rename_requested.emit(n))
        assert title == "Rename tag" and f"New name for '{_flat(name)}'" in text
    wait_idle(qtbot, hostile)
    assert sorted(side.tag_names()) == sorted(n for n in side.tag_names())  # nothing renamed


def test_metadata_progress_label_shows_titles_literally(qtbot, hostile):
    win = hostile
    for title in HOSTILE:
        win.metadata.progressed.emit(1, 5, title)
        qtbot.waitUntil(lambda t=title: _flat(t[:60]) in label_shows(win.busy_label), timeout=3000)


def test_detail_pane_shows_hostile_fields_literally(qtbot, hostile):
    win = hostile
    win.search.set_query("password")  # highlighting wraps words in spans: still literal
    wait_idle(qtbot, win)
    win.search.set_query("")
    wait_idle(qtbot, win)
    for row in range(win.model.rowCount()):
        select_rows(win, [row])
        win._current_changed(win.model.index(row))
        paper = win.model.paper_at(row)
        d = win.detail
        assert label_shows(d.title) == _flat(paper.title)
        assert _flat(paper.title) in label_shows(d.byline)
        assert label_shows(d.abstract) == _flat(paper.abstract)
        assert _flat(paper.tags[0]) in label_shows(d.tags)


def test_import_dialog_lists_hostile_titles_literally(qtbot, win):
    bib = "\n".join(
        f"@article{{k{i},\n  title = {{{t}}},\n  author = {{Doe, Jane}},\n  year = {{2024}}\n}}\n"
        for i, t in enumerate(HOSTILE))
    dialog = win.importer.open_dialog(bib)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.items), timeout=30000)
    shown = [_flat(dialog.preview.item(r).text().split("\n")[0]) for r in range(dialog.preview.count())]
    assert shown == [_flat(t) for t in HOSTILE]
    assert "papers found" in label_shows(dialog.summary)
    dialog.reject()


def test_query_hint_quotes_the_query_literally(qtbot, hostile):
    win = hostile
    win.search.set_query('"<b style="color:red">')
    wait_idle(qtbot, win)
    if win.hint.isVisible():
        assert "<" not in win.hint.text() or win.hint.textFormat() == Qt.TextFormat.PlainText


def test_message_box_helper_is_plain(qtbot):
    from paperdeck.ui.plain import message_box

    box = message_box(None, QMessageBox.Icon.Information, "t", HOSTILE[1])
    qtbot.addWidget(box)
    assert label_shows(box.findChild(QLabel, "qt_msgbox_label")) == _flat(HOSTILE[1])
