"""Which hub this station keeps in step with live: the event host it joined, else the town hub (issue 15).

Shared by `station sync live` and the app's live-sync worker (ui/operations/live.py).
"""

from __future__ import annotations

import threading

from station.errors import StationError
from station.i18n import t
from station.security.operators import OperatorSession
from station.store.database import Store
from station.sync import client as sync_client
from station.sync import lan_link
from station.sync.live import WAIT_S, LiveSync, live_allowed


def has_target(store: Store) -> bool:
    return lan_link.event_link(store) is not None or sync_client.link(store) is not None


def open_live(store: Store, operator: OperatorSession, *, wait_s: float = WAIT_S,
              cancel: threading.Event | None = None) -> tuple[LiveSync, str]:
    """(the LiveSync, a sentence naming its hub); StationError when there is no hub or the operator may not.

    The town hub takes live sync from an organizer only (it empties the day-end queue); the event
    host from anyone who works the door or the booth."""
    if not live_allowed(operator):
        raise StationError("not_permitted", role=operator.role, action="live")
    quick = {"retries": 1, "backoff": 0.5, "max_backoff": 2.0, "timeout": wait_s + 10}
    if lan_link.event_link(store) is not None:
        client = lan_link.event_client(store, operator, **quick)
        return (LiveSync(store, operator, client, host=True, wait_s=wait_s, cancel=cancel),
                t("live_target_event", url=client.base_url))
    if sync_client.link(store) is not None:
        operator.require("sync")
        client = sync_client.client_for(store, operator, **quick)
        return (LiveSync(store, operator, client, host=False, wait_s=wait_s, cancel=cancel),
                t("live_target_town", url=client.base_url))
    raise StationError("live_no_target")
