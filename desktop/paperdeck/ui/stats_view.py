"""The statistics page: papers added and read per week as bars, and a few reading numbers.

Painted with QPainter from palette colours, so it follows the light or dark theme.
The numbers are computed on the background worker (it reads every paper).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from paperdeck.core.library import Library

from . import theme
from .plain import tooltip
from .stats_data import Stats, compute_stats
from .tasks import Tasks

ADDED_HUE, READ_HUE = "#3b82f6", "#22c55e"


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} day{'s' if round(value) != 1 else ''}" if value >= 1 else "same day"


class StatsView(QWidget):
    """Shows a `Stats`; `load()` recomputes it in the background."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.stats: Stats | None = None
        self._token = 0
        self.tiles_shown: list[tuple[QRectF, str, str, str]] = []  # rect, label, value, full text
        self.setMinimumSize(300, 300)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)

    def load(self, lib: Library, tasks: Tasks) -> None:
        self._token += 1
        token = self._token

        def done(stats: Stats) -> None:
            if token == self._token:
                self.set_stats(stats)

        tasks.run(lambda: compute_stats(lib.papers(lib.ids(view="all"))), done)

    def set_stats(self, stats: Stats) -> None:
        self.stats = stats
        self.update()

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text, quiet = pal.color(QPalette.ColorRole.Text), theme.secondary_text(pal)
        m = 28
        area = QRectF(self.rect()).adjusted(m, m, -m, -m)
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.5)
        big.setBold(True)
        p.setFont(big)
        p.setPen(text)
        p.drawText(area.topLeft() + QRectF(0, 0, 1, QFontMetricsF(big).ascent()).bottomLeft(),
                   "Reading statistics")
        y = area.top() + QFontMetricsF(big).height() + 14
        if self.stats is None:
            p.setFont(self.font())
            p.setPen(quiet)
            p.drawText(QRectF(area.left(), y, area.width(), 30), "Counting…")
            return
        s = self.stats
        tiles = (("In the queue", f"{s.queue_length:,}"), ("Papers", f"{s.total:,}"),
                 ("Read", f"{s.read_total:,}"), ("Median time to read", _days(s.median_days_to_read)))
        y = self._tiles(p, area, y, tiles)
        tags_h = 40 + min(len(s.top_tags), 8) * (QFontMetricsF(self.font()).height() + 8)
        chart = QRectF(area.left(), y + 16, area.width(), max(140.0, area.bottom() - y - 40 - tags_h))
        self._chart(p, chart, s)
        self._tags(p, QRectF(area.left(), chart.bottom() + 24, min(area.width(), 520), tags_h), s)

    def _tiles(self, p: QPainter, area: QRectF, y: float, tiles) -> float:
        pal = self.palette()
        fm = QFontMetricsF(self.font())
        value_font = QFont(self.font())
        value_font.setPointSizeF(self.font().pointSizeF() * 1.6)
        value_font.setBold(True)
        vfm = QFontMetricsF(value_font)
        h = fm.height() + vfm.height() + 20
        gap = 12
        need = max(max(fm.horizontalAdvance(label), vfm.horizontalAdvance(value)) for label, value in tiles)
        columns = len(tiles)
        while columns > 1 and (area.width() - gap * (columns - 1)) / columns < need + 20:
            columns = columns // 2 if columns % 2 == 0 else columns - 1  # 4 → 2 → 1: tiles wrap
        w = (area.width() - gap * (columns - 1)) / columns
        base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        self.tiles_shown = []
        for i, (label, value) in enumerate(tiles):
            r = QRectF(area.left() + (i % columns) * (w + gap), y + (i // columns) * (h + gap), w, h)
            shown_label = fm.elidedText(label, Qt.TextElideMode.ElideRight, w - 20)
            shown_value = QFontMetricsF(value_font).elidedText(value, Qt.TextElideMode.ElideRight, w - 20)
            self.tiles_shown.append((r, shown_label, shown_value, f"{label}: {value}"))
            p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
            p.setBrush(theme.mix(base, text, 0.04))
            p.drawRoundedRect(r, 8, 8)
            p.setFont(self.font())
            p.setPen(theme.secondary_text(pal))
            p.drawText(r.adjusted(12, 8, -8, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                       shown_label)
            p.setFont(value_font)
            p.setPen(text)
            p.drawText(r.adjusted(12, 0, -8, -8), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                       shown_value)
        rows = -(-len(tiles) // columns)
        return y + rows * h + (rows - 1) * gap

    def event(self, event: QEvent) -> bool:
        """A tile's tooltip says its label and value in full (they elide when narrow)."""
        if event.type() == QEvent.Type.ToolTip:
            for rect, _label, _value, full in self.tiles_shown:
                if rect.contains(QPointF(event.pos())):
                    QToolTip.showText(event.globalPos(), tooltip(full), self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)

    def _chart(self, p: QPainter, r: QRectF, s: Stats) -> None:
        pal = self.palette()
        text, quiet = pal.color(QPalette.ColorRole.Text), theme.secondary_text(pal)
        fm = QFontMetricsF(self.font())
        p.setFont(self.font())
        p.setPen(text)
        legend_w = sum(fm.horizontalAdvance(t) + 30 for t in ("read", "added")) + 12
        title = f"Added and read per week (last {len(s.weeks)} weeks)"
        if fm.horizontalAdvance(title) > r.width() - legend_w:
            title = "Added and read per week"  # narrow: the legend must not cover the title
        p.drawText(QRectF(r.left(), r.top(), r.width() - legend_w, fm.height()),
                   Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(title, Qt.TextElideMode.ElideRight, r.width() - legend_w))
        legend_x = r.right()
        for label, hue in (("read", READ_HUE), ("added", ADDED_HUE)):
            w = fm.horizontalAdvance(label)
            legend_x -= w
            p.setPen(quiet)
            p.drawText(QRectF(legend_x, r.top(), w, fm.height()), label)
            legend_x -= 16
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(hue))
            p.drawRoundedRect(QRectF(legend_x, r.top() + fm.height() / 2 - 5, 10, 10), 2, 2)
            legend_x -= 14
        top = r.top() + fm.height() + 12
        plot = QRectF(r.left() + 36, top, r.width() - 36, r.bottom() - top - fm.height() - 8)
        highest = max([1] + [max(a, b) for _, a, b in s.weeks])
        step = max(1, round(highest / 4))
        peak = -(-highest // step) * step  # the top grid line is at or above the highest bar
        p.setPen(QPen(theme.mix(pal.color(QPalette.ColorRole.Base), text, 0.15), 1))
        for v in range(0, peak + 1, step):
            yy = plot.bottom() - plot.height() * v / peak
            p.drawLine(plot.left(), yy, plot.right(), yy)
            p.save()
            p.setPen(quiet)
            p.drawText(QRectF(r.left(), yy - fm.height() / 2, 30, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(v))
            p.restore()
        n = max(1, len(s.weeks))
        slot = plot.width() / n
        bar = max(2.0, min(18.0, slot * 0.32))
        label_every = max(1, int(fm.horizontalAdvance("30 Sep") * 1.3 // slot) + 1)
        for i, (monday, added, read) in enumerate(s.weeks):
            cx = plot.left() + slot * (i + 0.5)
            for value, hue, dx in ((added, ADDED_HUE, -bar - 1), (read, READ_HUE, 1)):
                h = plot.height() * value / peak
                if h > 0:
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(QColor(hue))
                    p.drawRoundedRect(QRectF(cx + dx, plot.bottom() - h, bar, h), 2, 2)
            if (n - 1 - i) % label_every == 0:
                p.setPen(quiet)
                p.drawText(QRectF(cx - slot * label_every / 2, plot.bottom() + 4, slot * label_every,
                                  fm.height()), Qt.AlignmentFlag.AlignCenter,
                           f"{monday.day} {monday.strftime('%b')}")

    def _tags(self, p: QPainter, r: QRectF, s: Stats) -> None:
        pal = self.palette()
        text, quiet = pal.color(QPalette.ColorRole.Text), theme.secondary_text(pal)
        fm = QFontMetricsF(self.font())
        p.setFont(self.font())
        p.setPen(text)
        p.drawText(QRectF(r.left(), r.top(), r.width(), fm.height()), "Most used tags")
        if not s.top_tags:
            p.setPen(quiet)
            p.drawText(QRectF(r.left(), r.top() + fm.height() + 8, r.width(), fm.height()),
                       "No tags yet: add some in the detail pane or with Ctrl+T.")
            return
        most = s.top_tags[0][1]
        name_w = min(180.0, max(fm.horizontalAdvance(n) for n, _ in s.top_tags) + 12)
        y = r.top() + fm.height() + 10
        for name, count in s.top_tags:
            p.setPen(text)
            p.drawText(QRectF(r.left(), y, name_w - 8, fm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(name, Qt.TextElideMode.ElideRight, name_w - 8))
            width = (r.width() - name_w - 50) * count / most
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(theme.tinted(pal, ADDED_HUE, 0.55))
            p.drawRoundedRect(QRectF(r.left() + name_w, y + 3, max(3.0, width), fm.height() - 6), 3, 3)
            p.setPen(quiet)
            p.drawText(QRectF(r.left() + name_w + width + 6, y, 44, fm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(count))
            y += fm.height() + 8
