"""Organizer screens: operators, the audit log, exports, unmasking one record, the idle-lock setting.

Each asks the logged-in ``OperatorSession`` what it may do and the core
checks again (``require``); every core call goes through ui/operations/admin.py,
and key derivations, exports and the audit verification run in workers.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.i18n import t
from station.reports.exports import MIN_PURPOSE, ExportColumn, ExportResult
from station.security import audit, operators
from station.security.operators import CHECKER, ORGANIZER, PROMOTER, OperatorSession, role_label
from station.security.settings import IDLE_LOCK_MINUTES, get_int
from station.store.clock import to_local
from station.store.database import Store
from ui.auth import secret_edit
from ui.common import AnyIndex, RowsModel, ask, error_sentence, fmt_time, make_table
from ui.operations import admin as ops
from ui.style import ERROR_COLOUR, OK_COLOUR, font_of
from ui.widgets import FieldMessage
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

AUDIT_ROWS = 1000


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    return row


# -- operators ------------------------------------------------------------------------------


class OperatorForm(QDialog):
    """Add an operator, or set a secret (someone else's as organizer, or one's own)."""

    saved = Signal()

    def __init__(self, store: Store, runner: TaskRunner, operator: OperatorSession, *, target: str | None = None,
                 target_role: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.runner, self.operator = store, runner, operator
        self.target, self.target_role = target, target_role
        self.busy = False
        adding = target is None
        self.setWindowTitle(self.tr("添加操作员") if adding else self.tr("设置 {name} 的密码").format(name=target))
        self.setMinimumWidth(480)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(operators.MAX_NAME)
        self.role_combo = QComboBox()
        self.role_combo.addItem(role_label(PROMOTER), PROMOTER)
        self.role_combo.addItem(role_label(CHECKER), CHECKER)
        self.role_combo.addItem(role_label(ORGANIZER), ORGANIZER)
        self.secret_edit = secret_edit()
        self.secret2_edit = secret_edit(self.tr("再输入一次"))
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        self.rule_label.setProperty("role", "muted")
        if adding:
            form.addRow(self.tr("姓名(&N)"), self.name_edit)
            form.addRow(self.tr("角色(&R)"), self.role_combo)
        form.addRow(self.tr("PIN / 密码(&P)"), self.secret_edit)
        form.addRow(self.tr("再次输入(&A)"), self.secret2_edit)
        self.message = FieldMessage()
        self.ok_button = QPushButton(self.tr("保存"))
        self.ok_button.setProperty("role", "accent")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.rule_label)
        lay.addWidget(self.message)
        lay.addLayout(_buttons(self.cancel_button, self.ok_button))
        self.role_combo.currentIndexChanged.connect(lambda _i: self._rules())
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self._rules()

    def role(self) -> str:
        if self.target is not None and self.target_role is not None:
            return self.target_role
        return str(self.role_combo.currentData())

    def _rules(self) -> None:
        if self.role() == CHECKER:
            self.rule_label.setText(self.tr("核验员只能核验电子会员卡（全屏，只有管理员密码能退出），用 PIN：至少 {n} 位数字，不能是 123456、111111 这类。").format(n=operators.PROMOTER_PIN_MIN))
        elif self.role() == PROMOTER:
            self.rule_label.setText(self.tr("推广员用 PIN：至少 {n} 位数字，不能是 123456、111111 这类。").format(n=operators.PROMOTER_PIN_MIN))
        else:
            self.rule_label.setText(self.tr("管理员用密码：至少 {n} 个字符，可用一句好记的话。").format(n=operators.ORGANIZER_SECRET_MIN))

    def submit(self) -> None:
        if self.busy:
            return
        role, secret = self.role(), self.secret_edit.text()
        name = self.name_edit.text().strip() if self.target is None else self.target
        try:
            if self.target is None and not name:
                raise StationError("operator_name_required")
            operators.check_secret(role, secret)
        except StationError as exc:
            self.message.show_error(exc.message())
            return
        if secret != self.secret2_edit.text():
            self.message.show_error(self.tr("两次输入不一致。"))
            return
        if self.target is None:
            op = ops.add_operator(self, self.runner, self.store, self.operator, name, role, secret)
        else:
            op = ops.change_secret(self, self.runner, self.store, self.operator, name, secret)
        self.busy = True
        self.ok_button.setEnabled(False)
        self.message.show_hint(self.tr("正在保存…"))
        op.success(self._ok).failure(self._failed).run_in_background()

    def _ok(self, _value: None) -> None:
        self.busy = False
        self.saved.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.message.show_error(error_sentence(exc))


class OperatorsDialog(QDialog):
    """Who may use this station: list, add, remove, reset a secret, change one's own."""

    def __init__(self, store: Store, runner: TaskRunner, operator: OperatorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        operator.require("operators")
        self.store, self.runner, self.operator = store, runner, operator
        self.form: OperatorForm | None = None
        self.names: list[tuple[str, str]] = []
        self.setWindowTitle(self.tr("操作员"))
        self.resize(760, 460)
        intro = QLabel(self.tr("推广员可登记、核验、抽奖，只看打码信息；管理员还可导入、导出、查看完整号码、管理操作员和查看审计日志。"))
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.model = RowsModel([self.tr("姓名"), self.tr("角色"), self.tr("上次登录"), self.tr("状态")], self)
        self.table = make_table(self.model)
        for col, width in enumerate((180, 100, 150)):
            self.table.setColumnWidth(col, width)
        self.add_button = QPushButton(self.tr("添加操作员…"))
        self.add_button.setProperty("role", "accent")
        self.reset_button = QPushButton(self.tr("重设密码…"))
        self.remove_button = QPushButton(self.tr("删除"))
        self.own_button = QPushButton(self.tr("修改我的密码…"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.message = FieldMessage()
        row = QHBoxLayout()
        for b in (self.add_button, self.reset_button, self.remove_button, self.own_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.message)
        lay.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.reset_button.clicked.connect(self.reset_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.own_button.clicked.connect(self.change_own)
        self.close_button.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection())
        self.refresh()

    def refresh(self) -> None:
        rows = []
        self.names = []
        for op in operators.active_operators(self.store):
            if op.locked_s > 0 and op.locked_until is not None:
                state = self.tr("已锁定至 {time}").format(time=fmt_time(to_local(op.locked_until)))
            elif op.failed_count:
                state = self.tr("连续输错 {n} 次").format(n=op.failed_count)
            else:
                state = self.tr("正常")
            if op.operator_id == self.operator.operator_id:
                state += self.tr("（当前登录）")
            rows.append((op.name, role_label(op.role), fmt_time(to_local(op.last_login_at)) if op.last_login_at else "",
                         state))
            self.names.append((op.name, op.role))
        self.model.set_rows(rows)
        self._selection()

    def selected(self) -> tuple[str, str] | None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.names):
            return self.names[rows[0].row()]
        return None

    def select_name(self, name: str) -> None:
        for i, (n, _r) in enumerate(self.names):
            if n == name:
                self.table.selectRow(i)

    def _selection(self) -> None:
        chosen = self.selected()
        self.reset_button.setEnabled(chosen is not None)
        self.remove_button.setEnabled(chosen is not None and chosen[0] != self.operator.name)

    def _open_form(self, form: OperatorForm) -> OperatorForm:
        form.saved.connect(self._saved)
        form.finished.connect(form.deleteLater)
        self.form = form
        form.open()
        return form

    def _saved(self) -> None:
        self.message.show_hint(self.tr("已保存。"), OK_COLOUR)
        self.refresh()

    def add(self) -> OperatorForm:
        return self._open_form(OperatorForm(self.store, self.runner, self.operator, parent=self))

    def reset_selected(self) -> OperatorForm | None:
        chosen = self.selected()
        if chosen is None:
            return None
        return self._open_form(OperatorForm(self.store, self.runner, self.operator, target=chosen[0],
                                            target_role=chosen[1], parent=self))

    def change_own(self) -> OperatorForm:
        return self._open_form(OperatorForm(self.store, self.runner, self.operator, target=self.operator.name,
                                            target_role=self.operator.role, parent=self))

    def remove_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if not ask(self, self.tr("删除操作员"),
                   self.tr("删除 {name}？此人将不能再登录本站。审计日志中的记录会保留。").format(name=chosen[0]),
                   self.tr("删除"), self.tr("取消"), warning=True):
            return
        name = chosen[0]
        ops.remove_operator(self, self.runner, self.store, self.operator, name) \
            .success(lambda _none: self._removed(name)) \
            .failure(lambda exc: self.message.show_error(error_sentence(exc))) \
            .run_now()

    def _removed(self, name: str) -> None:
        self.message.show_hint(self.tr("已删除 {name}。").format(name=name), OK_COLOUR)
        self.refresh()


# -- the audit log ---------------------------------------------------------------------------


class AuditModel(RowsModel):
    """Audit rows; the entries a verification found wrong are shown red."""

    def __init__(self, headers: Sequence[str], parent=None) -> None:
        super().__init__(headers, parent)
        self.bad_rows: set[int] = set()

    def set_bad(self, rows: set[int]) -> None:
        self.bad_rows = rows
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.row() in self.bad_rows:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor("#ffcdd2")
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#b71c1c")
        return super().data(index, role)


class AuditDialog(QDialog):
    """The newest entries of the hash-chained log, and a check of the whole chain."""

    def __init__(self, store: Store, runner: TaskRunner, operator: OperatorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        operator.require("audit_read")
        self.store, self.runner, self.operator = store, runner, operator
        self.seqs: list[int] = []
        self.problems: list[audit.Problem] = []
        self.first_bad_row: int | None = None
        self.setWindowTitle(self.tr("审计日志"))
        self.resize(1100, 600)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.model = AuditModel([self.tr("序号"), self.tr("时间"), self.tr("操作员"), self.tr("操作"), self.tr("对象"),
                                 self.tr("详情")], self)
        self.table = make_table(self.model)
        for col, width in enumerate((60, 140, 110, 130, 170)):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.result_label = QLabel(self.tr("每条记录都包含前一条的哈希：改动、删除、插入或调换任何一条都能被校验发现。"))
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.verify_button = QPushButton(self.tr("校验完整性"))
        self.verify_button.setProperty("role", "accent")
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.close_button = QPushButton(self.tr("关闭"))
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.count_label)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.result_label)
        lay.addLayout(row)
        self.verify_button.clicked.connect(self.verify)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.accept)
        self.refresh()

    def action_text(self, action: str) -> str:
        names = {
            "setup": self.tr("设置工作站"), "login": self.tr("登录"), "login_failed": self.tr("登录失败"),
            "login_refused_locked": self.tr("锁定中拒绝登录"), "login_error": self.tr("密钥槽错误"),
            "operator_add": self.tr("添加操作员"), "operator_remove": self.tr("删除操作员"),
            "secret_change": self.tr("修改密码"), "recover": self.tr("恢复密钥重设密码"),
            "recover_failed": self.tr("恢复密钥错误"), "export": self.tr("导出"), "unlock": self.tr("解锁"),
            "lock": self.tr("锁定"), "import": self.tr("导入"), "unmask": self.tr("查看完整信息"),
            "sync": self.tr("同步"), "setting": self.tr("修改设置"), "purge": self.tr("清除个人信息"),
            "delete": self.tr("删除"), "encrypt_existing": self.tr("加密已有数据"),
        }
        return names.get(action, action)

    def refresh(self) -> None:
        entries = audit.entries(self.store, limit=AUDIT_ROWS)
        total = audit.count(self.store)
        self.seqs = [e.seq for e in entries]
        rows = []
        for e in entries:
            try:
                at = fmt_time(to_local(dt.datetime.fromisoformat(e.at)))
            except ValueError:
                at = e.at
            details = json.loads(e.details or "{}")
            detail_text = "，".join(f"{k}={v}" for k, v in details.items())
            rows.append((e.seq, at, e.operator or "", self.action_text(e.action), e.target or "", detail_text))
        self.model.set_rows(rows)
        self.count_label.setText(self.tr("共 {n} 条，最新的在上面（显示最近 {k} 条）。").format(n=total, k=len(rows)))
        self._mark(self.problems)

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result_label.setStyleSheet("")
        self.result_label.setText(self.tr("正在校验…"))
        ops.verify_audit(self, self.runner, self.store, self.operator.cipher).success(self._verified) \
            .failure(self._failed).run_in_background()

    def _verified(self, problems: list[audit.Problem]) -> None:
        self.verify_button.setEnabled(True)
        self.problems = problems
        self.refresh()
        if not problems:
            self.result_label.setStyleSheet(f"color: {OK_COLOUR}; font-weight: bold;")
            self.result_label.setText(t("audit_ok", count=audit.count(self.store)))
            return
        first = problems[0]
        lines = [t("audit_failed", count=len(problems), seq=first.seq, detail=first.message())]
        lines += [p.message() for p in problems[1:6]]
        if len(problems) > 6:
            lines.append(self.tr("……另有 {n} 处").format(n=len(problems) - 6))
        lines.append(self.tr("日志被改动过：请保留这台电脑的数据，不要再修改，并报告上级工会。"))
        self.result_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.result_label.setText("\n".join(lines))

    def _mark(self, problems: list[audit.Problem]) -> None:
        bad_seqs = {p.seq for p in problems}
        bad_rows = {i for i, seq in enumerate(self.seqs) if seq in bad_seqs}
        self.model.set_bad(bad_rows)
        if problems:
            first = problems[0].seq
            # The first bad entry, or the nearest row to where entries are missing.
            row = next((i for i, seq in enumerate(self.seqs) if seq <= first), None)
            if row is not None:
                self.table.clearSelection()  # a selection would hide the red
                self.table.scrollTo(self.model.index(row, 0), QTableView.ScrollHint.PositionAtCenter)
                self.first_bad_row = row

    def _failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.result_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.result_label.setText(error_sentence(exc))


