"""Painting posters onto PDF pages and images, headless.

QPdfWriter and QImage need a QGuiApplication but no screen: the CLI and the
tests run with QT_QPA_PLATFORM=offscreen, and ``ensure_gui`` makes the
application when nobody has (the windowed app already has one).  Rendering
may run on a worker thread; only the application must come from the main one.

The PDF is vector: text in the bundled font (embedded once per document, as
a subset), the QR code as one filled path, the logo as one image shared by
every page.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from station import __version__
from station.errors import StationError

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from station.posters.layout import PosterPainter
    from station.posters.templates import Template

PDF_DPI = 1200  # device resolution of the PDF writer: positions to 0.02 mm
CREATOR = f"粤工惠地推工作站 {__version__}"

_gui_lock = threading.Lock()
_apps: list = []  # keeps the application made here alive for the life of the process


def ensure_gui() -> None:
    """A QGuiApplication for fonts and painting; made (offscreen when there is no display) if missing."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    with _gui_lock:
        app = QCoreApplication.instance()
        if app is None:
            # Our own application only renders: offscreen always works, a display may not
            # (a DISPLAY that points nowhere would abort the process).
            _apps.append(QGuiApplication([sys.argv[0] if sys.argv else "station", "-platform", "offscreen"]))
        elif not isinstance(app, QGuiApplication):
            raise RuntimeError("poster rendering needs a QGuiApplication, not a QCoreApplication")


def _page_size(template: Template):
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QPageSize

    w, h = template.page_mm
    named = {(210.0, 297.0): QPageSize.PageSizeId.A4, (297.0, 420.0): QPageSize.PageSizeId.A3}.get((w, h))
    if named is not None:
        return QPageSize(named)
    return QPageSize(QSizeF(w, h), QPageSize.Unit.Millimeter, template.name("zh"), QPageSize.SizeMatchPolicy.ExactMatch)


def render_pdf(
    path: Path,
    template: Template,
    painters: Iterable[PosterPainter],
    *,
    title: str = "",
    on_page: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write one page per painter into ``path``; returns the page count.

    Returns early (file incomplete: the caller deletes it) when ``cancelled()``
    turns true.  OSError from the file system is raised as file_unwritable.
    """
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPainter, QPdfWriter

    ensure_gui()
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(_page_size(template), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setCreator(CREATOR)
    if title:
        writer.setTitle(title)
    painter = QPainter()
    if not painter.begin(writer):
        raise StationError("file_unwritable", path=path, reason="QPdfWriter")
    pages = 0
    try:
        for pp in painters:
            if cancelled is not None and cancelled():
                break
            if pages:
                writer.newPage()
            pp.paint_page(painter, PDF_DPI / 25.4)
            pages += 1
            if on_page is not None:
                on_page(pages)
    finally:
        painter.end()
    return pages


def render_image(painter: PosterPainter, dpi: float, background: str = "#FFFFFF") -> QImage:
    """The poster as an image at ``dpi`` (the screen preview, PNG export)."""
    from PySide6.QtGui import QColor, QImage, QPainter

    ensure_gui()
    w_mm, h_mm = painter.spec.template.page_mm
    px_per_mm = dpi / 25.4
    image = QImage(max(1, round(w_mm * px_per_mm)), max(1, round(h_mm * px_per_mm)), QImage.Format.Format_RGB32)
    image.fill(QColor(background))
    qp = QPainter(image)
    try:
        painter.paint_page(qp, px_per_mm)
    finally:
        qp.end()
    return image


def render_preview(painter: PosterPainter, max_width: int, max_height: int) -> QImage:
    """An image that fits ``max_width`` × ``max_height`` pixels, for the screen."""
    w_mm, h_mm = painter.spec.template.page_mm
    dpi = min(max_width / w_mm, max_height / h_mm) * 25.4
    return render_image(painter, max(dpi, 1.0))
