"""What the hub does, without HTTP: enrollment, authentication, idempotent pushes, pulls.

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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from station.security import audit as station_audit
from station.draw.service import entries_digest
from station.hub import schemas as S
from station.hub.db import current_seq, next_seqs
from station.hub.models import (
    AuditEntry,
    CheckIn,
    Draw,
    DrawWinner,
    EnrollmentCode,
    Enterprise,
    Event,
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
    if row is not None and _lost_reply(row, station):
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


def _lost_reply(code: EnrollmentCode, station: Station | None) -> bool:
    """A retried enrollment: the code still valid, spent by this very station, which has not pushed since."""
    return (station is not None and code.used_at is not None and code.station_id == station.id
            and code.expires_at >= now_utc() and station.revoked_at is None and station.last_push_at is None)


def hub_bundle_key(s: Session) -> str:
    return s.get(Setting, "bundle.public").value


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


# -- push helpers -----------------------------------------------------------------------


def _in(s: Session, column, values):
    """``column IN values``; on PostgreSQL as ``= ANY(array)``: one parameter instead of a thousand,
    so the driver does not parse a new statement for every batch size."""
    values = list(values)
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy import any_, bindparam
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def _dedupe(records: Sequence[S.Model], hashes: dict[str, str], key=lambda r: r.uuid) -> list:
    """One record per uuid; the same uuid twice in a batch with different content is a conflict."""
    seen: dict[str, Any] = {}
    problems = []
    for r in records:
        k = key(r)
        if k in seen:
            if hashes[id(seen[k])] != hashes[id(r)]:
                problems.append({"uuid": k, "reason": "the same uuid appears twice in the batch with different content"})
            continue
        seen[k] = r
    if problems:
        raise HubError(409, "conflict", "The batch holds one uuid twice with different content.", problems)
    return list(seen.values())


def _classify(s: Session, model, station: Station, records: list, hashes: dict[int, str]):
    """(new records, unchanged uuids, existing rows by uuid) — refusing other stations' and changed records."""
    uuids = [r.uuid for r in records]
    existing = {row.uuid: row for row in s.execute(
        select(model.uuid, model.station_id, model.content_hash).where(_in(s, model.uuid, uuids))
    )}
    new, unchanged, foreign, conflicts = [], [], [], []
    for r in records:
        row = existing.get(r.uuid)
        if row is None:
            new.append(r)
        elif row.station_id != station.id:
            foreign.append({"uuid": r.uuid, "reason": "this uuid belongs to another station's record"})
        elif row.content_hash != hashes[id(r)]:
            conflicts.append({"uuid": r.uuid, "reason": "the hub already has this uuid from this station with different content"})
        else:
            unchanged.append(r.uuid)
    if foreign:
        raise HubError(403, "not_your_record", "The batch touches records another station wrote.", foreign)
    if conflicts:
        raise HubError(409, "conflict", "The batch changes records the hub already has.", conflicts)
    return new, unchanged, existing


def _events(s: Session, uuids: set[str], records: list, field: str = "event_uuid") -> dict[str, Event]:
    found = {e.uuid: e for e in s.scalars(select(Event).where(_in(s, Event.uuid, uuids)))} if uuids else {}
    missing = [{"uuid": r.uuid, "field": field, "reason": "unknown event: push the event first"}
               for r in records if getattr(r, field) not in found]
    if missing:
        raise HubError(422, "unknown_event", "Some records name an event the hub does not know.", missing)
    return found


def _flag(s: Session, key: str, kind: str, *, event_uuid: str | None, subject: str, stations: list[str],
          detail: dict) -> None:
    """Raise or grow a flag; it moves to a new seq so stations pull it again."""
    seq = next_seqs(s)
    row = s.scalars(select(Flag).where(Flag.key == key)).first()
    text_stations = json.dumps(sorted(set(stations)))
    if row is None:
        s.add(Flag(key=key, kind=kind, event_uuid=event_uuid, subject=subject, stations=text_stations,
                   detail=json.dumps(detail, ensure_ascii=False), seq=seq))
    else:
        row.stations, row.detail, row.seq = text_stations, json.dumps(detail, ensure_ascii=False), seq


def _reply(kind: str, received: int, accepted: list[str], unchanged: list[str], updated: list[str] | None = None,
           notices: list[dict] | None = None) -> dict:
    return {"ok": True, "protocol": S.PROTOCOL, "kind": kind, "received": received, "accepted": accepted,
            "updated": updated or [], "unchanged": unchanged, "notices": notices or []}


