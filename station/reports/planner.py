"""The enterprise table and the planner 下一步去哪儿 (where to go next).

Per enterprise: members imported by its union (在册, ``on_roster``), people
signed up here (a registration on this station's store), verified ones
(实名认证, ``verified`` true) and the verification rate (认证率 =
verified / imported).

The seed's rule (Dongguan, 2020): focus on each town's ten largest
enterprises and on every enterprise with more than 200 imported members.
The store keeps no town, so the grouping is the enterprise's **union**
(an enterprise without a union is in one group of its own kind: "no union").
With the usual one grassroots union per enterprise every enterprise is in
its union's top ten, so then every enterprise is a candidate; when a town or
federation union is stored as the enterprises' union the rule bites as meant.

Candidates are ranked by ``reachable``: on-roster members not known to be
verified (``verified`` false or still unknown) who have not signed up here —
the people a visit could still reach.

Everything is one aggregate query (members GROUP BY enterprise, a window
for the rank inside a union).  ``NOT INDEXED`` on purpose: walking the
enterprise index fetches every member row at random (1.4 s on 1,000,000
members); one sequential scan and a 300-row sort take 0.5 s.
bench/bench_planner.py measures it on a generated town roster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from station.store.database import Store
from station.store.models import EnterpriseSnapshot

TOP_PER_GROUP = 10
WEEK_DAYS = 7  # "change since last week": against the newest snapshot at least this old
LARGE_ENTERPRISE = 200  # more than this many imported members: always a candidate

_QUERY = text(
    """
    WITH signed AS (SELECT DISTINCT member_id FROM registrations),
    per_enterprise AS (
        SELECT m.enterprise_id AS eid,
               SUM(CASE WHEN m.on_roster = 1 THEN 1 ELSE 0 END) AS imported,
               SUM(CASE WHEN s.member_id IS NOT NULL THEN 1 ELSE 0 END) AS signed_up,
               SUM(CASE WHEN m.on_roster = 1 AND m.verified = 1 THEN 1 ELSE 0 END) AS verified,
               SUM(CASE WHEN m.on_roster = 1 AND m.verified IS NULL THEN 1 ELSE 0 END) AS unknown,
               SUM(CASE WHEN m.on_roster = 1 AND m.verified IS NOT 1 AND s.member_id IS NULL
                        THEN 1 ELSE 0 END) AS reachable
        FROM members AS m NOT INDEXED LEFT JOIN signed AS s ON s.member_id = m.id
        WHERE m.enterprise_id IS NOT NULL
        GROUP BY m.enterprise_id
    )
    SELECT e.id, e.name, e.union_id, u.name AS union_name,
           COALESCE(p.imported, 0), COALESCE(p.signed_up, 0), COALESCE(p.verified, 0),
           COALESCE(p.unknown, 0), COALESCE(p.reachable, 0),
           ROW_NUMBER() OVER (PARTITION BY COALESCE(e.union_id, -1)
                              ORDER BY COALESCE(p.imported, 0) DESC, e.id) AS size_rank
    FROM enterprises AS e
    LEFT JOIN unions AS u ON u.id = e.union_id
    LEFT JOIN per_enterprise AS p ON p.eid = e.id
    """
)


@dataclass(frozen=True)
class EnterpriseRow:
    enterprise_id: int
    enterprise: str
    union_id: int | None
    union: str | None
    imported: int  # on the roster (在册)
    signed_up: int  # members of this enterprise with a sign-up on this station
    verified: int  # on the roster and verified (实名认证)
    unknown: int  # on the roster, status not yet synced
    reachable: int  # on the roster, not known verified, not signed up here
    size_rank: int  # 1 = largest in its union by imported members
    candidate: bool  # the seed's rule picks it

    @property
    def verification_rate(self) -> float | None:
        """verified / imported; None when nothing is imported or no status is known yet (no sync)."""
        if self.imported == 0 or self.unknown == self.imported:
            return None
        return self.verified / self.imported

    def as_json(self) -> dict:
        out = asdict(self)
        out["verification_rate"] = self.verification_rate
        return out


def enterprise_table(store: Store) -> list[EnterpriseRow]:
    """Every enterprise with its figures, largest (imported) first."""
    with store.session() as s:
        rows = s.execute(_QUERY).all()
    table = [
        EnterpriseRow(
            enterprise_id=r[0], enterprise=r[1], union_id=r[2], union=r[3],
            imported=int(r[4]), signed_up=int(r[5]), verified=int(r[6]), unknown=int(r[7]),
            reachable=int(r[8]), size_rank=int(r[9]),
            candidate=int(r[9]) <= TOP_PER_GROUP or int(r[4]) > LARGE_ENTERPRISE,
        )
        for r in rows
    ]
    table.sort(key=lambda e: (-e.imported, e.enterprise_id))
    return table


def plan(table: list[EnterpriseRow], top: int | None = None) -> list[EnterpriseRow]:
    """The planner's list 下一步去哪儿: candidates by members a visit could reach, most first.

    Ties go to the larger enterprise, then the older record.  Candidates
    with nobody left to reach are left out.
    """
    picked = [e for e in table if e.candidate and e.reachable > 0]
    picked.sort(key=lambda e: (-e.reachable, -e.imported, e.enterprise_id))
    return picked[:top] if top else picked


def next_visits(store: Store, top: int | None = None) -> list[EnterpriseRow]:
    return plan(enterprise_table(store), top)


# -- change since last week -------------------------------------------------------------
#
# The store keeps no history of 实名认证 or sign-up counts, so the reports keep
# their own: a snapshot of every enterprise's figures, one per local day (the
# first computation of the day stands), compared with the newest snapshot that
# is at least a week old.


def _rate(verified: int, imported: int, unknown: int) -> float | None:
    if imported == 0 or unknown == imported:
        return None
    return verified / imported


@dataclass(frozen=True)
class WeekChange:
    """The change of one enterprise's figures since the snapshot of ``since``."""

    since: dt.date
    signed_up: int  # more (or fewer) people signed up here
    verified: int | None  # None while no 实名认证 status is known on either day (no sync yet)
    rate: float | None  # change of the verification rate, as a fraction (0.05 = +5 points)


