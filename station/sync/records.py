"""The station's sync queue: what is pending, the push bodies, and marking what the hub took.

A row is pending while ``synced_at IS NULL`` (events, registrations,
checkins, draws, draw_winners, posters); the audit log is pending above
``SyncLink.audit_synced_seq``.  A row leaves the queue only through
``apply_reply``, with a success reply that lists its uuid
(docs/sync-protocol.md, "What counts as success").  The network client
(station/sync/client.py) and the offline bundle (station/sync/bundle.py)
both build their bodies here, so both send exactly the same records.

``collect`` decrypts ID numbers and mobiles with the operator's key: the
platform needs them in clear, inside TLS or the encrypted bundle.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session, selectinload

from station.security import audit, protect
from station.security.operators import OperatorSession
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import (
    AuditEntry,
    CheckIn,
    Draw,
    DrawWinner,
    Event,
    Poster,
    Prize,
    Registration,
    Setting,
    SyncLink,
    SyncRefusal,
)

PUSH_ORDER = ("events", "registrations", "checkins", "draws", "posters", "audit")
COUNT_KINDS = ("events", "registrations", "checkins", "draws", "winners", "posters", "audit")
BATCH = 1000  # the hub's limit per push (draws and winners together)
_MODELS: dict[str, type[Event | Registration | CheckIn | Draw | DrawWinner | Poster]] = {"events": Event, "registrations": Registration, "checkins": CheckIn, "draws": Draw,
           "winners": DrawWinner, "posters": Poster}
_FIELD_INDEX = re.compile(r"^(records|draws|winners|entries)\.(\d+)(\.|$)")


@dataclass
class Batch:
    """One push body and what it holds.

    ``parts`` maps the refusal kind to its uuids (draws: "draws" and
    "winners"; audit: the seqs as text).  ``next_after`` is the cursor to
    pass as ``after`` for the following page; ``more`` says whether one may wait.
    """

    kind: str
    body: dict[str, Any]
    uuids: list[str]
    parts: dict[str, list[str]] = field(default_factory=dict)
    next_after: Any = None
    more: bool = False

    def __len__(self) -> int:
        return len(self.uuids)


@dataclass
class ApplyResult:
    accepted: int = 0
    updated: int = 0
    unchanged: int = 0
    marked: int = 0  # rows whose synced_at was set
    resolved: int = 0  # refusals resolved


def iso(value: dt.datetime | None) -> str | None:
    """A naive-UTC datetime as protocol text with its zone; microseconds always, so a retry is byte-equal."""
    return None if value is None else value.isoformat(timespec="microseconds") + "Z"


def poster_uuid(code: str) -> str:
    """The posters table has no uuid column: the same derived uuid on every retry and in every bundle."""
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, "ygh-poster:" + code))


def _pending(model):
    cond = model.synced_at.is_(None)
    if model is Registration:
        cond = cond & Registration.purged_at.is_(None)  # purged only after synced; never send a masked name
    return cond


def link_row(s: Session) -> SyncLink | None:
    return s.get(SyncLink, 1)


def enrolled_link(s: Session) -> SyncLink:
    """The hub link, where the caller has already refused a station that is not enrolled."""
    return s.get_one(SyncLink, 1)


def _audit_floor(s: Session) -> int:
    row = link_row(s)
    return row.audit_synced_seq if row is not None else 0


# -- counts ------------------------------------------------------------------------------


def pending_counts(store: Store) -> dict[str, int]:
    """Pending rows per kind (indexed COUNTs): events … posters, winners, and audit entries."""
    with store.session() as s:
        counts = {kind: s.scalar(select(func.count(model.id)).where(_pending(model))) or 0
                  for kind, model in _MODELS.items()}
        counts["audit"] = s.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.seq > _audit_floor(s))) or 0
    return {k: counts[k] for k in COUNT_KINDS}


def total_pending(counts: dict[str, int]) -> int:
    return sum(counts.values())


def open_refusals(store: Store) -> list[SyncRefusal]:
    with store.session() as s:
        return list(s.scalars(select(SyncRefusal).where(SyncRefusal.resolved_at.is_(None))
                              .order_by(SyncRefusal.kind, SyncRefusal.id)))


# -- the records, as the protocol wants them -------------------------------------------------


def _event_rec(e: Event) -> dict:
    return {
        "uuid": e.uuid, "kind": e.kind, "name": e.name, "date": e.date.isoformat(), "venue": e.venue,
        "host_enterprise": e.host_enterprise.name if e.host_enterprise else None,
        "host_union": e.host_union.name if e.host_union else None,
        "entry_start": iso(e.entry_start), "entry_end": iso(e.entry_end), "capacity": e.capacity,
        "admissions_per_member": e.admissions_per_member, "created_at": iso(e.created_at),
        # Sent only when set: a hub from before 出场再入场 takes every other event as it did.
        **({"reentry": True} if e.reentry else {}),
    }


def _registration_rec(operator: OperatorSession, r: Registration) -> dict:
    m = r.member
    number = protect.member_id_number(operator.cipher, m) if m.id_enc is not None else m.legacy_id_number
    phone = protect.registration_phone(operator.cipher, r) if r.phone_enc is not None else r.legacy_phone
    return {
        "uuid": r.uuid, "event_uuid": r.event.uuid, "created_at": iso(r.created_at), "name": r.name,
        "id_number": number, "phone": phone,
        "enterprise": r.enterprise.name if r.enterprise else None, "union": r.union.name if r.union else None,
        "outcome": r.outcome, "consent_version": r.consent_version, "source": r.source,
    }


def _checkin_rec(c: CheckIn, event_uuid: str) -> dict:
    return {
        "uuid": c.uuid, "event_uuid": event_uuid, "created_at": iso(c.created_at), "operator": c.operator or "",
        "source": c.source, "verdict": c.verdict, "reason": c.reason, "detail": c.detail, "admitted": bool(c.admitted),
        "platform_id": c.platform_id, "key_id": c.key_id, "code_sha": c.code_sha,
    }


def _draw_rec(d: Draw, event_uuid: str, prize: Prize, redraw_of: str | None) -> dict:
    return {
        "uuid": d.uuid, "event_uuid": event_uuid, "prize": {"uuid": prize.uuid, "name": prize.name, "stock": prize.stock},
        "count": d.count, "only": d.only, "entries": json.loads(d.entries), "entries_sha256": d.entries_sha256,
        "redraw_of": redraw_of, "operator": d.operator, "created_at": iso(d.created_at),
    }


def _winner_rec(w: DrawWinner, draw_uuid: str) -> dict:
    return {
        "uuid": w.uuid, "draw_uuid": draw_uuid, "registration_uuid": w.registration.uuid,
        "created_at": iso(w.created_at), "voided_at": iso(w.voided_at), "void_reason": w.void_reason,
    }


def _poster_rec(p: Poster) -> dict:
    return {
        "uuid": poster_uuid(p.code), "code": p.code, "enterprise": p.enterprise.name,
        "union": p.union.name if p.union else None, "template": p.template, "campaign": p.campaign,
        "placement": p.placement, "hang_date": p.hang_date.isoformat(), "url": p.url, "title": p.title,
        "module_um": p.module_um, "batch_uuid": p.batch_uuid, "created_at": iso(p.created_at),
    }


def _audit_rec(e: AuditEntry) -> dict:
    return {
        "seq": e.seq, "at": e.at, "station_uuid": e.station_uuid, "operator": e.operator, "action": e.action,
        "target": e.target, "details": json.loads(e.details or "{}"), "prev_hash": e.prev_hash, "hash": e.hash,
    }


# -- collecting a batch ---------------------------------------------------------------------


def _page(s: Session, model, after: int | None, limit: int | None, *options) -> tuple[list, bool]:
    q = select(model).where(_pending(model)).order_by(model.id)
    if after is not None:
        q = q.where(model.id > after)
    if options:
        q = q.options(*options)
    if limit is not None:
        rows = list(s.scalars(q.limit(limit + 1)))
        return rows[:limit], len(rows) > limit
    return list(s.scalars(q)), False


def _uuid_map(s: Session, model, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(s.execute(select(model.id, model.uuid).where(model.id.in_(ids))).all())


def _simple(s: Session, operator: OperatorSession, kind: str, after, limit) -> Batch:
    if kind == "events":
        rows, more = _page(s, Event, after, limit, selectinload(Event.host_enterprise), selectinload(Event.host_union))
        recs = [_event_rec(e) for e in rows]
    elif kind == "registrations":
        rows, more = _page(s, Registration, after, limit, selectinload(Registration.member),
                           selectinload(Registration.event), selectinload(Registration.enterprise),
                           selectinload(Registration.union))
        recs = [_registration_rec(operator, r) for r in rows]
    elif kind == "checkins":
        rows, more = _page(s, CheckIn, after, limit)
        events = _uuid_map(s, Event, {c.event_id for c in rows})
        recs = [_checkin_rec(c, events[c.event_id]) for c in rows]
    else:
        rows, more = _page(s, Poster, after, limit, selectinload(Poster.enterprise), selectinload(Poster.union))
        recs = [_poster_rec(p) for p in rows]
    uuids = [r["uuid"] for r in recs]
    return Batch(kind, {"records": recs}, uuids, {kind: list(uuids)}, rows[-1].id if rows else after, more)


def _draws(s: Session, after, limit) -> Batch:
    """Draws first, then winners, ≤ limit together; ``after`` is (last draw id, last winner id)."""
    d_after, w_after = after if after is not None else (None, None)
    draws, more = _page(s, Draw, d_after, limit)
    room = None if limit is None else limit - len(draws)
    winners: list[DrawWinner] = []
    if room is None or room > 0:
        winners, more_w = _page(s, DrawWinner, w_after, room, selectinload(DrawWinner.registration))
        more = more or more_w
    else:
        more = True
    events = _uuid_map(s, Event, {d.event_id for d in draws})
    prizes = {p.id: p for p in s.scalars(select(Prize).where(Prize.id.in_({d.prize_id for d in draws})))} if draws else {}
    redraws = _uuid_map(s, DrawWinner, {d.redraw_of for d in draws if d.redraw_of})
    draw_uuids = _uuid_map(s, Draw, {w.draw_id for w in winners})
    d_recs = [_draw_rec(d, events[d.event_id], prizes[d.prize_id], redraws.get(d.redraw_of)) for d in draws]
    w_recs = [_winner_rec(w, draw_uuids[w.draw_id]) for w in winners]
    parts = {"draws": [r["uuid"] for r in d_recs], "winners": [r["uuid"] for r in w_recs]}
    cursor = (draws[-1].id if draws else d_after, winners[-1].id if winners else w_after)
    return Batch("draws", {"draws": d_recs, "winners": w_recs}, parts["draws"] + parts["winners"], parts, cursor, more)


def _anchor(s: Session, upto: int) -> dict | None:
    """The keyed anchor's seq and hash (never its MAC), when the batch reaches it: the hub checks it against its log."""
    row = s.get(Setting, audit.ANCHOR_KEY)
    if row is None:
        return None
    anchor = json.loads(row.value)
    if not 1 <= int(anchor.get("seq", 0)) <= upto:
        return None
    return {"seq": int(anchor["seq"]), "hash": anchor["hash"]}


