"""Who is at the station: first-run set-up, log-in, the lock screen, recovery.

The gate is a page of the main window (``Gate``): on a station with no
operator it runs the set-up wizard (the first organizer, then the recovery
key shown once, printed, and confirmed by typing its last group); otherwise
it asks for an operator and their PIN or passphrase.  Locking shows the
same log-in form with the station's name, the time and who locked: never
any personal data.

Every key derivation (0.4 s of scrypt, twice at set-up) runs in a worker
through ui/operations/auth.py; the GUI keeps painting and says what it is doing.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.security import operators, protect
from station.security.operators import ORGANIZER, OperatorSession
from station.store.database import Store
from ui.common import error_sentence
from ui.operations import auth as ops
from ui.style import ERROR_COLOUR, OK_COLOUR, WARN_COLOUR, font_of
from ui.widgets import FieldMessage
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

RECOVERY_GROUPS = 8


def secret_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumHeight(38)
    edit.setFont(font_of(13))
    edit.setPlaceholderText(placeholder)
    edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)  # full-width digits from a Chinese IME work
    return edit


def _card(title: str, *widgets: QWidget, width: int = 560) -> QWidget:
    """A centred white card with a title: the layout of every gate page."""
    card = QFrame()
    card.setObjectName("GateCard")
    card.setStyleSheet("QFrame#GateCard { background: #ffffff; border: 1px solid #cfd8dc; border-radius: 8px; }")
    card.setFixedWidth(width)
    lay = QVBoxLayout(card)
    lay.setContentsMargins(28, 22, 28, 22)
    lay.setSpacing(8)
    heading = QLabel(title)
    heading.setProperty("role", "title")
    heading.setWordWrap(True)
    lay.addWidget(heading)
    for w in widgets:
        lay.addWidget(w)
    card.heading = heading  # type: ignore[attr-defined]  # a Python attribute on the Qt wrapper
    outer = QWidget()
    col = QVBoxLayout(outer)
    col.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card)
    row.addStretch(1)
    col.addLayout(row)
    col.addStretch(2)
    outer.card = card  # type: ignore[attr-defined]  # a Python attribute on the Qt wrapper
    return outer


def _label(text: str, buddy: QWidget | None = None, *, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if muted:
        label.setProperty("role", "muted")
    if buddy is not None:
        label.setBuddy(buddy)
    return label


# -- the recovery key on paper -----------------------------------------------------------


def recovery_groups(key: str) -> list[str]:
    return [g for g in key.replace(" ", "-").split("-") if g]


def recovery_html(key: str, station_name: str, organizer: str) -> str:
    groups = recovery_groups(key)
    cell = '<td style="padding: 6px 14px">{}</td>'
    rows = "".join("<tr>" + "".join(cell.format(g) for g in groups[i:i + 4]) + "</tr>" for i in range(0, len(groups), 4))
    title = QCoreApplication.translate("Recovery", "粤工惠地推工作站 · 恢复密钥")
    meta = QCoreApplication.translate("Recovery", "工作站：{station}　管理员：{name}　打印时间：{time}").format(
        station=html.escape(station_name), name=html.escape(organizer), time=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    use = QCoreApplication.translate("Recovery", "管理员忘记密码时，凭此恢复密钥可以重新打开本站数据并设置新密码。没有它、也没有任何管理员密码时，数据无法打开，任何人都无法找回。")
    keep = QCoreApplication.translate("Recovery", "请妥善保管，锁在柜中，不要拍照、不要和电脑放在一起。")
    return (f"<h2>{title}</h2><p>{meta}</p>"
            f'<table style="font-family: monospace; font-size: 20pt; margin: 16px 0">{rows}</table>'
            f"<p>{use}</p><p><b>{keep}</b></p>")


def write_recovery_pdf(path: Path, key: str, station_name: str, organizer: str) -> Path:
    """The recovery key sheet as a PDF file (the user chose where)."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    _print_to(printer, key, station_name, organizer)
    return Path(path)


def _print_to(printer, key: str, station_name: str, organizer: str) -> None:
    doc = QTextDocument()
    doc.setDefaultFont(QFont(font_of(12).family(), 12))
    doc.setHtml(recovery_html(key, station_name, organizer))
    doc.print_(printer)


