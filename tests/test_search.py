"""Search the way promoters ask: name, pinyin initials, phone or ID tail."""

from __future__ import annotations

import pytest

from station.people.idnumber import check_digit
from station.roster.search import search
from station.signup import booth
from station.signup import service as signup


def make_id(first17: str) -> str:
    return first17 + check_digit(first17)


ZHANG = make_id("44190019800101123")
LI = make_id("43052419950305456")
OUYANG = make_id("36010219881212777")


@pytest.fixture(autouse=True)
def three_signed_up(store, organizer):
    booth.open_session(store, venue="饭堂", promoter="甲", enterprise="东莞市长安电子有限公司")
    signup.register(store, name="张三", phone="13800138000", id_number=ZHANG, consent=True, operator=organizer)
    signup.register(store, name="李四", phone="13912345678", id_number=LI, consent=True, operator=organizer)
    signup.register(store, name="欧阳·娜娜", phone="15012349999", id_number=OUYANG, consent=True, operator=organizer)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张", ["张三"]),
        ("张三", ["张三"]),
        ("zs", ["张三"]),
        ("ZS", ["张三"]),
        ("oy", ["欧阳·娜娜"]),
        ("5678", ["李四"]),  # phone tail
        (LI[-4:], ["李四"]),  # ID tail
        ("13800138000", ["张三"]),
        ("+86 138 0013 8000", ["张三"]),
        (ZHANG, ["张三"]),
        (ZHANG.lower(), ["张三"]),
        ("234 5678", ["李四"]),  # a longer phone tail, typed with a space
        ("王", []),
        ("", []),
    ],
)
def test_query_finds(store, query, expected, organizer):
    assert [h.name for h in search(store, query, organizer)] == expected


def test_hit_shows_where_the_person_signed_up(store, organizer):
    (hit,) = search(store, "zs", organizer)
    assert hit.signed_up_event and hit.signed_up_station == store.identity.name
    assert hit.on_roster is False


def test_json_is_masked_by_default(store, organizer):
    (hit,) = search(store, "zs", organizer)
    data = hit.as_json()
    assert data["id_number"] == ZHANG[:4] + "*" * 10 + ZHANG[-4:]
    assert data["phone"] == "138****8000"
    assert data["name"] == "张*"


def test_search_uses_indexes(store, organizer):
    # A 1.4-million roster makes a scan visible at the booth: every query shape must hit an index.
    from sqlalchemy import select

    from station.roster.search import member_filter
    from station.store.models import Member, Registration

    with store.engine.connect() as conn:
        for query in ("张", "zs", "5678", "123X", "13800138000", "8138000", ZHANG):
            plan_ = member_filter(query, organizer.cipher)
            stmts = [select(Member.id).where(plan_.where)]
            if plan_.reg_phone is not None:
                stmts.append(select(Registration.member_id).where(plan_.reg_phone))
            for stmt in stmts:
                compiled = stmt.compile(store.engine)
                args = tuple(compiled.params[k] for k in compiled.positiontup)
                plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args))
                assert "USING" in plan and "SCAN" not in plan.replace("USING INDEX", "").replace("USING COVERING", ""), (query, plan)
