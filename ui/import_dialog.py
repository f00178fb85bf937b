"""Importing a file: choose → (map columns) → run in a worker with progress → counts.

The same widgets serve the roster import (station.roster.importer) and the
paper fallback (station.signup.paper_import); they run the engine's calls
through ui/operations/roster.py.  The engine runs in a worker and
reports ImportProgress (rows done, total, rows/s, ETA); 取消 sets a flag the
engine polls, and a cancelled import leaves the store as it was.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from ui.common import error_sentence, fmt_int
from ui.mapping_dialog import ColumnMappingDialog
from ui.operations import roster as ops
from ui.style import ERROR_COLOUR, OK_COLOUR, font_of
from ui.widgets import FieldMessage
from ui.workers import Task, TaskRunner

if TYPE_CHECKING:
    from station.roster.mapping import UnmappedColumns

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.1  # a million-row import must not flood the GUI with signals

# work(progress, cancelled) -> result, run in a worker
Work = Callable[[Callable[[Any], None], Callable[[], bool]], Any]


@dataclass(frozen=True)
class Count:
    label: str
    value: int | float | str | None
    colour: str | None = None


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = max(0, round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def is_unmapped(exc: BaseException) -> TypeGuard[UnmappedColumns]:
    return isinstance(exc, StationError) and hasattr(exc, "preview") and type(exc).__name__ == "UnmappedColumns"


class ImportProgressDialog(QDialog):
    """Runs one import in a worker: progress, 取消, then the counts, big."""

    completed = Signal(object)  # the engine's result
    unmapped = Signal(object)  # UnmappedColumns: the caller opens the mapping dialog

    def __init__(
        self,
        runner: TaskRunner,
        *,
        title: str,
        file_name: str,
        work: Work,
        summarize: Callable[[Any], Sequence[Count]],
        report_of: Callable[[Any], Path | None] = lambda r: getattr(r, "report_path", None),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.work = work
        self.summarize = summarize
        self.report_of = report_of
        self.state = "idle"  # running | done | cancelled | failed
        self.result: Any = None
        self.report_path: Path | None = None
        self.task: Task | None = None
        self.cancel_event = threading.Event()  # the work polls it (ops.run_import)
        self.setWindowTitle(title)
        self.setMinimumWidth(640)

        heading = QLabel(title)
        heading.setProperty("role", "title")
        self.file_label = QLabel(self.tr("文件：{name}").format(name=file_name))
        self.file_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setMinimumHeight(28)
        self.bar.setRange(0, 0)
        self.rows_label = QLabel(self.tr("正在读取文件…"))
        self.rows_label.setFont(font_of(14, bold=True))
        self.speed_label = QLabel("")
        self.speed_label.setProperty("role", "muted")
        self.status = FieldMessage()
        self.status.setFont(font_of(13, bold=True))

        self.counts_frame = QFrame()
        self.counts_frame.setObjectName("Card")
        self.counts_grid = QGridLayout(self.counts_frame)
        self.counts_grid.setContentsMargins(16, 12, 16, 12)
        self.counts_grid.setHorizontalSpacing(28)
        self.counts_frame.hide()
        self.count_labels: dict[str, QLabel] = {}

        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_label.hide()
        self.report_button = QPushButton(self.tr("打开报告"))
        self.report_button.hide()
        self.cancel_button = QPushButton(self.tr("取消导入"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)

        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(self.file_label)
        lay.addWidget(self.bar)
        lay.addWidget(self.rows_label)
        lay.addWidget(self.speed_label)
        lay.addWidget(self.status)
        lay.addWidget(self.counts_frame)
        lay.addWidget(self.report_label)
        lay.addLayout(buttons)

        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.accept)
        self.report_button.clicked.connect(self.open_report)

    # -- running ----------------------------------------------------------------
    def start(self) -> Task:
        self.state = "running"
        work = self.work
        last = [0.0]

        def throttled(emit: Callable[[Any], None], cancelled: Callable[[], bool]) -> Any:
            def progress(p: Any) -> None:
                now = time.monotonic()
                done = getattr(p, "rows_total", None) is not None and getattr(p, "rows_done", 0) >= p.rows_total
                if now - last[0] >= PROGRESS_EVERY_S or done:
                    last[0] = now
                    emit(p)

            return work(progress, cancelled)

        self.task = (
            ops.run_import(self, self.runner, throttled, self.cancel_event)
            .with_progress(self._progress)
            .success(self._done)
            .failure(self._failed)
            .run_in_background()
        )
        return self.task

    def cancel(self) -> None:
        if self.state != "running" or self.task is None or not self.cancel_button.isEnabled():
            return  # not running, already cancelling, or publishing (no longer cancellable)
        self.cancel_event.set()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("正在取消…"))
        self.status.show_hint(self.tr("正在取消，名册不会有任何改动…"))

    def reject(self) -> None:  # Esc or the window's close box
        if self.state == "running":
            self.cancel()  # close once the worker has rolled back
            return
        super().reject()

    def _progress(self, p: Any) -> None:
        done = int(getattr(p, "rows_done", 0) or 0)
        total = getattr(p, "rows_total", None)
        rate = float(getattr(p, "rows_per_s", 0.0) or 0.0)
        eta = getattr(p, "eta_s", None)
        stage = getattr(p, "stage", "reading")
        if stage in ("publishing", "indexing", "saving") and self.cancel_button.isEnabled():
            # The whole file is checked; it now goes into the store and finishes whatever happens.
            self.cancel_button.setEnabled(False)
            self.cancel_button.setToolTip(self.tr("名册正在写入，已无法取消"))
        if stage == "publishing" and total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(min(1000, int(done * 1000 / max(1, total))))
            self.rows_label.setText(
                self.tr("已检查完毕，正在写入名册：{done} / {total} 人（已无法取消）").format(
                    done=fmt_int(done), total=fmt_int(int(total))
                )
            )
        elif stage == "indexing":
            self.bar.setRange(0, 0)
            self.rows_label.setText(self.tr("已读取 {done} 行，正在重建索引…").format(done=fmt_int(done)))
        elif stage == "saving":
            self.bar.setRange(0, 0)
            self.rows_label.setText(self.tr("已读取 {done} 行，正在保存…").format(done=fmt_int(done)))
        elif total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(min(1000, int(done * 1000 / max(1, total))))
            self.rows_label.setText(self.tr("已处理 {done} / {total} 行").format(done=fmt_int(done), total=fmt_int(int(total))))
        else:
            self.bar.setRange(0, 0)
            self.rows_label.setText(self.tr("已处理 {done} 行").format(done=fmt_int(done)))
        self.speed_label.setText(
            self.tr("速度：每秒 {rate} 行　预计剩余：{eta}").format(rate=fmt_int(int(rate)), eta=fmt_duration(eta))
        )

    def _finish_buttons(self) -> None:
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        # The result (counts, a wrapped error sentence) is taller than the progress view was.
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _done(self, result: Any) -> None:
        self.state = "done"
        self.result = result
        self.bar.setRange(0, 1000)
        self.bar.setValue(1000)
        rows = getattr(result, "rows_read", None)
        if rows is not None:
            self.rows_label.setText(self.tr("已读取 {done} 行").format(done=fmt_int(int(rows))))
        self.speed_label.hide()
        elapsed = getattr(result, "elapsed_s", None)
        self.status.show_hint(
            self.tr("导入完成，用时 {elapsed}。").format(elapsed=fmt_duration(elapsed)), OK_COLOUR
        )
        self._show_counts(self.summarize(result))
        report = self.report_of(result)
        if report:
            self.report_path = Path(report)
            self.report_label.setText(self.tr("问题行报告：{path}").format(path=str(report)))
            self.report_label.show()
            self.report_button.show()
        self._finish_buttons()
        self.completed.emit(result)

    def _failed(self, exc: BaseException) -> None:
        if is_unmapped(exc):
            self.state = "failed"
            self.unmapped.emit(exc)
            self.done(QDialog.DialogCode.Rejected)
            return
        if (isinstance(exc, StationError) and exc.key == "cancelled") or self.cancel_event.is_set():
            self.state = "cancelled"
            self.speed_label.hide()
            self.bar.setRange(0, 1000)
            self.bar.setValue(0)
            self.status.show_hint(self.tr("已取消导入，数据未改动。"), ERROR_COLOUR)
        else:
            self.state = "failed"
            self.speed_label.hide()
            self.bar.setRange(0, 1000)
            self.bar.setValue(0)
            self.rows_label.setText(self.tr("导入未完成，数据未改动。"))
            self.status.show_error(error_sentence(exc))
        self._finish_buttons()

    def _show_counts(self, counts: Sequence[Count]) -> None:
        for i, c in enumerate(counts):
            cap = QLabel(c.label)
            cap.setFont(font_of(11))
            val = QLabel(fmt_int(c.value) if isinstance(c.value, int) else str(c.value))
            val.setFont(font_of(24, bold=True))
            if c.colour:
                val.setStyleSheet(f"color: {c.colour};")
            self.count_labels[c.label] = val
            self.counts_grid.addWidget(val, 0, i)
            self.counts_grid.addWidget(cap, 1, i)
        self.counts_frame.show()

    def open_report(self) -> None:
        if self.report_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report_path)))


class ImportFlow(QObject):
    """Preview → mapping dialog when needed → progress dialog → result, for one file.

    ``preview_fn(path)`` and ``import_fn(path, mapping, progress, cancelled)``
    wrap the engine; ``fields`` / ``labels`` / ``required`` describe its columns.
    """

    finished = Signal(object)  # the result, or None when cancelled / failed

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner,
        path: Path,
        *,
        title: str,
        preview_fn: Callable[[Path], Any] | None,
        import_fn: Callable[[Path, dict | None, Callable, Callable], Any],
        summarize: Callable[[Any], Sequence[Count]],
        fields: Sequence[str],
        labels: dict[str, str],
        required: Sequence[str],
        always_map: bool = False,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.runner = runner
        self.path = Path(path)
        self.title = title
        self.preview_fn = preview_fn
        self.import_fn = import_fn
        self.summarize = summarize
        self.fields = fields
        self.labels = labels
        self.required = required
        self.always_map = always_map
        self.mapping_dialog: ColumnMappingDialog | None = None
        self.progress_dialog: ImportProgressDialog | None = None
        self.result: Any = None

    def start(self) -> None:
        path = self.path
        if self.preview_fn is None:  # the engine maps columns itself; UnmappedColumns asks us
            self.run(None)
            return
        ops.preview(self.parent_widget, self.runner, path, self.preview_fn) \
            .success(self._previewed) \
            .failure(self._preview_failed) \
            .run_in_background()

    def _previewed(self, preview: Any) -> None:
        guessed = getattr(preview, "mapping", None) or {}
        unmapped = [f for f in self.required if f not in guessed]
        if getattr(preview, "missing", None) or unmapped or self.always_map:
            self.ask_mapping(preview)
        else:
            self.run(None)  # the engine applies its own guess (the one the preview showed)

    def _preview_failed(self, exc: BaseException) -> None:
        if is_unmapped(exc):
            self.ask_mapping(exc.preview)
            return
        from ui.common import show_error

        show_error(self.parent_widget, exc, self.title)
        self.finished.emit(None)

    def ask_mapping(self, preview: Any) -> None:
        dialog = ColumnMappingDialog(preview, fields=self.fields, labels=self.labels, required=self.required,
                                     parent=self.parent_widget)
        self.mapping_dialog = dialog
        dialog.accepted.connect(lambda: self.run(dialog.mapping()))
        dialog.rejected.connect(lambda: self.finished.emit(None))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def run(self, mapping: dict | None) -> None:
        path, import_fn = self.path, self.import_fn
        dialog = ImportProgressDialog(
            self.runner,
            title=self.title,
            file_name=path.name,
            work=lambda progress, cancelled: import_fn(path, mapping, progress, cancelled),
            summarize=self.summarize,
            parent=self.parent_widget,
        )
        self.progress_dialog = dialog
        dialog.completed.connect(self._completed)
        dialog.unmapped.connect(lambda exc: self.ask_mapping(exc.preview))
        dialog.open()
        dialog.start()

    def _completed(self, result: Any) -> None:
        self.result = result
        self.finished.emit(result)


class PaperConsentDialog(QDialog):
    """Before a paper import: the promoter confirms every sheet was signed by the worker."""

    def __init__(self, file_name: str, session_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入纸质登记表"))
        self.setMinimumWidth(560)
        info = QLabel(self.tr("文件：{name}").format(name=file_name) + "\n" + session_text)
        info.setWordWrap(True)
        explain = QLabel(self.tr("网络或电脑故障时用纸质登记表登记的人员，可在此补录。每一行都必须有本人签署的《个人信息处理告知同意书》。"))
        explain.setWordWrap(True)
        self.confirm_check = QCheckBox(self.tr("纸质登记表均已由本人签署同意书"))
        self.confirm_check.setFont(font_of(13, bold=True))
        self.ok_button = QPushButton(self.tr("继续导入"))
        self.ok_button.setProperty("role", "accent")
        self.ok_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("取消"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.ok_button)
        lay = QVBoxLayout(self)
        lay.addWidget(info)
        lay.addWidget(explain)
        lay.addWidget(self.confirm_check)
        lay.addLayout(row)
        self.confirm_check.toggled.connect(self.ok_button.setEnabled)
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_check.setFocus()
