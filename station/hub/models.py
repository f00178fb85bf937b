"""The reference hub's own tables (SQLAlchemy 2.x), on a metadata of their own.

Nothing here is shared with the station's store (station/store/models.py): the hub
runs on a server, usually on PostgreSQL, and its schema evolves on its own.
All tables are prefixed ``hub_`` so a hub database can never be mistaken for
a station's.

Pull cursors: every row a station may pull carries a change sequence number
(``roster_seq``, ``verify_seq``, ``seq``) taken from the one hub-wide counter
(``hub_counter``) when the row changes.  The counter row is locked from its
increment to the commit, so change numbers become visible in the order they
were given out, and "everything with seq > my cursor" never skips a row.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = 1


class HubBase(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class SchemaVersion(HubBase):
    """One row: the version of this schema (see station/hub/db.py)."""

    __tablename__ = "hub_schema"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Setting(HubBase):
    """The hub's own key/value settings: its X25519 bundle key pair (docs/sync-protocol.md)."""

    __tablename__ = "hub_settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Counter(HubBase):
    """One row: the last change sequence number given out."""

    __tablename__ = "hub_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Station(HubBase):
    """An enrolled station.  Its credential is kept only as a SHA-256 hash."""

    __tablename__ = "hub_stations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    credential_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The station's Ed25519 public key (base64 of the raw 32 bytes) that signs its offline bundles.
    bundle_signing_key: Mapped[str | None] = mapped_column(String(44))
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_push_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The audit chain as the hub has it (head) and the highest keyed anchor it has seen.
    audit_head_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_head_hash: Mapped[str | None] = mapped_column(String(64))
    audit_anchor_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_anchor_hash: Mapped[str | None] = mapped_column(String(64))


class EnrollmentCode(HubBase):
    """A one-time code an administrator hands to a station; hashed, single use, expiring."""

    __tablename__ = "hub_enrollment_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    station_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("hub_stations.id"))


class Union(HubBase):
    __tablename__ = "hub_unions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Enterprise(HubBase):
    __tablename__ = "hub_enterprises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("hub_unions.id"))


class Member(HubBase):
    """One person, keyed by ID number.  ``id`` is the platform member id an e-card carries.

    ``on_roster``: imported by a union (在册).  A person first seen in a
    station's sign-up is a member with on_roster false (新会员申请); every
    sign-up of the same ID number, from any station, links to this one row.
    """

    __tablename__ = "hub_members"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(11))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("hub_enterprises.id"))
    union_id: Mapped[int | None] = mapped_column(ForeignKey("hub_unions.id"))
    on_roster: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool | None] = mapped_column(Boolean)
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    card_status: Mapped[str] = mapped_column(String(20), default="active")
    roster_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)
    verify_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Event(HubBase):
    """An event: made on the hub (origin 'hub', pulled by stations) or pushed by a station."""

    __tablename__ = "hub_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    origin: Mapped[str] = mapped_column(String(10))  # hub | station
    station_id: Mapped[int | None] = mapped_column(ForeignKey("hub_stations.id"))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200))
    host_enterprise: Mapped[str | None] = mapped_column(String(200))
    host_union: Mapped[str | None] = mapped_column(String(200))
    entry_start: Mapped[dt.datetime | None] = mapped_column(DateTime)
    entry_end: Mapped[dt.datetime | None] = mapped_column(DateTime)
    capacity: Mapped[int | None] = mapped_column(Integer)
    admissions_per_member: Mapped[int | None] = mapped_column(Integer)
    eligible_unions: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of names
    eligible_enterprises: Mapped[str] = mapped_column(Text, default="[]")
    content_hash: Mapped[str | None] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(BigInteger, index=True)  # hub events only
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Registration(HubBase):
    """One sign-up pushed by a station, linked to the one member with its ID number."""

    __tablename__ = "hub_registrations"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("hub_members.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("hub_events.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(11))
    enterprise: Mapped[str | None] = mapped_column(String(200))
    union: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))
    consent_version: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    poster_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    content_hash: Mapped[str] = mapped_column(String(64))


class CheckIn(HubBase):
    """One e-card check pushed by a station (refused ones included)."""

    __tablename__ = "hub_checkins"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("hub_events.id"))
    operator: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20))
    verdict: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(String(40))
    admitted: Mapped[bool] = mapped_column(Boolean)
    platform_id: Mapped[int | None] = mapped_column(BigInteger)
    key_id: Mapped[str | None] = mapped_column(String(8))
    code_sha: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    content_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_hub_checkins_event_platform", "event_id", "platform_id", "admitted"),)


