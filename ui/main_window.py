"""The main window: left navigation, the screens, menus and the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QHBoxLayout,
)

from station import __version__, booth, orgs
from station.booth import SessionInfo
from station.store import Store
from ui.common import fmt_int, inform
from ui.draw_screen import DrawScreen
from ui.poster_screen import PosterScreen
from ui.roster_screen import RosterScreen
from ui.scan_screen import ScanScreen
from ui.search_screen import SearchScreen
from ui.session_dialog import OpenSessionDialog
from ui.signup_screen import SignupScreen
from ui.signups_screen import SignupsScreen
from ui.style import app_icon, font_of
from ui.today_screen import TodayScreen
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

SCREEN_SIGNUP, SCREEN_ROSTER, SCREEN_SIGNUPS, SCREEN_SEARCH, SCREEN_SCAN, SCREEN_POSTERS, SCREEN_DRAW, SCREEN_TODAY = range(8)


class MainWindow(QMainWindow):
    """粤工惠地推工作站.  Screens get the store and the task runner; nothing is global."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = TaskRunner(self)
        self.restore_handler: Callable[[], None] | None = None
        self.session_dialog: OpenSessionDialog | None = None
        self._asked_for_session = False
        self.setWindowTitle(self.tr("粤工惠地推工作站"))
        self.setWindowIcon(app_icon())
        self.setMinimumSize(QSize(1024, 600))
        self.resize(1366, 740)

        self.signup_screen = SignupScreen(store, self.runner)
        self.roster_screen = RosterScreen(store, self.runner)
        self.signups_screen = SignupsScreen(store, self.runner)
        self.search_screen = SearchScreen(store, self.runner)
        self.scan_screen = ScanScreen(store, self.runner)
        self.poster_screen = PosterScreen(store, runner=self.runner)
        self.draw_screen = DrawScreen(store, self.runner)
        self.today_screen = TodayScreen(store, self.runner)
        self.stack = QStackedWidget()
        for screen in (self.signup_screen, self.roster_screen, self.signups_screen, self.search_screen,
                       self.scan_screen, self.poster_screen, self.draw_screen, self.today_screen):
            self.stack.addWidget(screen)

        self._build_nav()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status()

        self.signup_screen.request_open_session.connect(self.open_session_dialog)
        self.signup_screen.count_changed.connect(self._count_changed)
        self.signup_screen.signed_up.connect(lambda _r: self._data_changed(booth=True))
        self.roster_screen.roster_changed.connect(lambda: self._data_changed(roster=True))
        self.signups_screen.signups_changed.connect(lambda: self._data_changed(signups=True))
        self.draw_screen.draws_changed.connect(self.today_screen.data_changed)

        self.set_session(booth.current_session(store))
        self.load_org_names()
        self.show_screen(SCREEN_SIGNUP)

    # -- building -------------------------------------------------------------------
    def _build_nav(self) -> None:
        self.nav = QWidget()
        self.nav.setObjectName("NavBar")
        self.nav.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.nav.setFixedWidth(168)
        lay = QVBoxLayout(self.nav)
        lay.setContentsMargins(0, 12, 0, 12)
        lay.setSpacing(2)
        brand = QLabel(self.tr("粤工惠\n地推工作站"))
        brand.setStyleSheet("color: #ffffff; padding: 4px 14px 14px 14px;")
        brand.setFont(font_of(14, bold=True))
        lay.addWidget(brand)
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        self.nav_buttons: list[QPushButton] = []
        for index, (text, key) in enumerate((
            (self.tr("现场注册"), "Ctrl+1"),
            (self.tr("名册"), "Ctrl+2"),
            (self.tr("登记记录"), "Ctrl+3"),
            (self.tr("查询"), "Ctrl+4"),
            (self.tr("核验"), "Ctrl+5"),
            (self.tr("海报"), "Ctrl+6"),
            (self.tr("抽奖"), "Ctrl+7"),
            (self.tr("今日"), "Ctrl+8"),
        )):
            button = QPushButton(f"{text}\n{key}")
            button.setProperty("nav", True)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"{text} ({key})")
            self.nav_group.addButton(button, index)
            self.nav_buttons.append(button)
            lay.addWidget(button)
        lay.addStretch(1)
        self.nav_session_button = QPushButton(self.tr("开启场次\nF2"))
        self.nav_session_button.setProperty("nav", True)
        self.nav_session_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lay.addWidget(self.nav_session_button)
        self.nav_group.idClicked.connect(self.show_screen)
        self.nav_session_button.clicked.connect(self.open_session_dialog)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        station_menu = bar.addMenu(self.tr("工作站(&S)"))
        self.open_session_action = QAction(self.tr("开启场次…"), self)
        self.open_session_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.open_session_action.triggered.connect(self.open_session_dialog)
        self.close_session_action = QAction(self.tr("结束场次"), self)
        self.close_session_action.triggered.connect(self.close_session)
        self.restore_action = QAction(self.tr("从备份恢复…"), self)
        self.restore_action.triggered.connect(self._restore)
        self.open_dir_action = QAction(self.tr("打开数据目录"), self)
        self.open_dir_action.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store.paths.root)))
        )
        self.quit_action = QAction(self.tr("退出"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        for action in (self.open_session_action, self.close_session_action, None, self.restore_action,
                       self.open_dir_action, None, self.quit_action):
            if action is None:
                station_menu.addSeparator()
            else:
                station_menu.addAction(action)

        view_menu = bar.addMenu(self.tr("视图(&V)"))
        self.screen_actions: list[QAction] = []
        for index, text in enumerate((self.tr("现场注册"), self.tr("名册"), self.tr("登记记录"), self.tr("查询"),
                                         self.tr("核验"), self.tr("海报"), self.tr("抽奖"), self.tr("今日"))):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _c=False, i=index: self.show_screen(i))
            view_menu.addAction(action)
            self.screen_actions.append(action)
        self.find_action = QAction(self.tr("查询"), self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(lambda: self.show_screen(SCREEN_SEARCH))
        self.addAction(self.find_action)

        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status(self) -> None:
        status = self.statusBar()
        self.station_label = QLabel()
        self.session_status = QLabel()
        self.count_status = QLabel()
        self.dir_label = QLabel()
        self.count_status.setFont(font_of(11, bold=True))
        status.addWidget(self.station_label)
        status.addWidget(self.session_status, 1)
        status.addPermanentWidget(self.count_status)
        status.addPermanentWidget(self.dir_label)
        self.station_label.setText(self.tr("工作站：{name}").format(name=self.store.identity.name))
        root = str(self.store.paths.root)
        self.dir_label.setToolTip(root)
        metrics = self.dir_label.fontMetrics()
        self.dir_label.setText(metrics.elidedText(self.tr("数据：{path}").format(path=root), Qt.TextElideMode.ElideMiddle, 320))
        self._count_changed(0)

    # -- behaviour ----------------------------------------------------------------------
    def show_screen(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.nav_buttons[index].setChecked(True)
        screen = self.stack.currentWidget()
        if screen is self.signup_screen:
            self.signup_screen.name_edit.setFocus()
        elif screen is self.search_screen:
            self.search_screen.focus_query()
        elif screen is self.roster_screen:
            self.roster_screen.refresh()
        elif screen is self.signups_screen:
            self.signups_screen.refresh()
        elif screen is self.poster_screen:
            self.poster_screen.refresh()
        elif screen is self.draw_screen:
            self.draw_screen.refresh()

    def set_session(self, info: SessionInfo | None) -> None:
        self.signup_screen.set_session(info)
        if info is None:
            self.session_status.setText(self.tr("未开启场次（按 F2 开启）"))
            self.session_status.setStyleSheet("color: #8a6100; font-weight: bold;")
        else:
            self.session_status.setText(
                self.tr("场次：{event} · {venue} · {promoter}").format(
                    event=info.event_name, venue=info.venue, promoter=info.promoter)
            )
            self.session_status.setStyleSheet("")
        self.close_session_action.setEnabled(info is not None)

    def open_session_dialog(self) -> OpenSessionDialog:
        """Non-blocking (window-modal): the GUI keeps painting and tests can drive it."""
        if self.session_dialog is not None and self.session_dialog.isVisible():
            self.session_dialog.raise_()
            return self.session_dialog
        self._asked_for_session = True
        dialog = OpenSessionDialog(self.store, self.runner, self)
        dialog.opened.connect(self._session_opened)
        dialog.finished.connect(lambda _r: self._session_dialog_closed(dialog))
        self.session_dialog = dialog
        dialog.open()
        return dialog

    def _session_dialog_closed(self, dialog: OpenSessionDialog) -> None:
        if self.session_dialog is dialog:
            self.session_dialog = None
        dialog.deleteLater()
        if self.stack.currentWidget() is self.signup_screen:
            self.signup_screen.name_edit.setFocus()

    def prompt_session_if_needed(self) -> None:
        """On first use: with no session open (or only an earlier day's), ask for one once the window shows."""
        screen = self.signup_screen
        if (screen.session is None or screen.session_is_stale()) and not self._asked_for_session:
            QTimer.singleShot(0, self.open_session_dialog)

    def _session_opened(self, info: SessionInfo) -> None:
        self.set_session(info)
        self.show_screen(SCREEN_SIGNUP)
        self.load_org_names()

    def close_session(self) -> None:
        booth.close_session(self.store)
        self.set_session(None)

    def _count_changed(self, count: int) -> None:
        self.count_status.setText(self.tr("今日本站登记：{n}").format(n=fmt_int(count)))

    def _data_changed(self, *, roster: bool = False, signups: bool = False, booth: bool = False) -> None:
        """Something was written: refresh what shows it (booth: the form already refreshed itself)."""
        signups = signups or booth
        if roster or (signups and not booth):  # e.g. a paper import: today's count and the recent list
            self.signup_screen.refresh()
        if roster:
            self.load_org_names()
        if roster or signups:
            self.today_screen.data_changed()
        if signups and self.signups_screen.loaded:
            self.signups_screen.refresh()
        if self.roster_screen.loaded and (roster or signups) and self.stack.currentWidget() is self.roster_screen:
            self.roster_screen.refresh()

    def load_org_names(self) -> None:
        """Completion lists for 单位 / 基层工会: a GROUP BY over the roster, so in a worker."""
        store = self.store

        def load():
            with store.session() as s:
                return orgs.enterprise_names(s), orgs.union_names(s)

        self.runner.run(load, on_result=lambda names: self.signup_screen.set_org_names(*names), owner=self,
                        name="org-names")

    def _restore(self) -> None:
        if self.restore_handler is None:
            inform(self, self.tr("从备份恢复"), self.tr("请退出程序后，在命令行运行 station restore 从备份恢复。"))
            return
        self.restore_handler()

    def _about(self) -> None:
        inform(
            self, self.tr("关于"),
            self.tr("粤工惠地推工作站 {version}\n离线登记、名册比对，为广东工会地推团队而做。").format(version=__version__),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # Workers hold database connections: let them finish before the store closes.
        self.runner.cancel_all()
        self.scan_screen.shutdown(15000)
        self.draw_screen.shutdown()
        self.runner.wait(15000)
        super().closeEvent(event)
