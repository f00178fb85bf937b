"""The verdict service: every code source and the manual look-up end here.

A camera decoder, a keyboard-wedge scanner, an image or video file and a
manual look-up all hand what they have to ``CheckinService``; it gathers
the facts from the store, asks ``checkin_rules.decide`` and writes the check
(refused ones too) with a fsynced commit before it returns the verdict, so
what the screen shows has been stored.

Facts, decision and record are one unit of work (``Store.write``): the write
lock is taken before the admissions are read, so two doors checking one code
at once decide one after the other (one admitted, the other 已入场), and the
capacity count cannot be overrun by two doors admitting its last seat.
Nothing in the schema forbids a second admitted row; this order does.  While
another process holds the lock, the check waits and decides again afresh.

Every check is made by a logged-in operator (an ``OperatorSession`` with
the ``checkin`` permission), whose name the stored check-in carries, as a
sign-up carries its promoter's: a locked station checks nothing.

The same code seen again within 3 seconds is one scan: a camera sees a phone
in thirty frames, a member holds it up twice.  The earlier verdict is
returned again, marked ``repeated``, and nothing new is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from station.checkin import ecard, rules
from station.checkin.events import EventInfo, get_event
from station.checkin.trust_store import TrustStore
from station.errors import StationError
from station.i18n import t
from station.security.masking import mask_name
from station.security.operators import OperatorSession
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import CardHolder, CardRevocation, CheckIn, Enterprise, Member, Union
from station.store.peers import PeerCheckIn

log = logging.getLogger(__name__)

SOURCES = ("camera", "wedge", "image", "video", "manual", "cli")
REPEAT_WINDOW_S = 3.0


@dataclass(frozen=True)
class Verdict:
    """What the screen and the CLI show for one check."""

    verdict: str  # pass | refuse | warn
    reason: str | None
    detail: str | None
    source: str
    masked_name: str | None
    union: str | None
    quota_left: int | None
    admitted: int  # admitted to the event so far, this one included
    capacity: int | None
    earlier_at: dt.datetime | None  # naive UTC of the earlier admission (already)
    earlier_station: str | None
    checkin_uuid: str | None
    at: dt.datetime  # naive UTC
    manual: bool = False
    repeated: bool = False  # the same code within 3 s: the earlier verdict, not a new check
    direction: str = rules.IN  # in (入场) | out (出场)

    @property
    def passed(self) -> bool:
        return self.verdict == rules.PASS

    def as_json(self) -> dict:
        def iso(v: dt.datetime | None) -> str | None:
            return v.isoformat(timespec="seconds") + "Z" if v else None

        return {
            "verdict": self.verdict, "reason": self.reason, "detail": self.detail, "source": self.source,
            "name": self.masked_name, "union": self.union, "quota_left": self.quota_left,
            "admitted": self.admitted, "capacity": self.capacity, "earlier_at": iso(self.earlier_at),
            "earlier_station": self.earlier_station, "checkin_uuid": self.checkin_uuid, "at": iso(self.at),
            "manual": self.manual, "repeated": self.repeated,
        }


# The message keys of the refusal reasons and their hints: one constant each, never a key built at run time.
REASON_KEYS: dict[str, str] = {
    rules.INVALID: "reason_invalid", rules.UNKNOWN_KEY: "reason_unknown_key", rules.EXPIRED: "reason_expired",
    rules.REVOKED: "reason_revoked", rules.NOT_ELIGIBLE: "reason_not_eligible", rules.NOT_OPEN: "reason_not_open",
    rules.CLOSED: "reason_closed", rules.ALREADY: "reason_already", rules.FULL: "reason_full",
    rules.NOT_INSIDE: "reason_not_inside",
}
HINT_KEYS: dict[str, str] = {
    rules.INVALID: "hint_invalid", rules.UNKNOWN_KEY: "hint_unknown_key", rules.EXPIRED: "hint_expired",
    rules.REVOKED: "hint_revoked", rules.NOT_ELIGIBLE: "hint_not_eligible", rules.NOT_OPEN: "hint_not_open",
    rules.CLOSED: "hint_closed", rules.ALREADY: "hint_already", rules.FULL: "hint_full",
    rules.NOT_INSIDE: "hint_not_inside",
}


def reason_text(reason: str, lang: str | None = None) -> str:
    """A refusal's reason as the door shows it (已入场, 无效码/签名不符, …)."""
    return t(REASON_KEYS[reason], lang)


