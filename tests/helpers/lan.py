"""Fixtures for live sync on the local network: an event host served over real TLS on loopback.

``event_host`` is the organizer's laptop (its own data directory) serving the reference hub on
127.0.0.1; ``join_station(host, tmp_path, name)`` makes another station, set up with its first
organizer, and joins it to the host by a ticket.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from helpers.security import ORGANIZER, ORGANIZER_SECRET
from station.security import operators
from station.security.operators import OperatorSession
from station.store.database import Store, open_store
from station.sync import lan_host, lan_link


def new_station(tmp_path, name: str) -> tuple[Store, OperatorSession]:
    """A station of its own in ``tmp_path/name``, with its first organizer logged in."""
    store = open_store(tmp_path / name, station_name=name)
    operators.create_first_organizer(store, ORGANIZER, ORGANIZER_SECRET)
    return store, operators.login(store, ORGANIZER, ORGANIZER_SECRET)


@dataclass
class EventHost:
    store: Store
    organizer: OperatorSession
    server: lan_host.HostServer

    def ticket(self, name: str):
        return lan_host.ticket(self.store, name, self.server.port, address="127.0.0.1")


@pytest.fixture
def event_host(tmp_path) -> Iterator[EventHost]:
    store, org = new_station(tmp_path, "主机")
    server = lan_host.HostServer(store, port=0, bind="127.0.0.1")
    server.start()
    yield EventHost(store, org, server)
    server.stop()
    store.close()


def join_station(host: EventHost, tmp_path, name: str) -> tuple[Store, OperatorSession]:
    store, org = new_station(tmp_path, name)
    lan_link.join(store, org, host.ticket(name).qr_text())
    return store, org
