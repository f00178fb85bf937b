"""Benchmark: 50,000 sign-ups pushed to the reference hub on PostgreSQL, over HTTP, in batches.

    .venv/bin/python bench/bench_hub.py                      # a throwaway PostgreSQL (initdb/pg_ctl), fsync on
    .venv/bin/python bench/bench_hub.py --rows 10000 --batch 500
    .venv/bin/python bench/bench_hub.py --url postgresql://user@host/db_prefix   # an existing server

Prints, with the target of issue 7:

- push: the hub served by `station hub serve` in its own process (uvicorn),
  one station client (httpx, keep-alive) pushing the sign-ups in batches
  of --batch as the station's sync will: records per second, end to end
  (JSON, TLS aside, validation, idempotency look-ups, member merge, commit);
- baseline: the hub's own bulk insert of the same rows into the same tables
  on a fresh database in one transaction (members then registrations,
  executemany through SQLAlchemy/psycopg, values prepared beforehand);
  target: push time within 3x of it;
- for reading the gap: the same batches through the hub's push function
  in-process (no HTTP, no JSON), a re-push of one batch (all unchanged),
  and PostgreSQL's COPY of the same rows (the floor below any insert path;
  not the target's baseline).

Every database is fresh; nothing is written to the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import httpx  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from station.hub import pushes, service  # noqa: E402
from station.hub import schemas as S  # noqa: E402
from station.hub.db import open_hub_db  # noqa: E402
from station.hub.models import Event, Member, Registration, Station  # noqa: E402
from station.people.idnumber import check_digit  # noqa: E402

TARGET_RATIO = 3.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def make_signups(n: int, event_uuid: str, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    rows, seen = [], set()
    while len(rows) < n:
        first17 = (f"4419{rnd.randrange(100):02d}{rnd.randrange(1965, 2006)}{rnd.randrange(1, 13):02d}"
                   f"{rnd.randrange(1, 29):02d}{rnd.randrange(1000):03d}")
        if first17 in seen:
            continue
        seen.add(first17)
        rows.append({
            "uuid": str(uuid.UUID(int=rnd.getrandbits(128), version=4)), "event_uuid": event_uuid,
            "created_at": f"2026-11-25T{3 + len(rows) % 6:02d}:{len(rows) % 60:02d}:{rnd.randrange(60):02d}.{rnd.randrange(10**6):06d}Z",
            "name": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else ""),
            "id_number": first17 + check_digit(first17),
            "phone": f"13{rnd.randrange(10**9):09d}",
            "enterprise": f"东莞市第{rnd.randrange(1, 400)}电子有限公司", "union": None,
            "outcome": "roster" if rnd.random() < 0.7 else "new", "consent_version": "1", "source": "booth",
        })
    return rows


EVENT = {"uuid": "6f1d7c0e-5b1a-4c8e-9a55-2f7f5d0b9a01", "kind": "booth", "name": "大朗毛织午间摊位",
         "date": "2026-11-25", "venue": "一号饭堂", "created_at": "2026-11-25T02:00:00Z"}


class Databases:
    """Fresh databases on a throwaway cluster, or on the server at --url."""

    def __init__(self, url: str | None) -> None:
        self.cluster = None
        self.base = url
        if url is None:
            import pg_cluster

            bin_dir = pg_cluster.find_bin_dir()
            if bin_dir is None:
                raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql), or give --url")
            self.cluster = pg_cluster.PgCluster(bin_dir, fsync=True)

    def fresh(self, label: str) -> str:
        name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
        if self.cluster is not None:
            return self.cluster.create_database(name)
        import psycopg

        from station.hub.db import normalize_url

        url = normalize_url(self.base)
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return url.rsplit("/", 1)[0] + "/" + name

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_push(url: str, rows: list[dict], batch: int) -> tuple[float, float]:
    """(seconds to push all rows over HTTP, seconds to re-push one batch)."""
    db = open_hub_db(url)
    with db.session() as s:
        code, _ = service.make_enrollment_code(s, "压测工作站")
        s.commit()
    db.dispose()
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen([sys.executable, "-m", "station", "hub", "serve", "--db", url, "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the hub did not start")
                time.sleep(0.2)
        r = httpx.post(base + "/v1/enroll", json={"code": code, "station_uuid": str(uuid.uuid4()),
                                                  "station_name": "压测工作站"})
        cred = r.json()["credential"]
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {cred}"}, timeout=120) as c:
            assert c.post("/v1/push/events", json={"records": [EVENT]}).json()["ok"] is True
            start = time.perf_counter()
            for i in range(0, len(rows), batch):
                chunk = rows[i:i + batch]
                reply = c.post("/v1/push/registrations", json={"records": chunk})
                body = reply.json()
                if reply.status_code != 200 or body.get("ok") is not True or len(body["accepted"]) != len(chunk):
                    raise SystemExit(f"push refused: {reply.status_code} {reply.text[:300]}")
            elapsed = time.perf_counter() - start
            start = time.perf_counter()
            again = c.post("/v1/push/registrations", json={"records": rows[:batch]}).json()
            repush = time.perf_counter() - start
            assert len(again["unchanged"]) == len(rows[:batch]) and not again["accepted"]
    finally:
        server.terminate()
        server.wait(30)
    db = open_hub_db(url)
    with db.session() as s:
        stored = s.scalar(select(func.count()).select_from(Registration))
        members = s.scalar(select(func.count()).select_from(Member))
    db.dispose()
    assert stored == len(rows) and members == len(rows), (stored, members)
    return elapsed, repush


def bench_in_process(url: str, rows: list[dict], batch: int) -> float:
    """The push function itself, batch by batch, one transaction each (validation included, no HTTP/JSON)."""
    db = open_hub_db(url)
    with db.session() as s:
        code, _ = service.make_enrollment_code(s, "x")
        station, _secret = service.enroll(s, S.EnrollIn(code=code, station_uuid=str(uuid.uuid4()), station_name="x"))
        pushes.push_events(s, station, S.EventBatch.model_validate({"records": [EVENT]}))
        s.commit()
        station_id = station.id
    start = time.perf_counter()
    for i in range(0, len(rows), batch):
        with db.session() as s:
            st = s.get(Station, station_id)
            pushes.push_registrations(s, st, S.RegistrationBatch.model_validate({"records": rows[i:i + batch]}))
            s.commit()
    elapsed = time.perf_counter() - start
    db.dispose()
    return elapsed


def bench_bulk(url: str, rows: list[dict]) -> float:
    """The hub's bulk insert of the same rows: members, then registrations, one transaction."""
    db = open_hub_db(url)
    with db.session() as s:
        s.add(Event(uuid=EVENT["uuid"], origin="station", kind="booth", name=EVENT["name"],
                    date=S._day(EVENT["date"]), venue=EVENT["venue"]))
        s.add(Station(uuid=str(uuid.uuid4()), name="bulk", credential_hash="0" * 64))
        s.commit()
        event_id = s.scalar(select(Event.id))
        station_id = s.scalar(select(Station.id))
    now = service.now_utc()
    member_rows = [{"id_number": r["id_number"], "name": r["name"], "phone": r["phone"], "on_roster": False,
                    "card_status": "active", "created_at": now, "updated_at": now} for r in rows]
    reg_rows = [{"uuid": r["uuid"], "station_id": station_id, "event_id": event_id, "name": r["name"],
                 "phone": r["phone"], "enterprise": r["enterprise"], "union": r["union"], "outcome": r["outcome"],
                 "consent_version": r["consent_version"], "source": r["source"], "poster_code": None,
                 "created_at": S._timestamp(r["created_at"]), "received_at": now, "content_hash": "0" * 64}
                for r in rows]
    start = time.perf_counter()
    with db.session() as s:
        ids = dict(s.execute(insert(Member).returning(Member.id_number, Member.id), member_rows).all())
        for row, r in zip(reg_rows, rows):
            row["member_id"] = ids[r["id_number"]]
        s.execute(insert(Registration), reg_rows)
        s.commit()
    elapsed = time.perf_counter() - start
    db.dispose()
    return elapsed


