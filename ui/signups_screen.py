"""登记记录: the sign-ups (masked), today / this event / all, and the paper fallback import."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from station import booth, signup
from station.i18n import t
from station.masking import mask_id, mask_name, mask_phone
from station.store import Store
from ui.common import RowsModel, error_sentence, fmt_int, fmt_time, make_table, show_error
from ui.import_dialog import Count, ImportFlow, PaperConsentDialog
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

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.flow: ImportFlow | None = None
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
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(20)
        top.addWidget(filter_label)
        top.addWidget(self.filter_combo)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
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

    def refresh(self) -> None:
        self.loaded = True
        store = self.store
        scope = self.filter_combo.currentData()
        self._seq += 1
        seq = self._seq
        self.count_label.setText(self.tr("正在读取…"))

        def load():
            if scope == "today":
                return signup.list_signups(store, day=dt.date.today(), limit=LIST_LIMIT)
            if scope == "event":
                info = booth.current_session(store)
                return signup.list_signups(store, event_id=info.event_id, limit=LIST_LIMIT) if info else None
            return signup.list_signups(store, limit=LIST_LIMIT)

        self.runner.run(load, on_result=lambda rows, seq=seq: self._loaded(seq, rows),
                        on_error=lambda exc: self.count_label.setText(error_sentence(exc)), owner=self, name="signups")

    def _loaded(self, seq: int, rows) -> None:
        if seq != self._seq:
            return
        if rows is None:
            self.model.set_rows([])
            self.count_label.setText(self.tr("尚未开启场次。"))
            return
        source = {"booth": self.tr("现场"), "paper": self.tr("纸质")}
        self.model.set_rows([
            (fmt_time(r.at), mask_name(r.name), mask_phone(r.phone), mask_id(r.id_number), r.enterprise or "",
             t(f"outcome_{r.outcome}"), source.get(r.source, r.source), r.event_name, r.station_name)
            for r in rows
        ])
        text = self.tr("共 {n} 条").format(n=fmt_int(len(rows)))
        if len(rows) >= LIST_LIMIT:
            text = self.tr("显示最新 {n} 条").format(n=fmt_int(LIST_LIMIT))
        self.count_label.setText(text)

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
            from station import paper_import
        except ImportError:
            log.exception("paper import engine missing")
            show_error(self, RuntimeError("station.paper_import missing"), self.tr("导入纸质登记表"))
            return None
        try:
            from station import roster_import
            default_preview = roster_import.preview_file
        except ImportError:
            default_preview = None
        preview = getattr(paper_import, "preview_file", None) or default_preview
        store = self.store

        def do_import(p: Path, mapping, progress, cancelled):
            return paper_import.import_paper(store, p, mapping=mapping, consent_confirmed=confirmed,
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
