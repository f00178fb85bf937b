"""Applying checked pull items to the store: roster, card holders and revocations, verification, events,
keys, flags.

Every function writes into the page's open session and never commits: station/sync/pull.py commits
the items and the new cursor in one transaction.  The items were checked by station/sync/pull_checks.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from station.checkin import ecard
from station.errors import StationError
from station.people import names
from station.security.fieldcrypt import FieldCipher, FieldTampered
from station.security.protect import member_fields
from station.store.models import (
    Base,
    CardHolder,
    CardRevocation,
    EcardKey,
    Enterprise,
    Event,
    EventEligibility,
    Member,
    SyncFlag,
    Union,
)

CHUNK = 500  # values per IN (...): far below SQLite's limit on bound parameters


# -- small helpers over the store -------------------------------------------------------------


def _table(model: type[Base]) -> Table:
    """A mapped class's table, for Core inserts and deletes (faster than the ORM's for a page of rows)."""
    return cast(Table, model.__table__)


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _rows_in(s: Session, columns: tuple, key, values: Iterable) -> list:
    """Rows whose ``key`` is among ``values``, looked up in chunks (bulk, never one query an item)."""
    values = list(dict.fromkeys(values))
    rows: list = []
    for part in _chunks(values):
        rows.extend(s.execute(select(*columns).where(key.in_(part))).all())
    return rows


class _Orgs:
    """Union and enterprise ids by clean name, made on first sight (as the roster import does)."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.unions: dict[str, int] = {}
        self.enterprises: dict[str, list] = {}  # name -> [id, union_id]

    def load(self, unions: Iterable[str | None], enterprises: Iterable[str | None]) -> None:
        wanted_u = {n for n in unions if n and n not in self.unions}
        for uid, name in _rows_in(self.s, (Union.id, Union.name), Union.name, wanted_u):
            self.unions[name] = uid
        wanted_e = {n for n in enterprises if n and n not in self.enterprises}
        for eid, name, uid in _rows_in(self.s, (Enterprise.id, Enterprise.name, Enterprise.union_id),
                                       Enterprise.name, wanted_e):
            self.enterprises[name] = [eid, uid]

    def union(self, name: str | None) -> int | None:
        if not name:
            return None
        uid = self.unions.get(name)
        if uid is None:
            row = Union(name=name)
            self.s.add(row)
            self.s.flush()
            uid = self.unions[name] = row.id
        return uid

    def enterprise(self, name: str | None, union_id: int | None) -> int | None:
        """The enterprise's id; a new one belongs to ``union_id``, and one with no union gets it."""
        if not name:
            return None
        ent = self.enterprises.get(name)
        if ent is None:
            row = Enterprise(name=name, union_id=union_id)
            self.s.add(row)
            self.s.flush()
            ent = self.enterprises[name] = [row.id, union_id]
        elif ent[1] is None and union_id is not None:
            self.s.execute(update(Enterprise).where(Enterprise.id == ent[0]).values(union_id=union_id))
            ent[1] = union_id
        return ent[0]


# -- roster ---------------------------------------------------------------------------------


_INITIALS: dict[str, str] = {}


def _initials(name: str) -> str:
    # pypinyin is the slow part of a roster page; names repeat (王伟, 李娜…).
    hit = _INITIALS.get(name)
    if hit is None:
        if len(_INITIALS) > 50_000:
            _INITIALS.clear()
        hit = _INITIALS[name] = names.initials(name)
    return hit


def _stored_phone(cipher: FieldCipher, phone_enc: bytes | None, id_bidx: bytes) -> str | None:
    if phone_enc is None:
        return None
    try:
        return cipher.decrypt("members", "phone", phone_enc, id_bidx)
    except (FieldTampered, StationError):
        return None  # unreadable: the hub's value replaces it


