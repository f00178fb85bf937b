"""Live sync (issue 15): what the other stations of an event did decides here too.

First what a station does with the others' records once they are in its store
(the door, the booth, a hostile page), then the real hub over loopback.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from test_checkin_world import World

from station.checkin import rules
from station.people.idnumber import check_digit
from station.signup import booth
from station.signup import service as signup
from station.store.models import Event
from station.store.peers import PeerCheckIn, PeerRegistration
from station.sync.live_apply import commit_page
from station.sync.live_checks import check_live_reply
from station.sync.pull_checks import PullRefused

WANG = "44190019900307" + "123" + check_digit("44190019900307123")
DOOR_A = str(uuid.uuid4())


def _iso(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def _page(kind: str, items: list[dict], cursor: int = 0, next_cursor: int | None = None, more: bool = False) -> dict:
    last = items[-1]["seq"] if items else cursor
    return {"ok": True, "protocol": 1, "kind": kind, "cursor": cursor,
            "next_cursor": last if next_cursor is None else next_cursor, "more": more, "items": items}


def _checkin_item(seq: int, event_uuid: str, platform_id: int, at: dt.datetime, *, admitted: bool = True,
                  station: str = DOOR_A) -> dict:
    return {"seq": seq, "uuid": str(uuid.uuid4()), "event_uuid": event_uuid, "station_uuid": station,
            "station_name": "北门 2 号机", "operator": "门岗小李", "source": "camera",
            "verdict": "pass" if admitted else "refuse", "reason": None if admitted else "already", "detail": None,
            "admitted": admitted, "platform_id": platform_id, "code_sha": "0123456789abcdef", "created_at": _iso(at)}


def _apply(store, operator, kind: str, reply: dict, cursor: int = 0) -> int:
    next_cursor, _more, checked = check_live_reply(kind, cursor, 1000, reply)
    return commit_page(store, operator.cipher, kind, "lv:" + kind, checked, next_cursor, host=True)


@pytest.fixture
def world(store, organizer):
    return World(store, organizer)


def _event_uuid(store, event_id: int) -> str:
    with store.session() as s:
        return s.get(Event, event_id).uuid


def test_a_code_admitted_at_another_door_is_already_in_here_naming_that_door(world, store, organizer):
    ev = world.event(admissions_per_member=1)
    token = world.token(member=812)
    at = world.clock.now - dt.timedelta(minutes=2)
    assert _apply(store, organizer, "checkins", _page("checkins", [_checkin_item(7, _event_uuid(store, ev.id), 812, at)])) == 1
    verdict = world.service(ev).check_code(token, "camera")
    assert verdict.verdict == rules.REFUSE and verdict.reason == "already"
    assert verdict.earlier_station == "北门 2 号机" and verdict.earlier_at == at.replace(microsecond=0)
    other = world.service(ev).check_code(world.token(member=813), "camera")
    assert other.passed and other.admitted == 2  # the hall's count: the other door's admission and this one


def test_capacity_counts_every_door(world, store, organizer):
    ev = world.event(capacity=2)
    ev_uuid = _event_uuid(store, ev.id)
    items = [_checkin_item(i + 1, ev_uuid, 900 + i, world.clock.now) for i in range(2)]
    _apply(store, organizer, "checkins", _page("checkins", items))
    verdict = world.service(ev).check_code(world.token(member=950), "wedge")
    assert verdict.reason == "full" and not verdict.passed


def test_own_and_repeated_items_are_not_counted_twice(world, store, organizer):
    ev = world.event()
    ev_uuid = _event_uuid(store, ev.id)
    item = _checkin_item(3, ev_uuid, 812, world.clock.now)
    own = _checkin_item(4, ev_uuid, 813, world.clock.now, station=store.identity.uuid)
    assert _apply(store, organizer, "checkins", _page("checkins", [item, own])) == 1
    assert _apply(store, organizer, "checkins", _page("checkins", [item], cursor=0)) == 0  # below the cursor
    with store.session() as s:
        assert s.query(PeerCheckIn).count() == 1


def test_a_worker_signed_up_at_another_booth_is_already_signed_up_here(store, organizer):
    booth.open_session(store, venue="一号饭堂", promoter="李推广", enterprise="东莞市长安电子有限公司")
    with store.session() as s:
        ev_uuid = s.scalars(s.query(Event.uuid).statement).first()
    item = {"seq": 5, "uuid": str(uuid.uuid4()), "event_uuid": ev_uuid, "station_uuid": DOOR_A,
            "station_name": "二号摊位", "id_number": WANG, "name": "王芳", "outcome": "new",
            "created_at": _iso(dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))}
    assert _apply(store, organizer, "registrations", _page("registrations", [item])) == 1
    with store.session() as s:
        row = s.query(PeerRegistration).one()
        assert row.masked_name == "王*" and WANG.encode() not in row.id_bidx  # a blind index, not the number
    res = signup.register(store, name="王芳", phone="13912345678", id_number=WANG, consent=True, operator=organizer)
    assert res.outcome == signup.OUTCOME_ALREADY and res.earlier.station_name == "二号摊位"
    assert res.registration_uuid is None  # nothing written: she is the other booth's


@pytest.mark.parametrize("field, value", [
    ("admitted", "true"), ("platform_id", -1), ("station_uuid", "door-a"), ("created_at", "2026-12-04 10:00"),
    ("code_sha", "not-hex-at-all!!"), ("verdict", "maybe"),
])
def test_a_damaged_page_is_refused_whole_and_nothing_is_stored(world, store, organizer, field, value):
    ev = world.event()
    ev_uuid = _event_uuid(store, ev.id)
    good = _checkin_item(1, ev_uuid, 812, world.clock.now)
    bad = dict(_checkin_item(2, ev_uuid, 813, world.clock.now), **{field: value})
    with pytest.raises(PullRefused) as refused:
        _apply(store, organizer, "checkins", _page("checkins", [good, bad]))
    assert "第 2 项" in refused.value.message() and field in refused.value.message()
    assert "other stations' check-ins" in refused.value.message("en")
    with store.session() as s:
        assert s.query(PeerCheckIn).count() == 0


def test_the_cursor_may_pass_the_last_item_but_never_go_back(world, store, organizer):
    ev = world.event()
    item = _checkin_item(3, _event_uuid(store, ev.id), 812, world.clock.now)
    next_cursor, _more, checked = check_live_reply("checkins", 0, 1000, _page("checkins", [item], next_cursor=9))
    assert next_cursor == 9 and len(checked) == 1  # rows 4-9 were this station's own: skipped by the hub
    with pytest.raises(PullRefused):
        check_live_reply("checkins", 10, 1000, _page("checkins", [], cursor=10, next_cursor=8))
    with pytest.raises(PullRefused):
        check_live_reply("checkins", 0, 1000, _page("checkins", [dict(item, seq=12)], next_cursor=9))


# -- the real hub over loopback: two stations in step ------------------------------------------------


def _second_station(tmp_path, name: str):
    from helpers.security import ORGANIZER, ORGANIZER_SECRET

    from station.security import operators
    from station.store.database import open_store

    other = open_store(tmp_path / name, station_name=name)
    operators.create_first_organizer(other, ORGANIZER, ORGANIZER_SECRET)
    return other, operators.login(other, ORGANIZER, ORGANIZER_SECRET)


def _live(store, operator, hub, *, host: bool):
    from station.sync.client import HubClient
    from station.sync.live import LiveSync

    if host:
        from station.sync import lan_link

        client = lan_link.event_client(store, operator, retries=1, backoff=0.05)
    else:
        from station.sync import client as sync_client

        client = sync_client.client_for(store, operator, retries=1, backoff=0.05)
    assert isinstance(client, HubClient)
    return LiveSync(store, operator, client, host=host, wait_s=0)


@pytest.fixture
def town(sqlite_hub, store, organizer, tmp_path):
    """Door A (the ``store`` fixture) and door B, both enrolled with one hub over loopback."""
    from station.sync import client as sync_client

    other, org_b = _second_station(tmp_path, "北门2号机")
    sync_client.enroll(store, organizer, sqlite_hub.base_url, sqlite_hub.code("南门1号机"))
    sync_client.enroll(other, org_b, sqlite_hub.base_url, sqlite_hub.code("北门2号机"))
    a, b = _live(store, organizer, sqlite_hub, host=False), _live(other, org_b, sqlite_hub, host=False)
    yield a, b
    a.client.close()
    b.client.close()
    other.close()


def test_over_the_hub_a_code_admitted_at_door_a_is_refused_at_door_b_naming_door_a(town, world, tmp_path):
    a, b = town
    ev = world.event(admissions_per_member=1, capacity=500)
    token = world.token(member=812)
    assert world.service(ev).check_code(token, "camera").passed
    first = a.exchange()
    assert first.pushed == {"events": 1, "checkins": 1}
    got = b.exchange()
    assert got.pulled.get("events") == 1 and got.pulled.get("checkins") == 1
    world_b = World(b.store, b.operator, key=world.key)
    with b.store.session() as s:
        ev_b = s.scalars(select(Event).where(Event.uuid == _event_uuid(world.store, ev.id))).one()
    from station.checkin.events import get_event

    door_b = world_b.service(get_event(b.store, ev_b.id))
    verdict = door_b.check_code(token, "camera")
    assert verdict.verdict == rules.REFUSE and verdict.reason == "already"
    assert verdict.earlier_station == world.store.identity.name  # door A, by the name it enrolled with
    # The hall's count at door B includes door A's admission.
    other = door_b.check_code(world.token(member=813), "camera")
    assert other.passed and other.admitted == 2
    # ...and door B's goes to door A; nobody gets their own back.
    b.exchange()
    back = a.exchange()
    assert back.pulled.get("checkins") == 2  # door B's refusal of the shared code, and its admission
    with a.store.session() as s:
        assert sorted((p.platform_id, p.admitted) for p in s.scalars(select(PeerCheckIn))) == \
            [(812, False), (813, True)]
    assert a.exchange().received == 0 and b.exchange().received == 0  # in step: nothing more either way


def test_over_the_hub_a_worker_signed_up_at_booth_a_is_already_signed_up_at_booth_b(town, store, organizer):
    a, b = town
    booth.open_session(store, venue="一号饭堂", promoter="李推广", enterprise="东莞市长安电子有限公司")
    res = signup.register(store, name="王芳", phone="13912345678", id_number=WANG, consent=True, operator=organizer)
    assert res.outcome in (signup.OUTCOME_NEW, signup.OUTCOME_ROSTER)
    a.exchange()
    assert b.exchange().pulled.get("registrations") == 1
    booth.open_session(b.store, venue="二号饭堂", promoter="王推广", enterprise="东莞市长安电子有限公司")
    there = signup.register(b.store, name="王芳", phone="13912345678", id_number=WANG, consent=True,
                            operator=b.operator)
    assert there.outcome == signup.OUTCOME_ALREADY and there.earlier.station_name == store.identity.name


def test_the_day_end_sync_after_live_sync_sends_nothing_twice_and_loses_nothing(town, world, store, organizer,
                                                                               sqlite_hub):
    from station.hub.models import CheckIn as HubCheckIn
    from station.hub.models import Event as HubEvent
    from station.sync import client as sync_client
    from station.sync.records import pending_counts

    a, b = town
    ev = world.event(admissions_per_member=1)
    assert world.service(ev).check_code(world.token(member=900), "camera").passed
    a.exchange()
    b.exchange()
    # Live sync to the town hub empties the queue as the day-end sync would.
    assert pending_counts(store).get("checkins", 0) == 0 and pending_counts(store).get("events", 0) == 0
    report = sync_client.run_sync(store, organizer)
    assert report.outcome == "ok", report.error
    report_b = sync_client.run_sync(b.store, b.operator)
    assert report_b.outcome == "ok", report_b.error
    assert sqlite_hub.count(HubCheckIn) == 1 and sqlite_hub.count(HubEvent) == 1
