"""The `station` command as a script would use it: JSON out, exit codes, messages."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET

from station.cli import main as cli
from station.cli import store as store_cli
from station.i18n import set_lang
from station.people.idnumber import check_digit


def make_id(first17: str) -> str:
    return first17 + check_digit(first17)


LI = make_id("43052419950305456")


@pytest.fixture(autouse=True)
def chinese():
    set_lang("zh")
    yield
    set_lang("zh")


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    """The command as the organizer runs it from a script: --operator, the secret in STATION_SECRET."""
    monkeypatch.setenv("STATION_SECRET", ORGANIZER_SECRET)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["--data-dir", str(tmp_path / "data"), "--operator", ORGANIZER, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def station(run):
    """A station set up with its first organizer."""
    code, _, err = run("setup", "--name", ORGANIZER)
    assert code == 0, err
    return run


def test_init_then_event_then_register_json(run):
    code, out, _ = run("init", "--name", "长安镇1号站", "--json")
    assert code == 0 and json.loads(out)["name"] == "长安镇1号站"
    assert run("setup", "--name", ORGANIZER)[0] == 0
    code, out, _ = run("event", "open", "--venue", "一号饭堂", "--promoter", "李推广", "--enterprise", "东莞市长安电子有限公司", "--json")
    assert code == 0 and json.loads(out)["venue"] == "一号饭堂"
    code, out, _ = run("register", "--name", "李四", "--phone", "13912345678", "--id-number", LI, "--consent", "--json")
    data = json.loads(out)
    assert code == 0 and data["outcome"] == "new" and data["today_count"] == 1
    assert data["id_number"].count("*") == 10
    code, out, _ = run("register", "--name", "李四", "--phone", "13912345678", "--id-number", LI, "--consent", "--json")
    data = json.loads(out)
    assert data["outcome"] == "already" and data["earlier"]["station"] == "长安镇1号站"
    code, out, _ = run("registrations", "list", "--today", "--json")
    assert code == 0 and [r["name"] for r in json.loads(out)] == ["李*"]
    code, out, _ = run("roster", "find", "ls", "--json")
    assert code == 0 and json.loads(out)[0]["phone"] == "138****5678".replace("138", "139")


def test_register_without_consent_flag_saves_nothing_and_exits_2(run, station):
    run("event", "open", "--venue", "饭堂", "--promoter", "甲")
    code, _, err = run("register", "--name", "李四", "--phone", "13912345678", "--id-number", LI)
    assert code == 2 and "--consent" in err and "未保存" in err
    code, out, _ = run("registrations", "list", "--json")
    assert json.loads(out) == []


def test_bad_id_exits_2_with_chinese_reason(run, station):
    run("event", "open", "--venue", "饭堂", "--promoter", "甲")
    bad = LI[:-1] + ("0" if LI[-1] != "0" else "1")
    code, out, err = run("register", "--name", "李四", "--phone", "13912345678", "--id-number", bad, "--consent")
    assert code == 2 and out == ""
    assert "校验位" in err and "Traceback" not in err


def test_lang_en_gives_english_messages(run, station):
    run("event", "open", "--venue", "饭堂", "--promoter", "甲")
    code, _, err = run("--lang", "en", "register", "--name", "李四", "--phone", "123", "--id-number", LI, "--consent")
    assert code == 2 and "mobile number has 11 digits" in err


def test_missing_argument_is_explained_in_chinese(run):
    code, _, err = run("register", "--name", "李四")
    assert code == 2 and "缺少必填参数" in err and "--phone" in err


def test_bad_date_is_explained(run):
    code, _, err = run("event", "open", "--venue", "饭堂", "--promoter", "甲", "--date", "2026-13-01")
    assert code == 2 and "不是有效日期" in err


def test_no_session_tells_how_to_open_one(run, station):
    code, _, err = run("register", "--name", "李四", "--phone", "13912345678", "--id-number", LI, "--consent")
    assert code == 2 and "station event open" in err


def test_internal_error_goes_to_log_not_screen(run, monkeypatch, tmp_path):
    def boom(args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(store_cli, "cmd_check", boom)
    code, _out, err = run("check")
    assert code == 1
    assert "Traceback" not in err and "secret internals" not in err and "日志" in err
    log = (tmp_path / "data" / "logs" / "station.log").read_text(encoding="utf-8")
    assert "secret internals" in log and "Traceback" in log


def _command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every command path under `parser` with whether it is a leaf (has no subcommands of its own)."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield prefix, parser
    for group in groups:
        for name, sub in group.choices.items():
            yield from _command_paths(sub, (*prefix, name))


def test_every_command_has_a_handler():
    # One registry: each module adds a command with its handler; a leaf without one could not run.
    leaves = list(_command_paths(cli.build_parser()))
    assert len(leaves) > 60
    for path, leaf in leaves:
        func = leaf.get_default("func")
        assert callable(func), f"station {' '.join(path)} has no handler"
    assert cli.build_parser().get_default("func") is cli.cmd_gui  # no subcommand: the app


def test_backup_restore_and_check(run, station, tmp_path):
    run("event", "open", "--venue", "饭堂", "--promoter", "甲")
    run("register", "--name", "李四", "--phone", "13912345678", "--id-number", LI, "--consent")
    code, out, _ = run("backup")
    assert code == 0 and "已备份" in out
    code, out, _ = run("check")
    assert code == 0 and "通过" in out
    code, out, _ = run("restore", "--list")
    assert code == 0 and "manual" in out
    code, out, _ = run("restore")
    assert code == 0 and "已从备份" in out
    code, out, _ = run("registrations", "list", "--json")
    assert len(json.loads(out)) == 1


def test_console_script_runs_as_a_program(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(tmp_path), "roster", "stats", "--json"],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["members_on_roster"] == 0
