"""Screenings (观影) and benefit redemptions (权益核销): the events e-cards are checked at.

They live in the same ``events`` table as booth events (station/signup/booth.py),
told apart by ``kind``; what only they have — the entry window, capacity,
admissions per member — are columns that booth events leave NULL, and the
unions and enterprises an event admits are rows of ``event_eligibility``.
One table keeps one place for "what happened where" (reports, sync) and lets
a screening with a booth before it share nothing but a date and a venue.

Times are entered in local time and stored as naive UTC, like every moment
in the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from station.errors import StationError
from station.i18n import t
from station.people.textnorm import squeeze
from station.store.clock import local_today
from station.store.database import Store
from station.store.models import Enterprise, Event, EventEligibility, Union
from station.store.orgs import enterprise_by_name, union_by_name

KINDS = ("screening", "redemption")
KIND_KEYS: dict[str, str] = {"screening": "event_kind_screening", "redemption": "event_kind_redemption"}


def kind_text(kind: str, lang: str | None = None) -> str:
    """An event's kind as people read it (观影 / 权益核销); a kind this station does not know, as stored."""
    key = KIND_KEYS.get(kind)
    return t(key, lang) if key is not None else kind
MAX_CAPACITY = 100_000
MAX_ADMISSIONS = 99


def local_to_utc(moment: dt.datetime) -> dt.datetime:
    """A naive local moment as naive UTC (how the store keeps time)."""
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


def utc_to_local(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)


@dataclass(frozen=True)
class EventInfo:
    """An event as the check-in rules and the screens see it."""

    id: int
    uuid: str
    kind: str
    name: str
    date: dt.date
    venue: str
    entry_start: dt.datetime | None  # naive UTC
    entry_end: dt.datetime | None
    capacity: int | None
    admissions_per_member: int
    unions: tuple[str, ...] = ()
    enterprises: tuple[str, ...] = ()
    # The unions of the listed enterprises: a card names its union, not its employer.
    enterprise_unions: tuple[str, ...] = ()
    admitted: int = 0
    host: str | None = None
    reentry: bool = False  # 出场再入场: one who went out may come back in

    @property
    def open_to_all(self) -> bool:
        return not self.unions and not self.enterprises

    def local_window(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        return (utc_to_local(self.entry_start) if self.entry_start else None,
                utc_to_local(self.entry_end) if self.entry_end else None)

    def as_json(self) -> dict:
        start, end = self.local_window()
        return {
            "uuid": self.uuid, "kind": self.kind, "name": self.name, "date": self.date.isoformat(),
            "venue": self.venue,
            "entry_start": start.isoformat(timespec="minutes") if start else None,
            "entry_end": end.isoformat(timespec="minutes") if end else None,
            "capacity": self.capacity, "admissions_per_member": self.admissions_per_member,
            "unions": list(self.unions), "enterprises": list(self.enterprises), "admitted": self.admitted,
            "reentry": self.reentry,
        }


@dataclass
class EventDraft:
    """What a user fills in to create an event (the form and the CLI)."""

    kind: str
    name: str
    venue: str
    date: dt.date | None = None
    entry_start: dt.time | None = None  # local; None: the day's start
    entry_end: dt.time | None = None  # local; None: the day's end
    capacity: int | None = None
    admissions_per_member: int = 1
    unions: list[str] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)
    reentry: bool = False


def _admitted_counts(s, ids: list[int]) -> dict[int, int]:
    from station.store.models import CheckIn

    if not ids:
        return {}
    rows = s.execute(
        select(CheckIn.event_id, func.count()).where(CheckIn.event_id.in_(ids), CheckIn.admitted.is_(True))
        .group_by(CheckIn.event_id)
    )
    return dict(rows.all())


def _info(s, ev: Event, admitted: int = 0) -> EventInfo:
    rows = s.execute(
        select(Union.name, Enterprise.name, Enterprise.union_id)
        .select_from(EventEligibility)
        .outerjoin(Union, Union.id == EventEligibility.union_id)
        .outerjoin(Enterprise, Enterprise.id == EventEligibility.enterprise_id)
        .where(EventEligibility.event_id == ev.id)
        .order_by(EventEligibility.id)
    ).all()
    unions = tuple(u for u, _, _ in rows if u)
    enterprises = tuple(e for _, e, _ in rows if e)
    ent_union_ids = [uid for _, e, uid in rows if e and uid]
    ent_unions = tuple(s.scalars(select(Union.name).where(Union.id.in_(ent_union_ids)))) if ent_union_ids else ()
    host = ev.host_enterprise.name if ev.host_enterprise else (ev.host_union.name if ev.host_union else None)
    return EventInfo(ev.id, ev.uuid, ev.kind, ev.name, ev.date, ev.venue, ev.entry_start, ev.entry_end, ev.capacity,
                     ev.admissions_per_member or 1, unions, enterprises, ent_unions, admitted, host, bool(ev.reentry))


