"""新建活动: a screening (观影) or a benefit redemption (权益核销) to check e-cards at."""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from station.checkin import events
from station.errors import StationError
from station.store.database import Store
from ui.common import error_sentence
from ui.operations import events as ops
from ui.widgets import FieldMessage
from ui.workers import TaskRunner


class EventEditor(QDialog):
    """Kind, name, venue, date and entry window, capacity, admissions per member, who may come.

    Non-blocking (``open()``): ``created`` carries the new EventInfo.
    """

    created = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner or TaskRunner(self)
        self.current_event: events.EventInfo | None = None
        self.setWindowTitle(self.tr("新建活动"))
        self.setMinimumWidth(600)

        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("观影"), "screening")
        self.kind_combo.addItem(self.tr("权益核销"), "redemption")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("如：《长津湖》职工观影专场"))
        self.venue_edit = QLineEdit()
        self.venue_edit.setPlaceholderText(self.tr("如：南粤院线东城店 3 号厅"))
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.start_edit = QTimeEdit(QTime(0, 0))
        self.end_edit = QTimeEdit(QTime(23, 59))
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        window = QHBoxLayout()
        window.addWidget(self.start_edit)
        window.addWidget(QLabel(self.tr("至")))
        window.addWidget(self.end_edit)
        window.addStretch(1)
        self.limit_check = QCheckBox(self.tr("限定名额"))
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(1, events.MAX_CAPACITY)
        self.capacity_spin.setValue(300)
        self.capacity_spin.setEnabled(False)
        cap = QHBoxLayout()
        cap.addWidget(self.limit_check)
        cap.addWidget(self.capacity_spin)
        cap.addStretch(1)
        self.admissions_spin = QSpinBox()
        self.admissions_spin.setRange(1, events.MAX_ADMISSIONS)
        self.admissions_spin.setValue(1)
        self.unions_edit = QPlainTextEdit()
        self.unions_edit.setPlaceholderText(self.tr("每行一个工会；不填则不限"))
        self.unions_edit.setFixedHeight(64)
        self.enterprises_edit = QPlainTextEdit()
        self.enterprises_edit.setPlaceholderText(self.tr("每行一个单位；不填则不限"))
        self.enterprises_edit.setFixedHeight(64)
        self.error_label = FieldMessage()

        form = QFormLayout()
        form.setSpacing(8)
        form.addRow(self.tr("类型(&K)"), self.kind_combo)
        form.addRow(self.tr("活动名称 *(&N)"), self.name_edit)
        form.addRow(self.tr("场地 *(&V)"), self.venue_edit)
        form.addRow(self.tr("日期(&D)"), self.date_edit)
        form.addRow(self.tr("入场时间"), window)
        form.addRow(self.tr("名额"), cap)
        form.addRow(self.tr("每人可入场次数"), self.admissions_spin)
        self.reentry_check = QCheckBox(self.tr("允许出场再入场（入口、出口分开核验，显示场内人数）"))
        form.addRow("", self.reentry_check)
        form.addRow(self.tr("面向工会"), self.unions_edit)
        form.addRow(self.tr("面向单位"), self.enterprises_edit)

        self.create_button = QPushButton(self.tr("创建活动"))
        self.create_button.setProperty("role", "accent")
        self.create_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addLayout(buttons)

        self.limit_check.toggled.connect(self.capacity_spin.setEnabled)
        self.create_button.clicked.connect(self.create_event)
        self.cancel_button.clicked.connect(self.reject)

    def draft(self) -> events.EventDraft:
        def lines(edit: QPlainTextEdit) -> list[str]:
            return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]

        end = self.end_edit.time()
        return events.EventDraft(
            kind=self.kind_combo.currentData(),
            name=self.name_edit.text(),
            venue=self.venue_edit.text(),
            # toPython() is typed as object; a QDate gives a date, a QTime a time.
            date=cast(dt.date, self.date_edit.date().toPython()),
            entry_start=cast(dt.time, self.start_edit.time().toPython()),
            entry_end=None if (end.hour(), end.minute()) == (23, 59) else cast(dt.time, end.toPython()),
            capacity=self.capacity_spin.value() if self.limit_check.isChecked() else None,
            admissions_per_member=self.admissions_spin.value(),
            reentry=self.reentry_check.isChecked(),
            unions=lines(self.unions_edit),
            enterprises=lines(self.enterprises_edit),
        )

    def create_event(self) -> None:
        """Check the draft at once (no database), then create the event in a worker."""
        draft = self.draft()
        try:
            events.check_draft(draft)
        except StationError as exc:
            self.error_label.show_error(exc.message())
            return
        self.create_button.setEnabled(False)  # one event per click, however impatient
        ops.create_event(self, self.runner, self.store, draft) \
            .success(self._created) \
            .failure(self._failed) \
            .run_in_background()

    def _created(self, info: events.EventInfo) -> None:
        self.create_button.setEnabled(True)
        self.current_event = info
        self.created.emit(info)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        # The worker logged an unexpected error's traceback; a StationError carries its sentence.
        self.create_button.setEnabled(True)
        self.error_label.show_error(error_sentence(exc))
