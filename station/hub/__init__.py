"""The reference hub: the server side of the day-end sync (issue 7, docs/sync-protocol.md).

Separate from the station's store: its own tables (station/hub/models.py),
its own database (SQLite by default, PostgreSQL by URL), its own commands
(`station hub …`, station/cli/hub.py).  ``create_app`` is in station.hub.app.
"""

from station.hub.schemas import PROTOCOL

__all__ = ["PROTOCOL"]
