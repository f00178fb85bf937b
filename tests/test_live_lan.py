"""Live sync through an event host on the local network, over real TLS on loopback (issue 15).

The host is a station's own data directory serving the reference hub
(station/sync/lan_host.py); doors join it by ticket, with the certificate
pinned; what one door admits, the other refuses; a host that goes away turns
the doors amber, and what happened in the gap is caught when it returns.
"""

from __future__ import annotations

import threading
import time

import pytest
from helpers.lan import join_station, new_station
from sqlalchemy import select
from test_checkin_world import World

from station.checkin import rules
from station.checkin.events import get_event
from station.errors import StationError
from station.security import operators
from station.store.models import Event, SyncFlag
from station.store.peers import EventLink
from station.sync import lan, lan_link
from station.sync.live import LiveState
from station.sync.live_target import open_live


@pytest.fixture
def doors(event_host, tmp_path):
    a, org_a = join_station(event_host, tmp_path, "南门")
    b, org_b = join_station(event_host, tmp_path, "北门")
    live_a, _ = open_live(a, org_a, wait_s=0)
    live_b, _ = open_live(b, org_b, wait_s=0)
    yield live_a, live_b
    for live in (live_a, live_b):
        live.client.close()
        live.store.close()


def _door(live, world_key, event_uuid: str):
    world = World(live.store, live.operator, key=world_key)
    with live.store.session() as s:
        event_id = s.scalars(select(Event.id).where(Event.uuid == event_uuid)).one()
    return world, world.service(get_event(live.store, event_id))


def test_a_code_admitted_at_door_a_is_refused_at_door_b_through_the_host(doors):
    live_a, live_b = doors
    world_a = World(live_a.store, live_a.operator)
    ev = world_a.event(admissions_per_member=1)
    token = world_a.token(member=812)
    assert world_a.service(ev).check_code(token, "camera").passed
    assert live_a.exchange().pushed == {"events": 1, "checkins": 1}
    got = live_b.exchange()
    assert got.pulled == {"events": 1, "checkins": 1}
    with live_a.store.session() as s:
        ev_uuid = s.get(Event, ev.id).uuid
    _world_b, door_b = _door(live_b, world_a.key, ev_uuid)
    verdict = door_b.check_code(token, "camera")
    assert verdict.verdict == rules.REFUSE and verdict.reason == "already" and verdict.earlier_station == "南门"
    # The records stay pending for the town hub: the host is a working copy, not the platform.
    from station.sync.records import pending_counts

    assert pending_counts(live_a.store).get("checkins") == 1


def test_a_ticket_whose_fingerprint_does_not_match_is_refused_before_anything_is_sent(event_host, tmp_path):
    store, org = new_station(tmp_path, "冒名")
    real = event_host.ticket("冒名")
    impostor_pin = lan.fingerprint(lan.make_host_cert(["127.0.0.1"], "impostor")[0])
    forged = lan.JoinTicket(host=real.host, port=real.port, code=real.code, pin=impostor_pin)
    with pytest.raises(StationError) as err:
        lan_link.join(store, org, forged.qr_text())
    assert err.value.key == "lan_pin_mismatch"
    assert "冒充" in err.value.message() and "impersonat" in err.value.message("en")
    assert lan_link.event_link(store) is None
    # The real ticket's code was never spent: it still joins.
    assert lan_link.join(store, org, real.qr_text()).host_url == f"https://127.0.0.1:{event_host.server.port}"
    with store.session() as s:
        assert s.get(EventLink, 1).pin_sha256 == real.pin
    store.close()


def test_the_short_typed_ticket_joins_too(event_host, tmp_path):
    store, org = new_station(tmp_path, "手输")
    ticket = event_host.ticket("手输")
    row = lan_link.join(store, org, ticket.short_text())
    assert row.pin_sha256 == ticket.pin
    assert lan_link.leave(store, org) is True and lan_link.event_link(store) is None
    store.close()


