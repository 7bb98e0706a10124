"""Paints one paper as a card: title, byline (authors, venue, year), abstract lines, status
badge, tag chips, priority marks. (The date a paper was added is in the detail pane: on a card
it read as the publication date.)

Every card has the same height (the view uses uniform item sizes), all colours come
from the palette (see theme.py), and search matches are painted only for visible rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QEvent, QModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QToolTip

from paperdeck.core.models import Paper

from . import theme
from .card_model import PaperRole
from .highlight import match_spans, passage
from .paper_text import byline, tex_to_text

MARGIN_X, MARGIN_Y, PAD, GAP = 8, 4, 10, 4
CODE_TIP = "Code available: the paper links to its code (see Links in the detail pane)"


def scaled(font: QFont, factor: float, bold: bool = False) -> QFont:
    out = QFont(font)
    size = font.pointSizeF()
    if size > 0:
        out.setPointSizeF(size * factor)
    else:
        out.setPixelSize(max(8, round(font.pixelSize() * factor)))
    out.setBold(bold)
    return out


def short_date(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).strftime("%-d %b %Y")
    except (ValueError, TypeError):
        return ""


def card_text(text: str, terms: tuple[str, ...], field: str) -> str:
    """What a card shows of a title or an abstract: whitespace folded and, for an abstract
    that matched further on, from the sentence that matched."""
    text = " ".join(text.split())
    return passage(text, terms, field) if field == "abstract" else text


def draw_text(painter: QPainter, x: float, y: float, width: float, text: str, font: QFont,
              colour: QColor, max_lines: int, terms: tuple[str, ...], mark: QColor,
              field: str = "abstract", shown: Painted | None = None) -> int:
    """Wrapped text, at most `max_lines`, the last one elided, matched words on a `mark` background.
    Returns the number of lines drawn; `shown` receives the text and the marked rectangles."""
    text = card_text(text, terms, field)
    metrics = QFontMetricsF(font)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    starts = []
    while len(starts) <= max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    if len(starts) > max_lines:  # too long: keep the first lines, elide from the last one on
        cut = starts[max_lines - 1]
        text = text[:cut] + metrics.elidedText(text[cut:], Qt.TextElideMode.ElideRight, width)
    fmt = QTextCharFormat()
    fmt.setBackground(QBrush(mark))
    ranges = []
    for start, length in match_spans(text, terms, field):
        rng = QTextLayout.FormatRange()
        rng.start, rng.length, rng.format = start, length, fmt
        ranges.append(rng)
    final = QTextLayout(text, font)
    final.setTextOption(option)
    final.setFormats(ranges)
    final.beginLayout()
    drawn = 0
    for i in range(max_lines):
        line = final.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, i * metrics.lineSpacing()))
        drawn += 1
    final.endLayout()
    painter.setPen(colour)
    final.draw(painter, QPointF(x, y))
    if shown is not None:
        shown.text = text[:final.lineAt(drawn - 1).textStart() + final.lineAt(drawn - 1).textLength()
                          ] if drawn else ""
        shown.marks = [(text[r.start:r.start + r.length], rect)
                       for r in ranges for rect in _range_rects(final, drawn, r, x, y)]
    return drawn


def _range_rects(layout: QTextLayout, lines: int, rng, x: float, y: float) -> list[QRectF]:
    """Where a marked range was drawn, one rectangle per line it spans."""
    out = []
    end = rng.start + rng.length
    for i in range(lines):
        line = layout.lineAt(i)
        a, b = max(rng.start, line.textStart()), min(end, line.textStart() + line.textLength())
        if a < b:
            left, right = line.cursorToX(a)[0], line.cursorToX(b)[0]
            out.append(QRectF(x + left, y + line.y(), right - left, line.height()))
    return out


@dataclass
class Painted:
    """What a card last showed of a title or an abstract: the text drawn (elided, from
    the matched passage) and each marked stretch with where it was drawn (for tests and
    accessibility checks; only visible cards are painted)."""

    text: str = ""
    marks: list[tuple[str, QRectF]] = field(default_factory=list)


class CardDelegate(QStyledItemDelegate):
    """Cards of a uniform height; a click on a tag chip asks to filter by that tag."""

    tag_clicked = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.painted: dict[tuple[int, str], Painted] = {}  # (paper id, field) -> what was shown

    # -- geometry ----------------------------------------------------------------------
    def fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        return scaled(base, 1.06, bold=True), scaled(base, 0.94), scaled(base, 0.84)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        title, abstract, small = (QFontMetricsF(f) for f in self.fonts(option.font))
        height = (2 * MARGIN_Y + 2 * PAD + 2 * title.lineSpacing() + GAP + 2 * abstract.lineSpacing()
                  + 2 * GAP + small.height() + 6 + small.lineSpacing() + GAP)
        return QSize(360, round(height))

    def card_rect(self, rect) -> QRectF:
        return QRectF(rect).adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)

    def badge_top(self, option: QStyleOptionViewItem) -> float:
        small = QFontMetricsF(self.fonts(option.font)[2])
        return self.card_rect(option.rect).bottom() - PAD - small.height() - 6

    def bottom_row(self, option: QStyleOptionViewItem, paper: Paper):
        """Rectangles of the bottom line: (badge, [(tag, chip)], overflow text rect, right text)."""
        card = self.card_rect(option.rect)
        small = self.fonts(option.font)[2]
        fm = QFontMetricsF(small)
        h = fm.height() + 6
        y = card.bottom() - PAD - h
        x = card.left() + PAD
        label = theme.STATUS_LABELS.get(paper.status, paper.status)
        if paper.trashed_at:
            label = "Trash"
        badge = QRectF(x, y, fm.horizontalAdvance(label) + 14, h)
        right = self.right_text(paper)
        right_w = fm.horizontalAdvance(right) + (34 if paper.has_code else 0)
        limit = card.right() - PAD - right_w - 10
        chips, x = [], badge.right() + 8
        hidden = 0
        for i, tag in enumerate(paper.tags):
            w = fm.horizontalAdvance(tag) + 14
            more = len(paper.tags) - i - 1
            reserve = fm.horizontalAdvance(f"+{more}") + 8 if more else 0
            if x + w + reserve > limit:
                hidden = len(paper.tags) - i
                break
            chips.append((tag, QRectF(x, y, w, h)))
            x += w + 5
        overflow = QRectF(x, y, fm.horizontalAdvance(f"+{hidden}") + 4, h) if hidden else QRectF()
        return badge, label, chips, (overflow, hidden), right

    @staticmethod
    def heading(paper: Paper, terms: tuple[str, ...] = ()) -> tuple[str, str]:
        """The title and byline lines as painted (plain text, TeX made readable)."""
        return tex_to_text(paper.title) or "(untitled)", byline(paper, terms)

    @staticmethod
    def right_text(paper: Paper) -> str:
        return "!" * paper.priority

    # -- painting ----------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        paper = index.data(PaperRole)
        if paper is None:
            return
        pal: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        accent = pal.color(QPalette.ColorRole.Highlight)
        dark = theme.is_dark(pal)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = self.card_rect(option.rect)
        fill = theme.mix(base, text, 0.05) if dark else base
        border = pal.color(QPalette.ColorRole.Mid)
        if selected:
            fill, border = theme.mix(fill, accent, 0.22 if dark else 0.14), accent
        elif hovered:
            border = theme.mix(border, accent, 0.5)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        if focused:  # the keyboard's place in the list, visible without a selection colour
            border = accent
        painter.setPen(QPen(border, 2.4 if focused else 1.2 if selected else 1.0))
        painter.setBrush(fill)
        painter.drawRoundedRect(card.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        if paper.priority:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.PRIORITY_HUES[min(paper.priority, 3)]))
            painter.drawRoundedRect(QRectF(card.left() + 3, card.top() + 8, 3.5, card.height() - 16),
                                    1.5, 1.5)
        title_f, abstract_f, small_f = self.fonts(option.font)
        mark = theme.match_background(pal)
        terms = index.model().terms if hasattr(index.model(), "terms") else ()
        width = card.width() - 2 * PAD
        y = card.top() + PAD
        title, who = self.heading(paper, terms)
        if len(self.painted) > 400:  # only the visible cards matter
            self.painted.clear()
        shown_title = self.painted[(paper.id, "title")] = Painted()
        shown_abstract = self.painted[(paper.id, "abstract")] = Painted()
        lines = draw_text(painter, card.left() + PAD, y, width, title, title_f, text, 2, terms, mark,
                          field="title", shown=shown_title)
        y += lines * QFontMetricsF(title_f).lineSpacing() + GAP
        if who:  # authors, venue and year; a card without them gives the line to the abstract
            draw_text(painter, card.left() + PAD, y, width, who, small_f, theme.mix(text, base, 0.2), 1,
                      terms, mark, field="authors")
            y += QFontMetricsF(small_f).lineSpacing() + GAP
        room = self.badge_top(option) - GAP - y  # a one-line title leaves room for more abstract
        abstract = tex_to_text(paper.abstract) or paper.url  # authors: on the byline above
        abstract_lines = max(1, int(room // QFontMetricsF(abstract_f).lineSpacing()))
        draw_text(painter, card.left() + PAD, y, width, abstract, abstract_f, theme.secondary_text(pal),
                  abstract_lines, terms, mark, shown=shown_abstract)
        self._paint_bottom(painter, option, paper, small_f)
        painter.restore()

    def _paint_bottom(self, painter: QPainter, option: QStyleOptionViewItem, paper: Paper,
                      font: QFont) -> None:
        pal = option.palette
        badge, label, chips, (overflow, hidden), right = self.bottom_row(option, paper)
        painter.setFont(font)
        hue = theme.STATUS_HUES["archived" if paper.trashed_at else paper.status]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.tinted(pal, hue, 0.28))
        painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
        painter.setPen(theme.badge_text(pal, hue))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
        chip_bg = theme.mix(pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text), 0.09)
        for tag, rect in chips:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(chip_bg)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(pal.color(QPalette.ColorRole.Text))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, tag)
        secondary = theme.secondary_text(pal)
        if hidden:
            painter.setPen(secondary)
            painter.drawText(overflow, Qt.AlignmentFlag.AlignCenter, f"+{hidden}")
        card = self.card_rect(option.rect)
        text_rect = QRectF(badge.left(), badge.top(), card.right() - PAD - badge.left(), badge.height())
        if paper.priority:
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(QColor(theme.PRIORITY_HUES[min(paper.priority, 3)]))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             "!" * paper.priority)
            painter.setFont(font)
        if paper.has_code:
            fm = QFontMetricsF(font)
            icon = QRectF(card.right() - PAD - fm.horizontalAdvance(right) - 34, badge.top(), 26,
                          badge.height())
            painter.setPen(QPen(secondary, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(icon, 4, 4)
            painter.drawText(icon, Qt.AlignmentFlag.AlignCenter, "</>")

    def code_rect(self, option: QStyleOptionViewItem, paper: Paper) -> QRectF:
        """Where the `</>` mark is (empty when the paper has no code link)."""
        if not paper.has_code:
            return QRectF()
        badge, _label, _chips, _overflow, right = self.bottom_row(option, paper)
        fm = QFontMetricsF(self.fonts(option.font)[2])
        card = self.card_rect(option.rect)
        return QRectF(card.right() - PAD - fm.horizontalAdvance(right) - 34, badge.top(), 26,
                      badge.height())

    def helpEvent(self, event, view, option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        """The `</>` mark explains itself; elsewhere the card's tooltip (its title)."""
        paper = index.data(PaperRole)
        if paper is not None and self.code_rect(option, paper).contains(QPointF(event.pos())):
            QToolTip.showText(event.globalPos(), CODE_TIP, view)
            return True
        return super().helpEvent(event, view, option, index)

    # -- chips are clickable -----------------------------------------------------------
    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        if (event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.LeftButton):
            paper = index.data(PaperRole)
            if paper is not None:
                tag = self.tag_at(option, paper, event.position())
                if tag:
                    self.tag_clicked.emit(tag)
                    return True
        return super().editorEvent(event, model, option, index)

    def tag_at(self, option: QStyleOptionViewItem, paper: Paper, pos: QPointF) -> str:
        for tag, rect in self.bottom_row(option, paper)[2]:
            if rect.contains(pos):
                return tag
        return ""
