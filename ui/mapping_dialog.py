"""列对应: which column of a hand-made sheet holds which field.

Shown when the import engine could not recognise every required column
(preview.missing), or when the user asks to check.  The engine's guess is
pre-selected; OK stays disabled until every required field has a column
and no column is used twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.roster.tabular import column_letter
from ui.common import RowsModel, make_table
from ui.style import font_of
from ui.widgets import FieldMessage

NOT_IMPORTED = -1


class ColumnMappingDialog(QDialog):
    """One combo per canonical field listing the file's headers, and a sample of rows."""

    def __init__(
        self,
        preview: Any,
        *,
        fields: Sequence[str],
        labels: Mapping[str, str],
        required: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.fields = list(fields)
        self.required = set(required)
        self.setWindowTitle(self.tr("核对列对应"))
        self.resize(980, 600)

        name = getattr(getattr(preview, "path", None), "name", "") or str(getattr(preview, "path", ""))
        where = self.tr("文件：{name}").format(name=name)
        sheet = getattr(preview, "sheet", None)
        if sheet:
            where += "　" + self.tr("工作表：{sheet}").format(sheet=sheet)
        header_row = getattr(preview, "header_row", None)
        if header_row is not None:
            where += "　" + self.tr("表头在第 {row} 行").format(row=int(header_row) + 1)
        info = QLabel(where)
        info.setWordWrap(True)
        missing = [labels.get(f, f) for f in getattr(preview, "missing", []) or []]
        intro_text = self.tr("请为每一项选择文件中对应的列。带 * 的为必填项。")
        if missing:
            intro_text = self.tr("未能自动识别：{fields}。").format(fields=self.tr("、").join(missing)) + intro_text
        intro = QLabel(intro_text)
        intro.setWordWrap(True)
        intro.setFont(font_of(12, bold=True))

        headers = list(getattr(preview, "headers", []) or [])
        self.headers = headers
        guess = dict(getattr(preview, "mapping", {}) or {})
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.combos: dict[str, QComboBox] = {}
        for row, fld in enumerate(self.fields):
            text = labels.get(fld, fld) + (" *" if fld in self.required else "")
            lab = QLabel(text)
            lab.setFont(font_of(12, bold=fld in self.required))
            combo = QComboBox()
            combo.addItem(self.tr("不导入"), NOT_IMPORTED)
            for i, h in enumerate(headers):
                combo.addItem(self.tr("{col} 列：{header}").format(col=column_letter(i), header=h or self.tr("（无表头）")), i)
            chosen = guess.get(fld)
            if chosen is not None and 0 <= int(chosen) < len(headers):
                combo.setCurrentIndex(int(chosen) + 1)
            combo.currentIndexChanged.connect(self._changed)
            lab.setBuddy(combo)
            self.combos[fld] = combo
            grid.addWidget(lab, row // 2, (row % 2) * 2)
            grid.addWidget(combo, row // 2, (row % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.sample_model = RowsModel(headers, self)
        rows = [list(r) + [""] * (len(headers) - len(r)) for r in (getattr(preview, "sample_rows", []) or [])]
        self.sample_model.set_rows([r[: len(headers)] if headers else r for r in rows])
        self.sample_view = make_table(self.sample_model, stretch_last=False)
        self.sample_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        sample_title = QLabel(self.tr("文件前几行（预览）"))
        sample_title.setFont(font_of(11, bold=True))

        self.problem = FieldMessage()
        self.ok_button = QPushButton(self.tr("按此对应导入"))
        self.ok_button.setProperty("role", "accent")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)

        lay = QVBoxLayout(self)
        lay.addWidget(info)
        lay.addWidget(intro)
        lay.addLayout(grid)
        lay.addWidget(sample_title)
        lay.addWidget(self.sample_view, 1)
        lay.addLayout(buttons)

        self.ok_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self._labels = labels
        self._changed()

    def mapping(self) -> dict[str, int]:
        """field → column index, for the fields given a column."""
        out = {}
        for fld, combo in self.combos.items():
            col = combo.currentData()
            if col is not None and col != NOT_IMPORTED:
                out[fld] = int(col)
        return out

    def choose(self, field: str, column: int | str | None) -> None:
        """Select a column by index or header text (None: 不导入) — for keyboard users' tests too."""
        combo = self.combos[field]
        if column is None:
            combo.setCurrentIndex(0)
        elif isinstance(column, str):
            combo.setCurrentIndex(self.headers.index(column) + 1)
        else:
            combo.setCurrentIndex(column + 1)

    def _changed(self, *_args) -> None:
        mapping = self.mapping()
        missing = [self._labels.get(f, f) for f in self.fields if f in self.required and f not in mapping]
        used: dict[int, list[str]] = {}
        for fld, col in mapping.items():
            used.setdefault(col, []).append(self._labels.get(fld, fld))
        twice = [names for names in used.values() if len(names) > 1]
        if missing:
            self.problem.show_error(self.tr("请为必填项选择列：{fields}").format(fields=self.tr("、").join(missing)))
        elif twice:
            self.problem.show_error(self.tr("同一列不能对应两项：{fields}").format(fields=self.tr("、").join(twice[0])))
        else:
            self.problem.clear_message()
        self.ok_button.setEnabled(not missing and not twice)
        # Show in the preview which column feeds which field.
        labels = list(self.headers)
        for fld, col in mapping.items():
            if 0 <= col < len(labels):
                labels[col] = f"【{self._labels.get(fld, fld)}】{self.headers[col]}"
        self.sample_model.set_headers(labels)