def hint_text(v: Verdict, *, at: str, window: str | None, lang: str | None = None) -> str:
    """The line under a refusal: the earlier admission (``at``: its time as the caller formats it), the
    capacity, the entry window (``window``; None leaves the window's hint out) or what to do next."""
    if v.reason is None:
        return ""
    if v.reason == rules.ALREADY:
        return t(HINT_KEYS[rules.ALREADY], lang, at=at, station=v.earlier_station or "") if v.earlier_at else ""
    if v.reason == rules.FULL:
        return t(HINT_KEYS[rules.FULL], lang, capacity=v.capacity)
    if v.reason in (rules.NOT_OPEN, rules.CLOSED):
        return t(HINT_KEYS[v.reason], lang, window=window) if window is not None else ""
    return t(HINT_KEYS[v.reason], lang)


@dataclass(frozen=True)
class DoorCounts:
    """What the 核验 screen shows beside the verdict."""

    admitted: int  # 已入场: admissions at every door known
    inside: int  # 场内人数: entries (re-entries included) minus exits, every door known
    gate_in: int  # this door's own passed entries
    gate_out: int  # and exits


def _direction(value: str) -> str:
    if value not in rules.DIRECTIONS:
        raise StationError("checkin_bad_direction", value=str(value)[:10])
    return value


def code_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()[:16]


