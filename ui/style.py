"""Look and feel: a legible Chinese font, large type, the outcome colours.

Promoters read the screen at arm's length in a noisy canteen, so the base
size is generous and the outcome colours are strong and distinct (green,
blue, amber, red) with text that keeps its contrast on each.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

# Windows first (the field laptops), then what Linux/macOS have.
FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "sans-serif",
]
BASE_POINT_SIZE = 11

# outcome -> (background, foreground)
OUTCOME_COLOURS = {
    "roster": ("#1b7f3b", "#ffffff"),  # 在册会员: green
    "new": ("#1a5fb4", "#ffffff"),  # 新会员申请: blue
    "already": ("#f0b400", "#1f1f1f"),  # 已登记: amber, dark text for contrast
    "refused": ("#c62828", "#ffffff"),  # refusals: red
    "idle": ("#eceff1", "#455a64"),  # before the first sign-up
}
ERROR_COLOUR = "#c62828"
OK_COLOUR = "#1b7f3b"
INFO_COLOUR = "#1a5fb4"
WARN_COLOUR = "#8a6100"

STYLESHEET = """
QWidget#NavBar { background: #263238; }
QPushButton[nav="true"] {
    color: #eceff1; background: transparent; border: none; text-align: left;
    padding: 5px 14px; font-size: 13pt;
}
QPushButton[nav="true"]:checked { background: #37474f; color: #ffffff; border-left: 5px solid #4fc3f7; font-weight: bold; }
QPushButton[nav="true"]:hover { background: #455a64; }
QLabel[role="title"] { font-size: 16pt; font-weight: bold; }
QLabel[role="fieldError"] { color: #c62828; }
QLabel[role="muted"] { color: #607d8b; }
QPushButton[role="primary"] {
    background: #1a5fb4; color: white; border: none; border-radius: 6px;
    font-size: 18pt; font-weight: bold; padding: 10px 24px;
}
QPushButton[role="accent"] {
    background: #1a5fb4; color: white; border: none; border-radius: 5px;
    font-size: 12pt; font-weight: bold; padding: 7px 18px;
}
QPushButton[role="accent"]:disabled { background: #90a4ae; }
QPushButton[role="accent"]:focus { border: 2px solid #0d3c75; }
QPushButton[role="primary"]:focus { border: 3px solid #0d3c75; }
QPushButton[role="primary"]:disabled { background: #90a4ae; }
QFrame#SessionBar[state="none"] { background: #fff3cd; border: 2px solid #f0b400; border-radius: 6px; }
QFrame#SessionBar[state="open"] { background: #e8f5e9; border: 1px solid #a5d6a7; border-radius: 6px; }
QFrame#CountBox { background: #263238; border-radius: 8px; }
QFrame#CountBox QLabel { color: #ffffff; }
QFrame#Card { background: #ffffff; border: 1px solid #cfd8dc; border-radius: 6px; }
"""


def app_icon() -> QIcon:
    """The station's icon (resources/icons/station.png; station.ico for the Windows bundle)."""
    from station.store.paths import resources_dir

    return QIcon(str(resources_dir() / "icons" / "station.png"))


def app_font(point_size: int = BASE_POINT_SIZE) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(point_size)
    return font


def apply_style(app: QApplication) -> None:
    """Fusion (same on every Windows version), the CJK font, the stylesheet."""
    if sys.platform != "darwin":
        app.setStyle("Fusion")
    app.setFont(app_font())
    app.setStyleSheet(STYLESHEET)
    app.setWindowIcon(app_icon())


def font_of(size: int, bold: bool = False) -> QFont:
    font = app_font(size)
    font.setBold(bold)
    return font
