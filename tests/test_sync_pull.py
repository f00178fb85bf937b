"""Applying what the station pulls from the hub (issue 7, part 3: station/sync/pull.py).

A real hub (SQLite, served over loopback HTTP by uvicorn) makes the pull
replies; a real station store applies them.  What is asserted is what a
user notices: the booth finds the central member, the door refuses a
revoked card and admits one signed by a pulled key, a hub event shows with
its eligibility, the reports count verification, and a second pull, an
interrupted one or a hostile page change nothing they should not.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers.hub import serve
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from station.checkin.events import get_event, list_events
from station.checkin.service import CheckinService
from station.errors import StationError
from station.hub import keys as hub_keys
from station.hub import service
from station.hub.app import create_app
from station.hub.models import Member as HubMember
from station.people.idnumber import check_digit
from station.roster.stats import roster_stats
from station.security import operators, protect
from station.signup.service import lookup_roster
from station.store.database import open_store
from station.store.models import (
    AuditEntry,
    CardHolder,
    CardRevocation,
    EcardKey,
    Enterprise,
    Event,
    EventEligibility,
    Member,
    SyncCursor,
    SyncFlag,
    Union,
)
from station.sync import pull as sync_pull
from station.sync.pull_checks import PULL_ORDER

DALANG, DALANG_UNION = "东莞大朗毛织有限公司", "大朗毛织工会"
HUMEN, HUMEN_UNION = "虎门服装厂", "虎门服装厂工会"


def make_id(n: int) -> str:
    base = f"44190019{80 + n % 20:02d}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
    return base + check_digit(base)


SURNAMES, GIVEN = "张王李赵陈刘杨黄周吴", "伟芳娜敏静丽强磊军洋"


def person(n: int) -> str:
    """A plausible name for worker n (the station's name rules refuse digits)."""
    return SURNAMES[n % 10] + GIVEN[n // 10 % 10] + GIVEN[n // 100 % 10]


# -- a hub, and the station's way of asking it ----------------------------------------------------


class Hub:
    def __init__(self, base_url: str, app) -> None:
        self.base_url, self.app = base_url, app
        self.station_uuid, credential = self._enroll()
        self.http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {credential}"}, timeout=30)
        self.calls: list[tuple[str, int, int]] = []

    def _enroll(self) -> tuple[str, str]:
        with self.app.state.db.session() as s:
            code, _ = service.make_enrollment_code(s, "一号工作站")
            s.commit()
        station = str(uuid.uuid4())
        r = httpx.post(self.base_url + "/v1/enroll", json={"code": code, "station_uuid": station,
                                                           "station_name": "一号工作站"})
        assert r.status_code == 200, r.text
        return station, r.json()["credential"]

    def session(self):
        return self.app.state.db.session()

    def fetch(self, kind: str, cursor: int, limit: int) -> dict:
        """fetch_page as station/sync/client.py will call it (transport success checked here)."""
        self.calls.append((kind, cursor, limit))
        r = self.http.get(f"/v1/pull/{kind}", params={"cursor": cursor, "limit": limit})
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    app = create_app(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    server, thread, base = serve(app)
    h = Hub(base, app)
    try:
        yield h
    finally:
        h.http.close()
        server.should_exit = True
        thread.join(15)
        app.state.db.dispose()


@pytest.fixture
def second_station(tmp_path: Path):
    """Another station's store and organizer: for comparing two ways of pulling the same hub."""
    other = open_store(tmp_path / "other", station_name="二号工作站")
    operators.create_first_organizer(other, ORGANIZER, ORGANIZER_SECRET)
    yield other, operators.login(other, ORGANIZER, ORGANIZER_SECRET)
    other.close()


def hub_roster(h: Hub, numbers: range, enterprise: str = DALANG, union: str = DALANG_UNION) -> None:
    rows = [(make_id(n), person(n), f"1390013{n:04d}", enterprise, union) for n in numbers]
    with h.session() as s:
        service.upsert_roster(s, rows, {})
        s.commit()


def platform_id(h: Hub, n: int) -> int:
    with h.session() as s:
        return s.scalar(select(HubMember.id).where(HubMember.id_number == make_id(n)))


@pytest.fixture
def world(hub: Hub) -> dict:
    """A town's central data: two enterprises, a signing key, codes, a loss, verification, a screening."""
    hub_roster(hub, range(6))
    hub_roster(hub, range(6, 8), HUMEN, HUMEN_UNION)
    with hub.session() as s:
        hub_keys.new_key(s, label="2026")
        now = service.now_utc()
        good, _m, _k = hub_keys.issue_card(s, id_number=make_id(1), valid_for=dt.timedelta(hours=2))
        lost, lost_member, _k = hub_keys.issue_card(s, id_number=make_id(2), valid_for=dt.timedelta(hours=2),
                                                    at=now - dt.timedelta(minutes=30))
        other_union, _m, _k = hub_keys.issue_card(s, id_number=make_id(6), valid_for=dt.timedelta(hours=2))
        service.revoke_card(s, lost_member.id, "lost", at=now - dt.timedelta(minutes=10))
        service.set_verified(s, [make_id(0), make_id(1), make_id(6)])
        ev = service.create_event(s, kind="screening", name="《长津湖》职工观影", date=dt.date(2026, 11, 28),
                                  venue="南粤院线东城店 3 号厅", capacity=300, host_enterprise=DALANG,
                                  unions=[DALANG_UNION], enterprises=["大朗镇新厂"])
        s.commit()
        return {"good": good, "lost": lost, "other_union": other_union, "event": ev.uuid}


def snapshot(store, op) -> dict:
    """Everything a pull writes, in clear and without row ids: equal snapshots, equal stations."""
    cipher = op.cipher
    with store.session() as s:
        ents = {e.id: e.name for e in s.scalars(select(Enterprise))}
        unis = {u.id: u.name for u in s.scalars(select(Union))}
        members = {}
        for m in s.scalars(select(Member)):
            members[protect.member_id_number(cipher, m)] = (
                m.name, m.initials, protect.member_phone(cipher, m), ents.get(m.enterprise_id),
                unis.get(m.union_id), m.on_roster, m.verified, m.verified_at)
        by_member = {m.id: protect.member_id_number(cipher, m) for m in s.scalars(select(Member))}
        holders = sorted((h.platform_id, by_member.get(h.member_id), h.status,
                          h.status_at if h.status != "active" else None) for h in s.scalars(select(CardHolder)))
        revocations = sorted((r.platform_id, r.reason, r.revoked_at, r.source) for r in s.scalars(select(CardRevocation)))
        events = {}
        for e in s.scalars(select(Event)):
            elig = [(unis.get(x.union_id), ents.get(x.enterprise_id)) for x in s.scalars(
                select(EventEligibility).where(EventEligibility.event_id == e.id).order_by(EventEligibility.id))]
            events[e.uuid] = (e.kind, e.name, e.date, e.venue, ents.get(e.host_enterprise_id),
                              unis.get(e.host_union_id), e.entry_start, e.entry_end, e.capacity,
                              e.admissions_per_member, e.synced_at is not None, elig)
        keys = sorted((k.kid, k.public_key, k.label, k.valid_from, k.valid_until, k.retired_at, k.source)
                      for k in s.scalars(select(EcardKey)))
        flags = sorted((f.kind, f.event_uuid, f.subject, f.hub_seq, f.stations, f.detail)
                       for f in s.scalars(select(SyncFlag)))
        cursors = {c.kind: c.cursor for c in s.scalars(select(SyncCursor))}
        enterprises = sorted((e.name, unis.get(e.union_id)) for e in s.scalars(select(Enterprise)))
    return {"members": members, "holders": holders, "revocations": revocations, "events": events, "keys": keys,
            "flags": flags, "cursors": cursors, "enterprises": enterprises}


# -- what a user notices ---------------------------------------------------------------------------


def test_after_a_pull_the_booth_and_the_door_know_what_the_hub_knows(hub, world, store, organizer):
    applied = sync_pull.pull_all(store, organizer, hub.fetch)
    assert applied == {"keys": 1, "events": 1, "roster": 8, "verification": 3, "revocations": 1, "flags": 0}

    # The booth: a worker on the central roster is 在册 with their employer.
    found = lookup_roster(store, make_id(3), organizer)
    assert found["name"] == person(3) and found["on_roster"] is True
    assert (found["enterprise"], found["union"]) == (DALANG, DALANG_UNION)
    assert lookup_roster(store, make_id(99), organizer) is None

    # The hub's screening, with whom it admits; it is not waiting to be uploaded.
    event = get_event(store, world["event"])
    assert event.name == "《长津湖》职工观影" and event.capacity == 300 and event.host == DALANG
    assert event.unions == (DALANG_UNION,) and event.enterprises == ("大朗镇新厂",)
    assert [e.uuid for e in list_events(store)] == [world["event"]]
    with store.session() as s:
        assert s.scalar(select(Event.synced_at).where(Event.uuid == world["event"])) is not None

    # The door: a code signed by the pulled key passes, the lost card's old code is refused,
    # a member of another union is not admitted to this union's screening.
    door = CheckinService(store, world["event"], operator=organizer)
    assert door.check_code(world["good"], "camera").verdict == "pass"
    lost = door.check_code(world["lost"], "camera")
    assert (lost.verdict, lost.reason) == ("refuse", "revoked")
    other = door.check_code(world["other_union"], "camera")
    assert (other.verdict, other.reason) == ("refuse", "not_eligible")

    # The reports: 实名认证 counts (3 verified of 8 imported, 5 still unknown).
    stats = roster_stats(store)
    assert (stats.members_on_roster, stats.verified, stats.verification_unknown) == (8, 3, 5)


def test_a_verification_pulled_before_its_member_arrives_comes_with_the_member(hub, store, organizer):
    """Verified on the hub between the roster and verification steps of one pull: not lost."""
    sync_pull.apply_page(store, organizer, "roster", [], 0)  # the roster step saw nobody yet
    hub_roster(hub, range(1))
    with hub.session() as s:
        service.set_verified(s, [make_id(0)])
        s.commit()
    page = hub.fetch("verification", 0, 1000)
    sync_pull.apply_page(store, organizer, "verification", page["items"], page["next_cursor"])  # skipped: unknown
    assert roster_stats(store).members_on_roster == 0
    sync_pull.pull_all(store, organizer, hub.fetch)  # the next sync brings the member, status included
    stats = roster_stats(store)
    assert (stats.members_on_roster, stats.verified, stats.verification_unknown) == (1, 1, 0)


def test_pulling_again_changes_nothing(hub, world, store, organizer):
    sync_pull.pull_all(store, organizer, hub.fetch)
    before = snapshot(store, organizer)
    assert sync_pull.pull_all(store, organizer, hub.fetch) == dict.fromkeys(PULL_ORDER, 0)
    assert snapshot(store, organizer) == before
    # Each kind asked from its stored cursor, one page each: nothing came twice.
    second = hub.calls[-len(PULL_ORDER):]
    assert [(k, c) for k, c, _l in second] == [(k, before["cursors"][k]) for k in PULL_ORDER]


def test_later_changes_update_the_same_person_and_the_door_follows(hub, world, store, organizer):
    sync_pull.pull_all(store, organizer, hub.fetch)
    member_1 = platform_id(hub, 1)
    with hub.session() as s:  # a new mobile and employer for one member, a cancelled card, a retired key
        service.upsert_roster(s, [(make_id(3), person(3), "13700137000", HUMEN, HUMEN_UNION)], {})
        service.revoke_card(s, member_1, "cancelled")
        s.commit()
    applied = sync_pull.pull_all(store, organizer, hub.fetch)
    assert (applied["roster"], applied["revocations"]) == (1, 1)
    snap = snapshot(store, organizer)
    assert len(snap["members"]) == 8
    assert snap["members"][make_id(3)][2:5] == ("13700137000", HUMEN, HUMEN_UNION)
    door = CheckinService(store, world["event"], operator=organizer)
    assert door.check_code(world["good"], "camera").reason == "revoked"
    with hub.session() as s:
        kid = hub_keys.list_keys(s)[0].kid
        hub_keys.retire_key(s, kid)
        s.commit()
    assert sync_pull.pull_all(store, organizer, hub.fetch)["keys"] == 1
    door = CheckinService(store, world["event"], operator=organizer)
    refused = door.check_code(world["other_union"], "wedge")
    assert (refused.reason, refused.detail) == ("invalid", "key_period")


def test_a_member_signed_up_here_is_linked_not_doubled(hub, world, store, organizer):
    # The station met the worker first (a booth sign-up's member row, not on the roster here).
    with store.session() as s:
        s.add(Member(name=person(4), initials="zww", **protect.member_fields(organizer.cipher, make_id(4), None),
                     on_roster=False))
        s.commit()
    sync_pull.pull_all(store, organizer, hub.fetch)
    snap = snapshot(store, organizer)
    assert len(snap["members"]) == 8
    assert snap["members"][make_id(4)][2:6] == ("13900130004", DALANG, DALANG_UNION, True)
    assert (platform_id(hub, 4), make_id(4), "active", None) in snap["holders"]


def test_an_interrupted_pull_resumes_and_ends_as_an_uninterrupted_one(hub, world, store, organizer, second_station):
    hub_roster(hub, range(100, 125))
    calls = {"roster": 0}

    def flaky(kind, cursor, limit):
        if kind == "roster":
            calls["roster"] += 1
            if calls["roster"] == 3:
                raise OSError("the canteen Wi-Fi dropped")
        return hub.fetch(kind, cursor, limit)

    with pytest.raises(OSError):
        sync_pull.pull_all(store, organizer, flaky, limit=5)
    partial = snapshot(store, organizer)
    assert partial["cursors"]["roster"] > 0 and len(partial["members"]) == 10  # two pages of five kept
    assert "verification" not in partial["cursors"]
    sync_pull.pull_all(store, organizer, flaky, limit=5)
    other, other_op = second_station
    sync_pull.pull_all(other, other_op, hub.fetch, limit=1000)
    assert snapshot(store, organizer) == snapshot(other, other_op)
    with store.session() as s:  # one audit entry per pull, counts only
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "sync_pull").order_by(AuditEntry.seq)))
    assert ['"outcome":"failed"' in e.details for e in entries] == [True, False]
    assert '"roster":10' in entries[0].details and person(3) not in entries[0].details


