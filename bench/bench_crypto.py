"""Benchmark: the cost of encrypting personal data at rest, per roster row, and of the KDF.

    .venv/bin/python bench/bench_crypto.py                 # 1,000,000 rows
    .venv/bin/python bench/bench_crypto.py --rows 200000   # a sample, extrapolated to 1M

Prints, each with its target and, where it has one, a baseline measured in this run:

- field crypto per row, one core: encrypt the ID and the phone (AES-GCM,
  the phone bound to the ID's index) and compute their four blind indexes
  (exact and tail, HMAC-SHA256), batched as the import workers will do it;
  target <= 10 µs/row (1M rows <= 5 s of worker CPU, ~2.5 s wall on 2 cores).
  Baseline: what the import does for these fields today without crypto
  (slice the two tails, build the row tuple);
- the same through FieldCipher.member_columns() one row at a time
  (what sign-up and paper import will call);
- decrypting an ID and a phone (what a search result costs per row);
- SQLite: inserting the encrypted columns with their indexes against the
  plain columns with theirs (bigger rows, 16-byte index keys), same rows;
- the KDF (scrypt at DEFAULT_KDF) that every log-in and unlock pays:
  target 0.2-0.5 s on the reference 2-core machine.

Nothing is written to the repo; the SQLite part uses a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.people.idnumber import check_digit  # noqa: E402
from station.security.fieldcrypt import FieldCipher  # noqa: E402
from station.security.keyslots import DEFAULT_KDF, derive_kek  # noqa: E402

PER_ROW_TARGET_US = 10.0
KDF_TARGET_S = (0.2, 0.5)
BATCH = 10_000  # rows per worker batch, as the import sends them


def make_rows(n: int, seed: int = 1) -> tuple[list[str], list[str | None]]:
    rnd = random.Random(seed)
    ids, phones = [], []
    for _ in range(n):
        first17 = f"4419{rnd.randrange(10**2):02d}{rnd.randrange(1960, 2005)}{rnd.randrange(1, 13):02d}{rnd.randrange(1, 29):02d}{rnd.randrange(1000):03d}"
        ids.append(first17 + check_digit(first17))
        # About one roster row in ten has no usable phone.
        phones.append(None if rnd.random() < 0.1 else f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}")
    return ids, phones


def plain_batches(ids: list[str], phones: list[str | None]) -> list[tuple]:
    out = []
    for i in range(0, len(ids), BATCH):
        out.extend((n, p, n[-4:], p[-4:] if p else None) for n, p in zip(ids[i : i + BATCH], phones[i : i + BATCH]))
    return out


def crypto_batches(cipher: FieldCipher, ids: list[str], phones: list[str | None]) -> list[tuple]:
    """The worker's job for one file: everything the members table needs, computed in bulk."""
    out = []
    for i in range(0, len(ids), BATCH):
        b_ids, b_phones = ids[i : i + BATCH], phones[i : i + BATCH]
        id_bidx = cipher.blind_indexes("id", b_ids)
        id_tail = cipher.blind_indexes("id_tail", [n[-4:] for n in b_ids])
        id_enc = cipher.encrypt_many("members", "id_number", b_ids, binds=id_bidx)
        ph_bidx = cipher.blind_indexes("phone", b_phones)
        ph_tail = cipher.blind_indexes("phone_tail", [p[-4:] if p else None for p in b_phones])
        ph_enc = cipher.encrypt_many("members", "phone", b_phones, binds=id_bidx)
        out.extend(zip(id_enc, id_bidx, id_tail, ph_enc, ph_bidx, ph_tail))
    return out


def timed(fn, *args):
    t0 = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t0


