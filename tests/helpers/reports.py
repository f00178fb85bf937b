"""A hand-built roster for the planner and the day report: known sizes, statuses and sign-ups."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import insert

from station.demo.data import valid_id
from station.security.fieldcrypt import FieldCipher
from station.store.database import Store
from station.store.models import CheckIn, Enterprise, Event, Member, Registration, Union, new_uuid

_seq = itertools.count(1)


def local_as_utc(moment: dt.datetime) -> dt.datetime:
    """A naive local time as the naive UTC the store keeps."""
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


class RosterBuilder:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids: list[str] = []  # every ID number and phone written, to look for in files
        self.phones: list[str] = []
        self.cipher = FieldCipher.generate()  # stored as the station stores them: encrypted, blind-indexed
        with store.session() as s:
            ev = Event(name="长安电子摊位", date=dt.date(2026, 11, 25), venue="一号饭堂")
            s.add(ev)
            s.commit()
            self.event_id = ev.id

    def union(self, name: str) -> int:
        with self.store.session() as s:
            u = Union(name=name)
            s.add(u)
            s.commit()
            return u.id

    def enterprise(self, name: str, union_id: int | None, *, verified: int = 0, unverified: int = 0,
                   unknown: int = 0, signed_unverified: int = 0, new_signed: int = 0,
                   signed_at: dt.datetime | None = None) -> int:
        """Members on the roster by status; `signed_unverified` more of them unverified and signed up;
        `new_signed` applicants (not on the roster) signed up."""
        with self.store.session() as s:
            e = Enterprise(name=name, union_id=union_id)
            s.add(e)
            s.commit()
            rows = []
            for status, n in ((True, verified), (False, unverified), (None, unknown)):
                rows += [self._member(e.id, union_id, True, status)[0] for _ in range(n)]
            signed = [self._member(e.id, union_id, True, False) for _ in range(signed_unverified)]
            applicants = [self._member(e.id, union_id, False, None) for _ in range(new_signed)]
            if rows:
                s.execute(insert(Member), rows)
            for m, phone in signed + applicants:
                member = Member(**m)
                s.add(member)
                s.flush()
                uuid = new_uuid()
                phone_bidx, phone_tail_bidx = self.cipher.phone_indexes(phone)
                s.add(Registration(
                    uuid=uuid, member_id=member.id, event_id=self.event_id, name=member.name,
                    phone_enc=self.cipher.encrypt("registrations", "phone", phone, uuid), phone_bidx=phone_bidx,
                    phone_tail_bidx=phone_tail_bidx, enterprise_id=e.id, union_id=union_id,
                    outcome="roster" if member.on_roster else "new", consent_version="v1",
                    station_uuid="s", station_name="测试工作站",
                    created_at=signed_at or local_as_utc(dt.datetime(2026, 11, 25, 12, 30)),
                ))
            s.commit()
            return e.id

    def _member(self, eid: int, uid: int | None, on_roster: bool, verified: bool | None) -> tuple[dict, str]:
        n = next(_seq)
        number = valid_id("441900", dt.date(1990, 1, 1) + dt.timedelta(days=n // 900), n % 900 + 1)
        phone = f"139{n:08d}"
        self.ids.append(number)
        self.phones.append(phone)
        columns = self.cipher.member_columns(number, phone)
        columns.pop("phone_bidx")  # members have no exact phone index
        return dict(name="张小" + "三四五六七八九"[n % 7], initials="zx", enterprise_id=eid, union_id=uid,
                    on_roster=on_roster, verified=verified, **columns), phone

    def checkins(self, event_name: str, capacity: int | None, admitted: int, refused: int, at: dt.datetime) -> None:
        with self.store.session() as s:
            ev = Event(name=event_name, kind="screening", date=at.date(), venue="工人文化宫", capacity=capacity)
            s.add(ev)
            s.flush()
            for i in range(admitted + refused):
                s.add(CheckIn(event_id=ev.id, station_uuid="s", station_name="测试工作站", source="camera",
                              verdict="pass" if i < admitted else "refuse", admitted=i < admitted,
                              created_at=local_as_utc(at)))
            s.commit()


def build_known_roster(store: Store) -> RosterBuilder:
    """Two unions of eleven enterprises each and one enterprise with no union.

    工会甲: 甲厂 30 imported (10 verified, 5 unverified signed up, 15 unverified) + 2 applicants signed up,
    乙厂 20 unknown, 丙厂 25 (20 verified, 5 unverified), 填充1..7 (10..4, all verified), 末厂 3 unknown (11th).
    工会乙: 大1..大10 (211..202, all verified), 大11 201 unknown (11th, but > 200).
    无工会厂: 4 unknown.
    """
    b = RosterBuilder(store)
    ua = b.union("工会甲")
    b.enterprise("甲厂", ua, verified=10, unverified=15, signed_unverified=5, new_signed=2)
    b.enterprise("乙厂", ua, unknown=20)
    b.enterprise("丙厂", ua, verified=20, unverified=5)
    for i, size in enumerate(range(10, 3, -1), 1):
        b.enterprise(f"填充{i}", ua, verified=size)
    b.enterprise("末厂", ua, unknown=3)
    ub = b.union("工会乙")
    for i, size in enumerate(range(211, 201, -1), 1):
        b.enterprise(f"大{i}", ub, verified=size)
    b.enterprise("大11", ub, unknown=201)
    b.enterprise("无工会厂", None, unknown=4)
    return b
