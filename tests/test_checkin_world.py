"""A small world for the e-card tests: a store, a platform key it trusts, events, codes.

Imported by tests/test_ecard*.py, test_checkin*.py, test_scan*.py and
test_ui_scan*.py; it holds no tests itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from station.checkin import ecard
from station.checkin.events import EventDraft, EventInfo, create_event
from station.checkin.service import CheckinService, holder_for_member
from station.checkin.trust_store import TrustStore
from station.people.names import initials
from station.security import protect
from station.store.clock import now_utc
from station.store.models import Member
from station.store.orgs import enterprise_by_name, union_by_name

UNION_A = "东莞市大朗毛织有限公司工会委员会"
ENTERPRISE_A = "东莞市大朗毛织有限公司"
UNION_B = "湛江市赤坎区环卫工会"


class FakeClock:
    """Wall time (naive UTC) and a monotonic clock the test moves by hand."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or now_utc().replace(microsecond=0)
        self.mono = 1000.0

    def __call__(self) -> dt.datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)
        self.mono += seconds


@dataclass
class World:
    store: object
    operator: object = None  # an OperatorSession: it checks at the door; roster members are encrypted under its key
    key: object = field(default_factory=ecard.generate_key)
    clock: FakeClock = field(default_factory=FakeClock)
    next_member: int = 500_000_001

    def __post_init__(self) -> None:
        self.trust = TrustStore(self.store)
        self.trust.add(self.key.public_key(), label="platform 2026")

    def event(self, **kw) -> EventInfo:
        kw.setdefault("kind", "screening")
        kw.setdefault("name", "《长津湖》观影")
        kw.setdefault("venue", "南粤院线东城店 3 号厅")
        return create_event(self.store, EventDraft(**kw))

    def token(self, member: int | None = None, *, union: str = UNION_A, name: str = "张三", key=None,
              issued_at: dt.datetime | None = None, valid: dt.timedelta = dt.timedelta(hours=12),
              status: str = "active") -> str:
        if member is None:
            member = self.next_member
            self.next_member += 1
        return ecard.issue(key or self.key, member=member, union=union, name=name, status=status,
                           issued_at=issued_at or self.clock.now - dt.timedelta(minutes=5), valid_for=valid)

    def service(self, event: EventInfo, **kw) -> CheckinService:
        """The door for ``event``, checking as ``operator`` (the world's logged-in operator unless given)."""
        kw.setdefault("operator", self.operator)
        return CheckinService(self.store, event.id, clock=self.clock, monotonic=self.clock.monotonic,
                              trust=self.trust, **kw)

    def roster_member(self, name: str, id_number: str, *, enterprise: str | None = None, union: str | None = None,
                      phone: str | None = None) -> tuple[int, int]:
        """A member on the local roster with a platform id: (member_id, platform_id)."""
        with self.store.session() as s:
            u = union_by_name(s, union) if union else None
            ent = enterprise_by_name(s, enterprise, u) if enterprise else None
            m = Member(name=name, initials=initials(name), on_roster=True,
                       enterprise_id=ent.id if ent else None, union_id=u.id if u else None,
                       **protect.member_fields(self.operator.cipher, id_number, phone))
            s.add(m)
            s.commit()
            member_id = m.id
        return member_id, holder_for_member(self.store, member_id)
