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

from station.people import idnumber, mobile
from station.people.textnorm import clean_name, compact
from station.security import protect
from station.security.fieldcrypt import FieldCipher
from station.security.masking import mask_id, mask_name, mask_phone
from station.security.operators import OperatorSession
from station.store.clock import to_local
from station.store.database import Store
from station.store.models import Enterprise, Event, Member, Registration, Union

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


class _Plan:
    """How a query is answered: a WHERE clause on an index, and a check on the decrypted candidates.

    ID numbers and mobiles are stored encrypted, so digit queries go through
    the keyed blind indexes (exact ID, last four of phone and ID); anything
    an index cannot say exactly (a full phone, a 6-digit tail) is confirmed
    on the few candidates after decrypting them.
    """

    def __init__(self, where, id_suffix: str | None = None, phone_suffix: str | None = None,
                 reg_phone=None) -> None:
        self.where = where
        self.id_suffix = id_suffix  # candidates must have an ID ending so (or phone_suffix)
        self.phone_suffix = phone_suffix
        self.reg_phone = reg_phone  # WHERE on registrations: members found by the phone they gave


def member_filter(query: str, cipher: FieldCipher) -> _Plan | None:
    """The plan a query means, or None for an empty query."""
    q = compact(query).upper()
    if not q:
        return None
    bidx = cipher.blind_index
    if len(q) == 18 or (len(q) > 11 and q[:-1].isdigit()):
        number = idnumber.normalize(q)
        if len(number) != 18:
            return _Plan(Member.id == -1)
        return _Plan(Member.id_bidx == bidx("id", number))
    phone = mobile.normalize(q)
    if len(phone) == 11 and phone.isdigit():
        return _Plan(Member.phone_tail_bidx == bidx("phone_tail", phone[-4:]), phone_suffix=phone,
                     reg_phone=Registration.phone_bidx == bidx("phone", phone))
    if _TAIL.match(q):
        where = Member.id_tail_bidx == bidx("id_tail", q)
        if q.isdigit():
            where = or_(Member.phone_tail_bidx == bidx("phone_tail", q), where)
        return _Plan(where, id_suffix=q, phone_suffix=q if q.isdigit() else None,
                     reg_phone=Registration.phone_tail_bidx == bidx("phone_tail", q) if q.isdigit() else None)
    if q.isascii() and q.isalpha():
        return _Plan(_prefix_range(Member.initials, q.lower()))
    if q.isdigit():
        # Another length of digits: candidates by its last four, then the whole tail after decrypting.
        if len(q) <= 4:
            return None
        return _Plan(or_(Member.phone_tail_bidx == bidx("phone_tail", q[-4:]),
                         Member.id_tail_bidx == bidx("id_tail", q[-4:])),
                     id_suffix=q, phone_suffix=q)
    return _Plan(_prefix_range(Member.name, clean_name(query)))


def search(store: Store, query: str, operator: OperatorSession, limit: int = 50) -> list[Hit]:
    """Members (roster and new applicants) matching `query`, with their first sign-up."""
    operator.require("view_masked")
    cipher = operator.cipher
    plan = member_filter(query, cipher)
    if plan is None:
        return []
    confirm = plan.id_suffix is not None or plan.phone_suffix is not None
    # Sign-ups whose phone differs from the roster's are found by the phone they gave, too.
    reg_members = select(Registration.member_id).where(plan.reg_phone) if plan.reg_phone is not None else None
    cond = or_(plan.where, Member.id.in_(reg_members)) if reg_members is not None else plan.where
    stmt = (
        select(Member, Enterprise.name, Union.name)
        .outerjoin(Enterprise, Enterprise.id == Member.enterprise_id)
        .outerjoin(Union, Union.id == Member.union_id)
        .where(cond)
        .order_by(Member.name, Member.id)
    )
    # Tail indexes have ~1 in 10^4 false positives per row; fetch a little more, then confirm.
    stmt = stmt.limit(limit * 4 + 20 if confirm else limit)
    with store.session() as s:
        rows = s.execute(stmt).all()
        found = []
        for m, ent, uni in rows:
            number = protect.member_id_number(cipher, m)
            phone = protect.member_phone(cipher, m)
            found.append((m, ent, uni, number, phone))
        ids = [m.id for m, *_ in found]
        first: dict[int, tuple] = {}
        given: dict[int, list[str]] = {}
        if ids:
            regs = s.execute(
                select(Registration, Event.name)
                .join(Event, Event.id == Registration.event_id)
                .where(Registration.member_id.in_(ids))
                .order_by(Registration.created_at)
            )
            for r, ev in regs:
                first.setdefault(r.member_id, (to_local(r.created_at), ev, r.station_name))
                if confirm and plan.reg_phone is not None:
                    reg_phone = protect.registration_phone(cipher, r)
                    if reg_phone:
                        given.setdefault(r.member_id, []).append(reg_phone)
        hits = []
        for m, ent, uni, number, phone in found:
            if confirm and not _confirmed(plan, number, [phone, *given.get(m.id, [])]):
                continue
            at, ev, station = first.get(m.id, (None, None, None))
            hits.append(Hit(m.id, m.name, number, phone, ent, uni, m.on_roster, m.verified, at, ev, station))
            if len(hits) == limit:
                break
        return hits


def _confirmed(plan: _Plan, number: str, phones: list[str | None]) -> bool:
    if plan.id_suffix is not None and number.endswith(plan.id_suffix):
        return True
    return plan.phone_suffix is not None and any(p and p.endswith(plan.phone_suffix) for p in phones)
