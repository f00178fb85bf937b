"""Checking the other stations' check-ins and sign-ups pulled by live sync (issue 15).

The hub's ``checkins`` and ``registrations`` pulls (docs/sync-protocol.md, "Live
sync") return what the OTHER stations of the hub did.  As with every pull,
the page is checked whole before anything is written (station/sync/pull_checks.py
is the model, and lends its field checks): a hostile or damaged reply refuses
the page and the cursor stays.  One difference: the hub skips the requesting
station's own records, so ``next_cursor`` may lie beyond the last item.
"""

from __future__ import annotations

from station.people import names
from station.sync.pull_checks import (
    _UUID,
    MAX_PAGE,
    PROTOCOL,
    PullRefused,
    _Bad,
    _bad_item,
    _bool,
    _choice,
    _get,
    _id_number,
    _int,
    _text,
    _timestamp,
)

LIVE_KINDS = ("checkins", "registrations")
VERDICTS = ("pass", "refuse", "warn")
OUTCOMES = ("roster", "new")


def _uuid(item: dict, field: str) -> str:
    value = _get(item, field)
    if not isinstance(value, str) or not _UUID.match(value):
        raise _Bad(field)
    return value


def _check_checkin(item: dict) -> dict:
    code_sha = _get(item, "code_sha")
    if code_sha is not None and (not isinstance(code_sha, str) or len(code_sha) != 16
                                 or any(c not in "0123456789abcdef" for c in code_sha)):
        raise _Bad("code_sha")
    reason = _get(item, "reason")
    if reason is not None and (not isinstance(reason, str) or not 0 < len(reason) <= 20 or not reason.isascii()):
        raise _Bad("reason")
    detail = _get(item, "detail")
    if detail is not None and (not isinstance(detail, str) or len(detail) > 40):
        raise _Bad("detail")
    # An exit is a check-in whose detail says so (a passed one) or that was refused for not being inside.
    direction = "out" if detail == "exit" or reason == "not_inside" else "in"
    return {"uuid": _uuid(item, "uuid"), "event_uuid": _uuid(item, "event_uuid"),
            "station_uuid": _uuid(item, "station_uuid"), "station_name": _text(item, "station_name", 100).strip(),
            "operator": (_text(item, "operator", 100, optional=True) or "").strip() if item.get("operator") else "",
            "verdict": _choice(item, "verdict", VERDICTS), "reason": reason, "direction": direction,
            "admitted": bool(_bool(item, "admitted")),
            "platform_id": _int(item, "platform_id", 1, 2**62, optional=True),
            "code_sha": code_sha, "created_at": _timestamp(item, "created_at")}


def _check_registration(item: dict) -> dict:
    name, _error, _params = names.check(_text(item, "name", 100))
    if name is None:
        raise _Bad("name")
    return {"uuid": _uuid(item, "uuid"), "event_uuid": _uuid(item, "event_uuid"),
            "station_uuid": _uuid(item, "station_uuid"), "station_name": _text(item, "station_name", 100).strip(),
            "id_number": _id_number(item), "name": name, "outcome": _choice(item, "outcome", OUTCOMES),
            "created_at": _timestamp(item, "created_at")}


_CHECKS = {"checkins": _check_checkin, "registrations": _check_registration}


def check_live_reply(kind: str, cursor: int, limit: int, reply: object) -> tuple[int, bool, list[tuple[int, dict]]]:
    """(next_cursor, more, [(seq, clean item)]) of one live page, or PullRefused naming what is wrong."""
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
    items = reply.get("items")
    if not isinstance(items, list) or len(items) > min(max(limit, 1), MAX_PAGE):
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="items")
    checked: list[tuple[int, dict]] = []
    seen: set[str] = set()
    last = cursor
    for item in items:
        seq = item.get("seq") if isinstance(item, dict) else None
        if not isinstance(item, dict):
            raise _bad_item(kind, seq, "item")
        if type(seq) is not int or not last < seq <= next_cursor:
            raise _bad_item(kind, seq, "seq")
        last = seq
        try:
            clean = _CHECKS[kind](item)
        except _Bad as bad:
            raise _bad_item(kind, seq, bad.field) from None
        if clean["uuid"] in seen:
            raise _bad_item(kind, seq, "duplicate")
        seen.add(clean["uuid"])
        checked.append((seq, clean))
    if more and next_cursor == cursor:
        raise PullRefused("sync_pull_bad_reply", kind=kind, field="more")  # would ask for the same page forever
    return next_cursor, more, checked
