"""The station's sync client: enrollment, pushing the queue, pulling changes (docs/sync-protocol.md).

``HubClient`` is the transport.  It takes a reply as success only when the
protocol's rules hold (status 200, application/json, one JSON object,
``ok`` true, protocol 1, and for a push: ``received`` equals what was sent
and every sent uuid is listed exactly once).  A captive portal's page, a
proxy's error page, a body cut off midway or a reply that does not match
is a failure with its own message, and nothing leaves the queue.

Network errors, 5xx and cut-off replies are retried with exponential
backoff and jitter (bounded, cancellable).  Refusals of single records
(409, 403 not_your_record, 422) are recorded in ``sync_refusals`` and the
rest of the batch is pushed again; the refused records stay pending.

``run_sync`` uploads in PUSH_ORDER (events … posters), downloads through
station/sync/pull.py, purges what retention allows, audits the run and
then pushes the audit log (so the run's own entry travels with it).
Everything is resumable: pending means ``synced_at IS NULL``, so a run
interrupted anywhere is continued by the next.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from station.errors import StationError
from station.security import audit, retention
from station.security.operators import OperatorSession
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import Event, SyncFlag, SyncLink, SyncRun
from station.sync import pull as sync_pull
from station.sync import records as sync_records
from station.sync.records import PUSH_ORDER, Batch
from station.sync.report import SyncReport, refusal_text, save

log = logging.getLogger(__name__)

PROTOCOL = 1
LINK_TABLE = "sync_link"
Progress = Callable[[str, int, int], None]
_RETRY_STATUS = {500, 502, 503, 504}
_RECORD_REFUSALS = {"conflict", "not_your_record", "invalid_request", "unknown_event", "unknown_draw", "invalid_record"}
# The hub's refusal codes that get a sentence of their own (any other is named in sync_hub_refused).
_AUTH_ERRORS = {"unauthenticated": "sync_unauthenticated", "station_revoked": "sync_revoked"}
_ENROLL_ERRORS = {"enroll_code_invalid": "sync_enroll_code_invalid", "station_exists": "sync_station_exists"}
_AUDIT_ERRORS = {"audit_diverged", "audit_anchor_backwards", "audit_anchor_mismatch", "audit_invalid", "audit_gap"}


class HubRefusal(StationError):
    """The hub answered with its JSON envelope and ``ok`` false: it read the request and refused it."""

    def __init__(self, status: int, body: dict) -> None:
        self.status = status
        self.error = str(body.get("error") or f"http_{status}")
        self.reason = str(body.get("reason") or "")[:500]
        self.records = [r for r in body.get("records") or () if isinstance(r, dict)][:1000]
        key = _AUTH_ERRORS.get(self.error) or _ENROLL_ERRORS.get(self.error)
        if key is not None:
            super().__init__(key)
        else:
            super().__init__("sync_hub_refused", error=self.error, reason=self.reason or "-")


class SyncCancelled(StationError):
    def __init__(self) -> None:
        super().__init__("sync_cancelled")


class _Retry(Exception):
    """A failure worth another try; ``error`` is what to raise when the tries run out."""

    def __init__(self, error: StationError) -> None:
        super().__init__(error.key)
        self.error = error


# -- addresses -----------------------------------------------------------------------------------


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """The hub URL without a trailing slash; https, or http only to this machine (personal data needs TLS)."""
    text = (url or "").strip().rstrip("/")
    parts = urlsplit(text)
    ok = parts.scheme == "https" or (parts.scheme == "http" and _loopback(parts.hostname or ""))
    if not ok or not parts.hostname or parts.query or parts.fragment:
        raise StationError("sync_bad_url", url=url)
    return text


# -- the transport ----------------------------------------------------------------------------------


class HubClient:
    """JSON over HTTP(S) to one hub, with the protocol's success rules and bounded retries.

    sleep: how to wait between tries (tests pass a no-op); by default the
    wait ends early when ``cancel`` is set.  rng: the jitter's source.
    """

    def __init__(self, base_url: str, credential: str | None = None, ca_file: str | None = None,
                 timeout: float = 30.0, *, retries: int = 6, backoff: float = 0.5, max_backoff: float = 30.0,
                 sleep: Callable[[float], None] | None = None, rng: Callable[[], float] = random.random,
                 transport: httpx.BaseTransport | None = None, ssl_context: ssl.SSLContext | None = None) -> None:
        self.base_url = check_url(base_url)
        self.credential = credential
        self.retries, self.backoff, self.max_backoff = retries, backoff, max_backoff
        self._sleep, self._rng = sleep, rng
        self.cancel: threading.Event | None = None
        verify: Any = True
        if ssl_context is not None:
            verify = ssl_context  # e.g. the event host's pinned certificate (station/sync/lan.py)
        elif ca_file:
            if not Path(ca_file).is_file():
                raise StationError("sync_ca_missing", path=ca_file)
            try:
                verify = ssl.create_default_context(cafile=str(ca_file))  # this hub's own CA, instead of the system's
            except (ssl.SSLError, OSError, ValueError) as exc:
                raise StationError("sync_ca_bad", path=ca_file, detail=str(exc)[:200]) from None
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, verify=verify, transport=transport,
                                  follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- one request, tried again while it makes sense --------------------------------------------
    def call(self, method: str, path: str, body: dict | None = None, *, params: dict | None = None,
             check: Callable[[dict], None] | None = None) -> dict:
        """The reply object of a success; HubRefusal for the hub's refusals; StationError otherwise."""
        content = None if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        last: StationError | None = None
        for attempt in range(self.retries + 1):
            self._check_cancel()
            if attempt:
                self._wait(attempt)
            try:
                reply = self._once(method, path, content, params)
                if check is not None:
                    check(reply)
                return reply
            except _Retry as exc:
                last = exc.error
                log.info("sync: %s %s failed (%s), try %d of %d", method, path, exc.error.key, attempt + 1,
                         self.retries + 1)
        assert last is not None
        raise last

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise SyncCancelled()

    def _wait(self, attempt: int) -> None:
        cap = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        delay = cap * (0.5 + 0.5 * self._rng())  # jitter: many stations retrying do not stay in step
        if self._sleep is not None:
            self._sleep(delay)
        elif self.cancel is not None:
            self.cancel.wait(delay)
        else:
            time.sleep(delay)
        self._check_cancel()

    def _headers(self, content: bytes | None) -> dict:
        headers = {"X-YGH-Protocol": str(PROTOCOL), "Accept": "application/json"}
        if self.credential:
            headers["Authorization"] = "Bearer " + self.credential
        if content is not None:
            headers["Content-Type"] = "application/json"
        return headers

    def _once(self, method: str, path: str, content: bytes | None, params: dict | None) -> dict:
        try:
            r = self._http.request(method, path, content=content, params=params, headers=self._headers(content))
        except httpx.TimeoutException:
            raise _Retry(StationError("sync_net_timeout", url=self.base_url)) from None
        except httpx.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
                raise StationError("sync_net_tls", detail=str(exc)[:200]) from None
            raise _Retry(StationError("sync_net_unreachable", url=self.base_url, detail=str(exc)[:200])) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            raise _Retry(StationError("sync_net_truncated")) from None
        except httpx.TransportError as exc:
            raise _Retry(StationError("sync_net_unreachable", url=self.base_url, detail=str(exc)[:200])) from None
        return self._judge(r)

    def _judge(self, r: httpx.Response) -> dict:
        """The protocol's rules 1-3 (docs/sync-protocol.md, "What counts as success")."""
        ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            if r.status_code == 200 and ctype in ("text/html", "application/xhtml+xml", "text/plain", ""):
                raise StationError("sync_net_captive")  # answered by the network, not the hub
            error = StationError("sync_net_not_platform", status=r.status_code, content_type=ctype or "-")
            if r.status_code in _RETRY_STATUS:
                raise _Retry(error)
            raise error
        try:
            body = json.loads(r.content)
        except (ValueError, UnicodeDecodeError):
            raise _Retry(StationError("sync_net_truncated")) from None
        if not isinstance(body, dict):
            raise _Retry(StationError("sync_net_mismatch", detail="not an object"))
        if body.get("protocol") != PROTOCOL:
            raise StationError("sync_net_protocol", version=str(body.get("protocol"))[:20])
        if r.status_code == 200 and body.get("ok") is True:
            return body
        if r.status_code in _RETRY_STATUS:
            raise _Retry(StationError("sync_net_server", status=r.status_code))
        if body.get("ok") is not False or r.status_code == 200:
            raise _Retry(StationError("sync_net_mismatch", detail=f"HTTP {r.status_code}"))
        if body.get("error") in ("not_json", "http_400"):
            # The hub could not parse what arrived: a body damaged on the way.  Send it again.
            raise _Retry(HubRefusal(r.status_code, body))
        raise HubRefusal(r.status_code, body)

    # -- the protocol's calls -------------------------------------------------------------------
    def enroll(self, code: str, station_uuid: str, station_name: str, bundle_signing_key: str) -> dict:
        def check(reply: dict) -> None:
            key = reply.get("hub_bundle_key")
            if (reply.get("station_uuid") != station_uuid or not str(reply.get("credential", "")).startswith("ygh1_")
                    or not isinstance(key, str) or len(_b64(key)) != 32):
                raise _Retry(StationError("sync_net_mismatch", detail="enroll"))

        return self.call("POST", "/v1/enroll", {"code": code, "station_uuid": station_uuid,
                                                "station_name": station_name,
                                                "bundle_signing_key": bundle_signing_key}, check=check)

    def status(self) -> dict:
        def check(reply: dict) -> None:
            a = reply.get("audit")
            if not isinstance(reply.get("station_uuid"), str) or not isinstance(a, dict) \
                    or not isinstance(a.get("head_seq"), int):
                raise _Retry(StationError("sync_net_mismatch", detail="status"))

        return self.call("GET", "/v1/status", check=check)

    def push(self, kind: str, body: dict, sent: list[str]) -> dict:
        """POST /v1/push/{kind}; the reply checked against the uuids (audit: seqs) sent (rule 4)."""
        return self.call("POST", f"/v1/push/{kind}", body, check=lambda reply: check_push_reply(kind, sent, reply))

    def pull(self, kind: str, cursor: int, limit: int) -> dict:
        return self.call("GET", f"/v1/pull/{kind}", params={"cursor": cursor, "limit": limit},
                         check=lambda reply: check_pull_reply(kind, cursor, limit, reply))


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        return b""


