"""核验: the e-card check at a cinema door or a merchant counter.

Three code sources feed one verdict service (station.checkin.service): the webcam
(or a video or image file) through a CameraWorker thread, a USB keyboard-
wedge scanner through ``WedgeReader``, and the manual look-up for a member
whose phone is dead.  Checks run one at a time on their own worker thread;
each is stored before its verdict comes back, and only then does the big
panel turn green, red or amber and the sound play.  The GUI thread only
paints and reacts; it reaches the core through ui.operations.checkin.
Every check is made as the logged-in operator (the ``checkin``
permission), whose name the stored check-in carries; locked, nothing is
checked.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from station.checkin import ecard, events, rules
from station.checkin.frames import FrameSource, VideoSource, source_for
from station.checkin.service import CheckinService, Verdict, hint_text, reason_text
from station.checkin.sound import SoundPlayer
from station.errors import StationError
from station.i18n import t
from station.roster import search
from station.security.operators import OperatorSession
from station.store.clock import to_local
from station.store.database import Store
from station.store.writes import Waiting
from station.sync.live import LiveState
from ui.camera_worker import CameraThread, CameraWorker, start_camera_thread
from ui.common import RowsModel, error_sentence, fmt_int, make_table
from ui.door_direction import EXIT_COLOUR, DirectionBar
from ui.event_editor import EventEditor
from ui.operations import checkin as ops
from ui.style import OK_COLOUR, WARN_COLOUR, font_of
from ui.widgets import FieldMessage
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

VERDICT_COLOURS = {
    "pass": ("#1b7f3b", "#ffffff"),
    "refuse": ("#c62828", "#ffffff"),
    "warn": ("#f0b400", "#1f1f1f"),
    "idle": ("#eceff1", "#455a64"),
    "exit": (EXIT_COLOUR, "#ffffff"),  # a passed exit: blue, never mistaken for an admission
}
RECENT_ROWS = 30
FLASH_MS = 300  # a new verdict's frame flashes this long, so a repeat of the same verdict is seen to be new
FLASH_BORDER = {"exit": "#ffffff", "pass": "#ffffff", "refuse": "#ffffff", "warn": "#1f1f1f", "idle": "#455a64"}
CATALOG_POLL_MS = 3000  # how often the screen looks for events and keys changed elsewhere
LIVE_TICK_MS = 15000  # how often "离线 N 分钟" is brought up to date


# -- keyboard-wedge scanners ------------------------------------------------------------
class WedgeReader(QObject):
    """Tells a USB scanner's keystrokes from a person's, wherever the focus is.

    A scanner types a whole code in a burst (a few ms a key) and usually ends
    it with Enter or Tab.  Printable keys are held back for a moment: keys
    that come in a fast burst become a code; a key typed by a person is
    handed on to the widget it was meant for after ``idle_ms``.  A burst
    that stops without a terminator is a code when it is a complete e-card
    (a scanner set to send no Enter), otherwise a partial read and dropped.
    """

    code = Signal(str)
    dropped = Signal(str)

    TERMINATORS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)

    def __init__(self, parent: QObject | None = None, *, max_gap_ms: float = 45.0, idle_ms: int = 90,
                 min_length: int = 6) -> None:
        super().__init__(parent)
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self.accept_unterminated_any = False  # a scanner set to send no terminator and non-e-card codes
        self._keys: list[tuple[int, Qt.KeyboardModifier, str, QObject]] = []
        self._times: list[float] = []
        self._replaying = False
        self._installed = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(idle_ms)
        self.timer.timeout.connect(self._idle)

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False
        self._replay()

    @property
    def text(self) -> str:
        return "".join(k[2] for k in self._keys)

    def _is_burst(self) -> bool:
        if len(self._keys) < self.min_length:
            return False
        gaps = [b - a for a, b in zip(self._times, self._times[1:], strict=False)]
        return bool(gaps) and (sum(gaps) / len(gaps)) * 1000 <= self.max_gap_ms

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # a Qt override
        if self._replaying or event.type() != QEvent.Type.KeyPress or not obj.isWidgetType():
            return False
        assert isinstance(event, QKeyEvent)
        now = time.perf_counter()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier & ~Qt.KeyboardModifier.ShiftModifier
        if event.key() in self.TERMINATORS and not mods:
            if self._keys and self._is_burst():
                text = self.text
                self._clear()
                self.code.emit(text)
                return True
            self._replay()
            return False
        text = event.text()
        if text and text.isprintable() and not mods:
            if self._times and (now - self._times[-1]) * 1000 > self.max_gap_ms * 2:
                self._idle()  # a pause: what came before was typed or is over
            self._keys.append((event.key(), event.modifiers(), text, obj))
            self._times.append(now)
            self.timer.start()
            return True
        self._replay()
        return False

    def _idle(self) -> None:
        self.timer.stop()
        if not self._keys:
            return
        if self._is_burst():
            text = self.text
            self._clear()
            if self.accept_unterminated_any or ecard.looks_complete(text):
                self.code.emit(text)
            else:
                self.dropped.emit(text)
            return
        self._replay()

    def _clear(self) -> None:
        self.timer.stop()
        self._keys, self._times = [], []

    def _replay(self) -> None:
        """Hand held-back keys (a person typing) on to the widgets they were meant for."""
        keys = self._keys
        self._clear()
        self._replaying = True
        try:
            for key, mods, text, target in keys:
                if shiboken6.isValid(target):
                    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, mods, text))
        finally:
            self._replaying = False


def verdict_title(v: Verdict) -> str:
    """通过, 出场 or 再次入场 for a pass; the reason for a refusal."""
    if not v.passed:
        return reason_text(v.reason or "")
    if v.detail == rules.EXIT:
        return t("verdict_exit")
    if v.detail == rules.REENTRY:
        return t("verdict_reentry")
    return t("verdict_pass")


# -- the big answer -------------------------------------------------------------------------
class VerdictPanel(QFrame):
    """通过 in green with who and what is left, or the reason in red (amber: 未知密钥)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("VerdictPanel")
        self.kind = "idle"
        self.title_label = QLabel()
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = QLabel()
        self.name_label.setFont(font_of(30, bold=True))
        self.union_label = QLabel()
        self.union_label.setFont(font_of(18))
        self.detail_label = QLabel()
        self.detail_label.setFont(font_of(16))
        self.mark_label = QLabel()
        self.mark_label.setFont(font_of(14, bold=True))
        # Which check this is: a running number and the time, so two equal verdicts in a row look different.
        self.seq_label = QLabel()
        self.seq_label.setFont(font_of(16, bold=True))
        self.flashing = False
        self.flash_timer = QTimer(self)
        self.flash_timer.setSingleShot(True)
        self.flash_timer.setInterval(FLASH_MS)
        self.flash_timer.timeout.connect(self._end_flash)
        for label in (self.seq_label, self.name_label, self.union_label, self.detail_label, self.mark_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(self.seq_label)
        lay.addStretch(1)
        lay.addWidget(self.title_label)
        lay.addWidget(self.name_label)
        lay.addWidget(self.union_label)
        lay.addWidget(self.detail_label)
        lay.addWidget(self.mark_label)
        lay.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.show_message("idle", self.tr("请出示电子会员卡"), self.tr("扫码枪、摄像头或人工核验"))

    def _paint(self, kind: str, flash: bool = False) -> None:
        self.kind = kind
        bg, fg = VERDICT_COLOURS[kind]
        # The same width of border either way, so the text does not move when the flash ends.
        border = FLASH_BORDER[kind] if flash else bg
        self.setStyleSheet(f"QFrame#VerdictPanel {{ background: {bg}; border: 8px solid {border};"
                           f" border-radius: 10px; }}"
                           f" QFrame#VerdictPanel QLabel {{ color: {fg}; background: transparent; border: none; }}")

    def _flash(self) -> None:
        self.flashing = True
        self._paint(self.kind, flash=True)
        self.flash_timer.start()

    def _end_flash(self) -> None:
        self.flashing = False
        self._paint(self.kind)

    def show_message(self, kind: str, title: str, detail: str = "") -> None:
        self._paint(kind)
        self.title_label.setText(title)
        self._fit_title(44 if kind == "idle" else 72)
        self.name_label.setText("")
        self.union_label.setText("")
        self.detail_label.setText(detail)
        self.mark_label.setText("")
        self.seq_label.setText("")

    def show_verdict(self, v: Verdict, event: events.EventInfo | None, number: int = 0) -> None:
        """The verdict, big; `number` counts the checks on this screen (shown with the time, and the frame flashes)."""
        self._paint("exit" if v.passed and v.detail == rules.EXIT else v.verdict)
        if number:
            at = to_local(v.at).strftime("%H:%M:%S")
            self.seq_label.setText(self.tr("第 {n} 次核验 · {at}").format(n=fmt_int(number), at=at))
        if v.passed:
            self.title_label.setText(verdict_title(v))
            self.name_label.setText(v.masked_name or "")
            self.union_label.setText(v.union or "")
            if v.detail == rules.EXIT:
                self.detail_label.setText(self.tr("已记出场，凭此卡可再次入场"))
            elif v.detail == rules.REENTRY:
                self.detail_label.setText(self.tr("出场后返回：不另占名额"))
            else:
                self.detail_label.setText(t("quota_left", n=v.quota_left or 0))
        else:
            self.title_label.setText(reason_text(v.reason or ""))
            self.name_label.setText(v.masked_name or "")
            self.union_label.setText(v.union or "")
            self.detail_label.setText(self._hint(v, event))
        self.mark_label.setText(t("manual_mark") if v.manual else "")
        self._fit_title(96 if v.passed else 72)
        self._flash()

    @staticmethod
    def _hint(v: Verdict, event: events.EventInfo | None) -> str:
        at = to_local(v.earlier_at).strftime("%H:%M:%S") if v.earlier_at else ""
        window = ""
        if event is not None:
            start, end = event.local_window()
            window = f"{start:%m-%d %H:%M} – {end:%H:%M}" if start and end else ""
        return hint_text(v, at=at, window=window)

    def _fit_title(self, size: int) -> None:
        # The reason must stay on one line in either language: shrink until it fits.
        width = max(200, self.width() - 48)
        font = font_of(size, bold=True)
        self.title_label.setFont(font)
        while size > 20 and self.title_label.fontMetrics().horizontalAdvance(self.title_label.text()) > width:
            size -= 4
            font = font_of(size, bold=True)
            self.title_label.setFont(font)

    def resizeEvent(self, event) -> None:  # a Qt override
        super().resizeEvent(event)
        self._fit_title(self.title_label.font().pointSize() if self.kind == "idle" else
                        (96 if self.kind in ("pass", "exit") else 72))

    def text(self) -> str:
        parts = (self.seq_label, self.title_label, self.name_label, self.union_label, self.detail_label,
                 self.mark_label)
        return "\n".join(label.text() for label in parts if label.text())


# -- the screen -------------------------------------------------------------------------------
class ScanScreen(QWidget):
    """The check-in screen.  Services are passed in: a test builds it over a temporary store."""

    checked = Signal(object)  # Verdict, after it was stored and shown
    events_changed = Signal()

    def __init__(self, store: Store, runner: TaskRunner | None = None, *, sound: SoundPlayer | None = None,
                 parent: QWidget | None = None, operator: OperatorSession | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.operator = operator
        self.runner = runner or TaskRunner(self)
        self.checks = TaskRunner(self, max_threads=1)  # one check at a time, in the order they came
        self.sound = sound or SoundPlayer(fallback=QApplication.beep)
        self.service: CheckinService | None = None
        self.current_event: events.EventInfo | None = None
        self.camera: CameraThread | None = None
        self._stopping: list[CameraThread] = []
        self.editor: EventEditor | None = None
        self.last_verdict: Verdict | None = None
        self.session_checks = 0
        self._recent: list[tuple[str, ...]] = []
        self._hits: list[search.Hit] = []
        self._search_seq = 0
        self.wedge = WedgeReader(self)
        self._build()
        self._connect()
        self._cameras_probed = False
        # Events and keys changed elsewhere (the CLI, another screen, a sync) show up without a restart.
        self._catalog: str | None = None
        self.catalog_timer = QTimer(self)
        self.catalog_timer.setInterval(CATALOG_POLL_MS)
        self.catalog_timer.timeout.connect(self.poll_catalog)
        self.refresh_events()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(self.tr("电子会员卡核验"))
        title.setProperty("role", "title")
        self.event_combo = QComboBox()
        self.event_combo.setMinimumContentsLength(24)
        self.event_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.event_combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.new_event_button = QPushButton(self.tr("新建活动…"))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("活动")))
        top.addWidget(self.event_combo, 1)
        top.addWidget(self.new_event_button)

        # left: camera and manual look-up
        self.preview_label = QLabel(self.tr("摄像头未开启"))
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_label.setFixedSize(400, 225)
        self.preview_label.setStyleSheet("background: #263238; color: #b0bec5; border-radius: 6px;")
        self.camera_combo = QComboBox()
        self.camera_button = QPushButton(self.tr("开启摄像头"))
        self.camera_button.setProperty("role", "accent")
        self.file_button = QPushButton(self.tr("从图片/视频…"))
        cam_row = QHBoxLayout()
        cam_row.addWidget(self.camera_combo, 1)
        cam_row.addWidget(self.camera_button)
        self.camera_message = FieldMessage()
        self.wedge_label = QLabel(self.tr("扫码枪：随时可扫，无需点击输入框"))
        self.wedge_label.setProperty("role", "muted")
        self.manual_edit = QLineEdit()
        self.manual_edit.setPlaceholderText(self.tr("人工核验：姓名、拼音首字母或手机尾号"))
        self.manual_edit.setClearButtonEnabled(True)
        self.manual_list = QListWidget()
        self.manual_list.setMinimumHeight(90)
        self.manual_button = QPushButton(self.tr("人工核验入场"))
        self.manual_button.setEnabled(False)
        left = QVBoxLayout()
        left.addWidget(self.preview_label)
        left.addLayout(cam_row)
        left.addWidget(self.file_button)
        left.addWidget(self.camera_message)
        left.addWidget(self.wedge_label)
        left.addSpacing(6)
        left.addWidget(self.manual_edit)
        left.addWidget(self.manual_list, 1)
        left.addWidget(self.manual_button)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setFixedWidth(416)
        left.setContentsMargins(0, 0, 0, 0)

        # right: verdict, counters, recent checks
        self.verdict_panel = VerdictPanel()
        self.counter_label = QLabel()
        self.counter_label.setFont(font_of(22, bold=True))
        self.checks_label = QLabel()
        self.checks_label.setProperty("role", "muted")
        counter = QFrame()
        counter.setObjectName("CountBox")
        crow = QHBoxLayout(counter)
        crow.setContentsMargins(14, 6, 14, 6)
        crow.addWidget(self.counter_label)
        crow.addStretch(1)
        crow.addWidget(self.checks_label)
        # How current this door is: live with the other stations (green), or deciding alone (amber).
        self.live_label = QLabel()
        self.live_label.setObjectName("LiveStatus")
        self.live_label.setFont(font_of(13, bold=True))
        self.live_label.setWordWrap(True)
        self.checks_label.setStyleSheet("color: #cfd8dc;")
        self.message = FieldMessage()
        self.recent_model = RowsModel([self.tr("时间"), self.tr("结果"), self.tr("姓名"), self.tr("工会"),
                                       self.tr("方式")], self)
        self.recent_table = make_table(self.recent_model)
        self.recent_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent_table.setMaximumHeight(150)
        for col, width in enumerate((70, 150, 80, 260)):
            self.recent_table.setColumnWidth(col, width)
        # Entry or exit, and who is inside: only for events that allow going out and coming back in.
        self.direction_bar = DirectionBar()
        self.direction_bar.hide()
        self.direction_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F8), self)
        self.direction_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        right = QVBoxLayout()
        right.addWidget(self.direction_bar)
        right.addWidget(self.verdict_panel, 1)
        right.addWidget(counter)
        right.addWidget(self.live_label)
        # Cards let in at two doors while the link was down: caught when it came back.
        self.flag_label = QLabel()
        self.flag_label.setWordWrap(True)
        self.flag_label.setStyleSheet("QLabel { color: #b71c1c; background: #ffebee; border-radius: 4px; "
                                      "padding: 4px 10px; font-weight: bold; }")
        self.flag_label.hide()
        right.addWidget(self.flag_label)
        right.addWidget(self.message)
        right.addWidget(self.recent_table)

        body = QHBoxLayout()
        body.addWidget(left_box)
        body.addLayout(right, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addLayout(top)
        lay.addLayout(body, 1)
        self._show_counts(0, None)
        self.live_state = LiveState()
        self.live_timer = QTimer(self)  # the offline minutes count on by themselves
        self.live_timer.setInterval(LIVE_TICK_MS)
        self.live_timer.timeout.connect(self._show_live)
        self._show_live()

    def _connect(self) -> None:
        self.event_combo.currentIndexChanged.connect(self._event_chosen)
        self.new_event_button.clicked.connect(self.open_event_editor)
        self.camera_button.clicked.connect(self.toggle_camera)
        self.file_button.clicked.connect(self.choose_file)
        self.wedge.code.connect(self._wedge_code)
        self.wedge.dropped.connect(self._wedge_dropped)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(250)
        self.search_timer.timeout.connect(self.run_search)
        self.manual_edit.textChanged.connect(lambda _t: self.search_timer.start())
        self.manual_edit.returnPressed.connect(self.run_search)
        self.manual_list.currentRowChanged.connect(lambda row: self.manual_button.setEnabled(row >= 0))
        self.manual_list.itemActivated.connect(lambda _i: self.check_selected_member())
        self.manual_button.clicked.connect(self.check_selected_member)
        self.direction_shortcut.activated.connect(self.toggle_direction)
        self.direction_bar.changed.connect(self._direction_changed)

    # -- the wedge is live while the screen shows ----------------------------------------------
    def showEvent(self, event) -> None:  # a Qt override
        super().showEvent(event)
        self.wedge.install()
        self.catalog_timer.start()
        self.poll_catalog()
        if not self._cameras_probed:  # not at start-up: probing can light a webcam for a moment
            self._cameras_probed = True
            self.refresh_cameras()

    def hideEvent(self, event) -> None:  # a Qt override
        self.wedge.uninstall()
        self.catalog_timer.stop()
        super().hideEvent(event)

    # -- events ----------------------------------------------------------------------------------
    def refresh_events(self, select_id: int | None = None) -> None:
        ops.list_events(self, self.runner, self.store) \
            .success(lambda evs: self._events_loaded(evs, select_id)) \
            .failure(self._show_error) \
            .run_in_background()

    def sync_arrived(self) -> None:
        """A sync brought keys, revocations and events: the door uses them from the next code on.

        The reload runs on the check thread, so it falls between two checks, never inside one.
        """
        service = self.service
        if service is not None:
            ops.reload(self, self.checks, service).failure(self._show_error).run_in_background()
        self.refresh_events()

    def poll_catalog(self) -> None:
        """Whether events or keys changed since the last look: if so, the list and the service are read again."""
        ops.catalog_version(self, self.runner, self.store).success(self._catalog_seen) \
            .failure(lambda _exc: None).run_in_background()  # logged; the next poll tries again

    def _catalog_seen(self, version: str) -> None:
        known, self._catalog = self._catalog, version
        if known is not None and version != known:
            self.sync_arrived()

    def _events_loaded(self, evs: list[events.EventInfo], select_id: int | None) -> None:
        current = select_id or (self.current_event.id if self.current_event else None)
        self.event_combo.blockSignals(True)
        self.event_combo.clear()
        if not evs:
            self.event_combo.addItem(self.tr("还没有活动，请先新建"), None)
        for ev in evs:
            start, end = ev.local_window()
            kind = self.tr("观影") if ev.kind == "screening" else self.tr("权益核销")
            window = f"{start:%H:%M}-{end:%H:%M}" if start and end else ""
            self.event_combo.addItem(f"{ev.date:%m-%d} {window}　{kind}　{ev.name}　{ev.venue}", ev.id)
        index = self.event_combo.findData(current) if current is not None else -1
        self.event_combo.setCurrentIndex(max(index, 0))
        self.event_combo.blockSignals(False)
        self._event_chosen(self.event_combo.currentIndex())

    def _event_chosen(self, _index: int) -> None:
        event_id = self.event_combo.currentData()
        if event_id is None:
            self.service, self.current_event = None, None
            self._show_counts(0, None)
            return
        if self.current_event is not None and self.current_event.id == event_id and self.service is not None:
            return
        if self.operator is None:
            return  # locked: the door opens for whoever logs in next (set_operator)
        self._open_door(event_id)

    def _open_door(self, event_id: int) -> None:
        """The verdict service for the event, checking as the logged-in operator (the check-ins name them)."""
        ops.open_door(self, self.checks, self.store, event_id, self.operator) \
            .success(self._service_ready) \
            .failure(self._show_error) \
            .run_in_background()

    def select_event(self, event_id: int) -> None:
        """Choose the event to check against (the tests and the editor use it)."""
        self.refresh_events(select_id=event_id)

    def _service_ready(self, service: CheckinService) -> None:
        if service.operator is not self.operator:
            return  # opened for an operator who has locked the station since (or another has logged in)
        self.service = service
        self.current_event = service.event
        self.session_checks = 0
        self._recent = []
        self.recent_model.set_rows([])
        self.direction_bar.set_direction(rules.IN)
        self.direction_bar.setVisible(service.event.reentry)
        self.direction_bar.show_counts(None)
        self._show_idle()
        self._show_counts(service.event.admitted, service.event.capacity)
        self.refresh_counts()
        self.refresh_flags()

    # -- entry or exit (出场再入场 events) -----------------------------------------------------------
    def direction(self) -> str:
        """in, or out while the direction bar says 出场 (only an event that allows coming back in has one)."""
        service = self.service
        return self.direction_bar.direction if service is not None and service.event.reentry else rules.IN

    def toggle_direction(self) -> None:
        if self.direction_bar.isVisible():
            self.direction_bar.toggle()

    def _direction_changed(self, _direction: str) -> None:
        if self.service is not None:
            self._show_idle()

    def _show_idle(self) -> None:
        service = self.service
        if service is None:
            return
        if self.direction() == rules.OUT:
            self.verdict_panel.show_message("idle", self.tr("出口：请出示电子会员卡"),
                                            self.tr("{event} · 记出场，可再次入场").format(event=service.event.name))
        else:
            self.verdict_panel.show_message("idle", self.tr("请出示电子会员卡"), service.event.name)

    def refresh_counts(self) -> None:
        """Who is inside and this door's entries and exits, read on the check thread (after a check)."""
        service = self.service
        if service is None or not service.event.reentry:
            return
        ops.door_counts(self, self.checks, service) \
            .success(lambda c: self.direction_bar.show_counts(c) if service is self.service else None) \
            .failure(lambda _exc: None).run_in_background()  # logged; the next check reads them again

    def open_event_editor(self) -> EventEditor:
        if self.editor is not None and self.editor.isVisible():
            self.editor.raise_()
            return self.editor
        editor = EventEditor(self.store, self)
        editor.created.connect(self._event_created)
        editor.finished.connect(editor.deleteLater)
        self.editor = editor
        editor.open()
        return editor

    def _event_created(self, info: events.EventInfo) -> None:
        self.service = None
        self.events_changed.emit()
        self.select_event(info.id)

    # -- codes in ----------------------------------------------------------------------------------
    def submit_code(self, text: str, source: str) -> None:
        """A code from any source: checked on the check thread, shown when stored."""
        service = self.service
        if self.operator is None:
            self.message.show_error(t("checkin_login_required"))  # locked: nobody to check as
            return
        if service is None:
            self.message.show_error(self.tr("请先选择或新建活动，再核验。"))
            return
        ops.check_code(self, self.checks, service, text, source, self.direction()) \
            .success(self._verdict) \
            .failure(self._show_error) \
            .waiting(self._waiting_for_store) \
            .run_in_background()

    def _wedge_code(self, text: str) -> None:
        self.submit_code(text, "wedge")

    def _wedge_dropped(self, text: str) -> None:
        log.info("wedge: dropped a partial burst of %d characters", len(text))
        self.message.show_hint(self.tr("扫码枪读到的码不完整，已忽略，请重扫。"), "#8a6100")

    def _camera_codes(self, texts: list, kind: str) -> None:
        for text in texts:
            self.submit_code(str(text), kind)

    # -- who is checking ---------------------------------------------------------------------------
    def set_operator(self, op: OperatorSession | None) -> None:
        """Who checks: the logged-in operator; the door opens again for them (None: locked, nothing is checked)."""
        if op is self.operator and self.service is not None:
            return
        self.operator = op
        self.service = None
        if op is not None:
            self._event_chosen(self.event_combo.currentIndex())

    def clear_personal_data(self) -> None:
        """Locking: the camera stops, the look-up, the verdict and the recent checks are cleared."""
        self.stop_camera()
        self.search_timer.stop()
        self._search_seq += 1
        self._hits = []
        self.manual_list.clear()
        self.manual_edit.blockSignals(True)
        self.manual_edit.clear()
        self.manual_edit.blockSignals(False)
        self._recent = []
        self.recent_model.set_rows([])
        self.last_verdict = None
        self.verdict_panel.show_message("idle", self.tr("已锁定"), "")
        self.preview_label.setPixmap(QPixmap())
        self.preview_label.setText(self.tr("摄像头未开启"))
        self.message.clear_message()

    # -- manual look-up ------------------------------------------------------------------------------
    def run_search(self) -> None:
        self.search_timer.stop()
        query = self.manual_edit.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if not query:
            self._hits = []
            self.manual_list.clear()
            return
        store, op = self.store, self.operator
        if op is None:
            return

        def found(hits: list[search.Hit]) -> None:
            self._hits_loaded(seq, hits)

        ops.find_members(self, self.runner, store, query, op, limit=20) \
            .success(found) \
            .failure(self._show_error) \
            .run_in_background()

    def _hits_loaded(self, seq: int, hits: list[search.Hit]) -> None:
        if seq != self._search_seq:
            return
        self._hits = hits
        self.manual_list.clear()
        for h in hits:
            row = h.as_json()
            item = QListWidgetItem(f"{row['name']}　{row['phone'] or row['id_number']}　{h.union or h.enterprise or ''}")
            item.setData(Qt.ItemDataRole.UserRole, h.member_id)
            self.manual_list.addItem(item)
        if hits:
            self.manual_list.setCurrentRow(0)

    def check_selected_member(self) -> None:
        item = self.manual_list.currentItem()
        service = self.service
        if item is None:
            return
        if service is None:
            self.message.show_error(self.tr("请先选择或新建活动，再核验。"))
            return
        member_id = int(item.data(Qt.ItemDataRole.UserRole))
        ops.check_member(self, self.checks, service, member_id, self.direction()) \
            .success(self._verdict) \
            .failure(self._show_error) \
            .waiting(self._waiting_for_store) \
            .run_in_background()

    # -- verdicts out ------------------------------------------------------------------------------------
    def _verdict(self, v: Verdict) -> None:
        if v.repeated:
            return  # the same code within 3 s: already on screen and in the record
        self.last_verdict = v
        self.session_checks += 1
        self.message.clear_message()
        self.verdict_panel.show_verdict(v, self.current_event, self.session_checks)
        self.sound.play("pass" if v.passed else ("warn" if v.verdict == "warn" else "refuse"))
        self._show_counts(v.admitted, v.capacity)
        self.refresh_counts()
        result = verdict_title(v)
        source = {"camera": self.tr("摄像头"), "wedge": self.tr("扫码枪"), "manual": self.tr("人工"),
                  "image": self.tr("图片"), "video": self.tr("视频")}.get(v.source, v.source)
        self._recent.insert(0, (to_local(v.at).strftime("%H:%M:%S"), result, v.masked_name or "", v.union or "", source))
        del self._recent[RECENT_ROWS:]
        self.recent_model.set_rows(self._recent)
        self.recent_table.selectRow(0)  # the newest row stands out
        self.checked.emit(v)

    def _show_counts(self, admitted: int, capacity: int | None) -> None:
        cap = self.tr("不限") if capacity is None else fmt_int(capacity)
        self.counter_label.setText(self.tr("已入场 {n} / {cap}").format(n=fmt_int(admitted), cap=cap))
        self.checks_label.setText(self.tr("本次核验 {n} 次").format(n=fmt_int(self.session_checks)))

    # -- live sync: how current the door is -----------------------------------------------------------
    def set_live_state(self, state: LiveState) -> None:
        """What the live-sync worker says (ui/operations/live.py): shown at once, the minutes kept counting."""
        self.live_state = state
        self._show_live()
        if state.target is not None and not state.online:
            self.live_timer.start()
        else:
            self.live_timer.stop()

    def _show_live(self) -> None:
        st = self.live_state
        text = st.sentence()
        if st.target is None:
            colour, bg = "#455a64", "#eceff1"
        elif st.online:
            colour, bg = "#ffffff", OK_COLOUR
        else:
            colour, bg = "#3e2723", "#ffb300"  # amber: this door knows only its own admissions
            if st.error:
                self.live_label.setToolTip(st.error)
        self.live_label.setText(text)
        self.live_label.setStyleSheet(f"QLabel#LiveStatus {{ color: {colour}; background: {bg}; "
                                      "border-radius: 4px; padding: 4px 10px; }")

    def live_exchanged(self, ex) -> None:
        """Other doors' check-ins arrived: the hall's count is read again (between two checks)."""
        service = self.service
        if service is not None and ex.pulled.get("checkins"):
            ops.admitted(self, self.checks, service) \
                .success(lambda n: self._show_counts(n, service.event.capacity) if service is self.service else None) \
                .failure(lambda _exc: None).run_in_background()  # logged; the next verdict shows the count
            self.refresh_counts()
        if ex.pulled.get("events") or ex.pulled.get("keys") or ex.pulled.get("revocations"):
            self.poll_catalog()
        if ex.pulled.get("flags"):
            self.refresh_flags()

    def refresh_flags(self) -> None:
        event = self.current_event
        if event is None:
            self._show_flags([])
            return
        ops.door_flags(self, self.runner, self.store, event.id) \
            .success(lambda flags: self._show_flags(flags) if self.current_event is event else None) \
            .failure(lambda _exc: None).run_in_background()  # logged; the next exchange tries again

    def _show_flags(self, flags: list) -> None:
        if not flags:
            self.flag_label.hide()
            return
        items = []
        for f in flags[:3]:
            doors = "、".join(f"{door} {to_local(at):%H:%M}" for door, at in f.admissions) or \
                self.tr("{n} 次").format(n=f.count)
            items.append(self.tr("{name}（{doors}）").format(name=f.masked_name or self.tr("卡号尾号 {tail}").format(
                tail=str(f.platform_id)[-4:]), doors=doors))
        more = self.tr("，另有 {n} 张").format(n=len(flags) - 3) if len(flags) > 3 else ""
        self.flag_label.setText(self.tr("断网期间同一张卡在两个门都入场了（已标记，日终同步报平台）：{items}{more}")
                                .format(items="；".join(items), more=more))
        self.flag_label.show()

    def _show_error(self, exc: BaseException) -> None:
        self.message.show_error(error_sentence(exc))

    def _waiting_for_store(self, waiting: Waiting) -> None:
        """A check waits for a busy store (a roster import): why, until its verdict shows."""
        self.message.show_hint(waiting.message(), WARN_COLOUR)

    # -- cameras and files --------------------------------------------------------------------------
    def refresh_cameras(self) -> None:
        self.camera_combo.clear()
        self.camera_combo.addItem(self.tr("正在查找摄像头…"), None)
        ops.cameras(self, self.runner) \
            .success(self._cameras_found) \
            .failure(lambda _e: self._cameras_found([])) \
            .run_in_background()

    def _cameras_found(self, indexes: list[int]) -> None:
        self.camera_combo.clear()
        for index in indexes:
            self.camera_combo.addItem(self.tr("摄像头 {n}").format(n=index + 1), index)
        if not indexes:
            self.camera_combo.addItem(self.tr("未找到摄像头"), None)
        self.camera_button.setEnabled(bool(indexes) or self.camera is not None)

    def toggle_camera(self) -> None:
        if self.camera is not None:
            self.stop_camera()
            return
        index = self.camera_combo.currentData()
        if index is None:
            self.camera_message.show_error(self.tr("没有可用的摄像头。可用扫码枪或人工核验。"))
            return
        self.start_source(VideoSource(int(index)))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择图片或视频"), "",
                                              self.tr("图片或视频 (*.png *.jpg *.jpeg *.bmp *.mp4 *.avi *.mov *.mkv)"))
        if path:
            self.start_source(source_for(Path(path)))

    def start_source(self, source: FrameSource, *, pace_s: float | None = None) -> CameraWorker:
        """Read frames from ``source`` on a worker thread; codes found go to the verdict service."""
        self.stop_camera()
        self.camera_message.clear_message()

        def connect(worker: CameraWorker) -> None:
            worker.preview.connect(self._preview)
            worker.codes.connect(self._camera_codes)
            worker.lost.connect(self._camera_lost)
            worker.failed.connect(self._camera_failed)
            worker.finished.connect(self._camera_finished)

        self.camera = start_camera_thread(source, connect, pace_s=pace_s, parent=self)
        self.camera_button.setText(self.tr("停止"))
        self.camera_button.setEnabled(True)
        return self.camera.worker

    def stop_camera(self) -> None:
        """Ask the camera loop to end; its thread finishes in the background (never waited for here)."""
        camera, self.camera = self.camera, None
        self._stopping = [c for c in self._stopping if c.running()]
        if camera is not None:
            camera.stop(wait_ms=0)
            self._stopping.append(camera)
        self.camera_button.setText(self.tr("开启摄像头"))
        self.camera_button.setEnabled(self.camera_combo.currentData() is not None)

    def _preview(self, image: QImage) -> None:
        if self.camera is None:
            return  # a frame queued before the camera was stopped (e.g. by the lock)
        pix = QPixmap.fromImage(image).scaled(self.preview_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation)
        self.preview_label.setPixmap(pix)

    def _camera_lost(self, name: str) -> None:
        if name.startswith("#") and self.camera_combo.currentData() is not None:
            name = self.camera_combo.currentText()  # "摄像头 1" rather than OpenCV's index
        self.camera_message.show_error(
            self.tr("摄像头已断开（{name}）。扫码枪和人工核验仍可使用；请检查连接后重新开启。").format(name=name))
        self.preview_label.setPixmap(QPixmap())
        self.preview_label.setText(self.tr("摄像头已断开"))

    def _camera_failed(self, exc: object) -> None:
        if isinstance(exc, StationError):
            text = exc.message()
        else:
            text = error_sentence(exc) if isinstance(exc, BaseException) else str(exc)
        self.camera_message.show_error(text)

    def _camera_finished(self) -> None:
        sender = self.sender()
        if self.camera is not None and sender is self.camera.worker:
            # A file ran out, or the camera was lost: the loop is over, its thread ends by itself.
            self._stopping.append(self.camera)
            self.camera = None
            self.camera_button.setText(self.tr("开启摄像头"))
            self.camera_button.setEnabled(self.camera_combo.currentData() is not None)

    def shutdown(self, wait_ms: int = 10000) -> None:
        """Stop the camera and let queued checks finish (they are being stored)."""
        self.stop_camera()
        for camera in self._stopping:
            camera.loop_thread.wait(wait_ms)
        self._stopping = []
        self.wedge.uninstall()
        self.checks.wait(wait_ms)
        self.runner.wait(wait_ms)

    def closeEvent(self, event) -> None:  # a Qt override
        self.shutdown()
        super().closeEvent(event)


__all__ = ["ScanScreen", "VerdictPanel", "WedgeReader"]
