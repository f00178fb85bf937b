"""`station hub …`: the reference hub's commands, as an administrator runs them."""

from __future__ import annotations

import base64
import csv
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from helpers.hub import serve

from station.checkin import ecard
from station.cli import main as cli
from station.hub.app import create_app
from station.people.idnumber import check_digit

ROOT = Path(__file__).resolve().parent.parent


def make_id(n: int) -> str:
    base = f"44190019{80 + n % 20:02d}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
    return base + check_digit(base)


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "hub.sqlite")


@pytest.fixture
def run(tmp_path, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["--data-dir", str(tmp_path / "data"), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def live(db):
    app = create_app(db)
    server, thread, base = serve(app)
    yield base
    server.should_exit = True
    thread.join(15)
    app.state.db.dispose()


def _enroll(base: str, code: str) -> str:
    r = httpx.post(base + "/v1/enroll", json={"code": code, "station_uuid": str(uuid.uuid4()), "station_name": "一号"})
    assert r.status_code == 200, r.text
    return r.json()["credential"]


def _pull(base: str, cred: str, kind: str, cursor: int = 0) -> list[dict]:
    r = httpx.get(f"{base}/v1/pull/{kind}", params={"cursor": cursor}, headers={"Authorization": f"Bearer {cred}"})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_enroll_prints_a_code_a_station_can_spend_once(run, db, live):
    code, out, _err = run("hub", "enroll", "--db", db, "--station-name", "东城一号", "--json")
    assert code == 0
    enrollment = json.loads(out)["code"]
    assert len(enrollment) == 19 and enrollment.count("-") == 3
    _enroll(live, enrollment)
    r = httpx.post(live + "/v1/enroll", json={"code": enrollment, "station_uuid": str(uuid.uuid4()), "station_name": "x"})
    assert r.status_code == 403
    code, out, _ = run("hub", "stations", "--db", db, "--json")
    assert [s["name"] for s in json.loads(out)] == ["一号"]
    code, out, _ = run("hub", "enroll", "--db", db, "--station-name", "二号")
    assert code == 0 and "一次性注册码" in out


def test_roster_import_reads_a_hand_made_file_and_stations_pull_it(run, db, live, tmp_path):
    path = tmp_path / "名册.csv"
    with path.open("w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["东莞市大朗镇 2026 年会员名册"])
        w.writerow(["姓名", "身份证号", "联系电话", "单位", "工会"])
        for n in range(30):
            w.writerow([f"工人{chr(0x4E00 + n)}", make_id(n), f"1380013{n:04d}", "东莞大朗毛织有限公司", "大朗毛织工会"])
        w.writerow(["王五", "4.41900199001011E+17", "", "", ""])
        w.writerow(["工人一", make_id(0), "", "", ""])  # the same person again: counted once
    code, out, err = run("hub", "roster", "import", "--db", db, str(path), "--json")
    assert code == 0, err
    res = json.loads(out)
    assert (res["rows_read"], res["inserted"], res["rejected"], res["duplicates"]) == (32, 30, 1, 1)
    assert res["problems"][0]["row"] == 33
    code, out, _ = run("hub", "roster", "import", "--db", db, str(path), "--json")
    assert (json.loads(out)["inserted"], json.loads(out)["unchanged"]) == (0, 30)
    code, out, _ = run("hub", "enroll", "--db", db, "--station-name", "一号", "--json")
    cred = _enroll(live, json.loads(out)["code"])
    items = _pull(live, cred, "roster")
    assert len(items) == 30 and items[0]["union"] == "大朗毛织工会" and items[0]["phone"] == "13800130000"
    assert _pull(live, cred, "roster", items[-1]["seq"]) == []
    # Verification, revocation and an event from the command line reach the pulls.
    assert run("hub", "verify", "--db", db, "--id-number", make_id(1), "--id-number", make_id(2))[0] == 0
    assert {i["id_number"] for i in _pull(live, cred, "verification")} == {make_id(1), make_id(2)}
    assert run("hub", "revoke", "--db", db, "--platform-id", str(items[3]["platform_id"]), "--reason", "cancelled")[0] == 0
    assert _pull(live, cred, "revocations")[0]["reason"] == "cancelled"
    code, out, _ = run("hub", "event", "create", "--db", db, "--kind", "screening", "--name", "《长津湖》职工观影",
                       "--venue", "南粤院线东城店", "--date", "2026-11-28", "--entry", "18:30-19:10",
                       "--capacity", "300", "--union", "大朗毛织工会", "--json")
    assert code == 0
    event = _pull(live, cred, "events")[0]
    assert event["uuid"] == json.loads(out)["uuid"] and event["capacity"] == 300 and event["entry_start"]


def test_keys_make_list_export_and_issue_codes_stations_can_check(run, db, live, tmp_path):
    run("hub", "roster", "import", "--db", db, str(_one_member_roster(tmp_path)))
    code, _out, err = run("hub", "keys", "issue", "--db", db, "--id-number", make_id(5))
    assert code == 2 and "签名密钥" in err  # no key yet: says how to make one
    code, out, _ = run("hub", "keys", "new", "--db", db, "--label", "2026", "--json")
    kid = json.loads(out)["kid"]
    code, out, _ = run("hub", "keys", "list", "--db", db, "--json")
    assert [k["kid"] for k in json.loads(out)] == [kid]
    pub = tmp_path / "platform.pub"
    assert run("hub", "keys", "export", "--db", db, kid, "--out", str(pub))[0] == 0
    qr = tmp_path / "card.png"
    code, out, err = run("hub", "keys", "issue", "--db", db, "--id-number", make_id(5), "--valid", "2h",
                         "--qr-out", str(qr), "--json")
    assert code == 0, err
    issued = json.loads(out)
    card = ecard.parse(issued["code"])
    assert card.kid == kid and card.valid_seconds == 7200 and card.masked_name == "李*"
    assert ecard.signature_ok(card, ecard.load_public_key(pub.read_bytes()))
    assert qr.exists() and qr.stat().st_size > 500
    code, out, _ = run("hub", "enroll", "--db", db, "--station-name", "一号", "--json")
    cred = _enroll(live, json.loads(out)["code"])
    pulled = _pull(live, cred, "keys")[0]
    assert ecard.signature_ok(card, ecard.public_from_raw(base64.b64decode(pulled["public_key"])))
    assert run("hub", "keys", "retire", "--db", db, kid)[0] == 0
    assert run("hub", "keys", "issue", "--db", db, "--id-number", make_id(5))[0] == 2


def _one_member_roster(tmp_path: Path) -> Path:
    path = tmp_path / "one.csv"
    path.write_text(f"姓名,身份证号码,手机号码,单位名称,基层工会名称\n李四,{make_id(5)},13800138000,某厂,某厂工会\n",
                    encoding="utf-8-sig")
    return path


def test_openapi_is_written_without_a_server(run, tmp_path):
    out = tmp_path / "openapi.json"
    assert run("hub", "openapi", "--out", str(out))[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "/v1/push/registrations" in doc["paths"] and "RegistrationIn" in doc["components"]["schemas"]


def test_a_bad_database_address_is_a_message_not_a_traceback(run, tmp_path):
    code, _out, err = run("hub", "enroll", "--db", "mysql://nobody@127.0.0.1/x", "--station-name", "x")
    assert code == 2 and "数据库地址" in err
    code, _out, err = run("--lang", "en", "hub", "enroll", "--db", "postgresql://nobody@127.0.0.1:1/x",
                          "--station-name", "x")
    assert code == 2 and "Cannot reach the hub database" in err and "Traceback" not in err


def test_station_hub_serve_answers_over_http(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "station", "--data-dir", str(tmp_path / "data"), "hub", "serve",
         "--db", str(tmp_path / "hub.sqlite"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/v1/status", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else "timeout"
                time.sleep(0.2)
        assert r.status_code == 401 and r.json() == {
            "ok": False, "protocol": 1, "error": "unauthenticated",
            "reason": "This request needs a station credential (Authorization: Bearer …).", "records": []}
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json").status_code == 200
    finally:
        proc.terminate()
        out, _err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}" in out
