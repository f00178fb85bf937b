"""The full 个人信息处理告知同意书, read out or shown to the worker before they agree."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from station.i18n import get_lang
from station.signup.consent import CURRENT_VERSION, consent
from ui.style import font_of


class ConsentDialog(QDialog):
    """Shows the consent text; 本人同意 accepts (the caller ticks the box), 关闭 rejects."""

    def __init__(self, parent: QWidget | None = None, version: str = CURRENT_VERSION) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("个人信息处理告知同意书（{version}）").format(version=version))
        self.resize(720, 560)
        self.text = QTextBrowser()
        self.text.setFont(font_of(13))
        self.text.setPlainText(consent(version).text(get_lang()))
        self.agree_button = QPushButton(self.tr("本人已阅读并同意"))
        self.agree_button.setProperty("role", "accent")
        self.close_button = QPushButton(self.tr("关闭"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        row.addWidget(self.agree_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addLayout(row)
        self.agree_button.clicked.connect(self.accept)
        self.close_button.clicked.connect(self.reject)
        self.agree_button.setDefault(True)
