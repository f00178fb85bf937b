"""The sync protocol's messages (v1), as pydantic models: docs/sync-protocol.md in code.

Strict types (no "1" for 1, no 1 for true), unknown fields refused, every
string and list bounded.  Timestamps are ISO 8601 text with a zone ("Z" or
an offset) and become naive UTC; dates are YYYY-MM-DD.  Text may not hold
control characters (PostgreSQL refuses NUL, and nothing legitimate has them).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from station.people import idnumber, mobile, names

PROTOCOL = 1
MAX_BATCH = 1000  # records in one push
MAX_DRAW_ENTRIES = 20_000
MAX_DETAILS_BYTES = 4096

_UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_TS_RE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"
_NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"


_TS = re.compile(_TS_RE)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _timestamp(text: object) -> dt.datetime:
    if not isinstance(text, str) or len(text) > 40 or not _TS.match(text):
        raise ValueError("expected an ISO 8601 timestamp with a zone, e.g. 2026-11-25T10:00:00Z")
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("not a valid timestamp") from None
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _day(text: object) -> dt.date:
    if not isinstance(text, str) or not _DAY.match(text):
        raise ValueError("expected a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a valid date") from None


def _id_number(text: str) -> str:
    res = idnumber.check(text)
    if res.number is None:
        raise ValueError(f"not a valid ID number ({res.error})")
    return res.number


def _phone(text: str) -> str:
    res = mobile.check(text)
    if res.number is None:
        raise ValueError(f"not a valid mobile number ({res.error})")
    return res.number


def _name(text: str) -> str:
    clean, error, _params = names.check(text)
    if clean is None:
        raise ValueError(f"not a valid name ({error})")
    return clean


Uuid = Annotated[str, StringConstraints(pattern=_UUID_RE, max_length=36)]
# Parsed before pydantic's (strict) date types see them: JSON has no dates, so text is the only input.
Timestamp = Annotated[dt.datetime, BeforeValidator(_timestamp)]
Day = Annotated[dt.date, BeforeValidator(_day)]
Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


def _chars(max_length: int, min_length: int = 0) -> StringConstraints:
    """Text of this length with no control characters: ``Annotated[str, _chars(100, 1)]``."""
    return StringConstraints(max_length=max_length, min_length=min_length, pattern=_NO_CONTROL)


Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,16}$")]
Word = Annotated[str, StringConstraints(pattern=r"^[a-z_-]{1,20}$")]
PlatformId = Annotated[int, Field(ge=1, le=2**62)]


class Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


# -- envelope ------------------------------------------------------------------------


class ErrorReply(Model):
    """Every refusal: ``ok`` false, a stable ``error`` code, an English ``reason``."""

    ok: Literal[False] = False
    protocol: int = PROTOCOL
    error: str
    reason: str
    records: list[dict[str, Any]] = Field(default_factory=list, description="per-record problems: uuid, field, reason")


# -- enrollment ----------------------------------------------------------------------


B64Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{43}=$")]  # 32 raw bytes


class EnrollIn(Model):
    code: Annotated[str, _chars(40, 1)]
    station_uuid: Uuid
    station_name: Annotated[str, _chars(100, 1)]
    bundle_signing_key: B64Key | None = Field(
        default=None, description="the station's Ed25519 public key (base64, raw 32 bytes) that signs its offline bundles")


class EnrollReply(Model):
    ok: Literal[True] = True
    protocol: int = PROTOCOL
    station_uuid: str
    station_name: str
    credential: str = Field(description="the bearer secret: send it as 'Authorization: Bearer …' on every request")
    hub_bundle_key: str = Field(description="the hub's X25519 public key (base64, raw 32 bytes): encrypt offline bundles to it")


# -- pushes --------------------------------------------------------------------------


class RegistrationIn(Model):
    """One sign-up.  ID number and mobile travel in clear inside TLS: the platform needs them."""

    uuid: Uuid
    event_uuid: Uuid
    created_at: Timestamp
    name: Annotated[str, _chars(100, 1), AfterValidator(_name)]
    id_number: Annotated[str, StringConstraints(max_length=40), AfterValidator(_id_number)]
    phone: Annotated[str, StringConstraints(max_length=40), AfterValidator(_phone)] | None = None
    enterprise: Annotated[str, _chars(200)] | None = None
    union: Annotated[str, _chars(200)] | None = None
    outcome: Literal["roster", "new"]
    consent_version: Annotated[str, _chars(20, 1)]
    source: Literal["booth", "paper"] = "booth"
    poster_code: Code | None = None


class CheckInIn(Model):
    uuid: Uuid
    event_uuid: Uuid
    created_at: Timestamp
    operator: Annotated[str, _chars(100)] = ""
    source: Word
    verdict: Literal["pass", "refuse", "warn"]
    reason: Word | None = None
    detail: Annotated[str, _chars(40)] | None = None
    admitted: bool
    platform_id: PlatformId | None = None
    key_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}$")] | None = None
    code_sha: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")] | None = None


class PrizeIn(Model):
    uuid: Uuid
    name: Annotated[str, _chars(100, 1)]
    stock: Annotated[int, Field(ge=0, le=1_000_000)]


class DrawIn(Model):
    uuid: Uuid
    event_uuid: Uuid
    prize: PrizeIn
    count: Annotated[int, Field(ge=1, le=1000)]
    only: Literal["roster", "new"] | None = None
    entries: Annotated[list[Uuid], Field(max_length=MAX_DRAW_ENTRIES)]
    entries_sha256: Hex64
    redraw_of: Uuid | None = None
    operator: Annotated[str, _chars(50)] | None = None
    created_at: Timestamp


class WinnerIn(Model):
    uuid: Uuid
    draw_uuid: Uuid
    registration_uuid: Uuid
    created_at: Timestamp
    voided_at: Timestamp | None = None
    void_reason: Annotated[str, _chars(200)] | None = None


class PosterIn(Model):
    uuid: Uuid
    code: Code
    enterprise: Annotated[str, _chars(200, 1)]
    union: Annotated[str, _chars(200)] | None = None
    template: Literal["a4", "a3", "x-banner", "table-card"]
    campaign: Annotated[str, _chars(20, 1)]
    placement: Word
    hang_date: Day
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s\x00-\x1f\x7f]+$", max_length=500)]
    title: Annotated[str, _chars(200)]
    module_um: Annotated[int, Field(ge=1, le=100_000)]
    batch_uuid: Uuid | None = None
    created_at: Timestamp


class EventIn(Model):
    uuid: Uuid
    kind: Literal["booth", "screening", "redemption"]
    name: Annotated[str, _chars(200, 1)]
    date: Day
    venue: Annotated[str, _chars(200)]
    host_enterprise: Annotated[str, _chars(200)] | None = None
    host_union: Annotated[str, _chars(200)] | None = None
    entry_start: Timestamp | None = None
    entry_end: Timestamp | None = None
    capacity: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    admissions_per_member: Annotated[int, Field(ge=1, le=1000)] | None = None
    reentry: bool = False  # 出场再入场; left out of the content hash when false (as before it existed)
    created_at: Timestamp


class AuditEntryIn(Model):
    """An entry exactly as the station hashed it (station/security/audit_chain.py ``canonical``)."""

    seq: Annotated[int, Field(ge=1, le=2**62)]
    at: Annotated[str, StringConstraints(max_length=32, pattern=_NO_CONTROL)]
    station_uuid: Uuid
    operator: Annotated[str, _chars(50)] | None = None
    action: Annotated[str, StringConstraints(pattern=r"^[a-z_.]{1,40}$")]  # draw.run, draw.void: dotted like the station writes them
    target: Annotated[str, _chars(200)] | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    prev_hash: Hex64
    hash: Hex64

    @model_validator(mode="after")
    def _details_small(self) -> AuditEntryIn:
        size = len(json.dumps(self.details, ensure_ascii=False).encode())
        if size > MAX_DETAILS_BYTES:
            raise ValueError(f"details are {size} bytes; at most {MAX_DETAILS_BYTES}")
        return self


class Anchor(Model):
    seq: Annotated[int, Field(ge=1, le=2**62)]
    hash: Hex64


# A push's records: at least one, at most MAX_BATCH.
_BATCH = Field(min_length=1, max_length=MAX_BATCH)


class RegistrationBatch(Model):
    records: Annotated[list[RegistrationIn], _BATCH]


class CheckInBatch(Model):
    records: Annotated[list[CheckInIn], _BATCH]


class EventBatch(Model):
    records: Annotated[list[EventIn], _BATCH]


class PosterBatch(Model):
    records: Annotated[list[PosterIn], _BATCH]


class DrawBatch(Model):
    draws: Annotated[list[DrawIn], Field(max_length=MAX_BATCH)] = Field(default_factory=list)
    winners: Annotated[list[WinnerIn], Field(max_length=MAX_BATCH)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> DrawBatch:
        if not self.draws and not self.winners:
            raise ValueError("a batch needs at least one draw or winner")
        if len(self.draws) + len(self.winners) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH} draws and winners together")
        return self


class AuditBatch(Model):
    entries: Annotated[list[AuditEntryIn], _BATCH]
    anchor: Anchor | None = None


class Notice(BaseModel):
    kind: str
    uuid: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class PushReply(BaseModel):
    """Success: every record of the batch is stored (new, updated or already there)."""

    ok: Literal[True] = True
    protocol: int = PROTOCOL
    kind: str
    received: int = Field(description="records in the batch; equals accepted + updated + unchanged")
    accepted: list[str] = Field(description="uuids stored now")
    updated: list[str] = Field(default_factory=list, description="uuids whose mutable fields changed (a void)")
    unchanged: list[str] = Field(description="uuids the hub already had with the same content (a retry)")
    notices: list[Notice] = Field(default_factory=list, description="things for the sync report")


class AuditReply(BaseModel):
    ok: Literal[True] = True
    protocol: int = PROTOCOL
    kind: Literal["audit"] = "audit"
    received: int
    accepted: int
    unchanged: int
    head: dict[str, Any]
    anchor: dict[str, Any]


class PullReply(BaseModel):
    ok: Literal[True] = True
    protocol: int = PROTOCOL
    kind: str
    cursor: int = Field(description="the cursor asked for")
    next_cursor: int = Field(description="send this next time; the seq of the last item, or the cursor when none")
    more: bool = Field(description="true when another page is waiting")
    items: list[dict[str, Any]]


class StatusReply(BaseModel):
    ok: Literal[True] = True
    protocol: int = PROTOCOL
    station_uuid: str
    station_name: str
    hub_seq: int
    audit: dict[str, Any]
    counts: dict[str, int]
    live: bool = True
    stations_live: int = 0


class WaitReply(BaseModel):
    ok: Literal[True] = True
    protocol: int = PROTOCOL
    hub_seq: int
    changed: bool
    stations_live: int
