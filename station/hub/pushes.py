"""The hub's record pushes: events, sign-ups, check-ins, posters, draws and their winners.

Each push dedupes the batch, sorts it into new and unchanged records
(refusing other stations' and changed ones) and only then writes, so a
refused batch changes nothing; the caller commits (station/hub/app.py, once
per request).  The audit log's push is station/hub/audit_push.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from station.draw.rules import entries_digest
from station.hub import live
from station.hub import schemas as S
from station.hub.db import any_of, next_seqs
from station.hub.models import (
    CheckIn,
    Draw,
    DrawWinner,
    Event,
    EventReentry,
    Flag,
    Member,
    Poster,
    Registration,
    Station,
)
from station.hub.service import HubError, content_hash, now_utc


class _Record(Protocol):
    @property
    def uuid(self) -> str: ...


R = TypeVar("R", bound=_Record)
# The station-written tables a push sorts its records against.
_Pushed = type[Event] | type[Registration] | type[CheckIn] | type[Poster] | type[Draw]
VOID_FIELDS = ("voided_at", "void_reason")


# -- steps every push shares ----------------------------------------------------------


def event_hash(r: S.EventIn) -> str:
    """An event's content hash: reentry counts only when set, so an event pushed before 出场再入场 existed
    keeps its hash."""
    return content_hash(r, () if r.reentry else ("reentry",))


def _hashes(records: Sequence[S.Model], exclude: Iterable[str] = ()) -> dict[int, str]:
    ex = tuple(exclude)
    return {id(r): content_hash(r, ex) for r in records}


def _dedupe(records: Sequence[R], hashes: dict[int, str]) -> list[R]:
    """One record per uuid; the same uuid twice in a batch with different content is a conflict."""
    seen: dict[str, R] = {}
    problems = []
    for r in records:
        k = r.uuid
        if k in seen:
            if hashes[id(seen[k])] != hashes[id(r)]:
                problems.append({"uuid": k, "reason": "the same uuid appears twice in the batch with different content"})
            continue
        seen[k] = r
    if problems:
        raise HubError(409, "conflict", "The batch holds one uuid twice with different content.", problems)
    return list(seen.values())


def _classify(s: Session, model: _Pushed, station: Station, records: list[R],
              hashes: dict[int, str]) -> tuple[list[R], list[str]]:
    """(new records, unchanged uuids) — refusing other stations' and changed records."""
    uuids = [r.uuid for r in records]
    existing = {row.uuid: row for row in s.execute(
        select(model.uuid, model.station_id, model.content_hash).where(any_of(s, model.uuid, uuids))
    )}
    new: list[R] = []
    unchanged: list[str] = []
    foreign, conflicts = [], []
    for r in records:
        row = existing.get(r.uuid)
        if row is None:
            new.append(r)
        elif row.station_id != station.id:
            foreign.append({"uuid": r.uuid, "reason": "this uuid belongs to another station's record"})
        elif row.content_hash != hashes[id(r)]:
            conflicts.append({"uuid": r.uuid, "reason": "the hub already has this uuid from this station with different content"})
        else:
            unchanged.append(r.uuid)
    _refuse(foreign, conflicts)
    return new, unchanged


def _refuse(foreign: list[dict], conflicts: list[dict]) -> None:
    if foreign:
        raise HubError(403, "not_your_record", "The batch touches records another station wrote.", foreign)
    if conflicts:
        raise HubError(409, "conflict", "The batch changes records the hub already has.", conflicts)


def _events(s: Session, uuids: set[str], records: Sequence[R], field: str = "event_uuid") -> dict[str, Event]:
    found = {e.uuid: e for e in s.scalars(select(Event).where(any_of(s, Event.uuid, uuids)))} if uuids else {}
    missing = [{"uuid": r.uuid, "field": field, "reason": "unknown event: push the event first"}
               for r in records if getattr(r, field) not in found]
    if missing:
        raise HubError(422, "unknown_event", "Some records name an event the hub does not know.", missing)
    return found


