"""The day report as an A4 PDF, in the report language (Chinese by default), headless.

`station report day --date D --out FILE.pdf` and the Today screen's 保存 PDF
日报 button.  Sections: 概况 tiles, 按小时 chart, 按单位 table, 观影/核验
(admissions against capacity), 抽奖 (masked winners and their prizes), 下一步去哪儿.

The text is set in the bundled Noto Sans CJK SC subset (station/posters/fonts.py),
which QPdfWriter embeds, so the file reads the same on any computer and its
text layer can be searched (the tests read it back with pdftotext).  The
charts are station/reports/charts.py, the same painter the Today screen uses.
Counts, enterprise names and masked winner names only: no ID number, no phone.
The file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from station import __version__
from station.errors import StationError
from station.i18n import t
from station.reports.charts import capacity_height, paint_bars, paint_capacity
from station.reports.day import DayReport, capacity_chart, hour_chart

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF

DPI = 300
MARGIN_MM = 15.0
BODY_PT = 9.0
CREATOR = f"粤工惠地推工作站 {__version__}"

INK = "#263238"
MUTED = "#607d8b"
ACCENT = "#1a5fb4"
RULE = "#cfd8dc"
HEADER_FILL = "#ddebf7"
ZEBRA = "#f5f7f8"


def write_pdf(rep: DayReport, path: Path, *, generated: dt.datetime | None = None) -> Path:
    """Write the report to ``path`` (.pdf); StationError report_format or file_unwritable."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise StationError("report_format", path=path)
    tmp = path.with_name(path.name + ".partial")
    try:
        _render(rep, tmp, generated or dt.datetime.now())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StationError("file_unwritable", path=path, reason=exc.strerror or exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _render(rep: DayReport, path: Path, generated: dt.datetime) -> None:
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    from station.posters.fonts import ensure_fonts
    from station.posters.render import ensure_gui

    ensure_gui()
    family = ensure_fonts()
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    writer.setCreator(CREATOR)
    writer.setTitle(t("report_title_summary", date=rep.date.isoformat()))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        doc = _Doc(writer, painter, family, t("report_pdf_footer", station=rep.station, date=rep.date.isoformat()))
        _content(doc, rep, generated)
    finally:
        painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"QPdfWriter wrote nothing to {path}")


