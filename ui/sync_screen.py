"""同步: the organizer's day-end sync with the platform (issue 7, part 5).

What the screen shows comes from the core: the enrollment (station.sync.client.link),
the queue (station.sync.records.pending_counts, open_refusals), the last
report (station.sync.report.last_report).  Everything that touches the disk
or the network runs in a worker (ui/operations/sync.py): enrolling, 立即同步
(station.sync.client.run_sync, cancellable, with its stages shown in words),
the offline file (station.sync.bundle.export_bundle) and its receipt
(station.sync.bundle.import_receipt).  Failures are shown as the core's
plain sentence, never a traceback.  Organizers only: the main window hides
the screen from promoters, and the core refuses them too (``sync`` permission).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.i18n import get_lang
from station.security.operators import OperatorSession
from station.store.clock import fmt_local
from station.store.database import Store
from station.sync import bundle as sync_bundle
from station.sync import report as sync_report
from ui.common import error_sentence, fmt_int
from ui.lan_dialogs import LanPanel
from ui.operations import sync as ops
from ui.operations.sync import SyncProgress, SyncState
from ui.style import ERROR_COLOUR, INFO_COLOUR, OK_COLOUR, WARN_COLOUR, font_of
from ui.widgets import FigureTile
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

DASH = "—"
# The pending kinds as the organizer thinks of them; draws and their winners are one "抽奖".
PENDING_KINDS = ("registrations", "checkins", "draws", "posters", "events", "audit")


def _when(moment: dt.datetime | None) -> str:
    """A naive-UTC time from the store, as the laptop's local time."""
    return DASH if moment is None else fmt_local(moment)


