"""名册: importing a roster file through the screens — mapping, progress, cancel, counts."""

from __future__ import annotations

import csv
import threading
import time

import pytest
from helpers.ui import LI, WANG, ZHANG, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from station.errors import StationError
from station.store.models import Member
from ui.import_dialog import ImportProgressDialog
from ui.main_window import SCREEN_ROSTER
from ui.mapping_dialog import ColumnMappingDialog

roster_import = pytest.importorskip("station.roster.importer")


def members(store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(Member).where(Member.on_roster.is_(True))) or 0


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


PEOPLE = [
    ["张三", ZHANG, "13800138000", "东莞市虎门服装有限公司"],
    ["王芳", WANG, "13912345678", "东莞市虎门服装有限公司"],
    ["李明", LI, "13712345678", "东莞市长安电子有限公司"],
]


def roster_screen(window):
    window.show_screen(SCREEN_ROSTER)
    return window.roster_screen


def active_mapping_dialog(window) -> ColumnMappingDialog | None:
    found = [d for d in window.findChildren(ColumnMappingDialog) if d.isVisible()]
    return found[0] if found else None


def progress_dialog(window) -> ImportProgressDialog | None:
    found = [d for d in window.findChildren(ImportProgressDialog) if d.isVisible()]
    return found[0] if found else None


def test_a_file_with_known_headers_imports_and_shows_the_counts(qtbot, store, window, tmp_path):
    path = write_csv(tmp_path / "名册.csv", ["姓名", "身份证号码", "手机号码", "单位名称"], PEOPLE)
    screen = roster_screen(window)
    flow = screen.import_file(path)
    with qtbot.waitSignal(flow.finished, timeout=20000) as blocker:
        pass
    assert blocker.args[0].inserted == 3
    dialog = flow.progress_dialog
    assert dialog.state == "done" and dialog.isVisible()
    assert dialog.count_labels["新增"].text() == "3"
    assert "导入完成" in dialog.status.text()
    assert members(store) == 3
    dialog.close_button.click()
    wait_idle(qtbot, window)
    assert screen.stat_values["members_on_roster"].text() == "3"
    assert screen.recent_model.rowCount() == 1


def test_unknown_headers_open_the_mapping_dialog_and_the_chosen_columns_import(qtbot, store, window, tmp_path):
    path = write_csv(tmp_path / "奇怪表头.csv", ["甲", "乙", "丙", "丁"], PEOPLE)
    screen = roster_screen(window)
    flow = screen.import_file(path)
    qtbot.waitUntil(lambda: active_mapping_dialog(window) is not None, timeout=10000)
    dialog = active_mapping_dialog(window)
    assert not dialog.ok_button.isEnabled()  # 姓名 and 身份证号码 have no column yet
    assert "姓名" in dialog.problem.text()
    assert dialog.sample_model.rowCount() == 3
    dialog.choose("name", "甲")
    assert not dialog.ok_button.isEnabled()
    dialog.choose("id_number", "甲")  # the same column twice is refused
    assert not dialog.ok_button.isEnabled() and "同一列" in dialog.problem.text()
    dialog.choose("id_number", "乙")
    dialog.choose("phone", "丙")
    dialog.choose("enterprise", "丁")
    assert dialog.ok_button.isEnabled()
    assert dialog.sample_model.headerData(0, Qt.Orientation.Horizontal) == "【姓名】甲"
    with qtbot.waitSignal(flow.finished, timeout=20000) as blocker:
        dialog.ok_button.click()
    assert blocker.args[0].inserted == 3
    assert members(store) == 3


def test_the_user_can_ask_to_check_the_columns(qtbot, store, window, tmp_path):
    path = write_csv(tmp_path / "名册.csv", ["姓名", "身份证号码", "手机号码", "单位名称"], PEOPLE)
    screen = roster_screen(window)
    screen.check_columns.setChecked(True)
    flow = screen.import_file(path)
    qtbot.waitUntil(lambda: active_mapping_dialog(window) is not None, timeout=10000)
    dialog = active_mapping_dialog(window)
    assert dialog.mapping() == {"name": 0, "id_number": 1, "phone": 2, "enterprise": 3}
    with qtbot.waitSignal(flow.finished, timeout=20000):
        dialog.cancel_button.click()
    assert members(store) == 0


