"""The PDF day report (station/reports/day_pdf.py), read back with pdftotext, and the chart painter."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from helpers.reports import build_known_roster, local_as_utc
from sqlalchemy import select

from station.cli.main import main
from station.store.models import Draw, DrawWinner, Prize, Registration

DAY = "2026-11-25"


def add_win(store, event_id: int, prize_name: str, registration: Registration, at: dt.datetime,
            voided: bool = False) -> None:
    with store.session() as s:
        prize = Prize(event_id=event_id, name=prize_name, stock=5, remaining=4)
        s.add(prize)
        s.flush()
        d = Draw(event_id=event_id, prize_id=prize.id, count=1, entries="[]", entries_sha256="0" * 64,
                 station_uuid="s", created_at=local_as_utc(at))
        s.add(d)
        s.flush()
        s.add(DrawWinner(draw_id=d.id, event_id=event_id, prize_id=prize.id, registration_id=registration.id,
                         member_id=registration.member_id, created_at=local_as_utc(at),
                         voided_at=local_as_utc(at) if voided else None, void_reason="未到场" if voided else None))
        s.commit()


@pytest.fixture
def pdf_store(store):
    b = build_known_roster(store)  # 甲厂: 5 roster + 2 new sign-ups at 12:30 local on DAY
    ub = b.union("工会丙")
    b.enterprise("丁厂", ub, signed_unverified=3, signed_at=local_as_utc(dt.datetime(2026, 11, 25, 9, 5)))
    b.checkins("周五观影", capacity=100, admitted=3, refused=1, at=dt.datetime(2026, 11, 25, 19, 0))
    b.checkins("大参林核销", capacity=None, admitted=2, refused=0, at=dt.datetime(2026, 11, 25, 15, 0))
    with store.session() as s:
        regs = s.scalars(select(Registration).order_by(Registration.id)).all()
        s.expunge_all()
    with store.session() as s:  # known names for the masked winners
        first, second = s.get(Registration, regs[0].id), s.get(Registration, regs[1].id)
        first.name, second.name = "欧阳小明", "李四"
        s.commit()
    add_win(store, b.event_id, "电影票", regs[0], dt.datetime(2026, 11, 25, 13, 0))
    add_win(store, b.event_id, "话费 50 元", regs[1], dt.datetime(2026, 11, 25, 13, 5))
    add_win(store, b.event_id, "作废奖品", regs[2], dt.datetime(2026, 11, 25, 13, 6), voided=True)
    store.builder = b
    return store


def pdftext(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


@pytest.fixture
def pdf(pdf_store, data_dir, tmp_path):
    out = tmp_path / "日报.pdf"
    assert main(["--data-dir", str(data_dir), "report", "day", "--date", DAY, "--out", str(out)]) == 0
    return out


def test_pdf_is_a4_with_the_bundled_font_embedded(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info or "595 x 842" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "YGHPosterSansSC" in fonts.replace(" ", "") and " yes " in fonts


def test_pdf_has_the_headings_and_the_days_figures(pdf, pdf_store):
    text = pdftext(pdf)
    flat = re.sub(r"\s+", " ", text)
    for heading in ("粤工惠地推日报", "概况", f"{DAY} 每小时登记人数", f"{DAY} 各单位登记人数", "观影 / 核验：入场与容量",
                    "抽奖结果", "下一步去哪儿"):
        assert heading in flat, heading
    assert pdf_store.identity.name in flat and DAY in flat
    # tiles: 10 sign-ups, 8 on the roster, 2 new, 80.0 %, 5 admitted
    assert re.search(r"登记人数\s+在册会员\s+新会员申请", text)
    assert re.search(r"\b10\s+8\s+2\b", text)
    assert "80.0%" in flat
    # per enterprise: 甲厂 7 = 5 + 2, 丁厂 3 = 3 + 0
    assert re.search(r"甲厂\s+7\s+5\s+2", text)
    assert re.search(r"丁厂\s+3\s+3\s+0", text)
    # admissions against capacity
    assert re.search(r"周五观影\s+3\s+1\s+100\s+3\.0%", text)
    assert "3 / 100 人（3%）" in flat
    assert "2（未设容量）" in flat
    # the planner's first choice
    assert re.search(r"1\s+大11\s+工会乙\s+201", text)


def test_pdf_lists_the_days_wins_masked_with_their_prizes(pdf):
    text = pdftext(pdf)
    assert re.search(r"13:00\s+长安电子摊位\s+电影票\s+欧\*\*明\s+在册会员", text)
    assert re.search(r"13:05\s+长安电子摊位\s+话费 50 元\s+李\*", text)
    assert "作废奖品" not in text  # a voided win is no result
    assert "欧阳小明" not in text and "李四" not in text


def test_pdf_holds_no_personal_data(pdf, pdf_store):
    text = pdftext(pdf)
    b = pdf_store.builder
    for secret in b.ids + b.phones:
        assert secret not in text
    assert "张小" not in text


def test_pdf_in_english(pdf_store, data_dir, tmp_path):
    out = tmp_path / "day.pdf"
    assert main(["--data-dir", str(data_dir), "--lang", "en", "report", "day", "--date", DAY, "--out", str(out)]) == 0
    flat = re.sub(r"\s+", " ", pdftext(out))
    for heading in ("YueGongHui field day report", "Summary", "Sign-ups per hour", "Prize draw results", "Where next"):
        assert heading in flat, heading


def test_pdf_of_an_empty_day_says_so(pdf_store, data_dir, tmp_path):
    out = tmp_path / "empty.pdf"
    assert main(["--data-dir", str(data_dir), "report", "day", "--date", "2026-01-02", "--out", str(out), "--json"]) == 0
    flat = re.sub(r"\s+", " ", pdftext(out))
    assert "当天没有登记。" in flat and "当天没有抽奖。" in flat and "当天没有观影或核验活动。" in flat


def test_a_long_enterprise_list_runs_over_pages_with_the_header_repeated(store, tmp_path):
    from station.reports.day import DayReport
    from station.reports.day_pdf import write_pdf

    rep = DayReport(date=dt.date(2026, 11, 25), station="测试站", signups=1,
                    per_enterprise=[(f"第{i}号单位", i, 0) for i in range(1, 121)])
    path = write_pdf(rep, tmp_path / "long.pdf")
    text = pdftext(path)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 3
    assert "第120号单位" in text
    assert sum(1 for p in pages if re.search(r"单位\s+登记人数\s+在册会员\s+新会员申请", p)) >= 2
    assert not list(tmp_path.glob("*.partial"))


def test_unwritable_pdf_path_exits_2(pdf_store, data_dir, tmp_path, capsys):
    out = tmp_path / "missing" / "r.pdf"
    assert main(["--data-dir", str(data_dir), "report", "day", "--date", DAY, "--out", str(out)]) == 2
    assert "无法写入" in capsys.readouterr().err
    assert not out.parent.exists()


# -- the chart painter -------------------------------------------------------------------


def test_nice_ticks_are_round_and_cover_the_top():
    from station.reports.charts import nice_ticks

    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(93) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(1234)[-1] >= 1234 and len(nice_ticks(1234)) <= 6


def test_bars_are_painted_in_their_colours_and_proportion(qapp):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from station.reports.charts import NEW_COLOUR, ROSTER_COLOUR, Bar, BarChart, paint_bars

    img = QImage(400, 200, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    chart = BarChart((Bar("08", (4, 0)), Bar("09", (2, 2)), Bar("10", (0, 0))), ("在册", "新"),
                     (ROSTER_COLOUR, NEW_COLOUR))
    p = QPainter(img)
    paint_bars(p, QRectF(0, 0, 400, 200), chart)
    p.end()

    def count(colour: str) -> int:
        c = QColor(colour).rgb()
        return sum(1 for x in range(0, 400, 2) for y in range(0, 200, 2) if img.pixel(x, y) == c)

    green, blue = count(ROSTER_COLOUR), count(NEW_COLOUR)
    assert green > 0 and blue > 0
    assert green == pytest.approx(3 * blue, rel=0.15)  # 6 roster against 2 new


def test_an_empty_chart_shows_its_text_and_no_bars(qapp):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from station.reports.charts import (
        ROSTER_COLOUR,
        Bar,
        BarChart,
        CapacityChart,
        paint_bars,
        paint_capacity,
    )

    img = QImage(300, 150, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    paint_bars(p, QRectF(0, 0, 300, 150), BarChart((Bar("08", (0,)),), ("在册",), (ROSTER_COLOUR,), "没有登记"))
    paint_capacity(p, QRectF(0, 0, 300, 150), CapacityChart((), "没有活动"))
    p.end()
    c = QColor(ROSTER_COLOUR).rgb()
    assert not any(img.pixel(x, y) == c for x in range(300) for y in range(150))


def test_the_hour_axis_covers_the_working_day_and_any_hour_outside_it():
    from station.reports.day import Admissions, DayReport, capacity_chart, hour_chart

    rep = DayReport(date=dt.date(2026, 11, 25), per_hour_split={7: (1, 0), 12: (3, 2), 21: (0, 1)},
                    admissions=[Admissions("观影", dt.date(2026, 11, 25), 120, 3, 100),
                                Admissions("核销", dt.date(2026, 11, 25), 4, 0, None)])
    chart = hour_chart(rep)
    assert [b.label for b in chart.bars] == [f"{h:02d}" for h in range(7, 22)]
    assert {b.label: b.values for b in chart.bars}["12"] == (3, 2)
    assert chart.series == ("在册会员", "新会员申请")
    assert [r.text for r in capacity_chart(rep).rows] == ["120 / 100 人（120%）", "4（未设容量）"]
    assert hour_chart(DayReport(date=dt.date(2026, 11, 25))).bars[0].label == "08"


def test_unsynced_counts_every_record_of_the_day(pdf_store):
    from station.reports.day import collect

    rep = collect(pdf_store, dt.date(2026, 11, 25))
    assert (rep.signups, rep.checkins, len(rep.winners)) == (10, 6, 2)
    assert rep.unsynced == 19  # 10 + 6 + 3 wins: the voided one waits too, its void has to reach the hub
    assert rep.admitted == 5


def test_the_xlsx_lists_the_days_wins_masked_too(pdf_store, data_dir, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "day.xlsx"
    assert main(["--data-dir", str(data_dir), "report", "day", "--date", DAY, "--out", str(out)]) == 0
    rows = [list(r) for r in load_workbook(out)["抽奖"].iter_rows(values_only=True)]
    assert rows[0] == [f"{DAY} 抽奖结果（姓名已打码）", None, None, None, None]
    assert rows[1] == ["时间", "活动", "奖品", "中奖者", "类型"]
    assert rows[2:] == [["13:00", "长安电子摊位", "电影票", "欧**明", "在册会员"],
                        ["13:05", "长安电子摊位", "话费 50 元", "李*", "在册会员"]]


def test_a_sign_up_the_hub_accepted_is_no_longer_unsynced(pdf_store):
    from sqlalchemy import update

    from station.reports.day import collect

    with pdf_store.session() as s:
        first = s.scalars(select(Registration.id).order_by(Registration.id)).first()
        s.execute(update(Registration).where(Registration.id == first).values(synced_at=dt.datetime(2026, 11, 25, 14)))
        s.commit()
    assert collect(pdf_store, dt.date(2026, 11, 25)).unsynced == 18


def test_checks_and_wins_the_hub_accepted_are_no_longer_unsynced_and_the_note_says_when(pdf_store):
    from sqlalchemy import update

    from station.reports.day import collect
    from station.store.models import CheckIn, DrawWinner, SyncLink

    rep = collect(pdf_store, dt.date(2026, 11, 25))
    assert "还没有同步过" in rep.unsynced_note()
    at = dt.datetime(2026, 11, 25, 10, 30)  # UTC; shown in the laptop's local time
    with pdf_store.session() as s:
        s.execute(update(CheckIn).values(synced_at=at))
        s.execute(update(DrawWinner).values(synced_at=at))
        s.add(SyncLink(id=1, hub_url="https://hub.example.cn", hub_station_name="一号", credential_enc=b"x",
                       hub_bundle_key="k", bundle_key_enc=b"x", bundle_key_public="p", audit_synced_seq=0,
                       last_success_at=at))
        s.commit()
    rep = collect(pdf_store, dt.date(2026, 11, 25))
    assert rep.unsynced == 10  # the sign-ups only
    from station.store.clock import to_local

    assert f"最近一次同步：{to_local(at):%Y-%m-%d %H:%M}。" in rep.unsynced_note()
