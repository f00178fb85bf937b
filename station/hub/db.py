"""Opening a hub database: SQLite by default, PostgreSQL by URL (psycopg 3).

The schema is made with ``metadata.create_all`` plus a one-row version
table (``hub_schema``), not with Alembic.  Why: this is schema version 1 of
a reference server with no deployed databases to upgrade yet; create_all
only adds missing tables, so opening is idempotent, and the version row
lets a later hub refuse, or migrate, a database it does not know.  When the
schema first changes, an Alembic environment of the hub's own starts from
this version (its first revision being "the schema of version 1").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from station.hub.models import SCHEMA_VERSION, Counter, HubBase, SchemaVersion, Setting


class HubDbError(Exception):
    """The database cannot be opened or is not a hub database of a known version."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def normalize_url(url: str) -> str:
    """A plain path is a SQLite file; postgresql:// URLs use psycopg 3."""
    text = url.strip()
    if "://" not in text:
        return "sqlite:///" + str(Path(text).expanduser().resolve())
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    return text


@dataclass
class HubDb:
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" below issue BEGIN IMMEDIATE: a push reads
        # then writes, and a deferred transaction would fail to upgrade its lock.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def open_hub_db(url: str, *, create: bool = True) -> HubDb:
    """Open (and, with ``create``, make) the hub database at ``url``."""
    full = normalize_url(url)
    try:
        parsed = make_url(full)
    except ArgumentError:
        raise HubDbError("hub_db_bad_url", url=url) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = _sqlite_engine(full)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(full, pool_size=8, max_overflow=8, pool_pre_ping=True)
    else:
        raise HubDbError("hub_db_bad_url", url=url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        if create:
            HubBase.metadata.create_all(engine)
        sessions = sessionmaker(engine, expire_on_commit=False)
        with sessions() as s:
            row = s.get(SchemaVersion, 1)
            if row is None:
                if not create:
                    raise HubDbError("hub_db_not_hub", url=parsed.render_as_string(hide_password=True))
                s.add(SchemaVersion(id=1, version=SCHEMA_VERSION))
                s.add(Counter(id=1, value=0))
                s.add_all(_bundle_key_rows())
                s.commit()
            elif row.version != SCHEMA_VERSION:
                raise HubDbError("hub_db_version", found=row.version, known=SCHEMA_VERSION)
    except OperationalError as exc:
        engine.dispose()
        raise HubDbError("hub_db_unreachable", url=parsed.render_as_string(hide_password=True),
                         reason=str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)) from exc
    return HubDb(engine, sessions)


def _bundle_key_rows() -> list[Setting]:
    """The hub's X25519 key pair that stations encrypt offline bundles to."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    key = X25519PrivateKey.generate()
    raw_private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
    raw_public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return [Setting(key="bundle.private", value=base64.b64encode(raw_private).decode()),
            Setting(key="bundle.public", value=base64.b64encode(raw_public).decode())]


def next_seqs(s: Session, n: int = 1) -> int:
    """Reserve ``n`` change sequence numbers and return the first.

    The UPDATE locks the counter row until this transaction ends, so change
    numbers are committed in the order they were given out (see models.py).
    """
    from sqlalchemy import update

    last = s.execute(update(Counter).where(Counter.id == 1).values(value=Counter.value + n)
                     .returning(Counter.value)).scalar_one()
    return last - n + 1


def current_seq(s: Session) -> int:
    return s.execute(select(Counter.value).where(Counter.id == 1)).scalar_one()


def any_of(s: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL as ``= ANY(array)``: one parameter instead of a thousand,
    so the driver does not parse a new statement for every batch size."""
    values = list(values)
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy import any_, bindparam
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)
