"""The check-in rules, through the verdict service every code source uses: one test per reason."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from test_checkin_world import ENTERPRISE_A, UNION_A, UNION_B, World

from station.checkin import ecard
from station.checkin.events import local_to_utc
from station.checkin.service import revoke, set_card_status
from station.errors import StationError
from station.people.idnumber import check_digit
from station.signup import booth
from station.store.models import CheckIn


@pytest.fixture
def world(store, organizer):
    return World(store, organizer)


def _checks(store):
    with store.session() as s:
        return list(s.scalars(select(CheckIn).order_by(CheckIn.id)))


def _id(seq: str) -> str:
    base = f"44190019900101{seq}"
    return base + check_digit(base)


def test_a_valid_card_passes_with_masked_name_union_and_quota(world):
    ev = world.event(capacity=100, unions=[UNION_A])
    v = world.service(ev).check_code(world.token(name="王小芳"), "wedge")
    assert (v.verdict, v.reason, v.masked_name, v.union) == ("pass", None, "王*芳", UNION_A)
    assert (v.quota_left, v.admitted, v.capacity) == (0, 1, 100)


def test_every_check_is_stored_before_the_verdict_returns_refusals_too(world, promoter):
    ev = world.event()
    svc = world.service(ev, operator=promoter)
    ok = svc.check_code(world.token(), "camera")
    bad = svc.check_code("https://weixin.qq.com/x", "wedge")
    rows = _checks(world.store)
    # Each check names the logged-in operator who made it, not a typed-in name.
    assert [(r.uuid, r.verdict, r.reason, r.source, r.operator) for r in rows] == [
        (ok.checkin_uuid, "pass", None, "camera", promoter.name),
        (bad.checkin_uuid, "refuse", "invalid", "wedge", promoter.name)]
    assert rows[0].station_name == "测试工作站"


def test_a_manual_check_names_the_logged_in_operator_too(world, organizer):
    member_id, _ = world.roster_member("李四", _id("0001"), union=UNION_A)
    world.service(world.event()).check_member(member_id)
    assert [(r.source, r.operator) for r in _checks(world.store)] == [("manual", organizer.name)]


def test_a_locked_station_cannot_check(world):
    with pytest.raises(StationError) as err:
        world.service(world.event(), operator=None)
    assert err.value.key == "checkin_login_required"
    assert "登录" in err.value.message()
    assert _checks(world.store) == []


def test_an_operator_without_the_checkin_permission_is_refused(world, promoter, monkeypatch):
    from station.security import operators

    monkeypatch.setitem(operators.PERMISSIONS, "checkin", frozenset({operators.ORGANIZER}))
    with pytest.raises(StationError) as err:
        world.service(world.event(), operator=promoter)
    assert err.value.key == "not_permitted"
    assert err.value.message() == "推广员无权执行此操作（checkin）。请由管理员操作。"
    assert _checks(world.store) == []


def test_another_apps_code_is_invalid(world):
    v = world.service(world.event()).check_code("https://example.com/pay?id=1", "camera")
    assert (v.verdict, v.reason, v.masked_name) == ("refuse", "invalid", None)


def test_an_altered_code_is_invalid_and_shows_no_name(world):
    token = world.token()
    card = ecard.parse(token)
    forged = ecard.issue(ecard.generate_key(), member=card.member, union=UNION_A, name="张三",
                         issued_at=card.issued_at, valid_for=dt.timedelta(hours=1))
    # Same key id as the trusted key, another key's signature: a forgery.
    data = bytearray(ecard.token_bytes(forged))
    data[1:5] = bytes.fromhex(card.kid)
    v = world.service(world.event()).check_code(str(int.from_bytes(bytes(data), "big")), "camera")
    assert (v.verdict, v.reason, v.detail, v.masked_name, v.union) == ("refuse", "invalid", "signature", None, None)


def test_a_key_the_station_has_not_synced_is_amber_unknown_key(world):
    v = world.service(world.event()).check_code(world.token(key=ecard.generate_key()), "camera")
    assert (v.verdict, v.reason) == ("warn", "unknown_key")


def test_a_code_issued_after_its_key_was_rotated_out_is_invalid(world):
    kid = ecard.key_id(world.key.public_key())
    world.trust.end_validity(kid, world.clock.now - dt.timedelta(hours=1))
    v = world.service(world.event()).check_code(world.token(), "camera")
    assert (v.reason, v.detail) == ("invalid", "key_period")


def test_a_retired_key_refuses_its_codes(world):
    world.trust.retire(ecard.key_id(world.key.public_key()))
    assert world.service(world.event()).check_code(world.token(), "camera").reason == "invalid"


def test_an_expired_code_is_refused(world):
    token = world.token(issued_at=world.clock.now - dt.timedelta(hours=2), valid=dt.timedelta(hours=1))
    assert world.service(world.event()).check_code(token, "camera").reason == "expired"


def test_a_card_the_token_says_is_lost_is_revoked(world):
    assert world.service(world.event()).check_code(world.token(status="lost"), "camera").reason == "revoked"


def test_a_lost_card_refuses_older_codes_but_not_the_reissued_one(world):
    ev = world.event()
    svc = world.service(ev)
    old = world.token(member=42, issued_at=world.clock.now - dt.timedelta(hours=3))
    set_card_status(world.store, 42, "lost", at=world.clock.now - dt.timedelta(hours=1))
    assert svc.check_code(old, "camera").reason == "revoked"
    new = world.token(member=42, issued_at=world.clock.now - dt.timedelta(minutes=10))
    assert svc.check_code(new, "camera").verdict == "pass"


def test_the_revocation_list_is_used_offline(world):
    svc = world.service(world.event())
    revoke(world.store, 77, "cancelled", at=world.clock.now - dt.timedelta(days=30))
    assert svc.check_code(world.token(member=77), "camera").reason == "revoked"
    revoke(world.store, 78, "lost", at=world.clock.now - dt.timedelta(minutes=1))
    assert svc.check_code(world.token(member=78), "camera").reason == "revoked"


def test_a_member_of_another_union_is_not_eligible(world):
    ev = world.event(unions=[UNION_A])
    assert world.service(ev).check_code(world.token(union=UNION_B), "camera").reason == "not_eligible"


def test_an_enterprise_event_admits_its_unions_cards_and_its_roster_members(world):
    # The enterprise's union is known from the roster import.
    world.roster_member("李四", _id("1231"), enterprise=ENTERPRISE_A, union=UNION_A)
    # A member on the roster at that enterprise whose card names another union.
    _, pid = world.roster_member("赵六", _id("1241"), enterprise=ENTERPRISE_A)
    svc = world.service(world.event(enterprises=[ENTERPRISE_A]))
    assert svc.check_code(world.token(union=UNION_A), "camera").verdict == "pass"
    assert svc.check_code(world.token(member=pid, union=UNION_B), "camera").verdict == "pass"
    assert svc.check_code(world.token(union=UNION_B), "camera").reason == "not_eligible"


def test_before_the_entry_window_is_not_open(world):
    start = (dt.datetime.now() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    ev = world.event(date=start.date(), entry_start=start.time(), entry_end=None)
    world.clock.now = local_to_utc(start) - dt.timedelta(minutes=1)
    assert world.service(ev).check_code(world.token(), "camera").reason == "not_open"


def test_after_the_entry_window_is_closed(world):
    ev = world.event(entry_start=dt.time(0, 0), entry_end=dt.time(0, 1))
    world.clock.now = local_to_utc(dt.datetime.combine(ev.date, dt.time(0, 2)))
    assert world.service(ev).check_code(world.token(issued_at=world.clock.now - dt.timedelta(minutes=1)),
                                        "camera").reason == "closed"


def test_a_second_scan_after_3_seconds_is_already_admitted_with_when_and_where(world):
    svc = world.service(world.event())
    token = world.token()
    first = svc.check_code(token, "camera")
    world.clock.advance(3.5)
    again = svc.check_code(token, "wedge")
    assert (again.verdict, again.reason, again.earlier_station) == ("refuse", "already", "测试工作站")
    assert again.earlier_at == first.at


def test_the_same_code_within_3_seconds_is_one_scan(world):
    svc = world.service(world.event())
    token = world.token()
    first = svc.check_code(token, "camera")
    world.clock.advance(1.0)
    repeat = svc.check_code(token, "camera")
    world.clock.advance(1.5)
    repeat2 = svc.check_code(token, "camera")
    assert first.verdict == repeat.verdict == repeat2.verdict == "pass"
    assert repeat.repeated and repeat2.repeated and repeat.checkin_uuid == first.checkin_uuid
    assert len(_checks(world.store)) == 1


def test_admissions_per_member_counts_down_the_quota(world):
    svc = world.service(world.event(admissions_per_member=2))
    token = world.token()
    assert svc.check_code(token, "camera").quota_left == 1
    world.clock.advance(5)
    assert svc.check_code(token, "camera").quota_left == 0
    world.clock.advance(5)
    assert svc.check_code(token, "camera").reason == "already"


def test_a_full_event_refuses_the_next_member(world):
    svc = world.service(world.event(capacity=2))
    assert [svc.check_code(world.token(), "camera").verdict for _ in range(2)] == ["pass", "pass"]
    v = svc.check_code(world.token(), "camera")
    assert (v.reason, v.admitted, v.capacity) == ("full", 2, 2)


def test_an_admission_at_another_station_counts_as_already(world):
    ev = world.event()
    token = world.token(member=555)
    with world.store.session() as s:  # as a sync would bring it
        s.add(CheckIn(event_id=ev.id, station_uuid="other", station_name="二号工作站", source="camera",
                      verdict="pass", admitted=True, platform_id=555, created_at=world.clock.now - dt.timedelta(minutes=3)))
        s.commit()
    v = world.service(ev).check_code(token, "camera")
    assert (v.reason, v.earlier_station) == ("already", "二号工作站")


def test_a_manual_look_up_is_checked_by_the_same_rules_and_marked_manual(world):
    ev = world.event(unions=[UNION_A])
    svc = world.service(ev)
    member_id, pid = world.roster_member("周杰", _id("1251"), union=UNION_A, phone="13900001234")
    v = svc.check_member(member_id)
    assert (v.verdict, v.manual, v.masked_name, v.source) == ("pass", True, "周*", "manual")
    world.clock.advance(10)
    assert svc.check_code(world.token(member=pid), "camera").reason == "already"
    row = _checks(world.store)[0]
    assert (row.source, row.member_id, row.platform_id) == ("manual", member_id, pid)


def test_a_manual_look_up_of_a_cancelled_member_is_revoked(world):
    svc = world.service(world.event())
    member_id, pid = world.roster_member("吴用", _id("1261"))
    set_card_status(world.store, pid, "cancelled")
    assert svc.check_member(member_id).reason == "revoked"


def test_an_unknown_member_in_a_manual_look_up_is_a_station_error(world):
    with pytest.raises(StationError):
        world.service(world.event()).check_member(999999)


def test_booth_sessions_still_open_their_own_events(world):
    world.event()
    info = booth.open_session(world.store, venue="一号饭堂", promoter="李推广")
    assert booth.current_session(world.store).event_id == info.event_id
