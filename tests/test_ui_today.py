"""今日 (Ctrl+8): tiles, charts, the sortable enterprise table with change since last week, 下一步去哪儿, files."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from helpers.reports import build_known_roster, local_as_utc
from helpers.ui import wait_idle
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from sqlalchemy import select, update

from station.store.clock import local_today
from station.store.models import Enterprise, EnterpriseSnapshot

CJK = re.compile(r"[\u3400-\u9fff]")


def today_at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(local_today(), dt.time(hour, minute))


@pytest.fixture
def known(store):
    """build_known_roster, with today's sign-ups: 甲厂 5 在册 + 2 新 at 10:30; 丁厂 3 在册 at 09:05; a screening."""
    b = build_known_roster(store)
    with store.session() as s:  # the fixture's sign-ups are on 2026-11-25: move them to today 10:30
        from station.store.models import Registration

        s.execute(update(Registration).values(created_at=local_as_utc(today_at(10, 30))))
        s.commit()
    ub = b.union("工会丙")
    b.enterprise("丁厂", ub, signed_unverified=3, signed_at=local_as_utc(today_at(9, 5)))
    b.checkins("周五观影", capacity=100, admitted=3, refused=1, at=today_at(19, 0))
    return b


@pytest.fixture
def today(qtbot, known, window):
    action = window.screen_actions[7]
    assert action.shortcut().toString() == "Ctrl+8"
    action.trigger()
    screen = window.today_screen
    qtbot.waitUntil(lambda: screen.loaded, timeout=10000)
    wait_idle(qtbot, window)
    return screen


def test_ctrl_8_opens_today_with_the_days_figures(today, window):
    assert window.stack.currentWidget() is today
    assert window.nav_buttons[7].isChecked() and window.nav_buttons[7].text().startswith("今日")
    assert today.tile_signups.value.text() == "10"
    assert today.tile_roster.value.text() == "8"
    assert today.tile_new.value.text() == "2"
    assert today.tile_rate.value.text() == "80.0%"
    assert today.tile_admitted.value.text() == "3"
    assert today.tile_unsynced.value.text() == "14"  # 10 sign-ups + 4 checks, nothing synced yet
    assert "同步" in today.tile_unsynced.toolTip()
    assert "还没有同步过" in today.unsynced_note.text()


def test_the_charts_hold_the_hours_and_the_capacity(today):
    bars = {b.label: b.values for b in today.hour_chart.chart.bars}
    assert bars["09"] == (3, 0) and bars["10"] == (5, 2) and bars["08"] == (0, 0)
    rows = today.capacity_chart.chart.rows
    assert [(r.label, r.admitted, r.capacity) for r in rows] == [("周五观影", 3, 100)]
    img = today.hour_chart.grab().toImage()
    assert not img.isNull() and img.width() > 100


def test_todays_enterprises_are_listed_by_sign_ups(today):
    model = today.day_ent_view.model()
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert rows == [["甲厂", "7", "5", "2"], ["丁厂", "3", "3", "0"]]


def _column(view, col: int) -> list[str]:
    model = view.model()
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_enterprise_table_sorts_numbers_as_numbers(qtbot, today):
    today.tabs.setCurrentIndex(1)
    view = today.ent_view
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    imported = [int(v.replace(",", "")) for v in _column(view, 2)]
    assert imported == sorted(imported) and imported[0] == 3 and imported[-1] == 211
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert _column(view, 0)[0] == "大1"


def test_verified_is_a_dash_with_a_tooltip_until_sync(today):
    model = today.ent_view.model()
    row = _column(today.ent_view, 0).index("乙厂")  # 20 imported, status unknown
    cell = model.index(row, 4)
    assert cell.data() == "—"
    assert "同步" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, 5).data() == "—"
    row = _column(today.ent_view, 0).index("丙厂")  # 20 of 25 verified
    assert model.index(row, 4).data() == "20" and model.index(row, 5).data() == "80.0%"


def test_the_filter_narrows_the_table(qtbot, today):
    today.filter_edit.setText("工会乙")
    assert set(_column(today.ent_view, 1)) == {"工会乙"}
    today.filter_edit.setText("")


