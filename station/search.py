"""Find people on the roster and among sign-ups, the way promoters ask.

A query is read as what it looks like: 18 characters → an ID number;
11 digits → a mobile; 4 digits (or 3 + X) → the tail of a phone or an ID;
Latin letters → pinyin initials (zs → 张三); anything else → a name prefix.
Every branch uses an index: a roster holds up to 1.4 million members.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from station import idnumber, mobile
from station.clock import to_local
from station.masking import mask_id, mask_name, mask_phone
from station.models import Enterprise, Event, Member, Registration, Union
from station.store import Store
from station.textnorm import clean_name, compact

_TAIL = re.compile(r"^\d{3}[\dX]$")


@dataclass(frozen=True)
class Hit:
    member_id: int
    name: str
    id_number: str
    phone: str | None
    enterprise: str | None
    union: str | None
    on_roster: bool
    verified: bool | None
    signed_up_at: dt.datetime | None  # local time of the first sign-up
    signed_up_event: str | None
    signed_up_station: str | None

    def as_json(self, masked: bool = True) -> dict:
        return {
            "name": mask_name(self.name) if masked else self.name,
            "id_number": mask_id(self.id_number) if masked else self.id_number,
            "phone": mask_phone(self.phone) if masked else self.phone,
            "enterprise": self.enterprise,
            "union": self.union,
            "on_roster": self.on_roster,
            "verified": self.verified,
            "signed_up_at": self.signed_up_at.isoformat(timespec="seconds") if self.signed_up_at else None,
            "signed_up_event": self.signed_up_event,
            "signed_up_station": self.signed_up_station,
        }


def _prefix_range(column, prefix: str):
    # A range instead of LIKE so SQLite uses the index whatever the collation.
    return (column >= prefix) & (column < prefix + "\U0010ffff")


def member_filter(query: str):
    """The WHERE clause a query means, or None for an empty query."""
    q = compact(query).upper()
    if not q:
        return None
    if len(q) == 18 or (len(q) > 11 and q[:-1].isdigit()):
        number = idnumber.normalize(q)
        return Member.id_number == number
    phone = mobile.normalize(q)
    if len(phone) == 11 and phone.isdigit():
        return (Member.phone_tail == phone[-4:]) & (Member.phone == phone)
    if _TAIL.match(q):
        return or_(Member.phone_tail == q, Member.id_tail == q)
    if q.isascii() and q.isalpha():
        return _prefix_range(Member.initials, q.lower())
    if q.isdigit():
        # Another length of digits: match on its last four, then on the whole tail.
        return or_(
            (Member.phone_tail == q[-4:]) & Member.phone.endswith(q),
            (Member.id_tail == q[-4:]) & Member.id_number.endswith(q),
        ) if len(q) > 4 else None
    return _prefix_range(Member.name, clean_name(query))


def search(store: Store, query: str, limit: int = 50) -> list[Hit]:
    """Members (roster and new applicants) matching `query`, with their first sign-up."""
    where = member_filter(query)
    if where is None:
        return []
    # Sign-ups whose phone differs from the roster's are found by the phone they gave, too.
    q = mobile.normalize(compact(query))
    reg_members = None
    if q.isdigit() and len(q) in (4, 11):
        reg_members = select(Registration.member_id).where(Registration.phone_tail == q[-4:])
        if len(q) == 11:
            reg_members = reg_members.where(Registration.phone == q)
    cond = or_(where, Member.id.in_(reg_members)) if reg_members is not None else where
    stmt = (
        select(Member, Enterprise.name, Union.name)
        .outerjoin(Enterprise, Enterprise.id == Member.enterprise_id)
        .outerjoin(Union, Union.id == Member.union_id)
        .where(cond)
        .order_by(Member.name, Member.id)
        .limit(limit)
    )
    with store.session() as s:
        rows = s.execute(stmt).all()
        ids = [m.id for m, _, _ in rows]
        first: dict[int, tuple] = {}
        if ids:
            regs = s.execute(
                select(Registration.member_id, Registration.created_at, Event.name, Registration.station_name)
                .join(Event, Event.id == Registration.event_id)
                .where(Registration.member_id.in_(ids))
                .order_by(Registration.created_at)
            )
            for mid, at, ev, station in regs:
                first.setdefault(mid, (to_local(at), ev, station))
        hits = []
        for m, ent, uni in rows:
            at, ev, station = first.get(m.id, (None, None, None))
            hits.append(Hit(m.id, m.name, m.id_number, m.phone, ent, uni, m.on_roster, m.verified, at, ev, station))
        return hits