def _member_update(cipher: FieldCipher, row, item: dict, eid: int | None, uid: int | None, now: dt.datetime) -> dict | None:
    """The new values of an existing member, or None when the item changes nothing.

    Like a roster import: a blank enterprise, union or mobile keeps what the
    station knew, and a member stays on the roster once a union imported them
    here (the hub's flag only adds).
    """
    mid, name, initials, phone_enc, phone_tail, old_eid, old_uid, on_roster, id_bidx = row
    new = {"name": item["name"], "initials": initials if item["name"] == name else _initials(item["name"]),
           "phone_enc": phone_enc, "phone_tail_bidx": phone_tail,
           "enterprise_id": eid if eid is not None else old_eid, "union_id": uid if uid is not None else old_uid,
           "on_roster": bool(on_roster) or item["on_roster"]}
    if item["phone"] is not None and _stored_phone(cipher, phone_enc, id_bidx) != item["phone"]:
        new["phone_enc"] = cipher.encrypt("members", "phone", item["phone"], id_bidx)
        new["phone_tail_bidx"] = cipher.blind_index("phone_tail", item["phone"][-4:])
    old = {"name": name, "initials": initials, "phone_enc": phone_enc, "phone_tail_bidx": phone_tail,
           "enterprise_id": old_eid, "union_id": old_uid, "on_roster": bool(on_roster)}
    if new == old:
        return None
    return {"id": mid, **new, "updated_at": now}


def _apply_roster(s: Session, cipher: FieldCipher, items: list[dict], now: dt.datetime) -> None:
    orgs = _Orgs(s)
    orgs.load((i["union"] for i in items), (i["enterprise"] for i in items))
    bidx = cipher.blind_indexes("id", [i["id_number"] for i in items])
    cols = (Member.id, Member.name, Member.initials, Member.phone_enc, Member.phone_tail_bidx, Member.enterprise_id,
            Member.union_id, Member.on_roster, Member.id_bidx)
    existing = {row[-1]: row for row in _rows_in(s, cols, Member.id_bidx, bidx)}
    inserts, updates = [], []
    for item, b in zip(items, bidx, strict=True):
        uid = orgs.union(item["union"])
        eid = orgs.enterprise(item["enterprise"], uid)
        row = existing.get(b)
        if row is None:
            inserts.append({"name": item["name"], "initials": _initials(item["name"]),
                            **member_fields(cipher, item["id_number"], item["phone"]),
                            "enterprise_id": eid, "union_id": uid, "on_roster": item["on_roster"],
                            "created_at": now, "updated_at": now})
        else:
            change = _member_update(cipher, row, item, eid, uid, now)
            if change:
                updates.append(change)
    if inserts:
        s.execute(_table(Member).insert(), inserts)
    if updates:
        s.execute(update(Member), updates)  # ORM bulk UPDATE by primary key
    ids = {b: mid for mid, b in _rows_in(s, (Member.id, Member.id_bidx), Member.id_bidx, bidx)}
    _link_holders(s, [(i["platform_id"], ids[b], i["card_status"]) for i, b in zip(items, bidx, strict=True)], now)


# -- card holders and revocations ------------------------------------------------------------------

_STRENGTH = {ecard.STATUS_ACTIVE: 0, ecard.STATUS_LOST: 1, ecard.STATUS_CANCELLED: 2}


def _revocation_status(s: Session, platform_ids: list[int]) -> dict[int, tuple[str, dt.datetime]]:
    """platform id -> (reason, since) from the revocation list: a cancel outranks a loss, then the latest."""
    out: dict[int, tuple[str, dt.datetime]] = {}
    rows = _rows_in(s, (CardRevocation.platform_id, CardRevocation.reason, CardRevocation.revoked_at),
                    CardRevocation.platform_id, platform_ids)
    for pid, reason, at in rows:
        have = out.get(pid)
        if have is None or (_STRENGTH.get(reason, 0), at) > (_STRENGTH.get(have[0], 0), have[1]):
            out[pid] = (reason, at)
    return out