def sqlite_insert(rows: list[tuple], layout: str, folder: Path) -> tuple[float, int]:
    """Seconds to insert `rows` in one transaction, and bytes per the file after a checkpoint.

    layout: "plain" (today's columns), "encrypted" (ciphertexts and four
    blind indexes), "lean" (no exact phone index: a phone is found through
    its tail index and the ~140 candidates per tail are decrypted).
    """
    path = folder / f"{layout}.sqlite"
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    if layout == "plain":
        con.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, id_number TEXT UNIQUE, phone TEXT, id_tail TEXT, phone_tail TEXT)")
        con.execute("CREATE INDEX m_it ON m (id_tail)")
        con.execute("CREATE INDEX m_pt ON m (phone_tail)")
        sql = "INSERT OR IGNORE INTO m (id_number, phone, id_tail, phone_tail) VALUES (?, ?, ?, ?)"
    else:
        con.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, id_enc BLOB, id_bidx BLOB UNIQUE, id_tail BLOB,"
                    " phone_enc BLOB, phone_bidx BLOB, phone_tail BLOB)")
        con.execute("CREATE INDEX m_it ON m (id_tail)")
        con.execute("CREATE INDEX m_pt ON m (phone_tail)")
        if layout == "encrypted":
            con.execute("CREATE INDEX m_pb ON m (phone_bidx)")
        else:
            rows = [r[:4] + (None,) + r[5:] for r in rows]
        sql = "INSERT OR IGNORE INTO m (id_enc, id_bidx, id_tail, phone_enc, phone_bidx, phone_tail) VALUES (?, ?, ?, ?, ?, ?)"
    t0 = time.perf_counter()
    with con:
        con.executemany(sql, rows)
    elapsed = time.perf_counter() - t0
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return elapsed, path.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--db-rows", type=int, default=200_000, help="rows for the SQLite comparison (0: skip)")
    ap.add_argument("--kdf-runs", type=int, default=3)
    args = ap.parse_args()

    n = args.rows
    print(f"generating {n:,} rows ...", flush=True)
    ids, phones = make_rows(n)
    cipher = FieldCipher.generate()

    plain, t_plain = timed(plain_batches, ids, phones)
    enc, t_enc = timed(crypto_batches, cipher, ids, phones)
    per_plain = t_plain / n * 1e6
    per_enc = t_enc / n * 1e6
    scale = 1_000_000 / n

    sample = min(n, 100_000)
    _, t_single = timed(lambda: [cipher.member_columns(i, p) for i, p in zip(ids[:sample], phones[:sample])])
    per_single = t_single / sample * 1e6

    dec_n = min(n, 100_000)
    t0 = time.perf_counter()
    for row in enc[:dec_n]:
        cipher.decrypt("members", "id_number", row[0], row[1])
        if row[3] is not None:
            cipher.decrypt("members", "phone", row[3], row[1])
    per_dec = (time.perf_counter() - t0) / dec_n * 1e6

    print(f"\nfield crypto, batched (import worker), {n:,} rows on one core:")
    print(f"  {per_enc:.2f} µs/row -> {t_enc * scale:.2f} s per 1M rows (target <= {PER_ROW_TARGET_US:.0f} µs/row:"
          f" {'OK' if per_enc <= PER_ROW_TARGET_US else 'MISSED'})")
    print(f"  baseline (no crypto, same fields): {per_plain:.2f} µs/row -> {t_plain * scale:.2f} s per 1M;"
          f" ratio {per_enc / per_plain:.1f}x, extra {per_enc - per_plain:.2f} µs/row")
    print(f"  on 2 import workers: ~{t_enc * scale / 2:.2f} s of wall time per 1M rows added to the check stage")
    print(f"member_columns() one row at a time: {per_single:.2f} µs/row (sign-up, paper import)")
    print(f"decrypt ID + phone: {per_dec:.2f} µs/row (a 50-row search result: {per_dec * 50 / 1000:.2f} ms)")

    if args.db_rows:
        m = min(args.db_rows, n)
        with tempfile.TemporaryDirectory() as tmp:
            t_p, size_p = sqlite_insert(plain[:m], "plain", Path(tmp))
            t_e, size_e = sqlite_insert(enc[:m], "encrypted", Path(tmp))
            t_l, size_l = sqlite_insert(enc[:m], "lean", Path(tmp))
        print(f"\nSQLite insert of {m:,} rows with their indexes (one transaction):")
        print(f"  plain columns: {t_p / m * 1e6:.2f} µs/row, {size_p / m:.0f} bytes/row on disk")
        print(f"  encrypted + 4 blind indexes: {t_e / m * 1e6:.2f} µs/row, {size_e / m:.0f} bytes/row"
              f" (ratio {t_e / t_p:.1f}x time, {size_e / size_p:.1f}x size)")
        print(f"  encrypted, no exact phone index: {t_l / m * 1e6:.2f} µs/row, {size_l / m:.0f} bytes/row"
              f" (ratio {t_l / t_p:.1f}x time, {size_l / size_p:.1f}x size)")

    times = []
    salt = os.urandom(16)
    for _ in range(args.kdf_runs):
        t0 = time.perf_counter()
        derive_kek(b"380517", salt, DEFAULT_KDF)
        times.append(time.perf_counter() - t0)
    kdf = statistics.median(times)
    lo, hi = KDF_TARGET_S
    print(f"\nKDF scrypt n=2^{DEFAULT_KDF.n.bit_length() - 1} r={DEFAULT_KDF.r} p={DEFAULT_KDF.p}"
          f" ({DEFAULT_KDF.memory_mb:.0f} MiB): median {kdf:.3f} s of {args.kdf_runs}"
          f" (target {lo}-{hi} s: {'OK' if lo <= kdf <= hi else 'MISSED'})")
    ok = per_enc <= PER_ROW_TARGET_US and lo <= kdf <= hi
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