class CheckinService:
    """Checks codes and people against one event; thread-safe, one check at a time."""

    def __init__(
        self,
        store: Store,
        event: int | str | EventInfo,
        *,
        operator: OperatorSession | None,
        trust: TrustStore | None = None,
        clock: Callable[[], dt.datetime] = now_utc,
        monotonic: Callable[[], float] = time.monotonic,
        repeat_window: float = REPEAT_WINDOW_S,
    ) -> None:
        """StationError checkin_login_required without an operator (a locked station), not_permitted without
        the ``checkin`` permission: both before the event is even looked up."""
        if operator is None:
            raise StationError("checkin_login_required")
        operator.require("checkin")
        self.operator: OperatorSession = operator
        self.store = store
        self.event = event if isinstance(event, EventInfo) else get_event(store, event)
        self.trust = trust or TrustStore(store)
        self.clock = clock
        self.monotonic = monotonic
        self.repeat_window = repeat_window
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, tuple[float, Verdict]] = OrderedDict()
        ident = store.identity
        self.station_uuid, self.station_name = ident.uuid, ident.name

    def reload(self) -> None:
        """Read the event and the trusted keys again (after an edit or a sync)."""
        with self._lock:
            self.event = get_event(self.store, self.event.id)
            self.trust.reload()

    # -- the two ways in ---------------------------------------------------------
    def check_code(self, text: str, source: str, direction: str = rules.IN) -> Verdict:
        """The verdict for a scanned code (any text at all: never raises for bad input).

        direction: ``in`` at an entrance, ``out`` at an exit (出场)."""
        if not isinstance(text, str):
            text = str(text)
        direction = _direction(direction)
        with self._lock:
            moment = self.monotonic()
            seen = self._recent.get(text)
            if seen is not None and moment - seen[0] < self.repeat_window and seen[1].direction == direction:
                self._recent[text] = (moment, seen[1])
                return replace(seen[1], repeated=True)
            verdict = self._check_code(text, source, direction)
            self._remember(text, moment, verdict)
            return verdict

    def check_member(self, member_id: int, source: str = "manual", direction: str = rules.IN) -> Verdict:
        """The verdict for a person found by a manual look-up (no code: marked manual in the record)."""
        direction = _direction(direction)
        with self._lock:
            return self.store.write(lambda s: self._check_member(s, member_id, direction))

    # -- internals -----------------------------------------------------------------
    def _check_member(self, s, member_id: int, direction: str) -> Verdict:
        now = self.clock()
        row = s.execute(
            select(Member.name, Union.name, Enterprise.name, CardHolder.platform_id, CardHolder.status,
                   CardHolder.status_at)
            .outerjoin(Union, Union.id == Member.union_id)
            .outerjoin(Enterprise, Enterprise.id == Member.enterprise_id)
            .outerjoin(CardHolder, CardHolder.member_id == Member.id)
            .where(Member.id == member_id)
        ).first()
        if row is None:
            raise StationError("checkin_member_not_found", id=member_id)
        name, union, enterprise, platform_id, status, status_at = row
        revocations = self._revocations(s, platform_id)
        admissions = self._admissions(s, platform_id, member_id)
        total = self._admitted_total(s)
        facts = rules.Facts(now=now, holder_status=status, holder_status_at=status_at,
                            revocations=revocations, member_union=union, member_enterprise=enterprise,
                            admissions=admissions, admitted_total=total, direction=direction,
                            inside=self._inside(s, platform_id, member_id, direction))
        decision = rules.decide(self.event, facts)
        return self._record(s, decision, now=now, source="manual", platform_id=platform_id,
                            member_id=member_id, masked=mask_name(name), union=union, key_id=None,
                            code_sha=None, total=total, direction=direction)

    def _remember(self, text: str, moment: float, verdict: Verdict) -> None:
        self._recent[text] = (moment, verdict)
        self._recent.move_to_end(text)
        while len(self._recent) > 64:
            self._recent.popitem(last=False)

    def evaluate(self, text: str) -> rules.Decision:
        """The decision for a code without recording it (benchmarks; never raises for bad input)."""
        with self._lock, self.store.session() as s:
            return self._decide(s, text, self.clock())[0]

    def _check_code(self, text: str, source: str, direction: str) -> Verdict:
        def check(s) -> Verdict:
            now = self.clock()
            decision, found = self._decide(s, text, now, direction)
            return self._record(s, decision, now=now, source=source, direction=direction, **found)

        return self.store.write(check)

    def _decide(self, s, text: str, now: dt.datetime, direction: str = rules.IN) -> tuple[rules.Decision, dict]:
        """The decision and what the record keeps of the code."""
        digest = code_digest(text)
        try:
            card = ecard.parse(text)
        except ecard.EcardFormatError as exc:
            decision = rules.decide(self.event, rules.Facts(now=now, format_error=str(exc) or "format",
                                                            direction=direction))
            return decision, {"platform_id": None, "member_id": None, "masked": None, "union": None,
                              "key_id": None, "code_sha": digest, "total": None}
        key = self.trust.get(card.kid)
        signature_valid = key is not None and ecard.signature_ok(card, key.public)
        holder = None
        member_union = member_enterprise = None
        revocations: tuple = ()
        admissions: tuple = ()
        total = None
        inside = False
        trusted = key is not None and signature_valid
        if trusted:
            # Only a signed member id is worth a look-up: a forged one must not
            # learn anything from the store (nor slow it down).
            holder = s.execute(
                select(CardHolder.member_id, CardHolder.status, CardHolder.status_at, Union.name, Enterprise.name)
                .outerjoin(Member, Member.id == CardHolder.member_id)
                .outerjoin(Union, Union.id == Member.union_id)
                .outerjoin(Enterprise, Enterprise.id == Member.enterprise_id)
                .where(CardHolder.platform_id == card.member)
            ).first()
            if holder is not None:
                member_union, member_enterprise = holder[3], holder[4]
            revocations = self._revocations(s, card.member)
            admissions = self._admissions(s, card.member, holder[0] if holder else None)
            total = self._admitted_total(s)
            inside = self._inside(s, card.member, holder[0] if holder else None, direction)
        facts = rules.Facts(
            now=now, card=card, key_known=key is not None, key_covers=bool(key and key.covers(card.issued_at)),
            signature_valid=signature_valid, holder_status=holder[1] if holder else None,
            holder_status_at=holder[2] if holder else None, revocations=revocations,
            member_union=member_union, member_enterprise=member_enterprise, admissions=admissions,
            admitted_total=total or 0, direction=direction, inside=inside,
        )
        decision = rules.decide(self.event, facts)
        # Never show (or keep) a name, union or member id nobody vouched for.
        return decision, {"platform_id": card.member if trusted else None,
                          "member_id": holder[0] if holder else None,
                          "masked": card.masked_name[:20] if trusted else None,
                          "union": card.union if trusted else None, "key_id": card.kid, "code_sha": digest,
                          "total": total}

    def _revocations(self, s, platform_id: int | None) -> tuple:
        if platform_id is None:
            return ()
        return tuple(s.execute(select(CardRevocation.reason, CardRevocation.revoked_at)
                               .where(CardRevocation.platform_id == platform_id)).all())

    def _admissions(self, s, platform_id: int | None, member_id: int | None) -> tuple:
        conds = []
        if platform_id is not None:
            conds.append(CheckIn.platform_id == platform_id)
        if member_id is not None:
            conds.append(CheckIn.member_id == member_id)
        if not conds:
            return ()
        rows: dict[str, rules.Admission] = {}
        for cond in conds:  # two index look-ups rather than one OR the planner may scan for
            for uuid, at, station in s.execute(
                select(CheckIn.uuid, CheckIn.created_at, CheckIn.station_name)
                .where(CheckIn.event_id == self.event.id, cond, CheckIn.admitted.is_(True))
            ):
                rows[uuid] = rules.Admission(at, station)
        if platform_id is not None:
            # Admitted at another door of this event, as live sync brought it (station/sync/live.py).
            for uuid, at, station in s.execute(
                select(PeerCheckIn.uuid, PeerCheckIn.created_at, PeerCheckIn.station_name)
                .where(PeerCheckIn.event_id == self.event.id, PeerCheckIn.platform_id == platform_id,
                       PeerCheckIn.admitted.is_(True))
            ):
                rows[uuid] = rules.Admission(at, station)
        return tuple(sorted(rows.values(), key=lambda a: a.at))

    def _inside(self, s, platform_id: int | None, member_id: int | None, direction: str) -> bool:
        """Whether the member's passed entries outnumber their passed exits, at every door known.

        Looked at only where it matters: an exit, or an entry to an event that allows
        出场再入场 (elsewhere an admitted member is 已入场 whether inside or not)."""
        if not (direction == rules.OUT or self.event.reentry) or (platform_id is None and member_id is None):
            return False
        seen: dict[str, str] = {}
        conds = []
        if platform_id is not None:
            conds.append(CheckIn.platform_id == platform_id)
        if member_id is not None:
            conds.append(CheckIn.member_id == member_id)
        for cond in conds:
            for uuid, way in s.execute(select(CheckIn.uuid, CheckIn.direction).where(
                    CheckIn.event_id == self.event.id, cond, CheckIn.verdict == rules.PASS)):
                seen[uuid] = way
        if platform_id is not None:
            for uuid, way in s.execute(select(PeerCheckIn.uuid, PeerCheckIn.direction).where(
                    PeerCheckIn.event_id == self.event.id, PeerCheckIn.platform_id == platform_id,
                    PeerCheckIn.verdict == rules.PASS)):
                seen[uuid] = way
        ins = sum(1 for way in seen.values() if way != rules.OUT)
        return ins > len(seen) - ins

    def _admitted_total(self, s) -> int:
        """Admitted to the event at every door this station knows of: its own and, by live sync, the others'."""
        total = 0
        for model in (CheckIn, PeerCheckIn):
            q = select(model.id).where(model.event_id == self.event.id, model.admitted.is_(True))
            if self.event.capacity is not None:
                # Counting stops at capacity: enough to decide, cheap on a long event.
                q = q.limit(self.event.capacity)
            total += s.scalar(select(func.count()).select_from(q.subquery())) or 0
        return total

    def admitted(self) -> int:
        """The hall's admissions: this door's and the other doors' this station has heard of."""
        with self.store.session() as s:
            return sum(s.scalar(select(func.count()).select_from(model).where(
                model.event_id == self.event.id, model.admitted.is_(True))) or 0 for model in (CheckIn, PeerCheckIn))

    def counts(self) -> DoorCounts:
        """The hall's admitted and inside (every door known) and this gate's own entries and exits."""
        with self.store.session() as s:
            def moves(model, *where) -> dict[str, int]:
                rows = s.execute(select(model.direction, func.count()).where(
                    model.event_id == self.event.id, model.verdict == rules.PASS, *where).group_by(model.direction))
                return dict(rows.all())

            own = moves(CheckIn, CheckIn.station_uuid == self.station_uuid)
            others = moves(CheckIn, CheckIn.station_uuid != self.station_uuid)
            peers = moves(PeerCheckIn)
            ins = sum(m.get(rules.IN, 0) for m in (own, others, peers))
            outs = sum(m.get(rules.OUT, 0) for m in (own, others, peers))
            admitted = sum(s.scalar(select(func.count()).select_from(model).where(
                model.event_id == self.event.id, model.admitted.is_(True))) or 0 for model in (CheckIn, PeerCheckIn))
        return DoorCounts(admitted=admitted, inside=max(0, ins - outs), gate_in=own.get(rules.IN, 0),
                          gate_out=own.get(rules.OUT, 0))

    def _record(self, s, decision: rules.Decision, *, now: dt.datetime, source: str, platform_id: int | None,
                member_id: int | None, masked: str | None, union: str | None, key_id: str | None,
                code_sha: str | None, total: int | None, direction: str = rules.IN) -> Verdict:
        admitted = decision.admits and direction == rules.IN
        row = CheckIn(
            event_id=self.event.id, station_uuid=self.station_uuid, station_name=self.station_name,
            operator=self.operator.name[:100], source=source if source in SOURCES else "cli", verdict=decision.verdict,
            reason=decision.reason, detail=(decision.detail or None) and decision.detail[:40], admitted=admitted,
            direction=direction, platform_id=platform_id, member_id=member_id, key_id=key_id, code_sha=code_sha,
            masked_name=masked, union_name=union[:200] if union else None, created_at=now,
        )
        s.add(row)
        s.flush()  # Store.write commits it (fsynced) before anyone sees the verdict
        if total is None:
            total = self._admitted_total(s)
        elif admitted:
            total += 1
        earlier = decision.earlier
        return Verdict(
            verdict=decision.verdict, reason=decision.reason, detail=decision.detail, source=row.source,
            masked_name=masked, union=union, quota_left=decision.quota_left, admitted=total,
            capacity=self.event.capacity, earlier_at=earlier.at if earlier else None,
            earlier_station=earlier.station if earlier else None, checkin_uuid=row.uuid, at=now,
            manual=source == "manual", direction=direction,
        )


