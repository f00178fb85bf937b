"""The posters' bundled CJK font, so a poster looks the same on every laptop.

resources/fonts/ holds two weights of a subset of Noto Sans CJK SC (see its
README).  They are added to Qt's font database once per process; Qt's PDF
writer embeds the glyphs a document uses, once per document.  A character
the subset lacks still prints in a system font; ``missing_characters`` lets
the caller say so instead of letting it pass unnoticed.
"""

from __future__ import annotations

import logging
import threading

from station.store.paths import resources_dir

log = logging.getLogger(__name__)

FAMILY = "YGH Poster Sans SC"
FILES = {"regular": "YGHPosterSansSC-Regular.otf", "bold": "YGHPosterSansSC-Bold.otf"}

_lock = threading.Lock()
_loaded = False
_raw = threading.local()  # QRawFont is not safe to share between threads: one set per thread


def fonts_dir():
    return resources_dir() / "fonts"


def ensure_fonts() -> str:
    """Register the bundled fonts with Qt (idempotent); returns the family name.

    Needs a QGuiApplication (see station.posters.render.ensure_gui).
    """
    global _loaded
    with _lock:
        if _loaded:
            return FAMILY
        from PySide6.QtGui import QFontDatabase

        for weight, name in FILES.items():
            path = fonts_dir() / name
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                # Posters would silently come out in whatever font the laptop has.
                raise RuntimeError(f"bundled poster font {path} could not be loaded")
            log.debug("poster font %s: %s", weight, QFontDatabase.applicationFontFamilies(font_id))
        _loaded = True
        return FAMILY


def _raw_font(weight: str):
    from PySide6.QtGui import QFont, QRawFont

    fonts = getattr(_raw, "fonts", None)
    if fonts is None:
        fonts = _raw.fonts = {}
    raw = fonts.get(weight)
    if raw is None:
        raw = fonts[weight] = QRawFont(str(fonts_dir() / FILES[weight]), 10.0, QFont.HintingPreference.PreferNoHinting)
    return raw


def missing_characters(text: str, bold: bool = False) -> str:
    """The characters of ``text`` the bundled font has no glyph for, in order, once each."""
    raw = _raw_font("bold" if bold else "regular")
    seen: list[str] = []
    for ch in text:
        if ch.isspace() or ch in seen:
            continue
        if not raw.supportsCharacter(ord(ch)):
            seen.append(ch)
    return "".join(seen)