def _holder_status(current: tuple[str, dt.datetime] | None, hub_status: str, listed: tuple[str, dt.datetime] | None,
                   now: dt.datetime) -> tuple[str, dt.datetime]:
    """A card's status and since when, from what the station had, the hub's roster and the revocation list.

    The strongest status wins and none is ever undone: the hub never gives a
    card back, it issues new codes, which a lost status lets in (issued after
    "since").  "Since" comes from the revocation list when it names that
    status: a lost card refuses only codes issued until the loss, so the
    moment must be the real one, not the time of this pull.
    """
    status = hub_status
    for other in (current, listed):
        if other is not None and _STRENGTH.get(other[0], 0) > _STRENGTH[status]:
            status = other[0]
    if listed is not None and listed[0] == status:
        return status, listed[1]
    if current is not None and current[0] == status:
        return current
    return status, now


def _link_holders(s: Session, links: list[tuple[int, int, str]], now: dt.datetime) -> None:
    """card_holders by platform id: linked to the member, with the roster's card status.

    Plain rows and bulk statements, not ORM objects: a page links a thousand holders.
    """
    pids = [p for p, _m, _st in links]
    cols = (CardHolder.id, CardHolder.platform_id, CardHolder.member_id, CardHolder.status, CardHolder.status_at)
    holders = {h.platform_id: h for h in _rows_in(s, cols, CardHolder.platform_id, pids)}
    wanted = {pid: mid for pid, mid, _st in links}
    # A member has one card: a holder the station made up earlier (holder_for_member, a demo)
    # lets go of the member first, or the unique member_id would refuse the link.
    strays = [{"id": h.id, "member_id": None, "updated_at": now}
              for h in _rows_in(s, cols, CardHolder.member_id, wanted.values()) if wanted.get(h.platform_id) != h.member_id]
    if strays:
        s.execute(update(CardHolder), strays)
    listed = _revocation_status(s, pids)
    inserts, updates = [], []
    for pid, mid, hub_status in links:
        h = holders.get(pid)
        current = (h.status, h.status_at) if h is not None else None
        status, since = _holder_status(current, hub_status, listed.get(pid), now)
        if h is None:
            inserts.append({"platform_id": pid, "member_id": mid, "status": status, "status_at": since,
                            "updated_at": now})
        elif (h.member_id, h.status, h.status_at) != (mid, status, since):
            updates.append({"id": h.id, "member_id": mid, "status": status, "status_at": since, "updated_at": now})
    if updates:
        s.execute(update(CardHolder), updates)
    if inserts:
        s.execute(_table(CardHolder).insert(), inserts)


def _apply_revocations(s: Session, items: list[dict], now: dt.datetime) -> None:
    pids = [i["platform_id"] for i in items]
    have = {(p, at) for p, at in _rows_in(s, (CardRevocation.platform_id, CardRevocation.revoked_at),
                                          CardRevocation.platform_id, pids)}
    for item in items:
        key = (item["platform_id"], item["revoked_at"])
        if key not in have:  # the same revocation once, however often it is pulled
            have.add(key)
            s.add(CardRevocation(platform_id=key[0], reason=item["reason"], revoked_at=key[1], source="sync",
                                 created_at=now))
    s.flush()
    listed = _revocation_status(s, pids)
    holders = {h.platform_id: h for h in s.scalars(select(CardHolder).where(CardHolder.platform_id.in_(pids)))}
    for pid, (reason, at) in listed.items():
        h = holders.get(pid)
        if h is None:  # a card the roster has not brought yet: the door still knows it is revoked
            s.add(CardHolder(platform_id=pid, member_id=None, status=reason, status_at=at, updated_at=now))
            continue
        status, since = _holder_status((h.status, h.status_at), ecard.STATUS_ACTIVE, (reason, at), now)
        if (h.status, h.status_at) != (status, since):
            h.status, h.status_at, h.updated_at = status, since, now


