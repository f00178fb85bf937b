"""The hub's live-sync face over real loopback HTTP, on SQLite and PostgreSQL (issue 15).

What one station of an event did reaches the others: their check-ins and sign-ups (never a
station's own), the events other stations made, a long poll that answers when something changed,
and how many other stations are live.
"""

from __future__ import annotations

import threading
import time

from test_hub_api import checkin_rec, event_rec, make_id, ok, push, reg_rec


def _pull(client, kind: str, cursor: int = 0, **params) -> dict:
    return ok(client.get(f"/v1/pull/{kind}", params={"cursor": cursor, **params}))


def test_a_check_in_and_a_sign_up_at_one_station_reach_the_other_and_not_itself(hub):
    _ua, cred_a = hub.enroll("一号门")
    _ub, cred_b = hub.enroll("二号门")
    with hub.client(cred_a) as a, hub.client(cred_b) as b:
        ev = event_rec(kind="screening", name="《热辣滚烫》专场")
        ok(push(a, "events", {"records": [ev]}))
        check = checkin_rec(ev["uuid"], 880001)
        ok(push(a, "checkins", {"records": [check]}))
        reg = reg_rec(ev["uuid"], 7, name="李四")
        ok(push(a, "registrations", {"records": [reg]}))

        got = _pull(b, "checkins")
        assert [i["uuid"] for i in got["items"]] == [check["uuid"]]
        item = got["items"][0]
        assert (item["station_name"], item["event_uuid"], item["admitted"], item["platform_id"]) == \
            ("一号门", ev["uuid"], True, 880001)
        assert item["created_at"] == "2026-11-28T10:40:00Z" and item["code_sha"] == check["code_sha"]
        regs = _pull(b, "registrations")["items"]
        assert [(r["id_number"], r["name"], r["station_name"]) for r in regs] == [(make_id(7), "李四", "一号门")]

        # The station's own rows are skipped, and its cursor moves past them all the same.
        own = _pull(a, "checkins")
        assert own["items"] == [] and own["next_cursor"] > 0 and own["more"] is False
        assert _pull(a, "checkins", own["next_cursor"])["items"] == []
        # Nothing new after the cursor.
        assert _pull(b, "checkins", got["next_cursor"])["items"] == []

        # B's own admission goes to A, and B's cursor from before still sees only the new one.
        check_b = checkin_rec(ev["uuid"], 880002, created_at="2026-11-28T10:41:00Z")
        ok(push(b, "checkins", {"records": [check_b]}))
        assert [i["uuid"] for i in _pull(a, "checkins", own["next_cursor"])["items"]] == [check_b["uuid"]]
        assert _pull(b, "checkins", got["next_cursor"])["items"] == []
        # The same push again (a retry) adds nothing to the feed.
        ok(push(b, "checkins", {"records": [check_b]}))
        assert len(_pull(a, "checkins")["items"]) == 1


def test_the_feed_pages_by_limit_and_says_more(hub):
    _ua, cred_a = hub.enroll("一号门")
    _ub, cred_b = hub.enroll("二号门")
    with hub.client(cred_a) as a, hub.client(cred_b) as b:
        ev = event_rec(kind="screening")
        ok(push(a, "events", {"records": [ev]}))
        ok(push(a, "checkins", {"records": [checkin_rec(ev["uuid"], 900000 + n) for n in range(5)]}))
        first = _pull(b, "checkins", limit=3)
        assert len(first["items"]) == 3 and first["more"] is True
        rest = _pull(b, "checkins", first["next_cursor"], limit=3)
        assert len(rest["items"]) == 2 and rest["more"] is False
        assert {i["platform_id"] for i in first["items"] + rest["items"]} == set(range(900000, 900005))


