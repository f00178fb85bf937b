"""`station ecard …`, `station event create|list` and `station scan`, end to end."""

from __future__ import annotations

import json

import cv2
import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET

from station.checkin import synth as scan_synth
from station.cli.main import main
from station.people.idnumber import check_digit


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def station_dir(tmp_path, capsys, monkeypatch):
    d = str(tmp_path / "data")
    assert run(capsys, "init", "--name", "南粤院线 1 号机", "--data-dir", d)[0] == 0
    monkeypatch.setenv("STATION_SECRET", ORGANIZER_SECRET)  # the organizer's, for the commands that log in
    assert run(capsys, "setup", "--name", ORGANIZER, "--data-dir", d)[0] == 0
    return d


@pytest.fixture
def key(tmp_path, capsys, station_dir):
    path = tmp_path / "platform.pem"
    code, out, _ = run(capsys, "ecard", "keygen", "--out", str(path), "--trust", "--json", "--data-dir", station_dir)
    assert code == 0 and json.loads(out)["trusted"]
    return path


def _event(capsys, station_dir, *extra):
    code, out, err = run(capsys, "event", "create", "--name", "长津湖", "--venue", "东城店 3 号厅", "--json",
                         "--data-dir", station_dir, *extra)
    assert code == 0, err
    return json.loads(out)


def test_keygen_writes_both_halves_and_trusts_the_public_one(capsys, key, station_dir):
    assert key.exists() and key.with_suffix(".pub").exists()
    _code, out, _ = run(capsys, "ecard", "trust", "--list", "--json", "--data-dir", station_dir)
    assert [k["label"] for k in json.loads(out)] == [""]


def test_event_create_and_list(capsys, station_dir):
    ev = _event(capsys, station_dir, "--entry", "18:30-19:10", "--capacity", "300", "--union", "甲工会",
                "--admissions", "2")
    assert (ev["entry_start"][-5:], ev["entry_end"][-5:], ev["capacity"], ev["unions"]) == ("18:30", "19:10", 300, ["甲工会"])
    _code, out, _ = run(capsys, "event", "list", "--json", "--data-dir", station_dir)
    assert [e["name"] for e in json.loads(out)] == ["长津湖"]


def test_a_backwards_window_is_bad_input(capsys, station_dir):
    code, _, err = run(capsys, "event", "create", "--name", "x", "--venue", "y", "--entry", "19:00-18:00",
                       "--data-dir", station_dir)
    assert code == 2 and "不晚于" in err


def test_booth_event_commands_still_work(capsys, station_dir):
    assert run(capsys, "event", "open", "--venue", "一号饭堂", "--promoter", "李", "--data-dir", station_dir)[0] == 0
    _code, out, _ = run(capsys, "event", "current", "--json", "--data-dir", station_dir)
    assert json.loads(out)["venue"] == "一号饭堂"
    assert run(capsys, "event", "close", "--data-dir", station_dir)[0] == 0


def test_issue_then_scan_a_code_then_again(capsys, station_dir, key):
    ev = _event(capsys, station_dir)
    code, out, _ = run(capsys, "ecard", "issue", "--platform-id", "9", "--key", str(key), "--name", "张三",
                       "--union", "甲工会", "--json", "--data-dir", station_dir)
    card = json.loads(out)
    assert card["name"] == "张*" and card["qr_version"] <= 10
    code, out, _ = run(capsys, "--operator", ORGANIZER, "scan", "--event", str(ev["id"]), "--code", card["token"], "--data-dir", station_dir)
    assert code == 0 and out.startswith("通过")
    code, out, _ = run(capsys, "--operator", ORGANIZER, "scan", "--event", "长津湖", "--code", card["token"], "--json", "--data-dir", station_dir)
    assert json.loads(out)["verdicts"][0]["reason"] == "already"


