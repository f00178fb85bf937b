"""The station's data model (SQLAlchemy 2.x typed ORM).

The schema itself is made by the Alembic migrations in station/migrations;
tests/test_store.py checks that they produce exactly these tables.

People: a Member is one person, keyed by ID number. ``on_roster`` says the
union imported them (在册); a person who signs up without being on the
roster becomes a Member with on_roster false (新会员申请). ``verified`` is
the platform's 实名认证 status: NULL (unknown) until a sync brings it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from station.store.clock import now_utc


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    pass


class StationIdentity(Base):
    """This station: one row, made on first run."""

    __tablename__ = "station_identity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)


class Union(Base):
    """A grassroots union (基层工会)."""

    __tablename__ = "unions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)


class Enterprise(Base):
    """An employer (单位), usually with its own grassroots union."""

    __tablename__ = "enterprises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("unions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)

    union: Mapped[Union | None] = relationship()


class ImportBatch(Base):
    """One imported file: a roster or a paper sheet of sign-ups."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(20))  # "roster" | "paper"
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_inserted: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    rows_warned: Mapped[int] = mapped_column(Integer, default=0)
    report_path: Mapped[str | None] = mapped_column(String(1000))
    # A roster batch being published (station/roster/publish.py): its side
    # database, and when the importing process last showed it was alive.
    staging_file: Mapped[str | None] = mapped_column(String(1000))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


# A roster batch not finished whose heartbeat is older than this was left by a dead process
# (station/roster/publish.py finishes it); a fresher one is an import publishing right now.
IMPORT_STALE_S = 120.0


class Member(Base):
    """One person.  The ID number and mobile are stored only encrypted (station/security/fieldcrypt.py).

    ``id_bidx`` (keyed HMAC of the ID) is the person's unique key; the tail
    indexes serve the booth's "last four" search.  The ``legacy_*`` columns
    hold plaintext only in a store made before encryption, until the first
    organizer log-in converts it (station/security/protect.py); nothing writes them.
    """

    __tablename__ = "members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    initials: Mapped[str] = mapped_column(String(100), index=True)
    id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_bidx: Mapped[bytes | None] = mapped_column(LargeBinary, unique=True, index=True)
    id_tail_bidx: Mapped[bytes | None] = mapped_column(LargeBinary, index=True)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_tail_bidx: Mapped[bytes | None] = mapped_column(LargeBinary, index=True)
    legacy_id_number: Mapped[str | None] = mapped_column("id_number", String(18), unique=True)
    legacy_phone: Mapped[str | None] = mapped_column("phone", String(11))
    legacy_id_tail: Mapped[str | None] = mapped_column("id_tail", String(4))
    legacy_phone_tail: Mapped[str | None] = mapped_column("phone_tail", String(4))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    # No index: nothing finds members by union (issue 14 dropped it to speed up imports).
    union_id: Mapped[int | None] = mapped_column(ForeignKey("unions.id"))
    on_roster: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool | None] = mapped_column(Boolean)
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    # Keyed digest of the roster's name, mobile, enterprise and union for this
    # person (station/roster/rows.py): a re-import skips people it has not changed.
    roster_digest: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)

    enterprise: Mapped[Enterprise | None] = relationship()
    union: Mapped[Union | None] = relationship()

    __table_args__ = (Index("ix_members_name", "name"),)


class Event(Base):
    """An activity the station works: for now a booth (摊位) at an enterprise."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(20), default="booth")
    name: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200))
    host_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    host_union_id: Mapped[int | None] = mapped_column(ForeignKey("unions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    # Screenings (观影) and benefit redemptions (权益核销) only; see station/checkin/events.py.
    # Entry window in naive UTC; NULL capacity = no limit; NULL admissions = 1 per member.
    entry_start: Mapped[dt.datetime | None] = mapped_column(DateTime)
    entry_end: Mapped[dt.datetime | None] = mapped_column(DateTime)
    capacity: Mapped[int | None] = mapped_column(Integer)
    admissions_per_member: Mapped[int | None] = mapped_column(Integer)
    # 出场再入场: a member who has gone out may come back in (not a new admission).
    reentry: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)  # the hub accepted it (station/sync/records.py)

    host_enterprise: Mapped[Enterprise | None] = relationship()
    host_union: Mapped[Union | None] = relationship()


class BoothSession(Base):
    """A promoter's stint at an event on this station; sign-ups hang off it."""

    __tablename__ = "booth_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    promoter: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    event: Mapped[Event] = relationship()


