"""Small pieces every screen uses: message boxes, a read-only table model, formats."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QMessageBox, QTableView, QWidget

from station.errors import StationError
from station.store.logs import current_log_file

log = logging.getLogger(__name__)

# What Qt hands a model's rowCount/columnCount/data: an index, persistent or not.
AnyIndex = QModelIndex | QPersistentModelIndex



def error_sentence(exc: BaseException) -> str:
    """What a user reads about a failure: the core's sentence, or a pointer to the log."""
    if isinstance(exc, StationError):
        return exc.message()
    log_file = current_log_file()
    return QCoreApplication.translate("Common", "出现内部错误，操作未完成。详细信息已写入日志：{log}").format(log=log_file or QCoreApplication.translate("Common", "（无日志文件）"))


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str, *, warning: bool = False) -> bool:
    """A yes/no question with buttons that say what they do (no bare OK/Cancel)."""
    box = QMessageBox(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question, title, text, parent=parent)
    yes_btn = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_btn)
    box.exec()
    return box.clickedButton() is yes_btn


def inform(parent: QWidget | None, title: str, text: str, *, error: bool = False) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical if error else QMessageBox.Icon.Information, title, text, parent=parent)
    box.addButton(QCoreApplication.translate("Common", "知道了"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    inform(parent, title or QCoreApplication.translate("Common", "操作未完成"), error_sentence(exc), error=True)


def fmt_time(moment: dt.datetime | None, *, with_date: bool = True) -> str:
    if moment is None:
        return ""
    today = dt.date.today()
    if not with_date or moment.date() == today:
        return moment.strftime("%H:%M")
    if moment.year == today.year:
        return moment.strftime("%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def fmt_int(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


class RowsModel(QAbstractTableModel):
    """Rows of already-formatted strings for a QTableView (read-only, fast for thousands)."""

    def __init__(self, headers: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[Sequence[Any]] = []
        self._tooltips: list[str | None] = []

    def set_headers(self, headers: Sequence[str]) -> None:
        self._headers = list(headers)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headers) - 1)

    def set_rows(self, rows: Sequence[Sequence[Any]], tooltips: Sequence[str | None] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._tooltips = list(tooltips) if tooltips else []
        self.endResetModel()

    def rows(self) -> list[Sequence[Any]]:
        return list(self._rows)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._rows[index.row()][index.column()]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltips:
            return self._tooltips[index.row()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
                return self._headers[section]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None


def make_table(model: RowsModel, parent: QWidget | None = None, *, stretch_last: bool = True) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    header.setHighlightSections(False)
    view.setWordWrap(False)
    return view