def _hashes(records: Sequence[S.Model], exclude: Iterable[str] = ()) -> dict[int, str]:
    ex = tuple(exclude)
    return {id(r): content_hash(r, ex) for r in records}


# -- pushes ---------------------------------------------------------------------------


def push_events(s: Session, station: Station, batch: S.EventBatch) -> dict:
    hashes = _hashes(batch.records)
    records = _dedupe(batch.records, hashes)
    uuids = [r.uuid for r in records]
    hub_events = set(s.scalars(select(Event.uuid).where(Event.uuid.in_(uuids), Event.origin == "hub")))
    # An event the station pulled from the hub and pushes back is already known, not a conflict.
    mine = [r for r in records if r.uuid not in hub_events]
    new, unchanged, _ = _classify(s, Event, station, mine, hashes)
    if new:
        s.execute(insert(Event), [{
            "uuid": r.uuid, "origin": "station", "station_id": station.id, "kind": r.kind, "name": r.name,
            "date": r.date, "venue": r.venue, "host_enterprise": r.host_enterprise, "host_union": r.host_union,
            "entry_start": r.entry_start, "entry_end": r.entry_end, "capacity": r.capacity,
            "admissions_per_member": r.admissions_per_member, "content_hash": hashes[id(r)], "created_at": r.created_at,
        } for r in new])
    return _reply("events", len(batch.records), [r.uuid for r in new], unchanged + sorted(hub_events))


def push_registrations(s: Session, station: Station, batch: S.RegistrationBatch) -> dict:
    hashes = _hashes(batch.records)
    records = _dedupe(batch.records, hashes)
    new, unchanged, _ = _classify(s, Registration, station, records, hashes)
    notices: list[dict] = []
    if new:
        events = _events(s, {r.event_uuid for r in new}, new)
        numbers = {r.id_number for r in new}
        members = dict(s.execute(select(Member.id_number, Member.id).where(_in(s, Member.id_number, numbers))).all())
        known = set(members.values())  # only members the hub had before can have other stations' sign-ups
        first_of: dict[str, S.RegistrationIn] = {}
        for r in new:
            if r.id_number not in members:
                first_of.setdefault(r.id_number, r)
        if first_of:
            now = now_utc()
            made = s.execute(insert(Member).returning(Member.id_number, Member.id), [{
                "id_number": r.id_number, "name": r.name, "phone": r.phone, "on_roster": False,
                "card_status": "active", "created_at": now, "updated_at": now,
            } for _n, r in sorted(first_of.items())]).all()  # one order for all: racing batches do not deadlock
            members.update({n: i for n, i in made})
        others: dict[int, set[str]] = defaultdict(set)
        if known:
            for member_id, station_uuid in s.execute(
                select(Registration.member_id, Station.uuid).join(Station, Station.id == Registration.station_id)
                .where(_in(s, Registration.member_id, known), Registration.station_id != station.id).distinct()
            ):
                others[member_id].add(station_uuid)
        now = now_utc()
        s.execute(insert(Registration), [{
            "uuid": r.uuid, "station_id": station.id, "member_id": members[r.id_number],
            "event_id": events[r.event_uuid].id, "name": r.name, "phone": r.phone, "enterprise": r.enterprise,
            "union": r.union, "outcome": r.outcome, "consent_version": r.consent_version, "source": r.source,
            "poster_code": r.poster_code, "created_at": r.created_at, "received_at": now,
            "content_hash": hashes[id(r)],
        } for r in new])
        for r in new:
            member_id = members[r.id_number]
            if member_id in others:
                stations = sorted(others[member_id] | {station.uuid})
                notices.append({"kind": "same_person", "uuid": r.uuid,
                                "detail": {"platform_id": member_id, "stations": stations}})
                regs = list(s.scalars(select(Registration.uuid).where(Registration.member_id == member_id).limit(50)))
                _flag(s, f"same_person:{member_id}", "same_person", event_uuid=None, subject=str(member_id),
                      stations=stations, detail={"platform_id": member_id, "registrations": sorted(regs)})
    return _reply("registrations", len(batch.records), [r.uuid for r in new], unchanged, notices=notices)


