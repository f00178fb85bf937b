"""Laying out and painting one poster with QPainter (no widgets: PDF, image or printer alike).

Everything is placed in design units of 0.1 mm (``DU``), so the layout is the
same whatever the paint device: text is fitted once with unhinted font
metrics, then drawn through the painter's transform.  A text that does not
fit its box at the template's size is wrapped and shrunk, down to the
template's smallest size; past that the poster is refused with the field's
name (nothing is ever cut off), and a text shrunk well below its size is
reported as a note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from station.errors import StationError
from station.i18n import t
from station.posters.fonts import FAMILY, ensure_fonts, missing_characters
from station.posters.qr import QUIET_ZONE, QrSymbol, readability
from station.posters.templates import Face, Template

if TYPE_CHECKING:
    from PySide6.QtGui import QImage, QPainter

DU = 10.0  # design units per millimetre
SHRINK_NOTE_BELOW = 0.8  # a text set smaller than this share of its size is worth a note
CJK_ASCENT = 0.88  # share of the em above the baseline in CJK fonts (ideographic em box)


@dataclass(frozen=True)
class Note:
    """Something the user should know about a finished poster (it is not an error)."""

    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


@dataclass
class PosterSpec:
    """Everything one poster shows, resolved: texts with names filled in, the symbol, the logo."""

    template: Template
    texts: dict[str, str]
    benefits: list[str]
    steps: list[str]
    colours: dict[str, str]
    symbol: QrSymbol
    logo: QImage
    enterprise: str = ""
    union: str = ""
    distance_m: float | None = None  # reading distance; None: the template's

    @property
    def reading_distance_m(self) -> float:
        return self.distance_m if self.distance_m is not None else self.template.distance_m


# -- text fitting ------------------------------------------------------------------


@dataclass
class FittedText:
    text: str
    size: float  # DU
    bold: bool
    lines: list[tuple[str, float]]  # (line text, width DU)
    advance: float  # DU between baselines

    @property
    def visual_height(self) -> float:
        return (len(self.lines) - 1) * self.advance + self.size if self.lines else 0.0


# A fitted text's key: a block's index, or (part, block) and (part, block, item) for the parts of a block.
FitKey = int | tuple[str, int] | tuple[str, int, int]


FIELD_NAMES = {
    "brand": ("品牌行", "brand line"),
    "title": ("标题", "title"),
    "subtitle": ("副标题", "subtitle"),
    "ribbon": ("单位条", "enterprise ribbon"),
    "benefits_title": ("福利标题", "benefits heading"),
    "benefits": ("福利", "benefit"),
    "steps_title": ("步骤标题", "steps heading"),
    "steps": ("步骤", "step"),
    "caption": ("二维码说明", "QR caption"),
    "contact": ("联系方式", "contact line"),
    "code": ("编号行", "poster id line"),
}


def field_label(name: str, lang: str | None = None) -> str:
    from station.i18n import get_lang

    zh, en = FIELD_NAMES.get(name, (name, name))
    return en if (lang or get_lang()) == "en" else zh


def _font(size_du: float, bold: bool):
    from PySide6.QtGui import QFont

    font = QFont(FAMILY)
    font.setPixelSize(max(1, round(size_du)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(True)
    return font


def _break_lines(text: str, font, width: float) -> list[tuple[str, float]] | None:
    """Lines of ``text`` wrapped to ``width`` (Unicode line breaking: no 。 at a line start)."""
    from PySide6.QtGui import QTextLayout, QTextOption

    out: list[tuple[str, float]] = []
    for para in text.split("\n"):
        layout = QTextLayout(para, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            out.append((para[line.textStart(): line.textStart() + line.textLength()].rstrip(), line.naturalTextWidth()))
        layout.endLayout()
    if any(w > width + 0.5 for _, w in out):
        return None
    return out


def _balanced(text: str, font, width: float, count: int) -> list[tuple[str, float]] | None:
    """The same number of lines at the narrowest width that keeps it: no lone character on the last line."""
    lo, hi = width * 0.4, width
    best = None
    for _ in range(12):
        mid = (lo + hi) / 2
        lines = _break_lines(text, font, mid)
        if lines is not None and len(lines) <= count:
            best, hi = lines, mid
        else:
            lo = mid
    return best


def fit_text(
    text: str,
    width: float,
    height: float,
    size_range: tuple[float, float],
    *,
    bold: bool = False,
    max_lines: int | None = None,
    line_height: float = 1.3,
    prefer_lines: int | None = None,
) -> FittedText | None:
    """The largest size in ``size_range`` (DU) at which ``text`` fits the box, or None.

    Sizes are tried from the top, in steps of 2 % of the largest, so the
    result is the same on every machine.  ``prefer_lines``: first look for a
    size at which the text needs no more lines than that (a short heading
    reads better smaller on one line than broken in two).
    """
    if prefer_lines is not None and (max_lines is None or prefer_lines < max_lines):
        found = fit_text(text, width, height, size_range, bold=bold, max_lines=prefer_lines, line_height=line_height)
        if found is not None:
            return found
    biggest, smallest = size_range
    size = biggest
    step = max(1.0, biggest * 0.02)
    while size >= smallest - 1e-6:
        font = _font(size, bold)
        lines = _break_lines(text, font, width)
        if lines is not None:
            advance = size * line_height
            fitted = FittedText(text, size, bold, lines, advance)
            if (max_lines is None or len(lines) <= max_lines) and fitted.visual_height <= height + 0.01:
                if len(lines) > 1:
                    fitted.lines = _balanced(text, font, width, len(lines)) or lines
                return fitted
        if size == smallest:
            break
        size = max(smallest, size - step)
    return None


def _draw_fitted(painter: QPainter, fitted: FittedText, x: float, y: float, w: float, h: float, colour,
                 align: str = "center", valign: str = "center") -> None:
    from PySide6.QtCore import QPointF

    font = _font(fitted.size, fitted.bold)
    painter.setFont(font)
    painter.setPen(colour)
    if valign == "top":
        top = y
    elif valign == "bottom":
        top = y + h - fitted.visual_height
    else:
        top = y + (h - fitted.visual_height) / 2
    for i, (line, width) in enumerate(fitted.lines):
        baseline = top + i * fitted.advance + CJK_ASCENT * fitted.size
        if align == "left":
            lx = x
        elif align == "right":
            lx = x + w - width
        else:
            lx = x + (w - width) / 2
        painter.drawText(QPointF(lx, baseline), line)


# -- the layout -----------------------------------------------------------------------


class PosterPainter:
    """Fits the texts of one spec (once), then paints it on any device, any number of times."""

    def __init__(self, spec: PosterSpec) -> None:
        ensure_fonts()
        self.spec = spec
        self.notes: list[Note] = []
        self.module_mm = 0.0
        self._fits: dict[FitKey, FittedText] = {}
        self._noted: set[str] = set()
        self._prepare()

    # -- text of a field ------------------------------------------------------------
    def _text(self, name: str) -> str:
        return self.spec.texts.get(name, "")

    def _fit(self, key: FitKey, name: str, text: str, w: float, h: float, size_mm: list[float], *, bold=False,
             max_lines=None, line_height=1.3, prefer_lines=None) -> FittedText | None:
        if not text.strip():
            return None
        sizes = (size_mm[0] * DU, size_mm[1] * DU)
        fitted = fit_text(text, w, h, sizes, bold=bold, max_lines=max_lines, line_height=line_height,
                          prefer_lines=prefer_lines)
        if fitted is None:
            raise StationError("poster_text_too_long", field=field_label(name), text=_clip(text),
                               template=self.spec.template.name())
        if fitted.size < sizes[0] * SHRINK_NOTE_BELOW and name not in self._noted:
            self._noted.add(name)
            self.notes.append(Note("poster_note_shrunk", {"field": field_label(name), "size": f"{fitted.size / DU:.1f}",
                                                          "nominal": f"{size_mm[0]:.1f}"}))
        missing = missing_characters(text, bold)
        if missing and ("font:" + missing) not in self._noted:
            self._noted.add("font:" + missing)
            self.notes.append(Note("poster_note_font_fallback", {"chars": missing, "field": field_label(name)}))
        self._fits[key] = fitted
        return fitted

    def _prepare(self) -> None:
        """Fit every text now: a poster that cannot be laid out fails before anything is written."""
        for i, block in enumerate(self.spec.template.blocks):
            kind = block["type"]
            x, y, w, h = (v * DU for v in block.get("rect", (0, 0, 0, 0)))
            if kind == "text":
                self._fit(i, block["field"], self._text(block["field"]), w, h, block["size"],
                          bold=block.get("weight") == "bold", max_lines=block.get("max_lines"),
                          line_height=block.get("line_height", 1.22))
            elif kind == "ribbon":
                pad = h * 0.55
                self._fit(i, block["field"], self._text(block["field"]), w - 2 * pad, h * 0.86, block["size"],
                          bold=True, max_lines=1)
            elif kind == "benefits":
                self._prepare_benefits(i, block, x, y, w, h)
            elif kind == "steps":
                self._prepare_steps(i, block, x, y, w, h)
            elif kind == "qr":
                side = w
                cap = h - side
                if cap > 0:
                    self._fit(i, "caption", self._text("caption"), side * 0.9, cap * 0.8, block["caption_size"],
                              bold=True, max_lines=1)
                module_mm = side / DU / self.spec.symbol.size_with_quiet_zone
                check = readability(module_mm, self.spec.reading_distance_m)
                self.module_mm = module_mm
                if not check.ok and "qr" not in self._noted:
                    self._noted.add("qr")
                    self.notes.append(Note("poster_note_module_small", {
                        "module": f"{check.module_mm:.1f}", "needed": f"{check.needed_mm:.1f}",
                        "distance": f"{check.distance_m:g}", "max_distance": f"{check.max_distance_m:.1f}"}))

    # benefits: a heading, then items in columns, all at one size
    def _benefit_geometry(self, block, x, y, w, h):
        heading = block["heading_size"] * DU
        head_h = heading * 1.5
        cols = block.get("columns", 1)
        items = self.spec.benefits
        rows = max(1, math.ceil(len(items) / cols))
        gap = w * 0.03
        col_w = (w - gap * (cols - 1)) / cols
        row_h = (h - head_h) / rows
        return heading, head_h, cols, rows, col_w, row_h, gap

    def _prepare_benefits(self, i, block, x, y, w, h) -> None:
        heading, head_h, _cols, _rows, col_w, row_h, _gap = self._benefit_geometry(block, x, y, w, h)
        self._fit(("bh", i), "benefits_title", self._text("benefits_title"), w * 0.8, head_h, [heading / DU, heading / DU * 0.7], bold=True, max_lines=1)
        icon = min(row_h * 0.62, block["size"][0] * DU * 1.35)
        sizes = block["size"]
        fitted = []
        for k, item in enumerate(self.spec.benefits):
            fitted.append(self._fit(("b", i, k), "benefits", item, col_w - icon * 1.45, row_h * 0.92, sizes,
                                    max_lines=2, line_height=1.2))
        # One size for all items: a list whose lines jump in size looks broken.
        smallest = min((f.size for f in fitted if f), default=None)
        if smallest is not None:
            for k, item in enumerate(self.spec.benefits):
                f = fit_text(item, col_w - icon * 1.45, row_h * 0.92, (smallest, smallest), max_lines=2, line_height=1.2)
                if f is not None:
                    self._fits[("b", i, k)] = f

    def _step_geometry(self, block, x, y, w, h):
        n = len(self.spec.steps)
        if block.get("direction", "row") == "row":
            tag_w = w * 0.17
            arrow = w * 0.035
            cell_w = (w - tag_w - arrow * n) / n
            return tag_w, arrow, cell_w
        return 0.0, 0.0, w

    def _step_cells(self, block, w, h) -> tuple[float, float, float]:
        """(circle diameter, text width, text height) of one step."""
        sizes = block["size"]
        if block.get("direction", "row") == "row":
            _tag, _arrow, cell_w = self._step_geometry(block, 0, 0, w, h)
            circle = min(h * 0.62, sizes[0] * DU * 1.9)
            return circle, cell_w - circle * 1.25, h * 0.95
        row_h = h / (len(self.spec.steps) + 0.8)
        circle = min(row_h * 0.7, sizes[0] * DU * 1.9)
        return circle, w - circle * 1.4, row_h * 0.95

    def _prepare_steps(self, i, block, x, y, w, h) -> None:
        sizes = block["size"]
        row = block.get("direction", "row") == "row"
        tag_w, _arrow, _cell_w = self._step_geometry(block, x, y, w, h)
        if row:
            self._fit(("sh", i), "steps_title", self._text("steps_title"), tag_w * 0.8, h * 0.8, sizes, bold=True,
                      max_lines=3, line_height=1.15)
        else:
            row_h = h / (len(self.spec.steps) + 0.8)
            self._fit(("sh", i), "steps_title", self._text("steps_title").replace("\n", ""), w, row_h * 0.8, sizes,
                      bold=True, max_lines=1)
        _circle, text_w, text_h = self._step_cells(block, w, h)
        lines = 3 if row else 2
        fitted = [self._fit(("s", i, k), "steps", s, text_w, text_h, sizes, max_lines=lines, line_height=1.18)
                  for k, s in enumerate(self.spec.steps)]
        # One size for the three steps, like the benefits.
        smallest = min((f.size for f in fitted if f), default=None)
        if smallest is not None:
            for k, f in enumerate(fitted):
                if f is not None and f.size != smallest:
                    again = fit_text(f.text, text_w, text_h, (smallest, smallest), max_lines=lines, line_height=1.18)
                    if again is not None:
                        self._fits[("s", i, k)] = again

    # -- painting ----------------------------------------------------------------------
    def colour(self, key: str):
        from PySide6.QtGui import QColor

        return QColor(self.spec.colours.get(key, key))

    def paint_page(self, painter: QPainter, px_per_mm: float) -> None:
        """Paint the whole page; the painter's origin is the page's top-left corner."""
        from PySide6.QtGui import QPainter as _QP

        painter.save()
        painter.setRenderHint(_QP.RenderHint.Antialiasing, True)
        painter.setRenderHint(_QP.RenderHint.TextAntialiasing, True)
        painter.setRenderHint(_QP.RenderHint.SmoothPixmapTransform, True)
        painter.scale(px_per_mm / DU, px_per_mm / DU)
        for face in self.spec.template.faces:
            self._paint_face(painter, face)
        for block in self.spec.template.page_blocks:
            self._paint_page_block(painter, block)
        painter.restore()

    def _paint_face(self, painter: QPainter, face: Face) -> None:
        painter.save()
        ox, oy = face.offset[0] * DU, face.offset[1] * DU
        fw, fh = face.size[0] * DU, face.size[1] * DU
        painter.translate(ox, oy)
        painter.setClipRect(0, 0, math.ceil(fw), math.ceil(fh))
        if face.rotate == 180:
            painter.translate(fw, fh)
            painter.rotate(180)
        for i, block in enumerate(self.spec.template.blocks):
            getattr(self, "_paint_" + block["type"].replace("-", "_"))(painter, i, block)
        painter.restore()

    def _rect(self, block):
        from PySide6.QtCore import QRectF

        x, y, w, h = (v * DU for v in block["rect"])
        return QRectF(x, y, w, h)

    def _paint_rect(self, painter, i, block) -> None:
        from PySide6.QtCore import Qt

        r = self._rect(block)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour(block["fill"]))
        radius = block.get("radius", 0) * DU
        if radius:
            painter.drawRoundedRect(r, radius, radius)
        else:
            painter.drawRect(r)

    def _paint_rays(self, painter, i, block) -> None:
        """A sunburst of soft rays across the header: festive without stealing from the title."""
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QPainterPath

        r = self._rect(block)
        ox, oy = (v * DU for v in block["origin"])
        reach = math.hypot(r.width(), r.height()) * 2
        path = QPainterPath()
        for k in range(0, 36, 2):
            a0, a1 = math.radians(k * 10), math.radians(k * 10 + 10)
            path.moveTo(QPointF(ox, oy))
            path.lineTo(QPointF(ox + reach * math.cos(a0), oy + reach * math.sin(a0)))
            path.lineTo(QPointF(ox + reach * math.cos(a1), oy + reach * math.sin(a1)))
            path.closeSubpath()
        painter.save()
        painter.setClipRect(r, Qt.ClipOperation.IntersectClip)
        painter.setOpacity(block.get("opacity", 0.08))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour(block["fill"]))
        painter.drawPath(path)
        painter.restore()

    def _paint_wave(self, painter, i, block) -> None:
        """The header's lower edge: a gentle curve with a gold line under it."""
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QPainterPath, QPen

        r = self._rect(block)
        x0, x1, top, h = r.left(), r.right(), r.top(), r.height()
        path = QPainterPath(QPointF(x0, top))
        path.lineTo(QPointF(x1, top))
        path.lineTo(QPointF(x1, top + h * 0.25))
        path.cubicTo(QPointF(x0 + (x1 - x0) * 0.62, top + h * 1.05), QPointF(x0 + (x1 - x0) * 0.3, top - h * 0.15),
                     QPointF(x0, top + h * 0.75))
        path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour(block["fill"]))
        painter.drawPath(path)
        edge = QPainterPath(QPointF(x1, top + h * 0.25 + h * 0.12))
        edge.cubicTo(QPointF(x0 + (x1 - x0) * 0.62, top + h * 1.05 + h * 0.12),
                     QPointF(x0 + (x1 - x0) * 0.3, top - h * 0.15 + h * 0.12), QPointF(x0, top + h * 0.75 + h * 0.12))
        pen = QPen(self.colour("accent"))
        pen.setWidthF(h * 0.07)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(edge)

    def _paint_logo(self, painter, i, block) -> None:
        from PySide6.QtCore import Qt

        r = self._rect(block)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour("#FFFFFF"))
        painter.drawEllipse(r)
        inner = r.adjusted(r.width() * 0.1, r.height() * 0.1, -r.width() * 0.1, -r.height() * 0.1)
        self._draw_image_fitted(painter, self.spec.logo, inner)

    def _draw_image_fitted(self, painter, image, box) -> None:
        from PySide6.QtCore import QRectF

        if image is None or image.isNull():
            return
        iw, ih = image.width(), image.height()
        k = min(box.width() / iw, box.height() / ih)
        w, h = iw * k, ih * k
        # drawImage of one QImage object on every page: Qt's PDF writer embeds it once.
        painter.drawImage(QRectF(box.center().x() - w / 2, box.center().y() - h / 2, w, h), image)

    def _paint_text(self, painter, i, block) -> None:
        fitted = self._fits.get(i)
        if fitted is None:
            return
        r = self._rect(block)
        _draw_fitted(painter, fitted, r.x(), r.y(), r.width(), r.height(), self.colour(block.get("colour", "ink")),
                     block.get("align", "center"), block.get("valign", "center"))

    def _paint_ribbon(self, painter, i, block) -> None:
        from PySide6.QtCore import Qt

        r = self._rect(block)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour(block["fill"]))
        painter.drawRoundedRect(r, r.height() / 2, r.height() / 2)
        fitted = self._fits.get(i)
        if fitted is not None:
            pad = r.height() * 0.55
            _draw_fitted(painter, fitted, r.x() + pad, r.y(), r.width() - 2 * pad, r.height(),
                         self.colour(block.get("colour", "primary")))

    def _paint_benefits(self, painter, i, block) -> None:
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QPainterPath, QPen

        r = self._rect(block)
        heading, head_h, cols, _rows, col_w, row_h, gap = self._benefit_geometry(block, r.x(), r.y(), r.width(), r.height())
        head = self._fits.get(("bh", i))
        bar_w = heading * 0.28
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour("primary"))
        painter.drawRoundedRect(QRectF(r.x(), r.y() + head_h * 0.18, bar_w, head_h * 0.64), bar_w / 2, bar_w / 2)
        if head is not None:
            _draw_fitted(painter, head, r.x() + bar_w * 2.2, r.y(), r.width() * 0.8, head_h, self.colour("primary"), "left")
        # a thin rule from the heading to the right edge
        pen = QPen(self.colour("accent"))
        pen.setWidthF(heading * 0.06)
        painter.setPen(pen)
        rule_x = r.x() + bar_w * 2.2 + (head.lines[0][1] if head else 0) + heading * 0.6
        painter.drawLine(QPointF(rule_x, r.y() + head_h / 2), QPointF(r.right(), r.y() + head_h / 2))
        icon = min(row_h * 0.62, block["size"][0] * DU * 1.35)
        for k, _item in enumerate(self.spec.benefits):
            col, row = k % cols, k // cols
            cx = r.x() + col * (col_w + gap)
            cy = r.y() + head_h + row * row_h
            fitted = self._fits.get(("b", i, k))
            centre_y = cy + row_h / 2
            # icon: a gold disc with a white tick
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.colour("accent"))
            painter.drawEllipse(QPointF(cx + icon / 2, centre_y), icon / 2, icon / 2)
            tick = QPainterPath(QPointF(cx + icon * 0.27, centre_y + icon * 0.02))
            tick.lineTo(QPointF(cx + icon * 0.44, centre_y + icon * 0.18))
            tick.lineTo(QPointF(cx + icon * 0.74, centre_y - icon * 0.16))
            tp = QPen(self.colour("#FFFFFF"))
            tp.setWidthF(icon * 0.13)
            tp.setCapStyle(Qt.PenCapStyle.RoundCap)
            tp.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(tp)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(tick)
            if fitted is not None:
                tx = cx + icon * 1.45
                _draw_fitted(painter, fitted, tx, cy, col_w - icon * 1.45, row_h, self.colour("ink"), "left")

    def _paint_steps(self, painter, i, block) -> None:
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QPainterPath

        r = self._rect(block)
        sizes = block["size"]
        head = self._fits.get(("sh", i))
        n = len(self.spec.steps)
        if block.get("direction", "row") == "row":
            tag_w, arrow, cell_w = self._step_geometry(block, r.x(), r.y(), r.width(), r.height())
            h = r.height()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.colour("primary"))
            tag = QRectF(r.x(), r.y(), tag_w * 0.92, h)
            painter.drawRoundedRect(tag, h * 0.16, h * 0.16)
            if head is not None:
                _draw_fitted(painter, head, tag.x() + tag.width() * 0.1, tag.y(), tag.width() * 0.8, h, self.colour("#FFFFFF"))
            circle = min(h * 0.62, sizes[0] * DU * 1.9)
            x = r.x() + tag_w + arrow
            for k in range(n):
                cy = r.y() + h / 2
                self._number(painter, k + 1, QPointF(x + circle / 2, cy), circle)
                fitted = self._fits.get(("s", i, k))
                if fitted is not None:
                    _draw_fitted(painter, fitted, x + circle * 1.25, r.y(), cell_w - circle * 1.25, h, self.colour("ink"), "left")
                x += cell_w
                if k < n - 1:
                    # a chevron between steps
                    ax = x + arrow * 0.15
                    chevron = QPainterPath(QPointF(ax, cy - arrow * 0.55))
                    chevron.lineTo(QPointF(ax + arrow * 0.6, cy))
                    chevron.lineTo(QPointF(ax, cy + arrow * 0.55))
                    chevron.lineTo(QPointF(ax + arrow * 0.22, cy))
                    chevron.closeSubpath()
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(self.colour("accent"))
                    painter.drawPath(chevron)
                    x += arrow
        else:
            rows = n
            row_h = r.height() / (rows + 0.8)
            if head is not None:
                _draw_fitted(painter, head, r.x(), r.y(), r.width(), row_h * 0.8, self.colour("primary"), "left")
            circle = min(row_h * 0.7, sizes[0] * DU * 1.9)
            for k in range(n):
                top = r.y() + row_h * (0.8 + k)
                self._number(painter, k + 1, QPointF(r.x() + circle / 2, top + row_h / 2), circle)
                fitted = self._fits.get(("s", i, k))
                if fitted is not None:
                    _draw_fitted(painter, fitted, r.x() + circle * 1.4, top, r.width() - circle * 1.4, row_h,
                                 self.colour("ink"), "left")

    def _number(self, painter, number: int, centre, diameter: float) -> None:
        from PySide6.QtCore import QRectF, Qt

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour("primary"))
        painter.drawEllipse(centre, diameter / 2, diameter / 2)
        fitted = FittedText(str(number), diameter * 0.62, True, [(str(number), 0.0)], 0.0)
        font = _font(fitted.size, True)
        painter.setFont(font)
        painter.setPen(self.colour("#FFFFFF"))
        box = QRectF(centre.x() - diameter / 2, centre.y() - diameter / 2, diameter, diameter)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), str(number))

    def _paint_qr(self, painter, i, block) -> None:
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QColor, QPainterPath, QPen

        r = self._rect(block)
        side = r.width()
        sym = self.spec.symbol
        module = side / sym.size_with_quiet_zone
        # the white card: the quiet zone is its margin, so nothing else can intrude on it
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(block.get("card", "#FFFFFF")))
        radius = module * 1.6
        painter.drawRoundedRect(r, radius, radius)
        if block.get("border"):
            pen = QPen(self.colour(block["border"]))
            pen.setWidthF(module * 0.35)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(r.adjusted(module * 0.6, module * 0.6, -module * 0.6, -module * 0.6), radius, radius)
        # viewfinder brackets outside the card: "point your camera here"
        if block.get("corners"):
            pen = QPen(self.colour(block["corners"]))
            pen.setWidthF(module * 0.75)
            pen.setCapStyle(Qt.PenCapStyle.SquareCap)
            painter.setPen(pen)
            g = module * 1.2
            arm = side * 0.09
            box = r.adjusted(-g, -g, g, g)
            for (cx, cy, dx, dy) in ((box.left(), box.top(), 1, 1), (box.right(), box.top(), -1, 1),
                                     (box.left(), box.bottom(), 1, -1), (box.right(), box.bottom(), -1, -1)):
                path = QPainterPath(QPointF(cx, cy + dy * arm))
                path.lineTo(QPointF(cx, cy))
                path.lineTo(QPointF(cx + dx * arm, cy))
                painter.drawPath(path)
        # the symbol: one vector path of dark runs (no seams between modules at any size)
        ox, oy = r.x() + QUIET_ZONE * module, r.y() + QUIET_ZONE * module
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for row, col, length in sym.dark_runs():
            path.addRect(QRectF(ox + col * module, oy + row * module, length * module, module))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.fillPath(path, QColor("#000000"))
        # the logo in the middle (error correction H restores the modules it covers)
        lx, ly, lside = sym.logo_box
        logo_box = QRectF(ox + lx * module, oy + ly * module, lside * module, lside * module)
        inset = module * 0.5
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(logo_box.adjusted(inset, inset, -inset, -inset), module, module)
        self._draw_image_fitted(painter, self.spec.logo, logo_box.adjusted(module * 0.9, module * 0.9, -module * 0.9, -module * 0.9))
        caption = self._fits.get(i)
        if caption is not None and r.height() > side:
            _draw_fitted(painter, caption, r.x() + side * 0.05, r.y() + side - module * 1.2, side * 0.9,
                         r.height() - side, self.colour("primary"))

    def _paint_page_block(self, painter, block) -> None:
        if block["type"] != "fold":
            return
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QPen

        w = self.spec.template.page_mm[0] * DU
        y = block["y"] * DU
        pen = QPen(self.colour("#9E9E9E"))
        pen.setWidthF(2.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(0, y), QPointF(w, y))
        label = block.get("label")
        if label:
            fitted = fit_text(label, w * 0.5, 30, (22, 16), max_lines=1)
            if fitted is not None:
                painter.save()
                painter.setBrush(self.colour("#FFFFFF"))
                painter.setPen(Qt.PenStyle.NoPen)
                lw = fitted.lines[0][1] + 40
                painter.drawRect(int(w - lw - 40), int(y - 15), int(lw), 30)
                painter.restore()
                _draw_fitted(painter, fitted, w - lw - 20, y - 15, lw - 40, 30, self.colour("#757575"), "center")


def _clip(text: str, limit: int = 24) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"
