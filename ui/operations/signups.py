"""登记记录's core call: the sign-ups of today, of the open session's event, or all (station.signup.service)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from station.security.operators import OperatorSession
from station.signup import booth
from station.signup import service as signup
from station.signup.service import SignupRow
from station.store.clock import local_today
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner

SCOPES = ("today", "event", "all")


def list_signups(parent: QObject, runner: TaskRunner, store: Store, operator: OperatorSession, scope: str, *,
                 limit: int) -> CoreOp[list[SignupRow] | None]:
    """The newest ``limit`` sign-ups in ``scope`` (one of SCOPES); None for "event" when no session is open."""

    def load() -> list[SignupRow] | None:
        if scope == "today":
            return signup.list_signups(store, operator, day=local_today(), limit=limit)
        if scope == "event":
            info = booth.current_session(store)
            return signup.list_signups(store, operator, event_id=info.event_id, limit=limit) if info else None
        return signup.list_signups(store, operator, limit=limit)

    return CoreOp(parent, runner, load, name="signups")