def _mismatch(detail: str) -> _Retry:
    return _Retry(StationError("sync_net_mismatch", detail=detail))


def check_push_reply(kind: str, sent: list[str], reply: dict) -> None:
    """Rule 4: the reply is for this kind, counts what was sent, and lists every sent record exactly once."""
    if reply.get("kind") != kind:
        raise _mismatch(f"kind {str(reply.get('kind'))[:20]}")
    if reply.get("received") != len(sent):
        raise _mismatch(f"received {reply.get('received')!s:.12} of {len(sent)}")
    if kind == "audit":
        acc, unch = reply.get("accepted"), reply.get("unchanged")
        if not isinstance(acc, int) or not isinstance(unch, int) or acc + unch != len(sent):
            raise _mismatch("audit counts")
        return
    listed: list = []
    for key in ("accepted", "updated", "unchanged"):
        part = reply.get(key, [])
        if not isinstance(part, list):
            raise _mismatch(key)
        listed += part
    if len(listed) != len(sent) or set(listed) != set(sent):
        raise _mismatch("the records listed differ from those sent")
    if not isinstance(reply.get("notices", []), list):
        raise _mismatch("notices")


def check_pull_reply(kind: str, cursor: int, limit: int, reply: dict) -> None:
    items, nxt = reply.get("items"), reply.get("next_cursor")
    if reply.get("kind") != kind or reply.get("cursor") != cursor:
        raise _mismatch(f"pull {kind}")
    if not isinstance(items, list) or not isinstance(nxt, int) or not isinstance(reply.get("more"), bool):
        raise _mismatch(f"pull {kind}")
    if len(items) > limit or nxt < cursor:
        raise _mismatch(f"pull {kind}")
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("seq"), int) or not cursor < item["seq"] <= nxt:
            raise _mismatch(f"pull {kind} seq")


