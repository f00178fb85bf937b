"""Fixtures for the hub's tests: a hub on SQLite and on a real PostgreSQL, served over loopback HTTP.

A test asks for the fixtures (``hub``, ``hub_url``, ``pg_cluster``, ``sqlite_hub``) by name; it imports
the plain helpers (``LiveHub``, ``live_hub``, ``serve``) from here.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pg_cluster as pgc
import pytest

from station.hub import service
from station.hub.app import create_app


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgc.PgCluster]:
    """One PostgreSQL server for the whole run; skipped on a developer machine without one, an error in CI."""
    bin_dir = pgc.find_bin_dir()
    if bin_dir is None:
        if pgc.required():
            pytest.fail("PostgreSQL is required here (CI=true or STATION_REQUIRE_POSTGRES=1) but initdb/pg_ctl "
                        "were not found: `python3 dev.py setup` installs the postgresql package.", pytrace=False)
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found; `apt-get install postgresql` to run these")
    cluster = pgc.PgCluster(bin_dir)  # a broken installation fails loudly everywhere
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_url(request, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty hub database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.sqlite'}"
        return
    cluster: pgc.PgCluster = request.getfixturevalue("pg_cluster")
    name = "hub_" + uuid.uuid4().hex[:12]
    yield cluster.create_database(name)
    cluster.drop_database(name)


@dataclass
class LiveHub:
    """A hub served by uvicorn in a thread on a free loopback port."""

    base_url: str
    app: object
    server: object

    @property
    def db(self):
        return self.app.state.db

    def code(self, name: str = "一号工作站") -> str:
        with self.db.session() as s:
            code, _ = service.make_enrollment_code(s, name)
            s.commit()
        return code

    def enroll(self, name: str = "一号工作站") -> tuple[str, str]:
        """(station uuid, credential) of a newly enrolled station."""
        station = str(uuid.uuid4())
        r = httpx.post(self.base_url + "/v1/enroll", json={"code": self.code(name), "station_uuid": station,
                                                           "station_name": name})
        assert r.status_code == 200, r.text
        return station, r.json()["credential"]

    def client(self, credential: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {credential}"} if credential else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    def count(self, model) -> int:
        from sqlalchemy import func, select

        with self.db.session() as s:
            return s.scalar(select(func.count()).select_from(model))


def serve(app) -> tuple[object, threading.Thread, str]:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


@contextmanager
def live_hub(url: str) -> Iterator[LiveHub]:
    """A hub on the database at ``url``, served until the block ends."""
    app = create_app(url)
    server, thread, base = serve(app)
    try:
        yield LiveHub(base, app, server)
    finally:
        server.should_exit = True
        thread.join(15)
        app.state.db.dispose()


@pytest.fixture
def hub(hub_url: str) -> Iterator[LiveHub]:
    with live_hub(hub_url) as live:
        yield live


@pytest.fixture
def sqlite_hub(tmp_path: Path) -> Iterator[LiveHub]:
    """A hub on SQLite only: for tests whose point is the station, not the hub's database."""
    with live_hub(f"sqlite:///{tmp_path / 'hub.sqlite'}") as live:
        yield live