class Registration(Base):
    """One sign-up (现场注册), at a booth or typed up from a paper sheet.

    Keeps what the worker gave (name, phone) beside the Member it matched,
    the outcome at that moment, and the consent text version they agreed to.
    """

    __tablename__ = "registrations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("booth_sessions.id"))
    name: Mapped[str] = mapped_column(String(100))
    # The mobile, encrypted and bound to this registration's uuid; purged
    # (NULL) after the retention period once synced (station/security/retention.py).
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_bidx: Mapped[bytes | None] = mapped_column(LargeBinary, index=True)
    phone_tail_bidx: Mapped[bytes | None] = mapped_column(LargeBinary, index=True)
    legacy_phone: Mapped[str | None] = mapped_column("phone", String(11))
    legacy_phone_tail: Mapped[str | None] = mapped_column("phone_tail", String(4))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    union_id: Mapped[int | None] = mapped_column(ForeignKey("unions.id"))
    outcome: Mapped[str] = mapped_column(String(20))  # "roster" | "new"
    consent_version: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20), default="booth")  # "booth" | "paper"
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    station_uuid: Mapped[str] = mapped_column(String(36))
    station_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc, index=True)
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)  # the hub accepted it
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # personal data removed after retention

    member: Mapped[Member] = relationship()
    event: Mapped[Event] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()
    union: Mapped[Union | None] = relationship()


