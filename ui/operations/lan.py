"""The event host and joining it, for the 同步 screen's 活动现场 panel and its dialogs (issue 15).

Starting the host binds a port and makes its certificate; joining reaches
the network: all of it runs in a worker.  The host's server itself is the
main window's (it outlives a lock: the other doors depend on it).
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from station.security.operators import OperatorSession
from station.store.database import Store
from station.store.peers import EventLink
from station.sync import lan, lan_host, lan_link
from ui.operations import CoreOp
from ui.workers import TaskRunner


def link(parent: QObject, runner: TaskRunner, store: Store) -> CoreOp[EventLink | None]:
    return CoreOp(parent, runner, lambda: lan_link.event_link(store), name="lan-link")


def join(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, ticket: str) -> CoreOp[EventLink]:
    """Check the host's certificate against the ticket, then spend its code (StationError says what failed)."""
    return CoreOp(parent, runner, lambda: lan_link.join(store, op, ticket), name="lan-join")


def leave(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession) -> CoreOp[bool]:
    return CoreOp(parent, runner, lambda: lan_link.leave(store, op), name="lan-leave")


def start_host(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession,
               server: lan_host.HostServer) -> CoreOp[list[str]]:
    """Serve the event (if not yet) and join this station to it; the addresses others can reach."""
    def work() -> list[str]:
        op.require("sync")
        if not server.running:
            server.start()
        row = lan_link.event_link(store)
        _cert, _key, pem = lan_host.identity(store, lan.lan_addresses())
        if row is None or row.pin_sha256 != lan.fingerprint(pem):
            ticket = lan_host.ticket(store, store.identity.name, server.port, address="127.0.0.1")
            lan_link.join(store, op, ticket.qr_text())
        return lan.lan_addresses()

    return CoreOp(parent, runner, work, name="lan-host-start")


def stop_host(parent: QObject, runner: TaskRunner, server: lan_host.HostServer) -> CoreOp[None]:
    return CoreOp(parent, runner, server.stop, name="lan-host-stop")


def ticket(parent: QObject, runner: TaskRunner, store: Store, op: OperatorSession, server: lan_host.HostServer,
           station_name: str, address: str) -> CoreOp[lan.JoinTicket]:
    def work() -> lan.JoinTicket:
        op.require("sync")
        return lan_host.ticket(store, station_name, server.port, address=address)

    return CoreOp(parent, runner, work, name="lan-ticket")


def joined(parent: QObject, runner: TaskRunner, store: Store) -> CoreOp[list[lan_host.JoinedStation]]:
    return CoreOp(parent, runner, lambda: lan_host.joined_stations(store), name="lan-joined")
