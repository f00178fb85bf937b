"""现场注册: the booth form, the heart of the station.

A queue of workers, one promoter typing fast: every field checks itself as
it is typed (rules from station.signup.service), Enter anywhere submits, the outcome
shows big and coloured, the form clears and focus returns to 姓名 for the
next person.  The form is checked once per keystroke as typed and once on
submit; the sign-up of that checked form (ui.operations.signup.register)
commits durably before it returns (a few ms), so it runs here on the GUI
thread and the outcome only shows once it is saved.  When another process
holds the store (a roster import), the sign-up goes on waiting in a worker:
the outcome panel says why (正在导入名册，请稍候…) and the form takes no
keys until the real outcome shows.  The screen reaches the core through
ui.operations.signup.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.i18n import get_lang, t
from station.people.textnorm import compact
from station.security.masking import mask_id, mask_name
from station.security.operators import OperatorSession
from station.signup import service as signup
from station.signup.booth import SessionInfo
from station.signup.consent import CURRENT_VERSION
from station.signup.service import FormCheck, FormInvalid, SignupResult, SignupRow, outcome_text
from station.store.database import Store
from station.store.writes import Waiting
from ui.common import RowsModel, error_sentence, fmt_int, fmt_time, make_table
from ui.consent_dialog import ConsentDialog
from ui.operations import signup as ops
from ui.style import INFO_COLOUR, OK_COLOUR, OUTCOME_COLOURS, WARN_COLOUR, font_of
from ui.widgets import FieldMessage, OrgCombo
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

FIELD_FONT = 14


class OutcomePanel(QFrame):
    """The big coloured answer: 在册会员 / 新会员申请 / 已登记 / a refusal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OutcomePanel")
        self.kind = "idle"
        self.title_label = QLabel()
        self.title_label.setFont(font_of(30, bold=True))
        self.title_label.setWordWrap(True)
        self.headline_label = QLabel()
        self.headline_label.setFont(font_of(17, bold=True))
        self.headline_label.setWordWrap(True)
        self.detail_label = QLabel()
        self.detail_label.setFont(font_of(13))
        self.detail_label.setWordWrap(True)
        for label in (self.title_label, self.headline_label, self.detail_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 16, 22, 16)
        lay.setSpacing(8)
        lay.addWidget(self.title_label)
        lay.addWidget(self.headline_label)
        lay.addWidget(self.detail_label)
        lay.addStretch(1)
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_outcome(self, kind: str, title: str, headline: str = "", detail: str = "") -> None:
        self.kind = kind
        bg, fg = OUTCOME_COLOURS[kind]
        self.setStyleSheet(
            f"QFrame#OutcomePanel {{ background: {bg}; border-radius: 10px; }}"
            f" QFrame#OutcomePanel QLabel {{ color: {fg}; background: transparent; }}"
        )
        self.title_label.setText(title)
        self._fit_title()
        self.headline_label.setText(headline)
        self.headline_label.setVisible(bool(headline))
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))

    def _fit_title(self) -> None:
        # One line at the largest size that fits: English titles are longer than Chinese ones.
        room = max(200, self.width() - 50)
        for size in (30, 26, 22, 19):
            font = font_of(size, bold=True)
            self.title_label.setFont(font)
            if QFontMetrics(font).horizontalAdvance(self.title_label.text()) <= room:
                break

    def resizeEvent(self, event) -> None:  # a Qt override
        super().resizeEvent(event)
        self._fit_title()

    def text(self) -> str:
        """Everything the panel says, for tests and screen readers."""
        return "\n".join(x for x in (self.title_label.text(), self.headline_label.text(), self.detail_label.text()) if x)


