"""同步: what the sync screen shows, enrolling, 立即同步, the offline file and its receipt.

Everything here touches the disk or the network, so it all runs in a
worker.  The screen's state is one load of the core's own readings
(station.sync.client.link, station.sync.records.pending_counts and
open_refusals, station.sync.report.last_report, station.sync.bundle's
awaiting_receipt and refusal_labels).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from station.security.operators import OperatorSession
from station.store.database import Store
from station.sync import bundle as sync_bundle
from station.sync import client as sync_client
from station.sync import records as sync_records
from station.sync import report as sync_report
from station.sync.report import SyncReport
from ui.operations import CoreOp
from ui.workers import TaskRunner

# (stage, done, total) as station.sync.client.run_sync reports it
SyncProgress = tuple[str, int, int]


@dataclass
class SyncState:
    """One load of what the screen shows (in a worker)."""

    link: Any = None  # the enrollment (station.sync.client.link), or None
    counts: dict[str, int] = field(default_factory=dict)
    last: SyncReport | None = None
    refusals: list = field(default_factory=list)  # (kind, label, record uuid, error, reason, last seen)
    awaiting_receipt: dt.datetime | None = None  # the newest offline file whose receipt has not come back


def load_state(store: Store) -> SyncState:
    state = SyncState(link=sync_client.link(store), counts=sync_records.pending_counts(store),
                      last=sync_report.last_report(store, mode="network"))
    refusals = sync_records.open_refusals(store)
    labels = sync_bundle.refusal_labels(store, refusals)
    state.refusals = [(r.kind, labels.get(r.record_uuid) or r.record_uuid[:8], r.record_uuid, r.error, r.reason,
                       r.last_at) for r in refusals]
    state.awaiting_receipt = sync_bundle.awaiting_receipt(store)
    return state


def state(parent: QObject, runner: TaskRunner, store: Store) -> CoreOp[SyncState]:
    return CoreOp(parent, runner, lambda: load_state(store), name="sync-state")


def enroll(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, url: str, code: str, *,
           ca_file: str | None, replace: bool) -> CoreOp[object]:
    """Spend a one-time code at the hub (``replace``: a station enrolled already enrolls again)."""
    return CoreOp(parent, runner,
                  lambda: sync_client.enroll(store, op, url, code, ca_file=ca_file, replace=replace),
                  name="sync-enroll")


def run_sync(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, cancel: threading.Event,
             progress: Callable[[SyncProgress], object]) -> CoreOp[SyncReport]:
    """One sync, cancellable after its current batch; ``progress((stage, done, total))`` on the GUI thread."""

    def work(report: Callable[[SyncProgress], None]) -> SyncReport:
        return sync_client.run_sync(store, op, progress=lambda stage, done, total: report((stage, done, total)),
                                    cancel=cancel)

    return CoreOp(parent, runner, work, name="sync-run").with_progress(progress)


def export_bundle(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession,
                  folder: Path) -> CoreOp[sync_bundle.BundleResult]:
    """The offline sync file, written to ``folder`` (a USB stick)."""
    return CoreOp(parent, runner, lambda: sync_bundle.export_bundle(store, op, folder), name="sync-bundle")


def import_receipt(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession,
                   path: Path) -> CoreOp[SyncReport]:
    """The hub's receipt for an offline file (ReceiptAlreadyImported when it came back before)."""
    return CoreOp(parent, runner, lambda: sync_bundle.import_receipt(store, op, path), name="sync-receipt")
