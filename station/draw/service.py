"""The booth prize draw (抽奖): prizes with stock, fair draws that can be re-checked, voids and redraws.

Entries are an event's registrations, one per person (the earliest sign-up
of a member counts; a second sign-up is not a second ticket), optionally
only 在册 (outcome "roster") or only new members.  A person wins at most
once per event; a voided winner (absent) is out of later draws of the event
too, so a redraw can never hand the prize back to them.

Fairness: winners are ``SystemRandom().sample`` of the eligible entries —
uniform, without replacement, from the OS's randomness (``secrets``).
Every draw keeps its entry list (sorted registration uuids) and the SHA-256
of it, so anyone can later re-check that the list was not changed
(``verify_draw``).  Draws, voids and redraws are audited with uuids only.

Stock is taken with one conditional UPDATE before anything else is written,
so two stations' clicks cannot both take the last prize.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from station.checkin.events import EventInfo, get_event
from station.draw.rules import Sampler, entries_digest, pick
from station.errors import StationError
from station.security import audit, protect
from station.security.fieldcrypt import FieldCipher
from station.security.masking import mask_name
from station.security.operators import OperatorSession
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import Draw, DrawWinner, Prize, Registration

ONLY = ("roster", "new")
MAX_COUNT = 1000
MAX_STOCK = 100_000


# -- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class PrizeInfo:
    id: int
    uuid: str
    event_id: int
    name: str
    stock: int
    remaining: int

    def as_json(self) -> dict:
        return {"id": self.id, "uuid": self.uuid, "event_id": self.event_id, "name": self.name, "stock": self.stock,
                "remaining": self.remaining}


@dataclass(frozen=True)
class Winner:
    """A win as screens show it: masked name and the phone's last four digits, nothing more."""

    win_id: int
    win_uuid: str
    registration_uuid: str
    name_masked: str
    phone_tail: str
    outcome: str
    prize: str = ""  # the prize's name

    def as_json(self) -> dict:
        return {"win_id": self.win_id, "win_uuid": self.win_uuid, "registration_uuid": self.registration_uuid,
                "name": self.name_masked, "phone_tail": self.phone_tail, "outcome": self.outcome,
                "prize": self.prize}


@dataclass(frozen=True)
class DrawResult:
    draw_id: int
    draw_uuid: str
    event_uuid: str
    prize: PrizeInfo
    only: str | None
    entries: int
    entries_sha256: str
    winners: tuple[Winner, ...]
    redraw_of: int | None = None

    def as_json(self) -> dict:
        return {"draw_id": self.draw_id, "draw_uuid": self.draw_uuid, "event_uuid": self.event_uuid,
                "prize": self.prize.as_json(), "only": self.only, "entries": self.entries,
                "entries_sha256": self.entries_sha256, "winners": [w.as_json() for w in self.winners],
                "redraw_of": self.redraw_of}


@dataclass(frozen=True)
class VoidResult:
    win_id: int
    win_uuid: str
    reason: str
    redraw: DrawResult | None

    def as_json(self) -> dict:
        return {"win_id": self.win_id, "win_uuid": self.win_uuid, "reason": self.reason,
                "redraw": self.redraw.as_json() if self.redraw else None}


@dataclass(frozen=True)
class Verification:
    draw_id: int
    draw_uuid: str
    entries: int
    stored_sha256: str
    actual_sha256: str
    winners_in_entries: bool

    @property
    def ok(self) -> bool:
        return self.stored_sha256 == self.actual_sha256 and self.winners_in_entries

    def as_json(self) -> dict:
        return {"ok": self.ok, "draw_id": self.draw_id, "draw_uuid": self.draw_uuid, "entries": self.entries,
                "stored_sha256": self.stored_sha256, "actual_sha256": self.actual_sha256,
                "winners_in_entries": self.winners_in_entries}


def _prize_info(p: Prize) -> PrizeInfo:
    return PrizeInfo(p.id, p.uuid, p.event_id, p.name, p.stock, p.remaining)


def _winner(w: DrawWinner, cipher: FieldCipher, prize: str = "") -> Winner:
    r = w.registration
    phone = protect.registration_phone(cipher, r)  # None once purged after sync
    return Winner(w.id, w.uuid, r.uuid, mask_name(r.name), phone[-4:] if phone else "****", r.outcome, prize)


# -- prizes ---------------------------------------------------------------------------


def event_for_draw(store: Store, ref: int | str) -> EventInfo:
    """An event of any kind (booths included) by id, uuid or name."""
    return get_event(store, ref, kinds=None)


