"""The booth prize draw: fair, one prize per person per event, stock kept, re-checkable, voids audited."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from sqlalchemy import select, update

from station.cli import main as cli
from station.draw import rules
from station.draw import service as draw
from station.errors import StationError
from station.security import audit, protect
from station.store.models import Draw, Event, Member, Registration, new_uuid


class Nth:
    """A stand-in for SystemRandom that picks the entries at the given positions of the sorted pool."""

    def __init__(self, *positions: int) -> None:
        self.positions = positions

    def sample(self, population, k):
        return [population[i] for i in self.positions[:k]]


def add_event(store, name: str = "长安电子摊位") -> Event:
    with store.session() as s:
        ev = Event(kind="booth", name=name, date=dt.date(2026, 11, 25), venue="一号饭堂")
        s.add(ev)
        s.commit()
        return ev


_serial = iter(range(1, 1_000_000))


def add_signup(store, operator, event: Event, name: str = "张三丰", outcome: str = "roster",
               member: Member | None = None) -> Registration:
    """A sign-up written directly (fast); ``.phone`` on the result is the clear mobile, for assertions."""
    n = next(_serial)
    phone = f"138{n:08d}"
    ident = store.identity
    with store.session() as s:
        if member is None:
            member = Member(name=name, initials="zsf", on_roster=outcome == "roster",
                            **protect.member_fields(operator.cipher, f"4419001980{n:08d}", phone))
            s.add(member)
            s.flush()
        reg_uuid = new_uuid()
        r = Registration(uuid=reg_uuid, member_id=member.id, event_id=event.id, name=name,
                         outcome=outcome, consent_version="v1", station_uuid=ident.uuid, station_name=ident.name,
                         **protect.registration_fields(operator.cipher, reg_uuid, phone))
        s.add(r)
        s.commit()
        r.member = member
        r.phone = phone
        return r


@pytest.fixture
def booth(store, organizer):
    """An event with five sign-ups (three 在册, two new) and a prize with 10 in stock."""
    ev = add_event(store)
    regs = [add_signup(store, organizer, ev, f"工人{i}号", "roster" if i < 3 else "new") for i in range(5)]
    prize = draw.add_prize(store, ev.id, "电影票", 10)
    return ev, regs, prize


# -- fairness ----------------------------------------------------------------------------


def test_every_entry_can_win(store, organizer) -> None:
    won = set()
    for i in range(4):
        ev = add_event(store, f"摊位{i}")
        regs = [add_signup(store, organizer, ev, f"工人{j}号") for j in range(4)]
        draw.add_prize(store, ev.id, "话费", 1)
        res = draw.run_draw(store, ev.id, "话费", rng=Nth(i), operator=organizer)
        assert res.winners[0].registration_uuid == sorted(r.uuid for r in regs)[i]
        won.add(i)
    assert won == {0, 1, 2, 3}


def test_pick_is_uniform_and_without_replacement() -> None:
    entries = [f"u{i}" for i in range(4)]
    tally: Counter[str] = Counter()
    for _ in range(4000):
        two = rules.pick(entries, 2)
        assert len(set(two)) == 2
        tally.update(two)
    # Each entry is expected in half the draws (2000); 5 sigma of a binomial(4000, 0.5) is about 160.
    assert set(tally) == set(entries)
    assert all(abs(c - 2000) < 160 for c in tally.values()), tally


def test_a_real_draw_uses_secrets_and_reaches_everyone(store, organizer) -> None:
    ev = add_event(store)
    regs = [add_signup(store, organizer, ev, f"工人{j}号") for j in range(3)]
    first = Counter()
    for _ in range(60):
        uuid = rules.pick([r.uuid for r in regs], 1)[0]
        first[uuid] += 1
    assert set(first) == {r.uuid for r in regs}


# -- one prize per person, stock ------------------------------------------------------


def test_nobody_wins_twice_per_event(store, booth, organizer) -> None:
    ev, regs, _ = booth
    draw.add_prize(store, ev.id, "礼品", 10)
    a = draw.run_draw(store, ev.id, "电影票", 3, operator=organizer)
    b = draw.run_draw(store, ev.id, "礼品", 2, operator=organizer)
    won = [w.registration_uuid for w in a.winners + b.winners]
    assert sorted(won) == sorted(r.uuid for r in regs)
    with pytest.raises(StationError) as exc:
        draw.run_draw(store, ev.id, "礼品", operator=organizer)
    assert exc.value.key == "draw_no_entries"


def test_a_second_signup_of_the_same_person_is_not_a_second_ticket(store, organizer) -> None:
    ev = add_event(store)
    first = add_signup(store, organizer, ev, "李四")
    add_signup(store, organizer, ev, "李四", member=first.member)
    draw.add_prize(store, ev.id, "电影票", 5)
    assert draw.run_draw(store, ev.id, "电影票", operator=organizer).entries == 1
    with pytest.raises(StationError) as exc:
        draw.run_draw(store, ev.id, "电影票", operator=organizer)
    assert exc.value.key == "draw_no_entries"


def test_stock_is_decremented_and_out_of_stock_is_refused(store, booth, organizer) -> None:
    ev, _, _ = booth
    draw.add_prize(store, ev.id, "话费", 2)
    draw.run_draw(store, ev.id, "话费", 2, operator=organizer)
    assert [p.remaining for p in draw.list_prizes(store, ev.id) if p.name == "话费"] == [0]
    with pytest.raises(StationError) as exc:
        draw.run_draw(store, ev.id, "话费", operator=organizer)
    assert exc.value.key == "draw_out_of_stock"


def test_a_refused_draw_writes_nothing_and_keeps_the_stock(store, booth, organizer) -> None:
    ev, _, _ = booth
    before = audit.count(store)
    with pytest.raises(StationError) as exc:
        draw.run_draw(store, ev.id, "电影票", 6, operator=organizer)
    assert exc.value.key == "draw_too_few_entries"
    assert draw.list_prizes(store, ev.id)[0].remaining == 10
    assert audit.count(store) == before
    with store.session() as s:
        assert s.scalars(select(Draw)).first() is None


def test_unknown_event_and_prize_are_refused(store, booth, organizer) -> None:
    ev, _, _ = booth
    with pytest.raises(StationError) as exc:
        draw.run_draw(store, "没有这个活动", "电影票", operator=organizer)
    assert exc.value.key == "event_not_found"
    with pytest.raises(StationError) as exc:
        draw.run_draw(store, ev.id, "汽车", operator=organizer)
    assert exc.value.key == "draw_prize_not_found"


def test_events_are_found_by_id_uuid_or_name(store, booth) -> None:
    ev, _, _ = booth
    for ref in (ev.id, ev.uuid, ev.name):
        assert [p.name for p in draw.list_prizes(store, ref)] == ["电影票"]


# -- filters ------------------------------------------------------------------------


@pytest.mark.parametrize(("only", "expected"), [("roster", 3), ("new", 2)])
def test_only_roster_or_only_new_narrows_the_entries(store, booth, only, expected, organizer) -> None:
    ev, regs, _ = booth
    res = draw.run_draw(store, ev.id, "电影票", expected, only=only, operator=organizer)
    assert res.entries == expected
    assert {w.outcome for w in res.winners} == {only}
    assert {w.registration_uuid for w in res.winners} == {r.uuid for r in regs if r.outcome == only}


# -- hash and verification ------------------------------------------------------------


def test_the_stored_hash_rechecks(store, booth, organizer) -> None:
    ev, regs, _ = booth
    res = draw.run_draw(store, ev.id, "电影票", 2, operator=organizer)
    assert res.entries_sha256 == rules.entries_digest([r.uuid for r in regs])
    v = draw.verify_draw(store, res.draw_id)
    assert v.ok and v.entries == 5 and v.actual_sha256 == res.entries_sha256
    assert draw.verify_draw(store, res.draw_uuid).ok


def test_a_tampered_entry_list_fails_verification(store, booth, organizer) -> None:
    ev, _, _ = booth
    res = draw.run_draw(store, ev.id, "电影票", operator=organizer)
    with store.session() as s:
        d = s.get(Draw, res.draw_id)
        entries = json.loads(d.entries)
        s.execute(update(Draw).where(Draw.id == d.id).values(entries=json.dumps([*entries[:-1], "someone-else"])))
        s.commit()
    v = draw.verify_draw(store, res.draw_id)
    assert not v.ok and v.stored_sha256 != v.actual_sha256


def test_a_winner_missing_from_the_entry_list_fails_verification(store, booth, organizer) -> None:
    ev, _, _ = booth
    res = draw.run_draw(store, ev.id, "电影票", operator=organizer)
    won = res.winners[0].registration_uuid
    with store.session() as s:
        d = s.get(Draw, res.draw_id)
        kept = [u for u in json.loads(d.entries) if u != won]
        d.entries, d.entries_sha256 = json.dumps(kept), rules.entries_digest(kept)
        s.commit()
    v = draw.verify_draw(store, res.draw_id)
    assert v.stored_sha256 == v.actual_sha256 and not v.winners_in_entries and not v.ok


# -- masking, audit, void and redraw --------------------------------------------------


def test_winners_are_masked(store, organizer) -> None:
    ev = add_event(store)
    r = add_signup(store, organizer, ev, "张三丰")
    draw.add_prize(store, ev.id, "礼品", 1)
    w = draw.run_draw(store, ev.id, "礼品", operator=organizer).winners[0]
    assert (w.name_masked, w.phone_tail) == ("张*丰", r.phone[-4:])
    assert "张三丰" not in json.dumps(w.as_json(), ensure_ascii=False)
    assert r.phone not in json.dumps(w.as_json())


def test_draws_are_audited_with_uuids_only(store, booth, organizer) -> None:
    ev, regs, _ = booth
    res = draw.run_draw(store, ev.id, "电影票", 2, operator=organizer)
    e = audit.entries(store, limit=1)[0]
    assert (e.action, e.target) == ("draw.run", res.draw_uuid)
    details = json.loads(e.details)
    assert details["winners"] == [w.registration_uuid for w in res.winners]
    assert details["entries_sha256"] == res.entries_sha256
    text = e.details
    assert not any(r.name in text or r.phone in text for r in regs)
    assert audit.verify(store) == []


def test_void_and_redraw_excludes_the_voided_person_and_is_audited(store, booth, organizer) -> None:
    ev, regs, _ = booth
    res = draw.run_draw(store, ev.id, "电影票", 4, rng=Nth(0, 1, 2, 3), operator=organizer)
    absent = res.winners[0]
    out = draw.void_win(store, absent.win_id, "未到场", redraw=True, operator=organizer)
    assert out.redraw is not None and len(out.redraw.winners) == 1
    left = sorted(r.uuid for r in regs)[4]
    assert out.redraw.winners[0].registration_uuid == left
    assert out.redraw.entries == 1 and out.redraw.redraw_of == absent.win_id
    assert draw.list_prizes(store, ev.id)[0].remaining == 10 - 4
    current = {w.registration_uuid for w in draw.winners(store, ev.id, organizer)}
    assert absent.registration_uuid not in current and len(current) == 4
    actions = [e.action for e in audit.entries(store, limit=3)]
    assert actions[:2] == ["draw.redraw", "draw.void"]
    void_entry = audit.entries(store, limit=2)[1]
    assert json.loads(void_entry.details)["registration"] == absent.registration_uuid
    # The voided person is out of this event's later draws too.
    with pytest.raises(StationError) as exc:
        draw.run_draw(store, ev.id, "电影票", operator=organizer)
    assert exc.value.key == "draw_no_entries"


def test_void_without_redraw_gives_the_prize_back(store, booth, organizer) -> None:
    ev, _, _ = booth
    res = draw.run_draw(store, ev.id, "电影票", operator=organizer)
    out = draw.void_win(store, res.winners[0].win_uuid, "未到场", operator=organizer)
    assert out.redraw is None
    assert draw.list_prizes(store, ev.id)[0].remaining == 10


def test_voiding_an_unknown_or_voided_win_is_refused(store, booth, organizer) -> None:
    ev, _, _ = booth
    with pytest.raises(StationError) as exc:
        draw.void_win(store, 999, "未到场", operator=organizer)
    assert exc.value.key == "draw_win_not_found"
    win = draw.run_draw(store, ev.id, "电影票", operator=organizer).winners[0].win_id
    draw.void_win(store, win, "未到场", operator=organizer)
    with pytest.raises(StationError) as exc:
        draw.void_win(store, win, "未到场", operator=organizer)
    assert exc.value.key == "draw_win_already_voided"


def test_a_refused_redraw_leaves_the_win_in_place(store, organizer) -> None:
    ev = add_event(store)
    add_signup(store, organizer, ev, "王五")
    draw.add_prize(store, ev.id, "礼品", 2)
    win = draw.run_draw(store, ev.id, "礼品", operator=organizer).winners[0].win_id
    with pytest.raises(StationError) as exc:
        draw.void_win(store, win, "未到场", redraw=True, operator=organizer)
    assert exc.value.key == "draw_no_entries"
    assert [w.win_id for w in draw.winners(store, ev.id, organizer)] == [win]
    assert draw.list_prizes(store, ev.id)[0].remaining == 1


# -- CLI ---------------------------------------------------------------------------------


@pytest.fixture
def run(store, data_dir, capsys, organizer, monkeypatch):
    """The organizer at the command line: --operator, the secret in STATION_SECRET."""
    monkeypatch.setenv("STATION_SECRET", ORGANIZER_SECRET)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["--data-dir", str(data_dir), "--operator", ORGANIZER, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_prizes_run_void_verify_json(run, store, organizer) -> None:
    ev = add_event(store)
    for i in range(3):
        add_signup(store, organizer, ev, f"工人{i}号", "roster" if i else "new")
    code, out, _ = run("draw", "prizes", "add", "--event", ev.name, "--name", "电影票", "--stock", "3", "--json")
    assert code == 0 and json.loads(out)["remaining"] == 3
    code, out, _ = run("draw", "run", "--event", str(ev.id), "--prize", "电影票", "--count", "1", "--only", "roster",
                       "--json")
    assert code == 0
    res = json.loads(out)
    assert res["entries"] == 2 and len(res["winners"]) == 1 and "*" in res["winners"][0]["name"]
    code, out, _ = run("draw", "void", "--win", str(res["winners"][0]["win_id"]), "--reason", "未到场", "--redraw",
                       "--json")
    assert code == 0 and json.loads(out)["redraw"]["entries"] == 1
    code, out, _ = run("draw", "verify", "--draw", str(res["draw_id"]), "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = run("draw", "prizes", "list", "--event", ev.uuid, "--json")
    assert code == 0 and json.loads(out)[0]["remaining"] == 2


def test_cli_text_output_shows_masked_winners(run, store, organizer) -> None:
    ev = add_event(store)
    add_signup(store, organizer, ev, "张三丰")
    run("draw", "prizes", "add", "--event", ev.name, "--name", "礼品", "--stock", "1")
    code, out, _ = run("draw", "run", "--event", ev.name, "--prize", "礼品")
    assert code == 0 and "张*丰" in out and "张三丰" not in out


@pytest.mark.parametrize("args", [
    ("draw", "run", "--event", "没有", "--prize", "x"),
    ("draw", "run", "--event", "1", "--prize", "x", "--count", "0"),
    ("draw", "run", "--event", "1", "--prize", "x", "--only", "vip"),
    ("draw", "prizes", "add", "--event", "1", "--name", "票", "--stock", "-1"),
    ("draw", "void", "--win", "42", "--reason", "未到场"),
    ("draw", "verify", "--draw", "42"),
])
def test_cli_bad_input_exits_2(run, store, args) -> None:
    add_event(store)
    code, out, err = run(*args)
    assert code == 2 and err.strip() and not out


def test_cli_verify_of_a_tampered_draw_exits_2(run, store, booth, organizer) -> None:
    ev, _, _ = booth
    res = draw.run_draw(store, ev.id, "电影票", operator=organizer)
    with store.session() as s:
        s.execute(update(Draw).where(Draw.id == res.draw_id).values(entries="[]"))
        s.commit()
    code, _, err = run("draw", "verify", "--draw", res.draw_uuid)
    assert code == 2 and res.entries_sha256 in err
