"""Applying pulled roster pages (station/sync/pull.py): 50,000 members in pages of 1,000 by default.

Prints the time per 1,000-item page (mean, p95, max) and items per second,
for new members (an empty station) and for the same members changed again
(every one with a new mobile: look-up, decrypt, re-encrypt, update).  A page
holds the store's write lock while it applies, so its time is also how long
a check-in at the door may wait behind it.

Usage: python bench/bench_sync_pull.py [--rows 50000] [--page 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.demo.data import generate_roster_rows  # noqa: E402
from station.security import keyslots, operators  # noqa: E402
from station.store.database import open_store  # noqa: E402
from station.sync import pull as sync_pull


def roster_items(n: int, phone_suffix: str | None = None) -> list[dict]:
    items = []
    for i, row in enumerate(generate_roster_rows(n, seed=7)):
        phone = row["phone"] if phone_suffix is None else row["phone"][:-4] + phone_suffix
        items.append({"platform_id": i + 1, "id_number": row["id_number"], "name": row["name"], "phone": phone,
                      "enterprise": row["enterprise"], "union": row["union"], "on_roster": True,
                      "card_status": "active"})
    return items


def apply_all(store, op, items: list[dict], page: int, first_seq: int) -> list[float]:
    times = []
    for start in range(0, len(items), page):
        chunk = items[start:start + page]
        page_items = [{"seq": first_seq + start + k, **item} for k, item in enumerate(chunk)]
        t0 = time.perf_counter()
        sync_pull.apply_page(store, op, "roster", page_items, page_items[-1]["seq"])
        times.append(time.perf_counter() - t0)
    return times


def report(label: str, times: list[float], rows: int) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(f"{label}: {len(times)} pages, per page mean {statistics.mean(times) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {max(times) * 1000:.0f} ms; {rows / sum(times):,.0f} items/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--page", type=int, default=1000)
    args = parser.parse_args()
    keyslots.DEFAULT_KDF = keyslots.KdfParams(n=2**10, r=8, p=1)  # log-in cost is not what is measured
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "station", station_name="bench")
        operators.create_first_organizer(store, "陈主席", "长安镇饭堂2026年")
        op = operators.login(store, "陈主席", "长安镇饭堂2026年")
        report("new members", apply_all(store, op, roster_items(args.rows), args.page, 1), args.rows)
        changed = roster_items(args.rows, phone_suffix="0000")
        report("changed members", apply_all(store, op, changed, args.page, args.rows + 1), args.rows)
        store.close()


if __name__ == "__main__":
    main()