# -- verification -----------------------------------------------------------------------------


def _apply_verification(s: Session, cipher: FieldCipher, items: list[dict], now: dt.datetime) -> None:
    """members.verified by ID number, or by platform id for a member whose card holder is linked.

    A member the station does not know is skipped: 认证率 counts only its own roster.
    """
    bidx = cipher.blind_indexes("id", [i["id_number"] for i in items])
    by_bidx = {b: (mid, v, at) for mid, v, at, b in _rows_in(
        s, (Member.id, Member.verified, Member.verified_at, Member.id_bidx), Member.id_bidx, bidx)}
    missing = [i["platform_id"] for i, b in zip(items, bidx, strict=True) if b not in by_bidx]
    by_pid: dict[int, tuple] = {}
    for part in _chunks(list(dict.fromkeys(missing))):
        for pid, mid, v, at in s.execute(
                select(CardHolder.platform_id, Member.id, Member.verified, Member.verified_at)
                .join(Member, Member.id == CardHolder.member_id).where(CardHolder.platform_id.in_(part))):
            by_pid[pid] = (mid, v, at)
    updates = []
    for item, b in zip(items, bidx, strict=True):
        row = by_bidx.get(b) or by_pid.get(item["platform_id"])
        if row is None:
            continue
        mid, verified, verified_at = row
        if (verified, verified_at) != (item["verified"], item["verified_at"]):
            updates.append({"id": mid, "verified": item["verified"], "verified_at": item["verified_at"],
                            "updated_at": now})
    if updates:
        s.execute(update(Member), updates)


# -- events -----------------------------------------------------------------------------------

_EVENT_FIELDS = ("kind", "name", "date", "venue", "entry_start", "entry_end", "capacity", "admissions_per_member",
                 "reentry")


def _eligibility(s: Session, event_ids: list[int]) -> dict[int, list[tuple[int | None, int | None]]]:
    out: dict[int, list] = {eid: [] for eid in event_ids}
    for eid, uid, ent in _rows_in(s, (EventEligibility.event_id, EventEligibility.union_id,
                                      EventEligibility.enterprise_id), EventEligibility.event_id, event_ids):
        out[eid].append((uid, ent))
    return out


def _apply_events(s: Session, items: list[dict], now: dt.datetime) -> None:
    """Events made on the hub, by uuid; they come marked synced, so they are never pushed back as pending."""
    orgs = _Orgs(s)
    orgs.load([n for i in items for n in (i["host_union"], *i["eligible_unions"])],
              [n for i in items for n in (i["host_enterprise"], *i["eligible_enterprises"])])
    events = {e.uuid: e for e in s.scalars(select(Event).where(Event.uuid.in_([i["uuid"] for i in items])))}
    for item in items:
        # Organisations first: making one flushes, and a half-filled new event must not be in the session then.
        wanted = {f: item[f] for f in _EVENT_FIELDS}
        wanted["host_union_id"] = orgs.union(item["host_union"])
        wanted["host_enterprise_id"] = orgs.enterprise(item["host_enterprise"], wanted["host_union_id"])
        ev = events.get(item["uuid"])
        if ev is None:
            ev = events[item["uuid"]] = Event(uuid=item["uuid"], created_at=now, **wanted, synced_at=now)
            s.add(ev)
            continue
        changed = [f for f, v in wanted.items() if getattr(ev, f) != v]
        for f in changed:
            setattr(ev, f, wanted[f])
        if changed or ev.synced_at is None:
            ev.synced_at = now
    s.flush()
    current = _eligibility(s, [events[i["uuid"]].id for i in items])
    for item in items:
        ev = events[item["uuid"]]
        # Listed order is kept (the screens show them in it); a union and an enterprise are separate rows.
        eligible: list[tuple[int | None, int | None]] = [(orgs.union(n), None) for n in item["eligible_unions"]]
        eligible += [(None, orgs.enterprise(n, None)) for n in item["eligible_enterprises"]]
        eligible = list(dict.fromkeys(eligible))
        if current[ev.id] != eligible:
            s.execute(_table(EventEligibility).delete().where(EventEligibility.event_id == ev.id))
            for uid, eid in eligible:
                s.add(EventEligibility(event_id=ev.id, union_id=uid, enterprise_id=eid))


