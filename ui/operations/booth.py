"""The booth: its session (开启场次 / 结束场次) and the organisation names the forms complete from.

Opening or closing a session is a quick write the dialog shows done at
once (``run_now``); the organisation names are a GROUP BY over the whole
roster, so they load in a worker (station.store.orgs.org_names).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject

from station.signup import booth
from station.signup.booth import SessionInfo
from station.store import orgs
from station.store.database import Store
from station.store.orgs import OrgNames
from ui.operations import CoreOp
from ui.workers import TaskRunner


def org_names(parent: QObject, runner: TaskRunner, store: Store) -> CoreOp[OrgNames]:
    """Completion lists for 单位 and 基层工会."""
    return CoreOp(parent, runner, lambda: orgs.org_names(store), name="org-names")


def open_session(parent: QObject, runner: TaskRunner, store: Store, *, venue: str, promoter: str,
                 enterprise: str | None, union: str | None, date: dt.date,
                 event_name: str | None) -> CoreOp[SessionInfo]:
    """Open a booth session (closing any open one); StationError session_venue_required / …_promoter_required."""
    return CoreOp(parent, runner,
                  lambda: booth.open_session(store, venue=venue, promoter=promoter, enterprise=enterprise,
                                             union=union, date=date, event_name=event_name),
                  name="open-session")


def close_session(parent: QObject, runner: TaskRunner, store: Store) -> CoreOp[None]:
    return CoreOp(parent, runner, lambda: booth.close_session(store), name="close-session")
