"""Writes that wait their turn: the booth, the door and the log-in never fail on a busy store.

SQLite has one writer at a time.  A roster import in another process holds
the write lock in short transactions (a fraction of a second each, let go
every 100–200 ms for a few tens of ms); a sign-up, a door check or a log-in
must slip in between, and say so when it has to wait.  ``Store.write(work)``
runs ``work(session)`` as one unit of work, here:

* ``BEGIN IMMEDIATE``: the write lock is taken before the unit's first read,
  so what it reads stays true until it commits (two sign-ups of one person,
  two checks of one code are decided one after the other, never both on the
  same old data).  A deferred BEGIN that read first cannot be upgraded on a
  stale WAL snapshot: SQLITE_BUSY at once, with no waiting at all.
* A short busy timeout per attempt (``WRITE_BUSY_TIMEOUT_MS``; SQLite's own
  handler polls only every 100 ms after its first ~300 ms and so keeps
  missing the import's short windows), then on "database is locked" a
  rollback, a few ms of sleep and the whole unit again: it reads afresh and
  decides again.
* An IntegrityError (a writer that did not take the lock first stored the
  same row meanwhile) rolls back and runs the unit again too, a few times:
  the fresh read finds the row and decides from it (已登记, not an error).
* After ``NOTICE_AFTER_S`` of waiting the listener installed with
  ``on_wait`` (the CLI's stderr line, a screen's status) hears why: an
  unfinished roster import (an ``import_batches`` row of kind roster with no
  finished_at, readable while the importer holds the lock: WAL) or a busy
  store.  After the deadline (``Store.write_deadline_s``, ``DEADLINE_S`` by
  default): StationError db_busy_timeout_roster / db_busy_timeout, saying
  what to do.
* ``no_wait()`` is for the GUI thread (ui.operations.CoreOp.run_now): a
  unit that would wait longer than ``NO_WAIT_BUDGET_S`` raises ``StoreBusy``
  instead, so the screen can go on waiting in a worker and show why.

A unit must not open another unit (its own connection would wait for the
lock the outer unit holds until the deadline): pass the unit's session down
instead (``audit.append(..., db=s)``).  That is a programming error,
reported at once.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from station.errors import StationError
from station.i18n import t

log = logging.getLogger(__name__)

T = TypeVar("T")

WRITE_BUSY_TIMEOUT_MS = 50  # SQLite's own wait for the lock, per attempt
POLL_S = 0.004  # between two attempts
NOTICE_AFTER_S = 0.5  # waiting longer than this is said to the user
RECHECK_S = 2.0  # how often the reason (roster import or not) is read again while waiting
DEADLINE_S = 30.0  # the default of Store.write_deadline_s
NO_WAIT_BUDGET_S = 0.25  # the most a unit waits on the GUI thread before StoreBusy
INTEGRITY_RETRIES = 3
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6  # primary result codes (sqlite3 names them from Python 3.11)

WAIT_ROSTER = "wait_roster_import"  # 正在导入名册，请稍候…
WAIT_BUSY = "wait_store_busy"  # 数据库正忙，请稍候…
# What the user reads after the deadline, by reason.
TIMEOUT_KEYS: dict[str, str] = {WAIT_ROSTER: "db_busy_timeout_roster", WAIT_BUSY: "db_busy_timeout"}


@dataclass(frozen=True)
class Waiting:
    """A write is waiting for the store: why (a message key) and for how long so far."""

    key: str  # WAIT_ROSTER | WAIT_BUSY
    waited_s: float

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang)


class StoreBusy(StationError):
    """Inside ``no_wait()``: the store is busy and nothing was written; run the work again where it may wait."""

    def __init__(self, waiting: Waiting) -> None:
        super().__init__(waiting.key)
        self.waiting = waiting


@dataclass
class _NoWait:
    budget_s: float
    committed: bool = False  # a unit of this call is stored: waiting is better than running it all again


_listener: ContextVar[Callable[[Waiting], object] | None] = ContextVar("station_write_listener", default=None)
_no_wait: ContextVar[_NoWait | None] = ContextVar("station_write_no_wait", default=None)
_inside: ContextVar[bool] = ContextVar("station_write_inside", default=False)


@contextmanager
def on_wait(callback: Callable[[Waiting], object]) -> Iterator[None]:
    """``callback(Waiting)`` hears of every write of this thread that has to wait (once, and when the reason changes)."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)


