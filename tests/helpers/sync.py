"""A station with a day's work on it, for the sync tests: sign-ups, check-ins, draws, posters, audit entries.

Rows are written the way the station's own code writes them (encrypted ID
numbers and mobiles, real draws through station/draw/service.py, audit entries
through station/security/audit.py), in bulk so a few thousand sign-ups take well
under a second.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from sqlalchemy import insert, select

from station.draw import service as draw
from station.people.idnumber import check_digit
from station.people.names import initials
from station.security import audit, protect
from station.store.database import Store
from station.store.models import (
    CheckIn,
    Enterprise,
    Event,
    Member,
    Poster,
    Registration,
    Union,
)

DAY = dt.date(2026, 11, 25)


def unique_id(n: int) -> str:
    """A valid ID number, different for every n below 10 million."""
    seq, k = n % 1000, n // 1000
    day, k = k % 28 + 1, k // 28
    month, k = k % 12 + 1, k // 12
    base = f"441900{1960 + k % 40:04d}{month:02d}{day:02d}{seq:03d}"
    return base + check_digit(base)


def _org(s, store: Store) -> tuple[int, int]:
    union = s.scalars(select(Union).where(Union.name == "大朗毛织工会")).first()
    if union is None:
        union = Union(name="大朗毛织工会")
        s.add(union)
        s.flush()
    ent = s.scalars(select(Enterprise).where(Enterprise.name == "东莞大朗毛织有限公司")).first()
    if ent is None:
        ent = Enterprise(name="东莞大朗毛织有限公司", union_id=union.id)
        s.add(ent)
        s.flush()
    return ent.id, union.id


def add_event(store: Store, name: str = "大朗毛织午间摊位", kind: str = "booth") -> Event:
    with store.session() as s:
        ent, union = _org(s, store)
        ev = Event(kind=kind, name=name, date=DAY, venue="一号饭堂", host_enterprise_id=ent, host_union_id=union,
                   created_at=dt.datetime(2026, 11, 25, 3, 0, 0))
        s.add(ev)
        s.commit()
        return ev


def add_signups(store: Store, operator, event: Event, count: int, *, start: int = 0) -> list[str]:
    """`count` sign-ups at `event` (new members), encrypted like signup.register writes them; their uuids."""
    cipher = operator.cipher
    station = store.identity
    with store.session() as s:
        ent, union = _org(s, store)
        members = []
        for n in range(start, start + count):
            number, phone = unique_id(n), f"138{n % 100_000_000:08d}"
            members.append({"name": "张三丰" if n % 2 else "李小梅", "initials": initials("张三丰" if n % 2 else "李小梅"),
                            "enterprise_id": ent, "union_id": union, "on_roster": False,
                            **protect.member_fields(cipher, number, phone)})
        s.execute(insert(Member), members)
        ids = [m.id for m in s.execute(select(Member.id).order_by(Member.id.desc()).limit(count))][::-1]
        regs = []
        base = dt.datetime(2026, 11, 25, 4, 0, 0)
        for i, (mid, n) in enumerate(zip(ids, range(start, start + count))):
            ru = str(uuid.uuid4())
            regs.append({"uuid": ru, "member_id": mid, "event_id": event.id, "name": members[i]["name"],
                         "enterprise_id": ent, "union_id": union, "outcome": "new", "consent_version": "1",
                         "source": "booth", "station_uuid": station.uuid, "station_name": station.name,
                         "created_at": base + dt.timedelta(seconds=n, microseconds=123),
                         **protect.registration_fields(cipher, ru, f"138{n % 100_000_000:08d}")})
        s.execute(insert(Registration), regs)
        s.commit()
    return [r["uuid"] for r in regs]


def add_checkins(store: Store, event: Event, count: int, *, seed: int = 1) -> list[str]:
    if not count:
        return []
    rng = random.Random(seed)
    station = store.identity
    rows = []
    for n in range(count):
        admitted = rng.random() < 0.8
        rows.append({"uuid": str(uuid.uuid4()), "event_id": event.id, "station_uuid": station.uuid,
                     "station_name": station.name, "operator": "陈小燕", "source": rng.choice(["camera", "wedge", "manual"]),
                     "verdict": "pass" if admitted else "refuse", "reason": None if admitted else "already",
                     "admitted": admitted, "platform_id": 1000 + n, "key_id": "0a1b2c3d",
                     "code_sha": f"{rng.getrandbits(64):016x}",
                     "created_at": dt.datetime(2026, 11, 25, 10, 0, 0) + dt.timedelta(seconds=n)})
    with store.session() as s:
        s.execute(insert(CheckIn), rows)
        s.commit()
    return [r["uuid"] for r in rows]


def add_draws(store: Store, operator, event: Event, draws: int = 3, per_draw: int = 5, *, seed: int = 7):
    prize = draw.add_prize(store, event.uuid, "电影票", draws * per_draw + 5)
    rng = random.Random(seed)
    return [draw.run_draw(store, event.uuid, prize.uuid, per_draw, operator=operator, rng=rng) for _ in range(draws)]


def add_posters(store: Store, count: int) -> list[str]:
    if not count:
        return []
    station = store.identity
    with store.session() as s:
        ent, union = _org(s, store)
        rows = [{"code": f"P{n:05d}", "enterprise_id": ent, "union_id": union, "template": "a4", "campaign": "2026冬",
                 "placement": "canteen", "hang_date": DAY, "url": f"https://ygh.example.cn/s?p=P{n:05d}",
                 "title": "扫码入会", "file_path": f"/tmp/P{n:05d}.pdf", "module_um": 1200,
                 "station_uuid": station.uuid} for n in range(count)]
        s.execute(insert(Poster), rows)
        s.commit()
    return [r["code"] for r in rows]


def add_audit(store: Store, operator, count: int) -> None:
    for n in range(count):
        audit.append(store, "setting", operator=operator.name, target=f"test.{n}", details={"n": n},
                     cipher=operator.cipher)


def day_of_work(store: Store, operator, *, signups: int = 200, checkins: int = 100, draws: int = 3,
                posters: int = 10, audits: int = 20) -> Event:
    ev = add_event(store)
    add_signups(store, operator, ev, signups)
    add_checkins(store, ev, checkins)
    if draws:
        add_draws(store, operator, ev, draws)
    add_posters(store, posters)
    add_audit(store, operator, audits)
    return ev