def test_progress_shows_rows_speed_and_time_left_and_cancel_says_nothing_changed(qtbot, window):
    started = threading.Event()

    def work(progress, cancelled):
        progress(roster_import.ImportProgress(rows_done=25_000, rows_total=100_000, rows_per_s=12_500.0, eta_s=6.0))
        started.set()
        while not cancelled():
            time.sleep(0.01)
        raise StationError("cancelled")

    dialog = ImportProgressDialog(window.runner, title="导入名册", file_name="大名册.csv", work=work,
                                  summarize=lambda r: [], parent=window)
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: "25,000 / 100,000" in dialog.rows_label.text(), timeout=5000)
    assert "12,500" in dialog.speed_label.text() and "0:06" in dialog.speed_label.text()
    assert dialog.bar.value() == 250
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.state == "cancelled", timeout=5000)
    assert "已取消" in dialog.status.text() and "未改动" in dialog.status.text()
    assert dialog.close_button.isVisible()


def test_cancelling_a_real_import_leaves_the_roster_unchanged(qtbot, store, window, tmp_path):
    from station.demo.data import write_roster_csv

    path = tmp_path / "大名册.csv"
    write_roster_csv(path, 40_000, seed=3)
    screen = roster_screen(window)
    screen.import_file(path)
    qtbot.waitUntil(lambda: progress_dialog(window) is not None, timeout=10000)
    dialog = progress_dialog(window)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.state in ("cancelled", "done"), timeout=60000)
    if dialog.state == "done":
        pytest.skip("the import finished before the cancel reached it")
    assert members(store) == 0
    assert "未改动" in dialog.status.text()


def test_a_file_that_is_not_a_roster_explains_itself(qtbot, store, window, tmp_path, monkeypatch):
    shown = []
    import ui.common

    monkeypatch.setattr(ui.common, "show_error", lambda parent, exc, title=None: shown.append(exc))
    path = tmp_path / "空.csv"
    path.write_bytes(b"")
    flow = roster_screen(window).import_file(path)
    with qtbot.waitSignal(flow.finished, timeout=10000) as blocker:
        pass
    assert blocker.args[0] is None
    assert len(shown) == 1 and isinstance(shown[0], StationError)
    assert shown[0].message()  # a sentence, not a traceback
    assert members(store) == 0


def test_the_template_can_be_saved(qtbot, window, tmp_path, monkeypatch):
    import ui.common

    monkeypatch.setattr(ui.common, "inform", lambda *a, **k: None)
    monkeypatch.setattr("ui.roster_screen.show_error", lambda *a, **k: None)
    screen = roster_screen(window)
    from station.store.paths import resources_dir

    if not (resources_dir() / "templates" / "roster_template.xlsx").exists():
        pytest.skip("the roster template is not in resources/templates yet")
    saved = screen.write_template(tmp_path / "我的模板.xlsx")
    assert saved is not None and saved.exists() and saved.stat().st_size > 0
    QApplication.processEvents()


def test_an_import_that_fails_says_so_in_a_sentence_that_fits(qtbot, window):
    def work(progress, cancelled):
        raise RuntimeError("disk on fire")

    dialog = ImportProgressDialog(window.runner, title="导入名册", file_name="名册.csv", work=work,
                                  summarize=lambda r: [], parent=window)
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.state == "failed", timeout=5000)
    assert "内部错误" in dialog.status.text() and "disk on fire" not in dialog.status.text()
    assert "未完成" in dialog.rows_label.text()
    assert dialog.bar.maximum() == 1000  # no longer the busy animation
    qtbot.waitUntil(lambda: dialog.status.height() >= dialog.status.heightForWidth(dialog.status.width()))


def test_once_the_file_is_being_published_cancel_is_no_longer_offered(qtbot, window):
    # The whole file is checked; it now goes into the store and finishes whatever happens.
    go_on = threading.Event()

    def work(progress, cancelled):
        progress(roster_import.ImportProgress(rows_done=0, rows_total=80_000, rows_per_s=0.0, eta_s=None,
                                              stage="publishing"))
        time.sleep(0.5)  # the dialog shows progress a few times a second
        progress(roster_import.ImportProgress(rows_done=40_000, rows_total=80_000, rows_per_s=0.0, eta_s=None,
                                              stage="publishing"))
        go_on.wait(5)
        return None

    dialog = ImportProgressDialog(window.runner, title="导入名册", file_name="大名册.csv", work=work,
                                  summarize=lambda r: [], parent=window)
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: "40,000 / 80,000" in dialog.rows_label.text(), timeout=5000)
    assert "写入名册" in dialog.rows_label.text() and "无法取消" in dialog.rows_label.text()
    assert not dialog.cancel_button.isEnabled() and dialog.bar.value() == 500
    dialog.reject()  # Esc: ignored while publishing
    assert dialog.state == "running" and dialog.isVisible()
    go_on.set()
    qtbot.waitUntil(lambda: dialog.state == "done", timeout=5000)
