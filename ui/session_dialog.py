"""开启场次: the promoter says where and for whom the booth works before signing anyone up."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.signup import booth
from station.signup.booth import SessionInfo
from station.store import orgs
from station.store.database import Store
from station.store.orgs import OrgNames
from station.store.writes import Waiting
from ui.common import error_sentence
from ui.operations import booth as ops
from ui.style import WARN_COLOUR
from ui.widgets import FieldMessage, OrgCombo
from ui.workers import TaskRunner

log = logging.getLogger(__name__)


def _day(d: QDate) -> dt.date:
    return dt.date(d.year(), d.month(), d.day())


class OpenSessionDialog(QDialog):
    """Date, venue, host enterprise and union, promoter, event name → booth.open_session."""

    opened = Signal(object)  # SessionInfo

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.session: SessionInfo | None = None
        self._union_auto = True  # the union was filled in for the user, not typed
        self.setWindowTitle(self.tr("开启场次"))
        self.setMinimumWidth(560)

        intro = QLabel(self.tr("开启场次后才能登记。同一天、同一地点、同一单位的场次会合并为一次活动。"))
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")

        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.venue_edit = QLineEdit()
        self.venue_edit.setPlaceholderText(self.tr("如：XX 厂一号饭堂"))
        self.venue_msg = FieldMessage()
        self.enterprise_combo = OrgCombo()
        self.enterprise_combo.setPlaceholderText(self.tr("主办单位（企业），可选"))
        self.union_combo = OrgCombo()
        self.union_combo.setPlaceholderText(self.tr("选择单位后自动填写，可修改"))
        self.promoter_edit = QLineEdit()
        self.promoter_edit.setPlaceholderText(self.tr("推广员姓名"))
        self.promoter_msg = FieldMessage()
        self.event_edit = QLineEdit()
        self.event_edit.setPlaceholderText(self.tr("可选，默认为“单位 场地”"))
        self.error_label = FieldMessage()

        form = QFormLayout()
        form.setSpacing(8)
        form.addRow(self.tr("日期(&D)"), self.date_edit)
        form.addRow(self.tr("场地 *(&V)"), self.venue_edit)
        form.addRow("", self.venue_msg)
        form.addRow(self.tr("主办单位(&E)"), self.enterprise_combo)
        form.addRow(self.tr("基层工会(&U)"), self.union_combo)
        form.addRow(self.tr("推广员 *(&P)"), self.promoter_edit)
        form.addRow("", self.promoter_msg)
        form.addRow(self.tr("活动名称(&N)"), self.event_edit)
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item else None
            if isinstance(label, QLabel):
                field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                field = field_item.widget() if field_item else None
                if field is not None:
                    label.setBuddy(field)

        self.ok_button = QPushButton(self.tr("开启场次"))
        self.ok_button.setDefault(True)
        self.ok_button.setProperty("role", "accent")
        self.cancel_button = QPushButton(self.tr("取消"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)

        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addLayout(buttons)

        self.setTabOrder(self.date_edit, self.venue_edit)
        self.setTabOrder(self.venue_edit, self.enterprise_combo)
        self.setTabOrder(self.enterprise_combo, self.union_combo)
        self.setTabOrder(self.union_combo, self.promoter_edit)
        self.setTabOrder(self.promoter_edit, self.event_edit)
        self.setTabOrder(self.event_edit, self.ok_button)

        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.enterprise_combo.activated.connect(self._enterprise_chosen)
        self.enterprise_combo.line().editingFinished.connect(self._enterprise_chosen)
        self.enterprise_combo.name_completer.activated.connect(self._enterprise_chosen)
        self.union_combo.line().textEdited.connect(self._union_typed)

        self._prefill()
        self._load_names()
        self.venue_edit.setFocus()

    def _prefill(self) -> None:
        current = booth.current_session(self.store)
        if current is None:
            return
        self.venue_edit.setText(current.venue)
        self.enterprise_combo.setText(current.enterprise)
        self.union_combo.setText(current.union)
        self.promoter_edit.setText(current.promoter)
        self._union_auto = not current.union

    def _load_names(self) -> None:
        # No failure callback: a failed completion list is no reason to bother the promoter (it is logged).
        ops.org_names(self, self.runner, self.store).success(self._names_loaded) \
            .failure(lambda _exc: None).run_in_background()

    def _names_loaded(self, names: OrgNames) -> None:
        self.enterprise_combo.set_names(names.enterprises)
        self.union_combo.set_names(names.unions)

    def _union_typed(self, _text: str) -> None:
        self._union_auto = False

    def _enterprise_chosen(self, *_args) -> None:
        name = self.enterprise_combo.text()
        if not name or not (self._union_auto or not self.union_combo.text()):
            return
        try:
            union = orgs.union_for_enterprise(self.store, name)
        except StationError:
            return
        if union:
            self.union_combo.setText(union)
            self._union_auto = True

    def submit(self) -> None:
        self.venue_msg.clear_message()
        self.promoter_msg.clear_message()
        self.error_label.clear_message()
        ops.open_session(
            self, self.runner, self.store,
            venue=self.venue_edit.text(),
            promoter=self.promoter_edit.text(),
            enterprise=self.enterprise_combo.text() or None,
            union=self.union_combo.text() or None,
            date=_day(self.date_edit.date()),
            event_name=self.event_edit.text() or None,
        ).success(self._opened).failure(self._refused).waiting(self._waiting_for_store).run_now()

    def _waiting_for_store(self, waiting: Waiting) -> None:
        """The store is busy (a roster import): say why; one open at a time until it is done."""
        self.ok_button.setEnabled(False)
        self.error_label.show_hint(waiting.message(), WARN_COLOUR)

    def _opened(self, info: SessionInfo) -> None:
        self.session = info
        self.opened.emit(info)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        """A missing venue or promoter is said next to its field; anything else under the form."""
        self.ok_button.setEnabled(True)
        key = exc.key if isinstance(exc, StationError) else None
        if key == "session_venue_required":
            self.venue_msg.show_error(error_sentence(exc))
            self.venue_edit.setFocus()
        elif key == "session_promoter_required":
            self.promoter_msg.show_error(error_sentence(exc))
            self.promoter_edit.setFocus()
        else:
            self.error_label.show_error(error_sentence(exc))  # an unexpected error's traceback is in the log