def _audit(s: Session, after, limit) -> Batch:
    floor = after if after is not None else _audit_floor(s)
    q = select(AuditEntry).where(AuditEntry.seq > floor).order_by(AuditEntry.seq)
    rows = list(s.scalars(q.limit(limit + 1) if limit is not None else q))
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    recs = [_audit_rec(e) for e in rows]
    body: dict[str, Any] = {"entries": recs}
    anchor = _anchor(s, rows[-1].seq) if rows else None
    if anchor is not None:
        body["anchor"] = anchor
    seqs = [str(e.seq) for e in rows]
    return Batch("audit", body, seqs, {"audit": list(seqs)}, rows[-1].seq if rows else floor, more)


def collect(store: Store, operator: OperatorSession, kind: str, *, limit: int | None = BATCH, after=None) -> Batch:
    """The next page of pending records of `kind` as its push body (empty ``uuids``: nothing left).

    Records come in row order; pass ``batch.next_after`` as ``after`` for the
    page that follows (records refused earlier stay pending, so paging by
    cursor, not by "what is still pending", is what moves past them).  For
    audit, ``after`` is a seq: the client starts from the hub's head.
    limit None: everything at once (the offline bundle).
    """
    operator.require("sync")
    if kind not in PUSH_ORDER:
        raise KeyError(kind)
    with store.session() as s:
        if kind == "draws":
            return _draws(s, after, limit)
        if kind == "audit":
            return _audit(s, after, limit)
        return _simple(s, operator, kind, after, limit)


