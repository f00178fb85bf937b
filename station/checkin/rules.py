"""The check-in rules: may this card (or this person) enter this event now?

One pure function, ``decide``, over the facts the check-in service gathers
(station/checkin/service.py).  The scan screen, `station scan`, the benchmarks and
the tests all reach it through that service; nothing else decides.

Order matters when several reasons apply; the first one found is shown:

1. 无效码/签名不符 ``invalid`` — not an e-card, damaged, altered, or signed
   by a key that was not valid when the code was issued (or has been retired);
2. 未知密钥 ``unknown_key`` (amber) — signed by a key this station has not
   synced yet: staff may check the member's app by eye, a sync fixes it;
3. 已过期 ``expired``;
4. 已挂失/注销 ``revoked`` — the card says so, the member's card status says so
   (a lost card refuses codes issued until it was reported), or the
   revocation list does;
5. 非本活动对象 ``not_eligible`` — neither the card's union nor the member's
   local enterprise or union is among those the event admits;
6. 未到入场时间 ``not_open`` / 入场已结束 ``closed`` — outside the entry window;
7. 已入场 ``already`` — this member has used their admissions (when, where);
   at an event that allows 出场再入场, one who went out comes back in instead
   (``reentry``: passed, not a new admission, no capacity check — their place
   is theirs), and one still inside is 已入场;
8. 名额已满 ``full`` — admitted has reached capacity.

A member who is refused for (7) is told so even when the hall is full:
"you are in already" is the more useful thing to hear.

At an exit (direction ``out``) only the code's own validity (1–2) is checked,
then whether the member is inside: 未在场内 ``not_inside`` when not.  An expired
or revoked card still lets its holder out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from station.checkin.ecard import STATUS_ACTIVE, STATUS_CANCELLED, STATUS_LOST, Card
from station.checkin.events import EventInfo

PASS, REFUSE, WARN = "pass", "refuse", "warn"

INVALID = "invalid"
UNKNOWN_KEY = "unknown_key"
EXPIRED = "expired"
REVOKED = "revoked"
NOT_ELIGIBLE = "not_eligible"
NOT_OPEN = "not_open"
CLOSED = "closed"
ALREADY = "already"
FULL = "full"
NOT_INSIDE = "not_inside"
REASONS = (INVALID, UNKNOWN_KEY, EXPIRED, REVOKED, NOT_ELIGIBLE, NOT_OPEN, CLOSED, ALREADY, FULL, NOT_INSIDE)

IN, OUT = "in", "out"  # a door's direction: 入场, 出场
DIRECTIONS = (IN, OUT)
REENTRY = "reentry"  # the detail of a passed entry that is a coming back, not an admission
EXIT = "exit"  # the detail of a passed exit


@dataclass(frozen=True)
class Admission:
    at: dt.datetime  # naive UTC
    station: str


@dataclass(frozen=True)
class Facts:
    """Everything ``decide`` looks at; the service fills it in."""

    now: dt.datetime  # naive UTC
    card: Card | None = None  # None: a manual look-up
    format_error: str | None = None  # the code did not parse
    key_known: bool = True
    key_covers: bool = True  # the key was valid when the code was issued (and is not retired)
    signature_valid: bool = True
    holder_status: str | None = None  # card status from the last sync
    holder_status_at: dt.datetime | None = None
    revocations: tuple[tuple[str, dt.datetime], ...] = ()  # (reason, revoked_at)
    member_union: str | None = None  # from the local roster, when the member is on it
    member_enterprise: str | None = None
    admissions: tuple[Admission, ...] = ()  # this member's earlier admissions to this event, oldest first
    admitted_total: int = 0
    direction: str = IN
    inside: bool = False  # the member's last movement at this event (every door known) was in


@dataclass(frozen=True)
class Decision:
    verdict: str  # pass | refuse | warn
    reason: str | None
    detail: str | None = None
    quota_left: int | None = None  # after this admission
    earlier: Admission | None = None  # for ``already``

    @property
    def admits(self) -> bool:
        """Whether this uses one of the member's admissions (an entry that is not a coming back)."""
        return self.verdict == PASS and self.detail not in (REENTRY, EXIT)


def _revoked(card: Card | None, facts: Facts) -> str | None:
    issued = card.issued_at if card else None
    if card is not None and card.status != STATUS_ACTIVE:
        return "card_" + card.status
    if facts.holder_status == STATUS_CANCELLED:
        return "holder_cancelled"
    # A lost card refuses the codes issued until the loss was reported; the member's
    # new code (issued later) is fine.  A manual look-up has no code to be stale.
    if facts.holder_status == STATUS_LOST and issued is not None and (
            facts.holder_status_at is None or issued <= facts.holder_status_at):
        return "holder_lost"
    for reason, at in facts.revocations:
        if reason == STATUS_CANCELLED:
            return "list_cancelled"
        if reason == STATUS_LOST and issued is not None and issued <= at:
            return "list_lost"
    return None


def eligible(event: EventInfo, union: str | None, member_union: str | None, member_enterprise: str | None) -> bool:
    if event.open_to_all:
        return True
    unions = set(event.unions) | set(event.enterprise_unions)
    return bool(
        (union and union in unions)
        or (member_union and member_union in unions)
        or (member_enterprise and member_enterprise in event.enterprises)
    )


def decide(event: EventInfo, facts: Facts) -> Decision:
    """The verdict for one check; see the module docstring for the order of reasons."""
    card = facts.card
    if card is None and facts.format_error is not None:
        return Decision(REFUSE, INVALID, facts.format_error[:40])
    if card is not None:
        if not facts.key_known:
            return Decision(WARN, UNKNOWN_KEY, card.kid)
        if not facts.signature_valid:
            return Decision(REFUSE, INVALID, "signature")
        if not facts.key_covers:
            return Decision(REFUSE, INVALID, "key_period")
        if facts.direction == OUT:
            return _exit(facts)
        if facts.now >= card.expires_at:
            return Decision(REFUSE, EXPIRED)
    elif facts.direction == OUT:
        return _exit(facts)
    revoked = _revoked(card, facts)
    if revoked:
        return Decision(REFUSE, REVOKED, revoked)
    if not eligible(event, card.union if card else None, facts.member_union, facts.member_enterprise):
        return Decision(REFUSE, NOT_ELIGIBLE)
    if event.entry_start is not None and facts.now < event.entry_start:
        return Decision(REFUSE, NOT_OPEN)
    if event.entry_end is not None and facts.now > event.entry_end:
        return Decision(REFUSE, CLOSED)
    allowed = max(1, event.admissions_per_member)
    if event.reentry and facts.admissions:
        if facts.inside:
            return Decision(REFUSE, ALREADY, earlier=facts.admissions[-1])
        return Decision(PASS, None, REENTRY, quota_left=max(0, allowed - len(facts.admissions)))
    if len(facts.admissions) >= allowed:
        return Decision(REFUSE, ALREADY, earlier=facts.admissions[-1])
    if event.capacity is not None and facts.admitted_total >= event.capacity:
        return Decision(REFUSE, FULL)
    return Decision(PASS, None, quota_left=allowed - len(facts.admissions) - 1)


def _exit(facts: Facts) -> Decision:
    if not facts.inside:
        return Decision(REFUSE, NOT_INSIDE)
    return Decision(PASS, None, EXIT)