def push_checkins(s: Session, station: Station, batch: S.CheckInBatch) -> dict:
    hashes = _hashes(batch.records)
    records = _dedupe(batch.records, hashes)
    new, unchanged, _ = _classify(s, CheckIn, station, records, hashes)
    notices: list[dict] = []
    if new:
        events = _events(s, {r.event_uuid for r in new}, new)
        now = now_utc()
        s.execute(insert(CheckIn), [{
            "uuid": r.uuid, "station_id": station.id, "event_id": events[r.event_uuid].id, "operator": r.operator,
            "source": r.source, "verdict": r.verdict, "reason": r.reason, "detail": r.detail, "admitted": r.admitted,
            "platform_id": r.platform_id, "key_id": r.key_id, "code_sha": r.code_sha, "created_at": r.created_at,
            "received_at": now, "content_hash": hashes[id(r)],
        } for r in new])
        pairs = {(events[r.event_uuid], r.platform_id) for r in new if r.admitted and r.platform_id is not None}
        for event, platform_id in sorted(pairs, key=lambda p: (p[0].id, p[1])):
            rows = s.execute(
                select(CheckIn.uuid, Station.uuid, CheckIn.created_at).join(Station, Station.id == CheckIn.station_id)
                .where(CheckIn.event_id == event.id, CheckIn.platform_id == platform_id, CheckIn.admitted.is_(True))
                .order_by(CheckIn.created_at)
            ).all()
            limit = event.admissions_per_member or 1
            stations = sorted({st for _u, st, _a in rows})
            if len(rows) > limit and len(stations) > 1:
                detail = {"event_uuid": event.uuid, "platform_id": platform_id, "admissions": len(rows), "limit": limit,
                          "checkins": [u for u, _s, _a in rows][:50]}
                _flag(s, f"double_admission:{event.uuid}:{platform_id}", "double_admission", event_uuid=event.uuid,
                      subject=str(platform_id), stations=stations, detail=detail)
                notices.append({"kind": "double_admission", "uuid": None, "detail": dict(detail, stations=stations)})
    return _reply("checkins", len(batch.records), [r.uuid for r in new], unchanged, notices=notices)


def push_posters(s: Session, station: Station, batch: S.PosterBatch) -> dict:
    hashes = _hashes(batch.records)
    records = _dedupe(batch.records, hashes)
    new, unchanged, _ = _classify(s, Poster, station, records, hashes)
    if new:
        codes = [r.code for r in new]
        taken = set(s.scalars(select(Poster.code).where(Poster.code.in_(codes))))
        dup = [c for c in codes if codes.count(c) > 1]
        clash = [{"uuid": r.uuid, "field": "code", "reason": "another poster already has this code"}
                 for r in new if r.code in taken or r.code in dup]
        if clash:
            raise HubError(409, "conflict", "Poster codes must be unique.", clash)
        now = now_utc()
        s.execute(insert(Poster), [{
            "uuid": r.uuid, "code": r.code, "station_id": station.id, "enterprise": r.enterprise, "union": r.union,
            "template": r.template, "campaign": r.campaign, "placement": r.placement, "hang_date": r.hang_date,
            "url": r.url, "title": r.title, "module_um": r.module_um, "batch_uuid": r.batch_uuid,
            "created_at": r.created_at, "received_at": now, "content_hash": hashes[id(r)],
        } for r in new])
    return _reply("posters", len(batch.records), [r.uuid for r in new], unchanged)


_VOID_FIELDS = ("voided_at", "void_reason")