def add_prize(store: Store, event: int | str, name: str, stock: int) -> PrizeInfo:
    ev = event_for_draw(store, event)
    name = (name or "").strip()
    if not name or len(name) > 100 or not isinstance(stock, int) or not 1 <= stock <= MAX_STOCK:
        raise StationError("draw_prize_bad", name=name or "-", stock=stock)
    with store.session() as s:
        p = Prize(event_id=ev.id, name=name, stock=stock, remaining=stock)
        s.add(p)
        s.commit()
        return _prize_info(p)


def list_prizes(store: Store, event: int | str) -> list[PrizeInfo]:
    ev = event_for_draw(store, event)
    with store.session() as s:
        return [_prize_info(p) for p in s.scalars(select(Prize).where(Prize.event_id == ev.id).order_by(Prize.id))]


def _find_prize(s: Session, event_id: int, ref: int | str) -> Prize:
    text = str(ref).strip()
    q = select(Prize).where(Prize.event_id == event_id)
    p = None
    if text.isdigit():
        p = s.scalars(q.where(Prize.id == int(text))).first()
    if p is None and text:
        p = s.scalars(q.where(Prize.uuid == text)).first() or s.scalars(q.where(Prize.name == text)).first()
    if p is None:
        raise StationError("draw_prize_not_found", ref=text or "-")
    return p


# -- drawing --------------------------------------------------------------------------


def eligible_entries(s: Session, event_id: int, only: str | None = None) -> dict[str, Registration]:
    """Registration uuid -> registration: one per member, none who has won (or been voided) here."""
    out_members = set(s.scalars(select(DrawWinner.member_id).where(DrawWinner.event_id == event_id)))
    q = select(Registration).where(Registration.event_id == event_id).order_by(Registration.id)
    if only:
        q = q.where(Registration.outcome == only)
    chosen: dict[int, Registration] = {}
    for r in s.scalars(q):
        if r.member_id not in out_members and r.member_id not in chosen:
            chosen[r.member_id] = r
    return {r.uuid: r for r in chosen.values()}


def masked_entries(store: Store, event: int | str, only: str | None = None, limit: int = 300) -> list[str]:
    """Masked names of entries still eligible (at most `limit`): what a projector's roll animation shows."""
    if only is not None and only not in ONLY:
        raise StationError("draw_bad_only", value=only)
    ev = event_for_draw(store, event)
    with store.session() as s:
        return [mask_name(r.name) for r in list(eligible_entries(s, ev.id, only).values())[:limit]]


def _draw(s: Session, store: Store, ev: EventInfo, prize: Prize, count: int, only: str | None,
          operator: OperatorSession, rng: Sampler | None, redraw_of: DrawWinner | None) -> DrawResult:
    if not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise StationError("draw_bad_count", value=count)
    if only is not None and only not in ONLY:
        raise StationError("draw_bad_only", value=only)
    # Take the stock first: the conditional UPDATE also takes SQLite's write lock, so the
    # entry list read below cannot change under us before the winners are written.
    taken = cast("CursorResult[Any]", s.execute(  # an UPDATE's result is a cursor result: it has a rowcount
        update(Prize).where(Prize.id == prize.id, Prize.remaining >= count)
        .values(remaining=Prize.remaining - count)
    )).rowcount
    if not taken:
        s.refresh(prize)
        raise StationError("draw_out_of_stock", prize=prize.name, remaining=prize.remaining, count=count)
    pool = eligible_entries(s, ev.id, only)
    if not pool:
        raise StationError("draw_no_entries", event=ev.name)
    if len(pool) < count:
        raise StationError("draw_too_few_entries", eligible=len(pool), count=count)
    uuids = sorted(pool)
    digest = entries_digest(uuids)
    chosen = pick(uuids, count, rng)
    draw = Draw(event_id=ev.id, prize_id=prize.id, count=count, only=only, entries=json.dumps(uuids),
                entries_sha256=digest, redraw_of=redraw_of.id if redraw_of else None,
                operator=operator.name, station_uuid=store.identity.uuid)
    s.add(draw)
    s.flush()
    wins = []
    for u in chosen:
        r = pool[u]
        w = DrawWinner(draw_id=draw.id, event_id=ev.id, prize_id=prize.id, registration_id=r.id,
                       member_id=r.member_id, registration=r)
        s.add(w)
        wins.append(w)
    s.flush()
    s.refresh(prize)
    details = {"event": ev.uuid, "prize": prize.uuid, "count": count, "only": only, "entries": len(uuids),
               "entries_sha256": digest, "winners": chosen}
    if redraw_of is not None:
        details["redraw_of"] = redraw_of.uuid
    audit.append(store, "draw.redraw" if redraw_of else "draw.run", operator=operator.name, target=draw.uuid,
                 details=details, cipher=operator.cipher, db=s)
    return DrawResult(draw.id, draw.uuid, ev.uuid, _prize_info(prize), only, len(uuids), digest,
                      tuple(_winner(w, operator.cipher, prize.name) for w in wins), redraw_of.id if redraw_of else None)


