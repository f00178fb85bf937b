"""What the door's lists and checks are built from, as one version: to notice a change made elsewhere.

The 核验 screen lists the events and its verdict service keeps the event
and the trusted keys in memory.  Those change outside the screen: an event
made from the CLI (``station event create``), on another screen, or
brought by a sync; a key added or retired; an event's window or capacity
edited.  The screen asks for this version every few seconds (a few
milliseconds of reading, no lock taken) and, when it differs, lists the
events again and reloads its service between two checks.

Revocations and card statuses are not part of it: a check reads them from
the store each time, so they apply from the next code on anyway.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from station.store.database import Store

_EVENTS = (
    "SELECT id, kind, name, date, venue, entry_start, entry_end, capacity, admissions_per_member"
    " FROM events WHERE kind IN ('screening', 'redemption') ORDER BY id"
)
_ELIGIBILITY = "SELECT count(*), total(rowid) FROM event_eligibility"
_KEYS = "SELECT kid, valid_from, valid_until, retired_at FROM ecard_keys ORDER BY kid"


def catalog_version(store: Store) -> str:
    """A short digest of the door's events, their eligibility and the trusted keys: equal while none changed."""
    digest = hashlib.blake2b(digest_size=16)
    with store.session() as s:
        for query in (_EVENTS, _ELIGIBILITY, _KEYS):
            for row in s.execute(text(query)):
                digest.update(repr(tuple(row)).encode())
            digest.update(b"\x1e")
    return digest.hexdigest()
