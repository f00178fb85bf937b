"""Organizer work: operators, the audit log, exports, unmasking one record, the idle-lock setting.

Setting a secret derives a key (0.4 s of scrypt), an export writes a file
and a verification reads the whole log, so they run in a worker, as does
unmasking; removing an operator and saving a setting are quick writes the
dialog shows done at once (``run_now``).  The core checks the operator's
permission on every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QObject

from station.reports.exports import ExportColumn, ExportResult, export_rows
from station.security import audit, operators, protect
from station.security.fieldcrypt import FieldCipher
from station.security.operators import OperatorSession
from station.security.settings import IntSetting, set_int
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner


def add_operator(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, name: str, role: str,
                 secret: str) -> CoreOp[None]:
    return CoreOp(parent, runner, lambda: operators.add_operator(store, op, name, role, secret), name="operator-save")


def change_secret(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, name: str,
                  secret: str) -> CoreOp[None]:
    """Someone else's secret (organizers), or one's own."""
    return CoreOp(parent, runner, lambda: operators.change_secret(store, op, name, secret), name="operator-save")


def remove_operator(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession,
                    name: str) -> CoreOp[None]:
    return CoreOp(parent, runner, lambda: operators.remove_operator(store, op, name), name="operator-remove")


def verify_audit(parent: QObject, runner: TaskRunner, store: Store,
                 cipher: FieldCipher | None) -> CoreOp[list[audit.Problem]]:
    """The whole hash chain and its keyed anchor."""
    return CoreOp(parent, runner, lambda: audit.verify(store, cipher), name="audit-verify")


def export(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, path: Path,
           columns: Sequence[ExportColumn], rows: Sequence[Mapping[str, object]], *, purpose: str,
           unmasked: bool) -> CoreOp[ExportResult]:
    """Rows to a CSV or XLSX file, masked unless ``unmasked``; the purpose and the count are audited."""
    return CoreOp(parent, runner,
                  lambda: export_rows(store, op, path, columns, rows, purpose=purpose, unmasked=unmasked),
                  name="export")


def unmask(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, *, kind: str,
           target: str | int, reason: str) -> CoreOp[None]:
    """Record that an organizer looks at one record in clear, and why (refused unless allowed)."""
    return CoreOp(parent, runner, lambda: protect.unmask(store, op, kind=kind, target=target, reason=reason),
                  name="unmask")


def save_setting(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, setting: IntSetting,
                 value: int) -> CoreOp[int]:
    """Change a setting (organizers); the call returns the value it had."""
    return CoreOp(parent, runner, lambda: set_int(store, op, setting, value), name="setting")