class Setting(Base):
    """Small key/value settings kept with the data (current session, etc.)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class EventEligibility(Base):
    """One union or enterprise whose members an event admits (none listed: everyone)."""

    __tablename__ = "event_eligibility"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("unions.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))


class EcardKey(Base):
    """A platform public key the station trusts for e-card signatures (the trust store).

    Rotation: a token is accepted when its issue time falls in
    [valid_from, valid_until]; a retired key (compromised) accepts nothing.
    """

    __tablename__ = "ecard_keys"
    kid: Mapped[str] = mapped_column(String(8), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # raw 32 bytes, hex
    label: Mapped[str] = mapped_column(String(100), default="")
    valid_from: Mapped[dt.datetime | None] = mapped_column(DateTime)
    valid_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(20), default="local")  # "local" | "sync"
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)


class CardHolder(Base):
    """The platform's member id of an e-card holder and the card's status, as last synced."""

    __tablename__ = "card_holders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(Integer, unique=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | lost | cancelled
    status_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)


class CardRevocation(Base):
    """A revocation-list entry: lost (挂失, codes issued until then) or cancelled (注销, all codes)."""

    __tablename__ = "card_revocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(Integer, index=True)
    reason: Mapped[str] = mapped_column(String(20))  # "lost" | "cancelled"
    revoked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(20), default="local")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)


class CheckIn(Base):
    """One e-card check at an event, refused ones included; written before the verdict shows.

    ``source`` says how the code came: camera, wedge, image, video, or
    manual (a look-up by name or phone with no code: marked as such).
    """

    __tablename__ = "checkins"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    station_uuid: Mapped[str] = mapped_column(String(36))
    station_name: Mapped[str] = mapped_column(String(100))
    operator: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(20))
    verdict: Mapped[str] = mapped_column(String(10))  # pass | refuse | warn
    reason: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(String(40))
    admitted: Mapped[bool] = mapped_column(Boolean, default=False)  # an entry that used one of the admissions
    direction: Mapped[str] = mapped_column(String(3), default="in", server_default="in")  # in | out (出场)
    platform_id: Mapped[int | None] = mapped_column(Integer)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    key_id: Mapped[str | None] = mapped_column(String(8))
    code_sha: Mapped[str | None] = mapped_column(String(16))
    masked_name: Mapped[str | None] = mapped_column(String(20))
    union_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)  # the hub accepted it (station/sync/records.py)

    __table_args__ = (
        Index("ix_checkins_event_platform", "event_id", "platform_id", "admitted"),
        Index("ix_checkins_event_member", "event_id", "member_id", "admitted"),
        Index("ix_checkins_event_admitted", "event_id", "admitted", "created_at"),
    )


# -- personal data protection (docs/security.md) --------------------------------------


class Operator(Base):
    """A person who uses the station: 推广员 promoter or 管理员 organizer.

    The lockout state lives here so that it survives a restart: five wrong
    secrets lock the account for a delay that grows with each lockout.
    """

    __tablename__ = "operators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # "promoter" | "organizer" | "checker" (security/operators.py)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    lock_level: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class KeySlot(Base):
    """The data key wrapped under one secret (an operator's, or the recovery key).

    Like a LUKS key slot: KDF parameters and salt are kept per slot so
    they can be raised later one slot at a time.  See station/security/keyslots.py.
    """

    __tablename__ = "key_slots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(20))  # "operator" | "recovery"
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"), index=True)
    station_uuid: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, default=1)
    kdf: Mapped[str] = mapped_column(String(20), default="scrypt")
    kdf_n: Mapped[int] = mapped_column(Integer)
    kdf_r: Mapped[int] = mapped_column(Integer)
    kdf_p: Mapped[int] = mapped_column(Integer)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    verifier: Mapped[bytes] = mapped_column(LargeBinary)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    checksum: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)


class AuditEntry(Base):
    """One entry of the append-only, hash-chained audit log (station/security/audit.py).

    ``at`` is kept as the exact ISO text that was hashed; details are JSON
    without personal data.
    """

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    station_uuid: Mapped[str] = mapped_column(String(36))
    operator: Mapped[str | None] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Poster(Base):
    """One QR poster made (station/posters/service.py): the poster id its QR carries and where it will hang.

    Sign-ups that arrive through the poster's URL are attributed by ``code``.
    A batch shares ``batch_uuid``; ``page`` is its page in a multi-page file.
    """

    __tablename__ = "posters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # the QR's p= parameter
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("unions.id"))
    template: Mapped[str] = mapped_column(String(20))  # a4 | a3 | x-banner | table-card
    campaign: Mapped[str] = mapped_column(String(20), index=True)
    placement: Mapped[str] = mapped_column(String(20))  # canteen | dorm | board | booth
    hang_date: Mapped[dt.date] = mapped_column(Date)
    url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(200))
    file_path: Mapped[str] = mapped_column(String(1000))
    page: Mapped[int | None] = mapped_column(Integer)
    batch_uuid: Mapped[str | None] = mapped_column(String(36), index=True)
    module_um: Mapped[int] = mapped_column(Integer)  # printed QR module size, micrometres
    station_uuid: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc, index=True)
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)  # the hub accepted it (station/sync/records.py)

    enterprise: Mapped[Enterprise] = relationship()
    union: Mapped[Union | None] = relationship()


# -- prize draw (issue 8, station/draw/service.py) ---------------------------------------------


class Prize(Base):
    """A prize of an event's draw (电影票, 话费, 礼品) and how many are left to give."""

    __tablename__ = "prizes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    stock: Mapped[int] = mapped_column(Integer)  # as first stocked
    remaining: Mapped[int] = mapped_column(Integer)  # decremented by draws, given back by voids
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)

    event: Mapped[Event] = relationship()


class Draw(Base):
    """One press of the draw button: the entry list it drew from, and its SHA-256, kept for re-checking.

    ``entries`` is the JSON list of the eligible registrations' uuids, sorted;
    ``redraw_of`` is the voided win this draw replaces.
    """

    __tablename__ = "draws"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    prize_id: Mapped[int] = mapped_column(ForeignKey("prizes.id"), index=True)
    count: Mapped[int] = mapped_column(Integer)
    only: Mapped[str | None] = mapped_column(String(20))  # None | "roster" | "new"
    entries: Mapped[str] = mapped_column(Text)
    entries_sha256: Mapped[str] = mapped_column(String(64))
    redraw_of: Mapped[int | None] = mapped_column(Integer)  # draw_winners.id; no FK, the two tables point at each other
    operator: Mapped[str | None] = mapped_column(String(50))
    station_uuid: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)  # the hub accepted it (station/sync/records.py)


