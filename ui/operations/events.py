"""新建活动's core call: creating a screening or redemption event (station.checkin.events)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from station.checkin import events
from station.checkin.events import EventDraft, EventInfo
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner


def create_event(parent: QObject, runner: TaskRunner, store: Store, draft: EventDraft) -> CoreOp[EventInfo]:
    """The new event (its eligibility rows too); a StationError says what to fix."""
    return CoreOp(parent, runner, lambda: events.create_event(store, draft), name="event-create")
