"""The one way from a screen to the core: a core call off the GUI thread, then success or failure.

Screens never open a database session or import the models: they ask an
area module here (``ui.operations.signup``, ``…checkin``, ``…admin``, …)
for a ``CoreOp`` and say what happens next, in the spirit of Anki's
``CollectionOp``/``QueryOp`` (qt/aqt/operations/)::

    ops.checkin.check_code(self, self.checks, self.service, text, source) \\
        .success(self._verdict) \\
        .failure(self._check_failed) \\
        .run_in_background()

The core call runs in a ``TaskRunner`` worker (ui/workers.py) and never
touches a widget; ``success`` and ``failure`` run on the GUI thread, and
are dropped when the widget that asked is gone by then.  Without a
``failure`` callback the error is shown to the user as a sentence
(ui.common.show_error); the traceback of an unexpected error is already in
the log file.

A quick write the screen must see done before it goes on (a sign-up, open
a booth session, remove an operator, record a lock: no key derivation, no
file, no network) runs with ``run_now()`` instead, on the GUI thread, with the same
``success``/``failure`` callbacks.  Quick reads used while building a
screen stay plain calls of a core function.

A busy store (another process, say a roster import, holding SQLite's write
lock) never freezes the screen for long: the core's writes wait and try
again (station/store/writes.py), a ``run_now()`` write that cannot get in
within a quarter of a second goes on in a worker instead, and ``waiting``
tells the screen why it waits (正在导入名册，请稍候… / 数据库正忙，请稍候…)
until ``success`` or ``failure`` follows.

The area modules: ``auth`` (set-up, log-in, recovery, encrypting an old
store, lock and unlock), ``admin`` (operators, the audit log, exports,
unmasking, settings), ``booth`` (the booth session, organisation names),
``signup`` (the booth form), ``checkin`` (the door), ``roster`` (import and
counts), ``search``, ``signups`` (the lists and the paper import),
``posters``, ``draw``, ``events`` (a new screening), ``reports`` (今日),
``sync`` (同步) and ``station`` (start-up upkeep).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from station.errors import StationError
from station.store import writes
from ui.workers import Task, TaskRunner

log = logging.getLogger(__name__)

T = TypeVar("T")


class CoreOp(Generic[T]):
    """A core call to run in the background: ``op()`` (or ``op(progress)`` with ``with_progress``)."""

    def __init__(self, parent: QObject | None, runner: TaskRunner, op: Callable[..., T], *, name: str) -> None:
        self._parent = parent
        self._runner = runner
        self._op = op
        self._name = name
        self._success: Callable[[T], object] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._progress: Callable[[Any], object] | None = None
        self._waiting: Callable[[writes.Waiting], object] | None = None
        self._detached = False

    def success(self, fn: Callable[[T], object]) -> CoreOp[T]:
        """Run ``fn(result)`` on the GUI thread when the call returned."""
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], object]) -> CoreOp[T]:
        """Run ``fn(error)`` on the GUI thread when the call raised (a StationError carries its sentence)."""
        self._failure = fn
        return self

    def with_progress(self, fn: Callable[[Any], object]) -> CoreOp[T]:
        """The call receives a ``progress(value)`` callable; ``fn(value)`` runs on the GUI thread."""
        self._progress = fn
        return self

    def waiting(self, fn: Callable[[writes.Waiting], object]) -> CoreOp[T]:
        """Run ``fn(waiting)`` on the GUI thread while the call waits for a busy store (``waiting.message()`` says why)."""
        self._waiting = fn
        return self

    def detached(self) -> CoreOp[T]:
        """Run on a daemon thread nobody waits for at exit (long read-only work, as the integrity check)."""
        self._detached = True
        return self

    def run_in_background(self) -> Task:
        failure = self._failure or self._show_failure
        return self._runner.run(
            self._op,
            on_result=self._success,
            on_error=failure,
            on_progress=self._progress,
            on_waiting=self._waiting,
            name=self._name,
            owner=self._parent,
            detached=self._detached,
        )

    def run_now(self) -> None:
        """Run on the GUI thread at once (a quick write); ``success``/``failure`` are called before this returns.

        Unless the store is busy: then nothing was written, ``waiting`` is called at once and the
        call runs again in a worker, where it waits its turn; ``success``/``failure`` come later.
        """
        try:
            with writes.no_wait():
                value = self._op()
        except writes.StoreBusy as busy:
            log.info("%s: the store is busy; going on in the background", self._name)
            if self._waiting is not None:
                self._waiting(busy.waiting)
            self.run_in_background()
            return
        except StationError as exc:
            log.info("%s: %s", self._name, exc.key)
            (self._failure or self._show_failure)(exc)
            return
        except Exception as exc:
            log.exception("%s failed", self._name)
            (self._failure or self._show_failure)(exc)
            return
        if self._success is not None:
            self._success(value)

    def _show_failure(self, exc: BaseException) -> None:
        from ui.common import show_error

        show_error(self._parent if isinstance(self._parent, QWidget) else None, exc)
