"""A busy store for the tests: another process holding SQLite's write lock, and booth work in other processes.

``hold_write_lock`` starts a real second process that takes the store's write
lock (BEGIN IMMEDIATE) and keeps it for a while, as a roster import in
another process does; ``unfinished_roster_import`` leaves the committed
``import_batches`` row such an import shows while it publishes.
``start_worker`` runs one sign-up or door check in a process of its own
that logs in, waits for the word ``go`` and then says what it heard
(``ready``, ``waiting <key>``, ``verdict <…>``) on stdout, for the races.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from station.store.models import ImportBatch

REPO = Path(__file__).resolve().parent.parent.parent

# Takes the write lock, says "locked", keeps it `seconds` (or, at 0, until a line on stdin), commits.
_HOLDER = r"""
import sqlite3, sys, time
path, seconds = sys.argv[1], float(sys.argv[2])
con = sqlite3.connect(path, isolation_level=None, timeout=30)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
if seconds > 0:
    time.sleep(seconds)
else:
    sys.stdin.readline()
con.execute("COMMIT")
print("released", flush=True)
"""


class LockHolder:
    """The process holding the lock: ``release()`` (for one holding until told) and ``wait()`` for it to end."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc

    def release(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("release\n")
        self.proc.stdin.flush()

    def wait(self, timeout: float = 30) -> None:
        out, err = self.proc.communicate(timeout=timeout)
        assert self.proc.returncode == 0, err
        assert "released" in out


@pytest.fixture
def hold_write_lock(store) -> Iterator[Callable[..., LockHolder]]:
    """hold_write_lock(seconds=1.5) -> LockHolder, once the other process holds ``store``'s write lock.

    seconds=0 holds it until ``release()``.  Whatever is still running at the end is stopped.
    """
    started: list[subprocess.Popen] = []

    def hold(seconds: float = 1.5) -> LockHolder:
        proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(store.paths.database), str(seconds)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == "locked", proc.stderr.read() if proc.stderr else line
        return LockHolder(proc)

    yield hold
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def unfinished_roster_import(store) -> None:
    """The row a roster import shows other processes while it publishes: kind roster, not finished, a fresh heartbeat."""
    from station.store.clock import now_utc

    with store.session() as s:
        s.add(ImportBatch(kind="roster", file_name="大朗镇名册.xlsx", file_sha256="0" * 64, heartbeat_at=now_utc()))
        s.commit()


# One sign-up or door check in a process of its own: log in, "ready", wait for "go", then the work.
_WORKER = r"""
import json, sys
from station.security import operators
from station.store import writes
from station.store.database import open_store

data_dir, name, secret, job = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
store = open_store(data_dir, integrity="none")
op = operators.login(store, name, secret)
print("ready", flush=True)
sys.stdin.readline()
with writes.on_wait(lambda w: print("waiting", w.key, flush=True)):
    if job["do"] == "register":
        from station.signup.service import register
        res = register(store, operator=op, name=job["name"], phone=job["phone"], id_number=job["id_number"],
                       consent=True)
        print("verdict", res.outcome, flush=True)
    else:
        from station.checkin.service import CheckinService
        v = CheckinService(store, job["event"], operator=op).check_code(job["code"], "cli")
        print("verdict", v.reason or v.verdict, flush=True)
"""


def start_worker(data_dir: Path, name: str, secret: str, job: str) -> subprocess.Popen:
    """A worker process (``job``: JSON, {"do": "register", name, phone, id_number} or {"do": "check", event, code})."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-c", _WORKER, str(data_dir), name, secret, job], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)


def read_line(proc: subprocess.Popen) -> str:
    """The worker's next line on stdout (its stderr when it ended instead)."""
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line and proc.poll() is not None:
        raise AssertionError(proc.stderr.read() if proc.stderr else "the worker ended")
    return line


def tell(proc: subprocess.Popen, word: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(word + "\n")
    proc.stdin.flush()
