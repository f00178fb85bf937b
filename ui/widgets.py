"""Reusable input widgets: the organisation combo with completion, a labelled field."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QFrame, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget


class OrgCombo(QComboBox):
    """Editable combo for 单位 / 基层工会 names: type freely, completion matches anywhere."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumContentsLength(10)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.name_completer = completer

    def line(self) -> QLineEdit:
        """The combo's own line edit: there always is one, the combo is editable from the start."""
        line = self.lineEdit()
        assert line is not None
        return line

    def set_names(self, names: list[str]) -> None:
        text = self.currentText()
        self.blockSignals(True)
        self.clear()
        self.addItems(names)
        self._names.setStringList(names)
        self.setCurrentIndex(-1)
        self.setEditText(text)
        self.blockSignals(False)

    def text(self) -> str:
        return self.currentText().strip()

    def setText(self, text: str | None) -> None:
        self.setEditText(text or "")

    def setPlaceholderText(self, text: str) -> None:
        self.line().setPlaceholderText(text)


class FieldMessage(QLabel):
    """The line under a field: red for an error, coloured for a hint, empty otherwise.

    It keeps its height when empty so the form does not jump while typing.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumHeight(self.fontMetrics().height() + 2)
        self.kind = ""

    def show_error(self, text: str) -> None:
        self._show(text, "#c62828", "error")

    def show_hint(self, text: str, colour: str = "#455a64") -> None:
        self._show(text, colour, "hint")

    def clear_message(self) -> None:
        self._show("", "#455a64", "")

    def _show(self, text: str, colour: str, kind: str) -> None:
        self.kind = kind
        self.setStyleSheet(f"color: {colour};")
        self.setText(text)


def labelled(label: QLabel, field: QWidget, message: QWidget | None = None) -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(label)
    lay.addWidget(field)
    if message is not None:
        lay.addWidget(message)
    return box


class FigureTile(QFrame):
    """A big figure with its label (and an optional note under it): the 今日 and 同步 screens' tiles."""

    def __init__(self, label: str, parent: QWidget | None = None, *, value_pt: int = 24, tight: bool = False) -> None:
        super().__init__(parent)
        from ui.style import font_of

        self.setObjectName("Card")
        self.label = QLabel(label)
        self.label.setProperty("role", "muted")
        self.value = QLabel("—")
        self.value.setFont(font_of(value_pt, bold=True))
        self.note = QLabel()
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.note.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(*((12, 6, 12, 6) if tight else (14, 8, 14, 8)))
        lay.setSpacing(0)
        lay.addWidget(self.label)
        lay.addWidget(self.value)
        lay.addWidget(self.note)

    def set(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)
        self.note.setVisible(bool(note))
