"""Two small charts painted with QtGui only: the same code draws on a screen and on a PDF page.

The Today dashboard paints them in a widget's paintEvent, the PDF day report
paints them on a QPdfWriter page (headless, no QtWidgets: station/ never
imports it).  QtCharts would need QtWidgets (QGraphicsView) and is not in
PySide6-Essentials; a plotting library (matplotlib, pyqtgraph) would add tens
of MB to the bundle, its own fonts and a second look for two bar charts.

Sizes are given in points and turned into device pixels from the device's
own resolution (``logicalDpiY``), so a chart reads the same at 96 dpi on a
laptop and at 300 dpi in a PDF.  Text is drawn in ``family`` (the report
passes its embedded font; the screen passes the application's).

- ``paint_bars``: vertical bars, optionally stacked (sign-ups by hour: 在册 +
  新会员), a value axis with round ticks, labels thinned when crowded.
- ``paint_capacity``: one horizontal bar per event, filled to admitted /
  capacity (or to the largest admitted figure when an event has no capacity).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

ROSTER_COLOUR = "#1b7f3b"  # 在册: the sign-up screen's green
NEW_COLOUR = "#1a5fb4"  # 新会员申请: its blue
GRID_COLOUR = "#cfd8dc"
AXIS_COLOUR = "#607d8b"
TEXT_COLOUR = "#263238"
TRACK_COLOUR = "#eceff1"
OVER_COLOUR = "#c62828"  # admitted beyond capacity


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one value per series, stacked bottom to top

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    series: tuple[str, ...]  # legend names, one per value of a bar
    colours: tuple[str, ...]
    empty_text: str = ""  # shown instead of bars when every value is 0


@dataclass(frozen=True)
class CapacityRow:
    label: str
    admitted: int
    capacity: int | None
    text: str  # what is written beside the bar, e.g. "312 / 400（78%）"


@dataclass(frozen=True)
class CapacityChart:
    rows: tuple[CapacityRow, ...]
    empty_text: str = ""


def nice_ticks(top: int, most: int = 5) -> list[int]:
    """Round axis ticks from 0 covering ``top``: steps of 1, 2 or 5 × 10^k, at most ``most`` + 1 ticks."""
    if top <= 0:
        return [0, 1]
    raw = top / most
    power = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    last = -(-top // step) * step
    return list(range(0, last + 1, step))


def _pt(painter: QPainter) -> float:
    """Device pixels per point on the painter's device."""
    dpi = painter.device().logicalDpiY() or 96
    return dpi / 72.0


def _font(family: str | None, size_pt: float, pt: float, bold: bool = False):
    from PySide6.QtGui import QFont

    font = QFont(family) if family else QFont()
    font.setPixelSize(max(1, round(size_pt * pt)))
    font.setBold(bold)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)  # keeps a PDF's text layer whole (day_report_pdf)
    return font


