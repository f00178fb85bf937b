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
never talks to the network.  Checking a page is station/sync/pull_checks.py,
applying its items station/sync/pull_apply.py; this module is the loop: one
page after another, each committed with its cursor.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from station.errors import StationError
from station.security import audit
from station.security.fieldcrypt import FieldCipher
from station.security.operators import OperatorSession
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import SyncCursor
from station.sync.pull_apply import apply_checked
from station.sync.pull_checks import MAX_PAGE, PULL_ORDER, PullRefused, check_items, check_reply

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
FetchPage = Callable[[str, int, int], dict]


class PullCancelled(StationError):
    """The organizer stopped the pull between two pages; what was applied stays (and its cursors)."""

    def __init__(self, applied: dict[str, int]) -> None:
        super().__init__("sync_pull_cancelled")
        self.applied = applied


# -- one page --------------------------------------------------------------------------------


def _require(operator: OperatorSession | None) -> FieldCipher:
    """Pulling writes the roster (personal data): a logged-in organizer only."""
    if operator is None or getattr(operator, "cipher", None) is None:
        raise StationError("sync_pull_login_required")
    operator.require("sync")
    return operator.cipher


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


def _commit_page(store: Store, cipher: FieldCipher, kind: str, checked: list[tuple[int, dict]],
                 next_cursor: int) -> int:
    """Apply the items above the stored cursor and move the cursor, in one transaction; items applied."""
    now = now_utc()
    with store.session() as s:
        floor = stored_cursor(s, kind)
        # At or below the stored cursor: applied already, or superseded by a state applied since.
        fresh = [(seq, c) for seq, c in checked if seq > floor]
        apply_checked(s, cipher, kind, fresh, now)
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
    applied = dict.fromkeys(PULL_ORDER, 0)
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
