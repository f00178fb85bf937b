"""The booth form's way to the core (ui/signup_screen.py): sign-ups, the roster hint, counts, the host's union.

``register`` is a ``CoreOp`` the screen runs with ``run_now()``, on the
GUI thread, on purpose: a sign-up commits (fsynced) in a few ms, the
outcome shows only once it is stored, and the form must not take the next
person's keys while the last one is still being saved.  On a busy store
(a roster import in another process) it goes on in a worker and
``waiting`` says why; the screen holds the form until the outcome.  ``roster_hint`` is
one indexed look-up, a plain call.  Reading today's count and the recent
list runs in the background.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from station.security.operators import OperatorSession
from station.signup import service as signup
from station.signup.service import FormCheck, SignupResult, SignupRow
from station.store import orgs
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner


def recent(parent: QObject, runner: TaskRunner, store: Store, operator: OperatorSession | None,
           event_id: int | None, *, limit: int = 10) -> CoreOp[tuple[int, list[SignupRow]]]:
    """Today's sign-ups at this station and the event's latest ones (none while locked: they need the key)."""

    def load() -> tuple[int, list[SignupRow]]:
        count = signup.count_today(store)
        rows = (signup.list_signups(store, operator, event_id=event_id, limit=limit)
                if event_id is not None and operator is not None else [])
        return count, rows

    return CoreOp(parent, runner, load, name="signup-refresh")


def register(parent: QObject, runner: TaskRunner, store: Store, operator: OperatorSession, form: FormCheck, *,
             enterprise: str | None, union: str | None) -> CoreOp[SignupResult]:
    """Sign up the person of an already checked form, committed (fsynced) before success is called."""
    return CoreOp(parent, runner, lambda: signup.register_checked(
        store, operator=operator, form=form, enterprise=enterprise, union=union, consent=True), name="register")


def roster_hint(store: Store, number: str, operator: OperatorSession) -> dict | None:
    """What the roster says about a valid ID number: its name, employer, an earlier sign-up (or None)."""
    return signup.lookup_roster(store, number, operator)


def union_for_enterprise(store: Store, enterprise: str) -> str | None:
    """The union an enterprise belongs to, to fill in 基层工会 once 单位 is chosen."""
    return orgs.union_for_enterprise(store, enterprise)
