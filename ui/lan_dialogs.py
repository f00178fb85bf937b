"""活动现场: this laptop as the event host, and joining one (issue 15).

``LanPanel`` sits on the 同步 screen (organizers only): which host the
station joined, and the two ways in.  ``HostDialog`` starts the host (the
main window keeps it serving through locks), joins this station to it and
makes each other station's one-time ticket as a big QR code with the text to
type beside it.  ``JoinDialog`` takes a ticket from the webcam, a barcode
scanner or the keyboard; the host's certificate is checked against the
ticket before anything is sent.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.checkin.frames import VideoSource
from station.posters.qr import make_symbol
from station.security.operators import OperatorSession
from station.store.database import Store
from station.sync import lan_host
from ui.camera_worker import CameraThread, CameraWorker, start_camera_thread
from ui.common import error_sentence
from ui.operations import lan as ops
from ui.style import OK_COLOUR, font_of
from ui.widgets import FieldMessage
from ui.workers import TaskRunner

TICKET_PREFIX = "YGHJ1:"
JOINED_POLL_MS = 5000


def qr_pixmap(text: str, size: int) -> QPixmap:
    """``text`` as a QR code of about ``size`` px, with a quiet zone, black on white."""
    matrix = make_symbol(text).matrix
    n = len(matrix) + 8  # 4 modules of quiet zone each side
    scale = max(1, size // n)
    image = QImage(n * scale, n * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect((x + 4) * scale, (y + 4) * scale, scale, scale, QColor("black"))
    painter.end()
    return QPixmap.fromImage(image)


class LanPanel(QWidget):
    """The 活动现场 row of the 同步 screen."""

    host_requested = Signal()
    join_requested = Signal()
    changed = Signal()  # left the host: live sync must start over

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.runner = store, runner
        self.operator: OperatorSession | None = None
        title = QLabel(self.tr("活动现场"))
        title.setFont(font_of(12, bold=True))
        self.link_label = QLabel()
        self.link_label.setWordWrap(True)
        self.host_button = QPushButton(self.tr("本机作为活动主机…"))
        self.host_button.setToolTip(self.tr("一场活动有几台电脑时：本机在局域网上为其他工作站提供实时同步（不需要互联网）"))
        self.join_button = QPushButton(self.tr("加入活动主机…"))
        self.join_button.setToolTip(self.tr("扫描活动主机屏幕上的二维码，或输入它下方的短码"))
        self.leave_button = QPushButton(self.tr("离开活动主机"))
        self.host_button.clicked.connect(self.host_requested)
        self.join_button.clicked.connect(self.join_requested)
        self.leave_button.clicked.connect(self.leave)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.addWidget(title)
        row.addSpacing(12)
        row.addWidget(self.link_label, 1)
        row.addWidget(self.host_button)
        row.addWidget(self.join_button)
        row.addWidget(self.leave_button)
        self.refresh()

    def set_operator(self, op: OperatorSession | None) -> None:
        self.operator = op

    def refresh(self) -> None:
        ops.link(self, self.runner, self.store).success(self._show).failure(lambda _e: None).run_in_background()

    def _show(self, row) -> None:
        if row is None:
            self.link_label.setText(self.tr("未加入活动主机：本站只与中心平台同步"))
            self.leave_button.setVisible(False)
        else:
            self.link_label.setText(self.tr("已加入活动主机 {url}（证书指纹 {pin}…）").format(
                url=row.host_url, pin=row.pin_sha256[:16]))
            self.leave_button.setVisible(True)

    def leave(self) -> None:
        if self.operator is None:
            return
        ops.leave(self, self.runner, self.store, self.operator).success(self._left).run_in_background()

    def _left(self, _left: bool) -> None:
        self.refresh()
        self.changed.emit()


class HostDialog(QDialog):
    """本机作为活动主机: serve, join this station, and make the other stations' tickets."""

    joined = Signal()  # this station joined its own host: live sync starts over

    def __init__(self, store: Store, runner: TaskRunner, operator: OperatorSession, server: lan_host.HostServer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.runner, self.operator, self.server = store, runner, operator, server
        self.setWindowTitle(self.tr("本机作为活动主机"))
        self.state_label = QLabel(self.tr("正在启动活动主机…"))
        self.state_label.setFont(font_of(14, bold=True))
        self.state_label.setWordWrap(True)
        self.address_combo = QComboBox()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("例如：二号门"))
        self.name_edit.setMaxLength(40)
        self.ticket_button = QPushButton(self.tr("生成加入码"))
        self.ticket_button.setProperty("role", "primary")
        self.ticket_button.setEnabled(False)
        self.qr_label = QLabel()
        self.qr_label.setFixedSize(QSize(300, 300))
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setStyleSheet("background: white; border: 1px solid #cfd8dc;")
        self.short_label = QLabel()
        self.short_label.setFont(font_of(15, bold=True))
        self.short_label.setWordWrap(True)
        self.short_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.joined_label = QLabel()
        self.joined_label.setWordWrap(True)
        self.message = FieldMessage()
        self.stop_button = QPushButton(self.tr("停止活动主机"))
        self.stop_button.setEnabled(False)

        form = QFormLayout()
        form.addRow(self.tr("本机地址"), self.address_combo)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.ticket_button)
        form.addRow(self.tr("要加入的工作站"), name_row)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.short_label)
        side.addWidget(self.hint_label)
        side.addStretch(1)
        side.addWidget(self.joined_label)
        body = QHBoxLayout()
        body.addWidget(self.qr_label)
        body.addLayout(side, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.state_label)
        lay.addLayout(body, 1)
        lay.addWidget(self.message)
        lay.addWidget(QLabel(self.tr("关闭这个窗口后主机继续运行；退出本程序即停止活动主机。")))
        lay.addWidget(buttons)
        self.resize(820, 460)

        self.ticket_button.clicked.connect(self.make_ticket)
        self.name_edit.returnPressed.connect(self.make_ticket)
        self.stop_button.clicked.connect(self.stop)
        self.joined_timer = QTimer(self)
        self.joined_timer.setInterval(JOINED_POLL_MS)
        self.joined_timer.timeout.connect(self.refresh_joined)
        self.start()

    def start(self) -> None:
        ops.start_host(self, self.runner, self.store, self.operator, self.server) \
            .success(self._started).failure(self._failed).run_in_background()

    def _started(self, addresses: list[str]) -> None:
        self.state_label.setText(self.tr("活动主机运行中，端口 {port}。其他工作站连同一个 Wi-Fi，扫描加入码即可加入。")
                                 .format(port=self.server.port))
        self.state_label.setStyleSheet(f"color: {OK_COLOUR};")
        self.address_combo.clear()
        for address in addresses:
            self.address_combo.addItem(address, address)
        self.ticket_button.setEnabled(True)
        self.stop_button.setEnabled(True)
        self.name_edit.setFocus()
        self.joined.emit()
        self.refresh_joined()
        self.joined_timer.start()

    def _failed(self, exc: BaseException) -> None:
        self.state_label.setText(self.tr("活动主机没有启动"))
        self.state_label.setStyleSheet("")
        self.message.show_error(error_sentence(exc))

    def make_ticket(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.message.show_error(self.tr("请先填写要加入的工作站名称，例如：二号门"))
            self.name_edit.setFocus()
            return
        if not self.ticket_button.isEnabled():
            return
        self.message.clear_message()
        ops.ticket(self, self.runner, self.store, self.operator, self.server, name,
                   self.address_combo.currentData() or "127.0.0.1") \
            .success(lambda t: self._show_ticket(name, t)).failure(self._failed_ticket).run_in_background()

    def _show_ticket(self, name: str, ticket) -> None:
        self.qr_label.setPixmap(qr_pixmap(ticket.qr_text(), 290))
        self.short_label.setText(ticket.short_text())
        self.hint_label.setText(self.tr("请在“{name}”上点 同步 → 加入活动主机…，用摄像头扫这个二维码，"
                                        "或输入上面的短码。加入码只能用一次，12 小时内有效。").format(name=name))
        self.name_edit.selectAll()
        self.name_edit.setFocus()

    def _failed_ticket(self, exc: BaseException) -> None:
        self.message.show_error(error_sentence(exc))

    def refresh_joined(self) -> None:
        ops.joined(self, self.runner, self.store).success(self._show_joined).failure(lambda _e: None) \
            .run_in_background()

    def _show_joined(self, stations: list[lan_host.JoinedStation]) -> None:
        if not stations:
            self.joined_label.setText("")
            return
        parts = [(self.tr("{name}（在线）") if st.live else self.tr("{name}（未在线）")).format(name=st.name)
                 for st in stations]
        self.joined_label.setText(self.tr("已加入：{list}").format(list="、".join(parts)))

    def stop(self) -> None:
        self.stop_button.setEnabled(False)
        self.ticket_button.setEnabled(False)
        self.joined_timer.stop()
        ops.stop_host(self, self.runner, self.server) \
            .success(lambda _r: self.state_label.setText(self.tr("活动主机已停止：其他工作站改为仅本机核验"))) \
            .failure(self._failed).run_in_background()

    def done(self, result: int) -> None:  # a Qt override
        self.joined_timer.stop()
        super().done(result)


class JoinDialog(QDialog):
    """加入活动主机: a ticket from the webcam, a scanner or the keyboard."""

    joined = Signal(object)  # the EventLink

    def __init__(self, store: Store, runner: TaskRunner, operator: OperatorSession,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.runner, self.operator = store, runner, operator
        self.camera: CameraThread | None = None
        self.busy = False
        self._last_scanned = ""
        self.setWindowTitle(self.tr("加入活动主机"))
        intro = QLabel(self.tr("在活动主机上点 同步 → 本机作为活动主机…，为本站生成加入码；"
                               "然后用摄像头扫它的二维码，或在下面输入短码（地址:端口 加入码 指纹），按回车。"))
        intro.setWordWrap(True)
        self.ticket_edit = QLineEdit()
        self.ticket_edit.setPlaceholderText(self.tr("192.168.43.20:8765 ABCD-EFGH-JKLM-NPQR XXXXXXXXXXXXXXXX"))
        self.ticket_edit.setMinimumWidth(520)
        self.join_button = QPushButton(self.tr("加入"))
        self.join_button.setProperty("role", "primary")
        self.camera_button = QPushButton(self.tr("用摄像头扫码"))
        self.preview = QLabel(self.tr("摄像头未开启"))
        self.preview.setFixedSize(QSize(320, 240))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #263238; color: #cfd8dc;")
        self.message = FieldMessage()
        row = QHBoxLayout()
        row.addWidget(self.ticket_edit, 1)
        row.addWidget(self.join_button)
        cam = QHBoxLayout()
        cam.addWidget(self.preview)
        cam.addWidget(self.camera_button, 0, Qt.AlignmentFlag.AlignTop)
        cam.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(row)
        lay.addWidget(self.message)
        lay.addLayout(cam)
        lay.addWidget(buttons)
        self.ticket_edit.returnPressed.connect(self.submit)
        self.join_button.clicked.connect(self.submit)
        self.camera_button.clicked.connect(self.toggle_camera)
        self.ticket_edit.setFocus()

    def submit(self) -> None:
        text = self.ticket_edit.text().strip()
        if not text:
            self.message.show_error(self.tr("请输入加入码，或用摄像头扫描活动主机屏幕上的二维码"))
            return
        if self.busy:
            return
        self.busy = True
        self.join_button.setEnabled(False)
        self.message.show_hint(self.tr("正在核对活动主机的证书并加入…"))
        ops.join(self, self.runner, self.store, self.operator, text) \
            .success(self._joined).failure(self._failed).run_in_background()

    def _joined(self, row) -> None:
        self.busy = False
        self.join_button.setEnabled(True)
        self.stop_camera()
        self.message.show_hint(self.tr("已加入活动主机 {url}，实时同步马上开始。").format(url=row.host_url), OK_COLOUR)
        self.joined.emit(row)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.join_button.setEnabled(True)
        self.message.show_error(error_sentence(exc))
        self.ticket_edit.setFocus()
        self.ticket_edit.selectAll()

    # -- the webcam ---------------------------------------------------------------------------------
    def toggle_camera(self) -> None:
        if self.camera is not None:
            self.stop_camera()
            return
        self.start_source(VideoSource(0))

    def start_source(self, source) -> CameraWorker:
        self.stop_camera()

        def connect(worker: CameraWorker) -> None:
            worker.preview.connect(self._preview)
            worker.codes.connect(self._codes)
            worker.failed.connect(lambda exc: self.message.show_error(error_sentence(exc)))
            worker.lost.connect(lambda _t: self.stop_camera())

        self.camera = start_camera_thread(source, connect, parent=self)
        self.camera_button.setText(self.tr("停止摄像头"))
        return self.camera.worker

    def stop_camera(self) -> None:
        camera, self.camera = self.camera, None
        if camera is not None:
            camera.stop(wait_ms=0)
        self.camera_button.setText(self.tr("用摄像头扫码"))

    def _preview(self, image: QImage) -> None:
        if self.camera is not None:
            self.preview.setPixmap(QPixmap.fromImage(image).scaled(
                self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def _codes(self, texts: list, _kind: str) -> None:
        for text in texts:
            if isinstance(text, str) and text.strip().upper().startswith(TICKET_PREFIX):
                if self.busy or text.strip() == self._last_scanned:
                    return  # the camera sees the same code frame after frame: one try each
                self._last_scanned = text.strip()
                self.ticket_edit.setText(text.strip())
                self.submit()
                return
        if texts:
            self.message.show_error(self.tr("这个二维码不是活动主机的加入码：请扫描活动主机屏幕上显示的二维码"))

    def done(self, result: int) -> None:  # a Qt override
        self.stop_camera()
        super().done(result)
