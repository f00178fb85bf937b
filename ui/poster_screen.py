"""二维码海报: design a poster with a live preview, make one or a batch, print, see the register.

Everything is done by station.posters.service; this screen only collects choices and
shows results.  The preview, making and batches run in workers through
ui.operations.posters (the GUI thread only paints); a batch reports progress
and can be cancelled, and a cancelled or failed batch leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QColorDialog,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station.i18n import get_lang
from station.posters import service as posters
from station.posters.layout import Note, PosterPainter
from station.posters.service import MakeResult, PosterDesign, PosterProgress, PosterRow
from station.posters.templates import PLACEMENT_NAMES, PLACEMENTS, all_templates, default_content
from station.store.database import Store
from station.store.orgs import OrgNames
from ui.common import RowsModel, error_sentence, fmt_time, make_table
from ui.operations import posters as ops
from ui.style import ERROR_COLOUR, OK_COLOUR, WARN_COLOUR, font_of
from ui.widgets import FieldMessage, OrgCombo
from ui.workers import Task, TaskRunner

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from station.posters.templates import Template

log = logging.getLogger(__name__)

PREVIEW_DELAY_MS = 350
REGISTER_LIMIT = 500
PRINT_LIMIT = 200  # a print preview paints every page up front


class ColourButton(QPushButton):
    """A button that shows a colour and lets the user pick another."""

    changed = Signal()

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = colour
        self.setMinimumWidth(90)
        self.clicked.connect(self._pick)
        self._paint()

    def set_colour(self, colour: str) -> None:
        self.colour = colour.upper()
        self._paint()
        self.changed.emit()

    def _paint(self) -> None:
        light = QColor(self.colour).lightness() > 150
        self.setText(self.colour)
        self.setStyleSheet(f"background: {self.colour}; color: {'#1f1f1f' if light else '#ffffff'};"
                           " border: 1px solid #90a4ae; border-radius: 4px; padding: 4px 8px;")

    def _pick(self) -> None:
        dialog = QColorDialog(QColor(self.colour), self)
        dialog.colorSelected.connect(lambda c: self.set_colour(c.name()))
        dialog.open()


class PosterScreen(QWidget):
    """Design, preview, make, print and list QR posters."""

    posters_changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner or TaskRunner(self)
        self.loaded = False
        self.batch_task: Task | None = None
        self._batch_cancel = threading.Event()
        self._preview_seq = 0
        self._preview_image: QImage | None = None
        self.last_result: MakeResult | None = None
        self.last_design: PosterDesign | None = None
        self.print_dialog: QPrintPreviewDialog | None = None
        self._texts, self._colours = default_content()

        title = QLabel(self.tr("二维码海报"))
        title.setProperty("role", "title")
        intro = QLabel(self.tr("每张海报的二维码都带有单位、活动和海报编号，扫码注册可追溯到张贴地点。生成的文件已逐页校验二维码。"))
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")

        # -- the design form --------------------------------------------------------
        self.enterprise_combo = OrgCombo()
        self.enterprise_combo.setPlaceholderText(self.tr("输入或选择单位名称"))
        self.template_combo = QComboBox()
        for tpl in all_templates():
            self.template_combo.addItem(tpl.name(get_lang()), tpl.key)
        self.placement_combo = QComboBox()
        for key in PLACEMENTS:
            zh, en = PLACEMENT_NAMES[key]
            self.placement_combo.addItem(en if get_lang() == "en" else zh, key)
        self.campaign_edit = QLineEdit()
        self.campaign_edit.setPlaceholderText(dt.date.today().strftime("%Y%m"))
        self.campaign_edit.setMaxLength(20)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.title_edit = QLineEdit(self._texts["title"])
        self.subtitle_edit = QLineEdit(self._texts["subtitle"])
        self.ribbon_edit = QLineEdit(self._texts["ribbon"])
        self.ribbon_edit.setToolTip(self.tr("{enterprise} 会换成单位名称，{union} 换成工会名称"))
        self.benefits_edit = QPlainTextEdit("\n".join(self._texts["benefits"]))
        self.benefits_edit.setToolTip(self.tr("每行一条，1–6 条"))
        self.benefits_edit.setFixedHeight(96)
        self.steps_edit = QPlainTextEdit("\n".join(self._texts["steps"]))
        self.steps_edit.setToolTip(self.tr("每行一步，正好 3 行"))
        self.steps_edit.setFixedHeight(76)
        self.contact_edit = QLineEdit(self._texts["contact"])
        self.logo_edit = QLineEdit()
        self.logo_edit.setPlaceholderText(self.tr("默认工会标志"))
        self.logo_edit.setReadOnly(True)
        self.logo_button = QPushButton(self.tr("选择…"))
        self.logo_reset = QPushButton(self.tr("默认"))
        logo_row = QHBoxLayout()
        logo_row.setContentsMargins(0, 0, 0, 0)
        logo_row.addWidget(self.logo_edit, 1)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.logo_reset)
        self.primary_button = ColourButton(self._colours["primary"])
        self.accent_button = ColourButton(self._colours["accent"])
        colour_row = QHBoxLayout()
        colour_row.setContentsMargins(0, 0, 0, 0)
        colour_row.addWidget(QLabel(self.tr("主色")))
        colour_row.addWidget(self.primary_button)
        colour_row.addSpacing(12)
        colour_row.addWidget(QLabel(self.tr("辅色")))
        colour_row.addWidget(self.accent_button)
        colour_row.addStretch(1)
        self.distance_spin = QDoubleSpinBox()
        self.distance_spin.setRange(0.0, 10.0)
        self.distance_spin.setSingleStep(0.5)
        self.distance_spin.setDecimals(1)
        self.distance_spin.setSpecialValueText(self.tr("按模板"))
        self.distance_spin.setSuffix(self.tr(" 米"))
        self.base_url_edit = QLineEdit(posters.base_url(store))
        self.base_url_edit.setToolTip(self.tr("二维码打开的粤工惠注册页地址；修改后对本站所有新海报生效"))

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("单位(&E)"), self.enterprise_combo)
        form.addRow(self.tr("模板(&T)"), self.template_combo)
        form.addRow(self.tr("张贴位置"), self.placement_combo)
        form.addRow(self.tr("活动代码"), self.campaign_edit)
        form.addRow(self.tr("张贴日期"), self.date_edit)
        form.addRow(self.tr("标题"), self.title_edit)
        form.addRow(self.tr("副标题"), self.subtitle_edit)
        form.addRow(self.tr("单位条"), self.ribbon_edit)
        form.addRow(self.tr("会员福利"), self.benefits_edit)
        form.addRow(self.tr("注册步骤"), self.steps_edit)
        form.addRow(self.tr("联系方式"), self.contact_edit)
        form.addRow(self.tr("工会标志"), logo_row)
        form.addRow(self.tr("颜色"), colour_row)
        form.addRow(self.tr("扫码距离"), self.distance_spin)
        form.addRow(self.tr("注册页地址"), self.base_url_edit)
        form_box = QWidget()
        form_box.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(form_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As wide as the form needs (English labels are longer), within what a 1366-pixel screen allows.
        scroll.setMinimumWidth(min(460, max(330, form_box.minimumSizeHint().width() + 24)))

        self.message = FieldMessage()
        self.make_button = QPushButton(self.tr("生成 PDF…(&M)"))
        self.make_button.setProperty("role", "accent")
        self.print_button = QPushButton(self.tr("打印…(&P)"))
        actions = QHBoxLayout()
        actions.addWidget(self.make_button)
        actions.addWidget(self.print_button)
        actions.addStretch(1)

        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(scroll, 1)
        left.addWidget(self.message)
        left.addLayout(actions)
        left_box = QWidget()
        left_box.setLayout(left)

        # -- the preview ------------------------------------------------------------------
        self.preview_label = QLabel(self.tr("正在生成预览…"))
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_label.setMinimumSize(220, 300)
        self.preview_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview_label.setStyleSheet("background: #eceff1; border: 1px solid #cfd8dc;")
        self.preview_info = QLabel("")
        self.preview_info.setWordWrap(True)
        self.preview_info.setProperty("role", "muted")
        preview_col = QVBoxLayout()
        preview_col.setContentsMargins(0, 0, 0, 0)
        preview_col.addWidget(self.preview_label, 1)
        preview_col.addWidget(self.preview_info)
        preview_box = QWidget()
        preview_box.setLayout(preview_col)

        # -- batches ----------------------------------------------------------------------
        batch = QGroupBox(self.tr("批量生成"))
        self.union_combo = OrgCombo()
        self.union_combo.setPlaceholderText(self.tr("全部单位（不填）"))
        self.filter_all = QRadioButton(self.tr("全部"))
        self.filter_top = QRadioButton(self.tr("在册人数最多的前"))
        self.filter_low = QRadioButton(self.tr("认证率最低的前"))
        self.filter_all.setChecked(True)
        self.filter_group = QButtonGroup(self)
        for b in (self.filter_all, self.filter_top, self.filter_low):
            self.filter_group.addButton(b)
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 100000)
        self.count_spin.setValue(10)
        self.count_spin.setSuffix(self.tr(" 家"))
        self.min_spin = QSpinBox()
        self.min_spin.setRange(0, 1000000)
        self.min_spin.setValue(0)
        self.min_spin.setSpecialValueText(self.tr("不限"))
        self.min_spin.setSuffix(self.tr(" 人"))
        self.one_pdf = QRadioButton(self.tr("合成一个多页 PDF"))
        self.each_file = QRadioButton(self.tr("每家一个文件"))
        self.one_pdf.setChecked(True)
        self.out_group = QButtonGroup(self)
        self.out_group.addButton(self.one_pdf)
        self.out_group.addButton(self.each_file)
        self.batch_button = QPushButton(self.tr("批量生成…(&B)"))
        self.batch_button.setProperty("role", "accent")
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.batch_message = FieldMessage()

        filt = QHBoxLayout()
        radios = QVBoxLayout()
        radios.setSpacing(2)
        for b in (self.filter_all, self.filter_top, self.filter_low):
            radios.addWidget(b)
        filt.addLayout(radios)
        filt.addWidget(self.count_spin, 0, Qt.AlignmentFlag.AlignBottom)
        filt.addStretch(1)
        grid = QFormLayout(batch)
        grid.addRow(self.tr("基层工会"), self.union_combo)
        grid.addRow(self.tr("范围"), filt)
        grid.addRow(self.tr("在册人数至少"), self.min_spin)
        outs = QHBoxLayout()
        outs.addWidget(self.one_pdf)
        outs.addWidget(self.each_file)
        outs.addStretch(1)
        grid.addRow(self.tr("输出"), outs)
        run = QHBoxLayout()
        run.addWidget(self.batch_button)
        run.addWidget(self.progress, 1)
        run.addWidget(self.cancel_button)
        grid.addRow(run)
        grid.addRow(self.batch_message)

        # -- the register -------------------------------------------------------------------
        reg_title = QLabel(self.tr("海报登记簿"))
        reg_title.setFont(font_of(12, bold=True))
        self.register_model = RowsModel([
            self.tr("生成时间"), self.tr("编号"), self.tr("单位"), self.tr("模板"), self.tr("活动"),
            self.tr("张贴位置"), self.tr("张贴日期"), self.tr("文件"),
        ], self)
        self.register_view = make_table(self.register_model)
        for col, width in enumerate((110, 110, 240, 80, 80, 80, 100)):
            self.register_view.setColumnWidth(col, width)
        self.register_view.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(batch)
        right.addWidget(reg_title)
        right.addWidget(self.register_view, 1)
        right_box = QWidget()
        right_box.setLayout(right)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left_box)
        split.addWidget(preview_box)
        split.addWidget(right_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 4)
        split.setChildrenCollapsible(False)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addWidget(title)
        lay.addWidget(intro)
        lay.addWidget(split, 1)

        # -- wiring --------------------------------------------------------------------------
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.refresh_preview)
        for w in (self.title_edit, self.subtitle_edit, self.ribbon_edit, self.contact_edit, self.campaign_edit):
            w.textChanged.connect(self.schedule_preview)
        for box in (self.benefits_edit, self.steps_edit):
            box.textChanged.connect(self.schedule_preview)
        self.enterprise_combo.currentTextChanged.connect(self.schedule_preview)
        self.template_combo.currentIndexChanged.connect(self.schedule_preview)
        self.distance_spin.valueChanged.connect(self.schedule_preview)
        self.primary_button.changed.connect(self.schedule_preview)
        self.accent_button.changed.connect(self.schedule_preview)
        self.logo_button.clicked.connect(self.choose_logo)
        self.logo_reset.clicked.connect(lambda: self.set_logo(None))
        self.make_button.clicked.connect(self.choose_and_make)
        self.print_button.clicked.connect(self.print_current)
        self.batch_button.clicked.connect(self.choose_and_batch)
        self.cancel_button.clicked.connect(self.cancel_batch)
        self._restore_design()

    # -- data --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Names for the combos and the register: GROUP BY and a join, so in a worker."""
        self.loaded = True
        ops.lists(self, self.runner, self.store, limit=REGISTER_LIMIT) \
            .success(self._loaded) \
            .failure(lambda e: self.message.show_error(error_sentence(e))) \
            .run_in_background()
        self.schedule_preview()

    def _loaded(self, value: tuple[OrgNames, list[PosterRow]]) -> None:
        names, rows = value
        self.enterprise_combo.set_names(names.enterprises)
        self.union_combo.set_names(names.unions)
        self.show_register(rows)

    def show_register(self, rows: list[PosterRow]) -> None:
        en = get_lang() == "en"
        self.register_model.set_rows([
            (fmt_time(r.created_at), r.code, r.enterprise, r.template, r.campaign,
             PLACEMENT_NAMES.get(r.placement, (r.placement, r.placement))[1 if en else 0], r.hang_date.isoformat(),
             r.file + (f" #{r.page}" if r.page else ""))
            for r in rows
        ])

    def _reload_register(self) -> None:
        # A failed reload leaves the register as it was; the worker has logged why.
        ops.register(self, self.runner, self.store, limit=REGISTER_LIMIT) \
            .success(self.show_register) \
            .failure(lambda _e: None) \
            .run_in_background()

    # -- the design ---------------------------------------------------------------------
    def design(self) -> PosterDesign:
        texts = {"title": self.title_edit.text(), "subtitle": self.subtitle_edit.text(),
                 "ribbon": self.ribbon_edit.text(), "contact": self.contact_edit.text()}

        def lines(w: QPlainTextEdit) -> list[str]:
            return [s for s in w.toPlainText().splitlines() if s.strip()]

        return PosterDesign(
            template=self.template_combo.currentData(),
            campaign=self.campaign_edit.text().strip(),
            placement=self.placement_combo.currentData(),
            hang_date=cast(dt.date, self.date_edit.date().toPython()),  # typed as object; a QDate gives a date
            texts=texts,
            benefits=lines(self.benefits_edit),
            steps=lines(self.steps_edit),
            colours={"primary": self.primary_button.colour, "accent": self.accent_button.colour},
            logo=self.logo_edit.text() or None,
            base_url=self.base_url_edit.text().strip() or None,
            distance_m=self.distance_spin.value() or None,
        )

    def _restore_design(self) -> None:
        saved = posters.saved_design(self.store)
        index = self.template_combo.findData(saved.template)
        if index >= 0:
            self.template_combo.setCurrentIndex(index)
        index = self.placement_combo.findData(saved.placement)
        if index >= 0:
            self.placement_combo.setCurrentIndex(index)
        self.campaign_edit.setText(saved.campaign)
        for key, edit in (("title", self.title_edit), ("subtitle", self.subtitle_edit), ("ribbon", self.ribbon_edit),
                          ("contact", self.contact_edit)):
            if saved.texts.get(key):
                edit.setText(saved.texts[key])
        if saved.benefits:
            self.benefits_edit.setPlainText("\n".join(saved.benefits))
        if saved.steps:
            self.steps_edit.setPlainText("\n".join(saved.steps))
        if saved.colours.get("primary"):
            self.primary_button.set_colour(saved.colours["primary"])
        if saved.colours.get("accent"):
            self.accent_button.set_colour(saved.colours["accent"])
        if saved.logo and Path(saved.logo).exists():
            self.logo_edit.setText(saved.logo)
        if saved.distance_m:
            self.distance_spin.setValue(saved.distance_m)

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择工会标志"), str(Path.home()),
                                              self.tr("图片 (*.png *.jpg *.jpeg *.bmp *.gif *.svg)"))
        if path:
            self.set_logo(path)

    def set_logo(self, path: str | None) -> None:
        self.logo_edit.setText(path or "")
        self.schedule_preview()

    # -- preview -------------------------------------------------------------------------
    def schedule_preview(self, *_args) -> None:
        self.preview_timer.start()

    def refresh_preview(self) -> None:
        if not self.isVisible():
            return  # refresh() asks again when the screen is shown
        self._preview_seq += 1
        seq = self._preview_seq
        store, design, enterprise = self.store, self.design(), self.enterprise_combo.text()
        size = self.preview_label.size()
        w, h = max(200, size.width() - 8), max(240, size.height() - 8)
        ops.preview(self, self.runner, store, design, enterprise, w, h) \
            .success(lambda v: self._previewed(seq, v)) \
            .failure(lambda e: self._preview_failed(seq, e)) \
            .run_in_background()

    def _previewed(self, seq: int, value: tuple[QImage, list[Note], float]) -> None:
        if seq != self._preview_seq:
            return  # an older preview finished after a newer one was asked for
        image, notes, module_mm = value
        self._preview_image = image
        self.preview_label.setPixmap(QPixmap.fromImage(image))
        info = self.tr("二维码每格 {mm:.1f} 毫米").format(mm=module_mm)
        if notes:
            self.preview_info.setStyleSheet(f"color: {WARN_COLOUR};")
            self.preview_info.setText(info + "\n" + "\n".join(n.message() for n in notes))
        else:
            self.preview_info.setStyleSheet("")
            self.preview_info.setText(info)
        if self.message.kind == "error" and not self.batch_running:
            self.message.clear_message()

    def _preview_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._preview_seq:
            return
        self.preview_label.setPixmap(QPixmap())
        self.preview_label.setText(self.tr("无法预览"))
        self.preview_info.setText("")
        self.message.show_error(error_sentence(exc))

    # -- making one ----------------------------------------------------------------------
    def _enterprise_or_error(self) -> str | None:
        name = self.enterprise_combo.text()
        if not name:
            self.message.show_error(self.tr("请先选择单位。"))
            self.enterprise_combo.setFocus()
            return None
        return name

    def choose_and_make(self) -> None:
        name = self._enterprise_or_error()
        if name is None:
            return
        from station.posters.service import safe_file_name

        suggested = Path.home() / f"{safe_file_name(name)}_{self.template_combo.currentData()}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存海报"), str(suggested), self.tr("PDF 文件 (*.pdf)"))
        if path:
            self.make_one(Path(path))

    def make_one(self, out: Path, then_print: bool = False) -> Task | None:
        name = self._enterprise_or_error()
        if name is None:
            return None
        store, design = self.store, self.design()
        self._busy(True)
        self.message.show_hint(self.tr("正在生成并校验…"))
        return ops.make(self, self.runner, store, name, design, out) \
            .success(lambda r: self._made(r, design, then_print)) \
            .failure(self._failed) \
            .run_in_background()

    def _made(self, result: MakeResult, design: PosterDesign, then_print: bool) -> None:
        self._busy(False)  # the worker kept the design for next time
        self.last_result, self.last_design = result, design
        p = result.posters[0]
        text = self.tr("已生成并校验通过：{file}（编号 {code}）").format(file=result.files[0], code=p.code)
        if result.notes:
            self.message.show_hint(text + "\n" + "\n".join(result.notes), WARN_COLOUR)
        else:
            self.message.show_hint(text, OK_COLOUR)
        self._reload_register()
        self.posters_changed.emit()
        if then_print:
            self.open_print_preview(result, design)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.message.show_error(error_sentence(exc))

    def _busy(self, busy: bool) -> None:
        for b in (self.make_button, self.print_button):
            b.setEnabled(not busy)

    # -- printing -----------------------------------------------------------------------
    def print_current(self) -> Task | None:
        """Make (proof, register) the current poster into the data folder, then open the print preview."""
        name = self._enterprise_or_error()
        if name is None:
            return None
        from station.posters.service import safe_file_name

        folder = self.store.paths.root / "posters" / dt.date.today().isoformat()
        stamp = dt.datetime.now().strftime("%H%M%S")
        out = folder / f"{safe_file_name(name)}_{self.template_combo.currentData()}_{stamp}.pdf"
        return self.make_one(out, then_print=True)

    def open_print_preview(self, result: MakeResult, design: PosterDesign) -> QPrintPreviewDialog | None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        if len(result.posters) > PRINT_LIMIT:
            self.batch_message.show_error(self.tr("一次最多预览打印 {n} 张；更多请打开生成的 PDF 打印。").format(n=PRINT_LIMIT))
            return None
        painters = posters.painters_for(self.store, result, design)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        _page_setup(printer, painters[0].spec.template)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印预览"))
        dialog.paintRequested.connect(lambda p: _paint_on_printer(p, painters))
        dialog.finished.connect(lambda _r: setattr(self, "print_dialog", None))
        # The dialog only points at the printer: keep it alive as long as the dialog.
        dialog.printer_ref = printer  # type: ignore[attr-defined]  # a Python attribute on the wrapper
        self.print_dialog = dialog
        dialog.open()
        return dialog

    # -- batches ---------------------------------------------------------------------------
    @property
    def batch_running(self) -> bool:
        return self.batch_task is not None

    def batch_filters(self) -> dict[str, str | int | None]:
        n = self.count_spin.value()
        return {
            "union": self.union_combo.text() or None,
            "top": n if self.filter_top.isChecked() else None,
            "lowest_rate": n if self.filter_low.isChecked() else None,
            "min_members": self.min_spin.value() or None,
        }

    def choose_and_batch(self) -> None:
        if self.each_file.isChecked():
            path = QFileDialog.getExistingDirectory(self, self.tr("选择存放海报的文件夹"), str(Path.home()))
        else:
            suggested = Path.home() / self.tr("海报_{date}.pdf").format(date=dt.date.today().isoformat())
            path, _ = QFileDialog.getSaveFileName(self, self.tr("保存批量海报"), str(suggested), self.tr("PDF 文件 (*.pdf)"))
        if path:
            self.start_batch(Path(path))

    def start_batch(self, out: Path) -> Task | None:
        if self.batch_running:
            return None
        store, design, filters = self.store, self.design(), self.batch_filters()
        one_file_each = self.each_file.isChecked()
        cancel = threading.Event()
        self._batch_cancel = cancel
        self.batch_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.batch_message.show_hint(self.tr("正在选择单位…"))
        task = ops.batch(self, self.runner, store, design, filters, out, one_file_each=one_file_each, cancel=cancel) \
            .with_progress(self._batch_progress) \
            .success(lambda r: self._batch_done(r, design)) \
            .failure(self._batch_failed) \
            .run_in_background()
        self.batch_task = task
        return task

    def _batch_progress(self, p: PosterProgress) -> None:
        phase = {"render": self.tr("排版"), "proof": self.tr("校样"), "save": self.tr("保存")}.get(p.phase, p.phase)
        self.progress.setRange(0, max(1, p.total))
        self.progress.setValue(p.done)
        self.batch_message.show_hint(self.tr("{phase}：{done}/{total} 张").format(phase=phase, done=p.done, total=p.total))

    def cancel_batch(self) -> None:
        self._batch_cancel.set()
        self.cancel_button.setEnabled(False)
        self.batch_message.show_hint(self.tr("正在取消…"))

    def _batch_finished(self) -> None:
        self.batch_task = None
        self.batch_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)

    def _batch_done(self, result: MakeResult, design: PosterDesign) -> None:
        self._batch_finished()
        if result.cancelled:
            self.batch_message.show_hint(self.tr("已取消，没有保存任何文件。"), WARN_COLOUR)
            return
        self.last_result, self.last_design = result, design
        where = result.files[0] if len(result.files) == 1 else result.files[0].parent
        text = self.tr("已生成 {n} 张海报，二维码全部校验通过，用时 {s:.1f} 秒：{where}").format(
            n=len(result.posters), s=result.elapsed_s, where=where)
        if result.notes:
            self.batch_message.show_hint(text + "\n" + "\n".join(result.notes[:5]), WARN_COLOUR)
        else:
            self.batch_message.show_hint(text, OK_COLOUR)
        self._reload_register()
        self.posters_changed.emit()

    def _batch_failed(self, exc: BaseException) -> None:
        self._batch_finished()
        self.batch_message.show_error(error_sentence(exc))
        self.batch_message.setStyleSheet(f"color: {ERROR_COLOUR};")


def _page_setup(printer: QPrinter, template: Template) -> None:
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    w, h = template.page_mm
    if (w, h) in ((210.0, 297.0), (297.0, 420.0)):
        size = QPageSize(QPageSize.PageSizeId.A4 if w == 210 else QPageSize.PageSizeId.A3)
    else:  # an X-banner goes to a print shop as PDF; on paper it is shown scaled to A4
        size = QPageSize(QPageSize.PageSizeId.A4)
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)


def _paint_on_printer(printer: QPrinter, painters: list[PosterPainter]) -> None:
    """Each poster on its own page, scaled to fit the paper if it is bigger, centred."""
    from PySide6.QtGui import QPainter

    qp = QPainter()
    if not qp.begin(printer):
        return
    try:
        for i, pp in enumerate(painters):
            if i:
                printer.newPage()
            page = printer.pageLayout().fullRectPixels(printer.resolution())
            w_mm, h_mm = pp.spec.template.page_mm
            px_per_mm = min(page.width() / w_mm, page.height() / h_mm)
            qp.save()
            qp.translate((page.width() - w_mm * px_per_mm) / 2, (page.height() - h_mm * px_per_mm) / 2)
            pp.paint_page(qp, px_per_mm)
            qp.restore()
    finally:
        qp.end()

