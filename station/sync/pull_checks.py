"""Checking a pulled page before anything is written: the reply's envelope, then every item, field by field.

The network is not trusted (docs/sync-protocol.md, "Pulling changes"): a bad ID number or a wrong type
refuses the whole page.  Applying checked items is station/sync/pull_apply.py; the loop that fetches
pages and commits them is station/sync/pull.py.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from typing import Any, Literal, overload

from station.checkin import ecard
from station.errors import StationError
from station.i18n import t
from station.people import idnumber, mobile, names
from station.people.textnorm import clean_org_name

# Keys first: an e-card code the hub issued is only checkable once its key is
# here.  Events before anything that might refer to them (flags name events).
# The roster before verification and revocations: they find members and card
# holders the roster made.  Flags last: they only inform the sync report.
PULL_ORDER = ("keys", "events", "roster", "verification", "revocations", "flags")
PROTOCOL = 1
MAX_PAGE = 5000  # the hub's own upper limit on a page

CARD_STATUSES = (ecard.STATUS_ACTIVE, ecard.STATUS_LOST, ecard.STATUS_CANCELLED)
REVOKE_REASONS = (ecard.STATUS_LOST, ecard.STATUS_CANCELLED)
EVENT_KINDS = ("booth", "screening", "redemption")
FLAG_KINDS = ("same_person", "double_admission")
MAX_ORG = 200  # models.Enterprise.name / Union.name
MAX_ELIGIBLE = 500
MAX_DETAIL_BYTES = 8192


# What each pulled kind is called in a refusal's message.
PULL_KIND_KEYS: dict[str, str] = {
    "keys": "sync_kind_keys", "events": "sync_kind_events", "roster": "sync_kind_roster",
    "verification": "sync_kind_verification", "revocations": "sync_kind_revocations", "flags": "sync_kind_flags",
    "checkins": "sync_kind_checkins", "registrations": "sync_kind_registrations",  # live sync's (live_checks.py)
}


class PullRefused(StationError):
    """A reply or page refused; the message names the kind of data in the reader's language."""

    def message(self, lang: str | None = None) -> str:
        params = dict(self.params)
        for name in ("kind", "asked", "got"):
            if params.get(name) in PULL_KIND_KEYS:
                params[name] = t(PULL_KIND_KEYS[str(params[name])], lang)
        return t(self.key, lang, **params)


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


@overload
def _int(item: dict, field: str, lo: int, hi: int, optional: Literal[False] = False) -> int: ...
@overload
def _int(item: dict, field: str, lo: int, hi: int, optional: bool) -> int | None: ...
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


@overload
def _text(item: dict, field: str, max_len: int, optional: Literal[False] = False) -> str: ...
@overload
def _text(item: dict, field: str, max_len: int, optional: bool) -> str | None: ...
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
            "reentry": bool(_bool(item, "reentry", optional=True)),
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


def check_reply(kind: str, cursor: int, limit: int, reply: object, *,
                skips_own: bool = False) -> tuple[int, bool, list[tuple[int, dict]]]:
    """(next_cursor, more, checked items) of one page, or StationError when it is not the page asked for.

    skips_own: the hub leaves this station's own rows out (live sync's ``events?scope=all``), so
    next_cursor may lie beyond the last item, never below it."""
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
    if next_cursor != expected and not (skips_own and next_cursor > expected):
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="next_cursor")
    if more and next_cursor == cursor:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="more")  # would ask for the same page forever
    return next_cursor, more, items