def push_draws(s: Session, station: Station, batch: S.DrawBatch) -> dict:
    dhash = _hashes(batch.draws)
    draws = _dedupe(batch.draws, dhash)
    bad = [{"uuid": d.uuid, "field": "entries_sha256", "reason": "does not match the SHA-256 of the sorted entries"}
           for d in draws if entries_digest(list(d.entries)) != d.entries_sha256]
    if bad:
        raise HubError(422, "invalid_record", "A draw's entry hash does not check.", bad)
    new_draws, unchanged, _ = _classify(s, Draw, station, draws, dhash) if draws else ([], [], {})
    accepted = [d.uuid for d in new_draws]
    if new_draws:
        events = _events(s, {d.event_uuid for d in new_draws}, new_draws)
        now = now_utc()
        s.execute(insert(Draw), [{
            "uuid": d.uuid, "station_id": station.id, "event_id": events[d.event_uuid].id, "prize_uuid": d.prize.uuid,
            "prize_name": d.prize.name, "prize_stock": d.prize.stock, "count": d.count, "only": d.only,
            "entries": json.dumps(sorted(d.entries)), "entries_sha256": d.entries_sha256, "redraw_of": d.redraw_of,
            "operator": d.operator, "created_at": d.created_at, "received_at": now, "content_hash": dhash[id(d)],
        } for d in new_draws])
    updated: list[str] = []
    if batch.winners:
        whash = _hashes(batch.winners, _VOID_FIELDS)
        full = _hashes(batch.winners)
        winners = _dedupe(batch.winners, full)
        draw_rows = {u: (i, st) for u, i, st in s.execute(
            select(Draw.uuid, Draw.id, Draw.station_id).where(Draw.uuid.in_({w.draw_uuid for w in winners})))}
        problems = []
        for w in winners:
            found = draw_rows.get(w.draw_uuid)
            if found is None:
                problems.append({"uuid": w.uuid, "field": "draw_uuid", "reason": "unknown draw: push the draw first"})
            elif found[1] != station.id:
                raise HubError(403, "not_your_record", "A winner names another station's draw.",
                               [{"uuid": w.uuid, "reason": "the draw belongs to another station"}])
        if problems:
            raise HubError(422, "unknown_draw", "Some winners name a draw the hub does not know.", problems)
        existing = {row.uuid: row for row in s.execute(
            select(DrawWinner.uuid, DrawWinner.station_id, DrawWinner.content_hash, DrawWinner.voided_at,
                   DrawWinner.void_reason).where(DrawWinner.uuid.in_([w.uuid for w in winners])))}
        new_w, conflicts, foreign = [], [], []
        for w in winners:
            row = existing.get(w.uuid)
            if row is None:
                new_w.append(w)
            elif row.station_id != station.id:
                foreign.append({"uuid": w.uuid, "reason": "this uuid belongs to another station's record"})
            elif row.content_hash != whash[id(w)]:
                conflicts.append({"uuid": w.uuid, "reason": "the hub already has this win with different content"})
            elif (row.voided_at, row.void_reason) == (w.voided_at, w.void_reason):
                unchanged.append(w.uuid)
            elif row.voided_at is None and w.voided_at is not None:
                updated.append(w.uuid)
            else:
                conflicts.append({"uuid": w.uuid, "reason": "a void cannot be changed or undone"})
        if foreign:
            raise HubError(403, "not_your_record", "The batch touches records another station wrote.", foreign)
        if conflicts:
            raise HubError(409, "conflict", "The batch changes records the hub already has.", conflicts)
        now = now_utc()
        if new_w:
            s.execute(insert(DrawWinner), [{
                "uuid": w.uuid, "station_id": station.id, "draw_id": draw_rows[w.draw_uuid][0],
                "registration_uuid": w.registration_uuid, "voided_at": w.voided_at, "void_reason": w.void_reason,
                "created_at": w.created_at, "received_at": now, "content_hash": whash[id(w)],
            } for w in new_w])
        by_uuid = {w.uuid: w for w in winners}
        for u in updated:
            s.execute(update(DrawWinner).where(DrawWinner.uuid == u)
                      .values(voided_at=by_uuid[u].voided_at, void_reason=by_uuid[u].void_reason))
        accepted += [w.uuid for w in new_w]
    return _reply("draws", len(batch.draws) + len(batch.winners), accepted, unchanged, updated)


