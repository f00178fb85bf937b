"""The main window: left navigation, the screens, menus and the status bar, behind the log-in gate.

The window holds the logged-in ``OperatorSession`` as ``self.operator``
("session" already means the booth session here) and hands it to every
screen that reads or writes personal data.  Locking (Ctrl+L, or idle for
``security.idle_lock_minutes``) drops it, clears what the screens show,
stops the camera and shows the gate's lock screen; both are audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station import __version__
from station.security import audit
from station.security.operators import CHECKER, OperatorSession, role_label
from station.security.settings import IDLE_LOCK_MINUTES, get_int
from station.signup import booth
from station.signup.booth import SessionInfo
from station.store.database import Store
from station.store.orgs import OrgNames
from station.sync.lan_host import HostServer
from ui.admin_dialogs import AuditDialog, IdleLockDialog, OperatorForm, OperatorsDialog
from ui.auth import Gate
from ui.common import fmt_int, inform
from ui.draw_screen import DrawScreen
from ui.kiosk import KioskExitDialog
from ui.lan_dialogs import HostDialog, JoinDialog
from ui.operations import auth as auth_ops
from ui.operations import booth as booth_ops
from ui.operations.live import LiveRunner
from ui.poster_screen import PosterScreen
from ui.roster_screen import RosterScreen
from ui.scan_screen import ScanScreen
from ui.search_screen import SearchScreen
from ui.session_dialog import OpenSessionDialog
from ui.signup_screen import SignupScreen
from ui.signups_screen import SignupsScreen
from ui.style import app_icon, font_of
from ui.sync_screen import SyncScreen
from ui.today_screen import TodayScreen
from ui.workers import TaskRunner

log = logging.getLogger(__name__)

SCREEN_SIGNUP, SCREEN_ROSTER, SCREEN_SIGNUPS, SCREEN_SEARCH, SCREEN_SCAN, SCREEN_POSTERS, SCREEN_DRAW, SCREEN_TODAY = range(8)
SCREEN_SYNC = 8  # organizers only
DialogT = TypeVar("DialogT", bound=QDialog)


class PersonalScreen(Protocol):
    """A screen that shows personal data: it is handed the operator, and forgets what it showed at the lock."""

    def set_operator(self, op: OperatorSession | None) -> None: ...

    def clear_personal_data(self) -> None: ...


# What counts as someone using the station (resets the idle lock).
_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                       QEvent.Type.TouchBegin, QEvent.Type.InputMethod})


class MainWindow(QMainWindow):
    """粤工惠地推工作站.  Screens get the store and the task runner; nothing is global."""

    def __init__(self, store: Store, operator: OperatorSession | None = None, parent: QWidget | None = None, *,
                 idle_ms: int | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = TaskRunner(self)
        self.operator: OperatorSession | None = None
        self.locked_by: str | None = None
        self.idle_ms_override = idle_ms  # tests lock in milliseconds, the setting says minutes
        self._entered_once = False
        self.kiosk = False  # a door checker is logged in: the 核验 screen only (set_kiosk)
        self._shown_before_kiosk = Qt.WindowState.WindowNoState
        self._hidden_dialogs: list[tuple[QDialog, str]] = []
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
        self.sync_screen = SyncScreen(store, self.runner)
        self.stack = QStackedWidget()
        for screen in (self.signup_screen, self.roster_screen, self.signups_screen, self.search_screen,
                       self.scan_screen, self.poster_screen, self.draw_screen, self.today_screen, self.sync_screen):
            self.stack.addWidget(screen)

        self._build_nav()
        self.app_page = QWidget()
        row = QHBoxLayout(self.app_page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.gate = Gate(store, self.runner)
        self.gate.entered.connect(self._entered)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.app_page)
        self.pages.addWidget(self.gate)
        self.setCentralWidget(self.pages)
        self._build_menus()
        self._build_status()
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(lambda: self.lock("idle"))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

        self.signup_screen.request_open_session.connect(self.open_session_dialog)
        self.signup_screen.count_changed.connect(self._count_changed)
        self.signup_screen.signed_up.connect(lambda _r: self._data_changed(booth=True))
        self.roster_screen.roster_changed.connect(lambda: self._data_changed(roster=True))
        self.signups_screen.signups_changed.connect(lambda: self._data_changed(signups=True))
        self.draw_screen.draws_changed.connect(self.today_screen.data_changed)
        self.sync_screen.synced.connect(lambda: self._data_changed(roster=True, signups=True))
        self.sync_screen.synced.connect(self.scan_screen.sync_arrived)  # pulled keys, revocations, events
        # Live sync with the event host (or the town hub) while someone is logged in.
        self.live = LiveRunner(store, self)
        self.live.state_changed.connect(self.scan_screen.set_live_state)
        self.live.exchanged.connect(self.scan_screen.live_exchanged)
        self.event_host = HostServer(store)  # serves only once an organizer starts it (本机作为活动主机…)
        self.sync_screen.lan_panel.host_requested.connect(self.open_host_dialog)
        self.sync_screen.lan_panel.join_requested.connect(self.open_join_dialog)
        self.sync_screen.lan_panel.changed.connect(self._restart_live)

        self.set_session(booth.current_session(store))
        self.load_org_names()
        self.show_screen(SCREEN_SIGNUP)
        if operator is not None:
            self.set_operator(operator)
        else:
            self.show_gate()

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
            (self.tr("同步"), "Ctrl+9"),
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
        self.nav_session_button = QPushButton(self.tr("开启场次 F2"))
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
        self.lock_action = QAction(self.tr("锁定"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock("hotkey"))
        self.addAction(self.lock_action)  # works while the menu bar is hidden too
        self.quit_action = QAction(self.tr("退出"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        for action in (self.open_session_action, self.close_session_action, None, self.lock_action, None,
                       self.restore_action, self.open_dir_action, None, self.quit_action):
            if action is None:
                station_menu.addSeparator()
            else:
                station_menu.addAction(action)

        view_menu = bar.addMenu(self.tr("视图(&V)"))
        self.screen_actions: list[QAction] = []
        for index, text in enumerate((self.tr("现场注册"), self.tr("名册"), self.tr("登记记录"), self.tr("查询"),
                                         self.tr("核验"), self.tr("海报"), self.tr("抽奖"), self.tr("今日"),
                                         self.tr("同步"))):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _c=False, i=index: self.show_screen(i))
            view_menu.addAction(action)
            self.screen_actions.append(action)
        self.find_action = QAction(self.tr("查询"), self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(lambda: self.show_screen(SCREEN_SEARCH))
        self.addAction(self.find_action)

        self.admin_menu = bar.addMenu(self.tr("管理(&M)"))
        self.operators_action = QAction(self.tr("操作员…"), self)
        self.operators_action.triggered.connect(self.open_operators)
        self.audit_action = QAction(self.tr("审计日志…"), self)
        self.audit_action.triggered.connect(self.open_audit)
        self.idle_action = QAction(self.tr("自动锁定时间…"), self)
        self.idle_action.triggered.connect(self.open_idle_setting)
        self.change_own_action = QAction(self.tr("修改我的 PIN / 密码…"), self)
        self.change_own_action.triggered.connect(self.change_own_secret)
        for action in (self.operators_action, self.audit_action, self.idle_action, self.change_own_action):
            self.admin_menu.addAction(action)
        self.admin_dialog: QDialog | None = None

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
        self.operator_status = QLabel()
        self.operator_status.setFont(font_of(11, bold=True))
        self.audit_warning = QLabel()
        self.audit_warning.setStyleSheet("color: #c62828; font-weight: bold;")
        self.audit_warning.setVisible(False)
        self.count_status.setFont(font_of(11, bold=True))
        status.addWidget(self.station_label)
        status.addWidget(self.operator_status)
        # Next to who is logged in: lock before leaving the booth (Ctrl+L, or idle minutes).
        self.lock_button = QPushButton(self.tr("锁定 Ctrl+L"))
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.setToolTip(self.tr("离开摊位时锁定：屏幕不再显示个人信息，摄像头关闭"))
        self.lock_button.clicked.connect(lambda: self.lock("button"))
        status.addWidget(self.lock_button)
        self.kiosk_button = QPushButton(self.tr("退出核验模式…"))
        self.kiosk_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.kiosk_button.setToolTip(self.tr("核验员只能看到核验页面；管理员输入密码后才能退出"))
        self.kiosk_button.clicked.connect(self.open_kiosk_exit)
        self.kiosk_button.setVisible(False)
        status.addWidget(self.kiosk_button)
        status.addWidget(self.audit_warning)
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
        if self.kiosk:
            index = SCREEN_SCAN  # a door checker sees the door only
        elif index == SCREEN_SYNC and (self.operator is None or not self.operator.can("sync")):
            index = SCREEN_SIGNUP
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
        elif screen is self.sync_screen:
            self.sync_screen.refresh()
            self.sync_screen.sync_button.setFocus()

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
        if self.operator is None:
            return  # asked after the log-in instead
        screen = self.signup_screen
        if (screen.session is None or screen.session_is_stale()) and not self._asked_for_session:
            QTimer.singleShot(0, self.open_session_dialog)

    def _session_opened(self, info: SessionInfo) -> None:
        self.set_session(info)
        self.show_screen(SCREEN_SIGNUP)
        self.load_org_names()

    def close_session(self) -> None:
        booth_ops.close_session(self, self.runner, self.store).success(lambda _none: self.set_session(None)).run_now()

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
        # No failure callback: a failed completion list is no reason to interrupt anyone (it is logged).
        booth_ops.org_names(self, self.runner, self.store).success(self._org_names_loaded) \
            .failure(lambda _exc: None).run_in_background()

    def _org_names_loaded(self, names: OrgNames) -> None:
        self.signup_screen.set_org_names(names.enterprises, names.unions)

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

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk and event.spontaneous():
            # Alt+F4 or the window's close button at the door: only an organizer ends kiosk mode.
            event.ignore()
            self.statusBar().showMessage(self.tr("核验模式下不能关闭：请管理员点“退出核验模式…”"), 8000)
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle_timer.stop()
        self.live.stop()
        self.event_host.stop()  # the other doors go amber and decide alone
        # Workers hold database connections: let them finish before the store closes.
        self.runner.cancel_all()
        self.scan_screen.shutdown(15000)
        self.draw_screen.shutdown()
        self.runner.wait(15000)
        super().closeEvent(event)

    # -- operators, lock and unlock -------------------------------------------------------
    def personal_screens(self) -> list[PersonalScreen]:
        return [self.signup_screen, self.roster_screen, self.signups_screen, self.search_screen, self.scan_screen,
                self.draw_screen, self.sync_screen]

    def show_gate(self, *, locked_by: str | None = None) -> None:
        """The log-in (or set-up, or lock) page in place of the station; no menus, no personal data."""
        self.pages.setCurrentWidget(self.gate)
        self.menuBar().setVisible(False)
        self.nav.setEnabled(False)
        for action in self._gated_actions():
            action.setEnabled(False)
        self.operator_status.setText(self.tr("已锁定") if locked_by else self.tr("未登录"))
        self.session_status.setVisible(False)  # the gate shows the station, the time and who locked: nothing else
        self.lock_button.setVisible(False)
        self.count_status.setVisible(False)
        self.kiosk_button.setVisible(False)  # the gate's own log-in is the way in while locked
        self.gate.show_start(locked_by=locked_by, locked_at=dt.datetime.now() if locked_by else None)

    def _gated_actions(self) -> list[QAction]:
        return [self.find_action, self.lock_action, *self.screen_actions, self.open_session_action,
                self.close_session_action, self.restore_action, self.open_dir_action, self.operators_action,
                self.audit_action, self.idle_action, self.change_own_action]

    def set_operator(self, op: OperatorSession) -> None:
        """``op`` uses the station from now on: screens get it, actions follow its role."""
        self.operator = op
        for screen in self.personal_screens():
            screen.set_operator(op)
        self.operator_status.setText(self.tr("操作员：{name}（{role}）").format(name=op.name, role=role_label(op.role)))
        for action in self._gated_actions():
            action.setEnabled(True)
        self.close_session_action.setEnabled(self.signup_screen.session is not None)
        self.operators_action.setVisible(op.can("operators"))
        self.audit_action.setVisible(op.can("audit_read"))
        self.idle_action.setVisible(op.can("settings"))
        self.nav_buttons[SCREEN_SYNC].setVisible(op.can("sync"))  # organizers only, like the 管理 entries
        self.screen_actions[SCREEN_SYNC].setVisible(op.can("sync"))
        self.screen_actions[SCREEN_SYNC].setEnabled(op.can("sync"))
        if self.stack.currentIndex() == SCREEN_SYNC and not op.can("sync"):
            self.stack.setCurrentIndex(SCREEN_SIGNUP)
        self.nav.setEnabled(True)
        self.menuBar().setVisible(True)
        self.session_status.setVisible(True)
        self.lock_button.setVisible(True)
        self.count_status.setVisible(True)
        self.pages.setCurrentWidget(self.app_page)
        self.restart_idle_timer()
        self.signup_screen.refresh()  # the recent list needs the key
        self.set_kiosk(op.role == CHECKER)
        self.show_screen(self.stack.currentIndex())
        self.live.start(op)

    # -- 活动现场: the event host and joining one ----------------------------------------------------
    def open_host_dialog(self) -> HostDialog | None:
        if self.operator is None or not self.operator.can("sync"):
            return None
        dialog = HostDialog(self.store, self.runner, self.operator, self.event_host, self)
        dialog.joined.connect(self._restart_live)
        dialog.finished.connect(lambda _r: self.sync_screen.lan_panel.refresh())
        dialog.show()
        return dialog

    def open_join_dialog(self) -> JoinDialog | None:
        if self.operator is None or not self.operator.can("sync"):
            return None
        dialog = JoinDialog(self.store, self.runner, self.operator, self)
        dialog.joined.connect(lambda _row: self._restart_live())
        dialog.finished.connect(lambda _r: self.sync_screen.lan_panel.refresh())
        dialog.show()
        return dialog

    def _restart_live(self) -> None:
        """The station joined or left a host: live sync starts over with the new target."""
        self.sync_screen.lan_panel.refresh()
        if self.operator is not None:
            self.live.start(self.operator)

    # -- the door's kiosk mode ----------------------------------------------------------------------
    def set_kiosk(self, on: bool) -> None:
        """A door checker's station: the 核验 screen only, full screen; an organizer's passphrase leaves it."""
        was, self.kiosk = self.kiosk, on
        self.nav.setVisible(not on)
        self.menuBar().setVisible(not on)
        for action in (*self.screen_actions, self.find_action, self.open_session_action, self.close_session_action,
                       self.restore_action, self.open_dir_action, self.quit_action):
            action.setEnabled(not on)
        self.close_session_action.setEnabled(not on and self.signup_screen.session is not None)
        self.kiosk_button.setVisible(on)
        # The booth's session and sign-up count mean nothing at the door.
        self.session_status.setVisible(not on)
        self.count_status.setVisible(not on)
        self.scan_screen.new_event_button.setVisible(not on)
        if on and not was:
            self._shown_before_kiosk = self.windowState()
            self.showFullScreen()
            self.show_screen(SCREEN_SCAN)
        elif was and not on:
            self.setWindowState(self._shown_before_kiosk & ~Qt.WindowState.WindowFullScreen)

    def open_kiosk_exit(self) -> KioskExitDialog | None:
        if not self.kiosk:
            return None
        dialog = KioskExitDialog(self.store, self.runner, self)
        dialog.left.connect(self._kiosk_left)
        dialog.open()
        return dialog

    def _kiosk_left(self, organizer: OperatorSession) -> None:
        """An organizer took over: the station is theirs, every screen back."""
        self.set_operator(organizer)
        if organizer.can("audit_read"):
            self.check_audit_log(organizer)

    def _entered(self, op: OperatorSession) -> None:
        """The gate let someone in: a first log-in, or an unlock (by them or another operator)."""
        locked_by, self.locked_by = self.locked_by, None
        if locked_by is not None:
            # The log-in itself was recorded; never keep a user out over this (the traceback is in the log).
            auth_ops.record_unlock(self, self.runner, self.store, op, locked_by) \
                .failure(lambda _exc: log.error("could not record the unlock")).run_now()
        dialogs, self._hidden_dialogs = self._hidden_dialogs, []
        for dialog, owner in dialogs:
            if owner == op.name:
                dialog.show()  # the same person carries on where they were
            else:
                dialog.reject()
        self.set_operator(op)
        if op.can("audit_read"):
            self.check_audit_log(op, self.gate.anchor_before_login)
        if not self._entered_once:
            self._entered_once = True
            self.prompt_session_if_needed()

    def check_audit_log(self, op: OperatorSession, anchor: str | None = None) -> None:
        """At an organizer's log-in: the chain and its keyed anchor (as before the log-in), in a worker."""
        def checked(problems: list[audit.Problem]) -> None:
            if not problems:
                self.audit_warning.setVisible(False)
                return
            self.audit_warning.setText(self.tr("审计日志校验未通过（第 {seq} 条）：请在“管理 → 审计日志”中查看").format(
                seq=problems[0].seq))
            self.audit_warning.setVisible(True)

        auth_ops.check_audit(self, self.runner, self.store, op, anchor).success(checked) \
            .failure(lambda exc: log.error("audit check at log-in failed: %s", exc)).run_in_background()

    def lock(self, reason: str = "hotkey") -> bool:
        """Drop the operator and show the lock screen; False when nobody was logged in."""
        op = self.operator
        if op is None:
            return False
        self.idle_timer.stop()
        # Locking must never fail: a lock that could not be recorded still locks (the traceback is in the log).
        auth_ops.record_lock(self, self.runner, self.store, op, reason) \
            .failure(lambda _exc: log.error("could not record the lock")).run_now()
        self.operator = None
        self.locked_by = op.name
        self.live.stop()  # it works with the operator's key, which goes with the lock
        self.scan_screen.set_live_state(self.live.state)
        self.scan_screen.stop_camera()
        self.draw_screen.shutdown()  # the projector window
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and not self.gate.isAncestorOf(dialog):
                if (isinstance(dialog, (OperatorsDialog, AuditDialog, IdleLockDialog, QMessageBox))
                        or dialog.objectName() == "unmask"):
                    dialog.reject()
                else:
                    dialog.hide()
                    self._hidden_dialogs.append((dialog, op.name))
        self.admin_dialog = None
        for screen in self.personal_screens():
            screen.set_operator(None)
            screen.clear_personal_data()
        self.show_gate(locked_by=op.name)
        return True

    def restart_idle_timer(self) -> None:
        if self.operator is None:
            return
        ms = self.idle_ms_override
        if ms is None:
            ms = get_int(self.store, IDLE_LOCK_MINUTES) * 60_000
        self.idle_timer.start(ms)

    def set_idle_timeout_ms(self, ms: int | None) -> None:
        self.idle_ms_override = ms
        self.restart_idle_timer()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.operator is not None:
            self.idle_timer.start()
        return False

    # -- organizer dialogs ------------------------------------------------------------------
    def _open_admin(self, dialog: DialogT) -> DialogT:
        if self.admin_dialog is not None and self.admin_dialog.isVisible():
            self.admin_dialog.reject()
        self.admin_dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_operators(self) -> OperatorsDialog | None:
        if self.operator is None or not self.operator.can("operators"):
            return None
        return self._open_admin(OperatorsDialog(self.store, self.runner, self.operator, self))

    def open_audit(self) -> AuditDialog | None:
        if self.operator is None or not self.operator.can("audit_read"):
            return None
        return self._open_admin(AuditDialog(self.store, self.runner, self.operator, self))

    def open_idle_setting(self) -> IdleLockDialog | None:
        if self.operator is None or not self.operator.can("settings"):
            return None
        dialog = IdleLockDialog(self.store, self.runner, self.operator, self)
        dialog.saved.connect(lambda _m: self.restart_idle_timer())
        return self._open_admin(dialog)

    def change_own_secret(self) -> OperatorForm | None:
        if self.operator is None:
            return None
        return self._open_admin(OperatorForm(self.store, self.runner, self.operator, target=self.operator.name,
                                             target_role=self.operator.role, parent=self))
