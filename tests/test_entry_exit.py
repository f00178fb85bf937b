"""Entry and exit (issue 15, item 4): doors that let people out and back in, and who is inside now."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from test_checkin_world import World

from station.checkin import rules
from station.errors import StationError
from station.store.clock import now_utc
from station.store.peers import PeerCheckIn


@pytest.fixture
def world(store, organizer):
    return World(store, organizer)


def test_a_member_goes_out_and_comes_back_in_without_using_another_admission(world):
    ev = world.event(reentry=True, capacity=1)
    door = world.service(ev)
    token = world.token(member=812)
    first = door.check_code(token, "camera")
    assert first.passed and first.admitted == 1 and first.detail is None
    world.clock.advance(5)
    inside_again = door.check_code(token, "camera")
    assert inside_again.reason == rules.ALREADY  # still inside: 已入场
    world.clock.advance(5)
    out = door.check_code(token, "camera", "out")
    assert out.passed and out.detail == rules.EXIT and out.direction == "out"
    assert door.counts().inside == 0
    world.clock.advance(60)
    back = door.check_code(token, "camera")
    # Back in although the one place is taken (it is this member's), and still one admission.
    assert back.passed and back.detail == rules.REENTRY and back.admitted == 1
    counts = door.counts()
    assert (counts.admitted, counts.inside, counts.gate_in, counts.gate_out) == (1, 1, 2, 1)
    # The hall is full for anyone else.
    assert door.check_code(world.token(member=813), "camera").reason == rules.FULL


def test_without_reentry_a_member_who_went_out_stays_out(world):
    ev = world.event(admissions_per_member=1)
    door = world.service(ev)
    token = world.token(member=900)
    assert door.check_code(token, "camera").passed
    world.clock.advance(5)
    assert door.check_code(token, "camera", "out").passed
    world.clock.advance(5)
    assert door.check_code(token, "camera").reason == rules.ALREADY


def test_an_exit_needs_an_entry_and_lets_an_expired_card_out(world):
    ev = world.event(reentry=True)
    door = world.service(ev)
    never = door.check_code(world.token(member=901), "camera", "out")
    assert never.verdict == rules.REFUSE and never.reason == rules.NOT_INSIDE
    token = world.token(member=902, valid=dt.timedelta(minutes=6))  # issued 5 min ago: 1 min left
    assert door.check_code(token, "camera").passed
    world.clock.advance(120)  # the code has expired while the film ran
    assert door.check_code(token, "camera").reason == rules.EXPIRED  # no way back in on it
    out = door.check_code(token, "camera", "out")
    assert out.passed and out.detail == rules.EXIT
    # A forged code is no exit either.
    assert door.check_code("not a code", "camera", "out").reason == rules.INVALID


def test_another_doors_exit_counts_here(world, store):
    ev = world.event(reentry=True)
    door = world.service(ev)
    token = world.token(member=903)
    assert door.check_code(token, "camera").passed
    with store.session() as s:
        s.add(PeerCheckIn(uuid=str(uuid.uuid4()), event_id=ev.id, station_uuid=str(uuid.uuid4()),
                          station_name="北门出口", operator="门岗", verdict="pass", reason=None, admitted=False,
                          direction="out", platform_id=903, code_sha=None, created_at=world.clock.now,
                          received_at=now_utc()))
        s.commit()
    world.clock.advance(30)
    back = door.check_code(token, "camera")
    assert back.passed and back.detail == rules.REENTRY
    counts = door.counts()
    assert (counts.admitted, counts.inside, counts.gate_in, counts.gate_out) == (1, 1, 2, 0)


def test_a_bad_direction_is_refused_in_words(world):
    door = world.service(world.event())
    with pytest.raises(StationError) as err:
        door.check_code(world.token(member=904), "camera", "sideways")
    assert err.value.key == "checkin_bad_direction" and "出场" in err.value.message()