# -- enrollment --------------------------------------------------------------------------------------


def link(store: Store) -> SyncLink | None:
    """This station's enrollment, or None."""
    with store.session() as s:
        return sync_records.link_row(s)


def _require_link(store: Store) -> SyncLink:
    row = link(store)
    if row is None:
        raise StationError("sync_not_enrolled")
    return row


def credential(store: Store, operator: OperatorSession) -> str:
    """The station's bearer credential, decrypted with the operator's key."""
    operator.require("sync")
    row = _require_link(store)
    return operator.cipher.decrypt(LINK_TABLE, "credential", row.credential_enc, str(row.id))


def signing_key(store: Store, operator: OperatorSession) -> Ed25519PrivateKey:
    """The private half of the bundle-signing key registered at enrollment (for the offline bundle)."""
    operator.require("sync")
    row = _require_link(store)
    raw = base64.b64decode(operator.cipher.decrypt(LINK_TABLE, "bundle_key", row.bundle_key_enc, str(row.id)))
    return Ed25519PrivateKey.from_private_bytes(raw)


def enroll(store: Store, operator: OperatorSession, hub_url: str, code: str, *, ca_file: str | None = None,
           replace: bool = False, client: HubClient | None = None) -> SyncLink:
    """Spend a one-time code at the hub; keep the credential and a new bundle-signing key encrypted.

    Refuses (sync_already_enrolled) when enrolled already, unless `replace`.
    The queue is left as it is: what the old link synced stays synced.
    """
    operator.require("sync")
    url = check_url(hub_url)
    existing = link(store)
    if existing is not None and not replace:
        raise StationError("sync_already_enrolled", hub=existing.hub_url)
    key = Ed25519PrivateKey.generate()
    public = base64.b64encode(key.public_key().public_bytes(serialization.Encoding.Raw,
                                                            serialization.PublicFormat.Raw)).decode()
    private = base64.b64encode(key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                                 serialization.NoEncryption())).decode()
    ident = store.identity
    own = client is None
    client = client or HubClient(url, ca_file=ca_file, retries=2)
    try:
        reply = client.enroll(code.strip(), ident.uuid, ident.name, public)
    finally:
        if own:
            client.close()
    return _save_link(store, operator, url, reply, public, private, ca_file)