# -- keys ------------------------------------------------------------------------------------


def _apply_keys(s: Session, items: list[dict], now: dt.datetime) -> None:
    """The hub's e-card public keys into the trust store (station/checkin/trust_store.py reads ecard_keys).

    TrustStore.add commits on its own; here every row goes into the page's
    transaction instead.  A key retired here (it leaked) stays retired even
    if the hub has not heard of it yet: a station never trusts a key again.
    """
    rows = {k.kid: k for k in s.scalars(select(EcardKey).where(EcardKey.kid.in_([i["kid"] for i in items])))}
    for item in items:
        row = rows.get(item["kid"])
        if row is None:
            row = rows[item["kid"]] = EcardKey(kid=item["kid"], added_at=now)
            s.add(row)
        wanted = {"public_key": item["public_key"], "label": item["label"], "valid_from": item["valid_from"],
                  "valid_until": item["valid_until"], "retired_at": item["retired_at"] or row.retired_at,
                  "source": "sync"}
        for field, value in wanted.items():
            if getattr(row, field) != value:
                setattr(row, field, value)


# -- flags -----------------------------------------------------------------------------------


def _apply_flags(s: Session, items: list[dict], seqs: list[int], now: dt.datetime) -> None:
    """Flags for the sync report by (kind, event, subject); a flag that grew replaces what it said."""
    rows = {(f.kind, f.event_uuid, f.subject): f for f in s.scalars(
        select(SyncFlag).where(SyncFlag.subject.in_([i["subject"] for i in items])))}
    for seq, item in zip(seqs, items, strict=True):
        key = (item["kind"], item["event_uuid"], item["subject"])
        row = rows.get(key)
        if row is None:
            # Looked up by hand, not left to the unique index: SQLite lets two NULL event uuids through.
            rows[key] = SyncFlag(hub_seq=seq, kind=key[0], event_uuid=key[1], subject=key[2],
                                 stations=item["stations"], detail=item["detail"], pulled_at=now)
            s.add(rows[key])
        elif (row.hub_seq, row.stations, row.detail) != (seq, item["stations"], item["detail"]):
            row.hub_seq, row.stations, row.detail, row.pulled_at = seq, item["stations"], item["detail"], now


# -- a page's items ------------------------------------------------------------------------


def _refuse_unconverted(s: Session) -> None:
    # Members of a store made before encryption are known by their clear ID only:
    # a pull could not find them by blind index and would add each person twice.
    legacy = s.scalar(select(Member.id).where(Member.id_bidx.is_(None), Member.legacy_id_number.is_not(None)).limit(1))
    if legacy is not None:
        raise StationError("sync_pull_needs_encryption")


def apply_checked(s: Session, cipher: FieldCipher, kind: str, checked: list[tuple[int, dict]], now: dt.datetime) -> None:
    items = [c for _seq, c in checked]
    if not items:
        return
    if kind == "roster":
        _refuse_unconverted(s)
        _apply_roster(s, cipher, items, now)
        known = [i for i in items if i["verified"] is not None]
        if known:
            _apply_verification(s, cipher, known, now)
    elif kind == "verification":
        _apply_verification(s, cipher, items, now)
    elif kind == "revocations":
        _apply_revocations(s, items, now)
    elif kind == "events":
        _apply_events(s, items, now)
    elif kind == "keys":
        _apply_keys(s, items, now)
    else:
        _apply_flags(s, items, [seq for seq, _c in checked], now)