def test_events_other_stations_made_come_with_scope_all_and_go_back_up_unchanged(hub):
    _ua, cred_a = hub.enroll("一号摊位")
    _ub, cred_b = hub.enroll("二号摊位")
    with hub.client(cred_a) as a, hub.client(cred_b) as b:
        ev = event_rec(name="天成物流午间摊位")
        ok(push(a, "events", {"records": [ev]}))
        assert ev["uuid"] not in [i["uuid"] for i in _pull(b, "events")["items"]]  # the day-end pull: hub events
        theirs = _pull(b, "events", scope="all")["items"]
        assert [(i["uuid"], i["name"]) for i in theirs] == [(ev["uuid"], "天成物流午间摊位")]
        assert _pull(a, "events", scope="all")["items"] == []  # its own
        # B pushes the event it learnt of (with its own stored time): known, not refused.
        back = ok(push(b, "events", {"records": [dict(ev, created_at="2026-11-25T05:00:00Z")]}))
        assert back["unchanged"] == [ev["uuid"]]
        # With other content it is still A's record, not B's to change.
        ok(push(b, "events", {"records": [dict(ev, venue="二号饭堂")]}), 403)
        # B's check-in for A's event is accepted and reaches A.
        ok(push(b, "checkins", {"records": [checkin_rec(ev["uuid"], 5)]}))
        assert len(_pull(a, "checkins")["items"]) == 1


def test_wait_answers_when_another_station_pushes_and_counts_live_stations(hub):
    _ua, cred_a = hub.enroll("一号门")
    _ub, cred_b = hub.enroll("二号门")
    with hub.client(cred_a) as a, hub.client(cred_b) as b:
        ev = event_rec(kind="screening")
        ok(push(a, "events", {"records": [ev]}))
        now = ok(b.get("/v1/wait", params={"cursor": 0, "timeout": 5}))
        assert now["changed"] is True and now["hub_seq"] > 0  # already past 0: at once
        quiet = ok(b.get("/v1/wait", params={"cursor": now["hub_seq"], "timeout": 0}))
        assert quiet["changed"] is False and quiet["hub_seq"] == now["hub_seq"]

        replies: list[tuple[dict, float]] = []

        def waiting() -> None:
            start = time.monotonic()
            r = b.get("/v1/wait", params={"cursor": now["hub_seq"], "timeout": 20})
            replies.append((ok(r), time.monotonic() - start))

        waiter = threading.Thread(target=waiting)
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive()  # it waits while nothing changes
        ok(push(a, "checkins", {"records": [checkin_rec(ev["uuid"], 1)]}))
        waiter.join(15)
        (reply, took), = replies
        assert reply["changed"] is True and reply["hub_seq"] > now["hub_seq"]
        assert took < 15  # woken by the push, not by the 20 s timeout

        # B has waited, so A sees one other live station; B sees none (A never waited).
        assert ok(a.get("/v1/status"))["stations_live"] == 1
        assert ok(b.get("/v1/status"))["stations_live"] == 0
        assert ok(a.get("/v1/status"))["live"] is True


def test_wait_refuses_bad_parameters_and_strangers(hub):
    _ua, cred = hub.enroll("一号门")
    with hub.client(cred) as c:
        assert ok(c.get("/v1/wait", params={"timeout": 30}), 422)["error"] == "invalid_request"
        assert ok(c.get("/v1/wait", params={"cursor": -1}), 422)["error"] == "invalid_request"
        assert ok(c.get("/v1/pull/checkins", params={"scope": "everything"}), 422)["error"] == "invalid_request"
    with hub.client("not-a-credential") as stranger:
        assert stranger.get("/v1/wait", params={"timeout": 0}).status_code == 401
        assert stranger.get("/v1/pull/checkins").status_code == 401


def test_an_event_that_allows_coming_back_in_says_so_to_the_other_stations(hub):
    _ua, cred_a = hub.enroll("一号门")
    _ub, cred_b = hub.enroll("二号门")
    with hub.client(cred_a) as a, hub.client(cred_b) as b:
        ev = event_rec(kind="screening", reentry=True)
        plain = event_rec(kind="screening")
        ok(push(a, "events", {"records": [ev, plain]}))
        got = {i["uuid"]: i["reentry"] for i in _pull(b, "events", scope="all")["items"]}
        assert got == {ev["uuid"]: True, plain["uuid"]: False}
        assert set(ok(push(a, "events", {"records": [ev, plain]}))["unchanged"]) == {ev["uuid"], plain["uuid"]}
        assert ok(push(a, "events", {"records": [dict(ev, reentry=False)]}), 409)["error"] == "conflict"
        # The other station sends it back as it learnt it: known; without the rule it is not its to change.
        assert ok(push(b, "events", {"records": [ev]}))["unchanged"] == [ev["uuid"]]
        ok(push(b, "events", {"records": [dict(ev, reentry=False)]}), 403)