def push_audit(s: Session, station: Station, batch: S.AuditBatch) -> dict:
    """Check the chain the station sends against itself and against what the hub has.

    Entries the hub has are compared by hash (a retry is unchanged; a different
    entry at a known seq means the station's log was rewritten or an older
    copy of its database was put back).  New entries must continue the
    hub's head.  The keyed anchor may only move forward.
    """
    entries = sorted(batch.entries, key=lambda e: e.seq)
    foreign = [{"seq": e.seq, "reason": "the entry names another station"} for e in entries if e.station_uuid != station.uuid]
    if foreign:
        raise HubError(403, "not_your_record", "Audit entries must be this station's own.", foreign)
    bad = []
    for e in entries:
        details = json.dumps(e.details, ensure_ascii=False)
        digest = hashlib.sha256(station_audit.canonical(e.seq, e.at, e.station_uuid, e.operator, e.action, e.target,
                                                        details, e.prev_hash)).hexdigest()
        if digest != e.hash:
            bad.append({"seq": e.seq, "reason": "the hash does not match the entry's content"})
    seqs = [e.seq for e in entries]
    if len(set(seqs)) != len(seqs):
        bad.append({"seq": None, "reason": "the batch holds one seq twice"})
    if bad:
        raise HubError(422, "audit_invalid", "Audit entries do not verify.", bad)
    # Row lock on the station: two pushes of one station's log run one after the other.
    s.execute(select(Station.id).where(Station.id == station.id).with_for_update())
    s.refresh(station)
    have = dict(s.execute(select(AuditEntry.seq, AuditEntry.hash)
                          .where(AuditEntry.station_id == station.id, AuditEntry.seq.in_(seqs))).all())
    diverged = [{"seq": e.seq, "reason": "differs from the entry the hub received earlier"}
                for e in entries if e.seq in have and have[e.seq] != e.hash]
    if diverged:
        raise HubError(409, "audit_diverged",
                       "The station's audit log differs from what it sent before: it was rewritten, or an older "
                       "copy of the station's database was put back.", diverged)
    head_seq, head_hash = station.audit_head_seq, station.audit_head_hash
    fresh = [e for e in entries if e.seq not in have]
    for e in fresh:
        expected_prev = head_hash if head_seq else station_audit.genesis_hash(station.uuid)
        if e.seq != head_seq + 1:
            raise HubError(422, "audit_gap", f"Expected audit entry {head_seq + 1} next, got {e.seq}.",
                           [{"seq": e.seq, "reason": f"expected seq {head_seq + 1}"}])
        if e.prev_hash != expected_prev:
            raise HubError(409, "audit_diverged", f"Audit entry {e.seq} does not link to entry {head_seq}.",
                           [{"seq": e.seq, "reason": "prev_hash does not match the hub's head"}])
        head_seq, head_hash = e.seq, e.hash
    anchor_seq, anchor_hash = station.audit_anchor_seq, station.audit_anchor_hash
    if batch.anchor is not None:
        a = batch.anchor
        if a.seq < station.audit_anchor_seq:
            raise HubError(409, "audit_anchor_backwards",
                           f"The station's anchor went back from entry {station.audit_anchor_seq} to {a.seq}: an older "
                           "copy of its database was put back.", [{"seq": a.seq, "reason": "anchor went backwards"}])
        known = {e.seq: e.hash for e in entries}
        known.update(have)
        at = known.get(a.seq)
        if at is None and a.seq <= station.audit_head_seq:
            at = s.scalar(select(AuditEntry.hash).where(AuditEntry.station_id == station.id, AuditEntry.seq == a.seq))
        if at is None or at != a.hash or a.seq > head_seq:
            raise HubError(409, "audit_anchor_mismatch", f"The anchor does not match entry {a.seq} of the log.",
                           [{"seq": a.seq, "reason": "anchor hash differs from the entry"}])
        anchor_seq, anchor_hash = a.seq, a.hash
    if fresh:
        now = now_utc()
        s.execute(insert(AuditEntry), [{
            "station_id": station.id, "seq": e.seq, "at": e.at, "operator": e.operator, "action": e.action,
            "target": e.target, "details": json.dumps(e.details, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            "prev_hash": e.prev_hash, "hash": e.hash, "received_at": now,
        } for e in fresh])
    station.audit_head_seq, station.audit_head_hash = head_seq, head_hash
    station.audit_anchor_seq, station.audit_anchor_hash = anchor_seq, anchor_hash
    return {"ok": True, "protocol": S.PROTOCOL, "kind": "audit", "received": len(entries), "accepted": len(fresh),
            "unchanged": len(entries) - len(fresh), "head": {"seq": head_seq, "hash": head_hash},
            "anchor": {"seq": anchor_seq, "hash": anchor_hash}}


# -- pulls ----------------------------------------------------------------------------

PULL_KINDS = ("roster", "verification", "revocations", "events", "keys", "flags")


def _page(rows: list, limit: int, cursor: int, kind: str, item) -> dict:
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
        return _page(rows, limit, cursor, kind, lambda e: {
            "seq": e.seq, "uuid": e.uuid, "kind": e.kind, "name": e.name, "date": iso(e.date), "venue": e.venue,
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
               Member.on_roster).where(_in(s, Member.id_number, by_number)))}
    inserts, updates = [], []
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
                 host_union: str | None = None, unions: Sequence[str] = (), enterprises: Sequence[str] = ()) -> Event:
    import uuid as uuidlib

    event = Event(uuid=str(uuidlib.uuid4()), origin="hub", kind=kind, name=name, date=date, venue=venue,
                  host_enterprise=host_enterprise, host_union=host_union, entry_start=entry_start, entry_end=entry_end,
                  capacity=capacity, admissions_per_member=admissions_per_member,
                  eligible_unions=json.dumps(list(unions), ensure_ascii=False),
                  eligible_enterprises=json.dumps(list(enterprises), ensure_ascii=False), seq=next_seqs(s))
    s.add(event)
    s.flush()
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

