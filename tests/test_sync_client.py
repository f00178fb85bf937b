"""The station's sync client against the real reference hub over loopback HTTP (issue 7, part 3).

The hub runs on SQLite here (one push-everything test also on PostgreSQL);
the station is a real store with a real organizer's key.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from helpers import sync as F
from helpers.hub import LiveHub, live_hub
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from sqlalchemy import select, update

from station.cli.main import main
from station.draw import service as draw
from station.errors import StationError
from station.hub import models as H
from station.hub import service
from station.hub.app import create_app
from station.security import audit, retention
from station.store.models import CheckIn, Registration, SyncRefusal, SyncRun
from station.sync import client as sync_client
from station.sync import records as sync_records
from station.sync.report import SyncReport, last_report


@pytest.fixture
def hub(sqlite_hub):  # the station's side is the point here; one test also runs on PostgreSQL
    return sqlite_hub


@pytest.fixture
def pg_hub(pg_cluster):
    name = "hub_" + uuid.uuid4().hex[:12]
    with live_hub(pg_cluster.create_database(name)) as live:
        yield live
    pg_cluster.drop_database(name)


def no_sleep(_delay: float) -> None:
    pass


@pytest.fixture
def enrolled(store, organizer, hub):
    sync_client.enroll(store, organizer, hub.base_url, hub.code("测试工作站"))
    return hub


def client(store, organizer, **kw) -> sync_client.HubClient:
    return sync_client.client_for(store, organizer, sleep=no_sleep, **kw)


def sync(store, organizer, **kw) -> SyncReport:
    with client(store, organizer) as c:
        return sync_client.run_sync(store, organizer, client=c, **kw)


def hub_uuids(hub: LiveHub, model) -> list[str]:
    with hub.db.session() as s:
        return list(s.scalars(select(model.uuid)))


def data_pending(store) -> dict:
    counts = sync_records.pending_counts(store)
    counts.pop("audit")
    return counts


# -- enrollment -------------------------------------------------------------------------------------


def test_enroll_keeps_the_credential_encrypted_and_only_once(store, organizer, hub):
    with pytest.raises(StationError) as bad:
        sync_client.enroll(store, organizer, hub.base_url, "AAAA-BBBB-CCCC-DDDD")
    assert bad.value.key == "sync_enroll_code_invalid"
    with pytest.raises(StationError) as plain:
        sync_client.enroll(store, organizer, "http://hub.example.cn", hub.code())
    assert plain.value.key == "sync_bad_url"  # personal data travels only inside TLS
    assert sync_client.link(store) is None

    row = sync_client.enroll(store, organizer, hub.base_url + "/", hub.code("东城一号"))
    assert row.hub_url == hub.base_url and row.hub_station_name == "测试工作站"  # the name the station sent
    cred = sync_client.credential(store, organizer)
    assert cred.startswith("ygh1_") and b"ygh1_" not in row.credential_enc
    key = sync_client.signing_key(store, organizer)
    with hub.db.session() as s:
        station = s.scalars(select(H.Station).where(H.Station.uuid == store.identity.uuid)).one()
        assert station.bundle_signing_key == row.bundle_key_public
    assert key.public_key().public_bytes_raw() == __import__("base64").b64decode(row.bundle_key_public)
    assert next(e.action for e in audit.entries(store, 5)) == "sync_enroll"

    with pytest.raises(StationError) as again:
        sync_client.enroll(store, organizer, hub.base_url, hub.code())
    assert again.value.key == "sync_already_enrolled"
    with pytest.raises(StationError) as exists:  # the hub knows this station UUID already
        sync_client.enroll(store, organizer, hub.base_url, hub.code(), replace=True)
    assert exists.value.key == "sync_station_exists"
    assert sync_client.credential(store, organizer) == cred  # a refused re-enrollment changes nothing


def test_enrolling_again_after_a_lost_reply_works_with_the_same_code(store, organizer, hub):
    import httpx

    code = hub.code("东城一号")
    ident = store.identity
    # The hub spent the code and answered, but the answer never reached the station.
    r = httpx.post(hub.base_url + "/v1/enroll", json={"code": code, "station_uuid": ident.uuid,
                                                      "station_name": ident.name})
    assert r.status_code == 200
    assert sync_client.link(store) is None
    sync_client.enroll(store, organizer, hub.base_url, code)  # the organizer simply tries again
    assert sync_client.run_sync(store, organizer).outcome == "ok"


def test_only_organizers_sync(store, organizer, promoter, hub):
    with pytest.raises(StationError) as e:
        sync_client.enroll(store, promoter, hub.base_url, hub.code())
    assert e.value.key == "not_permitted"
    with pytest.raises(StationError):
        sync_records.collect(store, promoter, "registrations")


# -- pushing ------------------------------------------------------------------------------------------


def _assert_hub_has_everything(store, hub) -> None:
    with store.session() as s:
        for model, hub_model in ((Registration, H.Registration), (CheckIn, H.CheckIn)):
            mine = set(s.scalars(select(model.uuid)))
            theirs = hub_uuids(hub, hub_model)
            assert len(theirs) == len(set(theirs)) == len(mine) and set(theirs) == mine
    assert data_pending(store) == dict.fromkeys(data_pending(store), 0)


def test_push_everything_once_and_a_second_run_sends_nothing(store, organizer, enrolled):
    hub = enrolled
    F.day_of_work(store, organizer, signups=1500, checkins=300, draws=3, posters=12, audits=10)
    seen = []
    report = sync(store, organizer, progress=lambda kind, done, total: seen.append((kind, done, total)))
    assert report.outcome == "ok", report.summary_lines()
    assert report.pushed["registrations"]["accepted"] == 1500
    assert report.pushed["winners"]["accepted"] == 15 and report.pushed["posters"]["accepted"] == 12
    assert ("registrations", 1000, 1500) in seen and ("registrations", 1500, 1500) in seen
    _assert_hub_has_everything(store, hub)
    assert hub.count(H.Draw) == 3 and hub.count(H.DrawWinner) == 15 and hub.count(H.Poster) == 12
    assert sync_records.pending_counts(store)["audit"] == 0  # the run's own entry went with it
    assert hub.count(H.AuditEntry) == audit.count(store)
    lines = report.summary_lines("zh")
    assert lines[0] == "同步完成" and "已上传 1,500 条报名" in lines
    assert "Uploaded 1,500 sign-ups" in report.summary_lines("en")

    entries = audit.count(store)
    again = sync(store, organizer)
    assert again.outcome == "ok"
    # Only this run's own entries (the run's, and the pull's when station/sync/pull.py is there) went.
    assert again.total_pushed() == 0 and again.pushed["audit"]["accepted"] == audit.count(store) - entries >= 1
    assert again.summary_lines()[1] == "没有需要上传的记录"
    assert hub.count(H.Registration) == 1500 and hub.count(H.CheckIn) == 300
    with store.session() as s:
        runs = list(s.scalars(select(SyncRun).order_by(SyncRun.id)))
    assert [r.outcome for r in runs] == ["ok", "ok"]
    assert last_report(store).to_json() == SyncReport.from_json(runs[-1].report).to_json()
    link = sync_client.link(store)
    assert link.last_success_at is not None and link.audit_synced_seq == audit.count(store)


def test_push_to_a_hub_on_postgresql(store, organizer, pg_hub):
    sync_client.enroll(store, organizer, pg_hub.base_url, pg_hub.code())
    F.day_of_work(store, organizer, signups=300, checkins=50)
    assert sync(store, organizer).outcome == "ok"
    _assert_hub_has_everything(store, pg_hub)
    assert pg_hub.count(H.AuditEntry) == audit.count(store)


def test_a_refused_record_is_reported_kept_pending_and_the_rest_accepted(store, organizer, enrolled):
    hub = enrolled
    ev = F.add_event(store)
    regs = F.add_signups(store, organizer, ev, 40)
    checks = F.add_checkins(store, ev, 20)
    with store.session() as s:  # a check-in the hub's rules refuse (bad source word)
        s.execute(update(CheckIn).where(CheckIn.uuid == checks[3]).values(source="Camera 2"))
        s.commit()
    # The hub already holds one of these sign-ups with other content (say, from a restored old copy).
    cred = sync_client.credential(store, organizer)
    body = sync_records.collect(store, organizer, "registrations").body["records"][5]
    with hub.client(cred) as c:
        assert c.post("/v1/push/events", json=sync_records.collect(store, organizer, "events").body).status_code == 200
        assert c.post("/v1/push/registrations", json={"records": [dict(body, name="王五")]}).status_code == 200

    report = sync(store, organizer)
    assert report.outcome == "attention"
    refused = {(r["kind"], r["uuid"]): r["error"] for r in report.refused}
    assert refused == {("registrations", regs[5]): "conflict", ("checkins", checks[3]): "invalid_request"}
    assert data_pending(store)["registrations"] == 1 and data_pending(store)["checkins"] == 1
    assert hub.count(H.Registration) == 40 and hub.count(H.CheckIn) == 19
    lines = report.summary_lines()
    assert "2 条记录被平台拒收，需要处理：" in lines
    assert any("平台已有这条记录但内容不同" in line for line in lines)
    rows = sync_client.refusal_rows(store)
    assert {r["uuid"] for r in rows} == {regs[5], checks[3]}

    # Fixed on the station (the check-in's source), the next sync takes it and resolves the refusal.
    with store.session() as s:
        s.execute(update(CheckIn).where(CheckIn.uuid == checks[3]).values(source="camera"))
        s.commit()
    second = sync(store, organizer)
    assert [r["uuid"] for r in second.refused] == [regs[5]]  # still refused: never dropped
    assert data_pending(store)["checkins"] == 0 and data_pending(store)["registrations"] == 1
    with store.session() as s:
        resolved = s.scalars(select(SyncRefusal).where(SyncRefusal.record_uuid == checks[3])).one()
        assert resolved.resolved_at is not None


def test_an_event_made_after_its_records_were_queued_is_pushed_first(store, organizer, enrolled):
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 5)
    batch = sync_records.collect(store, organizer, "registrations")
    with client(store, organizer) as c:
        with pytest.raises(sync_client.HubRefusal) as e:
            c.push("registrations", batch.body, batch.uuids)
        assert e.value.error == "unknown_event"
    assert sync(store, organizer).outcome == "ok"


def test_a_void_travels_as_updated(store, organizer, enrolled):
    hub = enrolled
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 30)
    result = F.add_draws(store, organizer, ev, draws=1, per_draw=3)[0]
    assert sync(store, organizer).outcome == "ok"
    win = result.winners[0]
    draw.void_win(store, win.win_uuid, "未到场", operator=organizer)
    assert sync_records.pending_counts(store)["winners"] == 1
    report = sync(store, organizer)
    assert report.pushed["winners"] == {"accepted": 0, "updated": 1, "unchanged": 0}
    assert "1 条中奖作废已告知平台" in report.summary_lines()
    with hub.db.session() as s:
        row = s.scalars(select(H.DrawWinner).where(H.DrawWinner.uuid == win.win_uuid)).one()
        assert row.void_reason == "未到场" and row.voided_at is not None


def test_a_win_voided_while_its_batch_was_on_the_way_stays_pending(store, organizer):
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 10)
    win = F.add_draws(store, organizer, ev, draws=1, per_draw=2)[0].winners[0]
    batch = sync_records.collect(store, organizer, "draws")
    draw.void_win(store, win.win_uuid, "未到场", operator=organizer)
    reply = {"ok": True, "protocol": 1, "kind": "draws", "received": len(batch.uuids), "accepted": batch.uuids,
             "updated": [], "unchanged": []}
    result = sync_records.apply_reply(store, "draws", batch, reply)
    assert result.marked == len(batch.uuids) - 1
    assert sync_records.pending_counts(store)["winners"] == 1 and sync_records.pending_counts(store)["draws"] == 0


# -- what is not success ----------------------------------------------------------------------------------


class _Portal(BaseHTTPRequestHandler):
    """A canteen Wi-Fi: every request gets its login page, 200 text/html."""

    def _page(self):
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        page = "<html><body>欢迎使用食堂 Wi-Fi，请登录</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    do_GET = do_POST = _page

    def log_message(self, *_args):
        pass


@pytest.fixture
def portal():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_captive_portal_page_is_a_failure_and_nothing_is_marked(store, organizer, enrolled, portal):
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 10)
    before = sync_records.pending_counts(store)
    cred = sync_client.credential(store, organizer)
    with sync_client.HubClient(portal, cred, sleep=no_sleep) as c:
        report = sync_client.run_sync(store, organizer, client=c)
    assert report.outcome == "failed" and report.error["key"] == "sync_net_captive"
    assert report.summary_lines()[0] == "同步没有完成：网络返回了登录页面而不是平台的回复：请先在浏览器里登录 Wi-Fi，再同步"
    assert "log in to the Wi-Fi" in report.summary_lines("en")[0]
    after = sync_records.pending_counts(store)
    assert {k: after[k] for k in after if k != "audit"} == {k: before[k] for k in before if k != "audit"}
    assert sync_client.link(store).last_success_at is None


def _mock(handler) -> sync_client.HubClient:
    return sync_client.HubClient("http://127.0.0.1:9", "ygh1_x", sleep=no_sleep, retries=3,
                                 transport=httpx.MockTransport(handler))


def _json(status: int, body: dict) -> httpx.Response:
    return httpx.Response(status, json=body)


def test_replies_that_are_not_success_are_failures_with_their_own_message():
    sent = [str(uuid.uuid4()) for _ in range(3)]
    ok = {"ok": True, "protocol": 1, "kind": "checkins", "received": 3, "accepted": sent, "updated": [],
          "unchanged": [], "notices": []}
    cases = {
        "sync_net_not_platform": lambda r: httpx.Response(403, text="<h1>Forbidden by proxy</h1>",
                                                          headers={"content-type": "text/html"}),
        "sync_net_truncated": lambda r: httpx.Response(200, content=json.dumps(ok).encode()[:40],
                                                       headers={"content-type": "application/json"}),
        "sync_net_mismatch": lambda r: _json(200, dict(ok, received=2)),
        "sync_net_protocol": lambda r: _json(200, dict(ok, protocol=2)),
        "sync_net_server": lambda r: _json(500, {"ok": False, "protocol": 1, "error": "internal", "reason": "x"}),
    }
    for key, handler in cases.items():
        with _mock(handler) as c, pytest.raises(StationError) as e:
            c.push("checkins", {"records": []}, sent)
        assert e.value.key == key, key
    for bad in (dict(ok, accepted=sent[:2]), dict(ok, accepted=sent[:2] + sent[:1]), dict(ok, kind="registrations"),
                dict(ok, accepted=[*sent[:2], str(uuid.uuid4())])):
        with _mock(lambda r, b=bad: _json(200, b)) as c, pytest.raises(StationError) as e:
            c.push("checkins", {"records": []}, sent)
        assert e.value.key == "sync_net_mismatch"


def test_network_errors_and_5xx_are_retried_with_growing_waits():
    sent = [str(uuid.uuid4())]
    ok = {"ok": True, "protocol": 1, "kind": "events", "received": 1, "accepted": [], "updated": [],
          "unchanged": sent}
    calls = []

    def flaky(request):
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused")
        if len(calls) == 2:
            return httpx.Response(502, text="Bad gateway", headers={"content-type": "text/html"})
        if len(calls) == 3:
            return _json(503, {"ok": False, "protocol": 1, "error": "busy", "reason": "busy"})
        return _json(200, ok)

    waits = []
    c = sync_client.HubClient("http://127.0.0.1:9", "ygh1_x", sleep=waits.append, rng=lambda: 1.0,
                              transport=httpx.MockTransport(flaky), backoff=0.5)
    assert c.push("events", {"records": []}, sent)["unchanged"] == sent
    assert waits == [0.5, 1.0, 2.0] and len(calls) == 4
    assert calls[0].headers["authorization"] == "Bearer ygh1_x" and calls[0].headers["x-ygh-protocol"] == "1"

    cancel = threading.Event()
    cancel.set()
    c.cancel = cancel
    with pytest.raises(sync_client.SyncCancelled):
        c.push("events", {"records": []}, sent)


def test_a_revoked_station_is_told_to_enroll_again(store, organizer, enrolled):
    hub = enrolled
    F.day_of_work(store, organizer, signups=5, checkins=0, draws=0, posters=0, audits=0)
    with hub.db.session() as s:
        service.revoke_station(s, store.identity.uuid)
        s.commit()
    report = sync(store, organizer)
    assert report.outcome == "failed" and report.error["key"] == "sync_revoked"
    assert "吊销" in report.summary_lines()[0] and "station sync enroll --replace" in report.summary_lines()[0]
    assert data_pending(store)["registrations"] == 5
    old = sync_client.credential(store, organizer)
    sync_client.enroll(store, organizer, hub.base_url, hub.code(), replace=True)  # the administrator's new code
    assert sync(store, organizer).outcome == "ok" and data_pending(store)["registrations"] == 0
    with hub.client(old) as c:
        assert c.get("/v1/status").status_code == 401  # the old credential stays refused


def test_cancelled_midway_the_next_run_carries_on(store, organizer, enrolled):
    hub = enrolled
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 2500)
    cancel = threading.Event()

    def progress(kind, done, total):
        if kind == "registrations" and done >= 1000:
            cancel.set()

    report = sync(store, organizer, progress=progress, cancel=cancel)
    assert report.outcome == "cancelled"
    assert report.summary_lines()[0] == "同步已取消：已上传的记录不会丢失，下次同步会接着传"
    assert data_pending(store)["registrations"] == 1500 and hub.count(H.Registration) == 1000
    assert sync(store, organizer).outcome == "ok"
    _assert_hub_has_everything(store, hub)


# -- after a sync: retention and reset ----------------------------------------------------------------------


def test_retention_never_purges_what_the_hub_has_not_taken(store, organizer, enrolled):
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, 6)
    assert retention.purge(store, organizer, days=0)["registrations"] == 0  # nothing synced yet
    assert sync(store, organizer).outcome == "ok"
    F.add_signups(store, organizer, ev, 4, start=100)
    counts = retention.purge(store, organizer, days=0)
    assert counts["registrations"] == 6
    with store.session() as s:
        unsynced = list(s.scalars(select(Registration).where(Registration.synced_at.is_(None))))
        assert len(unsynced) == 4 and all(r.purged_at is None and r.phone_enc for r in unsynced)
    assert sync_records.pending_counts(store)["registrations"] == 4
    assert sync(store, organizer).outcome == "ok"  # purged rows are never sent again


def test_reset_is_refused_while_anything_is_pending(store, organizer, enrolled, data_dir):
    from station.sync import reset as sync_reset

    F.add_event(store)
    with pytest.raises(StationError) as wrong:
        sync_reset.reset_station(store, organizer, "别的工作站")
    assert wrong.value.key == "sync_reset_name"
    with pytest.raises(StationError) as e:
        sync_reset.reset_station(store, organizer, "测试工作站")
    assert e.value.key == "sync_reset_pending" and "1 条活动" in e.value.message()
    assert (data_dir / "station.sqlite").exists()
    assert sync(store, organizer).outcome == "ok"
    sync_reset.reset_station(store, organizer, "测试工作站")
    assert not (data_dir / "station.sqlite").exists() and not any((data_dir / "backups").iterdir())


# -- the command line -------------------------------------------------------------------------------------------


def test_the_sync_commands(store, organizer, hub, data_dir, capsys, monkeypatch):
    F.day_of_work(store, organizer, signups=20, checkins=5, draws=1, posters=2, audits=0)
    store.close()
    monkeypatch.setenv("STATION_SECRET", ORGANIZER_SECRET)
    base = ["--data-dir", str(data_dir), "--operator", ORGANIZER]
    assert main([*base, "sync", "status"]) == 0
    out = capsys.readouterr().out
    assert "还没有注册到平台" in out and "待上传：1 条活动、20 条报名、5 条入场核验" in out
    assert main([*base, "sync", "enroll", "--hub", hub.base_url, "--code", hub.code("城东一号")]) == 0
    assert "已注册到平台" in capsys.readouterr().out
    assert main([*base, "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"]["registrations"] == 20 and status["hub"] == hub.base_url
    assert main([*base, "sync", "run"]) == 0
    out = capsys.readouterr()
    assert "已上传 20 条报名" in out.out and "正在同步报名" in out.err
    assert main([*base, "--lang", "en", "sync", "run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["outcome"] == "ok" and "lines" in report
    assert main([*base, "--lang", "en", "sync", "status"]) == 0
    pending = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Waiting to upload")]
    assert pending == ["Waiting to upload: 1 audit log entries"]  # this command's own log-in, nothing else
    assert main([*base, "--lang", "zh", "sync", "refusals"]) == 0
    assert "没有被拒收的记录" in capsys.readouterr().out
    assert main([*base, "reset", "--confirm-station", "测试工作站"]) == 0
    assert not (data_dir / "station.sqlite").exists()


def test_sync_run_exits_3_when_records_need_attention(store, organizer, hub, data_dir, capsys, monkeypatch):
    ev = F.add_event(store)
    checks = F.add_checkins(store, ev, 3)
    with store.session() as s:
        s.execute(update(CheckIn).where(CheckIn.uuid == checks[0]).values(source="BAD SOURCE"))
        s.commit()
    sync_client.enroll(store, organizer, hub.base_url, hub.code())
    store.close()
    monkeypatch.setenv("STATION_SECRET", ORGANIZER_SECRET)
    base = ["--data-dir", str(data_dir), "--operator", ORGANIZER]
    assert main([*base, "sync", "run"]) == 3
    assert "1 条记录被平台拒收" in capsys.readouterr().out
    assert main([*base, "sync", "refusals", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["uuid"] for r in rows] == [checks[0]] and rows[0]["error"] == "invalid_request"
    assert main([*base, "reset", "--confirm-station", "测试工作站"]) == 2
    assert "1 条入场核验" in capsys.readouterr().err


def test_sync_run_exits_1_when_the_hub_cannot_be_reached(store, organizer, hub, data_dir, capsys, monkeypatch):
    sync_client.enroll(store, organizer, hub.base_url, hub.code())
    with store.session() as s:
        row = sync_records.link_row(s)
        row.hub_url = "http://127.0.0.1:9"  # nothing listens on the discard port
        s.commit()
    store.close()
    monkeypatch.setenv("STATION_SECRET", ORGANIZER_SECRET)
    monkeypatch.setattr(sync_client.HubClient, "_wait", lambda self, attempt: None)
    assert main(["--data-dir", str(data_dir), "--operator", ORGANIZER, "sync", "run"]) == 1
    assert "连不上平台" in capsys.readouterr().out


# -- pulling (with station/sync/pull.py) -------------------------------------------------------------------------


def test_a_sync_pulls_what_changed_on_the_hub(store, organizer, enrolled):
    pytest.importorskip("station.sync.pull")
    hub = enrolled
    with hub.db.session() as s:
        service.upsert_roster(s, [(F.unique_id(9_000_001), "赵六", "13800000001", "东莞大朗毛织有限公司", "大朗毛织工会")], {})
        s.commit()
    report = sync(store, organizer)
    assert report.outcome == "ok" and report.pulled.get("roster") == 1
    assert any("名册变化" in line for line in report.summary_lines())
    assert sync(store, organizer).pulled.get("roster", 0) == 0


def test_the_report_survives_json_and_says_plain_words():
    report = SyncReport(mode="network")
    report.add_pushed("registrations", accepted=800, unchanged=12)
    report.add_pushed("winners", updated=2)
    report.pulled = {"roster": 1204, "verification": 0}
    report.add_refused("checkins", "0a1b2c3d-0000-4000-8000-000000000000", "conflict", "hub sentence")
    report.add_notice({"kind": "same_person", "uuid": "x", "detail": {"platform_id": 812, "stations": ["a", "b"]}})
    report.add_notice({"kind": "double_admission", "detail": {"event_uuid": "e", "platform_id": 9, "stations": ["a", "b"],
                                                               "admissions": 2, "limit": 1, "checkins": ["c1", "c2"]}})
    report.finish(__import__("datetime").datetime(2026, 11, 25, 12, 0))
    again = SyncReport.from_json(report.to_json())
    assert again == report and again.outcome == "attention"
    lines = again.summary_lines()
    assert lines[:2] == ["同步完成，但有记录需要处理", "已上传 812 条报名（其中 12 条平台早已收到）"]
    assert "回传 1,204 条名册变化" in lines and "2 条中奖作废已告知平台" in lines
    assert any("会员号 812" in line for line in lines) and any("共入场 2 次" in line for line in lines)
    assert "c1" not in report.to_json()  # the hub's detail is not kept, only what the organizer needs
    assert os.linesep not in "".join(again.summary_lines("en"))


def test_pull_pages_are_checked_like_pushes(store, organizer, enrolled):
    hub = enrolled
    with hub.db.session() as s:
        service.upsert_roster(s, [(F.unique_id(n), "赵六", None, None, None) for n in range(3)], {})
        s.commit()
    with client(store, organizer) as c:
        page = c.pull("roster", 0, 2)
        assert len(page["items"]) == 2 and page["more"] is True
        rest = c.pull("roster", page["next_cursor"], 2)
        assert len(rest["items"]) == 1 and rest["more"] is False
    good = {"ok": True, "protocol": 1, "kind": "roster", "cursor": 5, "next_cursor": 7, "more": False,
            "items": [{"seq": 6}, {"seq": 7}]}
    for bad in (dict(good, cursor=0), dict(good, kind="keys"), dict(good, items=[{"seq": 5}]),
                dict(good, items=[{"seq": 6}, {"seq": 8}]), dict(good, next_cursor=4, items=[]),
                dict(good, more="no"), dict(good, items=[{"seq": 6}, {"seq": 7}, {"seq": 7}][:3])):
        with _mock(lambda r, b=bad: _json(200, b)) as c, pytest.raises(StationError) as e:
            c.pull("roster", 5, 2)
        assert e.value.key == "sync_net_mismatch"


def _self_signed(tmp_path):
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ygh test hub")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "hub.pem", tmp_path / "hub.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_the_hub_certificate_is_verified_and_a_ca_file_makes_it_trusted(store, organizer, tmp_path):
    import socket

    import uvicorn

    cert_file, key_file = _self_signed(tmp_path)
    app = create_app(f"sqlite:///{tmp_path / 'tls-hub.sqlite'}")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", ssl_certfile=str(cert_file),
                                           ssl_keyfile=str(key_file)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.02)
    base = f"https://127.0.0.1:{sock.getsockname()[1]}"
    hub = LiveHub(base, app, server)
    try:
        with pytest.raises(StationError) as untrusted:
            sync_client.enroll(store, organizer, base, hub.code())
        assert untrusted.value.key == "sync_net_tls" and "--ca-file" in untrusted.value.message()
        with pytest.raises(StationError) as missing:
            sync_client.enroll(store, organizer, base, hub.code(), ca_file=str(tmp_path / "nope.pem"))
        assert missing.value.key == "sync_ca_missing"
        (tmp_path / "junk.pem").write_text("not a certificate")
        with pytest.raises(StationError) as junk:
            sync_client.enroll(store, organizer, base, hub.code(), ca_file=str(tmp_path / "junk.pem"))
        assert junk.value.key == "sync_ca_bad"
        sync_client.enroll(store, organizer, base, hub.code(), ca_file=str(cert_file))
        F.day_of_work(store, organizer, signups=10, checkins=2, draws=0, posters=1, audits=1)
        assert sync(store, organizer).outcome == "ok"
        assert hub.count(H.Registration) == 10
    finally:
        server.should_exit = True
        thread.join(15)
        app.state.db.dispose()


def test_a_card_admitted_at_two_stations_offline_is_in_both_stations_reports(store, organizer, enrolled, tmp_path):
    """Each door let the same e-card in once, offline; the screening allows one admission per member."""
    import datetime as dt

    from station.security import operators
    from station.store.database import open_store
    from station.store.models import Event

    hub = enrolled
    with hub.db.session() as s:
        service.create_event(s, kind="screening", name="《长津湖》职工观影", date=dt.date(2026, 11, 28),
                             venue="南粤院线东城店 3 号厅", capacity=300)
        s.commit()
    other = open_store(tmp_path / "other", station_name="二号工作站")
    operators.create_first_organizer(other, ORGANIZER, ORGANIZER_SECRET)
    other_op = operators.login(other, ORGANIZER, ORGANIZER_SECRET)
    sync_client.enroll(other, other_op, hub.base_url, hub.code("二号工作站"))
    try:
        for st, op in ((store, organizer), (other, other_op)):
            assert sync(st, op).outcome == "ok"  # both pull the screening
            with st.session() as s:
                screening = s.scalars(select(Event).where(Event.name == "《长津湖》职工观影")).one()
            F.add_checkins(st, screening, 1, seed=1 if st is store else 2)  # platform id 1000, admitted
            with st.session() as s:
                s.execute(update(CheckIn).values(admitted=True, verdict="pass", reason=None))
                s.commit()
        first = sync(store, organizer)  # nothing to flag yet: only one admission on the hub
        assert not any("共入场" in line for line in first.summary_lines())
        second = sync(other, other_op)  # the second admission: the push's reply says so
        assert second.outcome == "attention"
        line = next(line for line in second.summary_lines() if "共入场" in line)
        assert "《长津湖》职工观影" in line and "会员号 1000" in line and "2 个工作站共入场 2 次" in line
        again = sync(store, organizer)  # the station that pushed first hears of it through the pulled flag
        assert any("《长津湖》职工观影" in line and "共入场 2 次" in line for line in again.summary_lines())
        assert not any("共入场" in line for line in sync(store, organizer).summary_lines())  # told once
    finally:
        other.close()
