"""Wiping a station's data (`station reset`), refused while anything has not reached the hub.

A station handed on, or started afresh for a new campaign, must not lose
a sign-up nobody has uploaded: the wipe happens only when every record is
synced (network or offline bundle receipt).  Audit entries of log-ins and
screen locks alone do not block it: every command logs in first, so they
are always there, and they record no work.

What goes: the database (and its WAL), backups, reports, everything else
in the data folder except the logs, which keep the record of the wipe.
"""

from __future__ import annotations

import logging
import shutil

from sqlalchemy import func, select

from station.errors import StationError
from station.security import audit
from station.security.operators import OperatorSession
from station.store.database import Store
from station.store.models import AuditEntry
from station.sync import records as sync_records
from station.sync.report import count_text

log = logging.getLogger(__name__)

SESSION_ACTIONS = ("login", "login_failed", "login_refused_locked", "login_error", "lock", "unlock")


def blocking_counts(store: Store) -> dict[str, int]:
    """Pending counts as a reset sees them: every record kind, and audit entries that record work."""
    counts = sync_records.pending_counts(store)
    with store.session() as s:
        floor = sync_records.link_row(s)
        floor_seq = floor.audit_synced_seq if floor is not None else 0
        counts["audit"] = s.scalar(select(func.count(AuditEntry.seq)).where(
            AuditEntry.seq > floor_seq, AuditEntry.action.not_in(SESSION_ACTIONS))) or 0
    return counts


def reset_station(store: Store, operator: OperatorSession, confirm_name: str) -> None:
    """Wipe the data folder; StationError unless the name matches and nothing is pending.

    The store is closed here and must not be used afterwards.
    """
    operator.require("purge")
    name = store.identity.name
    if (confirm_name or "").strip() != name:
        raise StationError("sync_reset_name", name=name)
    counts = blocking_counts(store)
    if sync_records.total_pending(counts):
        raise StationError("sync_reset_pending", detail=count_text(counts))
    audit.append(store, "reset", operator=operator.name, target=store.identity.uuid, cipher=operator.cipher)
    root = store.paths.root
    log.warning("station reset by %s: wiping %s (station %s)", operator.name, root, store.identity.uuid)
    store.close()
    _wipe(store)


def _wipe(store: Store) -> None:
    paths = store.paths
    try:
        for entry in sorted(paths.root.iterdir()):
            if entry == paths.logs:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    except OSError as exc:
        raise StationError("sync_reset_failed", detail=exc.strerror or str(exc)) from exc
    paths.backups.mkdir(exist_ok=True)
    paths.reports.mkdir(exist_ok=True)