def _save_link(store: Store, operator: OperatorSession, url: str, reply: dict, public: str, private: str,
               ca_file: str | None) -> SyncLink:
    cipher = operator.cipher
    with store.session() as s:
        row = s.get(SyncLink, 1)
        fresh = row is None
        if row is None:
            row = SyncLink(id=1, audit_synced_seq=0)
        row.hub_url, row.hub_station_name = url, str(reply["station_name"])[:100]
        row.credential_enc = cipher.encrypt(LINK_TABLE, "credential", reply["credential"], "1")
        row.bundle_key_enc = cipher.encrypt(LINK_TABLE, "bundle_key", private, "1")
        row.hub_bundle_key, row.bundle_key_public = reply["hub_bundle_key"], public
        row.ca_file = str(Path(ca_file).resolve()) if ca_file else None
        row.enrolled_at, row.enrolled_by = now_utc(), operator.name
        if fresh:
            s.add(row)
        audit.append(store, "sync_enroll", operator=operator.name, target=urlsplit(url).hostname,
                     details={"hub_station_name": row.hub_station_name, "replaced": not fresh},
                     cipher=cipher, db=s)
        s.commit()
        s.refresh(row)
        return row


def client_for(store: Store, operator: OperatorSession, **kw) -> HubClient:
    row = _require_link(store)
    return HubClient(row.hub_url, credential(store, operator), row.ca_file, **kw)


# -- one sync -------------------------------------------------------------------------------------------


