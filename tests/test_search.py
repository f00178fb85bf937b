"""Search the way promoters ask: name, pinyin initials, phone or ID tail."""

from __future__ import annotations

import pytest

from station import booth, signup
from station.idnumber import check_digit
from station.search import search
from station.store import open_store


def make_id(first17: str) -> str:
    return first17 + check_digit(first17)


ZHANG = make_id("44190019800101123")
LI = make_id("43052419950305456")
OUYANG = make_id("36010219881212777")


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path)
    booth.open_session(store, venue="饭堂", promoter="甲", enterprise="东莞市长安电子有限公司")
    signup.register(store, name="张三", phone="13800138000", id_number=ZHANG, consent=True)
    signup.register(store, name="李四", phone="13912345678", id_number=LI, consent=True)
    signup.register(store, name="欧阳·娜娜", phone="15012349999", id_number=OUYANG, consent=True)
    yield store
    store.close()


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
def test_query_finds(store, query, expected):
    assert [h.name for h in search(store, query)] == expected


def test_hit_shows_where_the_person_signed_up(store):
    (hit,) = search(store, "zs")
    assert hit.signed_up_event and hit.signed_up_station == store.identity.name
    assert hit.on_roster is False


def test_json_is_masked_by_default(store):
    (hit,) = search(store, "zs")
    data = hit.as_json()
    assert data["id_number"] == ZHANG[:4] + "*" * 10 + ZHANG[-4:]
    assert data["phone"] == "138****8000"
    assert data["name"] == "张*"


def test_search_uses_indexes(store):
    # A 1.4-million roster makes a scan visible at the booth: every query shape must hit an index.
    from sqlalchemy import select

    from station.models import Member
    from station.search import member_filter

    with store.engine.connect() as conn:
        for query in ("张", "zs", "5678", "13800138000", ZHANG):
            stmt = select(Member.id).where(member_filter(query))
            compiled = stmt.compile(store.engine, compile_kwargs={"literal_binds": True})
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
            assert "USING" in plan and "SCAN members" not in plan.replace("USING INDEX", ""), (query, plan)
