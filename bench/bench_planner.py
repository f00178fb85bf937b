"""The planner's one aggregate query (station/reports/planner.py) on a town-sized roster.

Builds a store of generated members (station.demo.data, 1,000,000 by default;
written straight into SQLite, not through the importer, to save minutes), with
a synced verification status for 60% of them and 2,000 sign-ups, then times
enterprise_table() + plan().  Target: < 3 s (the organizer waits for it once
at day's end); baseline: a bare COUNT(*) GROUP BY enterprise_id on the same file.

Usage: python bench/bench_planner.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.demo.data import generate_roster_rows  # noqa: E402
from station.reports.planner import enterprise_table, plan  # noqa: E402
from station.store.database import open_store  # noqa: E402


def build_store(data_dir: Path, rows: int) -> None:
    if (data_dir / "station.sqlite").exists():
        return
    open_store(data_dir).close()
    db = sqlite3.connect(data_dir / "station.sqlite")
    db.execute("PRAGMA synchronous=OFF")
    rng = random.Random(3)
    unions: dict[str, int] = {}
    firms: dict[str, int] = {}
    t0 = time.perf_counter()

    def members():
        for i, r in enumerate(generate_roster_rows(rows, seed=1)):
            uid = unions.get(r["union"])
            if uid is None:
                uid = unions[r["union"]] = db.execute("INSERT INTO unions (name, created_at) VALUES (?, '2026-01-01')", (r["union"],)).lastrowid
            eid = firms.get(r["enterprise"])
            if eid is None:
                eid = firms[r["enterprise"]] = db.execute(
                    "INSERT INTO enterprises (name, union_id, created_at) VALUES (?, ?, '2026-01-01')", (r["enterprise"], uid)
                ).lastrowid
            roll = rng.random()
            verified = 1 if roll < 0.45 else (0 if roll < 0.6 else None)
            yield (r["id_number"], r["name"], "", r["phone"], r["id_number"][-4:], r["phone"][-4:], eid, uid, 1, verified)

    db.executemany(
        "INSERT INTO members (id_number, name, initials, phone, id_tail, phone_tail, enterprise_id, union_id,"
        " on_roster, verified, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?, '2026-01-01', '2026-01-01')",
        members(),
    )
    event = db.execute("INSERT INTO events (uuid, kind, name, date, venue, created_at) VALUES ('e', 'booth', 'b', '2026-11-25', 'v', '2026-11-25')").lastrowid
    for n, mid in enumerate(rng.sample(range(1, rows + 1), 2000)):
        db.execute(
            "INSERT INTO registrations (uuid, member_id, event_id, name, phone, phone_tail, outcome, consent_version,"
            " source, station_uuid, station_name, created_at) VALUES (?, ?, ?, 'x', '', '', 'roster', 'v1', 'booth', 's', 's', '2026-11-25 04:00')",
            (f"r{n}", mid, event),
        )
    db.commit()
    db.execute("ANALYZE")
    db.close()
    print(f"built {rows:,} members, {len(firms)} enterprises in {time.perf_counter() - t0:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="reuse/keep the built store in this folder")
    args = ap.parse_args()
    tmp = None
    if args.keep:
        data_dir = args.keep
        data_dir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        data_dir = Path(tmp.name)
    build_store(data_dir, args.rows)

    raw = sqlite3.connect(data_dir / "station.sqlite")
    t0 = time.perf_counter()
    raw.execute("SELECT enterprise_id, COUNT(*) FROM members GROUP BY enterprise_id").fetchall()
    baseline = time.perf_counter() - t0
    raw.close()

    store = open_store(data_dir, integrity="none")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        table = enterprise_table(store)
        picked = plan(table, 10)
        times.append(time.perf_counter() - t0)
    store.close()
    best = min(times)
    print(f"planner on {args.rows:,} members / {len(table)} enterprises: best {best:.2f} s of 3"
          f" (worst {max(times):.2f} s); target < 3 s; baseline COUNT GROUP BY {baseline:.2f} s (x{best / baseline:.1f})")
    print("top 3:", [(e.enterprise, e.reachable) for e in picked[:3]])
    if tmp:
        tmp.cleanup()
    return 0 if best < 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