def _flag(s: Session, key: str, kind: str, *, event_uuid: str | None, subject: str, stations: list[str],
          detail: dict) -> None:
    """Raise or grow a flag; it moves to a new seq so stations pull it again."""
    seq = next_seqs(s)
    row = s.scalars(select(Flag).where(Flag.key == key)).first()
    text_stations = json.dumps(sorted(set(stations)))
    if row is None:
        s.add(Flag(key=key, kind=kind, event_uuid=event_uuid, subject=subject, stations=text_stations,
                   detail=json.dumps(detail, ensure_ascii=False), seq=seq))
    else:
        row.stations, row.detail, row.seq = text_stations, json.dumps(detail, ensure_ascii=False), seq


def _reply(kind: str, received: int, accepted: list[str], unchanged: list[str], updated: list[str] | None = None,
           notices: list[dict] | None = None) -> dict:
    return {"ok": True, "protocol": S.PROTOCOL, "kind": kind, "received": received, "accepted": accepted,
            "updated": updated or [], "unchanged": unchanged, "notices": notices or []}


# -- events ---------------------------------------------------------------------------


def push_events(s: Session, station: Station, batch: S.EventBatch) -> dict:
    hashes = {id(r): event_hash(r) for r in batch.records}
    records = _dedupe(batch.records, hashes)
    uuids = [r.uuid for r in records]
    hub_events = set(s.scalars(select(Event.uuid).where(Event.uuid.in_(uuids), Event.origin == "hub")))
    # An event the station pulled from the hub and pushes back is already known, not a conflict.
    mine = [r for r in records if r.uuid not in hub_events]
    # Live sync: an event another station made reaches this one (station/hub/live.py) and goes up
    # again at day's end from here; with the same content it is known, not another station's record.
    theirs = _same_as_theirs(s, station, mine)
    mine = [r for r in mine if r.uuid not in theirs]
    new, unchanged = _classify(s, Event, station, mine, hashes)
    if new:
        first = next_seqs(s, len(new))  # station events are pulled by the others too (pull/events?scope=all)
        s.execute(insert(Event), [{
            "uuid": r.uuid, "origin": "station", "station_id": station.id, "kind": r.kind, "name": r.name,
            "date": r.date, "venue": r.venue, "host_enterprise": r.host_enterprise, "host_union": r.host_union,
            "entry_start": r.entry_start, "entry_end": r.entry_end, "capacity": r.capacity,
            "admissions_per_member": r.admissions_per_member, "content_hash": hashes[id(r)], "created_at": r.created_at,
            "seq": first + i,
        } for i, r in enumerate(new)])
        reentry = [r.uuid for r in new if r.reentry]
        if reentry:
            ids = s.scalars(select(Event.id).where(any_of(s, Event.uuid, reentry)))
            s.execute(insert(EventReentry), [{"event_id": eid} for eid in ids])
    return _reply("events", len(batch.records), [r.uuid for r in new], unchanged + sorted(hub_events | theirs))


_EVENT_FIELDS = ("kind", "name", "date", "venue", "host_enterprise", "host_union", "entry_start", "entry_end",
                 "capacity", "admissions_per_member")


def _same_as_theirs(s: Session, station: Station, records: Sequence[S.EventIn]) -> set[str]:
    """The uuids of events another station pushed with the same content (the time each station
    stored its copy aside); a different content stays another station's record (403)."""
    uuids = [r.uuid for r in records]
    if not uuids:
        return set()
    rows = {e.uuid: e for e in s.scalars(select(Event).where(any_of(s, Event.uuid, uuids),
                                                             Event.station_id != station.id))}
    reentry = set(s.scalars(select(EventReentry.event_id).where(
        any_of(s, EventReentry.event_id, [e.id for e in rows.values()])))) if rows else set()
    return {r.uuid for r in records if r.uuid in rows and (rows[r.uuid].id in reentry) == r.reentry
            and all(getattr(rows[r.uuid], f) == getattr(r, f) for f in _EVENT_FIELDS)}


# -- registrations --------------------------------------------------------------------


def push_registrations(s: Session, station: Station, batch: S.RegistrationBatch) -> dict:
    hashes = _hashes(batch.records)
    records = _dedupe(batch.records, hashes)
    new, unchanged = _classify(s, Registration, station, records, hashes)
    notices: list[dict] = []
    if new:
        events = _events(s, {r.event_uuid for r in new}, new)
        members, known = _link_members(s, new)
        others = _other_stations(s, station, known)
        _insert_registrations(s, station, new, hashes, events, members)
        live.record(s, "registrations", station, [r.uuid for r in new])
        notices = _same_person(s, station, new, members, others)
    return _reply("registrations", len(batch.records), [r.uuid for r in new], unchanged, notices=notices)


