"""The roster import's own connection to the store, and how its storage errors read.

Both steps of an import (station/roster/staging.py, station/roster/publish.py)
write through the raw sqlite3 connection under a SQLAlchemy connection of
the store's engine, with explicit transactions.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from station.errors import StationError

if TYPE_CHECKING:
    from station.store.database import Store

log = logging.getLogger(__name__)

_IMPORT_CACHE_KIB = 32768  # SQLite page cache for the import connection (32 MiB: more did not make it faster)


def refuse_unconverted(store: Store) -> None:
    """A store made before encryption must be converted first (station.security.protect).

    Its members are known by their clear ID only, so an import could not
    find them and would add each person a second time.
    """
    with store.engine.connect() as c:
        legacy = c.exec_driver_sql(
            "SELECT 1 FROM members WHERE id_bidx IS NULL AND id_number IS NOT NULL LIMIT 1"
        ).first()
    if legacy is not None:
        raise StationError("import_needs_encryption")


def storage_error(exc: sqlite3.OperationalError) -> StationError | sqlite3.OperationalError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StationError("db_locked")
    if "full" in text:
        return StationError("roster_disk_full")
    return exc


def prepare_connection(conn: Any) -> sqlite3.Connection:
    """The SQLAlchemy connection's sqlite3 connection, set up for the import.

    Its settings are changed here, so it is detached: it never goes back
    to the pool.  Transactions are explicit (station.roster.publish.write).
    """
    con: sqlite3.Connection = conn.connection.driver_connection
    conn.detach()
    con.isolation_level = None
    # The import inserts only ids it has just read or made itself; checking
    # three foreign keys per row would cost a fifth of the time.
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}")
    return con
