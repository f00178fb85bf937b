"""Storing what live sync pulled: the other stations' check-ins and sign-ups, and the event's events.

Each page is applied with its cursor in one transaction (as station/sync/pull.py
does), so a pull cut off anywhere is simply repeated; applying an item twice
changes nothing (by uuid).  Records of this station itself are skipped: the
hub should not send them, and a station must never count its own admission
twice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.security.fieldcrypt import FieldCipher
from station.security.masking import mask_name
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import Event
from station.store.peers import PeerCheckIn, PeerRegistration
from station.sync.pull import _save_cursor, stored_cursor
from station.sync.pull_apply import apply_checked


def _event_ids(s: Session, uuids: set[str]) -> dict[str, int]:
    if not uuids:
        return {}
    return dict(s.execute(select(Event.uuid, Event.id).where(Event.uuid.in_(uuids))).all())


def _known(s: Session, model, uuids: list[str]) -> set[str]:
    if not uuids:
        return set()
    return set(s.scalars(select(model.uuid).where(model.uuid.in_(uuids))))


def _apply_checkins(s: Session, own: str, items: list[dict], now: dt.datetime) -> tuple[int, int]:
    """(stored, skipped for an event this station does not know)."""
    events = _event_ids(s, {i["event_uuid"] for i in items})
    known = _known(s, PeerCheckIn, [i["uuid"] for i in items])
    stored = unknown = 0
    for i in items:
        if i["station_uuid"] == own or i["uuid"] in known:
            continue
        event_id = events.get(i["event_uuid"])
        if event_id is None:
            unknown += 1
            continue
        s.add(PeerCheckIn(uuid=i["uuid"], event_id=event_id, station_uuid=i["station_uuid"],
                          station_name=i["station_name"], operator=i["operator"], verdict=i["verdict"],
                          reason=i["reason"], admitted=i["admitted"], direction=i["direction"],
                          platform_id=i["platform_id"],
                          code_sha=i["code_sha"], created_at=i["created_at"], received_at=now))
        known.add(i["uuid"])
        stored += 1
    return stored, unknown


def _apply_registrations(s: Session, cipher: FieldCipher, own: str, items: list[dict], now: dt.datetime) -> int:
    known = _known(s, PeerRegistration, [i["uuid"] for i in items])
    fresh = [i for i in items if i["station_uuid"] != own and i["uuid"] not in known]
    # Only the blind index and a masked name are kept: enough for 已登记, nothing to read back.
    for i, bidx in zip(fresh, cipher.blind_indexes("id", [i["id_number"] for i in fresh]), strict=True):
        assert bidx is not None
        s.add(PeerRegistration(uuid=i["uuid"], event_uuid=i["event_uuid"], station_uuid=i["station_uuid"],
                               station_name=i["station_name"], id_bidx=bidx, masked_name=mask_name(i["name"])[:20],
                               outcome=i["outcome"], created_at=i["created_at"], received_at=now))
    return len(fresh)


def _apply_host_events(s: Session, cipher: FieldCipher, items: list[dict], now: dt.datetime) -> None:
    """Events from the event host; one new here stays pending for the town hub.

    The host is not the town hub: an event another station made and this one
    first heard of from the host still has to reach the town hub with this
    station's check-ins (the hub takes the same event from a second station as
    unchanged), so it is not marked synced.
    """
    before = _known(s, Event, [i["uuid"] for i in items])
    apply_checked(s, cipher, "events", [(0, i) for i in items], now)
    s.flush()
    for ev in s.scalars(select(Event).where(Event.uuid.in_([i["uuid"] for i in items if i["uuid"] not in before]))):
        ev.synced_at = None


def commit_page(store: Store, cipher: FieldCipher, kind: str, cursor_name: str, checked: list[tuple[int, dict]],
                next_cursor: int, *, host: bool) -> int:
    """Apply one checked page of ``kind`` above the stored cursor and move it, in one transaction; items stored."""
    now = now_utc()
    own = store.identity.uuid
    with store.session() as s:
        floor = stored_cursor(s, cursor_name)
        items = [c for seq, c in checked if seq > floor]
        stored = len(items)
        if items:
            if kind == "checkins":
                stored, _unknown = _apply_checkins(s, own, items, now)
            elif kind == "registrations":
                stored = _apply_registrations(s, cipher, own, items, now)
            elif kind == "events" and host:
                _apply_host_events(s, cipher, items, now)
            else:
                apply_checked(s, cipher, kind, [(seq, c) for seq, c in checked if seq > floor], now)
        _save_cursor(s, cursor_name, next_cursor, now)
        s.commit()
    return stored
