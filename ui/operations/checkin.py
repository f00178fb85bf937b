"""The door's way to the core (ui/scan_screen.py): events, the verdict service, checks, the manual look-up.

Checks and whatever changes the service (opening it, reloading it) go to
the screen's one-thread runner, so they run one at a time in the order
they came; look-ups and lists go to its ordinary runner.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from station.checkin import catalog, events, rules
from station.checkin.door_flags import DoorFlag, double_admissions
from station.checkin.frames import list_cameras
from station.checkin.service import CheckinService, DoorCounts, Verdict
from station.roster import search
from station.security.operators import OperatorSession
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner


def list_events(parent: QObject, runner: TaskRunner, store: Store) -> CoreOp[list[events.EventInfo]]:
    """The events to check against, for the screen's event list."""
    return CoreOp(parent, runner, lambda: events.list_events(store), name="scan-events")


def catalog_version(parent: QObject, runner: TaskRunner, store: Store) -> CoreOp[str]:
    """The version of the events and trusted keys (station/checkin/catalog.py): changed when another screen,
    the CLI or a sync changed them."""
    return CoreOp(parent, runner, lambda: catalog.catalog_version(store), name="scan-catalog")


def open_door(parent: QObject, checks: TaskRunner, store: Store, event_id: int,
              operator: OperatorSession | None) -> CoreOp[CheckinService]:
    """The verdict service for one event, checking as ``operator`` (StationError: locked, or not permitted)."""
    return CoreOp(parent, checks, lambda: CheckinService(store, event_id, operator=operator), name="scan-service")


def reload(parent: QObject, checks: TaskRunner, service: CheckinService) -> CoreOp[None]:
    """Read the event and the trusted keys again, between two checks (after a sync)."""
    return CoreOp(parent, checks, service.reload, name="scan-reload")


def admitted(parent: QObject, checks: TaskRunner, service: CheckinService) -> CoreOp[int]:
    """The hall's admitted count (every door's), read again after live sync brought other doors' check-ins."""
    return CoreOp(parent, checks, service.admitted, name="scan-admitted")


def door_flags(parent: QObject, runner: TaskRunner, store: Store, event_id: int) -> CoreOp[list[DoorFlag]]:
    """The event's cards admitted at two doors while the link was down (flags the hub raised)."""
    return CoreOp(parent, runner, lambda: double_admissions(store, event_id), name="scan-flags")


def door_counts(parent: QObject, checks: TaskRunner, service: CheckinService) -> CoreOp[DoorCounts]:
    """Who is inside the hall (every door known) and this door's own entries and exits (出场再入场 events)."""
    return CoreOp(parent, checks, service.counts, name="scan-counts")


def check_code(parent: QObject, checks: TaskRunner, service: CheckinService, text: str,
               source: str, direction: str = rules.IN) -> CoreOp[Verdict]:
    """The stored verdict for a scanned code (any text: bad input is a refusal, not an error), as an entry
    (``in``) or an exit (``out``)."""
    return CoreOp(parent, checks, lambda: service.check_code(text, source, direction), name="check")


def check_member(parent: QObject, checks: TaskRunner, service: CheckinService, member_id: int,
                 direction: str = rules.IN) -> CoreOp[Verdict]:
    """The stored verdict for a member found by the manual look-up."""
    return CoreOp(parent, checks, lambda: service.check_member(member_id, direction=direction),
                  name="check-member")


def find_members(parent: QObject, runner: TaskRunner, store: Store, query: str, operator: OperatorSession,
                 *, limit: int = 20) -> CoreOp[list[search.Hit]]:
    """Members matching a name, initials or the end of a phone number, for the manual look-up."""
    return CoreOp(parent, runner, lambda: search.search(store, query, operator, limit=limit), name="scan-search")


def cameras(parent: QObject, runner: TaskRunner) -> CoreOp[list[int]]:
    """The webcams' indexes; detached, as probing a camera may hang for seconds."""
    return CoreOp(parent, runner, list_cameras, name="cameras").detached()