def test_progress_is_reported_per_page_and_cancel_stops_between_pages(hub, world, store, organizer):
    hub_roster(hub, range(100, 112))
    seen: list[tuple[str, int, int]] = []
    cancel = threading.Event()

    def progress(stage, done, total):
        seen.append((stage, done, total))
        if stage == "pull:roster" and done == 10:
            cancel.set()

    with pytest.raises(sync_pull.PullCancelled) as info:
        sync_pull.pull_all(store, organizer, hub.fetch, progress=progress, cancel=cancel, limit=5)
    assert info.value.applied["roster"] == 10 and "继续" in info.value.message()
    assert [s for s in seen if s[0] == "pull:roster"] == [("pull:roster", 5, 0), ("pull:roster", 10, 0)]
    applied = sync_pull.pull_all(store, organizer, hub.fetch, limit=5)
    assert applied["roster"] == 10 and len(snapshot(store, organizer)["members"]) == 20


# -- hostile or broken replies ------------------------------------------------------------------------


def _tamper_roster(change):
    def fetch_with(hub):
        def fetch(kind, cursor, limit):
            reply = hub.fetch(kind, cursor, limit)
            if kind == "roster":
                reply = copy.deepcopy(reply)
                change(reply)
            return reply
        return fetch
    return fetch_with