def test_issue_for_a_roster_member_and_scan_the_qr_image(capsys, tmp_path, station_dir, key):
    _event(capsys, station_dir)
    base = "44190019800101123"
    assert run(capsys, "event", "open", "--venue", "饭堂", "--promoter", "李", "--data-dir", station_dir)[0] == 0
    assert run(capsys, "register", "--name", "王芳", "--phone", "13800138000", "--id-number", base + check_digit(base),
               "--union", "甲工会", "--consent", "--data-dir", station_dir, "--operator", ORGANIZER)[0] == 0
    qr = tmp_path / "card.png"
    code, out, err = run(capsys, "ecard", "issue", "--member", "13800138000", "--key", str(key), "--qr-out", str(qr),
                         "--data-dir", station_dir, "--operator", ORGANIZER)
    assert code == 0, err
    code, out, _ = run(capsys, "--operator", ORGANIZER, "scan", "--event", "长津湖", "--image", str(qr), "--data-dir", station_dir)
    assert "通过" in out and "王*" in out and "甲工会" in out


def test_scan_a_video_of_the_door(capsys, tmp_path, station_dir, key):
    _event(capsys, station_dir)
    _code, out, _ = run(capsys, "ecard", "issue", "--platform-id", "11", "--key", str(key), "--json",
                       "--data-dir", station_dir)
    token = json.loads(out)["token"]
    clip = [scan_synth.blank_frame(0)] + [f for _, f in scan_synth.frames(token, "clean", 6, seed=1)]
    video = tmp_path / "door.mp4"
    scan_synth.write_video(video, clip)
    _code, out, _ = run(capsys, "--operator", ORGANIZER, "scan", "--event", "长津湖", "--camera", str(video), "--json", "--data-dir", station_dir)
    result = json.loads(out)
    assert result["frames"] == 7 and [v["verdict"] for v in result["verdicts"]] == ["pass"]


def test_revoke_then_scan_is_refused(capsys, station_dir, key):
    _event(capsys, station_dir)
    _code, out, _ = run(capsys, "ecard", "issue", "--platform-id", "12", "--key", str(key), "--json",
                       "--data-dir", station_dir)
    assert run(capsys, "ecard", "revoke", "--platform-id", "12", "--reason", "lost", "--data-dir", station_dir)[0] == 0
    _code, out, _ = run(capsys, "--operator", ORGANIZER, "scan", "--event", "长津湖", "--code", json.loads(out)["token"], "--json",
                       "--data-dir", station_dir)
    assert json.loads(out)["verdicts"][0]["reason"] == "revoked"


def test_retiring_a_key_refuses_its_codes(capsys, station_dir, key):
    _event(capsys, station_dir)
    _code, out, _ = run(capsys, "ecard", "issue", "--platform-id", "13", "--key", str(key), "--json",
                       "--data-dir", station_dir)
    card = json.loads(out)
    assert run(capsys, "ecard", "trust", "--retire", card["kid"], "--data-dir", station_dir)[0] == 0
    _code, out, _ = run(capsys, "--operator", ORGANIZER, "scan", "--event", "长津湖", "--code", card["token"], "--json", "--data-dir", station_dir)
    assert json.loads(out)["verdicts"][0]["reason"] == "invalid"


def test_a_bad_key_file_and_an_unknown_event_are_bad_input(capsys, tmp_path, station_dir):
    bad = tmp_path / "bad.pem"
    bad.write_text("hello")
    assert run(capsys, "ecard", "issue", "--platform-id", "1", "--key", str(bad), "--data-dir", station_dir)[0] == 2
    code, _, err = run(capsys, "--operator", ORGANIZER, "scan", "--event", "无此活动", "--code", "1", "--data-dir", station_dir)
    assert code == 2 and "找不到活动" in err


def test_scan_an_image_with_no_code_says_so(capsys, tmp_path, station_dir):
    _event(capsys, station_dir)
    path = tmp_path / "wall.png"
    cv2.imwrite(str(path), scan_synth.blank_frame(3))
    code, out, _ = run(capsys, "--operator", ORGANIZER, "scan", "--event", "长津湖", "--image", str(path), "--data-dir", station_dir)
    assert code == 0 and "未识别到二维码" in out


