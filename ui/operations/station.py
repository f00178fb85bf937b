"""Start-up upkeep of the windowed station: the integrity check, the start-up backup, the retention purge.

The integrity check and the backup run detached (read-only, or a backup cut
short at exit stays a ".partial" file): closing the window must not wait
for them on a big store.  The purge writes, so closing the window waits for it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from station.security import retention
from station.store.database import Backup, Store, integrity_problem
from ui.operations import CoreOp
from ui.workers import TaskRunner


def check_integrity(parent: QObject | None, runner: TaskRunner, store: Store) -> CoreOp[str | None]:
    """PRAGMA integrity_check on the database file: None when it passes, else SQLite's first complaint."""
    database = store.paths.database
    return CoreOp(parent, runner, lambda: integrity_problem(database), name="integrity").detached()


def backup(parent: QObject | None, runner: TaskRunner, store: Store, reason: str) -> CoreOp[Backup | None]:
    """A backup unless one was taken lately (None then)."""
    return CoreOp(parent, runner, lambda: store.backup_if_due(reason), name="backup").detached()


def purge_retention(parent: QObject | None, runner: TaskRunner, store: Store) -> CoreOp[dict]:
    """What is past retention goes (it needs no key); the call returns the counts."""
    return CoreOp(parent, runner, lambda: retention.purge(store), name="retention-purge")