class _Run:
    """The state of one run_sync: the client, the report, progress and cancel."""

    def __init__(self, store: Store, operator: OperatorSession, client: HubClient, report: SyncReport,
                 progress: Progress | None, cancel: threading.Event | None) -> None:
        self.store, self.operator, self.client, self.report = store, operator, client, report
        self.progress, self.cancel = progress, cancel
        self.totals = sync_records.pending_counts(store)
        self.done: dict[str, int] = {}
        self.pushed_events_again = False

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise SyncCancelled()

    def tick(self, kind: str, n: int) -> None:
        self.done[kind] = self.done.get(kind, 0) + n
        if self.progress:
            total = self.totals.get(kind, 0) + (self.totals.get("winners", 0) if kind == "draws" else 0)
            self.progress(kind, self.done[kind], max(total, self.done[kind]))

    # -- pushing ------------------------------------------------------------------------------------
    def push_kind(self, kind: str, after=None) -> None:
        limit = sync_records.BATCH
        while True:
            self.check_cancel()
            batch = sync_records.collect(self.store, self.operator, kind, limit=limit, after=after)
            if not batch.uuids:
                return
            try:
                self.push_batch(batch)
            except HubRefusal as exc:
                if exc.error != "too_large" or limit == 1:
                    raise
                limit = max(1, limit // 2)  # a batch of big draws: halve and send the same records again
                continue
            after = batch.next_after
            if not batch.more:
                return

    def push_batch(self, batch: Batch) -> None:
        """Push one batch; refused records are filed and the rest pushed again until the hub takes it."""
        kind = batch.kind
        while batch.uuids:
            self.check_cancel()
            try:
                reply = self.client.push(kind, batch.body, batch.uuids)
            except HubRefusal as exc:
                batch = self.refused(batch, exc)
                continue
            result = sync_records.apply_reply(self.store, kind, batch, reply)
            self.count(batch, reply, result)
            self.tick(kind, len(batch.uuids))
            return

    def count(self, batch: Batch, reply: dict, result) -> None:
        if batch.kind == "audit":
            self.report.add_pushed("audit", result.accepted, 0, result.unchanged)
            return
        for part, uuids in batch.parts.items():
            mine = set(uuids)
            self.report.add_pushed(part, *(len(mine.intersection(reply.get(k) or ()))
                                           for k in ("accepted", "updated", "unchanged")))
        for notice in reply.get("notices") or ():
            if isinstance(notice, dict):
                self.report.add_notice(notice, event_name=self.event_name(notice))

    def event_name(self, notice: dict) -> str | None:
        """The local name of the event a notice is about, so the report says which screening."""
        event_uuid = (notice.get("detail") or {}).get("event_uuid")
        if not isinstance(event_uuid, str):
            return None
        with self.store.session() as s:
            return s.scalar(select(Event.name).where(Event.uuid == event_uuid))

    def pulled_flags(self) -> None:
        """Flags the hub raised or grew since this run began: the station that pushed first hears of them here."""
        with self.store.session() as s:
            flags = list(s.scalars(select(SyncFlag).where(SyncFlag.pulled_at >= self.report.started_at)
                                   .order_by(SyncFlag.id)))
        for f in flags:
            try:
                detail = json.loads(f.detail) if isinstance(f.detail, str) else dict(f.detail or {})
                stations = json.loads(f.stations) if isinstance(f.stations, str) else list(f.stations or ())
            except ValueError:
                detail, stations = {}, []
            notice = {"kind": f.kind, "detail": {**detail, "event_uuid": f.event_uuid,
                                                 "platform_id": detail.get("platform_id", f.subject),
                                                 "stations": stations}}
            self.report.add_notice(notice, event_name=self.event_name(notice))

    def refused(self, batch: Batch, exc: HubRefusal) -> Batch:
        """File the records a refusal names and return the batch without them; re-raise what is not per-record."""
        if exc.error in _AUTH_ERRORS:
            raise exc
        if exc.error == "unknown_event" and batch.kind != "events" and not self.pushed_events_again:
            self.pushed_events_again = True  # an event made after the events were pushed: push events, then retry
            self.push_kind("events")
            return batch
        if batch.kind == "audit" and exc.error in _AUDIT_ERRORS:
            self.file(batch, exc, sync_records.refused_uuids(batch, exc.records))
            raise StationError("sync_audit_refused", error=exc.error)
        named = sync_records.refused_uuids(batch, exc.records)
        if exc.error not in _RECORD_REFUSALS or not named:
            raise exc
        self.file(batch, exc, named)
        return sync_records.drop(batch, {r["uuid"] for r in named})

    def file(self, batch: Batch, exc: HubRefusal, named: list[dict]) -> None:
        for r in named:
            if exc.error == "invalid_request":
                r["reason"] = (r["reason"] or exc.reason)[:500]
        if named:
            sync_records.record_refusals(self.store, batch.kind, named, exc.error, exc.reason)
        for r in named:
            part = sync_records.part_of(batch, r["uuid"])
            self.report.add_refused(part, r["uuid"], exc.error, r["reason"] or exc.reason)
        log.info("sync: the hub refused %d %s (%s)", len(named), batch.kind, exc.error)

    def push_audit(self, hub_head: int) -> None:
        with self.store.session() as s:
            floor = sync_records.enrolled_link(s).audit_synced_seq or 0
        self.push_kind("audit", after=min(floor, hub_head))

    # -- pulling ----------------------------------------------------------------------------------------
    def pull(self) -> None:
        def fetch_page(kind: str, cursor: int, limit: int) -> dict:
            self.check_cancel()
            return self.client.pull(kind, cursor, limit)

        try:
            pulled = sync_pull.pull_all(self.store, self.operator, fetch_page, progress=self.progress,
                                        cancel=self.cancel)
        except StationError as exc:
            self.add_pulled(getattr(exc, "applied", None))  # pages applied before it stay applied
            if self.cancel is not None and self.cancel.is_set() and not isinstance(exc, SyncCancelled):
                raise SyncCancelled() from exc
            raise
        finally:
            self.pulled_flags()
        self.add_pulled(pulled)

    def add_pulled(self, pulled: dict | None) -> None:
        for kind, n in (pulled or {}).items():
            self.report.pulled[kind] = self.report.pulled.get(kind, 0) + int(n)


def _start_run(store: Store, operator: OperatorSession, report: SyncReport) -> int:
    with store.session() as s:
        run = SyncRun(mode="network", operator=operator.name, started_at=report.started_at, outcome="running",
                      report=report.to_json())
        s.add(run)
        row = sync_records.enrolled_link(s)
        row.last_attempt_at = report.started_at
        s.commit()
        return run.id


def _check_station(store: Store, status: dict) -> None:
    here = store.identity.uuid
    if status.get("station_uuid") != here:
        raise StationError("sync_other_station", found=str(status.get("station_uuid"))[:8], here=here[:8])


def run_sync(store: Store, operator: OperatorSession, *, progress: Progress | None = None,
             cancel: threading.Event | None = None, client: HubClient | None = None) -> SyncReport:
    """One sync: push the queue, pull what changed, purge, audit, push the audit log; the report is stored.

    Never raises for network or hub problems: the report's outcome is
    failed (with the message) or cancelled, and what was done stays done.
    Raises StationError only when the station is not enrolled or the
    operator may not sync.
    """
    operator.require("sync")
    _require_link(store)
    report = SyncReport(mode="network", started_at=now_utc())
    run_id = _start_run(store, operator, report)
    own = client is None
    client = client or client_for(store, operator)
    client.cancel = cancel
    run = _Run(store, operator, client, report, progress, cancel)
    try:
        _steps(run)
    except SyncCancelled:
        report.outcome = "cancelled"
        report.error = {"key": "sync_cancelled", "params": {}}
    except HubRefusal as exc:
        report.fail(exc.key, **exc.params)
    except StationError as exc:
        report.fail(exc.key, **exc.params)
    except Exception:  # a bug: the organizer gets a sentence and the log file, the run is still recorded
        from station.store.logs import current_log_file

        log.exception("sync: internal error")
        report.fail("internal_error", log=current_log_file() or "-")
    finally:
        if own:
            client.close()
    return _finish(store, operator, run_id, report)


def _steps(run: _Run) -> None:
    status = run.client.status()
    _check_station(run.store, status)
    for kind in PUSH_ORDER[:-1]:
        run.push_kind(kind)
    run.pull()
    run.check_cancel()
    retention.purge(run.store, run.operator)
    # Audit the run before pushing the log, so this sync's own entry goes with it.
    _audit_run(run.store, run.operator, run.report, "pushed")
    run.push_audit(int(status["audit"]["head_seq"]))


def _audit_run(store: Store, operator: OperatorSession, report: SyncReport, stage: str) -> None:
    pushed = {k: sum(v.values()) for k, v in report.pushed.items() if k != "audit"}
    audit.append(store, "sync", operator=operator.name, target="network",
                 details={"stage": stage, "outcome": report.outcome, "pushed": pushed, "pulled": dict(report.pulled),
                          "refused": len(report.refused), "error": (report.error or {}).get("key")},
                 cipher=operator.cipher)


def _finish(store: Store, operator: OperatorSession, run_id: int, report: SyncReport) -> SyncReport:
    now = now_utc()
    report.finish(now)
    if report.outcome in ("failed", "cancelled"):
        _audit_run(store, operator, report, report.outcome)
    with store.session() as s:
        row = sync_records.link_row(s)
        if row is not None:
            row.last_attempt_at = now
            if report.outcome in ("ok", "attention"):
                row.last_success_at = now
        s.commit()
    save(store, run_id, report)
    log.info("sync %s: pushed %s, pulled %s, refused %d", report.outcome,
             {k: sum(v.values()) for k, v in report.pushed.items()}, report.pulled, len(report.refused))
    return report


def refusal_rows(store: Store, lang: str | None = None) -> list[dict]:
    """Open refusals for the screen and the CLI: kind, uuid, error, the organizer's words, when."""
    return [{"kind": r.kind, "uuid": r.record_uuid, "error": r.error, "reason": refusal_text(r.error, r.reason, lang),
             "hub_reason": r.reason, "first_at": r.first_at.isoformat(timespec="seconds"),
             "last_at": r.last_at.isoformat(timespec="seconds")}
            for r in sync_records.open_refusals(store)]