class SyncScreen(QWidget):
    """Enroll, see what waits, sync now (or by file), read what happened."""

    synced = Signal()  # records came back or left the queue: other screens may refresh

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.operator: OperatorSession | None = None
        self.state: SyncState | None = None
        self.loaded = False
        self.busy = False
        self.cancel_event: threading.Event | None = None
        self.last_bundle: sync_bundle.BundleResult | None = None
        self._pulling = False
        self._counts_at = 0.0
        self.reenrolling = False  # the enroll form shown again for a station that is enrolled already

        title = QLabel(self.tr("同步"))
        title.setProperty("role", "title")
        self.hub_label = QLabel()
        self.hub_label.setFont(font_of(12, bold=True))
        self.hub_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last_label = QLabel()
        self.last_label.setProperty("role", "muted")
        self.reenroll_button = QPushButton(self.tr("重新注册…"))
        self.reenroll_button.setToolTip(self.tr("平台吊销了本工作站，或换了平台时：用新的注册码重新注册"))
        self.reenroll_button.clicked.connect(self.show_reenroll)
        self.reenroll_button.hide()
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.hub_label, 1)
        top.addWidget(self.last_label)
        top.addWidget(self.reenroll_button)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 14, 24, 10)
        outer.setSpacing(8)
        outer.addLayout(top)
        self.lan_panel = LanPanel(store, runner)  # the event host on the venue's Wi-Fi (ui/lan_dialogs.py)
        outer.addWidget(self.lan_panel)
        outer.addWidget(self._build_enroll())
        outer.addWidget(self._build_pending())
        outer.addWidget(self._build_actions())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setFont(font_of(15, bold=True))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.status)
        outer.addLayout(self._build_results(), 1)

        sync_key = QShortcut(QKeySequence("Ctrl+Return"), self)
        sync_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sync_key.activated.connect(self.start_sync)
        f5 = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        f5.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        f5.activated.connect(self.refresh)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.cancel)
        self._set_busy(False)

    # -- building -------------------------------------------------------------------
    def _build_enroll(self) -> QWidget:
        self.enroll_box = QFrame()
        self.enroll_box.setObjectName("Card")
        intro = QLabel(self.tr("本工作站还没有注册到平台。请向平台管理员要一个一次性注册码（16 位），"
                               "填入平台地址和注册码后按回车。"))
        intro.setWordWrap(True)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText(self.tr("例如 https://sync.example.cn"))
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("例如 K7QM-3XRT-PW9A-HC2N"))
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText(self.tr("可不填：平台使用自签证书时，选择管理员给的 CA 证书文件"))
        self.ca_button = QPushButton(self.tr("选择…"))
        self.ca_button.clicked.connect(self.choose_ca_file)
        self.enroll_button = QPushButton(self.tr("注册到平台"))
        self.enroll_button.setProperty("role", "accent")
        self.enroll_button.clicked.connect(self.enroll)
        for edit in (self.url_edit, self.code_edit, self.ca_edit):
            edit.returnPressed.connect(self.enroll)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.addWidget(QLabel(self.tr("平台地址")), 0, 0)
        grid.addWidget(self.url_edit, 0, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("注册码")), 1, 0)
        grid.addWidget(self.code_edit, 1, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("CA 证书（可选）")), 2, 0)
        grid.addWidget(self.ca_edit, 2, 1)
        grid.addWidget(self.ca_button, 2, 2)
        grid.addWidget(self.enroll_button, 3, 1, 1, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        lay = QVBoxLayout(self.enroll_box)
        lay.setContentsMargins(14, 10, 14, 10)
        title = QLabel(self.tr("注册到平台"))
        title.setFont(font_of(13, bold=True))
        lay.addWidget(title)
        lay.addWidget(intro)
        lay.addLayout(grid)
        self.enroll_box.hide()
        return self.enroll_box

    def _build_pending(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.pending_title = QLabel(self.tr("待同步"))
        self.pending_title.setFont(font_of(12, bold=True))
        lay.addWidget(self.pending_title)
        row = QHBoxLayout()
        row.setSpacing(10)
        labels = {"registrations": self.tr("报名"), "checkins": self.tr("核验记录"), "draws": self.tr("抽奖"),
                  "posters": self.tr("海报"), "events": self.tr("活动"), "audit": self.tr("审计日志")}
        self.tiles: dict[str, FigureTile] = {}
        for kind in PENDING_KINDS:
            tile = FigureTile(labels[kind], value_pt=22, tight=True)
            self.tiles[kind] = tile
            row.addWidget(tile, 1)
        lay.addLayout(row)
        return box

    def _build_actions(self) -> QWidget:
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 4, 0, 4)
        lay.setSpacing(12)
        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.setProperty("role", "primary")
        self.sync_button.setToolTip(self.tr("上传本站的记录，再取回名册、认证状态、挂失和活动 (Ctrl+Enter)"))
        self.sync_button.setMinimumWidth(220)
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button = QPushButton(self.tr("取消 (Esc)"))
        self.cancel_button.clicked.connect(self.cancel)
        progress_box = QVBoxLayout()
        progress_box.setSpacing(2)
        self.stage_label = QLabel()
        self.stage_label.setFont(font_of(12, bold=True))
        self.stage_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setMinimumHeight(26)
        progress_box.addWidget(self.stage_label)
        progress_box.addWidget(self.progress)
        self.export_button = QPushButton(self.tr("导出离线同步文件…"))
        self.export_button.setToolTip(self.tr("没有网络时：把待同步的记录写成一个加密文件，用 U 盘带到平台导入"))
        self.export_button.clicked.connect(self.choose_and_export)
        self.receipt_button = QPushButton(self.tr("导入回执…"))
        self.receipt_button.setToolTip(self.tr("平台导入离线同步文件后给出的回执（.receipt.json）：导入后，平台已收下的记录不再待同步"))
        self.receipt_button.clicked.connect(self.choose_and_import_receipt)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(self.export_button)
        side.addWidget(self.receipt_button)
        lay.addWidget(self.sync_button)
        lay.addLayout(progress_box, 1)
        lay.addWidget(self.cancel_button)
        lay.addSpacing(12)
        lay.addLayout(side)
        return box

    def _build_results(self) -> QHBoxLayout:
        self.report_title = QLabel(self.tr("同步结果"))
        self.report_title.setFont(font_of(12, bold=True))
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setFont(font_of(11))
        self.report_view.setPlaceholderText(self.tr("还没有同步过。"))
        self.refusals_title = QLabel(self.tr("需要处理：平台拒收的记录"))
        self.refusals_title.setFont(font_of(12, bold=True))
        self.refusals = QTableWidget(0, 4)
        self.refusals.setHorizontalHeaderLabels([self.tr("类别"), self.tr("记录"), self.tr("原因"), self.tr("最近一次")])
        self.refusals.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refusals.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.refusals.verticalHeader().setVisible(False)
        self.refusals.setWordWrap(False)
        header = self.refusals.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.refusals_empty = QLabel(self.tr("没有被拒收的记录。"))
        self.refusals_empty.setProperty("role", "muted")
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(self.report_title)
        left.addWidget(self.report_view, 1)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self.refusals_title)
        right.addWidget(self.refusals, 1)
        right.addWidget(self.refusals_empty, 1, Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addLayout(left, 5)
        row.addLayout(right, 4)
        for w in (self.report_view, self.refusals):
            w.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return row

    # -- words --------------------------------------------------------------------------
    def kind_text(self, kind: str) -> str:
        return {"registrations": self.tr("报名"), "checkins": self.tr("核验记录"), "draws": self.tr("抽奖"),
                "winners": self.tr("中奖"), "posters": self.tr("海报"), "events": self.tr("活动"),
                "audit": self.tr("审计日志")}.get(kind, kind)

    def stage_text(self, stage: str) -> str:
        """The sync client's stage (the kind it is on), in words: 正在上传报名, 正在取回名册.

        Uploads come first, then downloads ("pull:<kind>"), then the audit
        log; "events" goes both ways, so once downloading it means downloading.
        """
        head, sep, rest = str(stage).partition(":")
        kind = rest if sep else head
        if sep and head == "pull":  # station/sync/pull.py says "pull:roster", the pushes just the kind
            self._pulling = True
        pulled = {"roster": self.tr("正在取回名册"), "verification": self.tr("正在取回实名认证状态"),
                  "revocations": self.tr("正在取回挂失与注销"), "keys": self.tr("正在取回电子会员卡公钥"),
                  "flags": self.tr("正在取回跨站提醒")}
        if kind in pulled:
            self._pulling = True
            return pulled[kind]
        if kind == "events" and self._pulling:
            return self.tr("正在取回活动")
        pushed = {"events": self.tr("正在上传活动"), "registrations": self.tr("正在上传报名"),
                  "checkins": self.tr("正在上传核验记录"), "draws": self.tr("正在上传抽奖"),
                  "winners": self.tr("正在上传抽奖"), "posters": self.tr("正在上传海报"),
                  "audit": self.tr("正在上传审计日志")}
        if kind in pushed:
            return pushed[kind]
        return self.tr("正在同步")

    # -- state ----------------------------------------------------------------------------
    def set_operator(self, op: OperatorSession | None) -> None:
        self.operator = op
        self.lan_panel.set_operator(op)
        if op is None:
            self.cancel()

    def clear_personal_data(self) -> None:
        """Locking: the refused sign-ups' (masked) names go; counts and the report stay.

        A sync under way was cancelled by set_operator(None): it stops after its batch.
        """
        self.refusals.setRowCount(0)

    def refresh(self) -> None:
        if self.operator is None or not self.operator.can("sync"):
            return
        self.lan_panel.refresh()
        ops.state(self, self.runner, self.store).success(self._loaded).failure(self._failed).run_in_background()

    def _loaded(self, state: SyncState) -> None:
        self.state = state
        self.loaded = True
        link = state.link
        if link is None:
            self.hub_label.setText(self.tr("尚未注册到平台"))
            self.hub_label.setStyleSheet(f"color: {WARN_COLOUR};")
        else:
            self.hub_label.setText(self.tr("已注册到平台：{url}（在平台上名为“{name}”）").format(
                url=link.hub_url, name=link.hub_station_name))
            self.hub_label.setStyleSheet("")
        self.enroll_box.setVisible(link is None or self.reenrolling)
        self.reenroll_button.setVisible(link is not None and not self.reenrolling)
        last = state.last
        running = last is not None and last.outcome == "running"
        if running and self.busy:
            last = None  # this very sync: the header keeps saying how the one before it went
        elif last is None:
            text = self.tr("还没有同步过")
        else:
            outcome = self.tr("未完成（程序被中断）") if running else self.outcome_text(last.outcome)
            text = self.tr("上次：{when}，{outcome}").format(when=_when(last.finished_at or last.started_at),
                                                          outcome=outcome)
        if last is not None or not self.busy:
            if state.awaiting_receipt is not None:
                text += "\n" + self.tr("离线同步文件（{when} 导出）等待回执").format(when=_when(state.awaiting_receipt))
            self.last_label.setText(text)
        counts = state.counts
        for kind, tile in self.tiles.items():
            n = counts.get(kind, 0) + (counts.get("winners", 0) if kind == "draws" else 0)
            tile.set(fmt_int(n))
            tile.value.setStyleSheet(f"color: {WARN_COLOUR};" if n else "")  # amber while anything waits
        total = sum(counts.values())
        self.pending_title.setText(self.tr("待同步：共 {n} 条").format(n=fmt_int(total)) if total
                                   else self.tr("待同步：没有，全部已同步"))
        if last is not None and not self.report_view.toPlainText():
            self.show_report(last, announce=False)
        self._show_refusals(state.refusals)
        self._set_busy(self.busy)
        if (link is None or self.reenrolling) and not self.busy:
            self.url_edit.setFocus() if not self.url_edit.text() else self.code_edit.setFocus()

    def _show_refusals(self, rows: list) -> None:
        self.refusals.setRowCount(len(rows))
        for i, (kind, label, record, error, reason, last) in enumerate(rows):
            cells = (self.kind_text(kind), label, sync_report.refusal_text(error, reason or "", get_lang()), _when(last))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 1:
                    item.setToolTip(str(record))
                if j == 2:
                    item.setToolTip(reason or "")
                self.refusals.setItem(i, j, item)
        self.refusals_title.setText(self.tr("需要处理：平台拒收的记录（{n}）").format(n=fmt_int(len(rows))) if rows
                                    else self.tr("需要处理：平台拒收的记录"))
        self.refusals.setVisible(bool(rows))
        self.refusals_empty.setVisible(not rows)

    def outcome_text(self, outcome: str) -> str:
        return {"ok": self.tr("成功"), "attention": self.tr("完成，有需要处理的事项"), "failed": self.tr("失败"),
                "cancelled": self.tr("已取消"), "running": self.tr("进行中")}.get(outcome, outcome)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        enrolled = self.state is not None and self.state.link is not None
        allowed = self.operator is not None and self.operator.can("sync")
        self.sync_button.setEnabled(not busy and enrolled and allowed)
        self.export_button.setEnabled(not busy and enrolled and allowed)
        self.receipt_button.setEnabled(not busy and enrolled and allowed)
        self.enroll_button.setEnabled(not busy and allowed)
        self.reenroll_button.setEnabled(not busy and allowed)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy and not (self.cancel_event is not None and self.cancel_event.is_set()))
        self.progress.setVisible(busy)
        if not busy:
            self.stage_label.setText(self.tr("按“立即同步”上传本站记录并取回平台的更新；没有网络时可导出离线同步文件。")
                                     if enrolled else "")
            self.stage_label.setFont(font_of(11))
        else:
            self.stage_label.setFont(font_of(12, bold=True))

    def say(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour};")

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.say(error_sentence(exc), ERROR_COLOUR)

    # -- enrollment -----------------------------------------------------------------------
    def choose_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择 CA 证书文件"), str(Path.home()),
                                              self.tr("证书 (*.pem *.crt *.cer);;所有文件 (*)"))
        if path:
            self.ca_edit.setText(path)

    def enroll(self) -> None:
        if self.busy or self.operator is None:
            return
        url, code, ca = self.url_edit.text().strip(), self.code_edit.text().strip(), self.ca_edit.text().strip()
        if not url:
            self.say(self.tr("请填写平台地址。"), ERROR_COLOUR)
            self.url_edit.setFocus()
            return
        if not code:
            self.say(self.tr("请填写注册码。"), ERROR_COLOUR)
            self.code_edit.setFocus()
            return
        replace = self.state is not None and self.state.link is not None
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self.stage_label.setText(self.tr("正在注册到平台…"))
        self.say("", INFO_COLOUR)
        ops.enroll(self, self.runner, self.store, self.operator, url, code, ca_file=ca or None, replace=replace) \
            .success(self._enrolled).failure(self._failed).run_in_background()

    def show_reenroll(self) -> None:
        """The enroll form again, with the current address: for a revoked station or a new platform."""
        self.reenrolling = True
        if self.state is not None and self.state.link is not None and not self.url_edit.text():
            self.url_edit.setText(self.state.link.hub_url)
        self.enroll_box.show()
        self.reenroll_button.hide()
        self.code_edit.setFocus()

    def _enrolled(self, _link: Any) -> None:
        self.reenrolling = False
        self._set_busy(False)
        self.code_edit.clear()
        self.say(self.tr("已注册到平台。现在可以按“立即同步”。"), OK_COLOUR)
        self.refresh()
        self.sync_button.setFocus()

    # -- sync now ---------------------------------------------------------------------------
    def start_sync(self) -> None:
        if self.busy or self.operator is None or not self.sync_button.isEnabled():
            return
        cancel = threading.Event()
        self.cancel_event = cancel
        self._pulling = False
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self.stage_label.setText(self.tr("正在连接平台"))
        self.say("", INFO_COLOUR)
        task = ops.run_sync(self, self.runner, self.store, self.operator, cancel, self._progress) \
            .success(self._synced).failure(self._sync_failed).run_in_background()
        task.cancel_event = cancel  # closing the window (runner.cancel_all) stops the sync after its batch

    def _progress(self, value: SyncProgress) -> None:
        stage, done, total = value
        self.stage_label.setText(self.stage_text(stage))
        now = time.monotonic()
        if now - self._counts_at >= 1.0:  # the tiles count down as batches are taken (indexed COUNTs, in a worker)
            self._counts_at = now
            self.refresh()
        if total:
            self.progress.setRange(0, int(total))
            self.progress.setValue(min(int(done or 0), int(total)))
            self.progress.setFormat(self.tr("%v / %m 条"))
        else:
            self.progress.setRange(0, 0)

    def cancel(self) -> None:
        if self.cancel_event is not None and self.busy:
            self.cancel_event.set()
            self.stage_label.setText(self.tr("正在取消：等当前这一批完成…"))
            self.cancel_button.setEnabled(False)

    def _synced(self, report) -> None:
        self.cancel_event = None
        self._set_busy(False)
        self.show_report(report)
        if (report.error or {}).get("key") in ("sync_revoked", "sync_unauthenticated"):
            self.show_reenroll()  # the way out is a new code: the form is right here
        self.refresh()
        self.synced.emit()

    def _sync_failed(self, exc: BaseException) -> None:
        self.cancel_event = None
        self._failed(exc)
        self.refresh()

    def show_report(self, report, *, announce: bool = True) -> None:
        """The report's lines in the view; the headline in big letters."""
        lines = report.summary_lines(get_lang())
        self.report_view.setPlainText("\n".join(lines))
        if not announce:
            return
        colour = {"ok": OK_COLOUR, "attention": WARN_COLOUR, "cancelled": WARN_COLOUR}.get(report.outcome, ERROR_COLOUR)
        self.say(lines[0] if lines else self.outcome_text(report.outcome), colour)

    # -- offline file ---------------------------------------------------------------------------
    def choose_and_export(self) -> None:
        if self.busy or not self.export_button.isEnabled():
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存离线同步文件的文件夹（例如 U 盘）"), str(Path.home()))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        if self.busy or self.operator is None:
            return
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self.stage_label.setText(self.tr("正在写入离线同步文件…"))
        self.say("", INFO_COLOUR)
        ops.export_bundle(self, self.runner, self.store, self.operator, folder).success(self._exported) \
            .failure(self._failed).run_in_background()

    def _exported(self, result: sync_bundle.BundleResult) -> None:
        self.last_bundle = result
        self._set_busy(False)
        self.say(self.tr("离线同步文件已写入：{path}（{n} 条记录）。交平台导入后，把回执带回来按“导入回执…”。"
                         "在此之前，这些记录仍算待同步。").format(path=str(result.path), n=fmt_int(result.total)),
                 OK_COLOUR)
        self.report_view.setPlainText("\n".join(sync_bundle.bundle_lines(result, get_lang())))
        self.refresh()

    def choose_and_import_receipt(self) -> None:
        if self.busy or not self.receipt_button.isEnabled():
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择平台给回的回执文件"), str(Path.home()),
                                              self.tr("回执 (*.receipt.json *.json);;所有文件 (*)"))
        if path:
            self.import_receipt(Path(path))

    def import_receipt(self, path: Path) -> None:
        if self.busy or self.operator is None:
            return
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self.stage_label.setText(self.tr("正在导入回执…"))
        self.say("", INFO_COLOUR)
        ops.import_receipt(self, self.runner, self.store, self.operator, path).success(self._receipt_done) \
            .failure(self._receipt_failed).run_in_background()

    def _receipt_done(self, report) -> None:
        self._set_busy(False)
        lines = sync_bundle.receipt_lines(report, get_lang())
        self.report_view.setPlainText("\n".join(lines))
        self.say(lines[0], OK_COLOUR if report.outcome == "ok" else WARN_COLOUR)
        self.refresh()
        self.synced.emit()

    def _receipt_failed(self, exc: BaseException) -> None:
        if isinstance(exc, sync_bundle.ReceiptAlreadyImported):
            self._set_busy(False)
            self.say(exc.message(), WARN_COLOUR)  # harmless: nothing changed
            return
        self._failed(exc)