def _link_members(s: Session, new: list[S.RegistrationIn]) -> tuple[dict[str, int], set[int]]:
    """Each sign-up's member id by ID number, adding the people the hub has never seen; and the ids it had."""
    numbers = {r.id_number for r in new}
    members = dict(s.execute(
        select(Member.id_number, Member.id).where(any_of(s, Member.id_number, numbers))).all())
    known = set(members.values())  # only members the hub had before can have other stations' sign-ups
    first_of: dict[str, S.RegistrationIn] = {}
    for r in new:
        if r.id_number not in members:
            first_of.setdefault(r.id_number, r)
    if first_of:
        now = now_utc()
        made = s.execute(insert(Member).returning(Member.id_number, Member.id), [{
            "id_number": r.id_number, "name": r.name, "phone": r.phone, "on_roster": False,
            "card_status": "active", "created_at": now, "updated_at": now,
        } for _n, r in sorted(first_of.items())]).all()  # one order for all: racing batches do not deadlock
        members.update(made)
    return members, known


def _other_stations(s: Session, station: Station, known: set[int]) -> dict[int, set[str]]:
    """For members the hub had before: the other stations that signed them up."""
    others: dict[int, set[str]] = defaultdict(set)
    if known:
        for member_id, station_uuid in s.execute(
            select(Registration.member_id, Station.uuid).join(Station, Station.id == Registration.station_id)
            .where(any_of(s, Registration.member_id, known), Registration.station_id != station.id).distinct()
        ):
            others[member_id].add(station_uuid)
    return others


def _insert_registrations(s: Session, station: Station, new: list[S.RegistrationIn], hashes: dict[int, str],
                          events: dict[str, Event], members: dict[str, int]) -> None:
    now = now_utc()
    s.execute(insert(Registration), [{
        "uuid": r.uuid, "station_id": station.id, "member_id": members[r.id_number],
        "event_id": events[r.event_uuid].id, "name": r.name, "phone": r.phone, "enterprise": r.enterprise,
        "union": r.union, "outcome": r.outcome, "consent_version": r.consent_version, "source": r.source,
        "poster_code": r.poster_code, "created_at": r.created_at, "received_at": now,
        "content_hash": hashes[id(r)],
    } for r in new])


def _same_person(s: Session, station: Station, new: list[S.RegistrationIn], members: dict[str, int],
                 others: dict[int, set[str]]) -> list[dict]:
    """A notice (and a flag) for each sign-up of a person another station signed up too."""
    notices: list[dict] = []
    for r in new:
        member_id = members[r.id_number]
        if member_id in others:
            stations = sorted(others[member_id] | {station.uuid})
            notices.append({"kind": "same_person", "uuid": r.uuid,
                            "detail": {"platform_id": member_id, "stations": stations}})
            regs = list(s.scalars(select(Registration.uuid).where(Registration.member_id == member_id).limit(50)))
            _flag(s, f"same_person:{member_id}", "same_person", event_uuid=None, subject=str(member_id),
                  stations=stations, detail={"platform_id": member_id, "registrations": sorted(regs)})
    return notices


# -- check-ins ------------------------------------------------------------------------


def push_checkins(s: Session, station: Station, batch: S.CheckInBatch) -> dict:
    hashes = _hashes(batch.records)
    records = _dedupe(batch.records, hashes)
    new, unchanged = _classify(s, CheckIn, station, records, hashes)
    notices: list[dict] = []
    if new:
        events = _events(s, {r.event_uuid for r in new}, new)
        now = now_utc()
        s.execute(insert(CheckIn), [{
            "uuid": r.uuid, "station_id": station.id, "event_id": events[r.event_uuid].id, "operator": r.operator,
            "source": r.source, "verdict": r.verdict, "reason": r.reason, "detail": r.detail, "admitted": r.admitted,
            "platform_id": r.platform_id, "key_id": r.key_id, "code_sha": r.code_sha, "created_at": r.created_at,
            "received_at": now, "content_hash": hashes[id(r)],
        } for r in new])
        live.record(s, "checkins", station, [r.uuid for r in new])
        notices = _double_admissions(s, new, events)
    return _reply("checkins", len(batch.records), [r.uuid for r in new], unchanged, notices=notices)