# -- exports ------------------------------------------------------------------------------------


class ExportDialog(QDialog):
    """Export rows to CSV or XLSX: a purpose (audited), masked unless an organizer unticks it."""

    exported = Signal(object)  # ExportResult

    def __init__(self, store: Store, runner: TaskRunner, operator: OperatorSession, columns: Sequence[ExportColumn],
                 rows: Sequence[Mapping[str, object]], *, default_name: str = "export",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        operator.require("export")
        self.store, self.runner, self.operator = store, runner, operator
        self.columns, self.rows, self.default_name = list(columns), list(rows), default_name
        self.busy = False
        self.setWindowTitle(self.tr("导出"))
        self.setMinimumWidth(560)
        intro = QLabel(self.tr("将导出 {n} 条记录。导出文件离开本站后无法收回：请写明用途，用途、条数和是否打码会记入审计日志。").format(n=len(self.rows)))
        intro.setWordWrap(True)
        self.purpose_edit = QLineEdit()
        self.purpose_edit.setPlaceholderText(self.tr("如：向镇总工会报送本月新会员名单"))
        self.format_combo = QComboBox()
        self.format_combo.addItem(self.tr("Excel 工作簿 (.xlsx)"), "xlsx")
        self.format_combo.addItem(self.tr("CSV 文本 (.csv)"), "csv")
        self.unmasked_check = QCheckBox(self.tr("导出完整号码（不打码，仅限确有必要时）"))
        self.unmasked_check.setVisible(operator.can("unmask"))
        form = QFormLayout()
        form.addRow(self.tr("用途(&U)"), self.purpose_edit)
        form.addRow(self.tr("格式(&F)"), self.format_combo)
        form.addRow("", self.unmasked_check)
        self.message = FieldMessage()
        self.ok_button = QPushButton(self.tr("导出…"))
        self.ok_button.setProperty("role", "accent")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addLayout(_buttons(self.cancel_button, self.ok_button))
        self.ok_button.clicked.connect(self.choose_file)
        self.cancel_button.clicked.connect(self.reject)

    def _purpose_ok(self) -> bool:
        if len(self.purpose_edit.text().strip()) < MIN_PURPOSE:
            self.message.show_error(StationError("export_purpose_required").message())
            self.purpose_edit.setFocus()
            return False
        return True

    def choose_file(self) -> None:
        if self.busy or not self._purpose_ok():
            return
        fmt = self.format_combo.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出到"), str(Path.home() / f"{self.default_name}.{fmt}"),
            self.tr("Excel 工作簿 (*.xlsx)") if fmt == "xlsx" else self.tr("CSV 文件 (*.csv)"))
        if path:
            if not path.lower().endswith("." + fmt):
                path += "." + fmt
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        if self.busy or not self._purpose_ok():
            return
        purpose, unmasked = self.purpose_edit.text().strip(), self.unmasked_check.isChecked()
        self.busy = True
        self.ok_button.setEnabled(False)
        self.message.show_hint(self.tr("正在导出…"))
        ops.export(self, self.runner, self.store, self.operator, path, self.columns, self.rows, purpose=purpose,
                   unmasked=unmasked).success(self._done).failure(self._failed).run_in_background()

    def _done(self, result: ExportResult) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.message.show_hint(self.tr("已导出 {n} 条到 {name}（{masked}），已记入审计日志。").format(
            n=result.rows, name=result.path.name, masked=self.tr("已打码") if result.masked else self.tr("完整号码")),
            OK_COLOUR)
        self.cancel_button.setText(self.tr("关闭"))
        self.exported.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.message.show_error(error_sentence(exc))


