"""The reference hub's HTTP face: FastAPI over station/hub/service.py, pushes.py and audit_push.py.

``create_app(db_url)`` gives the ASGI app; ``station hub serve`` runs it
with uvicorn.  Every reply, success or refusal, is JSON with the envelope
``{"ok": …, "protocol": 1, …}`` and the header ``X-YGH-Protocol: 1``, so a
station can tell the hub's answer from a captive portal's HTML page, a
proxy's error page or a body cut short (docs/sync-protocol.md).

Order of checks for /v1/* (in the ASGI middleware, before any parsing):
the declared body size (413), the credential (401/403, except /v1/enroll),
then the body is read and counted (413) and its content type checked (415).  Then the body is validated by the pydantic models
(422 with the fields at fault, never echoing the values), then the rules
(403 another station's record, 409 a changed record, 422 an unknown
reference).  A refused request changes nothing.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any, Literal

import anyio
from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from station.hub import audit_push, live, pushes, service
from station.hub import schemas as S
from station.hub.db import HubDb, open_hub_db
from station.hub.models import Station
from station.hub.service import HubError

log = logging.getLogger("station.hub")

MAX_BODY = 8 * 1024 * 1024  # bytes; a 1,000-sign-up batch is about 0.4 MB
PROTOCOL_HEADER = "x-ygh-protocol"
_OPEN_PATHS = ("/v1/enroll",)
_WRITE_RETRIES = 3


def _envelope(status: int, body: dict) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={PROTOCOL_HEADER: str(S.PROTOCOL)})


def _error(status: int, error: str, reason: str, records: list | None = None) -> JSONResponse:
    return _envelope(status, HubError(status, error, reason, records).body())


class _Guard:
    """Pure ASGI middleware: size limit, content type and credential, before FastAPI sees the request."""

    def __init__(self, app, db: HubDb, max_body: int) -> None:
        self.app, self.db, self.max_body = app, db, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        outcome = await self._check(scope, receive, headers)
        if isinstance(outcome, JSONResponse):
            await outcome(scope, receive, send)
            return
        if outcome is None:  # the client went away
            return
        body = outcome
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _check(self, scope, receive, headers: dict) -> JSONResponse | bytes | None:
        """A refusal, or the body (b"" for a GET), or None when the client disconnected.

        Cheapest first: the declared size, then the credential (one indexed
        look-up), and only then the body is read (and counted: a chunked body
        has no declared size)."""
        too_large = _error(413, "too_large", f"The body is larger than {self.max_body} bytes; send smaller batches.")
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return too_large
        if scope["path"] not in _OPEN_PATHS:
            try:
                station_id = await anyio.to_thread.run_sync(self._authenticate, headers.get("authorization"))
            except HubError as exc:
                return _envelope(exc.status, exc.body())
            scope.setdefault("state", {})["station_id"] = station_id
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            return b""
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return too_large
            chunks.append(chunk)
            more = message.get("more_body", False)
        if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return _error(415, "not_json", "Send the body as application/json.")
        return b"".join(chunks)

    def _authenticate(self, authorization: str | None) -> int:
        with self.db.session() as s:
            return service.authenticate(s, authorization).id


def _station(s: Session, request: Request) -> Station:
    station = s.get(Station, request.state.station_id)
    assert station is not None, "the guard authenticated this station a moment ago"
    return station


def _status(s: Session, station: Station) -> dict:
    return {**service.status(s, station), "live": True, "stations_live": live.stations_live(s, station)}


def _clean_errors(errors) -> list[dict]:
    """Validation errors without the offending values (they may be huge, hostile or personal)."""
    out = []
    for e in list(errors)[:50]:
        loc = [str(p) for p in e.get("loc", ()) if p != "body"]
        item = {"field": ".".join(loc), "reason": str(e.get("msg", ""))[:200], "type": str(e.get("type", ""))}
        out.append(item)
    return out


def create_app(db_url: str | HubDb, *, max_body: int = MAX_BODY) -> FastAPI:
    """The hub as an ASGI app on the database at ``db_url`` (a path, sqlite:// or postgresql:// URL)."""
    db = db_url if isinstance(db_url, HubDb) else open_hub_db(db_url)
    app = FastAPI(
        title="粤工惠 reference hub",
        version=f"protocol {S.PROTOCOL}",
        description="Day-end sync for 粤工惠 field stations. The contract is docs/sync-protocol.md; "
        "authenticate with 'Authorization: Bearer <station credential>' (see POST /v1/enroll).",
        docs_url=None, redoc_url=None,
    )
    app.state.db = db
    app.state.writes = 0

    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError):
        return _envelope(exc.status, exc.body())

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError):
        errors = _clean_errors(exc.errors())
        kind = "not_json" if any(e["type"] == "json_invalid" for e in errors) else "invalid_request"
        reason = "The body is not valid JSON." if kind == "not_json" else "The request does not match the protocol."
        return _error(422, kind, reason, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, "http_" + str(exc.status_code), str(exc.detail))

    @app.exception_handler(Exception)
    async def _crash(_request: Request, exc: Exception):
        log.exception("hub: internal error")
        return _error(500, "internal", "The hub failed on this request; nothing was stored. Try again later.")

    def write(request: Request, fn, payload):
        """Run one push in one transaction; a unique-key race with a parallel request is retried."""
        for attempt in range(_WRITE_RETRIES):
            with db.session() as s:
                try:
                    station = _station(s, request)
                    reply = fn(s, station, payload)
                    station.last_push_at = service.now_utc()
                    s.commit()
                    app.state.writes += 1  # wakes the long polls of this process (GET /v1/wait)
                    return _envelope(200, reply)
                except (IntegrityError, OperationalError) as exc:
                    s.rollback()
                    log.info("hub: write retried after %s", type(exc).__name__)
                    if attempt == _WRITE_RETRIES - 1:
                        raise HubError(503, "busy", "The hub is busy with the same records; retry the batch.") from exc
        raise AssertionError("unreachable")

    def read(request: Request, fn, *args):
        with db.session() as s:
            return _envelope(200, fn(s, _station(s, request), *args))

    errors: dict[int | str, dict[str, Any]] = {
        401: {"model": S.ErrorReply, "description": "no or unknown credential"},
        403: {"model": S.ErrorReply, "description": "another station's record, or a revoked station"},
        409: {"model": S.ErrorReply, "description": "a record the hub has with other content"},
        413: {"model": S.ErrorReply}, 415: {"model": S.ErrorReply},
        422: {"model": S.ErrorReply, "description": "the body breaks the protocol; `records` names the fields"},
    }
    push: dict[int | str, dict[str, Any]] = {200: {"model": S.PushReply}, **errors}

    @app.post("/v1/enroll", response_model=None,
              responses={200: {"model": S.EnrollReply}, 403: {"model": S.ErrorReply}, 409: {"model": S.ErrorReply},
                         422: {"model": S.ErrorReply}}, tags=["enrollment"])
    def enroll(req: S.EnrollIn):
        """Spend a one-time code: the reply carries the station's credential, shown this once."""
        with db.session() as s:
            station, secret = service.enroll(s, req)
            reply = {"ok": True, "protocol": S.PROTOCOL, "station_uuid": station.uuid, "station_name": station.name,
                     "credential": secret, "hub_bundle_key": service.hub_bundle_key(s)}
            s.commit()
            return _envelope(200, reply)

    @app.get("/v1/status", response_model=None, responses={200: {"model": S.StatusReply}, **errors}, tags=["status"])
    def status(request: Request):
        """Who the credential is, the hub's change counter, the audit head and anchor the hub holds."""
        return read(request, _status)

    @app.post("/v1/push/events", tags=["push"], response_model=None, responses=push)
    def push_events(request: Request, batch: S.EventBatch):
        """Events made on the station (booths, local screenings); push before what refers to them."""
        return write(request, pushes.push_events, batch)

    @app.post("/v1/push/registrations", tags=["push"], response_model=None, responses=push)
    def push_registrations(request: Request, batch: S.RegistrationBatch):
        """Sign-ups.  The same ID number from any station links to one member (notices: same_person)."""
        return write(request, pushes.push_registrations, batch)

    @app.post("/v1/push/checkins", tags=["push"], response_model=None, responses=push)
    def push_checkins(request: Request, batch: S.CheckInBatch):
        """E-card checks.  One card admitted beyond the event's limit at two stations raises double_admission."""
        return write(request, pushes.push_checkins, batch)

    @app.post("/v1/push/draws", tags=["push"], response_model=None, responses=push)
    def push_draws(request: Request, batch: S.DrawBatch):
        """Prize draws and their winners; a winner's void may arrive later (reported as updated)."""
        return write(request, pushes.push_draws, batch)

    @app.post("/v1/push/posters", tags=["push"], response_model=None, responses=push)
    def push_posters(request: Request, batch: S.PosterBatch):
        """The poster register: which QR code hangs where."""
        return write(request, pushes.push_posters, batch)

    @app.post("/v1/push/audit", tags=["push"], response_model=None,
              responses={200: {"model": S.AuditReply}, **errors})
    def push_audit(request: Request, batch: S.AuditBatch):
        """The station's hash-chained audit log, in order, with its keyed anchor's seq and hash."""
        return write(request, audit_push.push_audit, batch)

    @app.get("/v1/pull/{kind}", tags=["pull"], response_model=None,
             responses={200: {"model": S.PullReply}, 404: {"model": S.ErrorReply}, **errors})
    def pull(
        request: Request,
        kind: Annotated[Literal["roster", "verification", "revocations", "events", "keys", "flags", "checkins",
                                "registrations"], Path()],
        cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=service.MAX_PULL)] = service.DEFAULT_PULL,
        scope: Annotated[Literal["hub", "all"], Query()] = "hub",
    ):
        """Everything of one kind that changed after ``cursor``, oldest first; repeat with next_cursor while more.

        Live sync: ``checkins`` and ``registrations`` are the other stations' records; ``events`` with
        ``scope=all`` adds the events other stations made to the hub's own."""
        if kind in live.LIVE_KINDS:
            return read(request, live.pull, kind, cursor, limit)
        if kind == "events" and scope == "all":
            return read(request, live.pull_events, cursor, limit)
        return read(request, service.pull, kind, cursor, limit)

    @app.get("/v1/wait", tags=["pull"], response_model=None,
             responses={200: {"model": S.WaitReply}, **errors})
    async def wait(
        request: Request,
        cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
        timeout: Annotated[float, Query(ge=0, le=live.MAX_WAIT)] = live.DEFAULT_WAIT,
    ):
        """A long poll: replies as soon as the hub's change counter passes ``cursor``, or after ``timeout`` s.

        Pushes handled by this process wake it at once; another worker's within a second (the
        database is read again every second)."""
        station_id = request.state.station_id

        def look(touch: bool) -> dict:
            with db.session() as s:
                station = s.get(Station, station_id)
                assert station is not None
                if touch:
                    live.touch(s, station)
                    s.commit()
                return live.wait_reply(s, station, cursor)

        reply = await anyio.to_thread.run_sync(look, True)
        deadline = anyio.current_time() + timeout
        last_look = anyio.current_time()
        writes = app.state.writes
        while not reply["changed"] and anyio.current_time() < deadline:
            await anyio.sleep(min(0.05, max(0.0, deadline - anyio.current_time())))
            if app.state.writes != writes or anyio.current_time() - last_look >= 1.0:
                writes, last_look = app.state.writes, anyio.current_time()
                reply = await anyio.to_thread.run_sync(look, False)
        if not reply["changed"]:
            reply = await anyio.to_thread.run_sync(look, False)
        return _envelope(200, reply)

    app.add_middleware(_Guard, db=db, max_body=max_body)
    return app


def openapi_json(app: FastAPI) -> str:
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2)
