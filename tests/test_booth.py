"""Booth sessions: opening, resuming, joining the same event."""

from __future__ import annotations

import datetime as dt

import pytest

from station.errors import StationError
from station.signup import booth
from station.store.database import open_store


def test_open_session_is_remembered_across_restart(tmp_path):
    store = open_store(tmp_path)
    info = booth.open_session(store, venue="一号饭堂", promoter="李推广", enterprise="东莞市长安电子有限公司")
    store.close()
    again = open_store(tmp_path)
    current = booth.current_session(again)
    assert current is not None and current.session_uuid == info.session_uuid
    assert current.enterprise == "东莞市长安电子有限公司"


def test_same_day_venue_and_host_join_one_event(tmp_path):
    store = open_store(tmp_path)
    first = booth.open_session(store, venue="一号饭堂", promoter="甲", enterprise="东莞市长安电子有限公司")
    second = booth.open_session(store, venue="一号饭堂", promoter="乙", enterprise="东莞市长安电子有限公司")
    assert first.event_uuid == second.event_uuid
    assert first.session_uuid != second.session_uuid


def test_other_day_is_another_event(tmp_path):
    store = open_store(tmp_path)
    first = booth.open_session(store, venue="一号饭堂", promoter="甲", date=dt.date(2026, 11, 24))
    second = booth.open_session(store, venue="一号饭堂", promoter="甲", date=dt.date(2026, 11, 25))
    assert first.event_uuid != second.event_uuid


def test_close_session_leaves_none_open(tmp_path):
    store = open_store(tmp_path)
    booth.open_session(store, venue="一号饭堂", promoter="甲")
    booth.close_session(store)
    assert booth.current_session(store) is None


@pytest.mark.parametrize(("venue", "promoter", "key"), [("", "甲", "session_venue_required"), ("饭堂", " ", "session_promoter_required")])
def test_venue_and_promoter_are_required(tmp_path, venue, promoter, key):
    store = open_store(tmp_path)
    with pytest.raises(StationError) as err:
        booth.open_session(store, venue=venue, promoter=promoter)
    assert err.value.key == key


def test_union_comes_from_the_enterprise_when_not_given(tmp_path):
    store = open_store(tmp_path)
    booth.open_session(store, venue="饭堂", promoter="甲", enterprise="东莞市长安电子有限公司", union="长安电子工会")
    info = booth.open_session(store, venue="宿舍", promoter="甲", enterprise="东莞市长安电子有限公司")
    assert info.union == "长安电子工会"