class _Doc:
    """A top-to-bottom flow of blocks on A4 pages: headings, paragraphs, tiles, charts, tables."""

    def __init__(self, writer, painter, family: str, footer: str) -> None:
        from PySide6.QtCore import QRectF

        self.writer, self.p, self.family, self.footer = writer, painter, family, footer
        self.mm = DPI / 25.4
        self.pt = DPI / 72.0
        w, h = 210 * self.mm, 297 * self.mm
        m = MARGIN_MM * self.mm
        self.body = QRectF(m, m, w - 2 * m, h - 2 * m - 6 * self.mm)  # room for the footer
        self.page_bottom = h - m
        self.page = 1
        self.y = self.body.top()
        self._footer()

    # -- primitives ---------------------------------------------------------------------
    def font(self, size_pt: float, bold: bool = False):
        from PySide6.QtGui import QFont

        f = QFont(self.family)
        f.setPixelSize(max(1, round(size_pt * self.pt)))
        f.setBold(bold)
        f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        # No shaping: in a Latin run the subset font's ligatures (fi) and digit forms have no
        # Unicode mapping, so the PDF's text layer would lose them ("eld", "Date: - -").
        f.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        return f

    def line_height(self, size_pt: float) -> float:
        from PySide6.QtGui import QFontMetricsF

        return QFontMetricsF(self.font(size_pt)).height()

    def room(self) -> float:
        return self.body.bottom() - self.y

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` still fits on this one."""
        if height > self.room() and self.y > self.body.top():
            self.new_page()

    def new_page(self) -> None:
        self.writer.newPage()
        self.page += 1
        self.y = self.body.top()
        self._footer()

    def _footer(self) -> None:
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QColor, QPen

        pen = QPen(QColor(RULE))
        pen.setWidthF(0.3 * self.mm)
        self.p.setPen(pen)
        y = self.page_bottom - 5 * self.mm
        self.p.drawLine(QPointF(self.body.left(), y), QPointF(self.body.right(), y))
        self.p.setFont(self.font(7.5))
        self.p.setPen(QColor(MUTED))
        box = QRectF(self.body.left(), y + 1 * self.mm, self.body.width(), 4 * self.mm)
        self.p.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.footer)
        self.p.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                        t("report_pdf_page", page=self.page))

    def text(self, text: str, size_pt: float = BODY_PT, *, bold: bool = False, colour: str = INK,
             space_after: float = 1.5) -> None:
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QColor, QFontMetricsF

        font = self.font(size_pt, bold)
        fm = QFontMetricsF(font)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        bound = fm.boundingRect(QRectF(0, 0, self.body.width(), 1e6), flags, text)
        self.need(bound.height())
        self.p.setFont(font)
        self.p.setPen(QColor(colour))
        self.p.drawText(QRectF(self.body.left(), self.y, self.body.width(), bound.height() + 1), flags, text)
        self.y += bound.height() + space_after * self.mm

    def heading(self, text: str, keep_with: float = 0.0) -> None:
        """A section heading with a rule, kept on the page with ``keep_with`` more height of what follows."""
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QColor, QPen

        h = self.line_height(13) + 3 * self.mm
        self.need(h + keep_with)
        self.y += 2 * self.mm if self.y > self.body.top() else 0
        self.text(text, 13, bold=True, colour=ACCENT, space_after=0.8)
        pen = QPen(QColor(ACCENT))
        pen.setWidthF(0.4 * self.mm)
        self.p.setPen(pen)
        self.p.drawLine(QPointF(self.body.left(), self.y), QPointF(self.body.right(), self.y))
        self.y += 2.5 * self.mm

    def tiles(self, tiles: Sequence[tuple[str, str]], per_row: int = 3) -> None:
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QColor, QPen

        gap = 3 * self.mm
        w = (self.body.width() - gap * (per_row - 1)) / per_row
        h = 19 * self.mm
        for start in range(0, len(tiles), per_row):
            self.need(h)
            for i, (label, value) in enumerate(tiles[start:start + per_row]):
                box = QRectF(self.body.left() + i * (w + gap), self.y, w, h)
                pen = QPen(QColor(RULE))
                pen.setWidthF(0.3 * self.mm)
                self.p.setPen(pen)
                self.p.setBrush(QColor("#fafbfc"))
                self.p.drawRoundedRect(box, 1.5 * self.mm, 1.5 * self.mm)
                self.p.setFont(self.font(8.5))
                self.p.setPen(QColor(MUTED))
                self.p.drawText(box.adjusted(3 * self.mm, 2 * self.mm, -3 * self.mm, 0),
                                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), label)
                self.p.setFont(self.font(19, bold=True))
                self.p.setPen(QColor(INK))
                self.p.drawText(box.adjusted(3 * self.mm, 0, -3 * self.mm, -1.5 * self.mm),
                                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), value)
            self.y += h + gap
        self.p.setBrush(QColor(0, 0, 0, 0))

    def block(self, height: float, paint: Callable[[QRectF], None]) -> None:
        """A fixed-height drawing (a chart) across the body's width."""
        from PySide6.QtCore import QRectF

        self.need(height)
        paint(QRectF(self.body.left(), self.y, self.body.width(), height))
        self.y += height + 2 * self.mm

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              numeric: Sequence[bool], *, empty: str = "") -> None:
        """Rows under a header row that repeats on every page; ``widths`` are fractions of the body."""
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QColor, QFontMetricsF

        if not rows:
            self.text(empty, colour=MUTED)
            return
        font, bold = self.font(BODY_PT), self.font(BODY_PT, bold=True)
        fm = QFontMetricsF(font)
        row_h = fm.height() * 1.55
        pad = 1.5 * self.mm
        xs = [self.body.left()]
        for f in widths:
            xs.append(xs[-1] + f * self.body.width())

        def cells(values: Sequence[str], y: float, header: bool, fill: str | None) -> None:
            if fill:
                self.p.fillRect(QRectF(self.body.left(), y, self.body.width(), row_h), QColor(fill))
            self.p.setFont(bold if header else font)
            self.p.setPen(QColor(INK))
            for i, value in enumerate(values):
                box = QRectF(xs[i] + pad, y, xs[i + 1] - xs[i] - 2 * pad, row_h)
                align = Qt.AlignmentFlag.AlignRight if numeric[i] else Qt.AlignmentFlag.AlignLeft
                shown = QFontMetricsF(bold if header else font).elidedText(str(value), Qt.TextElideMode.ElideRight,
                                                                           box.width())
                self.p.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), shown)

        self.need(row_h * 2)
        cells(headers, self.y, True, HEADER_FILL)
        self.y += row_h
        for n, row in enumerate(rows):
            if self.room() < row_h:
                self.new_page()
                cells(headers, self.y, True, HEADER_FILL)
                self.y += row_h
            cells(row, self.y, False, ZEBRA if n % 2 else None)
            self.y += row_h
        self.y += 2 * self.mm


def _int(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


def _pct(rate: float | None) -> str:
    return t("report_unknown") if rate is None else f"{rate:.1%}"


def _content(doc: _Doc, rep: DayReport, generated: dt.datetime) -> None:
    day = rep.date.isoformat()
    doc.text(t("report_pdf_title"), 20, bold=True, space_after=1.0)
    doc.text(t("report_pdf_subtitle", station=rep.station, date=day), 11, space_after=0.8)
    doc.text(t("report_pdf_generated", time=generated.strftime("%Y-%m-%d %H:%M")), 8, colour=MUTED, space_after=2)

    # 概况
    doc.heading(t("report_sheet_summary"), keep_with=20 * doc.mm)
    doc.tiles([
        (t("report_signups"), _int(rep.signups)),
        (t("report_roster"), _int(rep.roster)),
        (t("report_new"), _int(rep.new)),
        (t("report_roster_rate"), _pct(rep.roster_rate)),
        (t("report_tile_admitted"), _int(rep.admitted)),
        (t("report_tile_unsynced"), _int(rep.unsynced)),
    ])
    doc.text(rep.unsynced_note(), 8, colour=MUTED)

    # 按小时
    chart = hour_chart(rep)
    height = 62 * doc.mm
    doc.heading(t("report_title_hours", date=day), keep_with=height)
    doc.block(height, lambda r: paint_bars(doc.p, r, chart, family=doc.family, font_pt=8))

    # 按单位
    doc.heading(t("report_title_enterprises", date=day), keep_with=12 * doc.mm)
    doc.table([t("report_col_enterprise"), t("report_signups"), t("report_roster"), t("report_new")],
              [(name, _int(r + n), _int(r), _int(n)) for name, r, n in rep.per_enterprise],
              [0.44, 0.14, 0.16, 0.26], [False, True, True, True], empty=t("report_no_signups"))

    # 观影 / 核验
    cap = capacity_chart(rep)
    height = capacity_height(cap, doc.p, font_pt=8.5) if cap.rows else doc.line_height(BODY_PT) * 1.5
    doc.heading(t("report_sec_admissions"), keep_with=height)
    doc.block(height, lambda r: paint_capacity(doc.p, r, cap, family=doc.family, font_pt=8.5))
    if rep.admissions:
        doc.table([t("report_col_event"), t("report_col_admitted"), t("report_col_refused"), t("report_col_capacity"),
                   t("report_col_fill")],
                  [(a.event, _int(a.admitted), _int(a.refused), _int(a.capacity) or "—",
                    f"{a.admitted / a.capacity:.1%}" if a.capacity else "—") for a in rep.admissions],
                  [0.48, 0.13, 0.13, 0.13, 0.13], [False, True, True, True, True])

    # 抽奖
    doc.heading(t("report_sec_draw"), keep_with=12 * doc.mm)
    kinds = {"roster": t("report_roster"), "new": t("report_new")}
    doc.table([t("report_col_time"), t("report_col_event"), t("report_col_prize"), t("report_col_winner"),
               t("report_col_kind")],
              [(w.at.strftime("%H:%M"), w.event, w.prize, w.name_masked, kinds.get(w.outcome, w.outcome))
               for w in rep.winners],
              [0.1, 0.32, 0.24, 0.16, 0.18], [False, False, False, False, False], empty=t("report_no_winners"))

    # 下一步去哪儿
    doc.heading(t("report_sheet_next"), keep_with=16 * doc.mm)
    doc.text(t("report_pdf_next_rule"), 8, colour=MUTED)
    doc.table([t("report_col_rank"), t("report_col_enterprise"), t("report_col_union"), t("report_col_imported"),
               t("report_col_signed_up"), t("report_col_rate"), t("report_col_reachable")],
              [(str(i), e.enterprise, e.union or "", _int(e.imported), _int(e.signed_up), _pct(e.verification_rate),
                _int(e.reachable)) for i, e in enumerate(rep.next_visits, 1)],
              [0.06, 0.3, 0.22, 0.1, 0.11, 0.09, 0.12], [True, False, False, True, True, True, True],
              empty=t("report_plan_empty"))