# -- card status and the revocation list (sync fills these later) ---------------------
def set_card_status(store: Store, platform_id: int, status: str, *, member_id: int | None = None,
                    at: dt.datetime | None = None) -> None:
    """Record a card's status (active / lost / cancelled) for a platform member id."""
    if status not in (ecard.STATUS_ACTIVE, ecard.STATUS_LOST, ecard.STATUS_CANCELLED):
        raise StationError("ecard_status_unknown", status=status)
    moment = at or now_utc()
    with store.session() as s:
        row = s.scalars(select(CardHolder).where(CardHolder.platform_id == platform_id)).first()
        if row is None:
            row = CardHolder(platform_id=platform_id, member_id=member_id, status=status, status_at=moment,
                             updated_at=now_utc())
            s.add(row)
        else:
            row.status, row.status_at, row.updated_at = status, moment, now_utc()
            if member_id is not None:
                row.member_id = member_id
        s.commit()


def revoke(store: Store, platform_id: int, reason: str, *, at: dt.datetime | None = None,
           source: str = "local") -> None:
    """Put a card on the revocation list: lost (codes issued until now) or cancelled (all codes)."""
    if reason not in (ecard.STATUS_LOST, ecard.STATUS_CANCELLED):
        raise StationError("ecard_status_unknown", status=reason)
    with store.session() as s:
        s.add(CardRevocation(platform_id=platform_id, reason=reason, revoked_at=at or now_utc(), source=source))
        s.commit()


def holder_for_member(store: Store, member_id: int) -> int:
    """The platform member id of a local member, assigning one when the platform has not (demo and tests)."""
    with store.session() as s:
        row = s.scalars(select(CardHolder).where(CardHolder.member_id == member_id)).first()
        if row is not None:
            return row.platform_id
        next_id = (s.scalar(select(func.max(CardHolder.platform_id))) or 100_000_000) + 1
        s.add(CardHolder(platform_id=next_id, member_id=member_id, status=ecard.STATUS_ACTIVE, status_at=now_utc(),
                         updated_at=now_utc()))
        s.commit()
        return next_id


def recent_checkins(store: Store, event_id: int, limit: int = 50) -> list[CheckIn]:
    """The latest checks at an event, newest first (for the screen's list and reports)."""
    with store.session() as s:
        return list(s.scalars(select(CheckIn).where(CheckIn.event_id == event_id)
                              .order_by(CheckIn.created_at.desc(), CheckIn.id.desc()).limit(limit)))