def test_a_checker_keeps_the_door_in_step_but_may_not_join(event_host, tmp_path):
    a, org_a = join_station(event_host, tmp_path, "南门")
    operators.add_operator(a, org_a, "门岗小李", operators.CHECKER, "246810")
    checker = operators.login(a, "门岗小李", "246810")
    live, _target = open_live(a, checker, wait_s=0)
    assert live.exchange().sent == 0
    live.client.close()
    with pytest.raises(StationError) as err:
        lan_link.join(a, checker, event_host.ticket("南门").qr_text())
    assert err.value.key == "not_permitted"
    a.close()


def test_when_the_host_goes_away_the_door_says_offline_and_catches_up_when_it_returns(event_host, doors):
    server = event_host.server
    live_a, live_b = doors
    world_a = World(live_a.store, live_a.operator)
    ev = world_a.event(admissions_per_member=1)
    live_a.exchange()
    live_b.exchange()
    with live_a.store.session() as s:
        ev_uuid = s.get(Event, ev.id).uuid
    _world_b, door_b = _door(live_b, world_a.key, ev_uuid)

    states: list[LiveState] = []
    runner = threading.Thread(target=live_b.run, kwargs={"on_state": lambda st: states.append(
        LiveState(st.target, st.online, st.stations_live, st.last_ok_at, st.offline_since, st.error))})
    runner.start()
    try:
        _until(lambda: states and states[-1].online)
        server.stop()  # the host's laptop is closed
        _until(lambda: not states[-1].online, timeout=20)
        assert "离线" in states[-1].sentence() and "仅本机核验" in states[-1].sentence()
        # In the gap one shared code gets in at both doors: each decides alone, as it must.
        token = world_a.token(member=4242)
        assert world_a.service(ev).check_code(token, "camera").passed
        assert door_b.check_code(token, "camera").passed
        server.start()  # the host is back (the same data directory, the same certificate)
        _until(lambda: states[-1].online, timeout=20)
    finally:
        live_b.cancel.set()
        runner.join(30)
    live_a.exchange()
    live_b.cancel.clear()
    live_b.exchange()
    live_a.exchange()
    # Caught and flagged on both doors, as the day-end sync would.
    for live in (live_a, live_b):
        with live.store.session() as s:
            flags = list(s.scalars(select(SyncFlag).where(SyncFlag.kind == "double_admission")))
        assert [f.subject for f in flags] == ["4242"], live.store.identity.name


def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_host_tickets_are_one_time(event_host, tmp_path):
    ticket = event_host.ticket("南门")
    a, org_a = new_station(tmp_path, "南门")
    lan_link.join(a, org_a, ticket.qr_text())
    b, org_b = new_station(tmp_path, "北门")
    with pytest.raises(StationError) as err:
        lan_link.join(b, org_b, ticket.qr_text())
    assert err.value.key == "sync_enroll_code_invalid"
    assert lan_link.event_link(b) is None
    a.close()
    b.close()



def test_out_at_the_exit_door_and_back_in_at_the_entrance_through_the_host(doors):
    live_a, live_b = doors
    world_a = World(live_a.store, live_a.operator)
    ev = world_a.event(reentry=True)
    token = world_a.token(member=555)
    entrance = world_a.service(ev)
    assert entrance.check_code(token, "camera").passed
    live_a.exchange()
    live_b.exchange()
    with live_a.store.session() as s:
        ev_uuid = s.get(Event, ev.id).uuid
    _world_b, exit_door = _door(live_b, world_a.key, ev_uuid)
    assert exit_door.event.reentry  # the event's rule travelled with it
    out = exit_door.check_code(token, "camera", "out")  # door B knows A let this member in
    assert out.passed and out.detail == "exit"
    live_b.exchange()
    live_a.exchange()
    world_a.clock.advance(60)
    back = entrance.check_code(token, "camera")
    assert back.passed and back.detail == "reentry"
    counts = entrance.counts()
    assert (counts.admitted, counts.inside, counts.gate_in, counts.gate_out) == (1, 1, 2, 0)
    assert exit_door.counts().gate_out == 1