def _double_admissions(s: Session, new: list[S.CheckInIn], events: dict[str, Event]) -> list[dict]:
    """A notice (and a flag) for each card now admitted beyond its event's limit at more than one station."""
    notices: list[dict] = []
    pairs = {(events[r.event_uuid], r.platform_id) for r in new if r.admitted and r.platform_id is not None}
    for event, platform_id in sorted(pairs, key=lambda p: (p[0].id, p[1])):
        rows = s.execute(
            select(CheckIn.uuid, Station.uuid, CheckIn.created_at).join(Station, Station.id == CheckIn.station_id)
            .where(CheckIn.event_id == event.id, CheckIn.platform_id == platform_id, CheckIn.admitted.is_(True))
            .order_by(CheckIn.created_at)
        ).all()
        limit = event.admissions_per_member or 1
        stations = sorted({st for _u, st, _a in rows})
        if len(rows) > limit and len(stations) > 1:
            detail = {"event_uuid": event.uuid, "platform_id": platform_id, "admissions": len(rows), "limit": limit,
                      "checkins": [u for u, _s, _a in rows][:50]}
            _flag(s, f"double_admission:{event.uuid}:{platform_id}", "double_admission", event_uuid=event.uuid,
                  subject=str(platform_id), stations=stations, detail=detail)
            notices.append({"kind": "double_admission", "uuid": None, "detail": dict(detail, stations=stations)})
    return notices


# -- posters --------------------------------------------------------------------------


def push_posters(s: Session, station: Station, batch: S.PosterBatch) -> dict:
    hashes = _hashes(batch.records)
    records = _dedupe(batch.records, hashes)
    new, unchanged = _classify(s, Poster, station, records, hashes)
    if new:
        _refuse_code_clashes(s, new)
        now = now_utc()
        s.execute(insert(Poster), [{
            "uuid": r.uuid, "code": r.code, "station_id": station.id, "enterprise": r.enterprise, "union": r.union,
            "template": r.template, "campaign": r.campaign, "placement": r.placement, "hang_date": r.hang_date,
            "url": r.url, "title": r.title, "module_um": r.module_um, "batch_uuid": r.batch_uuid,
            "created_at": r.created_at, "received_at": now, "content_hash": hashes[id(r)],
        } for r in new])
    return _reply("posters", len(batch.records), [r.uuid for r in new], unchanged)


def _refuse_code_clashes(s: Session, new: list[S.PosterIn]) -> None:
    codes = [r.code for r in new]
    taken = set(s.scalars(select(Poster.code).where(Poster.code.in_(codes))))
    dup = [c for c in codes if codes.count(c) > 1]
    clash = [{"uuid": r.uuid, "field": "code", "reason": "another poster already has this code"}
             for r in new if r.code in taken or r.code in dup]
    if clash:
        raise HubError(409, "conflict", "Poster codes must be unique.", clash)


# -- draws and winners ----------------------------------------------------------------


def push_draws(s: Session, station: Station, batch: S.DrawBatch) -> dict:
    dhash = _hashes(batch.draws)
    draws = _dedupe(batch.draws, dhash)
    _refuse_bad_digests(draws)
    new_draws, unchanged = _classify(s, Draw, station, draws, dhash) if draws else ([], [])
    accepted = [d.uuid for d in new_draws]
    if new_draws:
        _insert_draws(s, station, new_draws, dhash)
    updated: list[str] = []
    if batch.winners:
        new_w, updated = _push_winners(s, station, batch.winners, unchanged)
        accepted += new_w
    return _reply("draws", len(batch.draws) + len(batch.winners), accepted, unchanged, updated)


def _refuse_bad_digests(draws: list[S.DrawIn]) -> None:
    bad = [{"uuid": d.uuid, "field": "entries_sha256", "reason": "does not match the SHA-256 of the sorted entries"}
           for d in draws if entries_digest(list(d.entries)) != d.entries_sha256]
    if bad:
        raise HubError(422, "invalid_record", "A draw's entry hash does not check.", bad)


