"""Live sync in the app: one long-running worker per logged-in operator (issue 15).

``LiveRunner.start(operator)`` runs station.sync.live's loop in a thread of
its own (it lives as long as the log-in, so not in the short-task pool); its
``state_changed`` (a LiveState) and ``exchanged`` (an Exchange) signals
arrive on the GUI thread.  The door and the booth never wait for it: they
decide on the store, which this keeps current.  Locking the station stops
it (the operator's key goes with the lock); the next log-in starts it again
and it catches up.
"""

from __future__ import annotations

import copy
import logging
import threading

from PySide6.QtCore import QObject, Signal

from station.errors import StationError
from station.security.operators import OperatorSession
from station.store.database import Store
from station.sync.live import LiveState, LiveSync, live_allowed

log = logging.getLogger(__name__)


class LiveRunner(QObject):
    state_changed = Signal(object)  # LiveState (a copy)
    exchanged = Signal(object)  # Exchange that moved something

    def __init__(self, store: Store, parent: QObject | None = None, *, wait_s: float | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.wait_s = wait_s
        self._cancel: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._live: LiveSync | None = None  # the run's, to cut its long poll short on stop
        self.state = LiveState()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, operator: OperatorSession) -> None:
        """Start for ``operator`` (stopping a run for someone else first); says 'no hub' when there is none."""
        self.stop()
        if not live_allowed(operator):
            return
        cancel = threading.Event()
        self._cancel = cancel
        self._thread = threading.Thread(target=self._run, args=(operator, cancel), daemon=True, name="live-sync")
        self._thread.start()

    def _run(self, operator: OperatorSession, cancel: threading.Event) -> None:
        from station.sync.live_target import open_live

        kw = {"wait_s": self.wait_s} if self.wait_s is not None else {}
        try:
            live, _target = open_live(self.store, operator, cancel=cancel, **kw)
        except StationError as exc:
            self._emit_state(LiveState(target=None, error=exc.message()))
            if exc.key not in ("live_no_target", "not_permitted"):
                log.warning("live sync did not start: %s", exc.key)
            return
        except Exception:
            log.exception("live sync did not start")
            self._emit_state(LiveState(target=None))
            return
        self._live = live
        if cancel.is_set():
            live.client.close()
            return
        try:
            live.run(self._emit_exchange, self._emit_state)
        except StationError as exc:  # refused for good (revoked, another station's credential)
            log.warning("live sync stopped: %s", exc.key)
            st = copy.copy(live.state)
            st.online, st.error = False, exc.message()
            self._emit_state(st)
        except Exception:
            log.exception("live sync stopped")
        finally:
            live.client.close()

    def _emit_state(self, state: LiveState) -> None:
        if self._cancel is not None and self._cancel.is_set():
            return
        self.state = copy.copy(state)
        self.state_changed.emit(self.state)

    def _emit_exchange(self, ex) -> None:
        if self._cancel is not None and not self._cancel.is_set():
            self.exchanged.emit(ex)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the loop (a long poll in flight ends with its connection); waits up to ``timeout``."""
        if self._cancel is not None:
            self._cancel.set()
        live, self._live = self._live, None
        if live is not None:
            try:
                live.client.close()  # a long poll in flight ends now, not in 20 s
            except Exception:
                log.debug("closing the live client", exc_info=True)
        thread = self._thread
        self._thread = self._cancel = None
        if thread is not None and thread.is_alive():
            thread.join(timeout)
        self.state = LiveState()
