"""今日: the organizer's dashboard of the day, the enterprise table and 下一步去哪儿.

Every figure comes from station.reports.day.collect and station.reports.planner (one
load in a worker, ui/operations/reports.py: the enterprise table is an aggregate over every member,
about 0.7 s on 1,000,000).  The charts are station.reports.charts, the same painter
the PDF day report uses.  The screen reloads when it is shown, when the main
window says data changed, and every minute while it is in view.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.reports import charts, planner
from station.reports import day as day_report
from station.reports.day import DayReport
from station.reports.planner import Overview
from station.store.clock import local_today
from station.store.database import Store
from ui.common import AnyIndex, error_sentence, fmt_int
from ui.operations import reports as ops
from ui.style import OK_COLOUR, font_of
from ui.widgets import FieldMessage, FigureTile
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

REFRESH_MS = 60_000
PLAN_TOP = 50
DASH = "—"


class ChartView(QWidget):
    """A station.reports.charts chart in a widget: painted by the same code as the PDF's."""

    def __init__(self, parent: QWidget | None = None, min_height: int = 180) -> None:
        super().__init__(parent)
        self.chart: charts.BarChart | charts.CapacityChart | None = None
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_chart(self, chart) -> None:
        self.chart = chart
        self.update()

    def paintEvent(self, _event) -> None:
        if self.chart is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().toRectF().adjusted(6, 6, -6, -6)
        if isinstance(self.chart, charts.CapacityChart):
            charts.paint_capacity(p, rect, self.chart, font_pt=9.5)
        else:
            charts.paint_bars(p, rect, self.chart, font_pt=9)
        p.end()


