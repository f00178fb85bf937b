"""What the door could not know in time: a card admitted at two doors (issue 15).

While the link between the doors is down each door decides alone, so one
code shown at two doors gets in at both.  When the link returns the hub
raises a ``double_admission`` flag (docs/sync-protocol.md) and every door
involved pulls it; this reads those flags for one event with the doors and
times of the admissions this station knows, for the 核验 screen.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from station.store.database import Store
from station.store.models import CheckIn, Event, SyncFlag
from station.store.peers import PeerCheckIn


@dataclass(frozen=True)
class DoorFlag:
    platform_id: int
    masked_name: str | None  # from this station's own check-in of the card, when it has one
    admissions: tuple[tuple[str, dt.datetime], ...]  # (door, naive UTC) this station knows, oldest first
    count: int  # admissions in all, as the hub counted them


def double_admissions(store: Store, event_id: int) -> list[DoorFlag]:
    """The event's cards admitted at more than one door, newest flag first."""
    with store.session() as s:
        event_uuid = s.scalar(select(Event.uuid).where(Event.id == event_id))
        flags = list(s.scalars(select(SyncFlag).where(SyncFlag.kind == "double_admission",
                                                      SyncFlag.event_uuid == event_uuid)
                               .order_by(SyncFlag.hub_seq.desc())))
        out = []
        for f in flags:
            try:
                platform_id = int(f.subject)
            except ValueError:
                continue
            rows = [(r.station_name, r.created_at, r.masked_name) for r in s.execute(
                select(CheckIn.station_name, CheckIn.created_at, CheckIn.masked_name)
                .where(CheckIn.event_id == event_id, CheckIn.platform_id == platform_id, CheckIn.admitted.is_(True)))]
            rows += [(r.station_name, r.created_at, None) for r in s.execute(
                select(PeerCheckIn.station_name, PeerCheckIn.created_at)
                .where(PeerCheckIn.event_id == event_id, PeerCheckIn.platform_id == platform_id,
                       PeerCheckIn.admitted.is_(True)))]
            try:
                counted = json.loads(f.detail or "{}").get("admissions")
            except ValueError:
                counted = None
            masked = next((m for _d, _a, m in rows if m), None)
            doors = tuple(sorted(((d, a) for d, a, _m in rows), key=lambda x: x[1]))
            out.append(DoorFlag(platform_id, masked, doors,
                                max(len(doors), counted if isinstance(counted, int) else 0)))
        return out
