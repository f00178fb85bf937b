"""What the other stations of one event did, as this station heard it by live sync (issue 15).

Kept apart from this station's own ``checkins`` and ``registrations``: those
are what this station pushes, counts in its reports and answers for in its
audit log; these are only what the door and the booth need to decide as a
team — a code admitted at door A is 已入场 at door B, a worker signed up at
booth A is 已登记 at booth B, the hall's capacity counts every door.  They are
never pushed anywhere (each station pushes its own records to the town hub).

``EventLink`` is this station's enrollment at an event host on the local
network (station/sync/lan.py): a second link beside ``sync_link`` (the town
hub), with the host's certificate pinned.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.store.clock import now_utc
from station.store.models import Base


class PeerCheckIn(Base):
    """A check-in made at another station of the event (another door), as pulled from the hub."""

    __tablename__ = "peer_checkins"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    station_uuid: Mapped[str] = mapped_column(String(36))
    station_name: Mapped[str] = mapped_column(String(100))
    operator: Mapped[str] = mapped_column(String(100), default="")
    verdict: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(20))
    admitted: Mapped[bool] = mapped_column(Boolean, default=False)
    direction: Mapped[str] = mapped_column(String(3), default="in", server_default="in")  # in | out
    platform_id: Mapped[int | None] = mapped_column(Integer)
    code_sha: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)

    __table_args__ = (
        Index("ix_peer_checkins_event_platform", "event_id", "platform_id", "admitted"),
        Index("ix_peer_checkins_event_admitted", "event_id", "admitted"),
    )


class PeerRegistration(Base):
    """A sign-up made at another station of the event (another booth): only what 已登记 needs.

    The person is kept as the blind index of their ID number (this station's
    key) and a masked name: enough to say "already signed up at 2 号机, 10:42",
    nothing to read back.
    """

    __tablename__ = "peer_registrations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    event_uuid: Mapped[str] = mapped_column(String(36))
    station_uuid: Mapped[str] = mapped_column(String(36))
    station_name: Mapped[str] = mapped_column(String(100))
    id_bidx: Mapped[bytes] = mapped_column(LargeBinary, index=True)
    masked_name: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)


class EventLink(Base):
    """This station's enrollment at an event host on the LAN: one row (id 1), made by joining.

    The credential is encrypted under the data key like ``sync_link``'s; the
    host's certificate is pinned by its SHA-256 (``pin_sha256``) and kept
    (``cert_pem``, public) so every later connection trusts that certificate
    and nothing else.
    """

    __tablename__ = "event_link"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host_url: Mapped[str] = mapped_column(String(500))
    host_station_name: Mapped[str] = mapped_column(String(100))  # this station's name as the host has it
    credential_enc: Mapped[bytes] = mapped_column(LargeBinary)
    pin_sha256: Mapped[str] = mapped_column(String(64))
    cert_pem: Mapped[str] = mapped_column(Text)
    joined_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    joined_by: Mapped[str | None] = mapped_column(String(50))
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