class SortableModel(QAbstractTableModel):
    """Rows of (shown text, sort key, tooltip) cells: the proxy sorts by the key (numbers as numbers)."""

    SORT_ROLE = Qt.ItemDataRole.UserRole

    def __init__(self, headers: Sequence[str], numeric: Sequence[bool], parent=None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._numeric = list(numeric)
        self._rows: list[Sequence[tuple[str, Any, str | None]]] = []

    def set_rows(self, rows: Sequence[Sequence[tuple[str, Any, str | None]]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        text, key, tip = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == self.SORT_ROLE:
            return key
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and self._numeric[index.column()]:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None


def _view(model, parent=None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(28)
    view.horizontalHeader().setHighlightSections(False)
    view.setWordWrap(False)
    return view


def _fit_headers(view: QTableView, columns: Sequence[int], minimum: int = 64) -> None:
    """Numeric columns as wide as their header needs (English headers are longer) and no narrower than ``minimum``."""
    header = view.horizontalHeader()
    metrics = header.fontMetrics()
    model = view.model()
    for col in columns:
        text = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        view.setColumnWidth(col, max(minimum, metrics.horizontalAdvance(text) + 28))


def _pct(rate: float | None) -> str:
    return DASH if rate is None else f"{rate:.1%}"


def _signed(n: int) -> str:
    return f"{n:+,}" if n else "0"


class TodayScreen(QWidget):
    """Today's figures and charts; the enterprise table with change since last week; where to go next."""

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.report: DayReport | None = None
        self.overview: Overview | None = None
        self.plan: list[planner.EnterpriseRow] = []
        self.loaded = False
        self._loading = False
        self._stale = False
        self._busy = False

        title = QLabel(self.tr("今日"))
        title.setProperty("role", "title")
        self.date_label = QLabel()
        self.date_label.setFont(font_of(13, bold=True))
        self.updated_label = QLabel()
        self.updated_label.setProperty("role", "muted")
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.pdf_button = QPushButton(self.tr("保存 PDF 日报…"))
        self.pdf_button.setProperty("role", "accent")
        self.pdf_button.clicked.connect(self.choose_and_save_pdf)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.date_label)
        top.addSpacing(12)
        top.addWidget(self.updated_label)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.pdf_button)
        self.message = FieldMessage()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_day_tab(), self.tr("今日概况"))
        self.tabs.addTab(self._build_enterprise_tab(), self.tr("单位与下一步去哪儿"))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 14, 24, 10)
        outer.setSpacing(6)
        outer.addLayout(top)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.message)

        f5 = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        f5.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        f5.activated.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    # -- building -------------------------------------------------------------------
    def _build_day_tab(self) -> QWidget:
        page = QWidget()
        self.tile_signups = FigureTile(self.tr("今日登记"))
        self.tile_roster = FigureTile(self.tr("在册会员"))
        self.tile_new = FigureTile(self.tr("新会员申请"))
        self.tile_rate = FigureTile(self.tr("名册匹配率"))
        self.tile_admitted = FigureTile(self.tr("观影 / 核验入场"))
        self.tile_unsynced = FigureTile(self.tr("未同步记录"))
        self.tile_rate.setToolTip(self.tr("在册会员占今日登记的比例"))
        self.tile_unsynced.setToolTip(self.tr(
            "今日的登记、核验和中奖记录中还没有被平台收下的：在“同步”页面（Ctrl+9）同步。"))
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        for tile in (self.tile_signups, self.tile_roster, self.tile_new, self.tile_rate, self.tile_admitted,
                     self.tile_unsynced):
            tiles.addWidget(tile, 1)

        self.hour_chart = ChartView(min_height=170)
        self.capacity_chart = ChartView(min_height=60)
        self.day_ent_model = SortableModel([self.tr("单位"), self.tr("登记"), self.tr("在册"), self.tr("新会员")],
                                           [False, True, True, True], self)
        day_proxy = QSortFilterProxyModel(self)
        day_proxy.setSourceModel(self.day_ent_model)
        day_proxy.setSortRole(SortableModel.SORT_ROLE)
        self.day_ent_view = _view(day_proxy)
        self.day_ent_view.setSortingEnabled(True)
        self.day_ent_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.day_ent_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        _fit_headers(self.day_ent_view, (1, 2, 3))

        hours_title = QLabel(self.tr("按小时登记（绿：在册会员，蓝：新会员申请）"))
        hours_title.setFont(font_of(11, bold=True))
        ents_title = QLabel(self.tr("今日按单位"))
        ents_title.setFont(font_of(11, bold=True))
        cap_title = QLabel(self.tr("观影 / 核验：入场与容量"))
        cap_title.setFont(font_of(11, bold=True))

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        grid.addWidget(hours_title, 0, 0)
        grid.addWidget(self.hour_chart, 1, 0)
        grid.addWidget(ents_title, 0, 1)
        grid.addWidget(self.day_ent_view, 1, 1, 3, 1)
        grid.addWidget(cap_title, 2, 0)
        grid.addWidget(self.capacity_chart, 3, 0)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 1)

        lay = QVBoxLayout(page)
        lay.setContentsMargins(8, 10, 8, 6)
        lay.addLayout(tiles)
        self.unsynced_note = QLabel(self.tr(
            "未同步：今日的记录（登记、核验、中奖）在平台收下之前只在本工作站上；管理员在“同步”页面（Ctrl+9）同步。"))
        self.unsynced_note.setProperty("role", "muted")
        self.unsynced_note.setWordWrap(True)
        lay.addWidget(self.unsynced_note)
        lay.addLayout(grid, 1)
        return page

    def _build_enterprise_tab(self) -> QWidget:
        page = QWidget()
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("按单位或工会名称筛选"))
        self.filter_edit.setClearButtonEnabled(True)
        self.week_note = QLabel()
        self.week_note.setProperty("role", "muted")
        self.week_note.setWordWrap(True)

        self.ent_model = SortableModel(
            [self.tr("单位"), self.tr("工会"), self.tr("在册"), self.tr("本站已登记"), self.tr("已认证"),
             self.tr("认证率"), self.tr("一周登记变化"), self.tr("一周认证率变化")],
            [False, False, True, True, True, True, True, True], self)
        self.ent_proxy = QSortFilterProxyModel(self)
        self.ent_proxy.setSourceModel(self.ent_model)
        self.ent_proxy.setSortRole(SortableModel.SORT_ROLE)
        self.ent_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.ent_proxy.setFilterKeyColumn(-1)
        self.filter_edit.textChanged.connect(self.ent_proxy.setFilterFixedString)
        self.ent_view = _view(self.ent_proxy)
        self.ent_view.setSortingEnabled(True)
        self.ent_view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        header = self.ent_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.ent_view.setColumnWidth(1, 170)
        _fit_headers(self.ent_view, range(2, 8), 80)

        self.plan_model = SortableModel([self.tr("序"), self.tr("单位"), self.tr("工会"), self.tr("可争取人数"),
                                         self.tr("在册"), self.tr("本站已登记"), self.tr("认证率")],
                                        [True, False, False, True, True, True, True], self)
        self.plan_view = _view(self.plan_model)  # ranked: not re-sortable
        self.plan_view.setColumnWidth(0, 44)
        self.plan_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.plan_view.setColumnWidth(2, 170)
        _fit_headers(self.plan_view, (3, 4, 5, 6), 80)
        self.export_button = QPushButton(self.tr("导出下一步去哪儿 (XLSX)…"))
        self.export_button.clicked.connect(self.choose_and_export_plan)
        plan_title = QLabel(self.tr("下一步去哪儿"))
        plan_title.setFont(font_of(12, bold=True))
        plan_rule = QLabel(self.tr(
            "每个工会在册前 10 的单位及在册超过 200 人的单位，按可争取的人数（在册、未认证、未在本站登记）排序。"))
        plan_rule.setProperty("role", "muted")
        plan_rule.setWordWrap(True)

        upper = QWidget()
        up = QVBoxLayout(upper)
        up.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("筛选")))
        row.addWidget(self.filter_edit, 1)
        up.addLayout(row)
        up.addWidget(self.week_note)
        up.addWidget(self.ent_view, 1)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 6, 0, 0)
        head = QHBoxLayout()
        head.addWidget(plan_title)
        head.addStretch(1)
        head.addWidget(self.export_button)
        low.addLayout(head)
        low.addWidget(plan_rule)
        low.addWidget(self.plan_view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addWidget(split)
        return page

    # -- loading ------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale or not self.loaded:
            self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()

    def data_changed(self) -> None:
        """Something was written: reload now if in view, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self._loading:
            self._stale = True  # reload once the running load reports
            return
        self._loading = True
        self._stale = False
        ops.today(self, self.runner, self.store, local_today(), PLAN_TOP).success(self._show).failure(self._failed) \
            .run_in_background()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self._busy_buttons(False)
        self.message.show_error(error_sentence(exc))

    def _show(self, rep: DayReport) -> None:
        self._loading = False
        self.loaded = True
        self.report, self.overview = rep, rep.overview
        self.plan = rep.next_visits
        self.date_label.setText(rep.date.isoformat())
        self.updated_label.setText(self.tr("更新于 {time}").format(time=dt.datetime.now().strftime("%H:%M:%S")))
        self.tile_signups.set(fmt_int(rep.signups))
        self.tile_roster.set(fmt_int(rep.roster))
        self.tile_new.set(fmt_int(rep.new))
        self.tile_rate.set(_pct(rep.roster_rate))
        capacity = sum(a.capacity or 0 for a in rep.admissions)
        self.tile_admitted.set(fmt_int(rep.admitted), self.tr("容量 {n}").format(n=fmt_int(capacity)) if capacity else "")
        self.tile_unsynced.set(fmt_int(rep.unsynced))
        self.unsynced_note.setText(rep.unsynced_note())  # with when the station last synced
        self.hour_chart.set_chart(day_report.hour_chart(rep))
        cap = day_report.capacity_chart(rep)
        self.capacity_chart.set_chart(cap)
        self.capacity_chart.setMinimumHeight(max(60, 34 * len(cap.rows)))
        self.day_ent_model.set_rows([[(name, name, None), (fmt_int(r + n), r + n, None), (fmt_int(r), r, None),
                                      (fmt_int(n), n, None)] for name, r, n in rep.per_enterprise])
        self._show_enterprises(rep.overview)
        no_sync = self.tr("实名认证状态随同步而来；同步之前显示“—”。")
        self.plan_model.set_rows([
            [(str(i), i, None), (e.enterprise, e.enterprise, None), (e.union or "", e.union or "", None),
             (fmt_int(e.reachable), e.reachable, None), (fmt_int(e.imported), e.imported, None),
             (fmt_int(e.signed_up), e.signed_up, None),
             (_pct(e.verification_rate), e.verification_rate, None if e.verification_rate is not None else no_sync)]
            for i, e in enumerate(self.plan, 1)
        ])
        self.export_button.setEnabled(bool(self.plan) and not self._busy)
        if self._stale:
            self.refresh()

    def _show_enterprises(self, ov: Overview | None) -> None:
        if ov is None:
            return
        no_sync = self.tr("实名认证状态随同步而来；同步之前显示“—”。")
        if ov.compared_with is not None:
            self.week_note.setText(self.tr("一周变化：与 {day} 的快照相比（每天第一次统计时保存一份快照）。").format(
                day=ov.compared_with.isoformat()))
            no_week = self.tr("{day} 的快照里没有这家单位。").format(day=ov.compared_with.isoformat())
        else:
            first = ov.first_snapshot.isoformat() if ov.first_snapshot else ov.day.isoformat()
            self.week_note.setText(self.tr(
                "一周变化显示“—”：还没有一周前的快照。每天第一次统计时保存一份快照，第一份保存于 {day}。").format(day=first))
            no_week = self.tr("还没有一周前的快照（第一份保存于 {day}）。").format(day=first)
        rows = []
        for e in ov.table:
            synced = e.unknown < e.imported
            change = ov.change(e.enterprise_id)
            rate = e.verification_rate
            week_signed: tuple[str, float | None, str | None]  # (text, sort key, tooltip), as every cell
            week_rate: tuple[str, float | None, str | None]
            if change is None:
                week_signed = (DASH, None, no_week)
                week_rate = (DASH, None, no_week)
            else:
                week_signed = (_signed(change.signed_up), change.signed_up, None)
                week_rate = ((f"{change.rate * 100:+.1f}" + self.tr(" 个百分点")) if change.rate is not None else DASH,
                             change.rate, None if change.rate is not None else no_sync)
            rows.append([
                (e.enterprise, e.enterprise, None),
                (e.union or "", e.union or "", None),
                (fmt_int(e.imported), e.imported, None),
                (fmt_int(e.signed_up), e.signed_up, None),
                (fmt_int(e.verified), e.verified, None) if synced else (DASH, None, no_sync),
                (_pct(rate), rate, None if rate is not None else no_sync),
                week_signed,
                week_rate,
            ])
        # an unknown figure sorts as the lowest
        for row in rows:
            for i, (text, key, tip) in enumerate(row):
                if i >= 2 and key is None:
                    row[i] = (text, float("-inf"), tip)
        self.ent_model.set_rows(rows)

    # -- files --------------------------------------------------------------------------
    def _busy_buttons(self, busy: bool) -> None:
        self._busy = busy
        self.pdf_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy and bool(self.plan))

    def _suggest(self, name: str) -> Path:
        folder = self.store.paths.reports
        return folder / name

    def choose_and_save_pdf(self) -> None:
        day = (self.report.date if self.report else local_today()).isoformat()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存 PDF 日报"), str(self._suggest(self.tr("日报-{day}.pdf").format(day=day))),
                                              self.tr("PDF 文件 (*.pdf)"))
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path):
        """Collect the day's figures afresh and write the PDF in a worker."""
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self._busy_buttons(True)
        self.message.show_hint(self.tr("正在生成 PDF 日报…"))
        return ops.day_pdf(self, self.runner, self.store, local_today(), self.overview, path).success(self._saved) \
            .failure(self._failed).run_in_background()

    def choose_and_export_plan(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出下一步去哪儿"),
            str(self._suggest(self.tr("下一步去哪儿-{day}.xlsx").format(day=local_today().isoformat()))),
            self.tr("Excel 文件 (*.xlsx)"))
        if path:
            self.export_plan(Path(path))

    def export_plan(self, path: Path):
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self._busy_buttons(True)
        return ops.plan_xlsx(self, self.runner, list(self.plan), path, self.overview).success(self._saved) \
            .failure(self._failed).run_in_background()

    def _saved(self, path: Path) -> None:
        self._busy_buttons(False)
        self.message.show_hint(self.tr("已保存：{path}").format(path=path), OK_COLOUR)