@contextmanager
def no_wait(budget_s: float = NO_WAIT_BUDGET_S) -> Iterator[None]:
    """Writes of this thread wait at most ``budget_s``, then raise StoreBusy, unless one of them is stored already."""
    token = _no_wait.set(_NoWait(budget_s))
    try:
        yield
    finally:
        _no_wait.reset(token)


def is_busy(exc: BaseException) -> bool:
    """Whether SQLite said "database is locked" (SQLITE_BUSY, any extended code) or "table is locked"."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    code = getattr(orig, "sqlite_errorcode", None)  # Python 3.11+
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    text = str(orig).lower()
    return "locked" in text or "busy" in text


def run(sessions: Callable[[], Session], work: Callable[[Session], T], *, deadline_s: float,
        reason: Callable[[], str]) -> T:
    """``work(session)`` in one BEGIN IMMEDIATE transaction, committed; again from the start while the store is busy.

    sessions: makes a session whose transactions begin IMMEDIATE (Store's write engine).
    reason: WAIT_ROSTER or WAIT_BUSY, read when the user is told why.
    A StationError (or any other error) from ``work`` rolls back and is raised as it is.
    """
    if _inside.get():
        raise RuntimeError("a write unit inside a write unit: pass the unit's session down instead")
    started = time.monotonic()
    deadline = started + deadline_s
    told: str | None = None
    told_at = 0.0
    integrity_left = INTEGRITY_RETRIES
    attempts = 0
    while True:
        attempts += 1
        try:
            value = _attempt(sessions, work)
        except IntegrityError as exc:
            if integrity_left <= 0:
                raise
            integrity_left -= 1
            log.info("write unit met a row stored meanwhile (%s): reading again", exc.orig)
            continue
        except DBAPIError as exc:
            if not is_busy(exc):
                raise
        else:
            nw = _no_wait.get()
            if nw is not None:
                nw.committed = True
            waited = time.monotonic() - started
            if waited >= NOTICE_AFTER_S:
                log.info("write unit stored after waiting %.1f s for the store (%d attempts)", waited, attempts)
            return value
        now = time.monotonic()
        waited = now - started
        nw = _no_wait.get()
        if nw is not None and not nw.committed and waited >= nw.budget_s:
            raise StoreBusy(Waiting(_reason(reason), waited))
        if now >= deadline:
            key = _reason(reason)
            log.warning("write unit gave up after %.1f s: the store stayed busy (%s)", waited, key)
            raise StationError(TIMEOUT_KEYS[key], seconds=round(deadline_s))
        listener = _listener.get()
        if listener is not None and waited >= NOTICE_AFTER_S and (told is None or now - told_at >= RECHECK_S):
            key = _reason(reason)
            told_at = now
            if key != told:
                told = key
                _tell(listener, Waiting(key, waited))
        time.sleep(POLL_S)


def _attempt(sessions: Callable[[], Session], work: Callable[[Session], T]) -> T:
    token = _inside.set(True)
    try:
        with sessions() as s:
            try:
                s.connection()  # BEGIN IMMEDIATE now: the lock before the first read
                value = work(s)
                s.commit()  # fsynced (synchronous=FULL) before anyone hears of it
                return value
            except BaseException:
                s.rollback()
                raise
    finally:
        _inside.reset(token)


def _reason(reason: Callable[[], str]) -> str:
    try:
        key = reason()
    except DBAPIError:
        log.warning("could not read why the store is busy", exc_info=True)
        return WAIT_BUSY
    return key if key in TIMEOUT_KEYS else WAIT_BUSY


def _tell(listener: Callable[[Waiting], object], waiting: Waiting) -> None:
    try:
        listener(waiting)
    except Exception:  # a listener that fails must not fail the write
        log.exception("the waiting listener failed")
