"""A throwaway PostgreSQL server for the hub's tests and benchmark.

``initdb`` a cluster in a fresh temporary directory, start it with
``pg_ctl`` on a free loopback port (and a socket in that directory), give
out one database per test, stop and delete it all at the end.  PostgreSQL
refuses to run as root: when we are root, the server runs as the
``postgres`` user that Debian's package creates (or ``nobody``), and the
directory is handed to that user.

The binaries come from /usr/lib/postgresql/<version>/bin (Debian keeps them
off PATH) or from PATH.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_bin_dir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, newest version first; None when absent."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")], reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(found)
    for initdb in candidates:
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists() and (folder / "postgres").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    def __init__(self, bin_dir: Path, *, fsync: bool = False) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="ygh-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                break
            entry = pwd.getpwnam(self.user or "nobody")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run(["initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                   "--locale=C", "--no-sync"])
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=100"
                   f" -c shared_buffers=128MB")
        if not fsync:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(["pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start"])
        self._admin = None

    def _run(self, cmd: list[str]) -> None:
        cmd = [str(self.bin / cmd[0]), *cmd[1:]]
        res = subprocess.run(cmd, capture_output=True, text=True, user=self.user, cwd=self.root, timeout=120)
        if res.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()} {log}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as con:
            con.execute(statement)

    def create_database(self, name: str) -> str:
        self._sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run(["pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        finally:
            time.sleep(0.1)
            shutil.rmtree(self.root, ignore_errors=True)


def required() -> bool:
    """CI (or a developer who asks) must run the PostgreSQL tests, never skip them."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or os.environ.get("STATION_REQUIRE_POSTGRES") == "1"