def _set_item(index, field, value):
    def change(reply):
        reply["items"][index][field] = value
    return change


def _drop_item_field(index, field):
    def change(reply):
        del reply["items"][index][field]
    return change


HOSTILE = {
    "bad ID number": (_set_item(1, "id_number", "441900198001011234"), "sync_pull_bad_item", "id_number"),
    "an Excel-mangled ID": (_set_item(1, "id_number", "4.41900198001011E+17"), "sync_pull_bad_item", "id_number"),
    "ID as a number": (_set_item(1, "id_number", 441900198001011234), "sync_pull_bad_item", "id_number"),
    "on_roster as text": (_set_item(2, "on_roster", "true"), "sync_pull_bad_item", "on_roster"),
    "platform id as text": (_set_item(0, "platform_id", "7"), "sync_pull_bad_item", "platform_id"),
    "missing name": (_drop_item_field(3, "name"), "sync_pull_bad_item", "name"),
    "unknown card status": (_set_item(0, "card_status", "frozen"), "sync_pull_bad_item", "card_status"),
    "bad mobile": (_set_item(0, "phone", "12345"), "sync_pull_bad_item", "phone"),
    "an item that is a list": (lambda r: r["items"].__setitem__(0, []), "sync_pull_bad_item", "item"),
    "seq at the cursor": (_set_item(0, "seq", 0), "sync_pull_bad_item", "seq"),
    "one person twice": (lambda r: r["items"].__setitem__(1, {**r["items"][0], "seq": r["items"][1]["seq"]}),
                         "sync_pull_bad_item", "duplicate"),
    "kind mismatch": (lambda r: r.__setitem__("kind", "keys"), "sync_pull_kind_mismatch", None),
    "cursor mismatch": (lambda r: r.__setitem__("cursor", 3), "sync_pull_cursor_mismatch", None),
    "cursor backwards": (lambda r: r.__setitem__("next_cursor", r["cursor"] - 1), "sync_pull_cursor_backwards", None),
    "next_cursor past the items": (lambda r: r.__setitem__("next_cursor", r["next_cursor"] + 50),
                                   "sync_pull_bad_reply", None),
    "not ok": (lambda r: r.__setitem__("ok", "yes"), "sync_pull_bad_reply", None),
    "items not a list": (lambda r: r.__setitem__("items", {"0": 1}), "sync_pull_bad_reply", None),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_roster_page_changes_nothing_and_says_why(hub, world, store, organizer, case):
    change, key, field = HOSTILE[case]
    sync_pull.pull_all(store, organizer, hub.fetch)
    hub_roster(hub, range(100, 106))  # the next page: six new members, one of them mangled in transit
    before = snapshot(store, organizer)
    with pytest.raises(StationError) as info:
        sync_pull.pull_all(store, organizer, _tamper_roster(change)(hub))
    assert info.value.key == key
    if field:
        assert info.value.params["field"] == field and info.value.params["kind"] == "roster"
        assert "'roster'" in info.value.message("en") and "“会员名册”" in info.value.message()
        assert "没有应用" in info.value.message() and f"第 {info.value.params['seq']} 项" in info.value.message()
    after = snapshot(store, organizer)
    assert after == before


def test_hostile_keys_and_events_are_refused(hub, world, store, organizer):
    def tampered(kind_to_change, change):
        def fetch(kind, cursor, limit):
            reply = hub.fetch(kind, cursor, limit)
            if kind == kind_to_change:
                reply = copy.deepcopy(reply)
                change(reply["items"][0])
            return reply
        return fetch

    cases = [
        ("keys", lambda i: i.__setitem__("public_key", "AAAA"), "public_key"),  # 3 bytes, not 32
        ("keys", lambda i: i.__setitem__("public_key", "A" * 43 + "="), "kid"),  # a key not matching its id
        ("keys", lambda i: i.__setitem__("valid_until", "2026-13-01T00:00:00Z"), "valid_until"),
        ("events", lambda i: i.__setitem__("capacity", True), "capacity"),
        ("events", lambda i: i.__setitem__("eligible_unions", "大朗毛织工会"), "eligible_unions"),
        ("events", lambda i: i.__setitem__("date", "28/11/2026"), "date"),
        ("events", lambda i: i.__setitem__("entry_start", "2026-11-28T19:00:00"), "entry_start"),  # no zone
    ]
    for kind, change, field in cases:
        with pytest.raises(StationError) as info:
            sync_pull.pull_all(store, organizer, tampered(kind, change))
        assert (info.value.key, info.value.params["kind"], info.value.params["field"]) == (
            "sync_pull_bad_item", kind, field), (kind, field)
        with store.session() as s:
            assert s.get(SyncCursor, kind) is None
            assert s.scalar(select(EcardKey.kid if kind == "keys" else Event.id)) is None


def test_only_a_logged_in_organizer_pulls(hub, world, store, organizer, promoter):
    with pytest.raises(StationError) as info:
        sync_pull.pull_all(store, promoter, hub.fetch)
    assert info.value.key == "not_permitted"
    with pytest.raises(StationError) as info:
        sync_pull.pull_all(store, None, hub.fetch)
    assert info.value.key == "sync_pull_login_required"
    assert hub.calls == [] and snapshot(store, organizer)["members"] == {}


# -- flags --------------------------------------------------------------------------------------------


def test_a_flag_arrives_and_a_grown_flag_replaces_it(hub, store, organizer):
    from test_hub_api import event_rec, reg_rec

    ev = event_rec()
    hub.http.post("/v1/push/events", json={"records": [ev]}).raise_for_status()
    hub.http.post("/v1/push/registrations", json={"records": [reg_rec(ev["uuid"], 7)]}).raise_for_status()

    def sign_up_elsewhere(name: str) -> None:
        with Hub(hub.base_url, hub.app).http as other:
            ev_b = event_rec(venue=name)
            other.post("/v1/push/events", json={"records": [ev_b]}).raise_for_status()
            other.post("/v1/push/registrations", json={"records": [reg_rec(ev_b["uuid"], 7)]}).raise_for_status()

    sign_up_elsewhere("二号饭堂")
    assert sync_pull.pull_all(store, organizer, hub.fetch)["flags"] == 1
    first = snapshot(store, organizer)["flags"]
    assert [(f[0], len(json.loads(f[4]))) for f in first] == [("same_person", 2)]
    sign_up_elsewhere("三号饭堂")
    assert sync_pull.pull_all(store, organizer, hub.fetch)["flags"] == 1
    grown = snapshot(store, organizer)["flags"]
    assert len(grown) == 1 and grown[0][3] > first[0][3] and len(json.loads(grown[0][4])) == 3


# -- repeating and re-ordering pages ------------------------------------------------------------------


def _pages(hub: Hub, limit: int) -> dict[str, list[dict]]:
    """Every page of every kind, as the hub serves them, in order."""
    out: dict[str, list[dict]] = {}
    for kind in PULL_ORDER:
        cursor, out[kind] = 0, []
        while True:
            reply = hub.fetch(kind, cursor, limit)
            out[kind].append(reply)
            cursor = reply["next_cursor"]
            if not reply["more"]:
                break
    return out


def test_repeating_pages_in_any_pattern_ends_as_applying_each_once(hub, world, store, organizer, tmp_path):
    """Property: pages in pull order, with any earlier page repeated anywhere, give the same station."""
    member_2 = platform_id(hub, 2)
    with hub.session() as s:  # changes after the first states: the same people appear again, later
        service.upsert_roster(s, [(make_id(3), "周工三", "13700137000", HUMEN, HUMEN_UNION)], {})
        service.set_verified(s, [make_id(0)], verified=False)
        service.revoke_card(s, member_2, "cancelled")
        s.commit()
    pages = _pages(hub, limit=3)
    template = tmp_path / "template"
    store.close()
    shutil.copytree(store.paths.root, template)
    reference = open_store(template, station_name="测试工作站")
    for kind in PULL_ORDER:
        for page in pages[kind]:
            sync_pull.apply_page(reference, organizer, kind, page["items"], page["next_cursor"])
    expected = snapshot(reference, organizer)
    reference.close()
    shutil.rmtree(template)
    shutil.copytree(store.paths.root, template)
    runs = iter(range(10_000))

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def repeat_anywhere(data):
        schedule: list[tuple[str, int]] = []
        for kind in PULL_ORDER:
            for i in range(len(pages[kind])):
                schedule.append((kind, i))
                done = list(schedule)
                for _ in range(data.draw(st.integers(0, 2))):
                    schedule.append(data.draw(st.sampled_from(done)))
        folder = tmp_path / f"run{next(runs)}"
        shutil.copytree(template, folder)
        station = open_store(folder, station_name="测试工作站")
        try:
            for kind, i in schedule:
                page = pages[kind][i]
                sync_pull.apply_page(station, organizer, kind, page["items"], page["next_cursor"])
            assert snapshot(station, organizer) == expected
        finally:
            station.close()
            shutil.rmtree(folder)

    repeat_anywhere()
    assert next(runs) >= 10  # the examples really ran
