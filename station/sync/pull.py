"""Applying what the station pulls from the hub: roster, verification, revocations, events, keys, flags.

docs/sync-protocol.md, "Pulling changes", is the contract.  Per kind the
station keeps a cursor (station.store.models.SyncCursor, 0 at first) and asks the
hub for the items changed after it.  Each page is checked whole before
anything is written (the network is not trusted: a bad ID number or a
wrong type refuses the page), then its items are applied and the new cursor
stored in ONE transaction, so an interruption anywhere is repaired by
pulling again.  Applying an item is an upsert: repeating a page is harmless,
and items at or below the stored cursor are skipped (already applied, or
superseded by a later state the hub sent since).

The transport (fetch_page) belongs to station/sync/client.py; this module
never talks to the network.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from station.security import audit
from station.checkin import ecard
from station.people import idnumber, mobile, names
from station.store.clock import now_utc
from station.errors import StationError
from station.security.fieldcrypt import FieldCipher, FieldTampered
from station.i18n import t
from station.store.models import (
    CardHolder,
    CardRevocation,
    EcardKey,
    Enterprise,
    Event,
    EventEligibility,
    Member,
    SyncCursor,
    SyncFlag,
    Union,
)
from station.security.operators import OperatorSession
from station.security.protect import member_fields
from station.store.database import Store
from station.people.textnorm import clean_org_name

log = logging.getLogger(__name__)

# Keys first: an e-card code the hub issued is only checkable once its key is
# here.  Events before anything that might refer to them (flags name events).
# The roster before verification and revocations: they find members and card
# holders the roster made.  Flags last: they only inform the sync report.
PULL_ORDER = ("keys", "events", "roster", "verification", "revocations", "flags")
PROTOCOL = 1
MAX_PAGE = 5000  # the hub's own upper limit on a page
CHUNK = 500  # values per IN (...): far below SQLite's limit on bound parameters

CARD_STATUSES = (ecard.STATUS_ACTIVE, ecard.STATUS_LOST, ecard.STATUS_CANCELLED)
REVOKE_REASONS = (ecard.STATUS_LOST, ecard.STATUS_CANCELLED)
EVENT_KINDS = ("booth", "screening", "redemption")
FLAG_KINDS = ("same_person", "double_admission")
MAX_ORG = 200  # models.Enterprise.name / Union.name
MAX_ELIGIBLE = 500
MAX_DETAIL_BYTES = 8192

Progress = Callable[[str, int, int], None]
FetchPage = Callable[[str, int, int], dict]


class PullRefused(StationError):
    """A reply or page refused; the message names the kind of data in the reader's language."""

    def message(self, lang: str | None = None) -> str:
        params = dict(self.params)
        for name in ("kind", "asked", "got"):
            if params.get(name) in PULL_ORDER:
                params[name] = t("sync_kind_" + str(params[name]), lang)
        return t(self.key, lang, **params)


class PullCancelled(StationError):
    """The organizer stopped the pull between two pages; what was applied stays (and its cursors)."""

    def __init__(self, applied: dict[str, int]) -> None:
        super().__init__("sync_pull_cancelled")
        self.applied = applied


# -- checking what came over the network -------------------------------------------------