class DrawWinner(Base):
    """One win; voided (absent, 未到场) with a reason rather than deleted."""

    __tablename__ = "draw_winners"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    prize_id: Mapped[int] = mapped_column(ForeignKey("prizes.id"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)  # the hub accepted it (station/sync/records.py)

    registration: Mapped[Registration] = relationship()

    __table_args__ = (Index("ix_draw_winners_event_member", "event_id", "member_id"),)


# -- reports (issue 8, station/reports/planner.py) -----------------------------------------------


class EnterpriseSnapshot(Base):
    """One enterprise's figures as the reports saw them on one local day: for "change since last week".

    Written when the dashboard or the day report computes the enterprise
    table, at most once per enterprise and day (the first computation of the
    day stands).  Counts only.
    """

    __tablename__ = "enterprise_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    imported: Mapped[int] = mapped_column(Integer)
    signed_up: Mapped[int] = mapped_column(Integer)
    verified: Mapped[int] = mapped_column(Integer)
    unknown: Mapped[int] = mapped_column(Integer)  # on the roster, 实名认证 status not yet synced
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)

    __table_args__ = (
        Index("ix_enterprise_snapshots_day_enterprise", "day", "enterprise_id", unique=True),
    )


# -- sync with the hub (issue 7, docs/sync-protocol.md, station/sync_*.py) ----------------
#
# What is pending is what has ``synced_at IS NULL`` on registrations, events,
# checkins, draws, draw_winners and posters (a voided win is set back to NULL,
# so the void travels too); the audit log is pending above ``SyncLink.audit_synced_seq``.
# A row leaves the queue only when a success reply from the hub lists its uuid.


class SyncLink(Base):
    """This station's enrollment at a hub: one row (id 1), made by ``station sync enroll``.

    The credential and the bundle-signing private key are kept encrypted under
    the station's data key (station/security/fieldcrypt.py), like personal fields.
    """

    __tablename__ = "sync_link"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hub_url: Mapped[str] = mapped_column(String(500))
    hub_station_name: Mapped[str] = mapped_column(String(100))
    credential_enc: Mapped[bytes] = mapped_column(LargeBinary)
    hub_bundle_key: Mapped[str] = mapped_column(String(64))  # base64 X25519 public key
    bundle_key_enc: Mapped[bytes] = mapped_column(LargeBinary)  # Ed25519 private key, encrypted
    bundle_key_public: Mapped[str] = mapped_column(String(64))  # base64, as registered at the hub
    ca_file: Mapped[str | None] = mapped_column(String(1000))  # a CA bundle given at enrollment
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    enrolled_by: Mapped[str | None] = mapped_column(String(50))
    audit_synced_seq: Mapped[int] = mapped_column(Integer, default=0)  # the hub's audit head, last seen
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SyncCursor(Base):
    """The pull cursor per kind (roster, verification, …), stored with the items it applied."""

    __tablename__ = "sync_cursors"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)


class SyncRun(Base):
    """One sync (network), bundle export or receipt import, and its report for the organizer.

    ``report`` is the JSON of station.sync.report.SyncReport: counts, uuids and
    reason codes only, never personal data.
    """

    __tablename__ = "sync_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    mode: Mapped[str] = mapped_column(String(20))  # network | bundle | receipt
    operator: Mapped[str | None] = mapped_column(String(50))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(20), default="running")  # running | ok | attention | failed | cancelled
    bundle_uuid: Mapped[str | None] = mapped_column(String(36))
    report: Mapped[str] = mapped_column(Text, default="{}")


class SyncRefusal(Base):
    """A record the hub refused, with its reason: kept (still pending) for an organizer to fix.

    Resolved (``resolved_at``) when a later push gets it accepted.
    """

    __tablename__ = "sync_refusals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # events | registrations | checkins | draws | winners | posters | audit
    record_uuid: Mapped[str] = mapped_column(String(36))  # or the audit seq, as text
    error: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    first_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    last_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_sync_refusals_kind_record", "kind", "record_uuid", unique=True),)


class SyncFlag(Base):
    """A flag the hub raised that this station is part of (same person, double admission)."""

    __tablename__ = "sync_flags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hub_seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # same_person | double_admission
    event_uuid: Mapped[str | None] = mapped_column(String(36))
    subject: Mapped[str] = mapped_column(String(100))
    stations: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of station uuids
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON, as the hub sent it
    pulled_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_utc)

    __table_args__ = (Index("ix_sync_flags_identity", "kind", "event_uuid", "subject", unique=True),)

