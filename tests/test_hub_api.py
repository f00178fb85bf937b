"""The reference hub over real loopback HTTP, on SQLite and on PostgreSQL (issue 7, parts 1-2).

Each test runs twice (hub_url is parametrised): the same rules must hold on both databases.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import func, select

from station.checkin import ecard
from station.draw.rules import entries_digest
from station.hub import keys as hub_keys
from station.hub import service
from station.hub.models import (
    AuditEntry,
    CheckIn,
    Draw,
    DrawWinner,
    EnrollmentCode,
    Event,
    Member,
    Poster,
    Registration,
)
from station.people.idnumber import check_digit
from station.security.audit_chain import chain_hash


def make_id(n: int) -> str:
    base = f"44190019{80 + n % 20:02d}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
    return base + check_digit(base)


def new_uuid() -> str:
    return str(uuid.uuid4())


def event_rec(**kw) -> dict:
    rec = {"uuid": new_uuid(), "kind": "booth", "name": "大朗毛织午间摊位", "date": "2026-11-25",
           "venue": "一号饭堂", "host_enterprise": "东莞大朗毛织有限公司", "created_at": "2026-11-25T03:00:00Z"}
    rec.update(kw)
    return rec


def reg_rec(event_uuid: str, n: int = 1, **kw) -> dict:
    rec = {"uuid": new_uuid(), "event_uuid": event_uuid, "created_at": "2026-11-25T04:00:00.123456Z",
           "name": "张三", "id_number": make_id(n), "phone": f"1380013{n % 10000:04d}",
           "enterprise": "东莞大朗毛织有限公司", "union": "大朗毛织工会", "outcome": "new", "consent_version": "1"}
    rec.update(kw)
    return rec


def checkin_rec(event_uuid: str, platform_id: int, **kw) -> dict:
    rec = {"uuid": new_uuid(), "event_uuid": event_uuid, "created_at": "2026-11-28T10:40:00Z", "operator": "陈小燕",
           "source": "camera", "verdict": "pass", "admitted": True, "platform_id": platform_id,
           "key_id": "0a1b2c3d", "code_sha": "0123456789abcdef"}
    rec.update(kw)
    return rec


def push(client, kind: str, body: dict):
    return client.post(f"/v1/push/{kind}", json=body)


def ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-ygh-protocol"] == "1"
    body = r.json()
    assert body["protocol"] == 1
    assert body["ok"] is (status == 200)
    return body


@pytest.fixture
def station_a(hub):
    uuid_a, cred = hub.enroll("一号工作站")
    with hub.client(cred) as c:
        ev = event_rec()
        ok(push(c, "events", {"records": [ev]}))
        yield uuid_a, c, ev["uuid"]


# -- enrollment and authentication ---------------------------------------------------------------


def test_a_one_time_code_enrolls_one_station_and_only_once(hub):
    code = hub.code("东城工作站")
    station = new_uuid()
    with hub.client() as c:
        body = ok(c.post("/v1/enroll", json={"code": code.lower().replace("-", " "), "station_uuid": station,
                                             "station_name": "东城工作站"}))
        assert body["credential"].startswith("ygh1_") and body["station_uuid"] == station
        assert len(base64.b64decode(body["hub_bundle_key"])) == 32
        signing = base64.b64encode(ecard.public_raw(ecard.generate_key().public_key())).decode()
        with_key = ok(c.post("/v1/enroll", json={"code": hub.code(), "station_uuid": new_uuid(), "station_name": "二号",
                                                 "bundle_signing_key": signing}))
        assert with_key["hub_bundle_key"] == body["hub_bundle_key"]
        bad_key = ok(c.post("/v1/enroll", json={"code": hub.code(), "station_uuid": new_uuid(), "station_name": "三号",
                                                "bundle_signing_key": "A" * 40 + "="}), 422)
        assert bad_key["error"] == "invalid_request"
        again = ok(c.post("/v1/enroll", json={"code": code, "station_uuid": new_uuid(), "station_name": "x"}), 403)
        assert again["error"] == "enroll_code_invalid"
        ok(c.post("/v1/enroll", json={"code": "AAAA-BBBB-CCCC-DDDD", "station_uuid": new_uuid(), "station_name": "x"}), 403)
        # The same station UUID cannot be enrolled twice (that would hand its records to a second credential).
        ok(c.post("/v1/enroll", json={"code": hub.code(), "station_uuid": station, "station_name": "x"}), 409)
    with hub.db.session() as s:
        row = s.scalars(select(EnrollmentCode).order_by(EnrollmentCode.id)).first()
        assert row.used_at is not None and code.replace("-", "") not in row.code_hash  # stored hashed
        row = service.make_enrollment_code(s, "过期", dt.timedelta(seconds=-1))
        s.commit()
    with hub.client() as c:
        ok(c.post("/v1/enroll", json={"code": row[0], "station_uuid": new_uuid(), "station_name": "x"}), 403)
    with hub.client(body["credential"]) as c:
        status = ok(c.get("/v1/status"))
        assert status["station_uuid"] == station and status["station_name"] == "东城工作站"


def test_an_enrollment_whose_reply_was_lost_can_be_sent_again(hub):
    """The station never saw its credential: the same code from the same station gets a new one."""
    code, station = hub.code("东城工作站"), new_uuid()
    req = {"code": code, "station_uuid": station, "station_name": "东城工作站"}
    with hub.client() as c:
        lost = ok(c.post("/v1/enroll", json=req))["credential"]
        again = ok(c.post("/v1/enroll", json=req))["credential"]
        assert again != lost
        ok(c.post("/v1/enroll", json={**req, "station_uuid": new_uuid()}), 403)  # the code is still spent for others
    with hub.client(lost) as c:
        ok(c.get("/v1/status"), 401)  # the credential nobody received never works
    with hub.client(again) as c:
        ok(push(c, "events", {"records": [event_rec()]}))
    with hub.client() as c:  # once the station has pushed, the code is spent for good
        ok(c.post("/v1/enroll", json=req), 403)


def test_every_request_needs_a_valid_credential(hub):
    _station, cred = hub.enroll()
    ev = event_rec()
    for headers in ({}, {"Authorization": "Bearer ygh1_wrong"}, {"Authorization": "Basic abc"},
                    {"Authorization": "Bearer " + cred + "x"}, {"Authorization": cred}):
        with hub.client() as c:
            for r in (c.get("/v1/status", headers=headers), c.get("/v1/pull/roster", headers=headers),
                      c.post("/v1/push/events", json={"records": [ev]}, headers=headers),
                      c.post("/v1/push/events", content=b"not json", headers={**headers, "content-type": "application/json"})):
                assert ok(r, 401)["error"] == "unauthenticated"
    assert hub.count(Event) == 0
    with hub.db.session() as s:
        service.revoke_station(s, _station)
        s.commit()
    with hub.client(cred) as c:
        assert ok(c.get("/v1/status"), 403)["error"] == "station_revoked"
        ok(push(c, "events", {"records": [ev]}), 403)
    assert hub.count(Event) == 0


def test_a_station_cannot_touch_another_stations_records(hub, station_a):
    _ua, a, event_uuid = station_a
    reg = reg_rec(event_uuid)
    ok(push(a, "registrations", {"records": [reg]}))
    chk = checkin_rec(event_uuid, 7)
    ok(push(a, "checkins", {"records": [chk]}))
    _ub, cred_b = hub.enroll("二号工作站")
    with hub.client(cred_b) as b:
        for kind, rec in (("registrations", reg), ("registrations", dict(reg, name="李四")), ("checkins", chk)):
            body = ok(push(b, kind, {"records": [rec]}), 403)
            assert body["error"] == "not_your_record" and body["records"][0]["uuid"] == rec["uuid"]
        # A batch mixing a foreign record with new ones is refused whole.
        ok(push(b, "registrations", {"records": [reg_rec(event_uuid, 2), reg]}), 403)
        # Audit entries naming station A.
        entry = {"seq": 1, "at": "2026-11-25T04:00:00.000000", "station_uuid": _ua, "operator": None,
                 "action": "login", "target": None, "details": {}, "prev_hash": "0" * 64, "hash": "0" * 64}
        ok(push(b, "audit", {"entries": [entry]}), 403)
    with hub.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 1
        assert s.scalars(select(Registration.name)).one() == "张三"
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1


# -- idempotent pushes -------------------------------------------------------------------------------


def test_pushing_the_same_batch_twice_stores_each_record_once(hub, station_a):
    _ua, a, event_uuid = station_a
    batch = {"records": [reg_rec(event_uuid, n) for n in range(50)]}
    first = ok(push(a, "registrations", batch))
    assert len(first["accepted"]) == 50 and first["unchanged"] == [] and first["received"] == 50
    second = ok(push(a, "registrations", batch))
    assert second["accepted"] == [] and sorted(second["unchanged"]) == sorted(r["uuid"] for r in batch["records"])
    # A retry with more records: only the new ones are stored.
    more = {"records": batch["records"][:10] + [reg_rec(event_uuid, n) for n in range(50, 60)]}
    third = ok(push(a, "registrations", more))
    assert len(third["accepted"]) == 10 and len(third["unchanged"]) == 10
    # The same record twice inside one batch counts once.
    dup = reg_rec(event_uuid, 99)
    fourth = ok(push(a, "registrations", {"records": [dup, dup]}))
    assert fourth["accepted"] == [dup["uuid"]]
    assert hub.count(Registration) == 61
    assert hub.count(Member) == 61
    # Other kinds too.
    checks = {"records": [checkin_rec(event_uuid, 100 + i) for i in range(5)]}
    ok(push(a, "checkins", checks))
    assert ok(push(a, "checkins", checks))["accepted"] == []
    assert hub.count(CheckIn) == 5
    ev = {"records": [event_rec(uuid=event_uuid)]}  # the event pushed again by the fixture's station
    assert ok(push(a, "events", ev))["unchanged"] == [event_uuid]
    assert hub.count(Event) == 1


def test_the_same_uuid_with_other_content_is_a_409_that_changes_nothing(hub, station_a):
    _ua, a, event_uuid = station_a
    reg = reg_rec(event_uuid)
    ok(push(a, "registrations", {"records": [reg]}))
    new = reg_rec(event_uuid, 5)
    body = ok(push(a, "registrations", {"records": [new, dict(reg, phone="13900139000")]}), 409)
    assert body["error"] == "conflict"
    assert body["records"] == [{"uuid": reg["uuid"], "reason": "the hub already has this uuid from this station with different content"}]
    twice = ok(push(a, "registrations", {"records": [new, dict(new, name="李四")]}), 409)
    assert twice["records"][0]["uuid"] == new["uuid"]
    assert hub.count(Registration) == 1
    with hub.db.session() as s:
        assert s.scalars(select(Registration.phone)).one() == reg["phone"]


def test_draws_winners_and_a_later_void(hub, station_a):
    _ua, a, event_uuid = station_a
    regs = [reg_rec(event_uuid, n) for n in range(3)]
    ok(push(a, "registrations", {"records": regs}))
    entries = sorted(r["uuid"] for r in regs)
    draw = {"uuid": new_uuid(), "event_uuid": event_uuid, "prize": {"uuid": new_uuid(), "name": "电影票", "stock": 5},
            "count": 1, "entries": entries, "entries_sha256": entries_digest(entries), "operator": "陈小燕",
            "created_at": "2026-11-25T05:00:00Z"}
    win = {"uuid": new_uuid(), "draw_uuid": draw["uuid"], "registration_uuid": entries[0],
           "created_at": "2026-11-25T05:00:00Z"}
    bad = ok(push(a, "draws", {"draws": [dict(draw, entries_sha256="0" * 64)], "winners": []}), 422)
    assert bad["records"][0]["field"] == "entries_sha256"
    ok(push(a, "draws", {"winners": [win]}), 422)  # the draw is not there yet
    body = ok(push(a, "draws", {"draws": [draw], "winners": [win]}))
    assert sorted(body["accepted"]) == sorted([draw["uuid"], win["uuid"]])
    voided = dict(win, voided_at="2026-11-25T05:03:00Z", void_reason="未到场")
    body = ok(push(a, "draws", {"draws": [draw], "winners": [voided]}))
    assert body["updated"] == [win["uuid"]] and body["unchanged"] == [draw["uuid"]]
    assert ok(push(a, "draws", {"winners": [voided]}))["unchanged"] == [win["uuid"]]
    assert ok(push(a, "draws", {"winners": [win]}), 409)["records"][0]["reason"] == "a void cannot be changed or undone"
    with hub.db.session() as s:
        assert s.scalars(select(DrawWinner.void_reason)).one() == "未到场"
        assert s.scalar(select(func.count()).select_from(Draw)) == 1


def test_posters_keep_their_codes_unique(hub, station_a):
    _ua, a, _event = station_a
    poster = {"uuid": new_uuid(), "code": "P7K2M9", "enterprise": "东莞大朗毛织有限公司", "template": "a4",
              "campaign": "202611", "placement": "canteen", "hang_date": "2026-11-26",
              "url": "https://ygh.example.cn/s?p=P7K2M9", "title": "扫码加入粤工惠", "module_um": 1200,
              "created_at": "2026-11-25T06:00:00Z"}
    ok(push(a, "posters", {"records": [poster]}))
    ok(push(a, "posters", {"records": [poster]}))
    body = ok(push(a, "posters", {"records": [dict(poster, uuid=new_uuid())]}), 409)
    assert body["records"][0]["field"] == "code"
    assert hub.count(Poster) == 1


# -- pulls by cursor ---------------------------------------------------------------------------------


def pull(client, kind: str, cursor: int = 0, limit: int | None = None) -> dict:
    params = {"cursor": cursor} | ({"limit": limit} if limit else {})
    return ok(client.get(f"/v1/pull/{kind}", params=params))


def test_pulls_return_only_what_changed_after_the_cursor(hub, station_a):
    _ua, a, _event = station_a
    rows = [(make_id(n), f"工人{n}", f"1390013{n:04d}", "东莞大朗毛织有限公司", "大朗毛织工会") for n in range(5)]
    with hub.db.session() as s:
        service.upsert_roster(s, rows, {})
        s.commit()
    first = pull(a, "roster")
    assert [i["id_number"] for i in first["items"]] == [r[0] for r in rows]
    assert first["items"][0]["enterprise"] == "东莞大朗毛织有限公司" and first["items"][0]["on_roster"] is True
    assert first["more"] is False
    cursor = first["next_cursor"]
    assert pull(a, "roster", cursor)["items"] == []
    assert pull(a, "roster", cursor)["next_cursor"] == cursor
    with hub.db.session() as s:  # the same file again changes nothing; one changed phone is one change
        assert service.upsert_roster(s, rows, {}) == (0, 0, 5)
        changed = [(*rows[2][:2], "13700137000", *rows[2][3:])]
        assert service.upsert_roster(s, changed, {}) == (0, 1, 0)
        s.commit()
    again = pull(a, "roster", cursor)
    assert [(i["id_number"], i["phone"]) for i in again["items"]] == [(rows[2][0], "13700137000")]
    # Paging: two at a time, no item lost or repeated.
    seen, c, pages = [], 0, 0
    while True:
        page = pull(a, "roster", c, limit=2)
        seen += [i["id_number"] for i in page["items"]]
        c, pages = page["next_cursor"], pages + 1
        if not page["more"]:
            break
    assert sorted(seen) == sorted(r[0] for r in rows) and pages == 3
    # Verification, revocations, events and keys each have their own stream.
    with hub.db.session() as s:
        assert service.set_verified(s, [rows[0][0], rows[1][0]]) == 2
        platform_id = s.scalar(select(Member.id).where(Member.id_number == rows[3][0]))
        service.revoke_card(s, platform_id, "lost")
        ev = service.create_event(s, kind="screening", name="《长津湖》职工观影", date=dt.date(2026, 11, 28),
                                  venue="南粤院线东城店 3 号厅", capacity=300, unions=["大朗毛织工会"])
        key = hub_keys.new_key(s, label="2026")
        s.commit()
    ver = pull(a, "verification")
    assert {i["id_number"] for i in ver["items"]} == {rows[0][0], rows[1][0]} and all(i["verified"] for i in ver["items"])
    assert pull(a, "verification", ver["next_cursor"])["items"] == []
    rev = pull(a, "revocations")["items"]
    assert rev == [{"seq": rev[0]["seq"], "platform_id": platform_id, "reason": "lost", "revoked_at": rev[0]["revoked_at"]}]
    events = pull(a, "events")["items"]
    assert [e["uuid"] for e in events] == [ev.uuid] and events[0]["eligible_unions"] == ["大朗毛织工会"]
    keys = pull(a, "keys")["items"]
    assert [k["kid"] for k in keys] == [key.kid]
    with hub.db.session() as s:
        hub_keys.retire_key(s, key.kid)
        s.commit()
    retired = pull(a, "keys", keys[-1]["seq"])["items"]
    assert [k["kid"] for k in retired] == [key.kid] and retired[0]["retired_at"]
    assert ok(a.get("/v1/pull/nothing"), 422)["error"] == "invalid_request"
    ok(a.get("/v1/pull/roster", params={"cursor": -1}), 422)
    ok(a.get("/v1/pull/roster", params={"limit": 100000}), 422)


def test_a_code_issued_by_the_hub_verifies_with_the_key_stations_pull(hub, station_a):
    _ua, a, _event = station_a
    with hub.db.session() as s:
        service.upsert_roster(s, [(make_id(1), "欧阳娜娜", "13800138000", "某厂", "某厂工会")], {})
        hub_keys.new_key(s)
        token, member, _key = hub_keys.issue_card(s, id_number=make_id(1), valid_for=dt.timedelta(hours=2))
        s.commit()
    pulled = pull(a, "keys")["items"][0]
    card = ecard.parse(token)
    public = ecard.public_from_raw(base64.b64decode(pulled["public_key"]))
    assert card.kid == pulled["kid"] and ecard.signature_ok(card, public)
    assert card.member == member.id and card.union == "某厂工会" and card.masked_name == "欧**娜"


# -- conflicts between stations ------------------------------------------------------------------------


def test_one_person_signed_up_at_two_stations_is_one_member_with_both_sign_ups(hub, station_a):
    ua, a, event_a = station_a
    ub, cred_b = hub.enroll("二号工作站")
    reg_a = reg_rec(event_a, 7)
    assert ok(push(a, "registrations", {"records": [reg_a]}))["notices"] == []
    with hub.client(cred_b) as b:
        ev_b = event_rec(venue="二号饭堂")
        ok(push(b, "events", {"records": [ev_b]}))
        reg_b = reg_rec(ev_b["uuid"], 7, name="张三", phone="13900139000")
        body = ok(push(b, "registrations", {"records": [reg_b]}))
        assert body["notices"][0]["kind"] == "same_person" and body["notices"][0]["uuid"] == reg_b["uuid"]
        assert sorted(body["notices"][0]["detail"]["stations"]) == sorted([ua, ub])
        flags_b = pull(b, "flags")["items"]
    with hub.db.session() as s:
        members = list(s.scalars(select(Member)))
        assert len(members) == 1
        links = s.execute(select(Registration.uuid, Registration.member_id)).all()
        assert {u for u, _m in links} == {reg_a["uuid"], reg_b["uuid"]} and {m for _u, m in links} == {members[0].id}
    # Station A hears of it at its next pull.
    flags_a = pull(a, "flags")["items"]
    assert flags_a == flags_b and flags_a[0]["kind"] == "same_person"
    assert sorted(flags_a[0]["detail"]["registrations"]) == sorted([reg_a["uuid"], reg_b["uuid"]])


def test_one_card_admitted_at_two_stations_offline_is_flagged(hub, station_a):
    ua, a, _event = station_a
    with hub.db.session() as s:
        ev = service.create_event(s, kind="screening", name="职工观影", date=dt.date(2026, 11, 28), venue="影院",
                                  admissions_per_member=1)
        s.commit()
    ub, cred_b = hub.enroll("二号工作站")
    ok(push(a, "checkins", {"records": [checkin_rec(ev.uuid, 42), checkin_rec(ev.uuid, 43)]}))
    with hub.client(cred_b) as b:
        refused = checkin_rec(ev.uuid, 43, verdict="refuse", reason="already", admitted=False)
        body = ok(push(b, "checkins", {"records": [checkin_rec(ev.uuid, 42), refused]}))
        assert [n["kind"] for n in body["notices"]] == ["double_admission"]
        assert body["notices"][0]["detail"]["platform_id"] == 42 and body["notices"][0]["detail"]["admissions"] == 2
    flags = pull(a, "flags")["items"]
    assert [(f["kind"], f["subject"], f["event_uuid"]) for f in flags] == [("double_admission", "42", ev.uuid)]
    assert sorted(flags[0]["stations"]) == sorted([ua, ub])


# -- the audit log -------------------------------------------------------------------------------------


def test_the_audit_chain_is_checked_and_its_anchor_only_moves_forward(hub, store):
    from station.security import audit

    station_uuid = store.identity.uuid
    r = hub.client().post("/v1/enroll", json={"code": hub.code(), "station_uuid": station_uuid, "station_name": "测试"})
    cred = ok(r)["credential"]
    for i in range(6):
        audit.append(store, "export", operator="陈小燕", details={"rows": i, "purpose": "月报"})
    entries = [audit.entry_json(e) | {"prev_hash": e.prev_hash, "station_uuid": e.station_uuid}
               for e in reversed(audit.entries(store, limit=None))]
    for e in entries:
        e.pop("station")
    anchor = {"seq": 3, "hash": entries[2]["hash"]}
    with hub.client(cred) as c:
        body = ok(push(c, "audit", {"entries": entries[:4], "anchor": anchor}))
        assert body["accepted"] == 4 and body["head"]["seq"] == 4 and body["anchor"]["seq"] == 3
        assert ok(push(c, "audit", {"entries": entries[:4]}))["unchanged"] == 4
        edited = [dict(entries[4], details={"rows": 999, "purpose": "月报"})]
        assert ok(push(c, "audit", {"entries": edited}), 422)["error"] == "audit_invalid"
        assert ok(push(c, "audit", {"entries": entries[5:]}), 422)["error"] == "audit_gap"
        body = ok(push(c, "audit", {"entries": entries[3:], "anchor": {"seq": 6, "hash": entries[5]["hash"]}}))
        assert body["accepted"] == 2 and body["anchor"]["seq"] == 6
        # An older copy of the station's database put back: its anchor is behind what the hub saw.
        back = ok(push(c, "audit", {"entries": entries[:3], "anchor": anchor}), 409)
        assert back["error"] == "audit_anchor_backwards"
        # ...and the entries it writes after that differ from the ones the hub has.
        forged = dict(entries[4], action="login", details={})
        forged["hash"] = chain_hash(5, forged["at"], station_uuid, forged["operator"], "login", forged["target"], "{}",
                                    forged["prev_hash"])
        assert ok(push(c, "audit", {"entries": [forged]}), 409)["error"] == "audit_diverged"
    assert hub.count(AuditEntry) == 6


# -- hostile and malformed input ------------------------------------------------------------------------


def test_hostile_payloads_get_4xx_with_a_reason_and_change_nothing(hub, station_a):
    _ua, a, event_uuid = station_a
    good = reg_rec(event_uuid)
    wrong_digit = good["id_number"][:17] + ("0" if good["id_number"][17] != "0" else "1")
    cases = {
        "string for a bool": ("checkins", {"records": [checkin_rec(event_uuid, 1, admitted="true")]}),
        "number for a string": ("registrations", {"records": [dict(good, name=123)]}),
        "number as text": ("checkins", {"records": [checkin_rec(event_uuid, "5")]}),
        "huge name": ("registrations", {"records": [dict(good, name="张" * 100_000)]}),
        "NUL in a name": ("registrations", {"records": [dict(good, name="张\x00三")]}),
        "bad ID check digit": ("registrations", {"records": [dict(good, id_number=wrong_digit)]}),
        "Excel-mangled ID": ("registrations", {"records": [dict(good, id_number="4.41900199001011E+17")]}),
        "bad mobile": ("registrations", {"records": [dict(good, phone="12345")]}),
        "unknown field": ("registrations", {"records": [dict(good, admin=True)]}),
        "missing field": ("registrations", {"records": [{k: v for k, v in good.items() if k != "outcome"}]}),
        "bad uuid": ("registrations", {"records": [dict(good, uuid="../../etc/passwd")]}),
        "timestamp without zone": ("registrations", {"records": [dict(good, created_at="2026-11-25T04:00:00")]}),
        "too many records": ("registrations", {"records": [reg_rec(event_uuid, n) for n in range(1001)]}),
        "empty batch": ("registrations", {"records": []}),
        "not an object": ("registrations", [good]),
        "unknown event": ("registrations", {"records": [dict(good, event_uuid=new_uuid())]}),
        "negative platform id": ("checkins", {"records": [checkin_rec(event_uuid, -1)]}),
        "huge integer": ("checkins", {"records": [checkin_rec(event_uuid, 10**40)]}),
        "deep nesting": ("audit", {"entries": [{"seq": 1, "details": json.loads("[" * 50 + "]" * 50)}]}),
    }
    for label, (kind, body) in cases.items():
        r = a.post(f"/v1/push/{kind}", json=body)
        assert 400 <= r.status_code < 500, (label, r.status_code, r.text[:300])
        reply = ok(r, r.status_code)
        assert reply["reason"] and len(r.content) < 20_000, label
        assert "张" * 100 not in r.text and "\x00" not in r.text, label  # values are never echoed
    raw = {
        "not JSON": (b"{records: [", "application/json"),
        "truncated JSON": (json.dumps({"records": [good]}).encode()[:-7], "application/json"),
        "text/plain": (json.dumps({"records": [good]}).encode(), "text/plain"),
        "form": (b"records=1", "application/x-www-form-urlencoded"),
        "deeply nested JSON": (b'{"records": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json"),
        "invalid UTF-8": (b'{"records": [{"name": "\xff\xfe"}]}', "application/json"),
        "over the body limit": (b'{"records": ["' + b"x" * (9 * 1024 * 1024) + b'"]}', "application/json"),
    }
    for label, (content, ctype) in raw.items():
        r = a.post("/v1/push/registrations", content=content, headers={"content-type": ctype})
        assert 400 <= r.status_code < 500, (label, r.status_code, r.text[:300])
        assert ok(r, r.status_code)["error"], label
    def chunked():  # no Content-Length: the hub counts what arrives
        yield b'{"records": ["'
        for _ in range(10):
            yield b"x" * (1024 * 1024)
        yield b'"]}'

    r = a.post("/v1/push/registrations", content=chunked(), headers={"content-type": "application/json"})
    assert ok(r, 413)["error"] == "too_large"
    assert hub.count(Registration) == 0 and hub.count(Member) == 0 and hub.count(CheckIn) == 0
    assert hub.count(AuditEntry) == 0
    # And the hub still works.
    assert ok(push(a, "registrations", {"records": [good]}))["accepted"] == [good["uuid"]]


def test_unknown_paths_and_methods_answer_in_the_envelope(hub, station_a):
    _ua, a, _event = station_a
    assert ok(a.get("/v1/nothing"), 404)["error"] == "http_404"
    assert ok(a.get("/v1/push/registrations"), 405)["error"] == "http_405"


def test_the_openapi_document_describes_the_protocol(hub):
    with hub.client() as c:
        r = c.get("/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    for path in ("/v1/enroll", "/v1/status", "/v1/push/registrations", "/v1/push/checkins", "/v1/push/draws",
                 "/v1/push/posters", "/v1/push/audit", "/v1/push/events", "/v1/pull/{kind}"):
        assert path in doc["paths"], path
    schemas = doc["components"]["schemas"]
    for name in ("RegistrationIn", "CheckInIn", "DrawIn", "WinnerIn", "PosterIn", "AuditEntryIn", "EventIn",
                 "PushReply", "PullReply", "ErrorReply", "EnrollReply"):
        assert name in schemas, name
    reg = schemas["RegistrationIn"]
    assert {"uuid", "event_uuid", "id_number", "phone", "outcome"} <= set(reg["properties"])
    assert reg["additionalProperties"] is False
    assert schemas["RegistrationBatch"]["properties"]["records"]["maxItems"] == 1000


def test_duplicated_and_racing_requests_store_each_record_once(hub, station_a):
    """What a flaky network does: the same batch sent twice at once; two stations with one new person at once."""
    from concurrent.futures import ThreadPoolExecutor

    _ua, _a, event_uuid = station_a
    _ub, cred_b = hub.enroll("二号工作站")
    with hub.client(cred_b) as b:
        ev_b = event_rec(venue="二号饭堂")
        ok(push(b, "events", {"records": [ev_b]}))
    creds = {"a": None, "b": cred_b}
    _station, creds["a"] = hub.enroll("三号工作站")
    with hub.client(creds["a"]) as c:
        # station_a's event with other content is not this station's to change; with the same content
        # (it came by live sync and goes up again from here at day's end) it is known.
        ok(push(c, "events", {"records": [event_rec(uuid=event_uuid, venue="别的饭堂")]}), 403)
        same = ok(push(c, "events", {"records": [event_rec(uuid=event_uuid, created_at="2026-11-25T09:00:00Z")]}))
        assert same["unchanged"] == [event_uuid] and same["accepted"] == []
    ev_c = event_rec(venue="三号饭堂")
    with hub.client(creds["a"]) as c:
        ok(push(c, "events", {"records": [ev_c]}))
    same_batch = {"records": [reg_rec(ev_b["uuid"], n) for n in range(200, 300)]}
    people = list(range(400, 440))

    def send(job):
        cred, body = job
        with hub.client(cred) as c:
            return c.post("/v1/push/registrations", json=body)

    jobs = [(cred_b, same_batch)] * 4
    jobs += [(cred_b, {"records": [reg_rec(ev_b["uuid"], n) for n in people]}),
             (creds["a"], {"records": [reg_rec(ev_c["uuid"], n) for n in people]})]
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(send, jobs))
    for r in replies:
        ok(r)
    accepted = [u for r in replies[:4] for u in r.json()["accepted"]]
    assert sorted(accepted) == sorted(rec["uuid"] for rec in same_batch["records"])  # each exactly once
    assert hub.count(Registration) == 100 + 2 * len(people)
    assert hub.count(Member) == 100 + len(people)
    with hub.db.session() as s:
        per_member = s.execute(select(Registration.member_id, func.count()).where(Registration.event_id != 0)
                               .group_by(Registration.member_id).having(func.count() > 1)).all()
    assert len(per_member) == len(people)
