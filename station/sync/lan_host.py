"""This laptop as the event host: the reference hub served on the local network with TLS (issue 15).

The host is the reference hub (station/hub/) on a database of its own in
the data directory (``event-host/hub.sqlite``), served by uvicorn over TLS
with a self-signed certificate made once (station/sync/lan.py).  Stations
join with a ticket (``ticket``): the address, a one-time enrollment code
of that hub and the certificate's fingerprint.  The host's own station joins
it like any other, so its door's admissions reach the others the same way.

What the host holds is a working copy for the event: every station keeps
its own records pending for the town hub and sends them there at day's end
as always (the town hub takes an event it already has, from a second
station, as unchanged), so the host never relays and nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.store.database import Store
from station.sync import lan

log = logging.getLogger(__name__)

DEFAULT_PORT = 8765
TICKET_VALID = dt.timedelta(hours=12)  # one event day


@dataclass(frozen=True)
class HostPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "hub.sqlite"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.database.as_posix()}"


def paths(store: Store) -> HostPaths:
    return HostPaths(store.paths.root / "event-host")


def identity(store: Store, addresses: list[str]) -> tuple[Path, Path, str]:
    """(cert file, key file, cert PEM) of this host, made once and kept.

    Kept when the laptop's address changes (DHCP on a phone hotspot): stations trust the pinned
    certificate, not a host name, so a new address needs only a new ticket, never a new join."""
    p = paths(store)
    made = (p.root / "host-cert.pem").is_file()
    return lan.load_or_make_identity(p.root, [] if made else addresses, f"粤工惠活动主机 {store.identity.name}")


def ticket(store: Store, station_name: str, port: int, *, address: str | None = None) -> lan.JoinTicket:
    """A one-time ticket for one station to join this host (the host's own included)."""
    from station.hub.db import open_hub_db
    from station.hub.service import make_enrollment_code

    addresses = lan.lan_addresses()
    host = address or addresses[0]
    _cert, _key, pem = identity(store, _with(addresses, host))
    db = open_hub_db(paths(store).url)
    try:
        with db.session() as s:
            code, _expires = make_enrollment_code(s, station_name.strip()[:100] or "工作站", TICKET_VALID)
            s.commit()
    finally:
        db.dispose()
    return lan.JoinTicket(host=host, port=port, code=code, pin=lan.fingerprint(pem))


def _with(addresses: list[str], host: str) -> list[str]:
    return addresses if host in addresses else [host, *addresses]


class HostServer:
    """The host's hub served in a thread (the app; tests); ``station host serve`` runs it in the foreground."""

    def __init__(self, store: Store, port: int = DEFAULT_PORT, bind: str = "0.0.0.0") -> None:
        self.store, self.port, self.bind = store, port, bind
        self._server: Any = None  # uvicorn.Server, imported only when serving
        self._thread: threading.Thread | None = None

    def _config(self):
        try:
            import uvicorn
        except ImportError:
            raise StationError("hub_no_uvicorn") from None
        from station.hub.app import create_app

        cert, key, _pem = identity(self.store, lan.lan_addresses())
        app = create_app(paths(self.store).url)
        return uvicorn, uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                       ssl_certfile=str(cert), ssl_keyfile=str(key))

    def _socket(self) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if os.name != "nt":  # a restarted host gets its port back at once; on Windows this would let others share it
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.bind, self.port))
        except OSError as exc:
            sock.close()
            raise StationError("lan_port_busy", port=self.port, detail=exc.strerror or str(exc)) from None
        self.port = sock.getsockname()[1]
        return sock

    def serve_forever(self) -> None:
        uvicorn, config = self._config()
        sock = self._socket()
        server = uvicorn.Server(config)
        self._server = server
        server.run(sockets=[sock])

    def start(self, timeout: float = 15.0) -> None:
        uvicorn, config = self._config()
        sock = self._socket()
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                                        name="event-host")
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise StationError("lan_host_failed", port=self.port)
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        self._server = self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


@dataclass(frozen=True)
class JoinedStation:
    name: str
    live: bool  # waited on the host within the last minute
    last_seen: dt.datetime | None  # naive UTC


def joined_stations(store: Store) -> list[JoinedStation]:
    """The stations that joined this host, by name, and whether each is live now (for the host's screen)."""
    if not paths(store).database.is_file():
        return []
    from sqlalchemy import select

    from station.hub.db import open_hub_db
    from station.hub.live import PRESENT_FOR
    from station.hub.models import Presence, Station
    from station.hub.service import now_utc

    db = open_hub_db(paths(store).url)
    try:
        with db.session() as s:
            rows = s.execute(select(Station.name, Presence.seen_at).outerjoin(Presence, Presence.station_id == Station.id)
                             .where(Station.revoked_at.is_(None)).order_by(Station.id)).all()
        since = now_utc() - PRESENT_FOR
        return [JoinedStation(name, seen is not None and seen >= since, seen) for name, seen in rows]
    finally:
        db.dispose()
