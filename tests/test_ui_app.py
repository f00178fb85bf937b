"""Starting the app: fast on a big store, damage explained and restorable, crashes logged."""

from __future__ import annotations

import logging
import sys
import threading

from helpers.ui import wait_idle
from sqlalchemy import event

import ui.app as uiapp
from station.store.database import list_backups, open_store
from station.store.paths import DataPaths


def test_create_main_window_runs_no_full_table_query_on_the_gui_thread(qtbot, store, ui_lang):
    gui = threading.get_ident()
    on_gui: list[str] = []

    def record(conn, cursor, statement, params, context, executemany):
        if threading.get_ident() == gui:
            on_gui.append(statement.lower())

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        win = uiapp.create_main_window(store)
        qtbot.addWidget(win)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    heavy = [s for s in on_gui if "count(" in s or "group by" in s]
    assert heavy == [], "counts and GROUP BYs belong in workers"
    assert win.windowTitle() == "粤工惠地推工作站"
    win.runner.wait(10000)


def test_a_healthy_store_is_backed_up_after_the_integrity_check(qtbot, tmp_path, ui_lang):
    app = uiapp.QApplication.instance()
    station = uiapp.StationApp(app, tmp_path / "data", "zh")
    assert station.open()
    station.show()
    qtbot.addWidget(station.window)
    qtbot.waitUntil(lambda: len(list_backups(DataPaths(tmp_path / "data"))) == 1, timeout=10000)
    assert list_backups(DataPaths(tmp_path / "data"))[0].name.endswith("-start.sqlite")
    if station.window.session_dialog is not None:
        station.window.session_dialog.reject()
    station.window.close()
    station.shutdown()


def test_start_up_purges_personal_data_of_signups_synced_long_ago(qtbot, tmp_path, ui_lang):
    """Retention runs by itself at start-up (after the integrity check), in a worker, without a log-in."""
    import datetime as dt

    from helpers.ui import id_born, make_organizer
    from sqlalchemy import update

    from station.signup import booth
    from station.signup import service as signup
    from station.store.models import Registration

    data = tmp_path / "data"
    s = open_store(data, station_name="一号工作站")
    organizer = make_organizer(s)
    booth.open_session(s, venue="一号饭堂", promoter="李推广")
    for name, number, phone in (("张三", id_born(dt.date(1990, 3, 7)), "13800138000"),
                                ("李四", id_born(dt.date(1980, 1, 1), "456"), "13912345678")):
        signup.register(s, operator=organizer, name=name, phone=phone, id_number=number, consent=True)
    with s.session() as db:  # one synced 40 days ago, one never synced
        first = db.scalars(select_first_registration()).first()
        db.execute(update(Registration).where(Registration.id == first.id).values(
            synced_at=dt.datetime.utcnow() - dt.timedelta(days=40)))
        db.commit()
    s.close()

    station = uiapp.StationApp(uiapp.QApplication.instance(), data, "zh")
    assert station.open()
    station.show()
    qtbot.addWidget(station.window)

    def purged() -> bool:
        with station.store.session() as db:
            return db.scalars(select_first_registration()).first().purged_at is not None

    qtbot.waitUntil(purged, timeout=10000)
    with station.store.session() as db:
        rows = db.scalars(select_first_registration()).all()
        assert [r.name for r in rows] == ["张*", "李四"]  # the unsynced sign-up is untouched
        assert rows[0].phone_enc is None and rows[1].phone_enc is not None
    if station.window.session_dialog is not None:
        station.window.session_dialog.reject()
    station.window.close()
    station.shutdown()


def select_first_registration():
    from sqlalchemy import select

    from station.store.models import Registration

    return select(Registration).order_by(Registration.id)


def test_a_damaged_store_found_in_the_background_offers_a_restore_and_takes_no_backup(qtbot, tmp_path, monkeypatch, ui_lang):
    asked = []
    monkeypatch.setattr(uiapp, "ask", lambda parent, title, text, yes, no, warning=False: asked.append(text) or False)
    app = uiapp.QApplication.instance()
    station = uiapp.StationApp(app, tmp_path / "data", "zh")
    assert station.open()
    station.window = uiapp.create_main_window(station.store)
    qtbot.addWidget(station.window)
    station._integrity_checked("*** in database main *** Page 7: btreeInitPage() returns error code 11")
    assert asked and "损坏" in asked[0] and "备份" in asked[0]
    wait_idle(qtbot, station.window)
    assert list_backups(DataPaths(tmp_path / "data")) == []
    station.shutdown()


def test_a_file_that_is_not_a_database_leads_to_the_restore_dialog_and_back(qtbot, tmp_path, monkeypatch, ui_lang):
    data = tmp_path / "data"
    s = open_store(data, station_name="一号工作站")
    s.backup("auto")
    s.close()
    (data / "station.sqlite").write_bytes(b"this is not sqlite at all" * 100)

    offered = []

    def restore_first(self, reason, parent=None):
        offered.append(reason)
        dialog = uiapp.RestoreDialog(DataPaths(data), reason)
        assert dialog.list.count() == 1
        dialog.restore()
        return dialog.result() == uiapp.QDialog.DialogCode.Accepted

    monkeypatch.setattr(uiapp.StationApp, "offer_restore", restore_first)
    station = uiapp.StationApp(uiapp.QApplication.instance(), data, "zh")
    assert station.open()
    assert offered and "不是工作站数据库" in offered[0]
    assert station.store.identity.name == "一号工作站"
    assert list(data.glob("station.damaged-*.sqlite"))  # the damaged file is kept
    station.shutdown()


def test_refusing_the_restore_gives_up_without_touching_the_file(qtbot, tmp_path, monkeypatch, ui_lang):
    data = tmp_path / "data"
    data.mkdir()
    (data / "station.sqlite").write_bytes(b"garbage" * 100)
    monkeypatch.setattr(uiapp.StationApp, "offer_restore", lambda self, reason, parent=None: False)
    station = uiapp.StationApp(uiapp.QApplication.instance(), data, "zh")
    assert station.open() is False
    assert (data / "station.sqlite").read_bytes() == b"garbage" * 100


def test_an_uncaught_exception_is_logged_and_the_user_pointed_at_the_log(qtbot, store, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(uiapp, "inform", lambda parent, title, text, error=False: shown.append(text))
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    try:
        uiapp.install_excepthook()
        try:
            raise ZeroDivisionError("boom")
        except ZeroDivisionError:
            with caplog.at_level(logging.ERROR):
                sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
    assert len(shown) == 1
    assert str(store.paths.log_file) in shown[0]
    assert "Traceback" not in shown[0]
