"""已登记 at another booth of the event: the sign-ups live sync brought from the other stations.

A worker signed up at booth A comes to booth B: B's own registrations do not
know them, but the peer table (station/store/peers.py, filled by
station/sync/live.py) holds A's sign-up by the blind index of the ID number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.store.models import Event
from station.store.peers import PeerRegistration


@dataclass(frozen=True)
class PeerSignup:
    at: dt.datetime  # UTC, as stored
    event_name: str
    venue: str
    station_name: str
    outcome: str


def earliest(s: Session, id_bidx: bytes) -> PeerSignup | None:
    """The first sign-up of this person at another station, or None."""
    row = s.execute(
        select(PeerRegistration.created_at, PeerRegistration.station_name, PeerRegistration.outcome,
               Event.name, Event.venue)
        .outerjoin(Event, Event.uuid == PeerRegistration.event_uuid)
        .where(PeerRegistration.id_bidx == id_bidx)
        .order_by(PeerRegistration.created_at)
        .limit(1)
    ).first()
    if row is None:
        return None
    return PeerSignup(row[0], row[3] or "", row[4] or "", row[1], row[2])
