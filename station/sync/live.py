"""Live sync: while a hub is reachable, this station and the others of its event stay in step (issue 15).

One *exchange* pushes what this station did since the last one (events,
sign-ups, check-ins) and pulls what the others did (their check-ins and
sign-ups, events, flags); then the station waits on the hub (``GET /v1/wait``,
a long poll) until something changes there or 20 s pass, and exchanges
again.  Decisions never wait for it: the door and the booth decide on the
store at once, and these records only make the store know more.

The hub is the *event host* on the local network when this station joined
one (station/sync/lan_link.py: pinned certificate), else the town hub it is
enrolled with (station/sync/client.py).  What goes to each:

* the event host gets every own record in row order, by a push cursor per
  kind (``lp:<kind>`` in sync_cursors): the records stay pending for the town
  hub, which gets them at day's end as always, once;
* the town hub gets the pending records and they leave the queue, as with
  ``station sync run``.

Pull cursors: ``lv:<kind>`` for the event host; the town hub's own kinds use
the day-end sync's cursors (``keys``, ``revocations``, …) and ``lt:<kind>`` for
the live kinds and the events (pulled with ``scope=all``: every station's).  Joining another host resets the ``lv:``/``lp:`` cursors.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from station.errors import StationError
from station.i18n import t
from station.security.operators import OperatorSession
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import CheckIn, Event, Registration, SyncCursor
from station.sync import live_apply, pull_checks
from station.sync import records as sync_records
from station.sync.client import HubClient, HubRefusal
from station.sync.live_checks import LIVE_KINDS, check_live_reply
from station.sync.pull import stored_cursor

log = logging.getLogger(__name__)

PUSH_KINDS = ("events", "registrations", "checkins")
HOST_PULLS = ("events", "checkins", "registrations", "flags")
TOWN_PULLS = ("keys", "events", "revocations", "flags", "checkins", "registrations")
BATCH = 500
PAGE = 1000
WAIT_S = 20.0  # the long poll; the hub caps it at 25
RETRY_S = (1.0, 2.0, 4.0, 8.0, 10.0)  # between tries while the hub cannot be reached
PUSH_LOOK_S = 0.25  # how often the pusher looks for new records in the store


@dataclass
class Exchange:
    """One push-and-pull: counts only (never personal data)."""

    at: dt.datetime
    pushed: dict[str, int] = field(default_factory=dict)
    pulled: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    hub_seq: int = 0
    stations_live: int = 0

    @property
    def sent(self) -> int:
        return sum(self.pushed.values())

    @property
    def received(self) -> int:
        return sum(self.pulled.values())

    def line(self, lang: str | None = None) -> str:
        text = t("live_line", lang, at=self.at.astimezone().strftime("%H:%M:%S") if self.at.tzinfo else
                 self.at.replace(tzinfo=dt.timezone.utc).astimezone().strftime("%H:%M:%S"),
                 sent=self.sent, received=self.received, stations=self.stations_live)
        if self.refused:
            text += t("live_line_refused", lang, n=self.refused)
        return text


@dataclass
class LiveState:
    """How current this station is, for the door screen and the CLI."""

    target: str | None = None  # "event" (the LAN host) | "town" | None (no hub to sync with)
    online: bool = False
    stations_live: int = 0
    last_ok_at: dt.datetime | None = None
    offline_since: dt.datetime | None = None
    error: str | None = None  # the last failure's message

    def sentence(self, now: dt.datetime | None = None, lang: str | None = None) -> str:
        """'与 3 台工作站实时同步', or '离线 2 分钟：仅本机核验'."""
        if self.target is None:
            return t("live_none", lang)
        if self.online:
            if not self.stations_live:
                return t("live_online_alone", lang)
            return t("live_online", lang, n=self.stations_live)
        since = self.offline_since or now_utc()
        minutes = max(0, int(((now or now_utc()) - since).total_seconds() // 60))
        return t("live_offline", lang, minutes=minutes)


def live_allowed(operator: OperatorSession) -> bool:
    """Anyone who works the door or the booth keeps the station in step (a 核验员 too)."""
    return operator.can("checkin") or operator.can("signup")


# -- what goes up ----------------------------------------------------------------------------------


def _cursor(store: Store, name: str) -> int:
    with store.session() as s:
        return stored_cursor(s, name)


def _set_cursor(store: Store, name: str, value: int) -> None:
    with store.session() as s:
        row = s.get(SyncCursor, name)
        if row is None:
            s.add(SyncCursor(kind=name, cursor=value, updated_at=now_utc()))
        else:
            row.cursor, row.updated_at = value, now_utc()
        s.commit()


def _rows(s, model, after: int, limit: int, *options) -> tuple[list, bool]:
    q = select(model).where(model.id > after).order_by(model.id).limit(limit + 1)
    if options:
        q = q.options(*options)
    rows = list(s.scalars(q))
    return rows[:limit], len(rows) > limit


def own_since(store: Store, operator: OperatorSession, kind: str, after: int, limit: int = BATCH) -> sync_records.Batch:
    """This station's records of ``kind`` with row id above ``after`` (pending or not), as a push body."""
    recs: list[dict]
    with store.session() as s:
        if kind == "events":
            events, more = _rows(s, Event, after, limit, selectinload(Event.host_enterprise),
                                 selectinload(Event.host_union))
            recs, last = [sync_records._event_rec(e) for e in events], [e.id for e in events]
        elif kind == "registrations":
            regs, more = _rows(s, Registration, after, limit, selectinload(Registration.member),
                               selectinload(Registration.event), selectinload(Registration.enterprise),
                               selectinload(Registration.union))
            recs, last = [sync_records._registration_rec(operator, r) for r in regs], [r.id for r in regs]
        else:
            checks, more = _rows(s, CheckIn, after, limit)
            uuids = sync_records._uuid_map(s, Event, {c.event_id for c in checks})
            recs, last = [sync_records._checkin_rec(c, uuids[c.event_id]) for c in checks], [c.id for c in checks]
    sent = [r["uuid"] for r in recs]
    return sync_records.Batch(kind, {"records": recs}, sent, {kind: list(sent)}, last[-1] if last else after, more)