def test_a_scan_names_the_logged_in_operator(capsys, station_dir, key):
    from sqlalchemy import select

    from station.store.database import open_store
    from station.store.models import CheckIn

    _event(capsys, station_dir)
    _code, out, _ = run(capsys, "ecard", "issue", "--platform-id", "21", "--key", str(key), "--json",
                       "--data-dir", station_dir)
    assert run(capsys, "--operator", ORGANIZER, "scan", "--event", "长津湖", "--code", json.loads(out)["token"],
               "--data-dir", station_dir)[0] == 0
    with open_store(station_dir).session() as s:
        assert list(s.scalars(select(CheckIn.operator))) == [ORGANIZER]


def test_a_scan_without_operator_says_how_to_log_in(capsys, station_dir, key):
    _event(capsys, station_dir)
    code, out, _ = run(capsys, "ecard", "issue", "--platform-id", "22", "--key", str(key), "--json",
                       "--data-dir", station_dir)
    code, out, err = run(capsys, "scan", "--event", "长津湖", "--code", json.loads(out)["token"],
                         "--data-dir", station_dir)
    assert code == 2 and out == ""
    assert "--operator" in err and "station --operator 陈主席 scan" in err


def test_a_door_checker_added_on_the_command_line_checks_cards_and_nothing_else(capsys, station_dir, key, monkeypatch):
    ev = _event(capsys, station_dir)
    monkeypatch.setenv("STATION_NEW_SECRET", "480519")
    code, _, err = run(capsys, "--operator", ORGANIZER, "operators", "add", "--name", "门口小刘", "--role", "checker",
                       "--data-dir", station_dir)
    assert code == 0, err
    _code, out, _ = run(capsys, "ecard", "issue", "--platform-id", "9", "--key", str(key), "--name", "张三",
                        "--union", "甲工会", "--json", "--data-dir", station_dir)
    token = json.loads(out)["token"]
    monkeypatch.setenv("STATION_SECRET", "480519")
    code, out, _ = run(capsys, "--operator", "门口小刘", "scan", "--event", str(ev["id"]), "--code", token,
                       "--json", "--data-dir", station_dir)
    assert code == 0 and json.loads(out)["verdicts"][0]["admitted"]
    code, out, err = run(capsys, "--operator", "门口小刘", "register", "--name", "王芳", "--phone", "13912345678",
                         "--id-number", "44190019900307" + "123" + check_digit("44190019900307123"), "--consent",
                         "--data-dir", station_dir)
    assert code == 2 and out == "" and "核验员无权" in err
    code, _, err = run(capsys, "--lang", "en", "--operator", "门口小刘", "operators", "list", "--data-dir", station_dir)
    assert code == 2 and "door checker" in err.lower()


def test_an_event_with_reentry_lets_a_member_out_and_back_in_from_the_command_line(capsys, station_dir, key):
    ev = _event(capsys, station_dir, "--reentry")
    assert ev["reentry"] is True
    _code, out, _ = run(capsys, "ecard", "issue", "--platform-id", "11", "--key", str(key), "--name", "李四",
                        "--union", "甲工会", "--json", "--data-dir", station_dir)
    token = json.loads(out)["token"]

    def scan(*extra):
        return run(capsys, "--operator", ORGANIZER, "scan", "--event", str(ev["id"]), "--code", token,
                   "--data-dir", station_dir, *extra)

    assert scan()[1].startswith("通过")
    code, out, _ = scan("--direction", "out")
    assert code == 0 and out.startswith("出场")
    code, out, _ = scan()
    assert code == 0 and out.startswith("再次入场")
    code, _out, err = scan("--direction", "sideways")
    assert code == 2 and "sideways" in err
