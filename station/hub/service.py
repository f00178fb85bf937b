"""What the hub does, without HTTP: enrollment, authentication, pulls, status and administration.

The pushes are station/hub/pushes.py (records) and station/hub/audit_push.py (the audit log).

Every function takes an open ORM session and leaves committing to the
caller (station/hub/app.py commits once per request), so a refused batch
changes nothing: problems are found before anything is written, and a
failure after that rolls the whole request back.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from station.hub import schemas as S
from station.hub.db import any_of, current_seq, next_seqs
from station.hub.models import (
    AuditEntry,
    CheckIn,
    Draw,
    DrawWinner,
    EnrollmentCode,
    Enterprise,
    Event,
    EventReentry,
    Flag,
    Member,
    Poster,
    Registration,
    Revocation,
    Setting,
    SigningKey,
    Station,
    Union,
)

CREDENTIAL_PREFIX = "ygh1_"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper
CODE_GROUPS, CODE_GROUP_LEN = 4, 4  # 16 symbols, 80 bits
ENROLL_VALID = dt.timedelta(hours=24)
MAX_PULL = 5000
DEFAULT_PULL = 1000


class HubError(Exception):
    """A refusal: HTTP status, stable error code, English reason, per-record problems."""

    def __init__(self, status: int, error: str, reason: str, records: list[dict] | None = None) -> None:
        super().__init__(reason)
        self.status, self.error, self.reason, self.records = status, error, reason, records or []

    def body(self) -> dict:
        return {"ok": False, "protocol": S.PROTOCOL, "error": self.error, "reason": self.reason,
                "records": self.records[:100]}


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def iso(v: dt.datetime | dt.date | None) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.isoformat(timespec="microseconds" if v.microsecond else "seconds") + "Z"
    return v.isoformat()


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def content_hash(record: S.Model, exclude: Iterable[str] = ()) -> str:
    """SHA-256 of the record's canonical JSON, as validated (so equal content, equal hash)."""
    data = record.model_dump(mode="json", exclude=set(exclude))
    return sha256_hex(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


# -- enrollment and credentials ---------------------------------------------------------


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def make_enrollment_code(s: Session, station_name: str, valid_for: dt.timedelta = ENROLL_VALID) -> tuple[str, dt.datetime]:
    """A one-time code (e.g. K7QM-3XRT-PW9A-HC2N) for one station; only its hash is stored."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    expires = now_utc() + valid_for
    s.add(EnrollmentCode(code_hash=sha256_hex(raw), station_name=station_name.strip()[:100], expires_at=expires))
    code = "-".join(raw[i:i + CODE_GROUP_LEN] for i in range(0, len(raw), CODE_GROUP_LEN))
    return code, expires


def enroll(s: Session, req: S.EnrollIn) -> tuple[Station, str]:
    """Spend a one-time code: a new station and its credential (returned once, stored hashed)."""
    row = s.scalars(
        select(EnrollmentCode).where(EnrollmentCode.code_hash == sha256_hex(normalize_code(req.code))).with_for_update()
    ).first()
    station = s.scalars(select(Station).where(Station.uuid == req.station_uuid)).first()
    if row is not None and station is not None and _lost_reply(row, station):
        # The same station again with the code it just spent, before ever pushing: the reply
        # carrying its credential was lost on the way (canteen Wi-Fi).  A new credential
        # replaces the one nobody received, so the retry succeeds and the lost one never works.
        secret = CREDENTIAL_PREFIX + secrets.token_urlsafe(32)
        station.name, station.credential_hash = req.station_name, sha256_hex(secret)
        station.bundle_signing_key = req.bundle_signing_key
        s.flush()
        return station, secret
    if row is None or row.used_at is not None or row.expires_at < now_utc():
        # One answer for unknown, spent and expired codes: a guesser learns nothing.
        raise HubError(403, "enroll_code_invalid", "The enrollment code is unknown, already used or expired.")
    secret = CREDENTIAL_PREFIX + secrets.token_urlsafe(32)
    if station is not None and station.revoked_at is None:
        raise HubError(409, "station_exists", "A station with this UUID is already enrolled; ask for it to be revoked first.")
    if station is not None:
        # A revoked station enrolled again with a fresh code (an administrator's decision): it keeps its
        # records and audit chain under a new credential; the old one stays refused.
        station.name, station.credential_hash = req.station_name, sha256_hex(secret)
        station.bundle_signing_key, station.revoked_at = req.bundle_signing_key, None
    else:
        station = Station(uuid=req.station_uuid, name=req.station_name, credential_hash=sha256_hex(secret),
                          bundle_signing_key=req.bundle_signing_key)
        s.add(station)
    s.flush()
    row.used_at = now_utc()
    row.station_id = station.id
    return station, secret


def _lost_reply(code: EnrollmentCode, station: Station) -> bool:
    """A retried enrollment: the code still valid, spent by this very station, which has not pushed since."""
    return (code.used_at is not None and code.station_id == station.id
            and code.expires_at >= now_utc() and station.revoked_at is None and station.last_push_at is None)


def hub_bundle_key(s: Session) -> str:
    return s.get_one(Setting, "bundle.public").value


def authenticate(s: Session, authorization: str | None) -> Station:
    """The station whose credential is in an 'Authorization: Bearer …' header, or HubError 401/403.

    The credential is 256 random bits, so one SHA-256 (no slow KDF) keeps a
    stolen hub database from replaying it, and the look-up is by that hash.
    """
    if not authorization:
        raise HubError(401, "unauthenticated", "This request needs a station credential (Authorization: Bearer …).")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(CREDENTIAL_PREFIX) or len(token) > 200:
        raise HubError(401, "unauthenticated", "The credential is malformed.")
    station = s.scalars(select(Station).where(Station.credential_hash == sha256_hex(token))).first()
    if station is None:
        raise HubError(401, "unauthenticated", "The credential is not known to this hub.")
    if station.revoked_at is not None:
        raise HubError(403, "station_revoked", "This station's credential was revoked; enroll it again.")
    return station


# -- pulls ----------------------------------------------------------------------------

PULL_KINDS = ("roster", "verification", "revocations", "events", "keys", "flags")


def _page(rows: Sequence[Any], limit: int, cursor: int, kind: str, item: Callable[[Any], dict]) -> dict:
    more = len(rows) > limit
    rows = rows[:limit]
    items = [item(r) for r in rows]
    next_cursor = items[-1]["seq"] if items else cursor
    return {"ok": True, "protocol": S.PROTOCOL, "kind": kind, "cursor": cursor, "next_cursor": next_cursor,
            "more": more, "items": items}


def pull(s: Session, station: Station, kind: str, cursor: int, limit: int) -> dict:
    if kind not in PULL_KINDS:
        raise HubError(404, "unknown_kind", f"Nothing to pull called {kind!r}; kinds: {', '.join(PULL_KINDS)}.")
    n = limit + 1
    if kind == "roster":
        ent, uni = Enterprise.__table__.alias("e"), Union.__table__.alias("u")
        rows = s.execute(
            select(Member.roster_seq, Member.id, Member.id_number, Member.name, Member.phone, Member.on_roster,
                   Member.card_status, ent.c.name, uni.c.name, Member.verified, Member.verified_at)
            .outerjoin(ent, ent.c.id == Member.enterprise_id).outerjoin(uni, uni.c.id == Member.union_id)
            .where(Member.roster_seq > cursor).order_by(Member.roster_seq).limit(n)
        ).all()
        return _page(rows, limit, cursor, kind, lambda r: {
            "seq": r[0], "platform_id": r[1], "id_number": r[2], "name": r[3], "phone": r[4], "on_roster": r[5],
            "card_status": r[6], "enterprise": r[7], "union": r[8], "verified": r[9], "verified_at": iso(r[10])})
    if kind == "verification":
        rows = s.execute(select(Member.verify_seq, Member.id, Member.id_number, Member.verified, Member.verified_at)
                         .where(Member.verify_seq > cursor).order_by(Member.verify_seq).limit(n)).all()
        return _page(rows, limit, cursor, kind, lambda r: {
            "seq": r[0], "platform_id": r[1], "id_number": r[2], "verified": r[3], "verified_at": iso(r[4])})
    if kind == "revocations":
        rows = s.execute(select(Revocation.seq, Revocation.platform_id, Revocation.reason, Revocation.revoked_at)
                         .where(Revocation.seq > cursor).order_by(Revocation.seq).limit(n)).all()
        return _page(rows, limit, cursor, kind, lambda r: {
            "seq": r[0], "platform_id": r[1], "reason": r[2], "revoked_at": iso(r[3])})
    if kind == "events":
        rows = list(s.scalars(select(Event).where(Event.origin == "hub", Event.seq > cursor).order_by(Event.seq).limit(n)))
        again = set(s.scalars(select(EventReentry.event_id).where(
            any_of(s, EventReentry.event_id, [e.id for e in rows])))) if rows else set()
        return _page(rows, limit, cursor, kind, lambda e: {
            "seq": e.seq, "reentry": e.id in again, "uuid": e.uuid, "kind": e.kind, "name": e.name, "date": iso(e.date), "venue": e.venue,
            "host_enterprise": e.host_enterprise, "host_union": e.host_union, "entry_start": iso(e.entry_start),
            "entry_end": iso(e.entry_end), "capacity": e.capacity, "admissions_per_member": e.admissions_per_member,
            "eligible_unions": json.loads(e.eligible_unions), "eligible_enterprises": json.loads(e.eligible_enterprises)})
    if kind == "keys":
        rows = list(s.scalars(select(SigningKey).where(SigningKey.seq > cursor).order_by(SigningKey.seq).limit(n)))
        return _page(rows, limit, cursor, kind, lambda k: {
            "seq": k.seq, "kid": k.kid, "public_key": base64.b64encode(bytes.fromhex(k.public_key)).decode(),
            "label": k.label, "valid_from": iso(k.valid_from), "valid_until": iso(k.valid_until),
            "retired_at": iso(k.retired_at)})
    # flags: the ones this station is part of
    rows = list(s.scalars(select(Flag).where(Flag.seq > cursor, Flag.stations.contains(station.uuid))
                          .order_by(Flag.seq).limit(n)))
    return _page(rows, limit, cursor, kind, lambda f: {
        "seq": f.seq, "kind": f.kind, "event_uuid": f.event_uuid, "subject": f.subject,
        "stations": json.loads(f.stations), "detail": json.loads(f.detail)})


def status(s: Session, station: Station) -> dict:
    def count(model) -> int:
        return s.scalar(select(func.count()).select_from(model).where(model.station_id == station.id)) or 0

    return {
        "ok": True, "protocol": S.PROTOCOL, "station_uuid": station.uuid, "station_name": station.name,
        "hub_seq": current_seq(s),
        "audit": {"head_seq": station.audit_head_seq, "head_hash": station.audit_head_hash,
                  "anchor_seq": station.audit_anchor_seq, "anchor_hash": station.audit_anchor_hash},
        "counts": {"registrations": count(Registration), "checkins": count(CheckIn), "draws": count(Draw),
                   "winners": count(DrawWinner), "posters": count(Poster), "events": count(Event),
                   "audit": count(AuditEntry)},
    }


# -- administration (the CLI and tests; no HTTP) ----------------------------------------


def _org_ids(s: Session, cache: dict, enterprise: str | None, union: str | None) -> tuple[int | None, int | None]:
    uid = None
    if union:
        uid = cache.get(("u", union))
        if uid is None:
            uid = s.scalar(select(Union.id).where(Union.name == union))
            if uid is None:
                uid = s.execute(insert(Union).values(name=union).returning(Union.id)).scalar_one()
            cache[("u", union)] = uid
    eid = None
    if enterprise:
        eid = cache.get(("e", enterprise))
        if eid is None:
            eid = s.scalar(select(Enterprise.id).where(Enterprise.name == enterprise))
            if eid is None:
                eid = s.execute(insert(Enterprise).values(name=enterprise, union_id=uid).returning(Enterprise.id)).scalar_one()
            cache[("e", enterprise)] = eid
    return eid, uid


def upsert_roster(s: Session, rows: list[tuple[str, str, str | None, str | None, str | None]], cache: dict) -> tuple[int, int, int]:
    """Put (id_number, name, phone, enterprise, union) rows on the roster: (inserted, updated, unchanged).

    Only rows that change get a new roster_seq, so stations pull only what changed.
    """
    by_number = {r[0]: r for r in rows}
    existing = {m.id_number: m for m in s.execute(
        select(Member.id_number, Member.id, Member.name, Member.phone, Member.enterprise_id, Member.union_id,
               Member.on_roster).where(any_of(s, Member.id_number, by_number)))}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for number, name, phone, enterprise, union in by_number.values():
        eid, uid = _org_ids(s, cache, enterprise, union)
        m = existing.get(number)
        if m is None:
            inserts.append({"id_number": number, "name": name, "phone": phone, "enterprise_id": eid, "union_id": uid})
            continue
        new_phone = phone or m.phone
        new_eid = eid if eid is not None else m.enterprise_id
        new_uid = uid if uid is not None else m.union_id
        if (m.name, m.phone, m.enterprise_id, m.union_id, m.on_roster) != (name, new_phone, new_eid, new_uid, True):
            updates.append({"mid": m.id, "name": name, "phone": new_phone, "enterprise_id": new_eid, "union_id": new_uid})
    n = len(inserts) + len(updates)
    if n:
        first = next_seqs(s, n)
        now = now_utc()
        for i, row in enumerate(inserts):
            row.update(on_roster=True, roster_seq=first + i, card_status="active", created_at=now, updated_at=now)
        if inserts:
            s.execute(insert(Member), inserts)
        for j, row in enumerate(updates, start=len(inserts)):
            s.execute(update(Member).where(Member.id == row["mid"]).values(
                name=row["name"], phone=row["phone"], enterprise_id=row["enterprise_id"], union_id=row["union_id"],
                on_roster=True, roster_seq=first + j, updated_at=now))
    return len(inserts), len(updates), len(by_number) - n


def set_verified(s: Session, id_numbers: Iterable[str], verified: bool = True, at: dt.datetime | None = None) -> int:
    """Record the platform's 实名认证 status for members; returns how many changed."""
    at = at or now_utc()
    ids = list(s.scalars(select(Member.id).where(Member.id_number.in_(list(id_numbers)),
                                                 or_(Member.verified.is_(None), Member.verified != verified))))
    if ids:
        first = next_seqs(s, len(ids))
        for i, mid in enumerate(ids):
            s.execute(update(Member).where(Member.id == mid).values(verified=verified, verified_at=at,
                                                                    verify_seq=first + i, updated_at=at))
    return len(ids)


def revoke_card(s: Session, platform_id: int, reason: str, at: dt.datetime | None = None) -> None:
    if reason not in ("lost", "cancelled"):
        raise ValueError("reason must be lost or cancelled")
    if s.get(Member, platform_id) is None:
        raise HubError(404, "unknown_member", f"No member with platform id {platform_id}.")
    at = at or now_utc()
    s.add(Revocation(platform_id=platform_id, reason=reason, revoked_at=at, seq=next_seqs(s)))
    s.execute(update(Member).where(Member.id == platform_id).values(card_status=reason, updated_at=at))


def create_event(s: Session, *, kind: str, name: str, date: dt.date, venue: str, entry_start: dt.datetime | None = None,
                 entry_end: dt.datetime | None = None, capacity: int | None = None,
                 admissions_per_member: int | None = None, host_enterprise: str | None = None,
                 host_union: str | None = None, unions: Sequence[str] = (), enterprises: Sequence[str] = (),
                 reentry: bool = False) -> Event:
    import uuid as uuidlib

    event = Event(uuid=str(uuidlib.uuid4()), origin="hub", kind=kind, name=name, date=date, venue=venue,
                  host_enterprise=host_enterprise, host_union=host_union, entry_start=entry_start, entry_end=entry_end,
                  capacity=capacity, admissions_per_member=admissions_per_member,
                  eligible_unions=json.dumps(list(unions), ensure_ascii=False),
                  eligible_enterprises=json.dumps(list(enterprises), ensure_ascii=False), seq=next_seqs(s))
    s.add(event)
    s.flush()
    if reentry:
        s.add(EventReentry(event_id=event.id))
    return event


def revoke_station(s: Session, station_uuid: str) -> bool:
    row = s.scalars(select(Station).where(Station.uuid == station_uuid)).first()
    if row is None:
        return False
    row.revoked_at = now_utc()
    return True


def station_list(s: Session) -> list[dict]:
    return [{"uuid": st.uuid, "name": st.name, "enrolled_at": iso(st.enrolled_at), "last_push_at": iso(st.last_push_at),
             "revoked": st.revoked_at is not None, "audit_head_seq": st.audit_head_seq}
            for st in s.scalars(select(Station).order_by(Station.id))]

