"""Starting the windowed station: the application, the store, the main window.

Start-up is kept short on a 1.4-million-member store: the store opens
without its integrity check (``integrity="none"``), the window shows at once,
and the check runs in a worker afterwards; a damaged database is explained
and a restore from the automatic backups offered.  Only then is the start-up
backup taken (never back up a damaged file over the good backups).
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.security.operators import OperatorSession
from station.store.database import Store, list_backups, open_store, restore_backup
from station.store.logs import current_log_file
from station.store.paths import DataPaths, default_data_dir
from ui.common import ask, inform
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.operations import station as ops
from ui.style import apply_style
from ui.widgets import FieldMessage

log = logging.getLogger(__name__)

DAMAGED_KEYS = ("db_corrupt", "db_not_database")



def create_main_window(store: Store, *, lang: str = "zh", operator: OperatorSession | None = None,
                       idle_ms: int | None = None) -> MainWindow:
    """The main window over an open store.  No dialogs, nothing blocking (the selftest uses it).

    Needs a QApplication.  Installs the translations for ``lang`` ("zh" or "en")
    and sets the core's message language to match.  With ``operator`` (a
    logged-in OperatorSession) the station is ready to use; without, it
    opens at the set-up wizard or the log-in.
    """
    install_translators(lang)
    return MainWindow(store, operator, idle_ms=idle_ms)


# -- uncaught exceptions ---------------------------------------------------------

_showing_crash = False


def install_excepthook() -> None:
    """Uncaught exceptions: the traceback to the log, a short sentence to the user."""

    def hook(exc_type, exc, tb) -> None:
        global _showing_crash
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        logging.getLogger("station.ui").error("uncaught exception", exc_info=(exc_type, exc, tb))
        app = QApplication.instance()
        if app is None or _showing_crash or QThread.currentThread() is not app.thread():
            return
        _showing_crash = True
        try:
            text = QCoreApplication.translate("App", "程序出现内部错误，刚才的操作可能没有完成；已保存的登记不受影响。\n详细信息已写入日志：{log}\n如果反复出现，请把日志文件发给技术支持。").format(
                log=current_log_file() or QCoreApplication.translate("App", "（无日志文件）"))
            inform(QApplication.activeWindow(), QCoreApplication.translate("App", "内部错误"), text, error=True)
        finally:
            _showing_crash = False

    def thread_hook(args) -> None:
        logging.getLogger("station.ui").error(
            "uncaught exception in thread %s", getattr(args.thread, "name", "?"),
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )

    sys.excepthook = hook
    threading.excepthook = thread_hook


# -- restoring from a backup ------------------------------------------------------

class RestoreDialog(QDialog):
    """Pick one of the automatic backups to put in place of a damaged database."""

    def __init__(self, paths: DataPaths, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.restored_text = ""
        self.setWindowTitle(self.tr("从备份恢复"))
        self.setMinimumWidth(620)
        intro = QLabel(reason + "\n\n" + self.tr("请选择一个自动备份恢复（最新的在最上面）。损坏的数据库会被保留，不会删除。"))
        intro.setWordWrap(True)
        self.list = QListWidget()
        for b in list_backups(paths):
            item = QListWidgetItem(self.tr("{time}　{size} KB　{name}").format(
                time=b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), size=f"{b.size // 1024:,}", name=b.name))
            item.setData(256, b.name)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.message = FieldMessage()
        if not self.list.count():
            self.message.show_error(StationError("no_backups", path=paths.backups).message())
        self.restore_button = QPushButton(self.tr("恢复所选备份"))
        self.restore_button.setProperty("role", "accent")
        self.restore_button.setEnabled(self.list.count() > 0)
        self.cancel_button = QPushButton(self.tr("取消"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.restore_button)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.message)
        lay.addLayout(row)
        self.restore_button.clicked.connect(self.restore)
        self.cancel_button.clicked.connect(self.reject)

    def restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            chosen, kept = restore_backup(self.paths, item.data(256))
        except StationError as exc:
            self.message.show_error(exc.message())
            return
        except OSError as exc:
            log.exception("restore failed")
            self.message.show_error(StationError("file_unwritable", path=self.paths.database, reason=exc.strerror or exc).message())
            return
        from station.i18n import t

        self.restored_text = t("restored_from", name=chosen.name, kept=kept or "—")
        self.accept()


# -- the application ----------------------------------------------------------------

class StationApp(QObject):
    """Owns the store and the main window; reopens both after a restore."""

    def __init__(self, app: QApplication, data_dir: Path | None, lang: str) -> None:
        super().__init__()
        self.app = app
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.lang = lang
        self.store: Store | None = None
        self.window: MainWindow | None = None

    def open(self) -> bool:
        """Open the store, offering a restore when it is damaged.  False: give up."""
        while True:
            try:
                self.store = open_store(self.data_dir, integrity="none")
                return True
            except StationError as exc:
                if exc.key in DAMAGED_KEYS:
                    if not self.offer_restore(exc.message()):
                        return False
                    continue
                inform(None, QCoreApplication.translate("App", "无法打开数据"), exc.message(), error=True)
                return False

    def offer_restore(self, reason: str, parent: QWidget | None = None) -> bool:
        dialog = RestoreDialog(DataPaths(self.data_dir), reason, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        inform(parent, QCoreApplication.translate("App", "已恢复"), dialog.restored_text)
        return True

    def show(self) -> None:
        assert self.store is not None
        win = create_main_window(self.store, lang=self.lang)
        win.restore_handler = self.restore_now
        self.window = win
        screen = QGuiApplication.primaryScreen()
        if screen is not None and screen.availableGeometry().width() <= 1600:
            win.showMaximized()
        else:
            win.show()
        win.prompt_session_if_needed()
        self.check_integrity()

    def check_integrity(self) -> None:
        """PRAGMA integrity_check in a worker; then the start-up backup."""
        assert self.window is not None and self.store is not None
        ops.check_integrity(self.window, self.window.runner, self.store).success(self._integrity_checked) \
            .failure(lambda exc: log.error("integrity check could not run: %s", exc)).run_in_background()

    def _integrity_checked(self, problem: str | None) -> None:
        if problem is None:
            self.backup("start")
            self.purge_retention()
            return
        log.error("integrity check failed: %s", problem)
        text = StationError("db_corrupt", detail=problem).message()
        if ask(self.window, QCoreApplication.translate("App", "数据库已损坏"), text + "\n\n" + QCoreApplication.translate("App", "现在从备份恢复吗？恢复前请勿继续登记。"),
               QCoreApplication.translate("App", "从备份恢复"), QCoreApplication.translate("App", "稍后再说"), warning=True):
            self.restore_now()

    def backup(self, reason: str) -> None:
        store, window = self.store, self.window
        if store is None or window is None:
            return
        # Detached: its own sqlite3 connections, and a backup cut short at exit stays a ".partial" file.
        # No parent: the log line is written even when the window has gone by then.
        ops.backup(None, window.runner, store, reason) \
            .success(lambda b: log.info("backup %s", b.path if b else "not due")) \
            .failure(lambda exc: log.error("start-up backup failed: %s", exc)).run_in_background()

    def purge_retention(self) -> None:
        """The retention purge (station/security/retention.py) at start-up, in a worker: it needs no key.

        Not detached: it writes, so closing the window waits for it rather than cut it short.
        """
        store, window = self.store, self.window
        if store is None or window is None:
            return
        ops.purge_retention(None, window.runner, store) \
            .success(lambda counts: log.info("start-up purge: %s", counts)) \
            .failure(lambda exc: log.error("start-up retention purge failed: %s", exc)).run_in_background()

    def restore_now(self) -> None:
        """Close the store, restore a backup, open again with a fresh window."""
        reason = QCoreApplication.translate("App", "从备份恢复会用所选备份替换当前数据库；当前数据库会被保留。")
        self.app.setQuitOnLastWindowClosed(False)
        try:
            if self.window is not None:
                self.window.close()
                self.window.deleteLater()
                self.window = None
            if self.store is not None:
                self.store.close()
                self.store = None
            self.offer_restore(reason)
            if not self.open():
                self.app.quit()
                return
            self.show()
        finally:
            self.app.setQuitOnLastWindowClosed(True)

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.runner.wait(15000)
        if self.store is not None:
            self.store.close()
            self.store = None


def run_gui(data_dir: Path | None, *, lang: str = "zh", argv: list[str] | None = None) -> int:
    """Run the windowed station until it is closed; returns the exit code."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("粤工惠地推工作站")
    app.setOrganizationName("GDFTU")
    apply_style(app)
    install_translators(lang)
    install_excepthook()
    station = StationApp(app, data_dir, lang)
    if not station.open():
        return 2
    station.show()
    code = app.exec()
    station.shutdown()
    return int(code)


def _main() -> int:  # python -m ui.app [DATA_DIR] [--en]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    lang = "en" if "--en" in sys.argv else "zh"
    return run_gui(Path(args[0]) if args else None, lang=lang)


if __name__ == "__main__":
    raise SystemExit(_main())