class LiveSync:
    """The exchanges with one hub; ``run`` loops until ``cancel`` is set.

    client: the hub's client (its credential, for the event host its pinned
    certificate); host: True for the event host, False for the town hub.
    """

    def __init__(self, store: Store, operator: OperatorSession, client: HubClient, *, host: bool,
                 wait_s: float = WAIT_S, cancel: threading.Event | None = None) -> None:
        if not live_allowed(operator):
            raise StationError("not_permitted", role=operator.role, action="live")
        if not host:
            operator.require("sync")  # the town hub's queue is the organizer's to empty
        self.store, self.operator, self.client, self.host = store, operator, client, host
        self.wait_s = wait_s
        self.cancel = cancel or threading.Event()
        self.client.cancel = self.cancel
        self.state = LiveState(target="event" if host else "town")
        self.hub_seq = 0
        self.kicked = threading.Event()  # set it to push at once (the pusher also looks every PUSH_LOOK_S)
        self._stop_pusher = threading.Event()
        self._push_lock = threading.Lock()  # one push at a time: the cursors and the queue are shared

    # -- one exchange -----------------------------------------------------------------------------
    def exchange(self) -> Exchange:
        """Push what is new here, then pull what the others did."""
        ex = Exchange(at=now_utc())
        with self._push_lock:
            for kind in PUSH_KINDS:
                ex.pushed[kind], refused = self._push(kind)
                ex.refused += refused
        pulled = self._pull_all()
        ex.pulled = pulled.pulled
        ex.pushed = {k: v for k, v in ex.pushed.items() if v}
        ex.hub_seq, ex.stations_live = self.hub_seq, self.state.stations_live
        return ex

    def _pull_all(self) -> Exchange:
        ex = Exchange(at=now_utc())
        for kind in HOST_PULLS if self.host else TOWN_PULLS:
            ex.pulled[kind] = self._pull(kind)
        ex.pulled = {k: v for k, v in ex.pulled.items() if v}
        ex.hub_seq, ex.stations_live = self.hub_seq, self.state.stations_live
        return ex

    def _push(self, kind: str) -> tuple[int, int]:
        sent = refused = 0
        name = "lp:" + kind
        after = _cursor(self.store, name) if self.host else None
        while not self.cancel.is_set():
            if self.host:
                batch = own_since(self.store, self.operator, kind, after or 0)
            else:
                with self.store.session() as s:
                    batch = sync_records._simple(s, self.operator, kind, after, BATCH)
            if not batch.uuids:
                return sent, refused
            while batch.uuids:
                try:
                    reply = self.client.push(kind, batch.body, batch.uuids)
                except HubRefusal as exc:
                    # Live sync never stops on one record the hub will not take: the day-end sync
                    # reports it to the organizer; here it is logged and the rest goes on.
                    named = {str(r.get("uuid")) for r in exc.records if isinstance(r, dict)} & set(batch.uuids)
                    log.warning("live sync: the hub refused %d %s (%s)", len(named) or len(batch.uuids), kind,
                                exc.error)
                    if not named or exc.error == "unknown_event":
                        # Nothing named (or an event the hub has not got yet): the cursor stays, the
                        # next exchange sends these again.
                        return sent, refused + len(batch.uuids)
                    refused += len(named)
                    keep = [r for r in batch.body["records"] if r["uuid"] not in named]
                    batch = sync_records.Batch(kind, {"records": keep}, [r["uuid"] for r in keep],
                                               {kind: [r["uuid"] for r in keep]}, batch.next_after, batch.more)
                    continue
                if not self.host:
                    sync_records.apply_reply(self.store, kind, batch, reply)
                sent += len(batch.uuids)
                break
            after = batch.next_after
            if self.host:
                _set_cursor(self.store, name, int(after or 0))
            if not batch.more:
                break
        return sent, refused

    def _pull(self, kind: str) -> int:
        name = "lv:" + kind if self.host else ("lt:" + kind if kind in (*LIVE_KINDS, "events") else kind)
        applied = 0
        cursor = _cursor(self.store, name)
        while not self.cancel.is_set():
            if kind in LIVE_KINDS:
                reply = self._pull_live(kind, cursor)
            elif kind == "events":  # the other stations' events too (a booth opened on another laptop)
                reply = self.client.call("GET", "/v1/pull/events",
                                         params={"cursor": cursor, "limit": PAGE, "scope": "all"})
            else:
                reply = self.client.pull(kind, cursor, PAGE)
            if kind in LIVE_KINDS:
                next_cursor, more, checked = check_live_reply(kind, cursor, PAGE, reply)
            else:
                next_cursor, more, checked = pull_checks.check_reply(kind, cursor, PAGE, reply,
                                                                     skips_own=kind == "events")
            applied += live_apply.commit_page(self.store, self.operator.cipher, kind, name, checked, next_cursor,
                                              host=self.host)
            cursor = next_cursor
            if not more:
                break
        return applied

    def _pull_live(self, kind: str, cursor: int) -> dict:
        # Checked by check_live_reply: the hub skips this station's own rows, so next_cursor may pass the last item.
        return self.client.call("GET", f"/v1/pull/{kind}", params={"cursor": cursor, "limit": PAGE})

    # -- waiting on the hub -------------------------------------------------------------------------
    def wait(self) -> bool:
        """Until the hub has news (True) or the long poll times out (False)."""
        reply = self.client.call("GET", "/v1/wait", params={"cursor": self.hub_seq, "timeout": self.wait_s})
        seq, live = reply.get("hub_seq"), reply.get("stations_live")
        if type(seq) is not int or seq < 0:
            raise StationError("sync_net_mismatch", detail="wait")
        if type(live) is int and live >= 0:
            self.state.stations_live = live
        changed = seq > self.hub_seq
        self.hub_seq = seq
        return changed

    def _status(self) -> None:
        status = self.client.status()
        if status.get("station_uuid") != self.store.identity.uuid:
            raise StationError("sync_other_station", found=str(status.get("station_uuid"))[:8],
                               here=self.store.identity.uuid[:8])
        live = status.get("stations_live")
        if type(live) is int and live >= 0:
            self.state.stations_live = live

    # -- the loop ---------------------------------------------------------------------------------------
    def run(self, on_exchange: Callable[[Exchange], None] | None = None,
            on_state: Callable[[LiveState], None] | None = None) -> None:
        """Exchange, wait, exchange … until cancelled; the link going away turns the state amber, never stops it.

        Two threads: this one pulls and waits on the hub (the long poll); a pusher sends this
        station's new records as soon as the store has them (it looks every PUSH_LOOK_S, so a
        check made in another process — the app while `sync live` runs — goes up as fast)."""
        failures = 0
        checked_station = False
        pusher: threading.Thread | None = None
        try:
            while not self.cancel.is_set():
                try:
                    if not checked_station:
                        self._status()
                        checked_station = True
                    seq_before = self.hub_seq
                    if pusher is None:
                        ex = self.exchange()
                        pusher = threading.Thread(target=self._push_loop, args=(on_exchange,), daemon=True,
                                                  name="live-push")
                        pusher.start()
                    else:
                        ex = self._pull_all()
                    self._online(on_state)
                    failures = 0
                    if on_exchange is not None and (ex.sent or ex.received or ex.refused or seq_before == 0):
                        on_exchange(ex)
                    self.wait()
                except StationError as exc:
                    if exc.key in ("sync_cancelled",) or self.cancel.is_set():
                        return
                    if isinstance(exc, HubRefusal) and exc.status in (401, 403):
                        self._offline(exc, on_state)
                        raise
                    if exc.key == "sync_other_station":
                        raise
                    self._offline(exc, on_state)
                    self.cancel.wait(RETRY_S[min(failures, len(RETRY_S) - 1)])
                    failures += 1
        finally:
            self._stop_pusher.set()
            if pusher is not None:
                pusher.join(10)

    def _local_marks(self) -> tuple[int | None, ...]:
        """The newest row of each pushed kind in the store: changed means something to send."""
        with self.store.session() as s:
            return tuple(s.scalar(select(func.max(model.id))) for model in (Event, Registration, CheckIn))

    def _push_loop(self, on_exchange: Callable[[Exchange], None] | None) -> None:
        sent_marks = self._local_marks()
        failures = 0
        while not (self.cancel.is_set() or self._stop_pusher.is_set()):
            try:
                marks = self._local_marks()
                if marks != sent_marks or self.kicked.is_set():
                    self.kicked.clear()
                    ex = Exchange(at=now_utc(), hub_seq=self.hub_seq, stations_live=self.state.stations_live)
                    with self._push_lock:
                        for kind in PUSH_KINDS:
                            pushed, refused = self._push(kind)
                            ex.refused += refused
                            if pushed:
                                ex.pushed[kind] = pushed
                    sent_marks = marks
                    failures = 0
                    if on_exchange is not None and (ex.sent or ex.refused):
                        on_exchange(ex)
            except StationError as exc:
                if self.cancel.is_set():
                    return
                # The pulling loop shows the link's state; this one only tries again, a little later.
                log.info("live sync: push failed (%s)", exc.key)
                self.cancel.wait(RETRY_S[min(failures, len(RETRY_S) - 1)])
                failures += 1
                continue
            except Exception:
                log.exception("live sync: push failed")
                self.cancel.wait(RETRY_S[-1])
                continue
            self.kicked.wait(PUSH_LOOK_S)

    def _online(self, on_state: Callable[[LiveState], None] | None) -> None:
        self.state.online, self.state.offline_since, self.state.error = True, None, None
        self.state.last_ok_at = now_utc()
        if on_state is not None:
            on_state(self.state)

    def _offline(self, exc: StationError, on_state: Callable[[LiveState], None] | None) -> None:
        was_online = self.state.online or self.state.offline_since is None
        self.state.online = False
        if was_online:
            self.state.offline_since = self.state.last_ok_at or now_utc()
        self.state.error = exc.message()
        log.info("live sync: offline (%s)", exc.key)
        if on_state is not None:
            on_state(self.state)
