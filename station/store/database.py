"""The local store: one SQLite file in the data directory.

Durability is the point: a sign-up the screen calls saved must survive a
power cut a second later.  Hence WAL journal with synchronous=FULL (each
commit is fsynced), foreign keys on, an integrity check when the station
starts, Alembic migrations before first use, and rotating backups made with
SQLite's online backup API so a damaged file can be restored.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from station.errors import StationError
from station.store import writes
from station.store.clock import now_utc
from station.store.models import IMPORT_STALE_S, ImportBatch, Setting, StationIdentity, new_uuid
from station.store.paths import DataPaths, default_data_dir

log = logging.getLogger(__name__)

# The newest migration this program knows.  tests/test_store.py checks
# it against Alembic's head so the fast start-up check below stays honest.
SCHEMA_HEAD = "0011"
KEEP_BACKUPS = 7
_SQLITE_MAGIC = b"SQLite format 3\x00"
T = TypeVar("T")


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Replaced and purged ciphertexts are zeroed, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(database: Path) -> Engine:
    engine = create_engine(f"sqlite:///{database.as_posix()}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _set_write_pragmas(dbapi_connection: sqlite3.Connection, record: object) -> None:
    _set_pragmas(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={writes.WRITE_BUSY_TIMEOUT_MS}")  # per attempt: writes.run retries
    cursor.close()
    # The driver's own implicit BEGIN off; SQLAlchemy's begin event says BEGIN IMMEDIATE instead
    # (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None


def _begin_immediate(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_write_engine(database: Path) -> Engine:
    """The engine of ``Store.write``: every transaction takes the write lock first, with a short busy timeout."""
    engine = create_engine(f"sqlite:///{database.as_posix()}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _set_write_pragmas)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migration scripts found beside station/store/database.py")
    return head


def schema_version(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'")).first()
        if not has:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to SCHEMA_HEAD; a no-op costing one query when current."""
    current = schema_version(engine)
    if current == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = _alembic_config()
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    if current is not None and current not in known:
        raise StationError("db_newer_schema", found=current, known=SCHEMA_HEAD)
    log.info("migrating schema %s -> %s", current, SCHEMA_HEAD)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # batch mode rebuilds referenced tables
        conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise RuntimeError(f"foreign key check failed after migrating: {bad[:5]}")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def integrity_problem(database: Path, quick: bool = False) -> str | None:
    """None when SQLite's integrity check passes, else its first complaint."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        conn = sqlite3.connect(f"file:{database.as_posix()}?mode=ro", uri=True)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == [("ok",)]:
        return None
    # SQLite can list hundreds of complaints; the user needs the gist, the log gets the rest.
    log.error("integrity check of %s: %s", database, rows[:100])
    detail = "; ".join(str(r[0]) for r in rows[:3])
    return detail if len(detail) <= 300 else detail[:300] + "…"


@dataclass
class Backup:
    path: Path
    taken_at: dt.datetime
    size: int

    @property
    def name(self) -> str:
        return self.path.name


class Store:
    """An open station store.  Use ``open_store()`` to get one."""

    def __init__(self, paths: DataPaths, engine: Engine) -> None:
        self.paths = paths
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_engine = make_write_engine(paths.database)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        self._identity: StationIdentity | None = None
        # How long a write waits for a busy store before it gives up (station/store/writes.py).
        self.write_deadline_s = writes.DEADLINE_S

    def session(self) -> Session:
        """A session for reads (and the office's long writes, which commit themselves)."""
        return self._sessions()

    def write(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` as one unit of work: BEGIN IMMEDIATE, committed (fsynced) before this returns.

        While another process holds the write lock the unit is rolled back and run again, reading
        afresh, until ``write_deadline_s``; a waiting listener (writes.on_wait) hears why after
        half a second.  The booth, the door and the log-in write through here
        (station/store/writes.py says how and why).
        """
        return writes.run(self._write_sessions, work, deadline_s=self.write_deadline_s, reason=self.busy_reason)

    def busy_reason(self) -> str:
        """Why a write would wait: a roster import publishing (writes.WAIT_ROSTER) or another writer (WAIT_BUSY).

        Publishing means unfinished with a fresh heartbeat: a batch a crash left behind holds no lock.
        """
        alive = now_utc() - dt.timedelta(seconds=IMPORT_STALE_S)
        with self.session() as s:
            running = s.scalar(select(ImportBatch.id).where(ImportBatch.kind == "roster",
                                                           ImportBatch.finished_at.is_(None),
                                                           ImportBatch.heartbeat_at >= alive).limit(1))
        return writes.WAIT_ROSTER if running is not None else writes.WAIT_BUSY

    @property
    def identity(self) -> StationIdentity:
        if self._identity is None:
            with self.session() as s:
                self._identity = s.scalars(select(StationIdentity)).one()
        return self._identity

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        with self.session() as s:
            row = s.get(Setting, key)
            return row.value if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        def put(s: Session) -> None:
            row = s.get(Setting, key)
            if value is None:
                if row:
                    s.delete(row)
            elif row:
                row.value = value
            else:
                s.add(Setting(key=key, value=value))

        self.write(put)

    # -- backups ---------------------------------------------------------
    def backup(self, reason: str = "auto") -> Backup:
        """Copy the live database with SQLite's online backup API, keep the newest few."""
        self.paths.backups.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.paths.backups / f"station-{stamp}-{reason}.sqlite"
        partial = target.with_suffix(".partial")
        src = sqlite3.connect(self.paths.database.as_posix())
        try:
            dst = sqlite3.connect(partial.as_posix())
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        partial.replace(target)  # a half-made backup never looks like a backup
        for old in list_backups(self.paths)[KEEP_BACKUPS:]:
            old.path.unlink(missing_ok=True)
        return Backup(target, dt.datetime.now(), target.stat().st_size)

    def backup_if_due(self, reason: str = "start", min_hours: float = 12.0) -> Backup | None:
        """A backup unless one was taken in the last `min_hours`.

        A town roster makes a 250 MB store: backing it up at every start
        would fill the disk with seven copies of the same morning.
        """
        newest = list_backups(self.paths)[:1]
        if newest and dt.datetime.now() - newest[0].taken_at < dt.timedelta(hours=min_hours):
            return None
        return self.backup(reason)

    def close(self) -> None:
        self.engine.dispose()
        self._write_engine.dispose()


def list_backups(paths: DataPaths) -> list[Backup]:
    """Newest first."""
    if not paths.backups.exists():
        return []
    found = []
    for p in paths.backups.glob("station-*.sqlite"):
        st = p.stat()
        found.append(Backup(p, dt.datetime.fromtimestamp(st.st_mtime), st.st_size))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def restore_backup(paths: DataPaths, name: str | None = None) -> tuple[Backup, Path | None]:
    """Put a backup in place of the live database (which is kept, renamed).

    Returns the backup used and where the old database was kept.  The store
    must be closed.  The backup is checked before it replaces anything.
    """
    backups = list_backups(paths)
    if not backups:
        raise StationError("no_backups", path=paths.backups)
    if name is None:
        chosen = backups[0]
    else:
        matches = [b for b in backups if b.name == name or b.path == Path(name)]
        if not matches:
            raise StationError("backup_not_found", name=name, available=", ".join(b.name for b in backups))
        chosen = matches[0]
    if integrity_problem(chosen.path) is not None:
        raise StationError("backup_bad", name=chosen.name)
    kept = None
    if paths.database.exists():
        kept = paths.database.with_name(f"station.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite")
        paths.database.replace(kept)
    for suffix in ("-wal", "-shm"):
        side = paths.database.with_name(paths.database.name + suffix)
        if side.exists():
            if kept:
                side.replace(kept.with_name(kept.name + suffix))
            else:
                side.unlink()
    tmp = paths.database.with_suffix(".restoring")
    shutil.copyfile(chosen.path, tmp)
    tmp.replace(paths.database)
    return chosen, kept


def _looks_like_sqlite(database: Path) -> bool:
    with database.open("rb") as fh:
        head = fh.read(16)
    return head == _SQLITE_MAGIC or head == b""


def open_store(
    data_dir: Path | None = None,
    *,
    integrity: str = "full",
    station_name: str | None = None,
) -> Store:
    """Open (creating on first run) the store in `data_dir`.

    integrity: "full" runs PRAGMA integrity_check, "quick" quick_check,
    "none" skips it (for callers that ran it themselves in the background).
    Raises StationError with a message a user can act on.
    """
    paths = DataPaths(Path(data_dir) if data_dir else default_data_dir())
    try:
        paths.ensure()
        # A name of its own: two processes opening the store at once (the app
        # and a CLI command) must not remove each other's probe.
        probe = paths.root / f".write-test-{new_uuid()[:12]}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise StationError("data_dir_unwritable", path=paths.root, reason=exc.strerror or exc) from exc

    from station.store.logs import setup_logging

    setup_logging(paths.log_file)
    exists = paths.database.exists()
    if exists:
        if not _looks_like_sqlite(paths.database):
            raise StationError("db_not_database", path=paths.database)
        if integrity != "none":
            problem = integrity_problem(paths.database, quick=(integrity == "quick"))
            if problem:
                log.error("integrity check failed for %s: %s", paths.database, problem)
                raise StationError("db_corrupt", detail=problem)
    engine = make_engine(paths.database)
    try:
        migrate(engine)
        station_uuid = _ensure_identity(engine, station_name)
        _check_station_file(paths, station_uuid)
    except StationError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        if "database is locked" in str(exc):
            raise StationError("db_locked") from exc
        if isinstance(getattr(exc, "orig", None), sqlite3.DatabaseError) or isinstance(exc, sqlite3.DatabaseError):
            log.exception("opening %s failed", paths.database)
            raise StationError("db_not_database", path=paths.database) from exc
        raise
    return Store(paths, engine)


STATION_FILE = "station.id"


def _check_station_file(paths: DataPaths, station_uuid: str) -> None:
    """A data directory remembers whose database it holds (``station.id``).

    A station.sqlite from another station dropped into this folder would
    otherwise be served, and synced, under two stations' names.  Moving a
    whole data directory (or a database into an empty one) still works.
    """
    marker = paths.root / STATION_FILE
    try:
        here = marker.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        marker.write_text(station_uuid + "\n", encoding="utf-8")
        return
    if here and here != station_uuid:
        raise StationError("db_other_station", found=station_uuid[:8], here=here[:8], path=paths.database)


def _ensure_identity(engine: Engine, station_name: str | None) -> str:
    with Session(engine) as s:
        ident = s.scalars(select(StationIdentity)).first()
        if ident is None:
            name = station_name or f"{socket.gethostname()} 工作站"
            s.add(StationIdentity(id=1, uuid=new_uuid(), name=name[:100], created_at=now_utc()))
            s.commit()
        elif station_name and station_name != ident.name:
            ident.name = station_name[:100]
            s.commit()
        return s.scalars(select(StationIdentity.uuid)).one()