# -- unmasking one record ------------------------------------------------------------------------


class UnmaskDialog(QDialog):
    """显示完整: an organizer states why, the core audits it, then the clear values show here only."""

    unmasked = Signal()

    def __init__(self, store: Store, runner: TaskRunner, operator: OperatorSession, *, kind: str, target: str | int,
                 masked_text: str, clear_lines: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        operator.require("unmask")
        self.store, self.runner, self.operator = store, runner, operator
        self.kind, self.target = kind, target
        self._clear = list(clear_lines)
        self.busy = False
        self.setWindowTitle(self.tr("显示完整信息"))
        self.setMinimumWidth(520)
        who = QLabel(masked_text)
        who.setFont(font_of(13, bold=True))
        intro = QLabel(self.tr("查看完整的身份证号和手机号会记入审计日志（谁、何时、为什么）。请写明原因。"))
        intro.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("如：会员来电核对身份"))
        self.values_label = QLabel("")
        self.values_label.setFont(font_of(14))
        self.values_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message = FieldMessage()
        self.ok_button = QPushButton(self.tr("显示完整"))
        self.ok_button.setProperty("role", "accent")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("关闭"))
        form = QFormLayout()
        form.addRow(self.tr("原因(&R)"), self.reason_edit)
        lay = QVBoxLayout(self)
        lay.addWidget(who)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.values_label)
        lay.addWidget(self.message)
        lay.addLayout(_buttons(self.cancel_button, self.ok_button))
        self.ok_button.clicked.connect(self.submit)
        self.reason_edit.returnPressed.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.finished.connect(lambda _r: self.values_label.clear())

    def submit(self) -> None:
        if self.busy:
            return
        reason = self.reason_edit.text().strip()
        if len(reason) < 2:
            self.message.show_error(self.tr("请写明查看原因。"))
            self.reason_edit.setFocus()
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        ops.unmask(self, self.runner, self.store, self.operator, kind=self.kind, target=self.target, reason=reason) \
            .success(self._shown).failure(self._failed).run_in_background()

    def _shown(self, _value: None) -> None:
        self.busy = False
        self.message.show_hint(self.tr("已记入审计日志。关闭本窗口后不再显示。"), OK_COLOUR)
        self.values_label.setText("\n".join(self.tr("{label}：{value}").format(label=label, value=value or "—")
                                            for label, value in self._clear))
        self.reason_edit.setEnabled(False)
        self.adjustSize()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.message.show_error(error_sentence(exc))


