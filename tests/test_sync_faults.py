"""Nothing lost, nothing doubled: syncing through a proxy that drops, delays, cuts and duplicates (issue 7).

A station with a few thousand sign-ups, check-ins, draws (one win voided),
posters and audit entries syncs through tests/fault_proxy.py until a run
reports ok.  Then the hub's database and the station must agree exactly:
every record once, with the content the station sent (the hub's own
content hash of the station's record), and nothing left pending.
"""

from __future__ import annotations

import uuid

import pytest
from fault_proxy import FaultProxy
from helpers import sync as F
from helpers.hub import LiveHub, serve
from sqlalchemy import select

from station.draw import service as draw
from station.hub import models as H
from station.hub import pushes, service
from station.hub import schemas as S
from station.hub.app import create_app
from station.security import audit
from station.store.models import AuditEntry
from station.sync import client as sync_client
from station.sync import records as sync_records

MAX_RUNS = 40
_SCHEMAS = {"events": (S.EventIn, H.Event, ()), "registrations": (S.RegistrationIn, H.Registration, ()),
            "checkins": (S.CheckInIn, H.CheckIn, ()), "draws": (S.DrawIn, H.Draw, ()),
            "winners": (S.WinnerIn, H.DrawWinner, pushes.VOID_FIELDS), "posters": (S.PosterIn, H.Poster, ())}


@pytest.fixture(params=["sqlite", "postgresql"])
def live_hub(request, tmp_path):
    if request.param == "sqlite":
        url, size = f"sqlite:///{tmp_path / 'hub.sqlite'}", 3000
    else:
        cluster = request.getfixturevalue("pg_cluster")
        name = "hub_" + uuid.uuid4().hex[:12]
        url, size = cluster.create_database(name), 1500
    app = create_app(url)
    server, thread, base = serve(app)
    yield LiveHub(base, app, server), size
    server.should_exit = True
    thread.join(15)
    app.state.db.dispose()
    if request.param == "postgresql":
        cluster.drop_database(name)


def _expected(store, organizer) -> dict[str, dict[str, str]]:
    """uuid -> the hub's content hash of the record as the station sends it, per kind (everything is pending now)."""
    out: dict[str, dict[str, str]] = {k: {} for k in _SCHEMAS}
    for kind in sync_records.PUSH_ORDER[:-1]:
        body = sync_records.collect(store, organizer, kind, limit=None).body
        parts = {"draws": body["draws"], "winners": body["winners"]} if kind == "draws" else {kind: body["records"]}
        for part, records in parts.items():
            schema, _model, exclude = _SCHEMAS[part]
            for rec in records:
                parsed = schema.model_validate(rec, strict=False)
                out[part][rec["uuid"]] = (pushes.event_hash(parsed) if part == "events"
                                          else service.content_hash(parsed, exclude))
    return out


def _hub_rows(hub: LiveHub, model) -> list[tuple[str, str]]:
    with hub.db.session() as s:
        return list(s.execute(select(model.uuid, model.content_hash)))


def test_hub_and_station_agree_exactly_after_syncing_through_a_faulty_network(store, organizer, live_hub, monkeypatch):
    hub, size = live_hub
    monkeypatch.setattr(sync_records, "BATCH", 60)  # more requests, so more faults, in the same time
    ev = F.add_event(store)
    F.add_signups(store, organizer, ev, size)
    F.add_checkins(store, ev, size // 2)
    results = F.add_draws(store, organizer, ev, draws=4, per_draw=5)
    draw.void_win(store, results[0].winners[0].win_uuid, "未到场", operator=organizer)
    F.add_posters(store, 25)
    F.add_audit(store, organizer, 150)
    sync_client.enroll(store, organizer, hub.base_url, hub.code())  # enrollment itself goes direct
    expected = _expected(store, organizer)

    proxy = FaultProxy(hub.base_url, seed=20261125).start()
    cred = sync_client.credential(store, organizer)
    outcomes = []
    try:
        for _ in range(MAX_RUNS):
            with sync_client.HubClient(proxy.url, cred, timeout=1.0, retries=3, sleep=lambda _d: None) as c:
                report = sync_client.run_sync(store, organizer, client=c)
            outcomes.append(report.outcome)
            if report.outcome == "ok":
                break
            assert report.outcome == "failed" and report.error["key"].startswith("sync_net_"), report.error
    finally:
        proxy.stop()
    assert outcomes[-1] == "ok", outcomes
    dealt = {f for f, n in proxy.seen.items() if n}
    assert {"drop_before", "drop_after", "cut", "duplicate", "error_500", "error_502", "delay"} <= dealt, proxy.seen

    # The station: nothing waits, except entries written after the last audit push (failed runs' own entries
    # went with the final run; the final run's entry went with it too).
    assert sync_records.pending_counts(store) == dict.fromkeys(sync_records.COUNT_KINDS, 0)
    # The hub: every record once, the same content, nothing else.
    for kind, (_schema, model, _ex) in _SCHEMAS.items():
        rows = _hub_rows(hub, model)
        assert len(rows) == len(expected[kind]), kind
        assert dict(rows) == expected[kind], kind
    with hub.db.session() as s:
        voided = s.scalars(select(H.DrawWinner).where(H.DrawWinner.voided_at.is_not(None))).all()
        assert [w.uuid for w in voided] == [results[0].winners[0].win_uuid]
        theirs = list(s.execute(select(H.AuditEntry.seq, H.AuditEntry.hash).order_by(H.AuditEntry.seq)))
    with store.session() as s:
        mine = list(s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq)))
    assert [tuple(r) for r in theirs] == [tuple(r) for r in mine] and len(mine) == audit.count(store)