# -- applying a reply ----------------------------------------------------------------------------


def _listed(reply: dict) -> set[str]:
    return {str(u) for key in ("accepted", "updated", "unchanged") for u in reply.get(key) or ()}


def _resolve(s: Session, kind: str, uuids: list[str], now: dt.datetime) -> int:
    if not uuids:
        return 0
    res = cast("CursorResult[Any]", s.execute(update(SyncRefusal).where(SyncRefusal.kind == kind, SyncRefusal.record_uuid.in_(uuids),
                                              SyncRefusal.resolved_at.is_(None)).values(resolved_at=now)))
    return res.rowcount or 0


def _mark(s: Session, model, uuids: list[str], now: dt.datetime, *where) -> int:
    marked = 0
    for i in range(0, len(uuids), 500):  # SQLite's bound-parameter limit
        chunk = uuids[i:i + 500]
        res = cast("CursorResult[Any]", s.execute(update(model).where(model.uuid.in_(chunk), *where).values(synced_at=now)))
        marked += res.rowcount or 0
    return marked


def _mark_winners(s: Session, batch: Batch, uuids: list[str], now: dt.datetime) -> int:
    """Wins as they were sent: one voided while the batch was on its way stays pending, so its void still goes."""
    voided = {w["uuid"] for w in batch.body.get("winners", ()) if w.get("voided_at")}
    mine = set(uuids)
    return (_mark(s, DrawWinner, sorted(mine - voided), now, DrawWinner.voided_at.is_(None))
            + _mark(s, DrawWinner, sorted(mine & voided), now, DrawWinner.voided_at.is_not(None)))