# -- settings -----------------------------------------------------------------------------------------


class IdleLockDialog(QDialog):
    """自动锁定: how many idle minutes lock the station (organizers)."""

    saved = Signal(int)

    def __init__(self, store: Store, runner: TaskRunner, operator: OperatorSession,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        operator.require("settings")
        self.store, self.runner, self.operator = store, runner, operator
        self.setWindowTitle(self.tr("自动锁定"))
        self.spin = QSpinBox()
        self.spin.setRange(IDLE_LOCK_MINUTES.min, IDLE_LOCK_MINUTES.max)
        self.spin.setValue(get_int(store, IDLE_LOCK_MINUTES))
        self.spin.setSuffix(self.tr(" 分钟"))
        intro = QLabel(self.tr("无人操作多久后自动锁定工作站（随时可按 Ctrl+L 立即锁定）。"))
        intro.setWordWrap(True)
        self.message = FieldMessage()
        self.ok_button = QPushButton(self.tr("保存"))
        self.ok_button.setProperty("role", "accent")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        form = QFormLayout()
        form.addRow(self.tr("空闲锁定(&M)"), self.spin)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addLayout(_buttons(self.cancel_button, self.ok_button))
        self.ok_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

    def save(self) -> None:
        ops.save_setting(self, self.runner, self.store, self.operator, IDLE_LOCK_MINUTES, self.spin.value()) \
            .success(self._saved) \
            .failure(lambda exc: self.message.show_error(error_sentence(exc))) \
            .run_now()

    def _saved(self, _old: int) -> None:  # set_int returns the value the setting had
        self.saved.emit(self.spin.value())
        self.accept()
