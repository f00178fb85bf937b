"""Alembic environment: always run on a connection the station hands over."""

from __future__ import annotations

from alembic import context

from station.store import peers  # noqa: F401  (its tables are in Base.metadata too)
from station.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` on the command line
    raise RuntimeError("run migrations through station.store.database.migrate(), which passes a connection")

# render_as_batch: SQLite cannot ALTER most things, batch mode rebuilds tables.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
