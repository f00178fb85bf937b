"""登记记录: the sign-ups (masked), today / this event / all, and the paper fallback import."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.i18n import t
from station.reports.exports import ExportColumn
from station.security.masking import mask_id, mask_name, mask_phone
from station.security.operators import OperatorSession
from station.signup import booth
from station.signup import service as signup
from station.signup.service import SignupRow
from station.store.database import Store
from ui.admin_dialogs import ExportDialog, UnmaskDialog
from ui.common import RowsModel, error_sentence, fmt_int, fmt_time, make_table, show_error
from ui.import_dialog import Count, ImportFlow, PaperConsentDialog
from ui.operations import signups as ops
from ui.roster_screen import FILE_FILTER_EXTS, field_labels
from ui.style import ERROR_COLOUR, INFO_COLOUR, OK_COLOUR, WARN_COLOUR
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

LIST_LIMIT = 5000
PAPER_FIELDS = ("name", "phone", "id_number", "enterprise", "union")
PAPER_REQUIRED = ("name", "phone", "id_number")


class SignupsScreen(QWidget):
    """A table of sign-ups with a filter; 导入纸质登记表 for sheets filled in by hand."""

    signups_changed = Signal()

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None, *,
                 operator: OperatorSession | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.operator = operator
        self.rows: list[SignupRow] = []
        self.flow: ImportFlow | None = None
        self.export_dialog: ExportDialog | None = None
        self.unmask_dialog: UnmaskDialog | None = None
        self.loaded = False
        self._seq = 0

        title = QLabel(self.tr("登记记录"))
        title.setProperty("role", "title")
        self.filter_combo = QComboBox()
        self.filter_combo.addItem(self.tr("今天"), "today")
        self.filter_combo.addItem(self.tr("本场活动"), "event")
        self.filter_combo.addItem(self.tr("全部"), "all")
        filter_label = QLabel(self.tr("范围(&R)"))
        filter_label.setBuddy(self.filter_combo)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.paper_button = QPushButton(self.tr("导入纸质登记表…(&P)"))
        self.unmask_button = QPushButton(self.tr("显示完整…(&U)"))
        self.unmask_button.setToolTip(self.tr("查看所选登记的完整身份证号和手机号（需写明原因，记入审计日志）"))
        self.export_button = QPushButton(self.tr("导出…(&E)"))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(20)
        top.addWidget(filter_label)
        top.addWidget(self.filter_combo)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.unmask_button)
        top.addWidget(self.export_button)
        top.addWidget(self.paper_button)

        self.count_label = QLabel("")
        self.count_label.setProperty("role", "muted")
        self.model = RowsModel([
            self.tr("时间"), self.tr("姓名"), self.tr("手机号码"), self.tr("身份证号码"), self.tr("单位"),
            self.tr("结果"), self.tr("来源"), self.tr("活动"), self.tr("工作站"),
        ], self)
        self.table = make_table(self.model)
        for col, width in enumerate((96, 70, 112, 168, 200, 100, 50, 200)):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addLayout(top)
        lay.addWidget(self.count_label)
        lay.addWidget(self.table, 1)

        self.filter_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.paper_button.clicked.connect(self.choose_paper_file)
        self.export_button.clicked.connect(self.open_export)
        self.unmask_button.clicked.connect(self.unmask_selected)
        self.set_operator(operator)

    def set_operator(self, op: OperatorSession | None) -> None:
        """Paper import, export and 显示完整 are organizers' (the core checks again)."""
        self.operator = op
        self.paper_button.setVisible(op is not None and op.can("import"))
        self.export_button.setVisible(op is not None and op.can("export"))
        self.unmask_button.setVisible(op is not None and op.can("unmask"))

    def clear_personal_data(self) -> None:
        self._seq += 1
        self.rows = []
        self.model.set_rows([])
        self.count_label.setText("")
        self.loaded = False
        for dialog in (self.export_dialog, self.unmask_dialog):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.reject()

    def refresh(self) -> None:
        self.loaded = True
        store, op = self.store, self.operator
        if op is None:
            return
        scope = self.filter_combo.currentData()
        self._seq += 1
        seq = self._seq
        self.count_label.setText(self.tr("正在读取…"))
        ops.list_signups(self, self.runner, store, op, scope, limit=LIST_LIMIT) \
            .success(lambda rows: self._loaded(seq, rows)) \
            .failure(lambda exc: self.count_label.setText(error_sentence(exc))) \
            .run_in_background()

    def _loaded(self, seq: int, rows: list[SignupRow] | None) -> None:
        if seq != self._seq:
            return
        self.rows = list(rows or [])
        if rows is None:
            self.model.set_rows([])
            self.count_label.setText(self.tr("尚未开启场次。"))
            return
        source = {"booth": self.tr("现场"), "paper": self.tr("纸质")}
        self.model.set_rows([
            (fmt_time(r.at), mask_name(r.name), mask_phone(r.phone), mask_id(r.id_number), r.enterprise or "",
             signup.outcome_text(r.outcome), source.get(r.source, r.source), r.event_name, r.station_name)
            for r in rows
        ])
        text = self.tr("共 {n} 条").format(n=fmt_int(len(rows)))
        if len(rows) >= LIST_LIMIT:
            text = self.tr("显示最新 {n} 条").format(n=fmt_int(LIST_LIMIT))
        self.count_label.setText(text)

    # -- export and unmask (organizers) -------------------------------------------
    def export_columns(self) -> list[ExportColumn]:
        return [
            ExportColumn("at", self.tr("时间")), ExportColumn("name", self.tr("姓名"), "name"),
            ExportColumn("phone", self.tr("手机号码"), "phone"),
            ExportColumn("id_number", self.tr("身份证号码"), "id_number"),
            ExportColumn("enterprise", self.tr("单位")), ExportColumn("union", self.tr("基层工会")),
            ExportColumn("outcome", self.tr("结果")), ExportColumn("source", self.tr("来源")),
            ExportColumn("event", self.tr("活动")), ExportColumn("station", self.tr("工作站")),
        ]

    def export_rows(self) -> list[dict]:
        source = {"booth": self.tr("现场"), "paper": self.tr("纸质")}
        return [
            {"at": r.at.strftime("%Y-%m-%d %H:%M:%S"), "name": r.name, "phone": r.phone, "id_number": r.id_number,
             "enterprise": r.enterprise or "", "union": r.union or "", "outcome": signup.outcome_text(r.outcome),
             "source": source.get(r.source, r.source), "event": r.event_name, "station": r.station_name}
            for r in self.rows
        ]

    def open_export(self) -> ExportDialog | None:
        if self.operator is None or not self.operator.can("export"):
            return None
        dialog = ExportDialog(self.store, self.runner, self.operator, self.export_columns(), self.export_rows(),
                              default_name=self.tr("登记记录") + dt.date.today().strftime("-%Y%m%d"), parent=self)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def selected_row(self) -> SignupRow | None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.rows):
            return self.rows[rows[0].row()]
        return None

    def unmask_selected(self) -> UnmaskDialog | None:
        row = self.selected_row()
        if self.operator is None or not self.operator.can("unmask"):
            return None
        if row is None:
            self.count_label.setText(self.tr("请先在表中选中一条登记。"))
            return None
        dialog = UnmaskDialog(
            self.store, self.runner, self.operator, kind="registration", target=row.uuid,
            masked_text=f"{mask_name(row.name)}　{mask_id(row.id_number)}　{mask_phone(row.phone)}",
            clear_lines=[(self.tr("姓名"), row.name), (self.tr("身份证号码"), row.id_number or ""),
                         (self.tr("手机号码"), row.phone or "")],
            parent=self)
        dialog.setObjectName("unmask")
        dialog.finished.connect(dialog.deleteLater)
        self.unmask_dialog = dialog
        dialog.open()
        return dialog

    # -- paper fallback -----------------------------------------------------------
    def choose_paper_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择纸质登记表（录入后的 Excel/CSV）"), str(Path.home()),
            self.tr("登记表文件 ({exts});;所有文件 (*)").format(exts=FILE_FILTER_EXTS),
        )
        if path:
            self.import_paper(Path(path))

    def import_paper(self, path: Path) -> PaperConsentDialog | None:
        """Ask for the signed-consent confirmation, then run the paper import flow."""
        info = booth.current_session(self.store)
        if info is None:
            from station.errors import StationError

            show_error(self, StationError("no_session"), self.tr("导入纸质登记表"))
            return None
        session_text = self.tr("将登记到当前场次：{event} · {venue} · 推广员 {promoter}").format(
            event=info.event_name, venue=info.venue, promoter=info.promoter)
        dialog = PaperConsentDialog(path.name, session_text, self)
        dialog.accepted.connect(lambda: self._run_paper(path, dialog.confirm_check.isChecked()))
        dialog.finished.connect(dialog.deleteLater)
        self.paper_dialog = dialog
        dialog.open()
        return dialog

    def _run_paper(self, path: Path, confirmed: bool) -> ImportFlow | None:
        try:
            from station.signup import paper_import
        except ImportError:
            log.exception("paper import engine missing")
            show_error(self, RuntimeError("station.signup.paper_import missing"), self.tr("导入纸质登记表"))
            return None
        try:
            from station.roster import detection as roster_import
            default_preview = roster_import.preview_file
        except ImportError:
            default_preview = None
        preview = getattr(paper_import, "preview_file", None) or default_preview
        store, op = self.store, self.operator
        if op is None:
            return None

        def do_import(p: Path, mapping, progress, cancelled):
            return paper_import.import_paper(store, p, operator=op, mapping=mapping, consent_confirmed=confirmed,
                                             progress=progress, cancel=cancelled)

        flow = ImportFlow(
            self, self.runner, path,
            title=self.tr("导入纸质登记表"),
            preview_fn=preview,
            import_fn=do_import,
            summarize=self.summarize_paper,
            fields=tuple(getattr(paper_import, "FIELDS", PAPER_FIELDS)),
            labels=field_labels(),
            required=tuple(getattr(paper_import, "REQUIRED", PAPER_REQUIRED)),
        )
        self.flow = flow
        flow.finished.connect(self._paper_finished)
        flow.start()
        return flow

    def summarize_paper(self, r) -> list[Count]:
        return [
            Count(self.tr("读取"), r.rows_read),
            Count(t("outcome_roster"), r.roster, OK_COLOUR),
            Count(t("outcome_new"), r.new, INFO_COLOUR),
            Count(t("outcome_already"), r.already, WARN_COLOUR if r.already else None),
            Count(self.tr("拒绝"), r.rejected, ERROR_COLOUR if r.rejected else None),
        ]

    def _paper_finished(self, result) -> None:
        if result is not None:
            self.signups_changed.emit()
        self.refresh()
