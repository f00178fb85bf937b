"""Personal data at rest: old stores converted, unmasking audited, retention purge, tampering caught."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text, update

from station.errors import StationError
from station.people.idnumber import check_digit
from station.roster import search
from station.security import audit, protect, retention, settings
from station.security.fieldcrypt import FieldTampered
from station.signup import booth
from station.signup import service as signup
from station.store.database import open_store
from station.store.models import Member, Registration


def make_id(first17: str) -> str:
    return first17 + check_digit(first17)


ZHANG = make_id("44190019800101123")
LI = make_id("43052419950305456")


def file_bytes(store) -> bytes:
    root = store.paths.root
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


@pytest.fixture
def legacy_store(store):
    """A store as the version before encryption left it: plaintext in the old columns, and a backup of it."""
    booth.open_session(store, venue="饭堂", promoter="甲", enterprise="东莞市长安电子有限公司")
    with store.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO members (id_number, name, initials, phone, id_tail, phone_tail, on_roster, created_at, updated_at) "
            "VALUES (:n, :name, :ini, :p, :t, :pt, 1, '2026-11-01', '2026-11-01')"),
            [{"n": ZHANG, "name": "张三", "ini": "zs", "p": "13800138000", "t": ZHANG[-4:], "pt": "8000"},
             {"n": LI, "name": "李四", "ini": "ls", "p": None, "t": LI[-4:], "pt": None}])
        event_id = conn.execute(text("SELECT id FROM events")).scalar()
        conn.execute(text(
            "INSERT INTO registrations (uuid, member_id, event_id, name, phone, phone_tail, outcome, consent_version, "
            "source, station_uuid, station_name, created_at) VALUES ('reg-1', 1, :e, '张三', '13800138000', '8000', "
            "'roster', 'v1', 'booth', :s, 'x', '2026-11-01')"), {"e": event_id, "s": store.identity.uuid})
    store.backup("test")
    return store


def test_an_old_store_is_converted_and_no_plaintext_is_left(legacy_store, organizer) -> None:
    assert protect.needs_encryption(legacy_store)
    assert b"13800138000" in file_bytes(legacy_store)
    seen = []
    counts = protect.encrypt_existing(legacy_store, organizer, progress=lambda done, total: seen.append((done, total)))
    assert counts == {"members": 2, "registrations": 1, "backups_deleted": 1}
    assert seen[-1] == (3, 3)
    assert not protect.needs_encryption(legacy_store)
    # Found through the blind indexes, decrypted right.
    assert signup.lookup_roster(legacy_store, ZHANG, organizer)["name"] == "张三"
    (hit,) = search.search(legacy_store, "13800138000", organizer)
    assert (hit.id_number, hit.phone) == (ZHANG, "13800138000")
    (row,) = signup.list_signups(legacy_store, organizer)
    assert row.phone == "13800138000"
    # And gone from every byte of the data directory: database, WAL, backups.
    everything = file_bytes(legacy_store)
    for secret in (ZHANG, LI, "13800138000"):
        assert secret.encode() not in everything
        assert secret.encode("utf-16-le") not in everything
    assert audit.entries(legacy_store, limit=1)[0].action == "encrypt_existing"


def test_a_promoter_cannot_convert(legacy_store, promoter) -> None:
    with pytest.raises(StationError) as err:
        protect.encrypt_existing(legacy_store, promoter)
    assert err.value.key == "not_permitted"
    assert protect.needs_encryption(legacy_store)


def test_converting_twice_is_harmless(legacy_store, organizer) -> None:
    protect.encrypt_existing(legacy_store, organizer)
    again = protect.encrypt_existing(legacy_store, organizer)
    assert (again["members"], again["registrations"]) == (0, 0)
    assert signup.lookup_roster(legacy_store, LI, organizer)["name"] == "李四"


# -- unmasking ------------------------------------------------------------------------------


def test_unmasking_needs_an_organizer_and_a_reason_and_is_audited(store, organizer, promoter) -> None:
    with pytest.raises(StationError) as err:
        protect.unmask(store, promoter, kind="registration", target="reg-1", reason="核对身份")
    assert err.value.key == "not_permitted"
    with pytest.raises(StationError) as err:
        protect.unmask(store, organizer, kind="registration", target="reg-1", reason=" ")
    assert err.value.key == "unmask_reason_required"
    protect.unmask(store, organizer, kind="registration", target="reg-1", reason="核对身份")
    e = audit.entries(store, limit=1)[0]
    assert (e.action, e.target, e.operator) == ("unmask", "registration:reg-1", organizer.name)
    assert json.loads(e.details) == {"reason": "核对身份"}
    assert audit.verify(store, organizer.cipher) == []


# -- what is stored -------------------------------------------------------------------------


@pytest.fixture
def two_signups(store, organizer):
    booth.open_session(store, venue="饭堂", promoter="甲", enterprise="东莞市长安电子有限公司")
    a = signup.register(store, operator=organizer, name="张三", phone="13800138000", id_number=ZHANG, consent=True)
    b = signup.register(store, operator=organizer, name="李四", phone="13912345678", id_number=LI, consent=True)
    return a, b


def test_a_signup_stores_no_plaintext(store, two_signups) -> None:
    with store.session() as s:
        assert s.scalar(select(func.count()).where(Member.legacy_id_number.is_not(None))) == 0
        assert s.scalar(select(func.count()).where(Registration.legacy_phone.is_not(None))) == 0
    everything = file_bytes(store)
    for secret in (ZHANG, LI, "13800138000", "13912345678"):
        assert secret.encode() not in everything


def test_a_promoter_signs_up_and_searches_but_sees_masked_json(store, promoter, two_signups) -> None:
    res = signup.register(store, operator=promoter, name="张三", phone="13800138000", id_number=ZHANG, consent=True)
    assert res.outcome == signup.OUTCOME_ALREADY
    (hit,) = search.search(store, "8000", promoter)
    assert hit.as_json()["phone"] == "138****8000"


def test_a_phone_swapped_between_rows_is_caught_not_served(store, organizer, two_signups) -> None:
    with store.session() as s:
        a, b = s.scalars(select(Registration).order_by(Registration.id)).all()
        pa, pb = a.phone_enc, b.phone_enc
        s.execute(update(Registration).where(Registration.id == a.id).values(phone_enc=pb))
        s.execute(update(Registration).where(Registration.id == b.id).values(phone_enc=pa))
        s.commit()
    with pytest.raises(FieldTampered) as err:
        signup.list_signups(store, organizer)
    assert "未通过完整性校验" in err.value.message() and "registrations" in err.value.message()


def test_another_stations_key_cannot_read_or_find(store, organizer, two_signups, tmp_path) -> None:
    from station.security import operators

    other = open_store(tmp_path / "other")
    operators.create_first_organizer(other, "别站主席", "别的工作站2026年")
    stranger = operators.login(other, "别站主席", "别的工作站2026年")
    assert signup.lookup_roster(store, ZHANG, stranger) is None  # its blind index matches nothing here
    with pytest.raises(FieldTampered):
        signup.list_signups(store, stranger)
    other.close()


# -- retention -----------------------------------------------------------------------------


def mark_synced(store, days_ago: float) -> None:
    with store.session() as s:
        s.execute(update(Registration).values(synced_at=dt.datetime.utcnow() - dt.timedelta(days=days_ago)))
        s.commit()


def test_nothing_is_purged_before_sync_or_inside_the_period(store, organizer, two_signups) -> None:
    assert retention.purge(store, organizer)["registrations"] == 0  # never synced
    mark_synced(store, 29)
    assert retention.purge(store, organizer)["registrations"] == 0
    assert {r.phone for r in signup.list_signups(store, organizer)} == {"13800138000", "13912345678"}


def test_synced_signups_lose_personal_data_after_the_period_and_counts_stay(store, organizer, two_signups) -> None:
    before = {(r.outcome, r.enterprise, r.event_name) for r in signup.list_signups(store, organizer)}
    mark_synced(store, 31)
    counts = retention.purge(store, organizer)
    assert counts == {"registrations": 2, "members": 2, "backups": 0, "days": 30}
    rows = signup.list_signups(store, organizer)
    assert {(r.outcome, r.enterprise, r.event_name) for r in rows} == before
    assert {r.name for r in rows} == {"张*", "李*"}
    assert all(r.phone is None and r.id_number is None for r in rows)
    assert signup.lookup_roster(store, ZHANG, organizer) is None
    assert search.search(store, "8000", organizer) == []
    e = audit.entries(store, limit=1)[0]
    assert e.action == "purge" and json.loads(e.details)["registrations"] == 2
    assert retention.purge(store, organizer)["registrations"] == 0  # done once


def test_roster_members_are_kept_by_the_purge(store, organizer) -> None:
    booth.open_session(store, venue="饭堂", promoter="甲", enterprise="东莞市长安电子有限公司")
    with store.session() as s:
        s.add(Member(name="张三", initials="zs", on_roster=True, **protect.member_fields(organizer.cipher, ZHANG, None)))
        s.commit()
    signup.register(store, operator=organizer, name="张三", phone="13800138000", id_number=ZHANG, consent=True)
    mark_synced(store, 40)
    counts = retention.purge(store, organizer)
    assert (counts["registrations"], counts["members"]) == (1, 0)
    assert signup.lookup_roster(store, ZHANG, organizer)["name"] == "张三"


def test_the_retention_period_is_an_audited_organizer_setting(store, organizer, promoter, two_signups) -> None:
    with pytest.raises(StationError):
        settings.set_int(store, promoter, settings.RETENTION_DAYS, 7)
    with pytest.raises(StationError) as err:
        settings.set_int(store, organizer, settings.RETENTION_DAYS, 0)
    assert err.value.key == "retention_days_invalid"
    settings.set_int(store, organizer, settings.RETENTION_DAYS, 7)
    assert settings.get_int(store, settings.RETENTION_DAYS) == 7
    assert audit.entries(store, limit=1)[0].action == "setting"
    mark_synced(store, 8)
    assert retention.purge(store)["registrations"] == 2  # at start-up, with nobody logged in