class Draw(HubBase):
    __tablename__ = "hub_draws"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("hub_events.id"))
    prize_uuid: Mapped[str] = mapped_column(String(36))
    prize_name: Mapped[str] = mapped_column(String(100))
    prize_stock: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    only: Mapped[str | None] = mapped_column(String(20))
    entries: Mapped[str] = mapped_column(Text)  # JSON list of registration uuids, sorted
    entries_sha256: Mapped[str] = mapped_column(String(64))
    redraw_of: Mapped[str | None] = mapped_column(String(36))  # the voided win's uuid
    operator: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    content_hash: Mapped[str] = mapped_column(String(64))


class DrawWinner(HubBase):
    """One win.  ``content_hash`` covers everything but the void fields, which may arrive later."""

    __tablename__ = "hub_draw_winners"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("hub_draws.id"), index=True)
    registration_uuid: Mapped[str] = mapped_column(String(36))
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    content_hash: Mapped[str] = mapped_column(String(64))


class Poster(HubBase):
    __tablename__ = "hub_posters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"), index=True)
    enterprise: Mapped[str] = mapped_column(String(200))
    union: Mapped[str | None] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(20))
    campaign: Mapped[str] = mapped_column(String(20))
    placement: Mapped[str] = mapped_column(String(20))
    hang_date: Mapped[dt.date] = mapped_column(Date)
    url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(200))
    module_um: Mapped[int] = mapped_column(Integer)
    batch_uuid: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    content_hash: Mapped[str] = mapped_column(String(64))


class AuditEntry(HubBase):
    """A station's audit log entry, exactly as it was hashed on the station."""

    __tablename__ = "hub_audit_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[str] = mapped_column(String(32))
    operator: Mapped[str | None] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    __table_args__ = (UniqueConstraint("station_id", "seq", name="uq_hub_audit_station_seq"),)


class Revocation(HubBase):
    """A revocation-list entry: lost (挂失) or cancelled (注销)."""

    __tablename__ = "hub_revocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(BigInteger, index=True)
    reason: Mapped[str] = mapped_column(String(20))
    revoked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)


class SigningKey(HubBase):
    """An e-card signing key.  The reference hub keeps the private key in its database (see docs)."""

    __tablename__ = "hub_signing_keys"
    kid: Mapped[str] = mapped_column(String(8), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # raw 32 bytes, hex
    private_pem: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(100), default="")
    valid_from: Mapped[dt.datetime | None] = mapped_column(DateTime)
    valid_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Flag(HubBase):
    """Something the sync report should show: one card admitted twice across stations, one
    person signed up at several stations.  ``key`` makes a flag unique; it moves to a new
    ``seq`` each time it grows, so stations pull it again."""

    __tablename__ = "hub_flags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # double_admission | same_person
    event_uuid: Mapped[str | None] = mapped_column(String(36))
    subject: Mapped[str] = mapped_column(String(40))  # platform id or member id, as text
    stations: Mapped[str] = mapped_column(Text)  # JSON list of station uuids involved
    detail: Mapped[str] = mapped_column(Text)  # JSON: record uuids, counts
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class LiveFeed(HubBase):
    """Live sync (issue 15): each accepted check-in and sign-up, in change order, for the other
    stations of the hub to pull within a second (``pull/checkins``, ``pull/registrations``).

    A table of its own rather than a ``seq`` column on the records, so a hub made before live
    sync gains it by ``create_all`` alone."""

    __tablename__ = "hub_live_feed"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))  # checkins | registrations
    record_id: Mapped[int] = mapped_column(BigInteger)
    station_id: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_hub_live_feed_kind_seq", "kind", "seq"),)


class Presence(HubBase):
    """When each station last waited on the hub: ``stations_live`` counts those seen in the last minute."""

    __tablename__ = "hub_presence"
    station_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime)


class EventReentry(HubBase):
    """The events that allow 出场再入场 (issue 15): a table of its own, so a hub made before gains it by
    ``create_all`` (there is no column to add to ``hub_events`` without a migration)."""

    __tablename__ = "hub_event_reentry"
    event_id: Mapped[int] = mapped_column(ForeignKey("hub_events.id"), primary_key=True, autoincrement=False)
