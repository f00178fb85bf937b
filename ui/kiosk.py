"""Leaving the door's kiosk mode: only an organizer's passphrase does it.

A 核验员 (door checker) sees the 核验 screen only, full screen
(ui/main_window.py).  This dialog is the one way out besides locking: an
organizer picks their name, types their passphrase, and the station is
theirs from then on (the log-in is audited like any other).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.security.operators import ORGANIZER, OperatorSession
from station.store.database import Store
from ui.common import error_sentence
from ui.operations import auth as auth_ops
from ui.widgets import FieldMessage
from ui.workers import TaskRunner


class KioskExitDialog(QDialog):
    """An organizer's name and passphrase; ``left`` carries their session when both are right."""

    left = Signal(object)  # OperatorSession of the organizer

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.runner = store, runner
        self.busy = False
        self.setObjectName("kiosk_exit")
        self.setWindowTitle(self.tr("退出核验模式"))
        self.setMinimumWidth(460)
        intro = QLabel(self.tr("核验模式只能由管理员退出：请管理员输入自己的密码。"))
        intro.setWordWrap(True)
        self.name_combo = QComboBox()
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("管理员(&N)"), self.name_combo)
        form.addRow(self.tr("密码(&P)"), self.secret_edit)
        self.message = FieldMessage()
        self.ok_button = QPushButton(self.tr("退出核验模式"))
        self.ok_button.setProperty("role", "accent")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        self.ok_button.clicked.connect(self.submit)
        self.secret_edit.returnPressed.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        auth_ops.organizers(self, runner, store) \
            .success(self._names).failure(lambda exc: self.message.show_error(error_sentence(exc))) \
            .run_in_background()
        self.secret_edit.setFocus()

    def _names(self, names: list[str]) -> None:
        self.name_combo.clear()
        self.name_combo.addItems(names)
        self.ok_button.setEnabled(bool(names))

    def submit(self) -> None:
        if self.busy or not self.name_combo.currentText():
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.message.show_hint(self.tr("正在核对…"))
        auth_ops.login(self, self.runner, self.store, self.name_combo.currentText(), self.secret_edit.text()) \
            .success(self._logged_in).failure(self._failed).run_in_background()

    def _logged_in(self, result: auth_ops.LoginResult) -> None:
        session: OperatorSession = result[0]
        self.busy = False
        self.ok_button.setEnabled(True)
        if session.role != ORGANIZER:  # the list holds organizers only; a role changed meanwhile
            self.message.show_error(self.tr("只有管理员能退出核验模式。"))
            return
        self.secret_edit.clear()
        self.left.emit(session)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.secret_edit.selectAll()
        self.secret_edit.setFocus()
        self.message.show_error(error_sentence(exc))