def check_draft(draft: EventDraft) -> tuple[str, str, dt.date, dt.datetime, dt.datetime]:
    """The draft's cleaned name and venue, its day and entry window (local); StationError says what to fix.

    No database: the event editor calls it on the GUI thread to answer at once.
    """
    kind = draft.kind
    if kind not in KINDS:
        raise StationError("event_kind_unknown", kind=kind, kinds=", ".join(KINDS))
    name, venue = squeeze(draft.name or ""), squeeze(draft.venue or "")
    if not name:
        raise StationError("event_name_required")
    if not venue:
        raise StationError("session_venue_required")
    day = draft.date or local_today()
    start_t = draft.entry_start or dt.time(0, 0)
    start = dt.datetime.combine(day, start_t)
    end = dt.datetime.combine(day, draft.entry_end) if draft.entry_end else dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(0, 0)) - dt.timedelta(seconds=1)
    if end <= start:
        raise StationError("event_window_backwards", start=start.strftime("%H:%M"), end=end.strftime("%H:%M"))
    if draft.capacity is not None and not 1 <= draft.capacity <= MAX_CAPACITY:
        raise StationError("event_capacity_range", max=MAX_CAPACITY)
    if not 1 <= draft.admissions_per_member <= MAX_ADMISSIONS:
        raise StationError("event_admissions_range", max=MAX_ADMISSIONS)
    return name, venue, day, start, end


def create_event(store: Store, draft: EventDraft) -> EventInfo:
    """Create a screening or redemption event; StationError says what to fix."""
    name, venue, day, start, end = check_draft(draft)
    with store.session() as s:
        ev = Event(kind=draft.kind, name=name[:200], date=day, venue=venue[:200], entry_start=local_to_utc(start),
                   entry_end=local_to_utc(end), capacity=draft.capacity,
                   admissions_per_member=draft.admissions_per_member, reentry=bool(draft.reentry))
        s.add(ev)
        s.flush()
        seen: set[tuple[str, int]] = set()
        for raw in draft.unions:
            union = union_by_name(s, raw)
            if union is not None and ("u", union.id) not in seen:
                seen.add(("u", union.id))
                s.add(EventEligibility(event_id=ev.id, union_id=union.id))
        for raw in draft.enterprises:
            ent = enterprise_by_name(s, raw)
            if ent is not None and ("e", ent.id) not in seen:
                seen.add(("e", ent.id))
                s.add(EventEligibility(event_id=ev.id, enterprise_id=ent.id))
        s.commit()
        s.refresh(ev)
        return _info(s, ev)


def get_event(store: Store, ref: int | str, *, kinds: tuple[str, ...] | None = KINDS) -> EventInfo:
    """An event by id, uuid (or its first 8 characters) or exact name; screenings and redemptions only.

    kinds: the event kinds to look among; None for every kind (booths too, as the prize draw needs).
    """
    with store.session() as s:
        q = select(Event).where(Event.kind.in_(kinds)) if kinds else select(Event)
        ev = None
        text = str(ref).strip()
        if text.isdigit():
            ev = s.scalars(q.where(Event.id == int(text))).first()
        if ev is None and text:
            ev = s.scalars(q.where(Event.uuid == text)).first()
        if ev is None and len(text) >= 8:
            ev = s.scalars(q.where(Event.uuid.startswith(text.lower()))).first()
        if ev is None and text:
            ev = s.scalars(q.where(Event.name == squeeze(text)).order_by(Event.date.desc())).first()
        if ev is None:
            raise StationError("event_not_found", ref=text)
        return _info(s, ev, _admitted_counts(s, [ev.id]).get(ev.id, 0))


def list_events(store: Store, *, day: dt.date | None = None, upcoming: bool = False,
                kinds: tuple[str, ...] | None = KINDS) -> list[EventInfo]:
    """Screenings and redemptions, newest date first (``upcoming``: today and later).

    kinds: None for every kind (booths too, as the prize draw needs).
    """
    with store.session() as s:
        q = select(Event).where(Event.kind.in_(kinds)) if kinds else select(Event)
        if day is not None:
            q = q.where(Event.date == day)
        if upcoming:
            q = q.where(Event.date >= local_today())
        events = list(s.scalars(q.order_by(Event.date.desc(), Event.entry_start, Event.id)))
        counts = _admitted_counts(s, [e.id for e in events])
        return [_info(s, ev, counts.get(ev.id, 0)) for ev in events]


def parse_window(text: str) -> tuple[dt.time, dt.time]:
    """'18:30-19:10' (also with ～ or ~ or 至) as two local times."""
    cleaned = squeeze(text).replace("～", "-").replace("~", "-").replace("至", "-").replace("—", "-")
    parts = [p.strip() for p in cleaned.split("-")]
    try:
        if len(parts) != 2:
            raise ValueError
        return dt.time.fromisoformat(parts[0].zfill(5)), dt.time.fromisoformat(parts[1].zfill(5))
    except ValueError:
        raise StationError("event_window_bad", value=text) from None
