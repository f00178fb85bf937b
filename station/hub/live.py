"""Live sync on the hub (issue 15): what one station of an event did, to the others within a second.

The day-end contract stays as it is; live sync adds (docs/sync-protocol.md, "Live sync"):

* ``hub_live_feed``: every check-in and sign-up a push accepts gets a change
  number; ``GET /v1/pull/checkins`` and ``/v1/pull/registrations`` return
  the OTHER stations' records after a cursor (a station has its own);
* events pushed by stations get a change number too, and
  ``GET /v1/pull/events?scope=all`` returns them beside the hub's own, so a
  booth one station opened is known at the others;
* ``GET /v1/wait?cursor=N&timeout=T`` answers as soon as the hub's change
  counter passes ``N`` (or after ``T`` seconds): a long poll, so a station
  learns of news at once without asking every second;
* ``hub_presence``: when each station last waited; ``stations_live`` in the
  replies counts the other stations seen in the last minute.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from station.hub import schemas as S
from station.hub.db import any_of, current_seq, next_seqs
from station.hub.models import CheckIn, Event, EventReentry, LiveFeed, Member, Presence, Registration, Station
from station.hub.service import iso, now_utc

LIVE_KINDS = ("checkins", "registrations")
PRESENT_FOR = dt.timedelta(seconds=60)  # a station that waited within this is "live"
MAX_WAIT = 25.0  # seconds: under the usual 30 s proxy and client timeouts
DEFAULT_WAIT = 20.0

_MODELS: dict[str, type[CheckIn] | type[Registration]] = {"checkins": CheckIn, "registrations": Registration}


def record(s: Session, kind: str, station: Station, uuids: Sequence[str]) -> None:
    """Give the records of ``kind`` just inserted under ``uuids`` their place in the live feed."""
    if not uuids:
        return
    model = _MODELS[kind]
    ids = list(s.scalars(select(model.id).where(any_of(s, model.uuid, uuids)).order_by(model.id)))
    first = next_seqs(s, len(ids))
    s.execute(insert(LiveFeed), [{"seq": first + i, "kind": kind, "record_id": rid, "station_id": station.id}
                                 for i, rid in enumerate(ids)])


def _checkin_items(s: Session, ids: dict[int, int]) -> dict[int, dict]:
    rows = s.execute(
        select(CheckIn, Station.uuid, Station.name, Event.uuid)
        .join(Station, Station.id == CheckIn.station_id).join(Event, Event.id == CheckIn.event_id)
        .where(any_of(s, CheckIn.id, list(ids)))
    ).all()
    return {ids[c.id]: {
        "seq": ids[c.id], "uuid": c.uuid, "event_uuid": ev_uuid, "station_uuid": st_uuid, "station_name": st_name,
        "operator": c.operator, "source": c.source, "verdict": c.verdict, "reason": c.reason, "detail": c.detail,
        "admitted": c.admitted, "platform_id": c.platform_id, "code_sha": c.code_sha, "created_at": iso(c.created_at),
    } for c, st_uuid, st_name, ev_uuid in rows}


def _registration_items(s: Session, ids: dict[int, int]) -> dict[int, dict]:
    rows = s.execute(
        select(Registration, Member.id_number, Station.uuid, Station.name, Event.uuid)
        .join(Member, Member.id == Registration.member_id).join(Station, Station.id == Registration.station_id)
        .join(Event, Event.id == Registration.event_id).where(any_of(s, Registration.id, list(ids)))
    ).all()
    return {ids[r.id]: {
        "seq": ids[r.id], "uuid": r.uuid, "event_uuid": ev_uuid, "station_uuid": st_uuid, "station_name": st_name,
        "id_number": id_number, "name": r.name, "outcome": r.outcome, "created_at": iso(r.created_at),
    } for r, id_number, st_uuid, st_name, ev_uuid in rows}


def pull(s: Session, station: Station, kind: str, cursor: int, limit: int) -> dict:
    """The other stations' check-ins or sign-ups after ``cursor``.

    ``next_cursor`` is the last feed row looked at, the station's own included,
    so it may lie beyond the last item: a station never asks for its own rows
    again."""
    scanned = s.execute(select(LiveFeed.seq, LiveFeed.record_id, LiveFeed.station_id)
                        .where(LiveFeed.kind == kind, LiveFeed.seq > cursor)
                        .order_by(LiveFeed.seq).limit(limit + 1)).all()
    more = len(scanned) > limit
    scanned = scanned[:limit]
    theirs = {rid: seq for seq, rid, sid in scanned if sid != station.id}
    found = (_checkin_items if kind == "checkins" else _registration_items)(s, theirs) if theirs else {}
    items = [found[seq] for seq in sorted(found)]
    return {"ok": True, "protocol": S.PROTOCOL, "kind": kind, "cursor": cursor,
            "next_cursor": scanned[-1][0] if scanned else cursor, "more": more, "items": items}


def event_item(e: Event, reentry: bool = False) -> dict:
    return {"seq": e.seq, "reentry": reentry, "uuid": e.uuid, "kind": e.kind, "name": e.name, "date": iso(e.date), "venue": e.venue,
            "host_enterprise": e.host_enterprise, "host_union": e.host_union, "entry_start": iso(e.entry_start),
            "entry_end": iso(e.entry_end), "capacity": e.capacity, "admissions_per_member": e.admissions_per_member,
            "eligible_unions": json.loads(e.eligible_unions), "eligible_enterprises": json.loads(e.eligible_enterprises)}


def pull_events(s: Session, station: Station, cursor: int, limit: int) -> dict:
    """The hub's events and the other stations' (``scope=all``), in change order."""
    rows = list(s.scalars(select(Event).where(Event.seq > cursor).order_by(Event.seq).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    theirs = [e for e in rows if e.origin == "hub" or e.station_id != station.id]
    again = reentry_ids(s, [e.id for e in theirs])
    items = [event_item(e, e.id in again) for e in theirs]
    return {"ok": True, "protocol": S.PROTOCOL, "kind": "events", "cursor": cursor,
            "next_cursor": rows[-1].seq if rows else cursor, "more": more, "items": items}


def reentry_ids(s: Session, event_ids: list[int]) -> set[int]:
    """Which of these events allow 出场再入场."""
    if not event_ids:
        return set()
    return set(s.scalars(select(EventReentry.event_id).where(any_of(s, EventReentry.event_id, event_ids))))


# -- presence and waiting -------------------------------------------------------------------------


def touch(s: Session, station: Station) -> None:
    """Note that ``station`` is live now (committed by the caller)."""
    row = s.get(Presence, station.id)
    if row is None:
        s.add(Presence(station_id=station.id, seen_at=now_utc()))
    else:
        row.seen_at = now_utc()


def stations_live(s: Session, station: Station) -> int:
    """How many OTHER stations waited on the hub within the last minute."""
    since = now_utc() - PRESENT_FOR
    return s.scalar(select(func.count()).select_from(Presence)
                    .join(Station, Station.id == Presence.station_id)
                    .where(Presence.seen_at >= since, Presence.station_id != station.id,
                           Station.revoked_at.is_(None))) or 0


def wait_reply(s: Session, station: Station, cursor: int) -> dict:
    seq = current_seq(s)
    return {"ok": True, "protocol": S.PROTOCOL, "hub_seq": seq, "changed": seq > cursor,
            "stations_live": stations_live(s, station)}
