"""抽奖: prizes with stock, draws, voids and redraws, and a full-screen projector mode.

Every rule (who may win, stock, fairness, audit) is station.draw.service's; this
screen collects choices, runs the core in a worker (ui.operations.draw) and
shows what it says.
The projector's roll animation is cosmetic: the winners are already drawn
and stored before the names start rolling.
"""

from __future__ import annotations

import logging
import random

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station.checkin import events
from station.draw import service as draw
from station.draw.service import DrawResult, PrizeInfo, VoidResult, Winner
from station.security.operators import OperatorSession
from station.signup import booth
from station.store.database import Store
from ui.common import RowsModel, error_sentence, make_table
from ui.operations import draw as ops
from ui.style import ERROR_COLOUR, OK_COLOUR, font_of
from ui.widgets import FieldMessage
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

ROLL_MS = 1500
ROLL_TICK_MS = 70


def winner_text(w: Winner) -> str:
    """张*三 ****1234: the masked name and the phone's last four digits, never broken across lines."""
    return f"{w.name_masked}\u00a0\u00a0****{w.phone_tail}" if w.phone_tail else w.name_masked


class ProjectorWindow(QWidget):
    """A dark full-screen window for the projector: the prize, a short roll of masked names, the winners."""

    draw_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("抽奖 · 投影"))
        self.setObjectName("Projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#Projector { background: #111820; } QLabel { color: #ffffff; }")
        self.rolling = False
        self._pool: list[str] = []
        self._final: list[str] = []
        self._rng = random.Random()  # display only: nothing here decides a winner
        self._timer = QTimer(self)
        self._timer.setInterval(ROLL_TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._stop = QTimer(self)
        self._stop.setSingleShot(True)
        self._stop.timeout.connect(self._land)

        self.event_label = QLabel()
        self.event_label.setFont(font_of(20))
        self.event_label.setStyleSheet("color: #90a4ae;")
        self.prize_label = QLabel()
        self.prize_label.setFont(font_of(44, bold=True))
        self.prize_label.setStyleSheet("color: #ffd54f;")
        self.names_label = QLabel()
        self.names_label.setFont(font_of(64, bold=True))
        self.names_label.setWordWrap(True)
        self.hint_label = QLabel(self.tr("按 Enter 抽奖 · 按 Esc 退出投影"))
        self.hint_label.setFont(font_of(16))
        self.hint_label.setStyleSheet("color: #607d8b;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(60, 50, 60, 40)
        for label in (self.event_label, self.prize_label, self.names_label, self.hint_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.event_label)
        lay.addWidget(self.prize_label)
        lay.addStretch(1)
        lay.addWidget(self.names_label)
        lay.addStretch(2)
        lay.addWidget(self.hint_label)

    def set_prize(self, event_name: str, prize_name: str) -> None:
        self.event_label.setText(event_name)
        self.prize_label.setText(prize_name or self.tr("请先添加奖品"))

    def show_message(self, text: str) -> None:
        if not self.rolling:
            self.names_label.setStyleSheet(f"color: {ERROR_COLOUR};")
            self.names_label.setFont(font_of(32, bold=True))
            self.names_label.setText(text)

    def roll(self, pool: list[str], winners: list[str]) -> None:
        """Roll masked names for ~1.5 s (non-blocking), then land on `winners`."""
        self._pool = [n for n in pool if n] or list(winners)
        self._final = list(winners)
        self.rolling = True
        self.names_label.setStyleSheet("color: #cfd8dc;")
        self.names_label.setFont(font_of(64 if len(winners) <= 3 else 40, bold=True))
        self._tick()
        self._timer.start()
        self._stop.start(ROLL_MS)

    def _tick(self) -> None:
        k = max(1, len(self._final))
        self.names_label.setText("　".join(self._rng.choice(self._pool) for _ in range(k)))

    def _land(self) -> None:
        self._timer.stop()
        self.rolling = False
        self.names_label.setStyleSheet("color: #ffffff;")
        self.names_label.setText("\n".join(self._final) if len(self._final) <= 6 else "　".join(self._final))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F11):
            self.close()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if not self.rolling:
                self.draw_requested.emit()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # Qt override
        self._timer.stop()
        self._stop.stop()
        self.rolling = False
        super().closeEvent(event)


class DrawScreen(QWidget):
    """Pick the event, manage prizes, draw, void and redraw; project the draw full-screen."""

    draws_changed = Signal()

    def __init__(self, store: Store, runner: TaskRunner | None = None, parent: QWidget | None = None, *,
                 operator: OperatorSession | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.operator = operator
        self.runner = runner or TaskRunner(self)
        self.prizes: list[PrizeInfo] = []
        self.winner_rows: list[Winner] = []
        self.last_result: DrawResult | None = None
        self.projector: ProjectorWindow | None = None
        self._busy = False

        title = QLabel(self.tr("抽奖"))
        title.setProperty("role", "title")
        intro = QLabel(self.tr("从活动的登记者中公平抽奖：每人每个活动最多中奖一次，每次抽奖都保存参与名单的哈希以便复核。"))
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")

        self.event_combo = QComboBox()
        self.event_combo.setMinimumContentsLength(24)
        self.event_combo.currentIndexChanged.connect(lambda _i: self.refresh_prizes())
        self.reload_button = QPushButton(self.tr("刷新"))
        self.reload_button.clicked.connect(self.refresh)
        event_row = QHBoxLayout()
        event_row.addWidget(QLabel(self.tr("活动")))
        event_row.addWidget(self.event_combo, 1)
        event_row.addWidget(self.reload_button)

        # -- prizes -------------------------------------------------------------------
        self.prize_model = RowsModel([self.tr("奖品"), self.tr("剩余"), self.tr("总数")], self)
        self.prize_view = make_table(self.prize_model)
        self.prize_view.setSelectionMode(self.prize_view.SelectionMode.SingleSelection)
        self.prize_view.setColumnWidth(0, 200)
        self.prize_view.selectionModel().selectionChanged.connect(lambda *_: self._prize_selected())
        self.prize_name_edit = QLineEdit()
        self.prize_name_edit.setPlaceholderText(self.tr("奖品名称，如“电影票”"))
        self.prize_name_edit.setMaxLength(100)
        self.stock_spin = QSpinBox()
        self.stock_spin.setRange(1, draw.MAX_STOCK)
        self.stock_spin.setValue(10)
        self.stock_spin.setPrefix(self.tr("数量 "))
        self.add_prize_button = QPushButton(self.tr("添加奖品"))
        self.add_prize_button.clicked.connect(self.add_prize)
        self.prize_name_edit.returnPressed.connect(self.add_prize)
        add_row = QHBoxLayout()
        add_row.addWidget(self.prize_name_edit, 1)
        add_row.addWidget(self.stock_spin)
        add_row.addWidget(self.add_prize_button)

        # -- the draw -------------------------------------------------------------------
        self.only_combo = QComboBox()
        self.only_combo.addItem(self.tr("全部登记者"), None)
        self.only_combo.addItem(self.tr("仅在册会员"), "roster")
        self.only_combo.addItem(self.tr("仅新会员"), "new")
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, draw.MAX_COUNT)
        self.count_spin.setPrefix(self.tr("抽 "))
        self.count_spin.setSuffix(self.tr(" 人"))
        self.draw_button = QPushButton(self.tr("抽奖 (Enter)"))
        self.draw_button.setProperty("role", "primary")
        self.draw_button.clicked.connect(self.run_draw)
        self.projector_button = QPushButton(self.tr("投影模式 (F11)"))
        self.projector_button.setProperty("role", "accent")
        self.projector_button.clicked.connect(self.open_projector)
        draw_row = QHBoxLayout()
        draw_row.addWidget(self.only_combo)
        draw_row.addWidget(self.count_spin)
        draw_row.addStretch(1)
        draw_row.addWidget(self.projector_button)
        self.message = FieldMessage()

        left = QVBoxLayout()
        left.addLayout(event_row)
        left.addWidget(QLabel(self.tr("奖品与库存")))
        left.addWidget(self.prize_view, 1)
        left.addLayout(add_row)
        left.addSpacing(8)
        left.addLayout(draw_row)
        left.addWidget(self.draw_button)
        left.addWidget(self.message)

        # -- the winners ----------------------------------------------------------------
        self.result_box = QFrame()
        self.result_box.setObjectName("CountBox")
        box = QVBoxLayout(self.result_box)
        self.result_prize = QLabel(self.tr("本次中奖"))
        self.result_prize.setFont(font_of(14, bold=True))
        self.result_names = QLabel(self.tr("尚未抽奖"))
        self.result_names.setFont(font_of(30, bold=True))
        self.result_names.setWordWrap(True)
        self.result_names.setMinimumHeight(120)
        self.result_names.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.result_prize)
        box.addWidget(self.result_names, 1)

        self.winner_model = RowsModel([self.tr("中奖者"), self.tr("手机尾号"), self.tr("奖品"), self.tr("类型")], self)
        self.winner_view = make_table(self.winner_model)
        self.winner_view.setSelectionMode(self.winner_view.SelectionMode.SingleSelection)
        self.winner_view.setColumnWidth(0, 130)
        self.winner_view.setColumnWidth(2, 160)  # the prize's name
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("作废原因，如“未到场”"))
        self.reason_edit.setMaxLength(200)
        self.redraw_check = QCheckBox(self.tr("作废后重抽一位"))
        self.redraw_check.setChecked(True)
        self.void_button = QPushButton(self.tr("作废选中的中奖"))
        self.void_button.clicked.connect(self.void_selected)
        void_row = QHBoxLayout()
        void_row.addWidget(self.reason_edit, 1)
        void_row.addWidget(self.redraw_check)
        void_row.addWidget(self.void_button)

        right = QVBoxLayout()
        right.addWidget(self.result_box)
        right.addWidget(QLabel(self.tr("本活动中奖名单（已作废的不列出）")))
        right.addWidget(self.winner_view, 1)
        right.addLayout(void_row)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        outer.addWidget(title)
        outer.addWidget(intro)
        outer.addLayout(grid, 1)

        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._enter)
        f11 = QShortcut(QKeySequence(Qt.Key.Key_F11), self)
        f11.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        f11.activated.connect(self.open_projector)
        self.refresh()

    # -- state --------------------------------------------------------------------------
    def set_operator(self, op: OperatorSession | None) -> None:
        self.operator = op

    def clear_personal_data(self) -> None:
        """Locking: winners (masked, with phone tails) and the projector go."""
        self.shutdown()
        self.winner_rows = []
        self.winner_model.set_rows([])
        self.last_result = None
        self.result_prize.setText("")
        self.result_names.setText("")
        self.message.clear_message()

    def event_id(self) -> int | None:
        return self.event_combo.currentData()

    def event_name(self) -> str:
        return self.event_combo.currentText()

    def current_prize(self) -> PrizeInfo | None:
        rows = self.prize_view.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.prizes):
            return self.prizes[rows[0].row()]
        return self.prizes[0] if self.prizes else None

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (self.draw_button, self.add_prize_button, self.void_button):
            w.setEnabled(not busy)

    # -- loading ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Events (the open session's first), then the chosen event's prizes and winners."""
        keep = self.event_id()
        session = booth.current_session(self.store)
        found = events.list_events(self.store, kinds=None)
        self.event_combo.blockSignals(True)
        self.event_combo.clear()
        for ev in found:
            self.event_combo.addItem(f"{ev.date:%Y-%m-%d} {ev.name}", ev.id)
        want = keep if keep is not None else (session.event_id if session else None)
        index = self.event_combo.findData(want) if want is not None else -1
        self.event_combo.setCurrentIndex(index if index >= 0 else (0 if found else -1))
        self.event_combo.blockSignals(False)
        if not found:
            self.message.show_hint(self.tr("还没有活动：先按 F2 开启场次，登记后即可抽奖。"))
        self.refresh_prizes()

    def refresh_prizes(self, select_prize: int | None = None) -> None:
        event = self.event_id()
        if event is None:
            self._show_prizes([], [], select_prize)
            return
        store, op = self.store, self.operator
        if op is None:
            return
        ops.prizes_and_winners(self, self.runner, store, event, op) \
            .success(lambda r: self._show_prizes(r[0], r[1], select_prize)) \
            .failure(self._failed) \
            .run_in_background()

    def _show_prizes(self, prizes: list[PrizeInfo], wins: list[Winner], select_prize: int | None) -> None:
        current = self.current_prize()
        keep = select_prize if select_prize is not None else (current.id if current else None)
        self.prizes = prizes
        self.prize_model.set_rows([(p.name, p.remaining, p.stock) for p in prizes])
        ids = [p.id for p in prizes]
        if prizes:
            self.prize_view.selectRow(ids.index(keep) if keep in ids else 0)
        self.winner_rows = wins
        self.winner_model.set_rows([(w.name_masked, w.phone_tail, w.prize, self._outcome(w.outcome)) for w in wins])
        self._prize_selected()

    def _outcome(self, outcome: str) -> str:
        return {"roster": self.tr("在册会员"), "new": self.tr("新会员")}.get(outcome, outcome)

    def _prize_selected(self) -> None:
        if self.projector is not None and self.projector.isVisible() and not self.projector.rolling:
            prize = self.current_prize()
            self.projector.set_prize(self.event_name(), prize.name if prize else "")

    # -- actions ------------------------------------------------------------------------
    def _enter(self) -> None:
        if self.prize_name_edit.hasFocus() or self.reason_edit.hasFocus():
            return  # their own returnPressed
        self.run_draw()

    def add_prize(self) -> None:
        event = self.event_id()
        if event is None:
            self.message.show_error(self.tr("请先选择活动。"))
            return
        name, stock, store = self.prize_name_edit.text(), self.stock_spin.value(), self.store
        self._set_busy(True)
        ops.add_prize(self, self.runner, store, event, name, stock) \
            .success(self._prize_added) \
            .failure(self._failed) \
            .run_in_background()

    def _prize_added(self, prize: PrizeInfo) -> None:
        self._set_busy(False)
        self.prize_name_edit.clear()
        self.message.show_hint(self.tr("已添加奖品“{name}”×{stock}。").format(name=prize.name, stock=prize.stock),
                               OK_COLOUR)
        self.refresh_prizes(select_prize=prize.id)

    def run_draw(self) -> None:
        if self._busy or (self.projector is not None and self.projector.rolling):
            return
        event, prize = self.event_id(), self.current_prize()
        if event is None or prize is None:
            text = self.tr("请先选择活动并添加奖品。")
            self.message.show_error(text)
            if self.projector is not None and self.projector.isVisible():
                self.projector.show_message(text)
            return
        count, only, store, operator = self.count_spin.value(), self.only_combo.currentData(), self.store, self.operator
        if operator is None:
            return
        self._set_busy(True)
        ops.run_draw(self, self.runner, store, event, prize.id, count, only, operator) \
            .success(lambda r: self._drawn(*r)) \
            .failure(self._failed) \
            .run_in_background()

    def _drawn(self, result: DrawResult, pool: list[str]) -> None:
        self._set_busy(False)
        self.last_result = result
        self._show_winners(result, self.tr("{prize} · 中奖者").format(prize=result.prize.name))
        self.message.show_hint(
            self.tr("已从 {n} 名参与者中抽出 {k} 位；{prize} 剩余 {left}。").format(
                n=result.entries, k=len(result.winners), prize=result.prize.name, left=result.prize.remaining),
            OK_COLOUR)
        if self.projector is not None and self.projector.isVisible():
            self.projector.set_prize(self.event_name(), result.prize.name)
            self.projector.roll(pool, [winner_text(w) for w in result.winners])
        self.refresh_prizes(select_prize=result.prize.id)
        self.draws_changed.emit()

    def _show_winners(self, result: DrawResult, heading: str) -> None:
        self.result_prize.setText(heading)
        self.result_names.setText("\n".join(winner_text(w) for w in result.winners))

    def void_selected(self) -> None:
        rows = self.winner_view.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.winner_rows):
            self.message.show_error(self.tr("请先在中奖名单里选中要作废的一位。"))
            return
        win = self.winner_rows[rows[0].row()]
        reason, redraw, store = self.reason_edit.text(), self.redraw_check.isChecked(), self.store
        if not reason.strip():
            self.message.show_error(self.tr("请填写作废原因，如“未到场”。"))
            self.reason_edit.setFocus()
            return
        operator, event = self.operator, self.event_id()
        if operator is None or event is None:
            return
        self._set_busy(True)
        ops.void_win(self, self.runner, store, event, win.win_id, reason, redraw=redraw, operator=operator) \
            .success(lambda r: self._voided(win, *r)) \
            .failure(self._failed) \
            .run_in_background()

    def _voided(self, win: Winner, result: VoidResult, pool: list[str]) -> None:
        self._set_busy(False)
        self.reason_edit.clear()
        if result.redraw is not None:
            self.last_result = result.redraw
            self._show_winners(result.redraw, self.tr("{prize} · 重抽中奖者").format(prize=result.redraw.prize.name))
            self.message.show_hint(self.tr("已作废 {name} 的中奖（{reason}），并重抽一位。").format(
                name=win.name_masked, reason=result.reason), OK_COLOUR)
            if self.projector is not None and self.projector.isVisible():
                self.projector.set_prize(self.event_name(), result.redraw.prize.name)
                self.projector.roll(pool, [winner_text(w) for w in result.redraw.winners])
        else:
            self.message.show_hint(self.tr("已作废 {name} 的中奖（{reason}），奖品已退回库存。").format(
                name=win.name_masked, reason=result.reason), OK_COLOUR)
        self.refresh_prizes()
        self.draws_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        text = error_sentence(exc)
        self.message.show_error(text)
        if self.projector is not None and self.projector.isVisible():
            self.projector.show_message(text)

    # -- projector ----------------------------------------------------------------------
    def open_projector(self) -> ProjectorWindow:
        """The full-screen projector window (Esc leaves; Enter draws the selected prize)."""
        if self.projector is None:
            self.projector = ProjectorWindow(self)
            self.projector.draw_requested.connect(self.run_draw)
        prize = self.current_prize()
        self.projector.set_prize(self.event_name(), prize.name if prize else "")
        if self.last_result is None:
            self.projector.names_label.setText("")
        self.projector.showFullScreen()
        self.projector.raise_()
        self.projector.activateWindow()
        return self.projector

    def shutdown(self) -> None:
        if self.projector is not None:
            self.projector.close()
