"""The enterprise table and the planner 下一步去哪儿 (station/planner.py) on a hand-built roster."""

from __future__ import annotations

import json

import pytest

from station.cli import main
from station.planner import enterprise_table, next_visits
from report_fixtures import build_known_roster


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