def paint_bars(painter: QPainter, rect: QRectF, chart: BarChart, *, family: str | None = None,
               font_pt: float = 8.0) -> None:
    """Vertical (stacked) bars filling ``rect``, with a value axis, category labels and a legend."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFontMetricsF, QPen

    pt = _pt(painter)
    painter.save()
    try:
        font = _font(family, font_pt, pt)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        line = fm.height()
        top_value = max((b.total for b in chart.bars), default=0)
        # legend along the top
        legend_h = line * 1.4 if len(chart.series) > 1 else 0.0
        if legend_h:
            x = rect.left()
            for name, colour in zip(chart.series, chart.colours, strict=True):
                sw = line * 0.8
                painter.fillRect(QRectF(x, rect.top() + (line - sw) / 2, sw, sw), QColor(colour))
                x += sw + line * 0.3
                painter.setPen(QColor(TEXT_COLOUR))
                painter.drawText(QRectF(x, rect.top(), fm.horizontalAdvance(name) + 2, line),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
                x += fm.horizontalAdvance(name) + line
        if top_value <= 0 or not chart.bars:
            painter.setPen(QColor(AXIS_COLOUR))
            painter.drawText(rect.adjusted(0, legend_h, 0, 0), int(Qt.AlignmentFlag.AlignCenter), chart.empty_text)
            return
        ticks = nice_ticks(top_value)
        axis_w = fm.horizontalAdvance(f"{ticks[-1]:,}") + line * 0.6
        plot = QRectF(rect.left() + axis_w, rect.top() + legend_h + line * 0.9,
                      rect.width() - axis_w - line * 0.3, rect.height() - legend_h - line * 0.9 - line * 1.5)
        if plot.width() <= 0 or plot.height() <= 0:
            return
        scale = plot.height() / ticks[-1]
        # grid and value axis
        grid = QPen(QColor(GRID_COLOUR))
        grid.setWidthF(max(1.0, 0.5 * pt))
        for v in ticks:
            y = plot.bottom() - v * scale
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(AXIS_COLOUR))
            painter.drawText(QRectF(rect.left(), y - line / 2, axis_w - line * 0.3, line),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{v:,}")
        # bars
        n = len(chart.bars)
        slot = plot.width() / n
        bar_w = slot * 0.7
        widest = max(fm.horizontalAdvance(b.label) for b in chart.bars) + line * 0.4
        every = max(1, math.ceil(widest / slot))  # label every k-th bar when they would collide
        for i, bar in enumerate(chart.bars):
            x = plot.left() + i * slot + (slot - bar_w) / 2
            y = plot.bottom()
            for value, colour in zip(bar.values, chart.colours, strict=True):
                h = value * scale
                if h > 0:
                    painter.fillRect(QRectF(x, y - h, bar_w, h), QColor(colour))
                y -= h
            if bar.total and fm.horizontalAdvance(f"{bar.total:,}") <= slot * 1.1:
                painter.setPen(QColor(TEXT_COLOUR))
                painter.drawText(QRectF(x - slot * 0.15, y - line, bar_w + slot * 0.3, line),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom), f"{bar.total:,}")
            if i % every == 0:
                painter.setPen(QColor(AXIS_COLOUR))
                painter.drawText(QRectF(plot.left() + i * slot - slot * every / 2 + slot / 2, plot.bottom() + line * 0.2,
                                        slot * every, line * 1.2),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), bar.label)
        axis = QPen(QColor(AXIS_COLOUR))
        axis.setWidthF(max(1.0, 0.75 * pt))
        painter.setPen(axis)
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
    finally:
        painter.restore()


def capacity_height(chart: CapacityChart, painter: QPainter, *, font_pt: float = 8.0) -> float:
    """The height ``paint_capacity`` needs on this painter's device for all its rows."""
    pt = _pt(painter)
    line = font_pt * pt * 1.5
    return max(1, len(chart.rows)) * line * 1.5


def paint_capacity(painter: QPainter, rect: QRectF, chart: CapacityChart, *, family: str | None = None,
                   font_pt: float = 8.0) -> None:
    """One row per event: its name, a track filled to admitted / capacity, the figures."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFontMetricsF

    pt = _pt(painter)
    painter.save()
    try:
        font = _font(family, font_pt, pt)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        line = fm.height()
        if not chart.rows:
            painter.setPen(QColor(AXIS_COLOUR))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), chart.empty_text)
            return
        row_h = min(line * 2.2, rect.height() / len(chart.rows))
        label_w = min(rect.width() * 0.32, max(fm.horizontalAdvance(r.label) for r in chart.rows) + line * 0.6)
        text_w = min(rect.width() * 0.3, max(fm.horizontalAdvance(r.text) for r in chart.rows) + line * 0.6)
        track_w = max(1.0, rect.width() - label_w - text_w)
        uncapped = max((r.admitted for r in chart.rows if not r.capacity), default=0)
        for i, r in enumerate(chart.rows):
            y = rect.top() + i * row_h
            painter.setPen(QColor(TEXT_COLOUR))
            label = fm.elidedText(r.label, Qt.TextElideMode.ElideRight, label_w - line * 0.4)
            painter.drawText(QRectF(rect.left(), y, label_w - line * 0.4, row_h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
            track = QRectF(rect.left() + label_w, y + row_h * 0.2, track_w, row_h * 0.6)
            painter.fillRect(track, QColor(TRACK_COLOUR))
            full = r.capacity or uncapped or 1
            share = min(1.0, r.admitted / full) if full else 0.0
            # red: over capacity; blue: no capacity, so the bar is only relative to the other such events
            colour = (OVER_COLOUR if r.admitted > r.capacity else ROSTER_COLOUR) if r.capacity else NEW_COLOUR
            if share > 0:
                painter.fillRect(QRectF(track.left(), track.top(), track.width() * share, track.height()), QColor(colour))
            painter.setPen(QColor(TEXT_COLOUR))
            painter.drawText(QRectF(track.right() + line * 0.4, y, text_w - line * 0.4, row_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), r.text)
    finally:
        painter.restore()