def _mark_posters(s: Session, uuids: set[str], now: dt.datetime) -> int:
    ids = [pid for pid, code in s.execute(select(Poster.id, Poster.code).where(_pending(Poster)))
           if poster_uuid(code) in uuids]
    for i in range(0, len(ids), 500):
        s.execute(update(Poster).where(Poster.id.in_(ids[i:i + 500])).values(synced_at=now))
    return len(ids)


def _apply_audit(s: Session, batch: Batch, reply: dict, now: dt.datetime) -> ApplyResult:
    seqs = [int(x) for x in batch.uuids]
    row = link_row(s)
    if seqs and row is not None:
        row.audit_synced_seq = max(row.audit_synced_seq or 0, max(seqs))
    resolved = _resolve(s, "audit", batch.uuids, now)
    return ApplyResult(accepted=int(reply.get("accepted", 0)), unchanged=int(reply.get("unchanged", 0)),
                       marked=len(seqs), resolved=resolved)


def apply_reply(store: Store, kind: str, batch: Batch, reply: dict) -> ApplyResult:
    """Take the records a success reply lists out of the queue, in one transaction.

    Only uuids both in the batch and listed in accepted/updated/unchanged
    are marked; the client has already checked that the reply lists every
    one exactly once.  Refusals of those records are resolved.
    """
    now = now_utc()
    with store.session() as s:
        if kind == "audit":
            result = _apply_audit(s, batch, reply, now)
            s.commit()
            return result
        listed = _listed(reply)
        result = ApplyResult(len(reply.get("accepted") or ()), len(reply.get("updated") or ()),
                             len(reply.get("unchanged") or ()))
        for part, uuids in batch.parts.items():
            mine = [u for u in uuids if u in listed]
            if part == "posters":
                result.marked += _mark_posters(s, set(mine), now)
            elif part == "winners":
                result.marked += _mark_winners(s, batch, mine, now)
            else:
                result.marked += _mark(s, _MODELS[part], mine, now)
            result.resolved += _resolve(s, part, mine, now)
        s.commit()
        return result


