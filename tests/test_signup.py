"""Booth sign-up: the rules a promoter and a worker notice."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os

import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from sqlalchemy import func, select

from station.errors import StationError
from station.people.idnumber import check_digit
from station.security import operators, protect
from station.signup import booth
from station.signup import service as signup
from station.store.database import open_store
from station.store.models import Member, Registration


def make_id(first17: str) -> str:
    return first17 + check_digit(first17)


ZHANG = make_id("44190019800101123")  # Dongguan, born 1980: the code did not exist then
LI = make_id("43052419950305456")


@pytest.fixture
def booth_store(store):
    booth.open_session(
        store, venue="一号饭堂", promoter="李推广", enterprise="东莞市长安电子有限公司",
        union="东莞市长安电子有限公司工会委员会",
    )
    return store


def put_on_roster(store, operator, id_number: str, name: str, enterprise: str | None = None) -> None:
    from station.store.orgs import enterprise_by_name

    with store.session() as s:
        ent = enterprise_by_name(s, enterprise) if enterprise else None
        s.add(Member(name=name, initials="", on_roster=True, enterprise_id=ent.id if ent else None,
                     **protect.member_fields(operator.cipher, id_number, None)))
        s.commit()


def test_roster_member_is_found_by_id(booth_store, organizer):
    put_on_roster(booth_store, organizer, ZHANG, "张三", "东莞市虎门服装有限公司")
    res = signup.register(booth_store, name="张三", phone="13800138000", id_number=ZHANG, consent=True, operator=organizer)
    assert res.outcome == signup.OUTCOME_ROSTER
    assert res.roster_name == "张三"
    assert res.today_count == 1


def test_unknown_person_becomes_new_member_application(booth_store, organizer):
    res = signup.register(booth_store, name="李四", phone="13912345678", id_number=LI, consent=True, operator=organizer)
    assert res.outcome == signup.OUTCOME_NEW
    with booth_store.session() as s:
        member = s.scalars(select(Member).where(Member.id_bidx == organizer.cipher.blind_index("id", LI))).one()
        assert member.on_roster is False
        assert member.initials == "ls"


def test_second_signup_says_already_with_when_where_and_station(booth_store, organizer):
    first = signup.register(booth_store, name="李四", phone="13912345678", id_number=LI, consent=True, operator=organizer)
    again = signup.register(booth_store, name="李四", phone="13912345678", id_number=LI.lower(), consent=True, operator=organizer)
    assert again.outcome == signup.OUTCOME_ALREADY
    assert again.registration_uuid is None
    assert again.earlier is not None
    assert again.earlier.venue == "一号饭堂"
    assert again.earlier.station_name == booth_store.identity.name
    assert again.today_count == first.today_count == 1
    with booth_store.session() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 1


def test_nothing_is_saved_without_consent(booth_store, organizer):
    with pytest.raises(StationError) as err:
        signup.register(booth_store, name="李四", phone="13912345678", id_number=LI, consent=False, operator=organizer)
    assert err.value.key == "consent_required"
    with booth_store.session() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 0


def test_consent_version_is_stored_with_the_signup(booth_store, organizer):
    signup.register(booth_store, name="李四", phone="13912345678", id_number=LI, consent=True, operator=organizer)
    with booth_store.session() as s:
        assert s.scalars(select(Registration.consent_version)).one() == "v1"


def test_under_16_is_refused_with_the_age(booth_store, organizer):
    today = dt.date(2026, 11, 25)
    young = make_id("44190020110101123")  # 15 years old on that day
    with pytest.raises(signup.FormInvalid) as err:
        signup.register(booth_store, name="小明", phone="13912345678", id_number=young, consent=True, today=today, operator=organizer)
    issue = err.value.check.errors["id_number"]
    assert issue.key == "under_age" and issue.params["age"] == 15
    assert "未满 16 周岁" in err.value.message("zh")


def test_sixteenth_birthday_is_old_enough(booth_store, organizer):
    today = dt.date(2026, 11, 25)
    sixteen = make_id("44190020101125123")
    res = signup.register(booth_store, name="小明", phone="13912345678", id_number=sixteen, consent=True, today=today, operator=organizer)
    assert res.outcome == signup.OUTCOME_NEW


def test_form_check_derives_sex_birth_date_and_age():
    check = signup.check_form("张三", "+86 138 0013 8000", ZHANG, today=dt.date(2026, 11, 25))
    assert check.ok
    assert check.phone == "13800138000"
    assert check.birth_date == dt.date(1980, 1, 1)
    assert check.sex == ("M" if int(ZHANG[16]) % 2 else "F")
    assert check.age == 46


def test_form_check_names_each_bad_field():
    check = signup.check_form("", "12345", ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1"))
    assert set(check.errors) == {"name", "phone", "id_number"}
    assert check.errors["id_number"].key == "id_checksum"
    assert "校验位" in check.messages("zh")["id_number"]
    assert "check character" in check.messages("en")["id_number"]


def test_enterprise_and_union_default_to_the_host(booth_store, organizer):
    res = signup.register(booth_store, name="李四", phone="13912345678", id_number=LI, consent=True, operator=organizer)
    assert res.enterprise == "东莞市长安电子有限公司"
    assert res.union == "东莞市长安电子有限公司工会委员会"


def test_a_given_enterprise_overrides_the_host(booth_store, organizer):
    res = signup.register(booth_store, name="李四", phone="13912345678", id_number=LI, enterprise="东莞市虎门服装有限公司", consent=True, operator=organizer)
    assert res.enterprise == "东莞市虎门服装有限公司"
    assert res.union is None


def test_signup_without_open_session_is_refused(tmp_path, organizer):
    store = open_store(tmp_path)
    with pytest.raises(StationError) as err:
        signup.register(store, name="李四", phone="13912345678", id_number=LI, consent=True, operator=organizer)
    assert err.value.key == "no_session"


def test_rare_character_and_dot_names_survive(booth_store, organizer):
    signup.register(booth_store, name="𠮷野·家", phone="13912345678", id_number=LI, consent=True, operator=organizer)
    rows = signup.list_signups(booth_store, organizer)
    assert rows[0].name == "𠮷野·家"


def _register_then_die(data_dir: str, id_number: str) -> None:
    store = open_store(data_dir, integrity="none")
    organizer = operators.login(store, ORGANIZER, ORGANIZER_SECRET)
    signup.register(store, name="王五", phone="13712345678", id_number=id_number, consent=True, operator=organizer)
    os._exit(0)  # no clean shutdown: as if the power went the moment the screen said "saved"


def test_signup_survives_a_crash_right_after_it_returns(booth_store, organizer):
    wang = make_id("51010219900101234")
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_register_then_die, args=(str(booth_store.paths.root), wang))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0
    with booth_store.session() as s:
        names = s.scalars(select(Registration.name)).all()
    assert names == ["王五"]


def test_today_count_counts_only_this_station_today(booth_store, organizer):
    signup.register(booth_store, name="李四", phone="13912345678", id_number=LI, consent=True, operator=organizer)
    assert signup.count_today(booth_store) == 1
    assert signup.count_today(booth_store, dt.date.today() - dt.timedelta(days=1)) == 0


def test_live_roster_hint_shows_name_and_earlier_signup(booth_store, organizer):
    put_on_roster(booth_store, organizer, ZHANG, "张三", "东莞市虎门服装有限公司")
    hint = signup.lookup_roster(booth_store, ZHANG, organizer)
    assert hint["name"] == "张三" and hint["on_roster"] and hint["earlier"] is None
    signup.register(booth_store, name="张三", phone="13800138000", id_number=ZHANG, consent=True, operator=organizer)
    assert signup.lookup_roster(booth_store, ZHANG, organizer)["earlier"].venue == "一号饭堂"
    assert signup.lookup_roster(booth_store, "123", organizer) is None