class RecoveryKeyView(QFrame):
    """The 48 digits in 8 big groups, two rows of four; selectable to copy by hand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("QFrame { background: #fff8e1; border: 2px dashed #f0b400; border-radius: 6px; }"
                           "QLabel { border: none; }")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(14, 10, 14, 10)
        self.labels: list[QLabel] = []
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(20)
        font.setBold(True)
        for i in range(RECOVERY_GROUPS):
            number = QLabel(str(i + 1))
            number.setProperty("role", "muted")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            digits = QLabel("")
            digits.setFont(font)
            digits.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(number, i // 4, (i % 4) * 2)
            self.grid.addWidget(digits, i // 4, (i % 4) * 2 + 1)
            self.labels.append(digits)

    def set_key(self, key: str) -> None:
        groups = recovery_groups(key)
        for i, label in enumerate(self.labels):
            label.setText(groups[i] if i < len(groups) else "")

    def text(self) -> str:
        return "-".join(label.text() for label in self.labels if label.text())


# -- first run ------------------------------------------------------------------------------


class SetupWizard(QWidget):
    """First run: the first organizer, then the recovery key, once."""

    completed = Signal(object)  # OperatorSession of the new organizer

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.recovery_key = ""
        self.operator: OperatorSession | None = None
        self.busy = False
        self.pages = QStackedWidget()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.pages)
        self._build_form()
        self._build_key_page()

    def _build_form(self) -> None:
        intro = _label(self.tr("这台工作站还没有管理员。请创建第一个管理员账号：身份证号、手机号等个人信息将用它加密保存。"), muted=True)
        self.name_edit = QLineEdit()
        self.name_edit.setMinimumHeight(38)
        self.name_edit.setFont(font_of(13))
        self.name_edit.setMaxLength(operators.MAX_NAME)
        self.name_edit.setPlaceholderText(self.tr("如：陈主席"))
        self.pass_edit = secret_edit(self.tr("至少 {n} 个字符，可用一句话").format(n=operators.ORGANIZER_SECRET_MIN))
        self.pass2_edit = secret_edit(self.tr("再输入一次"))
        self.name_msg, self.pass_msg, self.pass2_msg = FieldMessage(), FieldMessage(), FieldMessage()
        rules = _label(self.tr("管理员密码用于导入、导出、查看完整号码和管理操作员。建议用一句好记的话，如“长安镇一号饭堂2026”；不要用 123456 之类的简单数字。"), muted=True)
        self.create_button = QPushButton(self.tr("创建管理员"))
        self.create_button.setProperty("role", "accent")
        self.create_button.setDefault(True)
        self.form_status = FieldMessage()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 6, 0, 0)
        buttons.addWidget(self.form_status, 1)
        buttons.addWidget(self.create_button)
        holder = QWidget()
        holder.setLayout(buttons)
        self.form_page = _card(
            self.tr("设置工作站 · 第 1 步：管理员"), intro,
            _label(self.tr("管理员姓名(&N)"), self.name_edit), self.name_edit, self.name_msg,
            _label(self.tr("管理员密码(&P)"), self.pass_edit), self.pass_edit, self.pass_msg,
            _label(self.tr("再次输入密码(&A)"), self.pass2_edit), self.pass2_edit, self.pass2_msg,
            rules, holder,
        )
        self.pages.addWidget(self.form_page)
        self.name_edit.returnPressed.connect(self.pass_edit.setFocus)
        self.pass_edit.returnPressed.connect(self.pass2_edit.setFocus)
        self.pass2_edit.returnPressed.connect(self.create_organizer)
        self.create_button.clicked.connect(self.create_organizer)
        self.pass_edit.editingFinished.connect(self._check_pass)

    def _build_key_page(self) -> None:
        warn = _label(self.tr("这是本站的恢复密钥，只显示这一次。管理员忘记密码时，只有凭它才能打开数据；丢了它又忘了密码，数据将永远无法打开。请现在打印或抄写，锁在柜中保管，不要拍照。"))
        warn.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.key_view = RecoveryKeyView()
        self.print_button = QPushButton(self.tr("打印…"))
        self.pdf_button = QPushButton(self.tr("保存为 PDF…"))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        print_row = QWidget()
        print_row.setLayout(row)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setMaxLength(6)
        self.confirm_edit.setFont(font_of(15))
        self.confirm_edit.setMinimumHeight(40)
        self.confirm_edit.setFixedWidth(160)
        self.confirm_edit.setPlaceholderText(self.tr("第 8 组"))
        self.confirm_msg = FieldMessage()
        self.continue_button = QPushButton(self.tr("我已保管好，进入工作站"))
        self.continue_button.setProperty("role", "accent")
        self.continue_button.setEnabled(False)
        crow = QHBoxLayout()
        crow.setContentsMargins(0, 0, 0, 0)
        crow.addWidget(self.confirm_edit)
        crow.addWidget(self.confirm_msg, 1)
        crow.addWidget(self.continue_button)
        confirm_row = QWidget()
        confirm_row.setLayout(crow)
        self.key_page = _card(
            self.tr("设置工作站 · 第 2 步：恢复密钥"), warn, self.key_view, print_row,
            _label(self.tr("为确认已抄下或打印，请输入最后一组（第 8 组）的 6 位数字(&C)："), self.confirm_edit),
            confirm_row, width=760,
        )
        self.pages.addWidget(self.key_page)
        self.print_button.clicked.connect(self.print_key)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.confirm_edit.textChanged.connect(self._confirm_typed)
        self.confirm_edit.returnPressed.connect(self.finish)
        self.continue_button.clicked.connect(self.finish)

    # -- step 1 --------------------------------------------------------------------------
    def start(self) -> None:
        self.pages.setCurrentWidget(self.form_page)
        self.name_edit.setFocus()

    def _check_pass(self) -> bool:
        try:
            operators.check_secret(ORGANIZER, self.pass_edit.text())
        except StationError as exc:
            if self.pass_edit.text():
                self.pass_msg.show_error(exc.message())
            return False
        self.pass_msg.clear_message()
        return True

    def create_organizer(self) -> None:  # not create(): that is QWidget's, making the native window
        if self.busy:
            return
        name = self.name_edit.text().strip()
        secret = self.pass_edit.text()
        ok = True
        if not name:
            self.name_msg.show_error(StationError("operator_name_required").message())
            ok = False
        else:
            self.name_msg.clear_message()
        try:
            operators.check_secret(ORGANIZER, secret)
            self.pass_msg.clear_message()
        except StationError as exc:
            self.pass_msg.show_error(exc.message())
            ok = False
        if ok and secret != self.pass2_edit.text():
            self.pass2_msg.show_error(self.tr("两次输入的密码不一致。"))
            ok = False
        else:
            self.pass2_msg.clear_message()
        if not ok:
            return
        self._set_busy(True)
        self.form_status.show_hint(self.tr("正在生成密钥，约需 1 秒…"))
        ops.setup(self, self.runner, self.store, name, secret).success(self._created).failure(self._failed) \
            .run_in_background()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.create_button, self.name_edit, self.pass_edit, self.pass2_edit):
            w.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.form_status.show_error(error_sentence(exc))

    def _created(self, value: ops.SetupResult) -> None:
        self._set_busy(False)
        self.form_status.clear_message()
        self.recovery_key, self.operator = value
        for edit in (self.pass_edit, self.pass2_edit):
            edit.clear()
        self.key_view.set_key(self.recovery_key)
        self.confirm_edit.clear()
        self.pages.setCurrentWidget(self.key_page)
        self.confirm_edit.setFocus()

    # -- step 2 --------------------------------------------------------------------------
    def last_group(self) -> str:
        groups = recovery_groups(self.recovery_key)
        return groups[-1] if groups else ""

    def _confirm_typed(self, text: str) -> None:
        import unicodedata

        typed = unicodedata.normalize("NFKC", text).strip()
        right = bool(self.recovery_key) and typed == self.last_group()
        self.continue_button.setEnabled(right)
        if right:
            self.confirm_msg.show_hint(self.tr("正确。"), OK_COLOUR)
        elif len(typed) == 6:
            self.confirm_msg.show_error(self.tr("与第 8 组不符，请对照检查。"))
        else:
            self.confirm_msg.clear_message()

    def print_key(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印恢复密钥"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            _print_to(printer, self.recovery_key, self.store.identity.name, self.operator.name if self.operator else "")

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存恢复密钥（PDF，请存到 U 盘后打印，不要留在电脑上）"),
                                              str(Path.home() / "recovery-key.pdf"), self.tr("PDF 文件 (*.pdf)"))
        if path:
            write_recovery_pdf(Path(path), self.recovery_key, self.store.identity.name,
                               self.operator.name if self.operator else "")
            self.confirm_msg.show_hint(self.tr("已保存：{path}").format(path=Path(path).name))

    def finish(self) -> None:
        if not self.continue_button.isEnabled() or self.operator is None:
            return
        op, self.operator = self.operator, None
        # Shown once: nothing keeps the key after this.
        self.recovery_key = ""
        self.key_view.set_key("")
        self.confirm_edit.clear()
        self.completed.emit(op)


# -- log-in and lock -----------------------------------------------------------------------


class LoginPage(QWidget):
    """Operator and PIN/passphrase; also the lock screen (then it says who locked and when)."""

    logged_in = Signal(object)  # OperatorSession
    recover_requested = Signal()

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.busy = False
        self.locked_by: str | None = None
        self.locked_at: dt.datetime | None = None
        self.anchor_before: str | None = None  # the audit anchor as it was before this log-in moved it

        self.clock_label = QLabel("")
        self.clock_label.setFont(font_of(40, bold=True))
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.date_label = QLabel("")
        self.date_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.date_label.setProperty("role", "muted")
        self.station_label = QLabel(self.tr("工作站：{name}").format(name=store.identity.name))
        self.station_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.station_label.setFont(font_of(13))
        self.info_label = _label("", muted=True)
        self.name_combo = QComboBox()
        self.name_combo.setEditable(True)
        self.name_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name_combo.setMinimumHeight(38)
        self.name_combo.setFont(font_of(13))
        self.name_label = _label(self.tr("操作员(&O)"), self.name_combo)
        self.secret_edit = secret_edit(self.tr("推广员输入 PIN，管理员输入密码"))
        self.secret_label = _label(self.tr("PIN / 密码(&P)"), self.secret_edit)
        self.message = FieldMessage()
        self.login_button = QPushButton(self.tr("登录 (Enter)"))
        self.login_button.setProperty("role", "accent")
        self.forgot_button = QPushButton(self.tr("忘记管理员密码？用恢复密钥…"))
        self.forgot_button.setFlat(True)
        self.forgot_button.setStyleSheet("color: #1a5fb4; text-align: left;")
        self.forgot_button.setCursor(Qt.CursorShape.PointingHandCursor)
        row = QHBoxLayout()
        row.setContentsMargins(0, 6, 0, 0)
        row.addWidget(self.forgot_button)
        row.addStretch(1)
        row.addWidget(self.login_button)
        buttons = QWidget()
        buttons.setLayout(row)
        self.page = _card(self.tr("请登录"), self.info_label, self.name_label, self.name_combo, self.secret_label,
                          self.secret_edit, self.message, buttons)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 30, 0, 0)
        lay.addWidget(self.clock_label)
        lay.addWidget(self.date_label)
        lay.addWidget(self.station_label)
        lay.addWidget(self.page, 1)

        self.clock = QTimer(self)
        self.clock.setInterval(10_000)
        self.clock.timeout.connect(self._tick)
        self._tick()
        self.secret_edit.returnPressed.connect(self.submit)
        name_line = self.name_combo.lineEdit()
        assert name_line is not None  # the combo is editable
        name_line.returnPressed.connect(self._name_entered)
        self.login_button.clicked.connect(self.submit)
        self.forgot_button.clicked.connect(self.recover_requested)

    @property
    def heading(self) -> QLabel:
        return self.page.card.heading  # type: ignore[attr-defined]

    def _tick(self) -> None:
        now = dt.datetime.now()
        self.clock_label.setText(now.strftime("%H:%M"))
        self.date_label.setText(now.strftime("%Y-%m-%d"))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._tick()
        self.clock.start()

    def hideEvent(self, event) -> None:
        self.clock.stop()
        super().hideEvent(event)

    def prepare(self, *, locked_by: str | None = None, locked_at: dt.datetime | None = None) -> None:
        """Show as the log-in (locked_by None) or the lock screen; the names are re-read."""
        self.locked_by, self.locked_at = locked_by, locked_at
        names, last = operators.login_names(self.store)
        self.name_combo.clear()
        self.name_combo.addItems(names)
        self.secret_edit.clear()
        self.message.clear_message()
        self._set_busy(False)
        if locked_by:
            self.heading.setText(self.tr("工作站已锁定"))
            self.info_label.setText(self.tr("{name} 于 {time} 锁定。输入 PIN 或密码解锁；其他操作员也可以在此登录。").format(
                name=locked_by, time=(locked_at or dt.datetime.now()).strftime("%H:%M")))
            index = self.name_combo.findText(locked_by)
            self.name_combo.setCurrentIndex(index)
            if index < 0:
                self.name_combo.setEditText(locked_by)
        else:
            self.heading.setText(self.tr("请登录"))
            self.info_label.setText(self.tr("选择或输入您的姓名，再输入 PIN（推广员）或密码（管理员）。"))
            # Whoever used the station last is most likely at it now.
            self.name_combo.setCurrentIndex(names.index(last) if last in names else (0 if names else -1))
        self._tick()
        self.focus()

    def focus(self) -> None:
        if self.name_combo.currentText().strip():
            self.secret_edit.setFocus()
        else:
            self.name_combo.setFocus()

    def _name_entered(self) -> None:
        if self.secret_edit.text():
            self.submit()
        else:
            self.secret_edit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.login_button, self.name_combo, self.secret_edit, self.forgot_button):
            w.setEnabled(not busy)

    def submit(self) -> None:
        if self.busy:
            return
        name = self.name_combo.currentText().strip()
        secret = self.secret_edit.text()
        if not name:
            self.message.show_error(StationError("operator_name_required").message())
            self.name_combo.setFocus()
            return
        if not secret:
            self.message.show_error(self.tr("请输入 PIN 或密码。"))
            self.secret_edit.setFocus()
            return
        self._set_busy(True)
        self.message.show_hint(self.tr("正在验证…"))
        ops.login(self, self.runner, self.store, name, secret).success(self._ok).failure(self._failed) \
            .waiting(lambda waiting: self.message.show_hint(waiting.message(), WARN_COLOUR)) \
            .run_in_background()

    def _ok(self, value: ops.LoginResult) -> None:
        op, self.anchor_before = value
        self._set_busy(False)
        self.secret_edit.clear()
        self.message.clear_message()
        self.logged_in.emit(op)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.show_error(error_sentence(exc))
        self.secret_edit.selectAll()
        self.secret_edit.setFocus()

    def show_error(self, text: str) -> None:
        self.message.show_error(text)


class RecoveryDialog(QDialog):
    """Forgotten organizer passphrase: the printed recovery key sets a new one."""

    recovered = Signal(object)  # OperatorSession

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.busy = False
        self.anchor_before: str | None = None
        self.setWindowTitle(self.tr("用恢复密钥重设管理员密码"))
        self.setMinimumWidth(620)
        intro = _label(self.tr("输入设置工作站时打印的 48 位恢复密钥（8 组，每组 6 位，可不输横线），再为管理员设一个新密码。\n没有恢复密钥、也没有任何管理员记得密码时，数据无法打开：加密就是为了让捡到电脑的人也打不开，本程序和技术支持都无法绕过。"))
        self.key_edit = QLineEdit()
        self.key_edit.setFont(font_of(13))
        self.key_edit.setMinimumHeight(38)
        self.key_edit.setPlaceholderText("000000-000000-000000-000000-000000-000000-000000-000000")
        self.name_combo = QComboBox()
        self.name_combo.addItems(operators.organizer_names(store))
        self.pass_edit = secret_edit(self.tr("至少 {n} 个字符").format(n=operators.ORGANIZER_SECRET_MIN))
        self.pass2_edit = secret_edit(self.tr("再输入一次"))
        self.message = FieldMessage()
        self.ok_button = QPushButton(self.tr("重设密码并登录"))
        self.ok_button.setProperty("role", "accent")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.ok_button)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        for label, w in ((self.tr("恢复密钥(&K)"), self.key_edit), (self.tr("管理员(&O)"), self.name_combo),
                         (self.tr("新密码(&P)"), self.pass_edit), (self.tr("再次输入新密码(&A)"), self.pass2_edit)):
            lay.addWidget(_label(label, w))
            lay.addWidget(w)
        lay.addWidget(self.message)
        lay.addLayout(row)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

    def submit(self) -> None:
        if self.busy:
            return
        key, secret, name = self.key_edit.text(), self.pass_edit.text(), self.name_combo.currentText() or None
        try:
            from station.security.keyslots import parse_recovery_key

            parse_recovery_key(key)  # a typo is named by group at once, before the slow KDF
            operators.check_secret(ORGANIZER, secret)
        except StationError as exc:
            self.message.show_error(exc.message())
            return
        if secret != self.pass2_edit.text():
            self.message.show_error(self.tr("两次输入的密码不一致。"))
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.message.show_hint(self.tr("正在打开数据…"))
        ops.recover(self, self.runner, self.store, key, secret, name).success(self._ok).failure(self._failed) \
            .run_in_background()

    def _ok(self, value: ops.LoginResult) -> None:
        op, self.anchor_before = value
        self.busy = False
        self.recovered.emit(op)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.message.show_error(error_sentence(exc))


class EncryptPage(QWidget):
    """A store from before encryption: its ID numbers and mobiles are encrypted now, with a progress bar."""

    done = Signal(object)  # OperatorSession
    failed = Signal(str)

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.operator: OperatorSession | None = None
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMinimumHeight(26)
        self.message = FieldMessage()
        self.page = _card(self.tr("正在加密已有数据"), _label(self.tr("本站数据来自加密功能之前的版本：身份证号和手机号现在逐条加密，旧的明文和旧备份随后删除。请勿关闭程序，百万条约需几分钟。")),
                          self.bar, self.message)
        lay = QVBoxLayout(self)
        lay.addWidget(self.page)

    def start(self, op: OperatorSession) -> None:
        self.operator = op
        self.bar.setRange(0, 0)
        self.message.clear_message()
        ops.encrypt_existing(self, self.runner, self.store, op, self._progress).success(self._done) \
            .failure(self._failed).run_in_background()

    def _progress(self, value) -> None:
        done = total = None
        if isinstance(value, tuple) and len(value) >= 2:
            done, total = value[0], value[1]
        elif isinstance(value, dict):
            done, total = value.get("done"), value.get("total")
        elif isinstance(value, (int, float)) and 0 <= value <= 1:
            done, total = int(value * 1000), 1000
        if isinstance(done, int) and isinstance(total, int) and total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def _done(self, _counts) -> None:
        op, self.operator = self.operator, None
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.done.emit(op)

    def _failed(self, exc: BaseException) -> None:
        self.operator = None
        self.failed.emit(error_sentence(exc))


class Gate(QWidget):
    """The page in front of the station: set-up, log-in, lock, and the encryption of an old store."""

    entered = Signal(object)  # OperatorSession, ready to use the station

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.setObjectName("Gate")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#Gate { background: #eceff1; }")
        self.wizard = SetupWizard(store, runner)
        self.login = LoginPage(store, runner)
        self.encrypt = EncryptPage(store, runner)
        self.recovery_dialog: RecoveryDialog | None = None
        # The keyed audit anchor read before the last log-in (audit.verify(..., anchor=)): the log-in's own
        # entry re-anchors the log as it then is, which would hide a tail cut off while nobody was logged in.
        self.anchor_before_login: str | None = None
        self.stack = QStackedWidget()
        for page in (self.wizard, self.login, self.encrypt):
            self.stack.addWidget(page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.wizard.completed.connect(self._from_wizard)
        self.login.logged_in.connect(self._from_login)
        self.login.recover_requested.connect(self.open_recovery)
        self.encrypt.done.connect(self.entered)
        self.encrypt.failed.connect(self._encrypt_failed)

    def show_start(self, *, locked_by: str | None = None, locked_at: dt.datetime | None = None) -> None:
        """The wizard on a new station, the log-in (or lock screen) otherwise."""
        if not operators.has_operators(self.store):
            self.stack.setCurrentWidget(self.wizard)
            self.wizard.start()
            return
        self.stack.setCurrentWidget(self.login)
        self.login.prepare(locked_by=locked_by, locked_at=locked_at)

    def open_recovery(self) -> RecoveryDialog:
        dialog = RecoveryDialog(self.store, self.runner, self)
        dialog.recovered.connect(lambda op: self._from_recovery(dialog, op))
        dialog.finished.connect(dialog.deleteLater)
        self.recovery_dialog = dialog
        dialog.open()
        return dialog

    def _from_wizard(self, op: OperatorSession) -> None:
        self.anchor_before_login = None  # a new log
        self._got_operator(op)

    def _from_login(self, op: OperatorSession) -> None:
        self.anchor_before_login = self.login.anchor_before
        self._got_operator(op)

    def _from_recovery(self, dialog: RecoveryDialog, op: OperatorSession) -> None:
        self.anchor_before_login = dialog.anchor_before
        self._got_operator(op)

    def _got_operator(self, op: OperatorSession) -> None:
        if protect.needs_encryption(self.store):  # a store from before encryption: an organizer converts it first
            if op.role != ORGANIZER:
                self.stack.setCurrentWidget(self.login)
                self.login.prepare()
                self.login.show_error(self.tr("本站数据还需加密一次：请管理员先登录，加密完成后推广员才能使用。"))
                return
            self.stack.setCurrentWidget(self.encrypt)
            self.encrypt.start(op)
            return
        self.entered.emit(op)

    def _encrypt_failed(self, text: str) -> None:
        self.stack.setCurrentWidget(self.login)
        self.login.prepare()
        self.login.show_error(text)