# -- refusals ---------------------------------------------------------------------------------


def refused_uuids(batch: Batch, records: list[dict]) -> list[dict]:
    """The refusal's ``records`` as {uuid, reason}: named by uuid, by seq, or by field path into the body."""
    out = []
    for rec in records or ():
        ident = rec.get("uuid")
        if ident is None and rec.get("seq") is not None:
            ident = str(rec["seq"])
        if ident is None and isinstance(rec.get("field"), str):
            ident = _uuid_at(batch, rec["field"])
        if ident is not None and str(ident) in batch.uuids:
            out.append({"uuid": str(ident), "reason": str(rec.get("reason") or "")[:500]})
    return out


def _uuid_at(batch: Batch, path: str) -> str | None:
    m = _FIELD_INDEX.match(path)
    if not m:
        return None
    items = batch.body.get(m.group(1)) or []
    i = int(m.group(2))
    if i >= len(items):
        return None
    item = items[i]
    return str(item["seq"]) if m.group(1) == "entries" else item.get("uuid")


def part_of(batch: Batch, ident: str) -> str:
    for part, uuids in batch.parts.items():
        if ident in uuids:
            return part
    return batch.kind


def record_refusals(store: Store, kind: str, records: list[dict], error: str, reason: str) -> int:
    """Upsert one SyncRefusal per record ({uuid, reason?}); the records stay pending for an organizer.

    kind "draws" may name draws or winners: each is filed under the table that holds it.
    Returns how many rows were written.
    """
    now = now_utc()
    with store.session() as s:
        winners = set()
        if kind == "draws":
            ids = [str(r["uuid"]) for r in records]
            winners = set(s.scalars(select(DrawWinner.uuid).where(DrawWinner.uuid.in_(ids)))) if ids else set()
        for rec in records:
            ident = str(rec["uuid"])
            k = "winners" if ident in winners else kind
            text = (rec.get("reason") or reason or "")[:1000]
            row = s.scalars(select(SyncRefusal).where(SyncRefusal.kind == k, SyncRefusal.record_uuid == ident)).first()
            if row is None:
                s.add(SyncRefusal(kind=k, record_uuid=ident, error=error[:40], reason=text, first_at=now, last_at=now))
            else:
                row.error, row.reason, row.last_at, row.resolved_at = error[:40], text, now, None
        s.commit()
    return len(records)


def drop(batch: Batch, uuids: set[str]) -> Batch:
    """The same batch without the records named (refused ones), to push the rest again."""
    if batch.kind == "audit":
        entries = [e for e in batch.body["entries"] if str(e["seq"]) not in uuids]
        body = {"entries": entries}
        if "anchor" in batch.body and entries and batch.body["anchor"]["seq"] <= entries[-1]["seq"]:
            body["anchor"] = batch.body["anchor"]
    elif batch.kind == "draws":
        body = {"draws": [d for d in batch.body["draws"] if d["uuid"] not in uuids],
                "winners": [w for w in batch.body["winners"] if w["uuid"] not in uuids]}
    else:
        body = {"records": [r for r in batch.body["records"] if r["uuid"] not in uuids]}
    parts = {k: [u for u in v if u not in uuids] for k, v in batch.parts.items()}
    return Batch(batch.kind, body, [u for u in batch.uuids if u not in uuids], parts, batch.next_after, batch.more)
