"""The enterprise table and the planner 下一步去哪儿 (station/reports/planner.py) on a hand-built roster."""

from __future__ import annotations

import json

import pytest
from helpers.reports import build_known_roster

from station.cli.main import main
from station.reports.planner import enterprise_table, next_visits


@pytest.fixture
def known(store):
    build_known_roster(store)
    return store


def _by_name(store):
    return {e.enterprise: e for e in enterprise_table(store)}


def test_planner_ranks_candidates_by_unverified_members_not_yet_signed_up(known):
    assert [(e.enterprise, e.reachable) for e in next_visits(known)] == [
        ("大11", 201), ("乙厂", 20), ("甲厂", 15), ("丙厂", 5), ("无工会厂", 4),
    ]


def test_eleventh_largest_of_a_union_is_left_out_unless_over_200(known):
    table = _by_name(known)
    assert table["末厂"].size_rank == 11 and not table["末厂"].candidate
    assert table["大11"].size_rank == 11 and table["大11"].candidate
    assert "末厂" not in [e.enterprise for e in next_visits(known)]


def test_enterprise_figures_count_imported_signed_up_and_verified(known):
    jia = _by_name(known)["甲厂"]
    assert (jia.imported, jia.signed_up, jia.verified, jia.unknown, jia.reachable) == (30, 7, 10, 0, 15)
    assert jia.verification_rate == pytest.approx(10 / 30)


def test_verification_rate_is_unknown_before_any_sync(known):
    assert _by_name(known)["乙厂"].verification_rate is None
    assert _by_name(known)["丙厂"].verification_rate == pytest.approx(0.8)


def test_enterprise_without_a_union_is_grouped_on_its_own(known):
    row = _by_name(known)["无工会厂"]
    assert row.union is None and row.size_rank == 1 and row.candidate


def test_empty_store_plans_nothing(store):
    assert enterprise_table(store) == [] and next_visits(store) == []


def test_cli_report_enterprises_json_top(known, data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "report", "enterprises", "--json", "--top", "2"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["enterprise"] for r in rows] == ["大11", "乙厂"]
    assert rows[1]["verification_rate"] is None


def test_cli_report_enterprises_prints_the_plan_in_chinese(known, data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "report", "enterprises", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "下一步去哪儿" in out and "1. 大11" in out and "认证率 未知" in out


def test_cli_report_enterprises_bad_top_exits_2(known, data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "report", "enterprises", "--top", "0"]) == 2


# -- snapshots and change since last week -------------------------------------------------


def test_a_snapshot_is_kept_once_a_day(known):
    import datetime as dt

    from sqlalchemy import func, select

    from station.reports.planner import record_snapshot
    from station.store.models import EnterpriseSnapshot

    day = dt.date(2026, 11, 25)
    table = enterprise_table(known)
    assert record_snapshot(known, table, day) == len(table)
    assert record_snapshot(known, table, day) == 0  # the day's first stands
    assert record_snapshot(known, table, day + dt.timedelta(days=1)) == len(table)
    with known.session() as s:
        assert s.scalar(select(func.count()).select_from(EnterpriseSnapshot)) == 2 * len(table)


def test_no_change_without_a_snapshot_a_week_old(known):
    import datetime as dt

    from station.reports.planner import overview

    day = dt.date(2026, 11, 25)
    ov = overview(known, day - dt.timedelta(days=6))
    ov = overview(known, day)
    assert ov.compared_with is None and ov.changes == {}
    assert ov.first_snapshot == day - dt.timedelta(days=6)


def test_change_since_the_newest_snapshot_at_least_a_week_old(known):
    import datetime as dt

    from sqlalchemy import update

    from station.reports.planner import overview, record_snapshot
    from station.store.models import EnterpriseSnapshot

    day = dt.date(2026, 11, 25)
    table = enterprise_table(known)
    record_snapshot(known, table, day - dt.timedelta(days=10))
    record_snapshot(known, table, day - dt.timedelta(days=8))
    record_snapshot(known, table, day - dt.timedelta(days=3))  # too recent to compare with
    by_name = {e.enterprise: e for e in table}
    with known.session() as s:  # a week ago 丙厂 had 15 of 25 verified and 甲厂 2 sign-ups
        s.execute(update(EnterpriseSnapshot).where(EnterpriseSnapshot.enterprise_id == by_name["丙厂"].enterprise_id,
                                                   EnterpriseSnapshot.day == day - dt.timedelta(days=8))
                  .values(verified=15))
        s.execute(update(EnterpriseSnapshot).where(EnterpriseSnapshot.enterprise_id == by_name["甲厂"].enterprise_id,
                                                   EnterpriseSnapshot.day == day - dt.timedelta(days=8))
                  .values(signed_up=2))
        s.commit()
    ov = overview(known, day)
    assert ov.compared_with == day - dt.timedelta(days=8)
    bing = ov.change(by_name["丙厂"].enterprise_id)
    assert bing.verified == 5 and bing.rate == pytest.approx(0.2) and bing.signed_up == 0
    jia = ov.change(by_name["甲厂"].enterprise_id)
    assert jia.signed_up == 5
    yi = ov.change(by_name["乙厂"].enterprise_id)  # status unknown: no verified change to speak of
    assert yi.verified is None and yi.rate is None


def test_cli_report_enterprises_shows_the_change_since_last_week(known, data_dir, capsys):
    import datetime as dt

    from sqlalchemy import update

    from station.reports.planner import record_snapshot
    from station.store.clock import local_today
    from station.store.models import EnterpriseSnapshot

    # The first run keeps today's figures and says there is nothing a week old yet.
    assert main(["--data-dir", str(data_dir), "report", "enterprises", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "还没有一周前的记录可比" in out and "较上周" not in out
    # Figures from eight days ago: 甲厂 had 2 sign-ups then, 7 now.
    table = enterprise_table(known)
    then = local_today() - dt.timedelta(days=8)
    record_snapshot(known, table, then)
    jia = next(e for e in table if e.enterprise == "甲厂")
    with known.session() as s:
        s.execute(update(EnterpriseSnapshot).where(EnterpriseSnapshot.enterprise_id == jia.enterprise_id,
                                                   EnterpriseSnapshot.day == then).values(signed_up=2, verified=4))
        s.commit()
    assert main(["--data-dir", str(data_dir), "report", "enterprises", "--top", "5"]) == 0
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if "甲厂" in l)
    assert "较上周：登记 +5，认证 +6，认证率 +20.0 个百分点" in line
    assert f"与 {then.isoformat()} 的记录相比" in out
    assert main(["--data-dir", str(data_dir), "--lang", "en", "report", "enterprises", "--json", "--all"]) == 0
    rows = {r["enterprise"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["甲厂"]["week_change"] == {"since": then.isoformat(), "signed_up": 5, "verified": 6,
                                          "verification_rate": pytest.approx(0.2)}
