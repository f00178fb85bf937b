"""The door screen with live sync (issue 15): it says how current it is, and other doors' admissions count.

The window is the real one over a station joined to a real event host (TLS on loopback): live
sync starts by itself at log-in, goes green, and another door's admission shows in the hall count.
"""

from __future__ import annotations

import datetime as dt

from helpers.lan import join_station
from helpers.ui import open_window
from sqlalchemy import select
from test_checkin_world import World

from station.store.clock import now_utc
from station.store.models import Event
from station.sync.live import LiveState
from station.sync.live_target import open_live
from ui.scan_screen import ScanScreen


def test_the_door_says_live_or_offline_with_the_minutes(qtbot, store, ui_lang):
    screen = ScanScreen(store)
    qtbot.addWidget(screen)
    assert "仅本机核验" in screen.live_label.text()  # no hub at all: this door decides alone
    screen.set_live_state(LiveState(target="event", online=True, stations_live=3))
    assert screen.live_label.text() == "与 3 台工作站实时同步"
    green = screen.live_label.styleSheet()
    screen.set_live_state(LiveState(target="event", online=False,
                                    offline_since=now_utc() - dt.timedelta(minutes=2, seconds=5)))
    assert screen.live_label.text() == "离线 2 分钟：仅本机核验"
    assert screen.live_label.styleSheet() != green and "#ffb300" in screen.live_label.styleSheet()
    assert screen.live_timer.isActive()  # the minutes go on counting by themselves
    screen.set_live_state(LiveState(target="event", online=True, stations_live=0))
    assert "其他工作站尚未上线" in screen.live_label.text() and not screen.live_timer.isActive()


def test_the_app_syncs_live_after_log_in_and_counts_the_other_doors_admissions(qtbot, event_host, tmp_path,
                                                                                ui_lang):
    door_a, org_a = join_station(event_host, tmp_path, "南门")
    door_b, org_b = join_station(event_host, tmp_path, "北门")
    world_a = World(door_a, org_a)
    ev = world_a.event(admissions_per_member=1, capacity=300)
    live_a, _ = open_live(door_a, org_a, wait_s=0)
    live_a.exchange()  # the screening reaches the host

    win = open_window(qtbot, door_b, org_b)
    win.show_screen(4)
    scan = win.scan_screen
    qtbot.waitUntil(lambda: win.live.state.online, timeout=15000)
    qtbot.waitUntil(lambda: "实时同步" in scan.live_label.text(), timeout=5000)
    with door_b.session() as s:
        qtbot.waitUntil(lambda: s.scalars(select(Event.id)).first() is not None, timeout=10000)
    with door_a.session() as s:
        ev_uuid = s.get(Event, ev.id).uuid
    with door_b.session() as s:
        ev_b = s.scalars(select(Event.id).where(Event.uuid == ev_uuid)).one()
    scan.select_event(ev_b)
    qtbot.waitUntil(lambda: scan.service is not None and scan.service.event.id == ev_b, timeout=10000)
    assert scan.counter_label.text().startswith("已入场 0")

    assert world_a.service(ev).check_code(world_a.token(member=77), "camera").passed
    live_a.exchange()  # door A's admission goes up; door B's long poll wakes and pulls it
    qtbot.waitUntil(lambda: scan.counter_label.text().startswith("已入场 1"), timeout=15000)
    live_a.client.close()
    win.close()
    assert not win.live.running
    door_a.close()


def test_a_card_let_in_at_two_doors_during_a_gap_is_shown_at_the_door(qtbot, store, organizer, ui_lang):
    import json
    import uuid

    from station.store.models import SyncFlag
    from station.store.peers import PeerCheckIn

    world = World(store, organizer)
    ev = world.event(admissions_per_member=1)
    assert world.service(ev).check_code(world.token(member=4242, name="王芳"), "camera").passed
    with store.session() as s:
        ev_uuid = s.get(Event, ev.id).uuid
        s.add(PeerCheckIn(uuid=str(uuid.uuid4()), event_id=ev.id, station_uuid=str(uuid.uuid4()),
                          station_name="北门", operator="门岗小李", verdict="pass", reason=None, admitted=True,
                          platform_id=4242, code_sha=None, created_at=world.clock.now + dt.timedelta(minutes=1),
                          received_at=now_utc()))
        s.add(SyncFlag(hub_seq=9, kind="double_admission", event_uuid=ev_uuid, subject="4242",
                       stations=json.dumps(["a", "b"]), detail=json.dumps({"admissions": 2})))
        s.commit()
    screen = ScanScreen(store, operator=organizer)
    qtbot.addWidget(screen)
    screen.show()
    screen.select_event(ev.id)
    qtbot.waitUntil(lambda: screen.flag_label.isVisible(), timeout=10000)
    text = screen.flag_label.text()
    assert "同一张卡在两个门都入场" in text and "王*" in text and "北门" in text and store.identity.name in text
