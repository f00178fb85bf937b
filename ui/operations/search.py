"""查询's core call: station.roster.search, off the GUI thread as the operator types."""

from __future__ import annotations

from PySide6.QtCore import QObject

from station.roster import search as roster_search
from station.roster.search import Hit
from station.security.operators import OperatorSession
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner


def search(parent: QObject, runner: TaskRunner, store: Store, query: str, operator: OperatorSession, *,
           limit: int) -> CoreOp[list[Hit]]:
    """At most ``limit`` people matching ``query`` (name, pinyin initials, phone or ID tail), fields clear."""
    return CoreOp(parent, runner, lambda: roster_search.search(store, query, operator, limit=limit), name="search")