class SignupScreen(QWidget):
    """Fields 姓名 / 手机号码 / 身份证号码 / 单位 / 基层工会, consent, and the 登记 button."""

    request_open_session = Signal()
    signed_up = Signal(object)  # SignupResult
    count_changed = Signal(int)

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None, *,
                 operator: OperatorSession | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.operator = operator
        self._seq = 0
        self.saving = False  # a sign-up is on its way to the store (waiting for it, when it is busy)
        self.session: SessionInfo | None = None
        self.today_count = 0
        self._union_auto = True
        self._last_hint_id: str | None = None
        self._build()
        self._connect()
        self.set_session(None)

    # -- layout -------------------------------------------------------------
    def _build(self) -> None:
        # Session bar: where the booth is, or a call to open a session.
        self.session_bar = QFrame()
        self.session_bar.setObjectName("SessionBar")
        self.session_label = QLabel()
        self.session_label.setFont(font_of(13, bold=True))
        self.session_label.setWordWrap(True)
        self.session_button = QPushButton(self.tr("开启场次 (F2)"))
        self.session_button.setFont(font_of(12, bold=True))
        self.session_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        bar = QHBoxLayout(self.session_bar)
        bar.setContentsMargins(12, 6, 12, 6)
        bar.addWidget(self.session_label, 1)
        bar.addWidget(self.session_button)

        # The form.
        def line_edit(placeholder: str, max_len: int) -> QLineEdit:
            edit = QLineEdit()
            edit.setFont(font_of(FIELD_FONT))
            edit.setPlaceholderText(placeholder)
            edit.setMaxLength(max_len)
            edit.setMinimumHeight(38)
            return edit

        self.name_edit = line_edit(self.tr("如：张三"), 60)
        self.phone_edit = line_edit(self.tr("11 位手机号码"), 20)
        self.id_edit = line_edit(self.tr("18 位身份证号码"), 30)
        self.name_msg = FieldMessage()
        self.phone_msg = FieldMessage()
        self.id_msg = FieldMessage()
        self.id_hint = FieldMessage()
        self.enterprise_combo = OrgCombo()
        self.union_combo = OrgCombo()
        for combo in (self.enterprise_combo, self.union_combo):
            combo.setFont(font_of(FIELD_FONT))
            combo.setStyleSheet(f"QComboBox, QComboBox QLineEdit {{ font-size: {FIELD_FONT}pt; }}")
            combo.setMinimumHeight(38)

        def label(text: str, buddy: QWidget) -> QLabel:
            lab = QLabel(text)
            lab.setFont(font_of(13, bold=True))
            lab.setBuddy(buddy)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return lab

        self.name_label = label(self.tr("姓名(&N)"), self.name_edit)
        self.phone_label = label(self.tr("手机号码(&M)"), self.phone_edit)
        self.id_label = label(self.tr("身份证号码(&I)"), self.id_edit)
        self.enterprise_label = label(self.tr("单位名称(&E)"), self.enterprise_combo)
        self.union_label = label(self.tr("基层工会名称(&U)"), self.union_combo)

        self.consent_check = QCheckBox(
            self.tr("已阅读并同意《个人信息处理告知同意书》({version})").format(version=CURRENT_VERSION)
        )
        self.consent_check.setFont(font_of(13, bold=True))
        self.consent_check.setStyleSheet("QCheckBox::indicator { width: 22px; height: 22px; }")
        self.consent_view_button = QPushButton(self.tr("查看全文"))
        self.consent_view_button.setFlat(True)
        self.consent_view_button.setStyleSheet("color: #1a5fb4; text-decoration: underline;")
        self.consent_view_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.consent_view_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.consent_msg = FieldMessage()

        self.submit_button = QPushButton(self.tr("登记 (Enter)"))
        self.submit_button.setProperty("role", "primary")
        self.submit_button.setMinimumHeight(54)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        row = 0
        for lab, field, msgs in (
            (self.name_label, self.name_edit, [self.name_msg]),
            (self.phone_label, self.phone_edit, [self.phone_msg]),
            (self.id_label, self.id_edit, [self.id_msg, self.id_hint]),
            (self.enterprise_label, self.enterprise_combo, []),
            (self.union_label, self.union_combo, []),
        ):
            grid.addWidget(lab, row, 0)
            grid.addWidget(field, row, 1)
            row += 1
            for msg in msgs:
                grid.addWidget(msg, row, 1)
                row += 1
            if not msgs:
                grid.setRowMinimumHeight(row, 8)
                row += 1
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent_check)
        consent_row.addWidget(self.consent_view_button)
        consent_row.addStretch(1)

        form_card = QFrame()
        form_card.setObjectName("Card")
        form_lay = QVBoxLayout(form_card)
        form_lay.setContentsMargins(16, 12, 16, 12)
        form_lay.addLayout(grid)
        form_lay.addSpacing(4)
        form_lay.addLayout(consent_row)
        form_lay.addWidget(self.consent_msg)
        form_lay.addWidget(self.submit_button)
        form_lay.addStretch(1)

        # Right column: today's count, the outcome, the last few sign-ups.
        self.count_box = QFrame()
        self.count_box.setObjectName("CountBox")
        count_caption = QLabel(self.tr("今日本站登记"))
        count_caption.setFont(font_of(13))
        self.count_label = QLabel("0")
        self.count_label.setFont(font_of(34, bold=True))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        count_lay = QHBoxLayout(self.count_box)
        count_lay.setContentsMargins(16, 4, 16, 4)
        count_lay.addWidget(count_caption)
        count_lay.addWidget(self.count_label, 1)

        self.outcome = OutcomePanel()

        recent_title = QLabel(self.tr("本场最近登记"))
        recent_title.setFont(font_of(12, bold=True))
        self.recent_model = RowsModel([self.tr("时间"), self.tr("姓名"), self.tr("身份证号码"), self.tr("结果")], self)
        self.recent_view = make_table(self.recent_model)
        self.recent_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent_view.setMinimumHeight(120)
        self.recent_view.setColumnWidth(0, 70)
        self.recent_view.setColumnWidth(1, 90)
        self.recent_view.setColumnWidth(2, 190)

        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.count_box)
        right.addWidget(self.outcome, 3)
        right.addWidget(recent_title)
        right.addWidget(self.recent_view, 2)

        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addWidget(form_card, 11)
        columns.addLayout(right, 9)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(8)
        outer.addWidget(self.session_bar)
        outer.addLayout(columns, 1)

        order = [self.name_edit, self.phone_edit, self.id_edit, self.enterprise_combo, self.union_combo,
                 self.consent_check, self.submit_button]
        for a, b in itertools.pairwise(order):
            QWidget.setTabOrder(a, b)

    def _connect(self) -> None:
        self.session_button.clicked.connect(self.request_open_session)
        self.submit_button.clicked.connect(self.submit)
        for edit in (self.name_edit, self.phone_edit, self.id_edit):
            edit.returnPressed.connect(self.submit)
        # An editable QComboBox hands Return back to its line edit, so its
        # returnPressed fires twice: catch the key on the combo instead.
        self._enter_filter = _EnterSubmits(self.submit, self)
        for widget in (self.enterprise_combo, self.union_combo, self.consent_check, self.submit_button):
            widget.installEventFilter(self._enter_filter)
        self.consent_view_button.clicked.connect(self.show_consent)

        self.name_edit.textEdited.connect(self._name_typed)
        self.name_edit.editingFinished.connect(self._name_left)
        self.phone_edit.textEdited.connect(self._phone_typed)
        self.phone_edit.editingFinished.connect(self._phone_left)
        self.id_edit.textEdited.connect(self._id_typed)
        self.id_edit.editingFinished.connect(self._id_left)
        self.consent_check.toggled.connect(self._consent_toggled)
        self.enterprise_combo.activated.connect(self._enterprise_changed)
        completer, enterprise_line = self.enterprise_combo.completer(), self.enterprise_combo.lineEdit()
        union_line = self.union_combo.lineEdit()
        assert completer is not None and enterprise_line is not None and union_line is not None  # editable combos
        completer.activated.connect(self._enterprise_changed)
        enterprise_line.editingFinished.connect(self._enterprise_changed)
        union_line.textEdited.connect(self._union_typed)

    # -- session --------------------------------------------------------------
    def set_session(self, info: SessionInfo | None) -> None:
        self.session = info
        if info is None:
            self.session_bar.setProperty("state", "none")
            self.session_label.setText(self.tr("尚未开启场次：请先点“开启场次”，填写场地和推广员后再登记。"))
            self.session_button.setText(self.tr("开启场次 (F2)"))
            self.enterprise_combo.setPlaceholderText(self.tr("单位名称"))
            self.union_combo.setPlaceholderText(self.tr("基层工会名称"))
        else:
            stale = self.session_is_stale()
            self.session_bar.setProperty("state", "none" if stale else "open")
            host = " · ".join(x for x in (info.enterprise, info.union) if x)
            text = self.tr("场次：{event} · {venue} · 推广员 {promoter}").format(
                event=info.event_name, venue=info.venue, promoter=info.promoter
            )
            if stale:
                # A session left open since an earlier day would file today's sign-ups under that day's event.
                text += "\n" + self.tr("这是 {date} 的场次，不是今天的：请按 F2 开启今天的场次。").format(
                    date=info.date.isoformat())
            elif host:
                text += "\n" + self.tr("主办：{host}").format(host=host)
            self.session_label.setText(text)
            self.session_button.setText(self.tr("更换场次 (F2)"))
            self.enterprise_combo.setPlaceholderText(info.enterprise or self.tr("单位名称"))
            self.union_combo.setPlaceholderText(info.union or self.tr("基层工会名称"))
        self.session_bar.style().unpolish(self.session_bar)
        self.session_bar.style().polish(self.session_bar)
        self._reset_orgs()
        self.show_ready()
        self.refresh()

    def set_operator(self, op: OperatorSession | None) -> None:
        """The operator whose key reads and writes personal data (None: locked)."""
        self.operator = op

    def clear_personal_data(self) -> None:
        """Locking: the form, the last outcome and the recent list go (results still in flight are dropped)."""
        self._seq += 1
        self.clear_form()
        self.recent_model.set_rows([])
        self.show_ready()

    def session_is_stale(self) -> bool:
        """The open session belongs to an earlier day (the station was left on overnight)."""
        return self.session is not None and self.session.date < dt.date.today()

    def show_ready(self) -> None:
        """The idle panel: what to do next."""
        if self.session is None:
            self.outcome.show_outcome("idle", self.tr("请先开启场次"), "", self.tr("按 F2 或点“开启场次”，填写场地和推广员。"))
        else:
            self.outcome.show_outcome("idle", self.tr("请登记"), "", self.tr("填好后按 Enter 或点“登记”。"))

    def _reset_orgs(self) -> None:
        info = self.session
        self.enterprise_combo.setText(info.enterprise if info else "")
        self.union_combo.setText(info.union if info else "")
        self._union_auto = True

    def set_org_names(self, enterprises: list[str], unions: list[str]) -> None:
        self.enterprise_combo.set_names(enterprises)
        self.union_combo.set_names(unions)

    def refresh(self) -> None:
        """Reload today's count and the recent list in the background."""
        event_id = self.session.event_id if self.session else None
        self._seq += 1
        seq = self._seq

        def loaded(value: tuple[int, list[SignupRow]]) -> None:
            self._loaded(value, seq)

        # Locked (no operator): the count only; the names need the data key.  On a failure the count and
        # the list stay as they were (the worker logged why).
        ops.recent(self, self.runner, self.store, self.operator, event_id, limit=10) \
            .success(loaded) \
            .failure(lambda _exc: None) \
            .run_in_background()

    def _loaded(self, value: tuple[int, list[SignupRow]], seq: int | None = None) -> None:
        if seq is not None and seq != self._seq:
            return
        count, rows = value
        self._set_count(count)
        self.recent_model.set_rows([
            (fmt_time(r.at), mask_name(r.name), mask_id(r.id_number), outcome_text(r.outcome))
            for r in rows
        ])

    def _set_count(self, count: int) -> None:
        self.today_count = count
        self.count_label.setText(fmt_int(count))
        self.count_changed.emit(count)

    # -- live checks ----------------------------------------------------------
    def _name_typed(self, _text: str) -> None:
        if self.name_msg.kind == "error":
            _, issue = signup.check_name(self.name_edit.text())
            if issue is None:
                self.name_msg.clear_message()

    def _name_left(self) -> None:
        if not self.name_edit.text().strip():
            return  # an untouched empty field is not an error until submit
        _, issue = signup.check_name(self.name_edit.text())
        self._show_issue(self.name_msg, issue)

    def _phone_typed(self, text: str) -> None:
        digits = compact(text)
        if len(digits) >= 11:
            _, issue = signup.check_phone(text)
            self._show_issue(self.phone_msg, issue)
        elif self.phone_msg.kind == "error":
            self.phone_msg.clear_message()

    def _phone_left(self) -> None:
        if not self.phone_edit.text().strip():
            return
        _, issue = signup.check_phone(self.phone_edit.text())
        self._show_issue(self.phone_msg, issue)

    def _id_typed(self, text: str) -> None:
        raw = compact(text)
        if len(raw) >= 18:
            self._check_id(show_errors=True)
        else:
            self.id_msg.clear_message()
            self.id_hint.clear_message()
            self._last_hint_id = None

    def _id_left(self) -> None:
        if self.id_edit.text().strip():
            self._check_id(show_errors=True)

    def _check_id(self, show_errors: bool) -> None:
        check = signup.check_id_field(self.id_edit.text())  # once: number, error, birth date / sex / age
        error, warning = check.errors.get("id_number"), check.warnings.get("id_number")
        number = check.id_number
        if error is not None:
            if show_errors:
                self.id_msg.show_error(self._id_error_text(error, check))
        else:
            note = self._derived(check)
            if warning is not None:
                note = f"{note}　{warning.message()}"
            self.id_msg.show_hint(note, OK_COLOUR if warning is None else WARN_COLOUR)
        if number and error is None:
            if number != self._last_hint_id:
                self._last_hint_id = number
                self._roster_hint(number)
        else:  # no roster hint for a number that cannot be signed up
            self.id_hint.clear_message()
            self._last_hint_id = None

    def _id_error_text(self, issue, check: FormCheck) -> str:
        text = issue.message()
        if issue.key == "under_age" and check.birth_date:
            text += self.tr("（出生 {birth}）").format(birth=check.birth_date.isoformat())
        return text

    def _derived(self, check: FormCheck) -> str:
        sex = self.tr("男") if check.sex == "M" else self.tr("女")
        return self.tr("{sex} · 出生 {birth} · {age} 岁").format(
            sex=sex, birth=check.birth_date.isoformat() if check.birth_date else "", age=check.age
        )

    def _roster_hint(self, number: str) -> None:
        # One indexed lookup by ID number: cheap even on a 1.4-million roster.
        if self.operator is None:
            return
        try:
            found = ops.roster_hint(self.store, number, self.operator)
        except Exception:  # a hint must never stop the form
            log.exception("roster hint failed")
            self.id_hint.clear_message()
            return
        if found and found.get("earlier") is not None:
            e = found["earlier"]
            self.id_hint.show_hint(
                self.tr("已登记：{at} {venue}（{station}）").format(at=fmt_time(e.at), venue=e.venue, station=e.station_name),
                WARN_COLOUR,
            )
        elif found and found.get("on_roster"):
            ent = found.get("enterprise")
            self.id_hint.show_hint(
                self.tr("名册：{name}").format(name=found["name"]) + (f" · {ent}" if ent else ""), OK_COLOUR
            )
        else:
            self.id_hint.show_hint(self.tr("名册中没有此人：将登记为新会员申请"), INFO_COLOUR)

    def _show_issue(self, msg: FieldMessage, issue) -> None:
        if issue is None:
            if msg.kind == "error":
                msg.clear_message()
        else:
            msg.show_error(issue.message())

    def _consent_toggled(self, checked: bool) -> None:
        if checked:
            self.consent_msg.clear_message()

    def _union_typed(self, _text: str) -> None:
        self._union_auto = False

    def _enterprise_changed(self, *_args) -> None:
        if not self._union_auto:
            return
        name = self.enterprise_combo.text()
        host = self.session.enterprise if self.session else None
        if name == (host or ""):
            self.union_combo.setText(self.session.union if self.session else "")
            return
        union = None
        if name:
            try:
                union = ops.union_for_enterprise(self.store, name)
            except StationError:
                union = None
        self.union_combo.setText(union or "")

    def show_consent(self) -> None:
        dialog = ConsentDialog(self)
        dialog.accepted.connect(lambda: self.consent_check.setChecked(True))
        dialog.finished.connect(lambda _r: self.consent_check.setFocus())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # -- submit ---------------------------------------------------------------
    def submit(self) -> None:
        """Validate, check consent and session, then register and show the outcome."""
        if self.saving:
            return  # the last person is still being stored: the outcome panel says so
        name, phone, id_number = self.name_edit.text(), self.phone_edit.text(), self.id_edit.text()
        check = signup.check_form(name, phone, id_number)
        self._show_form_check(check)
        if not check.ok:
            self._refuse_form(check)
            return
        if not self.consent_check.isChecked():
            self.consent_msg.show_error(self.tr("请让本人阅读告知书后勾选同意（按空格键勾选）。"))
            self._refuse(self.tr("未勾选同意书"), "", t("consent_required"))
            self.consent_check.setFocus()
            return
        if self.operator is None:
            self._refuse(self.tr("未登录"), "", self.tr("请先登录再登记。"))
            return
        # The form checked above, not checked again: committed (fsynced) before success is called.
        self.saving = True
        seq = self._seq
        ops.register(self, self.runner, self.store, self.operator, check,
                     enterprise=self.enterprise_combo.text() or None, union=self.union_combo.text() or None) \
            .success(lambda result: self._registered(result, seq)) \
            .failure(lambda exc: self._not_registered(exc, seq)) \
            .waiting(self._waiting_for_store) \
            .run_now()

    def _waiting_for_store(self, waiting: Waiting) -> None:
        """The store is busy: say why, and take no keys until this person's outcome shows."""
        if not self.saving:
            return
        self._hold_form(True)
        self.outcome.show_outcome("idle", waiting.message(), "", t("signup_waiting_detail"))

    def _hold_form(self, hold: bool) -> None:
        for edit in (self.name_edit, self.phone_edit, self.id_edit, self.enterprise_combo.line(),
                     self.union_combo.line()):
            edit.setReadOnly(hold)
        for widget in (self.consent_check, self.submit_button):
            widget.setEnabled(not hold)

    def _saved(self, seq: int | None) -> bool:
        """The sign-up came back: the form is free again; False when the station was locked meanwhile."""
        self.saving = False
        self._hold_form(False)
        return seq is None or seq == self._seq

    def _registered(self, result: SignupResult, seq: int | None = None) -> None:
        if not self._saved(seq):
            self.signed_up.emit(result)  # stored; its outcome is not for whoever is at the station now
            self.refresh()
            return
        self._show_result(result)
        self.signed_up.emit(result)
        self.clear_form()
        self.refresh()

    def _not_registered(self, exc: BaseException, seq: int | None = None) -> None:
        if not self._saved(seq):
            return
        if isinstance(exc, FormInvalid):
            self._show_form_check(exc.check)
            self._refuse_form(exc.check)
        elif isinstance(exc, StationError) and exc.key == "no_session":
            self.set_session(None)
            self._refuse(self.tr("未开启场次"), "", exc.message())
            self.request_open_session.emit()
        elif isinstance(exc, StationError) and exc.key == "consent_required":
            self._refuse(self.tr("未勾选同意书"), "", exc.message())
            self.consent_check.setFocus()
        elif isinstance(exc, StationError):
            self._refuse(self.tr("未保存"), "", exc.message())
        else:  # a sentence for the user; run_now already logged the traceback
            self._refuse(self.tr("未保存"), "", error_sentence(exc))

    def _show_form_check(self, check: FormCheck) -> None:
        for fld, msg in (("name", self.name_msg), ("phone", self.phone_msg)):
            issue = check.errors.get(fld)
            if issue:
                msg.show_error(issue.message())
            elif msg.kind == "error":
                msg.clear_message()
        if "id_number" in check.errors:
            self.id_msg.show_error(self._id_error_text(check.errors["id_number"], check))
            self.id_hint.clear_message()
            self._last_hint_id = None

    def _refuse_form(self, check: FormCheck) -> None:
        errors = check.errors
        under = errors.get("id_number")
        if under is not None and under.key == "under_age" and len(errors) == 1:
            headline = self.tr("年龄：{age} 岁").format(age=under.params.get("age", check.age))
            if check.birth_date:
                headline += self.tr("（出生 {birth}）").format(birth=check.birth_date.isoformat())
            self._refuse(self.tr("未满16周岁，不能登记"), headline, self.tr("本次未保存。"))
            self.id_edit.setFocus()
            self.id_edit.selectAll()
            return
        labels = {"name": t("field_name"), "phone": t("field_phone"), "id_number": t("field_id_number")}
        sep = ": " if get_lang() == "en" else "："
        detail = "\n".join(f"{labels[f]}{sep}{issue.message()}" for f, issue in errors.items())
        self._refuse(self.tr("未保存：请核对标红的项"), "", detail)
        first = next(iter(errors))
        edit = {"name": self.name_edit, "phone": self.phone_edit, "id_number": self.id_edit}[first]
        edit.setFocus()
        edit.selectAll()

    def _refuse(self, title: str, headline: str, detail: str) -> None:
        self.outcome.show_outcome("refused", title, headline, detail)
        QApplication.beep()

    def _show_result(self, r: SignupResult) -> None:
        who = r.roster_name or r.name
        org = " · ".join(x for x in (r.enterprise, r.union) if x)
        warnings = "\n".join(w.message() for w in r.warnings)
        if r.outcome == signup.OUTCOME_ROSTER:
            # The promoter checks the person against the roster's enterprise.
            roster_ent = r.roster_enterprise or r.enterprise
            self.outcome.show_outcome(
                "roster", t("outcome_roster"), f"{who} · {roster_ent}" if roster_ent else who,
                "\n".join(x for x in (self.tr("已登记，可参加抽奖。身份证 {id}").format(id=mask_id(r.id_number)),
                                       warnings) if x),
            )
        elif r.outcome == signup.OUTCOME_NEW:
            self.outcome.show_outcome(
                "new", t("outcome_new"), f"{who} · {org}" if org else who,
                "\n".join(x for x in (self.tr("名册中没有此人，已登记为新会员申请。身份证 {id}").format(id=mask_id(r.id_number)),
                                       warnings) if x),
            )
        else:
            e = r.earlier
            detail = ""
            if e is not None:
                detail = t("already_detail", at=e.at.strftime("%Y-%m-%d %H:%M"), event=e.event_name,
                           venue=e.venue, station=e.station_name)
            self.outcome.show_outcome(
                "already", t("outcome_already"), f"{who} · {r.enterprise}" if r.enterprise else who,
                detail + "\n" + self.tr("本次未重复登记。"),
            )
        if r.today_count:
            self._set_count(r.today_count)

    def clear_form(self) -> None:
        """Ready for the next person: personal fields empty, consent unticked, host defaults back."""
        for edit in (self.name_edit, self.phone_edit, self.id_edit):
            edit.clear()
        for msg in (self.name_msg, self.phone_msg, self.id_msg, self.id_hint, self.consent_msg):
            msg.clear_message()
        self._last_hint_id = None
        self.consent_check.setChecked(False)
        self._reset_orgs()
        self.name_edit.setFocus()


class _EnterSubmits(QObject):
    """Enter on the consent box or the button submits too (Space still ticks / presses)."""

    def __init__(self, submit, parent: QObject) -> None:
        super().__init__(parent)
        self._submit = submit

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # a Qt override
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            self._submit()
            return True
        return False
