"""Background work for the screens: run a function off the GUI thread, hear back by signals.

A Task's function runs in a QThreadPool worker and never touches a widget;
it may report progress through the callable it is given.  Results, errors
and progress are re-emitted on the GUI thread (the relay below is what makes
that true even for connections to plain Python callables), and so is a
write's word that it is waiting for a busy store (station.store.writes).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from station.errors import StationError
from station.store import writes

log = logging.getLogger(__name__)

ProgressFn = Callable[[Any], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits on it, queued to the Task."""

    progress = Signal(object)
    waiting = Signal(object)
    done = Signal(object)
    failed = Signal(object)


class Task(QObject):
    """One unit of background work.  Signals arrive on the GUI thread.

    ``error`` carries the exception: a StationError is expected (show its
    message); anything else has already been logged with its traceback.
    ``finished`` follows either ``result`` or ``error``.  ``waiting`` carries a
    ``writes.Waiting``: a write of the function waits for a busy store, and why.
    """

    progress = Signal(object)
    waiting = Signal(object)
    result = Signal(object)
    error = Signal(object)
    finished = Signal()

    def __init__(self, fn: Callable[..., Any], *, with_progress: bool = False, name: str = "task") -> None:
        super().__init__()
        self.fn = fn
        self.with_progress = with_progress
        self.name = name
        self.cancel_event = threading.Event()
        self.done = False
        self._relay = _Relay()
        self._relay.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._relay.waiting.connect(self._on_waiting, Qt.ConnectionType.QueuedConnection)
        self._relay.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Ask the function to stop; it must poll ``cancelled``."""
        self.cancel_event.set()

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    # -- runs in the worker thread ----------------------------------------
    def _run(self) -> None:
        try:
            with writes.on_wait(self._relay.waiting.emit):
                value = self.fn(self._relay.progress.emit) if self.with_progress else self.fn()
        except StationError as exc:
            log.info("%s: %s", self.name, exc.key)
            self._relay.failed.emit(exc)
        except BaseException as exc:
            log.exception("background task %s failed", self.name)
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(value)

    # -- GUI thread ---------------------------------------------------------
    @Slot(object)
    def _on_progress(self, value: object) -> None:
        if not self.done:
            self.progress.emit(value)

    @Slot(object)
    def _on_waiting(self, value: object) -> None:
        if not self.done:
            self.waiting.emit(value)

    @Slot(object)
    def _on_done(self, value: object) -> None:
        self.done = True
        self.result.emit(value)
        self.finished.emit()

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self.done = True
        self.error.emit(exc)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


class TaskRunner(QObject):
    """Starts Tasks on its own thread pool and keeps them alive until they report."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 3) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._active: set[Task] = set()
        self._detached: set[Task] = set()

    def start(self, task: Task, *, detached: bool = False) -> Task:
        """Run on the pool; ``detached``: on a daemon thread nobody waits for at exit.

        Detached suits read-only work with its own connection that may take
        long on a big store (the integrity check): closing the window must
        not wait 20 seconds for it, and stopping it half-way harms nothing.
        """
        if detached:
            self._detached.add(task)
            task.finished.connect(lambda t=task: self._detached.discard(t))
            threading.Thread(target=task._run, name=f"station-{task.name}", daemon=True).start()
            return task
        self._active.add(task)
        task.finished.connect(lambda t=task: self._active.discard(t))
        self.pool.start(_Runnable(task))
        return task

    def run(
        self,
        fn: Callable[..., Any],
        *,
        on_result: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        on_progress: Callable[[Any], object] | None = None,
        on_waiting: Callable[[Any], object] | None = None,
        name: str = "task",
        owner: QObject | None = None,
        detached: bool = False,
    ) -> Task:
        """Run ``fn`` in the background; ``fn(progress)`` when on_progress is given.

        ``on_waiting(writes.Waiting)``: a write of ``fn`` is waiting for a busy store.

        ``owner``: a widget the callbacks belong to; when it has been deleted
        by the time the worker reports, the report is dropped.
        """
        task = Task(fn, with_progress=on_progress is not None, name=name)
        for signal, callback in ((task.result, on_result), (task.error, on_error), (task.progress, on_progress),
                                 (task.waiting, on_waiting)):
            if callback is not None:
                signal.connect(guarded(owner, callback) if owner is not None else callback)
        return self.start(task, detached=detached)

    @property
    def busy(self) -> bool:
        """Work is still running that will report back (detached work included)."""
        return bool(self._active) or bool(self._detached)

    def cancel_all(self) -> None:
        for task in list(self._active):
            task.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every pool worker returned (at shutdown and in tests); detached ones are not waited for."""
        return self.pool.waitForDone(msecs)


def guarded(owner: QObject, callback: Callable[..., Any]) -> Callable[..., Any]:
    """``callback`` that does nothing once ``owner`` (a widget) has been deleted."""

    @functools.wraps(callback)
    def call(*args: Any) -> Any:
        if shiboken6.isValid(owner):
            return callback(*args)
        return None

    return call