@dataclass
class Overview:
    """The enterprise table with each enterprise's change since last week."""

    day: dt.date
    table: list[EnterpriseRow]
    changes: dict[int, WeekChange] = field(default_factory=dict)  # enterprise id -> change
    compared_with: dt.date | None = None  # the snapshot day compared with; None: none a week old yet
    first_snapshot: dt.date | None = None  # the oldest snapshot kept (today's when this is the first)

    def change(self, enterprise_id: int) -> WeekChange | None:
        return self.changes.get(enterprise_id)


def record_snapshot(store: Store, table: list[EnterpriseRow], day: dt.date) -> int:
    """Keep the table's figures as ``day``'s snapshot unless that day already has one; rows written."""
    if not table:
        return 0
    rows = [{"enterprise_id": e.enterprise_id, "day": day, "imported": e.imported, "signed_up": e.signed_up,
             "verified": e.verified, "unknown": e.unknown} for e in table]
    with store.session() as s:
        if s.scalar(select(EnterpriseSnapshot.id).where(EnterpriseSnapshot.day == day).limit(1)) is not None:
            return 0
        s.execute(sqlite_insert(EnterpriseSnapshot).on_conflict_do_nothing(), rows)
        s.commit()
        return len(rows)


def week_changes(store: Store, table: list[EnterpriseRow], day: dt.date) -> Overview:
    """The change of each enterprise since the newest snapshot at least a week before ``day``."""
    out = Overview(day=day, table=table)
    with store.session() as s:
        out.first_snapshot = s.scalar(select(func.min(EnterpriseSnapshot.day)))
        then = s.scalar(select(func.max(EnterpriseSnapshot.day))
                        .where(EnterpriseSnapshot.day <= day - dt.timedelta(days=WEEK_DAYS)))
        if then is None:
            return out
        out.compared_with = then
        old = {snap.enterprise_id: snap for snap in s.scalars(select(EnterpriseSnapshot).where(EnterpriseSnapshot.day == then))}
    for e in table:
        snap = old.get(e.enterprise_id)
        if snap is None:
            continue
        before = _rate(snap.verified, snap.imported, snap.unknown)
        now = e.verification_rate
        known = snap.unknown < snap.imported and e.unknown < e.imported
        out.changes[e.enterprise_id] = WeekChange(
            since=then, signed_up=e.signed_up - snap.signed_up,
            verified=(e.verified - snap.verified) if known else None,
            rate=(now - before) if now is not None and before is not None else None,
        )
    return out


def overview(store: Store, day: dt.date, *, snapshot: bool = True) -> Overview:
    """The enterprise table, today's snapshot kept (once a day), and the change since last week."""
    table = enterprise_table(store)
    if snapshot:
        record_snapshot(store, table, day)
    return week_changes(store, table, day)
