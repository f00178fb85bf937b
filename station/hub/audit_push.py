"""The hub's push of a station's audit log: the chain checked against itself and against what the hub has.

The caller commits (station/hub/app.py); a refused batch writes nothing.
The chain's rules (canonical encoding, genesis) are station/security/audit_chain.py, shared with the station.
"""

from __future__ import annotations

import json

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from station.hub import schemas as S
from station.hub.models import AuditEntry, Station
from station.hub.service import HubError, now_utc
from station.security.audit_chain import chain_hash, genesis_hash


def push_audit(s: Session, station: Station, batch: S.AuditBatch) -> dict:
    """Check the chain the station sends against itself and against what the hub has.

    Entries the hub has are compared by hash (a retry is unchanged; a different
    entry at a known seq means the station's log was rewritten or an older
    copy of its database was put back).  New entries must continue the
    hub's head.  The keyed anchor may only move forward.
    """
    entries = sorted(batch.entries, key=lambda e: e.seq)
    _refuse_foreign(station, entries)
    _refuse_unverified(entries)
    # Row lock on the station: two pushes of one station's log run one after the other.
    s.execute(select(Station.id).where(Station.id == station.id).with_for_update())
    s.refresh(station)
    have = _refuse_diverged(s, station, entries)
    fresh = [e for e in entries if e.seq not in have]
    head_seq, head_hash = _continue_head(station, fresh)
    anchor_seq, anchor_hash = station.audit_anchor_seq, station.audit_anchor_hash
    if batch.anchor is not None:
        anchor_seq, anchor_hash = _check_anchor(s, station, batch.anchor, entries, have, head_seq)
    if fresh:
        _insert_entries(s, station, fresh)
    station.audit_head_seq, station.audit_head_hash = head_seq, head_hash
    station.audit_anchor_seq, station.audit_anchor_hash = anchor_seq, anchor_hash
    return {"ok": True, "protocol": S.PROTOCOL, "kind": "audit", "received": len(entries), "accepted": len(fresh),
            "unchanged": len(entries) - len(fresh), "head": {"seq": head_seq, "hash": head_hash},
            "anchor": {"seq": anchor_seq, "hash": anchor_hash}}


def _refuse_foreign(station: Station, entries: list[S.AuditEntryIn]) -> None:
    foreign = [{"seq": e.seq, "reason": "the entry names another station"} for e in entries if e.station_uuid != station.uuid]
    if foreign:
        raise HubError(403, "not_your_record", "Audit entries must be this station's own.", foreign)


def _refuse_unverified(entries: list[S.AuditEntryIn]) -> None:
    """Every entry's hash covers its content, and no seq comes twice."""
    bad: list[dict] = []
    for e in entries:
        details = json.dumps(e.details, ensure_ascii=False)
        digest = chain_hash(e.seq, e.at, e.station_uuid, e.operator, e.action, e.target, details, e.prev_hash)
        if digest != e.hash:
            bad.append({"seq": e.seq, "reason": "the hash does not match the entry's content"})
    seqs = [e.seq for e in entries]
    if len(set(seqs)) != len(seqs):
        bad.append({"seq": None, "reason": "the batch holds one seq twice"})
    if bad:
        raise HubError(422, "audit_invalid", "Audit entries do not verify.", bad)


def _refuse_diverged(s: Session, station: Station, entries: list[S.AuditEntryIn]) -> dict[int, str]:
    """The hashes the hub already has for the batch's seqs, refusing a batch that differs from them."""
    seqs = [e.seq for e in entries]
    have = dict(s.execute(select(AuditEntry.seq, AuditEntry.hash)
                          .where(AuditEntry.station_id == station.id, AuditEntry.seq.in_(seqs))).all())
    diverged = [{"seq": e.seq, "reason": "differs from the entry the hub received earlier"}
                for e in entries if e.seq in have and have[e.seq] != e.hash]
    if diverged:
        raise HubError(409, "audit_diverged",
                       "The station's audit log differs from what it sent before: it was rewritten, or an older "
                       "copy of the station's database was put back.", diverged)
    return have


def _continue_head(station: Station, fresh: list[S.AuditEntryIn]) -> tuple[int, str | None]:
    """The head after the new entries, each of which must follow the one before (the first, the hub's head)."""
    head_seq, head_hash = station.audit_head_seq, station.audit_head_hash
    for e in fresh:
        expected_prev = head_hash if head_seq else genesis_hash(station.uuid)
        if e.seq != head_seq + 1:
            raise HubError(422, "audit_gap", f"Expected audit entry {head_seq + 1} next, got {e.seq}.",
                           [{"seq": e.seq, "reason": f"expected seq {head_seq + 1}"}])
        if e.prev_hash != expected_prev:
            raise HubError(409, "audit_diverged", f"Audit entry {e.seq} does not link to entry {head_seq}.",
                           [{"seq": e.seq, "reason": "prev_hash does not match the hub's head"}])
        head_seq, head_hash = e.seq, e.hash
    return head_seq, head_hash


def _check_anchor(s: Session, station: Station, a: S.Anchor, entries: list[S.AuditEntryIn], have: dict[int, str],
                  head_seq: int) -> tuple[int, str]:
    """The new anchor: never behind the one the hub holds, and naming an entry of the log by its hash."""
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
    return a.seq, a.hash


def _insert_entries(s: Session, station: Station, fresh: list[S.AuditEntryIn]) -> None:
    now = now_utc()
    s.execute(insert(AuditEntry), [{
        "station_id": station.id, "seq": e.seq, "at": e.at, "operator": e.operator, "action": e.action,
        "target": e.target, "details": json.dumps(e.details, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        "prev_hash": e.prev_hash, "hash": e.hash, "received_at": now,
    } for e in fresh])
