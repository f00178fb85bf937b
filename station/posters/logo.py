"""The union's logo on a poster: read, checked and made into one image for a whole batch.

PNG, JPEG, BMP, GIF, WebP (whatever Qt reads) or SVG.  The logo is drawn
at most 40 mm wide on an A4 poster and 4 cm in the QR's centre, so it is
scaled down once to ``MAX_SIDE`` pixels: a 6000-pixel photo would otherwise
go into the PDF at full size.  Qt's PDF writer embeds an image drawn many
times once, so a batch of a thousand posters carries the logo once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from station.errors import StationError
from station.store.paths import resources_dir

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: past this decoding alone takes seconds and hundreds of MB
MAX_SIDE = 600  # pixels kept: 600 px over 40 mm is 380 dpi
MIN_SIDE = 64  # below this a logo prints as a blur

_cache: dict[tuple[str, int, int], QImage] = {}
_lock = threading.Lock()


def default_logo_path() -> Path:
    return resources_dir() / "icons" / "union_logo_default.svg"


def load_logo(path: Path | str | None) -> tuple[QImage, list[str]]:
    """(image, note keys) for ``path`` (None: the default logo).  StationError if unusable.

    The same file gives the same QImage object, so every poster of a batch
    refers to one image.
    """
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage, QImageReader

    p = Path(path) if path else default_logo_path()
    try:
        st = p.stat()
    except FileNotFoundError:
        raise StationError("file_not_found", path=p) from None
    except OSError as exc:
        raise StationError("file_unreadable", path=p, reason=exc.strerror or exc) from exc
    if not p.is_file():
        raise StationError("poster_logo_not_image", path=p)
    if st.st_size > MAX_FILE_BYTES:
        raise StationError("poster_logo_too_big", path=p, size=f"{st.st_size / 1024 / 1024:.1f}",
                           max=MAX_FILE_BYTES // 1024 // 1024)
    key = (str(p.resolve()), st.st_size, int(st.st_mtime_ns))
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached, _notes(cached, p)

    if p.suffix.lower() in (".svg", ".svgz"):
        image = _render_svg(p)
    else:
        reader = QImageReader(str(p))
        reader.setDecideFormatFromContent(True)
        if not reader.canRead():
            raise StationError("poster_logo_not_image", path=p)
        size = reader.size()
        if size.isValid() and size.width() * size.height() > MAX_PIXELS:
            raise StationError("poster_logo_too_many_pixels", path=p, width=size.width(), height=size.height())
        if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
            # Let the decoder scale (JPEG decodes at 1/2, 1/4, 1/8 for free).
            reader.setScaledSize(size.scaled(QSize(MAX_SIDE, MAX_SIDE), _keep_aspect()))
        image = reader.read()
        if image.isNull():
            raise StationError("poster_logo_not_image", path=p)
    small = max(image.width(), image.height()) < MIN_SIDE
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    image.setText("small", "1" if small else "")
    with _lock:
        _cache[key] = image
    return image, _notes(image, p)


def _keep_aspect():
    from PySide6.QtCore import Qt

    return Qt.AspectRatioMode.KeepAspectRatio


def _notes(image: QImage, path: Path) -> list[str]:
    return ["poster_note_logo_small"] if image.text("small") == "1" else []


def _render_svg(path: Path) -> QImage:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        raise StationError("poster_logo_not_image", path=path)
    size = renderer.defaultSize()
    if size.isEmpty():
        raise StationError("poster_logo_not_image", path=path)
    k = MAX_SIDE / max(size.width(), size.height())
    image = QImage(max(1, round(size.width() * k)), max(1, round(size.height() * k)), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    return image