class _Bad(Exception):
    """One field of one item is malformed (turned into a StationError naming kind and seq)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_KID = re.compile(r"^[0-9a-f]{8}$")
_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _get(item: dict, field: str) -> Any:
    if field not in item:
        raise _Bad(field)
    return item[field]


def _int(item: dict, field: str, lo: int, hi: int, optional: bool = False) -> int | None:
    value = _get(item, field)
    if value is None and optional:
        return None
    # bool is an int in Python, never in JSON: true is not 1.
    if type(value) is not int or not lo <= value <= hi:
        raise _Bad(field)
    return value


def _bool(item: dict, field: str, optional: bool = False) -> bool | None:
    value = _get(item, field)
    if value is None and optional:
        return None
    if type(value) is not bool:
        raise _Bad(field)
    return value


def _text(item: dict, field: str, max_len: int, optional: bool = False) -> str | None:
    value = _get(item, field)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_len or _CONTROL.search(value):
        raise _Bad(field)
    return value


def _choice(item: dict, field: str, choices: Iterable[str]) -> str:
    value = _get(item, field)
    if value not in choices:
        raise _Bad(field)
    return value


def _org(item: dict, field: str) -> str | None:
    """An enterprise or union name, cleaned as the roster import cleans them (None when blank)."""
    value = _get(item, field)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 4 * MAX_ORG or _CONTROL.search(value):
        raise _Bad(field)
    name = clean_org_name(value)
    if len(name) > MAX_ORG:
        raise _Bad(field)
    return name or None


def _timestamp(item: dict, field: str, optional: bool = False) -> dt.datetime | None:
    """ISO 8601 with a zone (the hub writes '…Z') -> naive UTC, how the store keeps moments."""
    value = _get(item, field)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > 40 or not _TS.match(value):
        raise _Bad(field)
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _Bad(field) from None
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _day(item: dict, field: str) -> dt.date:
    value = _get(item, field)
    if not isinstance(value, str) or not _DAY.match(value):
        raise _Bad(field)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(field) from None


def _id_number(item: dict) -> str:
    value = _get(item, "id_number")
    if not isinstance(value, str) or len(value) > 40:
        raise _Bad("id_number")
    number = idnumber.check(value).number
    if number is None:
        raise _Bad("id_number")
    return number


def _phone(item: dict) -> str | None:
    value = _get(item, "phone")
    if value is None:
        return None
    number = mobile.check(value).number if isinstance(value, str) and len(value) <= 40 else None
    if number is None:
        raise _Bad("phone")
    return number


def _platform_id(item: dict) -> int:
    return _int(item, "platform_id", 1, 2**62)


def _check_roster(item: dict) -> dict:
    name, _error, _params = names.check(_text(item, "name", 100))
    if name is None:
        raise _Bad("name")
    return {"platform_id": _platform_id(item), "id_number": _id_number(item), "name": name, "phone": _phone(item),
            "enterprise": _org(item, "enterprise"), "union": _org(item, "union"),
            "on_roster": _bool(item, "on_roster"), "card_status": _choice(item, "card_status", CARD_STATUSES),
            # A roster item carries the member's 实名认证 status too (hubs since 2026-11-26; older ones
            # leave it out): a verification the station skipped while it did not know the person yet
            # would otherwise never come again.
            "verified": _bool(item, "verified", optional=True) if "verified" in item else None,
            "verified_at": _timestamp(item, "verified_at", optional=True) if "verified_at" in item else None}


def _check_verification(item: dict) -> dict:
    return {"platform_id": _platform_id(item), "id_number": _id_number(item),
            "verified": _bool(item, "verified", optional=True),
            "verified_at": _timestamp(item, "verified_at", optional=True)}


def _check_revocation(item: dict) -> dict:
    return {"platform_id": _platform_id(item), "reason": _choice(item, "reason", REVOKE_REASONS),
            "revoked_at": _timestamp(item, "revoked_at")}


def _names_list(item: dict, field: str) -> list[str]:
    value = _get(item, field)
    if not isinstance(value, list) or len(value) > MAX_ELIGIBLE:
        raise _Bad(field)
    out: list[str] = []
    for raw in value:
        name = _org({field: raw}, field)
        if name is None:
            raise _Bad(field)
        if name not in out:
            out.append(name)
    return out


def _check_event(item: dict) -> dict:
    uuid = _get(item, "uuid")
    if not isinstance(uuid, str) or not _UUID.match(uuid):
        raise _Bad("uuid")
    start = _timestamp(item, "entry_start", optional=True)
    end = _timestamp(item, "entry_end", optional=True)
    if start is not None and end is not None and end < start:
        raise _Bad("entry_end")
    return {"uuid": uuid, "kind": _choice(item, "kind", EVENT_KINDS), "name": _text(item, "name", 200).strip(),
            "date": _day(item, "date"), "venue": _text(item, "venue", 200).strip(),
            "host_enterprise": _org(item, "host_enterprise"), "host_union": _org(item, "host_union"),
            "entry_start": start, "entry_end": end, "capacity": _int(item, "capacity", 1, 10**6, optional=True),
            "admissions_per_member": _int(item, "admissions_per_member", 1, 99, optional=True),
            "eligible_unions": _names_list(item, "eligible_unions"),
            "eligible_enterprises": _names_list(item, "eligible_enterprises")}


def _check_key(item: dict) -> dict:
    kid = _get(item, "kid")
    if not isinstance(kid, str) or not _KID.match(kid):
        raise _Bad("kid")
    text = _get(item, "public_key")
    if not isinstance(text, str) or len(text) > 100:
        raise _Bad("public_key")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _Bad("public_key") from None
    if len(raw) != 32:
        raise _Bad("public_key")
    try:
        public = ecard.public_from_raw(raw)
    except ValueError:
        raise _Bad("public_key") from None
    # The key id is a hash of the key: a mismatch is a key someone swapped in.
    if ecard.key_id(public) != kid:
        raise _Bad("kid")
    label = _get(item, "label")
    if label is not None and (not isinstance(label, str) or len(label) > 100 or _CONTROL.search(label)):
        raise _Bad("label")
    return {"kid": kid, "public_key": raw.hex(), "label": label or "",
            "valid_from": _timestamp(item, "valid_from", optional=True),
            "valid_until": _timestamp(item, "valid_until", optional=True),
            "retired_at": _timestamp(item, "retired_at", optional=True)}


def _check_flag(item: dict) -> dict:
    event_uuid = _get(item, "event_uuid")
    if event_uuid is not None and (not isinstance(event_uuid, str) or not _UUID.match(event_uuid)):
        raise _Bad("event_uuid")
    stations = _get(item, "stations")
    if not isinstance(stations, list) or len(stations) > 100 or not all(
            isinstance(u, str) and _UUID.match(u) for u in stations):
        raise _Bad("stations")
    detail = _get(item, "detail")
    if not isinstance(detail, dict):
        raise _Bad("detail")
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if len(detail_text.encode()) > MAX_DETAIL_BYTES:
        raise _Bad("detail")
    return {"kind": _choice(item, "kind", FLAG_KINDS), "event_uuid": event_uuid,
            "subject": _text(item, "subject", 100), "stations": json.dumps(sorted(set(stations))),
            "detail": detail_text}


_CHECKS: dict[str, Callable[[dict], dict]] = {
    "roster": _check_roster, "verification": _check_verification, "revocations": _check_revocation,
    "events": _check_event, "keys": _check_key, "flags": _check_flag,
}

# Within one page each thing comes once ("an item appears once, at its latest state").
_IDENTITY: dict[str, Callable[[dict], tuple]] = {
    "roster": lambda c: (("p", c["platform_id"]), ("i", c["id_number"])),
    "verification": lambda c: (("p", c["platform_id"]),),
    "revocations": lambda c: (),
    "events": lambda c: (c["uuid"],),
    "keys": lambda c: (c["kid"],),
    "flags": lambda c: ((c["kind"], c["event_uuid"], c["subject"]),),
}


def _bad_item(kind: str, seq: object, field: str) -> StationError:
    shown = seq if type(seq) is int else "?"
    return PullRefused("sync_pull_bad_item", kind=kind, seq=shown, field=field)


def check_items(kind: str, items: object, floor: int, next_cursor: int) -> list[tuple[int, dict]]:
    """Every item of a page checked and cleaned: [(seq, clean item)], or StationError for the first bad one.

    floor: seqs must be above it (the cursor asked for); next_cursor: and at most this.
    """
    if kind not in _CHECKS:
        raise StationError("sync_pull_unknown_kind", kind=kind)
    if not isinstance(items, list) or len(items) > MAX_PAGE:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="items")
    checked: list[tuple[int, dict]] = []
    seen: set = set()
    last = floor
    for item in items:
        seq = item.get("seq") if isinstance(item, dict) else None
        if not isinstance(item, dict):
            raise _bad_item(kind, seq, "item")
        # Seqs rise strictly inside the page and stay within (cursor, next_cursor]: an item
        # outside would be one the cursor says was already applied, or one it would skip.
        if type(seq) is not int or not last < seq <= next_cursor:
            raise _bad_item(kind, seq, "seq")
        last = seq
        try:
            clean = _CHECKS[kind](item)
        except _Bad as bad:
            raise _bad_item(kind, seq, bad.field) from None
        for ident in _IDENTITY[kind](clean):
            if ident in seen:
                raise _bad_item(kind, seq, "duplicate")
            seen.add(ident)
        checked.append((seq, clean))
    return checked


def check_reply(kind: str, cursor: int, limit: int, reply: object) -> tuple[int, bool, list[tuple[int, dict]]]:
    """(next_cursor, more, checked items) of one page, or StationError when it is not the page asked for."""
    if not isinstance(reply, dict) or reply.get("ok") is not True:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="ok")
    if reply.get("protocol") != PROTOCOL:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="protocol")
    if reply.get("kind") != kind:
        raise PullRefused("sync_pull_kind_mismatch", asked=kind, got=str(reply.get("kind"))[:40])
    if type(reply.get("cursor")) is not int or reply["cursor"] != cursor:
        raise PullRefused("sync_pull_cursor_mismatch", kind=kind, asked=cursor, got=str(reply.get("cursor"))[:40])
    next_cursor, more = reply.get("next_cursor"), reply.get("more")
    if type(next_cursor) is not int or type(more) is not bool:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="next_cursor/more")
    if next_cursor < cursor:
        raise PullRefused("sync_pull_cursor_backwards", kind=kind, cursor=cursor, next=next_cursor)
    items = check_items(kind, reply.get("items"), cursor, next_cursor)
    if len(items) > max(limit, 1):
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="items")
    # next_cursor is the last item's seq: anything beyond it would be changes skipped unseen.
    expected = items[-1][0] if items else cursor
    if next_cursor != expected:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="next_cursor")
    if more and not items:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="more")  # would ask for the same page forever
    return next_cursor, more, items


# -- small helpers over the store -------------------------------------------------------------


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
    for item, b in zip(items, bidx):
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
        s.execute(Member.__table__.insert(), inserts)
    if updates:
        s.execute(update(Member), updates)  # ORM bulk UPDATE by primary key
    ids = {b: mid for mid, b in _rows_in(s, (Member.id, Member.id_bidx), Member.id_bidx, bidx)}
    _link_holders(s, [(i["platform_id"], ids[b], i["card_status"]) for i, b in zip(items, bidx)], now)


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
        s.execute(CardHolder.__table__.insert(), inserts)


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
    missing = [i["platform_id"] for i, b in zip(items, bidx) if b not in by_bidx]
    by_pid: dict[int, tuple] = {}
    for part in _chunks(list(dict.fromkeys(missing))):
        for pid, mid, v, at in s.execute(
                select(CardHolder.platform_id, Member.id, Member.verified, Member.verified_at)
                .join(Member, Member.id == CardHolder.member_id).where(CardHolder.platform_id.in_(part))):
            by_pid[pid] = (mid, v, at)
    updates = []
    for item, b in zip(items, bidx):
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

_EVENT_FIELDS = ("kind", "name", "date", "venue", "entry_start", "entry_end", "capacity", "admissions_per_member")


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
        wanted = [(orgs.union(n), None) for n in item["eligible_unions"]]
        wanted += [(None, orgs.enterprise(n, None)) for n in item["eligible_enterprises"]]
        wanted = list(dict.fromkeys(wanted))
        if current[ev.id] != wanted:
            s.execute(EventEligibility.__table__.delete().where(EventEligibility.event_id == ev.id))
            for uid, eid in wanted:
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
    for seq, item in zip(seqs, items):
        key = (item["kind"], item["event_uuid"], item["subject"])
        row = rows.get(key)
        if row is None:
            # Looked up by hand, not left to the unique index: SQLite lets two NULL event uuids through.
            rows[key] = SyncFlag(hub_seq=seq, kind=key[0], event_uuid=key[1], subject=key[2],
                                 stations=item["stations"], detail=item["detail"], pulled_at=now)
            s.add(rows[key])
        elif (row.hub_seq, row.stations, row.detail) != (seq, item["stations"], item["detail"]):
            row.hub_seq, row.stations, row.detail, row.pulled_at = seq, item["stations"], item["detail"], now


# -- one page --------------------------------------------------------------------------------


def _require(operator: OperatorSession | None) -> FieldCipher:
    """Pulling writes the roster (personal data): a logged-in organizer only."""
    if operator is None or getattr(operator, "cipher", None) is None:
        raise StationError("sync_pull_login_required")
    operator.require("sync")
    return operator.cipher


def _refuse_unconverted(s: Session) -> None:
    # Members of a store made before encryption are known by their clear ID only:
    # a pull could not find them by blind index and would add each person twice.
    legacy = s.scalar(select(Member.id).where(Member.id_bidx.is_(None), Member.legacy_id_number.is_not(None)).limit(1))
    if legacy is not None:
        raise StationError("sync_pull_needs_encryption")


def stored_cursor(s: Session, kind: str) -> int:
    row = s.get(SyncCursor, kind)
    return row.cursor if row is not None else 0


def cursors(store: Store) -> dict[str, int]:
    """The stored pull cursor of every kind (0: nothing pulled yet)."""
    with store.session() as s:
        return {kind: stored_cursor(s, kind) for kind in PULL_ORDER}


def _save_cursor(s: Session, kind: str, value: int, now: dt.datetime) -> None:
    row = s.get(SyncCursor, kind)
    if row is None:
        s.add(SyncCursor(kind=kind, cursor=value, updated_at=now))
    elif value > row.cursor:
        row.cursor, row.updated_at = value, now


def _apply_checked(s: Session, cipher: FieldCipher, kind: str, checked: list[tuple[int, dict]], now: dt.datetime) -> None:
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


def _commit_page(store: Store, cipher: FieldCipher, kind: str, checked: list[tuple[int, dict]],
                 next_cursor: int) -> int:
    """Apply the items above the stored cursor and move the cursor, in one transaction; items applied."""
    now = now_utc()
    with store.session() as s:
        floor = stored_cursor(s, kind)
        # At or below the stored cursor: applied already, or superseded by a state applied since.
        fresh = [(seq, c) for seq, c in checked if seq > floor]
        _apply_checked(s, cipher, kind, fresh, now)
        _save_cursor(s, kind, next_cursor, now)
        s.commit()
    return len(fresh)


def apply_page(store: Store, operator: OperatorSession, kind: str, items: list, next_cursor: int) -> int:
    """Check and apply one page of ``kind`` (the hub's items) and store ``next_cursor``; items applied.

    For tests and the offline path; pull_all uses the same steps.  A
    malformed item refuses the whole page (StationError naming kind and
    seq) and nothing is written.  Repeating a page, or an older one, changes
    nothing: items at or below the stored cursor are skipped and the cursor
    never goes back.
    """
    cipher = _require(operator)
    if type(next_cursor) is not int or next_cursor < 0:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="next_cursor")
    checked = check_items(kind, items, 0, next_cursor)
    return _commit_page(store, cipher, kind, checked, next_cursor)


# -- a whole pull ----------------------------------------------------------------------------------


def _pull_kind(store: Store, cipher: FieldCipher, kind: str, fetch_page: FetchPage, limit: int,
               progress: Progress | None, cancel: threading.Event | None, applied: dict[str, int]) -> None:
    with store.session() as s:
        cursor = stored_cursor(s, kind)
    while True:
        if cancel is not None and cancel.is_set():
            raise PullCancelled(dict(applied))
        reply = fetch_page(kind, cursor, limit)
        next_cursor, more, checked = check_reply(kind, cursor, limit, reply)
        applied[kind] += _commit_page(store, cipher, kind, checked, next_cursor)
        cursor = next_cursor
        if progress is not None:
            # The hub does not say how much is left: total 0 while more is coming.
            progress(f"pull:{kind}", applied[kind], 0 if more else applied[kind])
        if not more:
            return


def pull_all(store: Store, operator: OperatorSession, fetch_page: FetchPage, *, progress: Progress | None = None,
             cancel: threading.Event | None = None, limit: int = 1000) -> dict[str, int]:
    """Pull every kind in PULL_ORDER from its stored cursor until the hub has no more; items applied per kind.

    fetch_page(kind, cursor, limit) returns the hub's reply dict (transport
    errors are the caller's).  A reply that is not the page asked for, or
    holds a bad item, raises StationError and nothing of it is applied;
    pages before it stay applied with their cursors, so the next pull
    resumes there.  cancel is checked between pages (PullCancelled).  One
    audit entry records the counts (never personal data), whatever the end.
    """
    cipher = _require(operator)
    if type(limit) is not int or not 1 <= limit <= MAX_PAGE:
        raise StationError("sync_pull_bad_limit", max=MAX_PAGE)
    applied = {kind: 0 for kind in PULL_ORDER}
    outcome = "failed"
    try:
        for kind in PULL_ORDER:
            _pull_kind(store, cipher, kind, fetch_page, limit, progress, cancel, applied)
        outcome = "ok"
        return dict(applied)
    except PullCancelled:
        outcome = "cancelled"
        raise
    finally:
        _audit(store, operator, applied, outcome)


def _audit(store: Store, operator: OperatorSession, applied: dict[str, int], outcome: str) -> None:
    details: dict[str, Any] = {"outcome": outcome, **applied}
    try:
        audit.append(store, "sync_pull", operator=operator.name, details=details, cipher=operator.cipher)
    except Exception:
        # Never hide why the pull stopped behind a failure to record it; the log keeps both.
        if outcome == "ok":
            raise
        log.exception("could not write the audit entry of a %s pull", outcome)