def bench_copy(url: str, rows: list[dict]) -> float:
    """For reference only: PostgreSQL's fastest path, COPY, of the same rows into the same tables."""
    import psycopg

    db = open_hub_db(url)
    with db.session() as s:
        s.add(Event(uuid=EVENT["uuid"], origin="station", kind="booth", name=EVENT["name"],
                    date=S._day(EVENT["date"]), venue=EVENT["venue"]))
        s.add(Station(uuid=str(uuid.uuid4()), name="copy", credential_hash="1" * 64))
        s.commit()
        event_id, station_id = s.scalar(select(Event.id)), s.scalar(select(Station.id))
    db.dispose()
    now = service.now_utc()
    start = time.perf_counter()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con, con.cursor() as cur:
        with cur.copy("COPY hub_members (id_number, name, phone, on_roster, card_status, created_at, updated_at) "
                      "FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r["id_number"], r["name"], r["phone"], False, "active", now, now))
        ids = dict(cur.execute("SELECT id_number, id FROM hub_members").fetchall())
        with cur.copy("COPY hub_registrations (uuid, station_id, member_id, event_id, name, phone, enterprise, \"union\", "
                      "outcome, consent_version, source, created_at, received_at, content_hash) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r["uuid"], station_id, ids[r["id_number"]], event_id, r["name"], r["phone"],
                                r["enterprise"], r["union"], r["outcome"], r["consent_version"], r["source"],
                                S._timestamp(r["created_at"]), now, "0" * 64))
        con.commit()
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--batch", type=int, default=S.MAX_BATCH)
    ap.add_argument("--url", help="an existing PostgreSQL server (a database is created per measurement)")
    args = ap.parse_args()
    rows = make_signups(args.rows, EVENT["uuid"])
    size = len(json.dumps({"records": rows[:args.batch]}, ensure_ascii=False).encode())
    print(f"hub bench: {args.rows:,} sign-ups in batches of {args.batch} ({size / 1e6:.2f} MB a batch), PostgreSQL")
    dbs = Databases(args.url)
    try:
        bulk = bench_bulk(dbs.fresh("bulk"), rows)
        push, repush = bench_push(dbs.fresh("push"), rows, args.batch)
        inproc = bench_in_process(dbs.fresh("inproc"), rows, args.batch)
        copy = bench_copy(dbs.fresh("copy"), rows)
    finally:
        dbs.close()
    n = len(rows)
    ratio = push / bulk
    print(f"  push over HTTP:        {push:7.2f} s  {n / push:9,.0f} records/s   (re-push of one batch, all unchanged: {repush * 1000:.0f} ms)")
    print(f"  push function in-process (no HTTP/JSON): {inproc:7.2f} s  {n / inproc:9,.0f} records/s")
    print(f"  baseline bulk insert:  {bulk:7.2f} s  {n / bulk:9,.0f} records/s")
    print(f"  (for reference: COPY of the same rows, PostgreSQL's fastest path: {copy:.2f} s, {n / copy:,.0f} records/s;"
          f" push / COPY {push / copy:.1f}x)")
    verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"  ratio push / bulk insert: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x) {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
