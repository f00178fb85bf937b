"""The day report XLSX (station/reports/day.py), read back with openpyxl, and `station report day`."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from helpers.reports import build_known_roster, local_as_utc
from openpyxl import load_workbook

from station.cli.main import main

DAY = "2026-11-25"


@pytest.fixture
def day_store(store):
    b = build_known_roster(store)  # 甲厂: 5 roster + 2 new sign-ups at 12:30 local on DAY
    ub = b.union("恶意工会")
    b.enterprise('=HYPERLINK("http://x","点我")', ub, signed_unverified=3,
                 signed_at=local_as_utc(dt.datetime(2026, 11, 25, 9, 5)))
    b.enterprise("昨日厂", ub, signed_unverified=4, signed_at=local_as_utc(dt.datetime(2026, 11, 24, 9, 5)))
    b.checkins("周五观影", capacity=100, admitted=3, refused=1, at=dt.datetime(2026, 11, 25, 19, 0))
    store.builder = b
    return store


@pytest.fixture
def report(day_store, data_dir, tmp_path):
    out = tmp_path / "日报.xlsx"
    assert main(["--data-dir", str(data_dir), "report", "day", "--date", DAY, "--out", str(out)]) == 0
    return out


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_has_the_four_sheets_in_order(report):
    assert load_workbook(report).sheetnames == ["概况", "按单位", "按小时", "下一步去哪儿", "抽奖"]


def test_summary_counts_the_days_signups_and_roster_match(report):
    ws = load_workbook(report)["概况"]
    rows = _rows(ws)
    assert rows[0][0] == f"粤工惠地推日报 {DAY}"
    assert rows[1][:2] == ["项目", "数值"]
    figures = {r[0]: r[1] for r in rows[2:6]}
    assert figures == {"登记人数": 10, "在册会员": 8, "新会员申请": 2, "名册匹配率": pytest.approx(0.8)}
    assert ws["B6"].number_format == "0.0%"


def test_summary_lists_admissions_against_capacity(report):
    rows = _rows(load_workbook(report)["概况"])
    assert ["活动", "入场", "拒绝", "容量", "上座率"] in rows
    assert ["周五观影", 3, 1, 100, pytest.approx(0.03)] in rows


def test_signups_per_enterprise_and_per_hour(report):
    wb = load_workbook(report)
    ents = _rows(wb["按单位"])
    assert ents[1] == ["单位", "登记人数", "在册会员", "新会员申请"]
    assert ents[2] == ["甲厂", 7, 5, 2]
    assert "昨日厂" not in [r[0] for r in ents]
    assert _rows(wb["按小时"])[2:] == [["09:00–09:59", 3], ["12:00–12:59", 7]]


def test_next_visits_sheet_is_the_planner(report):
    rows = _rows(load_workbook(report)["下一步去哪儿"])
    assert rows[1] == ["序", "单位", "工会", "在册", "本站已登记", "已认证", "认证率", "可争取人数"]
    assert rows[2][:4] == [1, "大11", "工会乙", 201] and rows[2][6] == "未知"


def test_sheets_are_formatted(report):
    for ws in load_workbook(report):
        assert ws.freeze_panes == "A3"
        assert ws["A1"].font.bold and all(c.font.bold for c in ws[2] if c.value)
        assert ws.column_dimensions["A"].width >= 6


def test_no_formula_and_no_personal_data_anywhere_in_the_file(report, day_store):
    wb = load_workbook(report)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and cell.value.startswith("="))
    ents = [r[0] for r in _rows(wb["按单位"])]
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in ents
    with zipfile.ZipFile(report) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist())
    b = day_store.builder
    assert b.ids and b.phones
    for secret in b.ids + b.phones:
        assert secret not in xml
    assert "张小" not in xml


def test_bad_date_exits_2(day_store, data_dir, tmp_path, capsys):
    assert main(["--data-dir", str(data_dir), "report", "day", "--date", "2026-02-30", "--out", str(tmp_path / "r.xlsx")]) == 2
    assert "不是有效日期" in capsys.readouterr().err


def test_unwritable_path_exits_2_and_leaves_nothing(day_store, data_dir, tmp_path, capsys):
    out = tmp_path / "missing" / "r.xlsx"
    assert main(["--data-dir", str(data_dir), "report", "day", "--date", DAY, "--out", str(out)]) == 2
    assert "无法写入" in capsys.readouterr().err
    assert not out.parent.exists()


def test_other_formats_are_refused(day_store, data_dir, tmp_path, capsys):
    out = tmp_path / "r.docx"
    assert main(["--data-dir", str(data_dir), "--lang", "en", "report", "day", "--out", str(out)]) == 2
    assert ".xlsx or a .pdf" in capsys.readouterr().err
    assert not out.exists()


def test_english_report(day_store, data_dir, tmp_path):
    out = tmp_path / "day.xlsx"
    assert main(["--data-dir", str(data_dir), "--lang", "en", "report", "day", "--date", DAY, "--out", str(out)]) == 0
    assert load_workbook(out).sheetnames == ["Summary", "By enterprise", "By hour", "Where next", "Prize draw"]
