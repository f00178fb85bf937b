"""`station --selftest`: does this installation work on this machine?

Meant for a freshly unpacked bundle on a field laptop and for CI: it makes a
throw-away store, checks the migrations shipped with the program reach the
schema it expects, checks the data tables the rules read (pinyin, phone
metadata, ID region codes) are there, and renders the main window off
screen.  Each step prints
one line ("selftest OK <step>: ..."); the first failure prints
"selftest FAIL <step>: ..." and the traceback, and the result is non-zero.
Nothing outside a temporary directory is touched.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The smallest screen the stations are used on (PRODUCT.md): the main window
# must be able to shrink to it.
SMALLEST_SCREEN = (1366, 768)


class _Failed(Exception):
    pass


class _Run:
    def __init__(self, out) -> None:
        self.out = out
        self.steps = 0

    def step(self, name: str, action: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            detail = action()
        except Exception as exc:
            print(f"selftest FAIL {name}: {type(exc).__name__}: {exc}", file=self.out, flush=True)
            traceback.print_exc(file=sys.stderr)
            raise _Failed(name) from exc
        ms = (time.perf_counter() - started) * 1000
        self.steps += 1
        print(f"selftest OK {name}: {detail} ({ms:.0f} ms)", file=self.out, flush=True)


def _check(condition: bool, problem: str) -> None:
    if not condition:
        raise AssertionError(problem)


def run_selftest(out=None) -> int:
    """Run the checks, print one line per step to `out` (stdout); 0 if all pass."""
    out = out or sys.stdout
    run = _Run(out)
    state: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="station-selftest-"))

    from station.store.logs import current_log_file

    previous_log = current_log_file()
    try:
        run.step("store", lambda: _open_store(tmp, state))
        run.step("migrations", lambda: _check_migrations(state))
        run.step("data files", _check_data_files)
        run.step("operator", lambda: _set_up_operator(state))
        run.step("event host", lambda: _host_an_event(state))
        run.step("qt", lambda: _start_qt(state))
        run.step("main window", lambda: _build_main_window(state))
        run.step("render", lambda: _render(state))
        run.step("cleanup", lambda: _cleanup(tmp, state, previous_log))
    except _Failed:
        _cleanup(tmp, state, previous_log, quiet=True)
        return 1
    print(f"selftest passed: {run.steps} steps", file=out, flush=True)
    return 0


def _open_store(tmp: Path, state: dict[str, Any]) -> str:
    from station.store.database import open_store

    store = open_store(tmp / "data", station_name="selftest")
    state["store"] = store
    return f"created {store.paths.database.name} in a temporary directory, station {store.identity.uuid[:8]}"


def _check_migrations(state: dict[str, Any]) -> str:
    from station.store.database import SCHEMA_HEAD, alembic_head, schema_version

    # alembic_head() reads the migration scripts from disk, so this also
    # proves a bundle shipped them.
    head = alembic_head()
    current = schema_version(state["store"].engine)
    _check(head == SCHEMA_HEAD, f"the shipped migrations end at {head}, the program expects {SCHEMA_HEAD}")
    _check(current == SCHEMA_HEAD, f"the new store is at schema {current}, expected {SCHEMA_HEAD}")
    return f"schema at {current} (head {SCHEMA_HEAD})"


def _check_data_files() -> str:
    """The rules read tables shipped as package data, which a bundle can miss."""
    from station.people import idnumber, mobile, names

    _check(names.initials("张三") == "zs", "pinyin initials are wrong: pypinyin's dictionary is missing")
    _check(mobile.check("13800138000").number == "13800138000", "a valid mobile was refused: phone metadata missing")
    _check(idnumber.address_code_known("441900"), "Dongguan's ID region code is unknown: stdnum's cn/loc table missing")
    return "pinyin dictionary, CN phone metadata, ID region codes"


def _set_up_operator(state: dict[str, Any]) -> str:
    """A first organizer on the throw-away store, logged in: encryption and key slots work here.

    scrypt is turned down for this store only (its slots are thrown away
    with it); a real station always uses the default cost.
    """
    from station.security import audit, operators
    from station.security.keyslots import KdfParams

    store = state["store"]
    fast = KdfParams(n=2**10, r=8, p=1)
    name, secret = "selftest", "selftest-passphrase-1"
    recovery = operators.create_first_organizer(store, name, secret, kdf=fast)
    op = operators.login(store, name, secret)
    state["operator"] = op
    _check(op.can("unmask") and len(recovery.replace("-", "")) == 48, "the first organizer or its recovery key is wrong")
    number = "44190019800101123" + "X"
    blob = op.cipher.encrypt("members", "id_number", number, b"selftest")
    _check(op.cipher.decrypt("members", "id_number", blob, b"selftest") == number, "field encryption did not round-trip")
    problems = audit.verify(store, op.cipher)
    _check(not problems, f"the audit log does not verify: {[p.kind for p in problems]}")
    return f"organizer logged in, field encryption round-trips, audit log of {audit.count(store)} entries verifies"


def _host_an_event(state: dict[str, Any]) -> str:
    """This laptop as the event host (the reference hub over TLS), joined by itself and synced once:
    a bundle that left out the hub, uvicorn or its TLS would fail here, not at a screening."""
    from station.sync import lan_host, lan_link
    from station.sync.live_target import open_live

    store, op = state["store"], state["operator"]
    server = lan_host.HostServer(store, port=0, bind="127.0.0.1")
    server.start()
    try:
        ticket = lan_host.ticket(store, "selftest", server.port, address="127.0.0.1")
        lan_link.join(store, op, ticket.qr_text())
        live, _target = open_live(store, op, wait_s=0)
        try:
            live.exchange()
            live.wait()
        finally:
            live.client.close()
        lan_link.leave(store, op)
    finally:
        server.stop()
    return f"served on 127.0.0.1:{server.port} with TLS, joined by ticket, one live exchange"


def _start_qt(state: dict[str, Any]) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import __version__ as pyside_version
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(["station-selftest"])
        state["own_app"] = True
    _check(isinstance(app, QApplication), f"a {type(app).__name__} is already running; widgets need a QApplication")
    state["app"] = app
    return f"PySide6 {pyside_version}, platform {QApplication.platformName()}"


def _build_main_window(state: dict[str, Any]) -> str:
    from ui.app import create_main_window

    win = create_main_window(state["store"], operator=state.get("operator"))
    state["win"] = win
    win.show()
    state["app"].processEvents()
    _check(win.isVisible(), "the main window did not become visible")
    hint = win.minimumSizeHint().expandedTo(win.minimumSize())
    width, height = SMALLEST_SCREEN
    _check(
        hint.width() <= width and hint.height() <= height,
        f"the main window needs at least {hint.width()}x{hint.height()}, more than a {width}x{height} screen",
    )
    return f"{type(win).__name__} '{win.windowTitle()}' {win.width()}x{win.height()}, fits {width}x{height}"


def _render(state: dict[str, Any]) -> str:
    from PySide6.QtGui import QImage

    win = state["win"]
    state["app"].processEvents()
    pixmap = win.grab()
    _check(not pixmap.isNull(), "grabbing the main window gave an empty picture")
    size = pixmap.deviceIndependentSize().toSize()
    _check(size == win.size(), f"the picture is {size.width()}x{size.height()}, the window {win.width()}x{win.height()}")
    # A window that drew nothing is one flat colour.
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)
    colours = len(set(memoryview(image.constBits()).cast("I")))
    _check(colours > 1, "the main window rendered as a single flat colour")
    return f"{pixmap.width()}x{pixmap.height()} px, {colours} colours"


def _cleanup(tmp: Path, state: dict[str, Any], previous_log: Path | None, quiet: bool = False) -> str:
    win = state.pop("win", None)
    app = state.get("app")
    if win is not None:
        win.close()
        win.deleteLater()
    if app is not None:
        from PySide6.QtCore import QThreadPool

        app.processEvents()
        QThreadPool.globalInstance().waitForDone(5000)
    state.pop("operator", None)
    store = state.pop("store", None)
    if store is not None:
        store.close()
    _release_log_file(tmp, previous_log)
    # Windows refuses to delete files still open; a leftover temp dir is harmless.
    shutil.rmtree(tmp, ignore_errors=quiet)
    return "temporary store removed"


def _release_log_file(tmp: Path, previous_log: Path | None) -> None:
    """open_store() pointed the log at the temporary store; point it back."""
    from station.store import logs

    current = logs.current_log_file()
    if current is not None and current.is_relative_to(tmp):
        logs.stop_logging()
    if previous_log is not None:
        logs.setup_logging(previous_log)


if __name__ == "__main__":  # python -m ui.selftest
    raise SystemExit(run_selftest())
