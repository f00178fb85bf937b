"""查询: find a person by name, pinyin initials, phone tail or ID tail (station.roster.search)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station.roster.search import Hit
from station.security.masking import mask_id, mask_name, mask_phone
from station.security.operators import OperatorSession
from station.store.database import Store
from ui.admin_dialogs import UnmaskDialog
from ui.common import RowsModel, error_sentence, fmt_time, make_table
from ui.operations import search as ops
from ui.style import font_of
from ui.workers import TaskRunner

DEBOUNCE_MS = 250
LIMIT = 50


class SearchScreen(QWidget):
    """One box; results as you type (debounced, in a worker), masked."""

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None, *,
                 operator: OperatorSession | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.operator = operator
        self.unmask_dialog: UnmaskDialog | None = None
        self._seq = 0
        self.hits: list[Hit] = []

        title = QLabel(self.tr("查询会员与登记"))
        title.setProperty("role", "title")
        self.query_edit = QLineEdit()
        self.query_edit.setFont(font_of(15))
        self.query_edit.setMinimumHeight(42)
        self.query_edit.setPlaceholderText(self.tr("姓名、拼音首字母、手机尾号或身份证尾号"))
        self.query_edit.setClearButtonEnabled(True)
        self.status_label = QLabel(self.tr("输入后自动查询；身份证号码、手机号码可输入完整号码或后四位。"))
        self.status_label.setProperty("role", "muted")
        self.model = RowsModel([
            self.tr("姓名"), self.tr("身份证号码"), self.tr("手机号码"), self.tr("单位"),
            self.tr("在册"), self.tr("已登记（时间 · 活动 · 工作站）"),
        ], self)
        self.table = make_table(self.model)
        header = self.table.horizontalHeader()
        for col, width in enumerate((80, 170, 112, 230, 96)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addWidget(title)
        lay.addWidget(self.query_edit)
        self.unmask_button = QPushButton(self.tr("显示完整…(&U)"))
        self.unmask_button.setToolTip(self.tr("查看所选会员的完整身份证号和手机号（需写明原因，记入审计日志）"))
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.unmask_button)
        lay.addLayout(status_row)
        lay.addWidget(self.table, 1)
        self.unmask_button.clicked.connect(self.unmask_selected)
        self.set_operator(operator)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.query_edit.textChanged.connect(lambda _t: self.timer.start())
        self.query_edit.returnPressed.connect(self.run_search)

    def set_operator(self, op: OperatorSession | None) -> None:
        self.operator = op
        self.unmask_button.setVisible(op is not None and op.can("unmask"))

    def clear_personal_data(self) -> None:
        self.timer.stop()
        self._seq += 1
        self.hits = []
        self.model.set_rows([])
        self.query_edit.blockSignals(True)
        self.query_edit.clear()
        self.query_edit.blockSignals(False)
        self.status_label.setText(self.tr("输入后自动查询；身份证号码、手机号码可输入完整号码或后四位。"))
        if self.unmask_dialog is not None and shiboken6.isValid(self.unmask_dialog):
            self.unmask_dialog.reject()

    def unmask_selected(self) -> UnmaskDialog | None:
        if self.operator is None or not self.operator.can("unmask"):
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.hits):
            self.status_label.setText(self.tr("请先在结果中选中一人。"))
            return None
        h = self.hits[rows[0].row()]
        dialog = UnmaskDialog(
            self.store, self.runner, self.operator, kind="member", target=h.member_id,
            masked_text=f"{mask_name(h.name)}　{mask_id(h.id_number)}　{mask_phone(h.phone)}",
            clear_lines=[(self.tr("姓名"), h.name), (self.tr("身份证号码"), h.id_number), (self.tr("手机号码"), h.phone or "")],
            parent=self)
        dialog.setObjectName("unmask")
        dialog.finished.connect(dialog.deleteLater)
        self.unmask_dialog = dialog
        dialog.open()
        return dialog

    def focus_query(self) -> None:
        self.query_edit.setFocus()
        self.query_edit.selectAll()

    def run_search(self) -> None:
        self.timer.stop()
        query = self.query_edit.text().strip()
        self._seq += 1
        seq = self._seq
        if not query:
            self.hits = []
            self.model.set_rows([])
            self.status_label.setText(self.tr("输入后自动查询；身份证号码、手机号码可输入完整号码或后四位。"))
            return
        store, op = self.store, self.operator
        if op is None:
            return
        self.status_label.setText(self.tr("正在查询…"))
        ops.search(self, self.runner, store, query, op, limit=LIMIT) \
            .success(lambda hits: self._show(seq, hits)) \
            .failure(lambda exc: self._failed(seq, exc)) \
            .run_in_background()

    def _show(self, seq: int, hits: list[Hit]) -> None:
        if seq != self._seq:
            return  # an older query answered late: the newer one wins
        self.hits = hits
        rows = []
        for h in hits:
            signed = ""
            if h.signed_up_at is not None:
                signed = " · ".join(x for x in (fmt_time(h.signed_up_at), h.signed_up_event or "", h.signed_up_station or "") if x)
            rows.append((
                mask_name(h.name), mask_id(h.id_number), mask_phone(h.phone), h.enterprise or "",
                self.tr("在册") if h.on_roster else self.tr("新会员申请"), signed or self.tr("未登记"),
            ))
        self.model.set_rows(rows)
        if not hits:
            self.status_label.setText(self.tr("没有找到。"))
        elif len(hits) >= LIMIT:
            self.status_label.setText(self.tr("显示前 {n} 条，请输入更多内容缩小范围。").format(n=LIMIT))
        else:
            self.status_label.setText(self.tr("找到 {n} 人。").format(n=len(hits)))

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            self.status_label.setText(error_sentence(exc))
