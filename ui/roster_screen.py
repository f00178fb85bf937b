"""名册: import the union's roster (CSV/XLSX), download the template, see what the store holds."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.roster.mapping import FIELDS, REQUIRED
from station.security.operators import OperatorSession
from station.store.database import Store
from station.store.paths import resources_dir
from ui.common import RowsModel, error_sentence, fmt_int, fmt_time, make_table, show_error
from ui.import_dialog import Count, ImportFlow
from ui.operations import roster as ops
from ui.style import ERROR_COLOUR, OK_COLOUR, WARN_COLOUR, font_of
from ui.workers import TaskRunner

FILE_FILTER_EXTS = "*.xlsx *.xlsm *.xls *.csv *.txt"


def field_labels() -> dict[str, str]:
    """The canonical import fields as the mapping dialog names them."""
    return {
        "name": QCoreApplication.translate("Fields", "姓名"),
        "id_number": QCoreApplication.translate("Fields", "身份证号码"),
        "phone": QCoreApplication.translate("Fields", "手机号码"),
        "enterprise": QCoreApplication.translate("Fields", "单位名称"),
        "union": QCoreApplication.translate("Fields", "基层工会名称"),
    }


class RosterScreen(QWidget):
    """导入名册 / 下载模板 / counts / recent imports."""

    roster_changed = Signal()

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None, *,
                 operator: OperatorSession | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.operator = operator
        self.flow: ImportFlow | None = None
        self.loaded = False

        title = QLabel(self.tr("名册"))
        title.setProperty("role", "title")
        self.import_button = QPushButton(self.tr("导入名册…(&I)"))
        self.import_button.setProperty("role", "primary")
        self.template_button = QPushButton(self.tr("下载模板…(&T)"))
        self.template_button.setProperty("role", "accent")
        self.template_button.setMinimumHeight(50)
        self.check_columns = QCheckBox(self.tr("导入前核对列对应"))
        actions = QHBoxLayout()
        actions.addWidget(self.import_button)
        actions.addWidget(self.template_button)
        actions.addWidget(self.check_columns)
        actions.addStretch(1)
        hint = QLabel(self.tr("支持 Excel（.xlsx）和 CSV（含 GBK 编码）。身份证号码列请设为“文本”格式，否则 Excel 会把号码变成 4.419E+17 这样的数字，后几位无法恢复。"))
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")

        self.stats_card = QFrame()
        self.stats_card.setObjectName("Card")
        grid = QGridLayout(self.stats_card)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(30)
        self.stat_values: dict[str, QLabel] = {}
        items = [
            ("members_on_roster", self.tr("在册会员")),
            ("verified", self.tr("已实名认证")),
            ("new_applicants", self.tr("新会员申请")),
            ("enterprises", self.tr("单位")),
            ("unions", self.tr("基层工会")),
            ("signups_total", self.tr("登记总数")),
            ("signups_today", self.tr("今日登记")),
            ("imports", self.tr("导入次数")),
        ]
        for i, (key, label) in enumerate(items):
            val = QLabel("…")
            val.setFont(font_of(22, bold=True))
            cap = QLabel(label)
            cap.setProperty("role", "muted")
            self.stat_values[key] = val
            grid.addWidget(val, (i // 4) * 2, i % 4)
            grid.addWidget(cap, (i // 4) * 2 + 1, i % 4)
        self.last_import_label = QLabel("")
        self.last_import_label.setProperty("role", "muted")
        grid.addWidget(self.last_import_label, 4, 0, 1, 4)

        recent_title = QLabel(self.tr("最近导入"))
        recent_title.setFont(font_of(12, bold=True))
        self.recent_model = RowsModel([
            self.tr("完成时间"), self.tr("文件"), self.tr("读取"), self.tr("新增"), self.tr("更新"),
            self.tr("拒绝"), self.tr("重复"), self.tr("报告"),
        ], self)
        self.recent_view = make_table(self.recent_model)
        for col, width in enumerate((120, 260, 80, 80, 80, 80, 80)):
            self.recent_view.setColumnWidth(col, width)
        self.recent_view.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addWidget(title)
        lay.addLayout(actions)
        lay.addWidget(hint)
        lay.addWidget(self.stats_card)
        lay.addWidget(recent_title)
        lay.addWidget(self.recent_view, 1)

        self.recent_view.doubleClicked.connect(self._open_report)
        self.recent_view.setToolTip(self.tr("双击打开该次导入的问题行报告"))
        self.import_button.clicked.connect(self.choose_and_import)
        self.template_button.clicked.connect(self.save_template)

    def set_operator(self, op: OperatorSession | None) -> None:
        """Importing is an organizer's job: promoters see the counts only."""
        self.operator = op
        allowed = op is not None and op.can("import")
        self.import_button.setVisible(allowed)
        self.check_columns.setVisible(allowed)

    def clear_personal_data(self) -> None:
        """Counts and file names only: nothing personal to clear."""

    # -- data -------------------------------------------------------------------
    def refresh(self) -> None:
        """Counts are COUNT(*) over up to 1.4 million rows: always in a worker."""
        self.loaded = True
        ops.overview(self, self.runner, self.store, self.operator) \
            .success(self._loaded) \
            .failure(self._load_failed) \
            .run_in_background()

    def _loaded(self, value) -> None:
        st, batches = value
        for key, label in self.stat_values.items():
            label.setText(fmt_int(getattr(st, key)))
        if st.last_import_file:
            self.last_import_label.setText(self.tr("最近一次导入：{file}").format(file=st.last_import_file))
        else:
            self.last_import_label.setText(self.tr("还没有导入过名册。"))
        self.recent_model.set_rows([
            (fmt_time(b.finished_at and _local(b.finished_at)) or self.tr("未完成"), b.file_name, fmt_int(b.rows_read),
             fmt_int(b.rows_inserted), fmt_int(b.rows_updated), fmt_int(b.rows_rejected), fmt_int(b.rows_duplicate),
             b.report_path or "")
            for b in batches
        ])

    def _open_report(self, index) -> None:
        report = self.recent_model.rows()[index.row()][7]
        if report and Path(report).exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(report))

    def _load_failed(self, exc: BaseException) -> None:
        self.last_import_label.setText(error_sentence(exc))

    # -- template ---------------------------------------------------------------
    def save_template(self) -> None:
        folder = resources_dir() / "templates"
        path, _chosen = QFileDialog.getSaveFileName(
            self, self.tr("保存名册模板"), str(Path.home() / self.tr("名册模板.xlsx")),
            self.tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"),
        )
        if not path:
            return
        self.write_template(Path(path), folder)

    def write_template(self, target: Path, folder: Path | None = None) -> Path | None:
        folder = folder or resources_dir() / "templates"
        ext = target.suffix.lower() if target.suffix.lower() in (".xlsx", ".csv") else ".xlsx"
        if target.suffix.lower() != ext:
            target = target.with_suffix(ext)
        source = folder / f"roster_template{ext}"
        try:
            if not source.exists():
                raise StationError("file_not_found", path=source)
            shutil.copyfile(source, target)
        except StationError as exc:
            show_error(self, exc, self.tr("保存名册模板"))
            return None
        except OSError as exc:
            show_error(self, StationError("file_unwritable", path=target, reason=exc.strerror or exc), self.tr("保存名册模板"))
            return None
        from ui.common import inform

        inform(self, self.tr("保存名册模板"), self.tr("模板已保存到：{path}").format(path=target))
        return target

    # -- import -----------------------------------------------------------------
    def choose_and_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择名册文件"), str(Path.home()),
            self.tr("名册文件 ({exts});;所有文件 (*)").format(exts=FILE_FILTER_EXTS),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, *, always_map: bool | None = None) -> ImportFlow | None:
        op = self.operator
        if op is None or not op.can("import"):
            return None  # the button is hidden for promoters; the core refuses them too
        flow = ImportFlow(
            self, self.runner, path,
            title=self.tr("导入名册"),
            preview_fn=ops.preview_roster,
            import_fn=ops.roster_import(self.store, op),
            summarize=self.summarize,
            fields=FIELDS, labels=field_labels(), required=REQUIRED,
            always_map=self.check_columns.isChecked() if always_map is None else always_map,
        )
        self.flow = flow
        flow.finished.connect(self._import_finished)
        flow.start()
        return flow

    def summarize(self, r) -> list[Count]:
        return [
            Count(self.tr("读取"), r.rows_read),
            Count(self.tr("新增"), r.inserted, OK_COLOUR),
            Count(self.tr("更新"), r.updated),
            Count(self.tr("无变化"), getattr(r, "unchanged", 0)),
            Count(self.tr("拒绝"), r.rejected, ERROR_COLOUR if r.rejected else None),
            Count(self.tr("重复"), r.duplicates, WARN_COLOUR if r.duplicates else None),
            Count(self.tr("警告"), r.warnings, WARN_COLOUR if r.warnings else None),
        ]

    def _import_finished(self, result) -> None:
        if result is not None:
            self.roster_changed.emit()
        self.refresh()


def _local(moment):
    from station.store.clock import to_local

    return to_local(moment)