def run_draw(store: Store, event: int | str, prize: int | str, count: int = 1, *, only: str | None = None,
             operator: OperatorSession, rng: Sampler | None = None) -> DrawResult:
    """Draw `count` winners of `prize` among the event's eligible entries; all or nothing.

    Raises StationError for an unknown event or prize, a bad count or filter,
    too little stock, or too few eligible entries; nothing is written then.
    rng: for tests only; the default is ``secrets.SystemRandom``.
    """
    operator.require("draw")
    ev = event_for_draw(store, event)
    with store.session() as s:
        p = _find_prize(s, ev.id, prize)
        res = _draw(s, store, ev, p, count, only, operator, rng, None)
        s.commit()
        return res


def _find_win(s: Session, ref: int | str) -> DrawWinner:
    text = str(ref).strip()
    w = None
    if text.isdigit():
        w = s.get(DrawWinner, int(text))
    if w is None and text:
        w = s.scalars(select(DrawWinner).where(DrawWinner.uuid == text)).first()
    if w is None:
        raise StationError("draw_win_not_found", ref=text or "-")
    return w


def void_win(store: Store, win: int | str, reason: str, *, redraw: bool = False, operator: OperatorSession,
             rng: Sampler | None = None, clock=now_utc) -> VoidResult:
    """Void a win (the prize goes back to stock) and, with `redraw`, draw one replacement at once.

    The voided person stays out of this event's later draws.  Void and
    redraw are one transaction: if the redraw is refused (no entries left),
    the win is not voided either; void without `redraw` then.
    """
    operator.require("draw")
    reason = (reason or "").strip()[:200]
    if not reason:
        raise StationError("draw_void_reason_missing")
    with store.session() as s:
        w = _find_win(s, win)
        if w.voided_at is not None:
            raise StationError("draw_win_already_voided", ref=str(win).strip(), reason=w.void_reason or "-")
        w.voided_at = clock()
        w.void_reason = reason
        w.synced_at = None  # back in the sync queue: the hub must hear of the void (station/sync/records.py)
        s.execute(update(Prize).where(Prize.id == w.prize_id).values(remaining=Prize.remaining + 1))
        draw = s.get_one(Draw, w.draw_id)
        audit.append(store, "draw.void", operator=operator.name, target=w.uuid,
                     details={"draw": draw.uuid, "registration": w.registration.uuid, "reason": reason},
                     cipher=operator.cipher, db=s)
        result = None
        if redraw:
            ev = event_for_draw(store, w.event_id)
            prize = s.get_one(Prize, w.prize_id)
            s.flush()
            s.refresh(prize)
            result = _draw(s, store, ev, prize, 1, draw.only, operator, rng, w)
        s.commit()
        return VoidResult(w.id, w.uuid, reason, result)


def winners(store: Store, event: int | str, operator: OperatorSession, *, include_voided: bool = False) -> list[Winner]:
    operator.require("draw")
    ev = event_for_draw(store, event)
    with store.session() as s:
        q = select(DrawWinner).where(DrawWinner.event_id == ev.id).order_by(DrawWinner.id)
        if not include_voided:
            q = q.where(DrawWinner.voided_at.is_(None))
        prizes = dict(s.execute(select(Prize.id, Prize.name).where(Prize.event_id == ev.id)).all())
        return [_winner(w, operator.cipher, prizes.get(w.prize_id, "")) for w in s.scalars(q)]


def verify_draw(store: Store, draw: int | str) -> Verification:
    """Recompute a draw's hash from its stored entry list; ``ok`` when it matches and every winner is listed."""
    text = str(draw).strip()
    with store.session() as s:
        d = s.get(Draw, int(text)) if text.isdigit() else None
        if d is None and text:
            d = s.scalars(select(Draw).where(Draw.uuid == text)).first()
        if d is None:
            raise StationError("draw_not_found", ref=text or "-")
        try:
            uuids = [str(u) for u in json.loads(d.entries)]
        except (ValueError, TypeError):
            uuids = []
        won = s.scalars(
            select(Registration.uuid).join(DrawWinner, DrawWinner.registration_id == Registration.id)
            .where(DrawWinner.draw_id == d.id)
        ).all()
        listed = set(uuids)
        return Verification(d.id, d.uuid, len(uuids), d.entries_sha256, entries_digest(uuids),
                            all(u in listed for u in won))
