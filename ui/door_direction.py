"""Which way this door checks (入场 or 出场) and who is inside, for events that allow coming back in.

Shown on the 核验 screen only when the event allows 出场再入场: a door that lets people out checks their
card as an exit, so the hall knows who is inside and one who went out comes back in without using
another admission.  F8 switches the direction; the exit mode paints itself blue, so a door left in it
cannot be mistaken for an entrance.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from station.checkin import rules
from station.checkin.service import DoorCounts
from ui.common import fmt_int
from ui.style import font_of

EXIT_COLOUR = "#1565c0"
ENTRY_COLOUR = "#1b7f3b"


class DirectionBar(QFrame):
    """入场 | 出场 (F8), and 场内 N · 本门 入 X 出 Y."""

    changed = Signal(str)  # rules.IN | rules.OUT

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DirectionBar")
        self.direction = rules.IN
        self.in_button = QPushButton(self.tr("入场"))
        self.out_button = QPushButton(self.tr("出场"))
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for button in (self.in_button, self.out_button):
            button.setCheckable(True)
            button.setFont(font_of(14, bold=True))
            button.setMinimumWidth(96)
            self.group.addButton(button)
        self.in_button.setChecked(True)
        self.key_label = QLabel(self.tr("F8 切换"))
        self.key_label.setProperty("role", "muted")
        self.inside_label = QLabel()
        self.inside_label.setFont(font_of(15, bold=True))
        self.gate_label = QLabel()
        self.gate_label.setProperty("role", "muted")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(QLabel(self.tr("本门方向")))
        row.addWidget(self.in_button)
        row.addWidget(self.out_button)
        row.addWidget(self.key_label)
        row.addStretch(1)
        row.addWidget(self.inside_label)
        row.addSpacing(12)
        row.addWidget(self.gate_label)
        self.in_button.clicked.connect(lambda: self.set_direction(rules.IN))
        self.out_button.clicked.connect(lambda: self.set_direction(rules.OUT))
        self.show_counts(None)
        self._paint()

    def set_direction(self, direction: str) -> None:
        if direction not in rules.DIRECTIONS:
            return
        (self.in_button if direction == rules.IN else self.out_button).setChecked(True)
        if direction != self.direction:
            self.direction = direction
            self._paint()
            self.changed.emit(direction)

    def toggle(self) -> None:
        self.set_direction(rules.OUT if self.direction == rules.IN else rules.IN)

    def show_counts(self, counts: DoorCounts | None) -> None:
        if counts is None:
            self.inside_label.setText(self.tr("场内 —"))
            self.gate_label.setText("")
            return
        self.inside_label.setText(self.tr("场内 {n} 人").format(n=fmt_int(counts.inside)))
        self.gate_label.setText(self.tr("本门 入 {a} · 出 {b}").format(a=fmt_int(counts.gate_in),
                                                                      b=fmt_int(counts.gate_out)))

    def _paint(self) -> None:
        colour = EXIT_COLOUR if self.direction == rules.OUT else ENTRY_COLOUR
        self.setStyleSheet(
            f"QFrame#DirectionBar {{ border: 3px solid {colour}; border-radius: 6px; }}"
            f" QFrame#DirectionBar QPushButton:checked {{ background: {colour}; color: #ffffff; }}")