def _insert_draws(s: Session, station: Station, new_draws: list[S.DrawIn], dhash: dict[int, str]) -> None:
    events = _events(s, {d.event_uuid for d in new_draws}, new_draws)
    now = now_utc()
    s.execute(insert(Draw), [{
        "uuid": d.uuid, "station_id": station.id, "event_id": events[d.event_uuid].id, "prize_uuid": d.prize.uuid,
        "prize_name": d.prize.name, "prize_stock": d.prize.stock, "count": d.count, "only": d.only,
        "entries": json.dumps(sorted(d.entries)), "entries_sha256": d.entries_sha256, "redraw_of": d.redraw_of,
        "operator": d.operator, "created_at": d.created_at, "received_at": now, "content_hash": dhash[id(d)],
    } for d in new_draws])


def _push_winners(s: Session, station: Station, batch_winners: list[S.WinnerIn],
                  unchanged: list[str]) -> tuple[list[str], list[str]]:
    """(accepted, updated) winner uuids; unchanged ones are added to ``unchanged``.

    A win's content hash leaves its void out: a void arriving later is an update, not a conflict.
    """
    whash = _hashes(batch_winners, VOID_FIELDS)
    winners = _dedupe(batch_winners, _hashes(batch_winners))
    draw_ids = _winner_draws(s, station, winners)
    new_w, updated = _sort_winners(s, station, winners, whash, unchanged)
    now = now_utc()
    if new_w:
        s.execute(insert(DrawWinner), [{
            "uuid": w.uuid, "station_id": station.id, "draw_id": draw_ids[w.draw_uuid],
            "registration_uuid": w.registration_uuid, "voided_at": w.voided_at, "void_reason": w.void_reason,
            "created_at": w.created_at, "received_at": now, "content_hash": whash[id(w)],
        } for w in new_w])
    by_uuid = {w.uuid: w for w in winners}
    for u in updated:
        s.execute(update(DrawWinner).where(DrawWinner.uuid == u)
                  .values(voided_at=by_uuid[u].voided_at, void_reason=by_uuid[u].void_reason))
    return [w.uuid for w in new_w], updated


def _winner_draws(s: Session, station: Station, winners: list[S.WinnerIn]) -> dict[str, int]:
    """The draws the winners name (draw uuid -> id), refusing unknown draws and other stations' draws."""
    draw_rows = {u: (i, st) for u, i, st in s.execute(
        select(Draw.uuid, Draw.id, Draw.station_id).where(Draw.uuid.in_({w.draw_uuid for w in winners})))}
    problems = []
    for w in winners:
        found = draw_rows.get(w.draw_uuid)
        if found is None:
            problems.append({"uuid": w.uuid, "field": "draw_uuid", "reason": "unknown draw: push the draw first"})
        elif found[1] != station.id:
            raise HubError(403, "not_your_record", "A winner names another station's draw.",
                           [{"uuid": w.uuid, "reason": "the draw belongs to another station"}])
    if problems:
        raise HubError(422, "unknown_draw", "Some winners name a draw the hub does not know.", problems)
    return {u: i for u, (i, _st) in draw_rows.items()}


def _sort_winners(s: Session, station: Station, winners: list[S.WinnerIn], whash: dict[int, str],
                  unchanged: list[str]) -> tuple[list[S.WinnerIn], list[str]]:
    """(new winners, uuids newly voided); refuses others' wins, changed wins and changed or undone voids."""
    existing = {row.uuid: row for row in s.execute(
        select(DrawWinner.uuid, DrawWinner.station_id, DrawWinner.content_hash, DrawWinner.voided_at,
               DrawWinner.void_reason).where(DrawWinner.uuid.in_([w.uuid for w in winners])))}
    new_w: list[S.WinnerIn] = []
    updated: list[str] = []
    conflicts, foreign = [], []
    for w in winners:
        row = existing.get(w.uuid)
        if row is None:
            new_w.append(w)
        elif row.station_id != station.id:
            foreign.append({"uuid": w.uuid, "reason": "this uuid belongs to another station's record"})
        elif row.content_hash != whash[id(w)]:
            conflicts.append({"uuid": w.uuid, "reason": "the hub already has this win with different content"})
        elif (row.voided_at, row.void_reason) == (w.voided_at, w.void_reason):
            unchanged.append(w.uuid)
        elif row.voided_at is None and w.voided_at is not None:
            updated.append(w.uuid)
        else:
            conflicts.append({"uuid": w.uuid, "reason": "a void cannot be changed or undone"})
    _refuse(foreign, conflicts)
    return new_w, updated
