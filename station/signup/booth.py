"""Booth sessions: an organizer opens one for an event before signing people up.

The event (date, venue, host enterprise and union) says where sign-ups
happened; the session says who staffed the booth on this station.  The
open session is remembered in the store, so a restart resumes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from station.errors import StationError
from station.people.textnorm import squeeze
from station.store.clock import local_today, now_utc
from station.store.database import Store
from station.store.models import BoothSession, Event, Setting
from station.store.orgs import enterprise_by_name, union_by_name

_CURRENT = "current_session_id"


@dataclass(frozen=True)
class SessionInfo:
    session_id: int
    session_uuid: str
    event_id: int
    event_uuid: str
    event_name: str
    date: dt.date
    venue: str
    enterprise: str | None
    union: str | None
    promoter: str
    opened_at: dt.datetime

    def as_json(self) -> dict:
        return {
            "session_uuid": self.session_uuid,
            "event_uuid": self.event_uuid,
            "event": self.event_name,
            "date": self.date.isoformat(),
            "venue": self.venue,
            "enterprise": self.enterprise,
            "union": self.union,
            "promoter": self.promoter,
            "opened_at": self.opened_at.isoformat(timespec="seconds") + "Z",
        }


def _info(sess: BoothSession) -> SessionInfo:
    ev = sess.event
    return SessionInfo(
        session_id=sess.id,
        session_uuid=sess.uuid,
        event_id=ev.id,
        event_uuid=ev.uuid,
        event_name=ev.name,
        date=ev.date,
        venue=ev.venue,
        enterprise=ev.host_enterprise.name if ev.host_enterprise else None,
        union=ev.host_union.name if ev.host_union else None,
        promoter=sess.promoter,
        opened_at=sess.opened_at,
    )


def open_session(
    store: Store,
    *,
    venue: str,
    promoter: str,
    enterprise: str | None = None,
    union: str | None = None,
    date: dt.date | None = None,
    event_name: str | None = None,
) -> SessionInfo:
    """Open a booth session (closing any open one), creating its event.

    An event with the same date, venue and host is reused, so a second
    promoter or a restart joins the same event instead of splitting it.
    """
    venue = squeeze(venue or "")
    promoter = squeeze(promoter or "")
    if not venue:
        raise StationError("session_venue_required")
    if not promoter:
        raise StationError("session_promoter_required")
    day = date or local_today()

    def open_in(s) -> SessionInfo:
        host_union = union_by_name(s, union)
        host_ent = enterprise_by_name(s, enterprise, host_union)
        if host_union is None and host_ent is not None and host_ent.union_id:
            host_union = host_ent.union
        name = squeeze(event_name or "") or " ".join(p for p in (host_ent.name if host_ent else "", venue) if p)
        ev = s.scalars(
            select(Event).where(
                Event.date == day,
                Event.venue == venue,
                Event.host_enterprise_id == (host_ent.id if host_ent else None),
                Event.kind == "booth",
            )
        ).first()
        if ev is None:
            ev = Event(
                kind="booth",
                name=name[:200],
                date=day,
                venue=venue[:200],
                host_enterprise_id=host_ent.id if host_ent else None,
                host_union_id=host_union.id if host_union else None,
            )
            s.add(ev)
            s.flush()
        _close_open(s)
        sess = BoothSession(event_id=ev.id, promoter=promoter[:100], opened_at=now_utc())
        s.add(sess)
        s.flush()
        row = s.get(Setting, _CURRENT)
        if row:
            row.value = str(sess.id)
        else:
            s.add(Setting(key=_CURRENT, value=str(sess.id)))
        s.flush()
        s.refresh(sess)
        return _info(sess)

    # One unit of work (Store.write): on a busy store it waits instead of failing.
    return store.write(open_in)


def _close_open(s) -> None:
    row = s.get(Setting, _CURRENT)
    if row:
        old = s.get(BoothSession, int(row.value))
        if old is not None and old.closed_at is None:
            old.closed_at = now_utc()
        s.delete(row)
        s.flush()


def current_session(store: Store) -> SessionInfo | None:
    value = store.get_setting(_CURRENT)
    if value is None:
        return None
    with store.session() as s:
        sess = s.get(BoothSession, int(value))
        if sess is None or sess.closed_at is not None:
            return None
        return _info(sess)


def close_session(store: Store) -> None:
    store.write(_close_open)


def session_info(store: Store, session_id: int) -> SessionInfo:
    with store.session() as s:
        sess = s.get(BoothSession, session_id)
        if sess is None:
            raise StationError("session_not_found", id=session_id)
        return _info(sess)
