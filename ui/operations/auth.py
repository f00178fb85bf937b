"""Who is at the station: set-up, log-in, recovery, encrypting an old store, lock and unlock.

Set-up, log-in and recovery run the slow key derivation (0.4 s of scrypt)
in a worker; recording a lock or an unlock is a quick audit entry made at
once (``run_now``), so the log has it before the lock screen shows (on a
busy store it is made in a worker a moment later: locking never waits).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from station.security import audit, operators, protect
from station.security.operators import OperatorSession
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner

# (recovery key, the new organizer's session)
SetupResult = tuple[str, OperatorSession]
# (the session, the keyed audit anchor as it was before this log-in's own entry moved it)
LoginResult = tuple[OperatorSession, str | None]


def setup(parent: QObject, runner: TaskRunner, store: Store, name: str, secret: str) -> CoreOp[SetupResult]:
    """The first organizer and the recovery key, then their log-in."""

    def work() -> SetupResult:
        key = operators.create_first_organizer(store, name, secret)
        return key, operators.login(store, name, secret)

    return CoreOp(parent, runner, work, name="setup")


def login(parent: QObject, runner: TaskRunner, store: Store, name: str, secret: str) -> CoreOp[LoginResult]:
    def work() -> LoginResult:
        anchor = audit.stored_anchor(store)  # before the log-in's own entry re-anchors the log
        return operators.login(store, name, secret), anchor

    return CoreOp(parent, runner, work, name="login")


def organizers(parent: QObject, runner: TaskRunner, store: Store) -> CoreOp[list[str]]:
    """The active organizers' names: who may leave the door's kiosk mode."""
    return CoreOp(parent, runner, lambda: operators.organizer_names(store), name="organizers")


def recover(parent: QObject, runner: TaskRunner, store: Store, key: str, secret: str,
            name: str | None) -> CoreOp[LoginResult]:
    """The recovery key gives organizer ``name`` a new passphrase and logs them in."""

    def work() -> LoginResult:
        anchor = audit.stored_anchor(store)
        return operators.recover(store, key, secret, name=name), anchor

    return CoreOp(parent, runner, work, name="recover")


def encrypt_existing(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession,
                     progress: Callable[[object], object]) -> CoreOp[object]:
    """A store from before encryption: its ID numbers and mobiles encrypted now; ``progress((done, total))``."""

    def work(report: Callable[[object], None]) -> object:
        return protect.encrypt_existing(store, op, progress=lambda done, total: report((done, total)))

    return CoreOp(parent, runner, work, name="encrypt-existing").with_progress(progress)


def record_lock(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession,
                reason: str) -> CoreOp[object]:
    """The lock's audit entry (run it with ``run_now``: locking must not wait for a worker)."""
    return CoreOp(parent, runner, lambda: audit.append(store, "lock", operator=op.name, target=op.name,
                                                       details={"reason": reason}, cipher=op.cipher),
                  name="record-lock")


def record_unlock(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession,
                  locked_by: str) -> CoreOp[object]:
    """The unlock's audit entry: who came back, and whether it was someone else than who locked."""
    return CoreOp(parent, runner, lambda: audit.append(store, "unlock", operator=op.name, target=locked_by,
                                                       details={"switched": op.name != locked_by}, cipher=op.cipher),
                  name="record-unlock")


def check_audit(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession,
                anchor: str | None) -> CoreOp[list[audit.Problem]]:
    """At an organizer's log-in: the chain and its keyed anchor (as it was before the log-in)."""
    cipher = op.cipher
    return CoreOp(parent, runner, lambda: audit.verify(store, cipher, anchor=anchor), name="audit-check")