def test_no_snapshot_a_week_old_shows_a_dash_and_says_why(today, store):
    assert "还没有一周前的快照" in today.week_note.text()
    row = _column(today.ent_view, 0).index("甲厂")
    cell = today.ent_view.model().index(row, 6)
    assert cell.data() == "—" and "快照" in cell.data(Qt.ItemDataRole.ToolTipRole)
    with store.session() as s:  # today's snapshot was kept, once
        days = s.scalars(select(EnterpriseSnapshot.day).distinct()).all()
    assert days == [local_today()]


def test_change_since_last_week_against_an_older_snapshot(qtbot, known, store, window):
    with store.session() as s:
        eid = s.scalar(select(Enterprise.id).where(Enterprise.name == "甲厂"))
        bing = s.scalar(select(Enterprise.id).where(Enterprise.name == "丙厂"))
        old = local_today() - dt.timedelta(days=8)
        s.add(EnterpriseSnapshot(enterprise_id=eid, day=old, imported=30, signed_up=2, verified=10, unknown=0))
        s.add(EnterpriseSnapshot(enterprise_id=bing, day=old, imported=25, signed_up=0, verified=15, unknown=0))
        s.commit()
    window.show_screen(7)
    screen = window.today_screen
    qtbot.waitUntil(lambda: screen.loaded, timeout=10000)
    names = _column(screen.ent_view, 0)
    model = screen.ent_view.model()
    assert model.index(names.index("甲厂"), 6).data() == "+5"  # 7 signed up now against 2
    assert model.index(names.index("丙厂"), 7).data() == "+20.0 个百分点"  # 80 % against 60 %
    assert "与 " + (local_today() - dt.timedelta(days=8)).isoformat() in screen.week_note.text()


def test_planner_is_shown_ranked_and_exports_to_xlsx(qtbot, today, tmp_path):
    assert _column(today.plan_view, 1)[:3] == ["大11", "乙厂", "甲厂"]
    assert _column(today.plan_view, 3)[:3] == ["201", "20", "15"]
    out = tmp_path / "plan.xlsx"
    today.export_plan(out)
    qtbot.waitUntil(lambda: out.exists() and not today._busy, timeout=10000)
    rows = [list(r) for r in load_workbook(out)["下一步去哪儿"].iter_rows(values_only=True)]
    assert rows[1][:4] == ["序", "单位", "工会", "在册"]
    assert rows[2][:4] == [1, "大11", "工会乙", 201]
    assert rows[4][1] == "甲厂" and rows[4][-1] == "（无一周前的快照）"
    assert "已保存" in today.message.text()


def test_the_pdf_button_saves_the_day_report(qtbot, today, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    out = tmp_path / "今日"
    today.save_pdf(out)
    pdf = tmp_path / "今日.pdf"
    qtbot.waitUntil(lambda: pdf.exists() and not today._busy, timeout=20000)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "粤工惠地推日报" in text and local_today().isoformat() in text
    assert re.search(r"甲厂\s+7\s+5\s+2", text)


def test_new_data_reloads_the_screen_in_view(qtbot, today, known, store):
    known.enterprise("新来厂", None, new_signed=4, signed_at=local_as_utc(today_at(11, 0)))
    today.window().signups_screen.signups_changed.emit()
    qtbot.waitUntil(lambda: today.tile_signups.value.text() == "14", timeout=10000)


def test_english_today_screen_has_no_chinese_labels(qtbot, known, store, ui_lang, organizer):
    from ui.app import create_main_window

    win = create_main_window(store, lang="en", operator=organizer)
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    win.show_screen(7)
    screen = win.today_screen
    qtbot.waitUntil(lambda: screen.loaded, timeout=10000)
    assert win.nav_buttons[7].text().startswith("Today")
    leaks = [w.text() for w in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton)
             if CJK.search(w.text())]
    assert leaks == []
    assert [screen.tabs.tabText(i) for i in range(2)] == ["Today at a glance", "Enterprises and where next"]
    headers = [screen.ent_view.model().headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert not any(CJK.search(h) for h in headers)
    assert screen.hour_chart.chart.series == ("On the roster", "New member applications")
    win.runner.wait(10000)
    win.close()
