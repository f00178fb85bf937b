"""Publishing a staged roster into the store, in short transactions.

The side database (station/roster/staging.py) holds the whole file,
checked and encrypted.  Publishing moves it into ``members`` without ever
holding SQLite's write lock for more than a fraction of a second, so a
sign-up, a door check or a log-in in another process commits in between:

1. ``begin``: the batch row, with the first step's counts, the side
   database's path and a heartbeat, committed: from here on the batch is
   finished even after a crash or power cut (``resume``).
2. ``resolve_orgs``: enterprises and unions found or made by clean name,
   one short transaction.
3. The members table's secondary indexes are dropped when the file brings
   many new people (``plan_indexes``): a big first import costs a sort per
   index afterwards instead of a random insert per index per row.
4. ``publish_rows``: an upsert per slice of the staged rows (a range of
   the ID's blind index: one ``INSERT … SELECT`` in C, no Python per row),
   each slice a transaction sized to hold the lock about 0.15 s, then a
   pause for whoever waits.  Each part is read through its own ID index, so
   a slice arrives as one sorted run per part and touches each page of the
   members' ID index once per run.  A person whose roster digest is unchanged is not
   rewritten at all: a re-import of the same roster writes almost nothing.
5. ``rebuild_indexes``: each dropped index built again, one transaction
   each.
6. ``finish``: the batch's counts and the audit entry, one transaction.

Every step can run twice: ``resume`` simply runs them again.  What a
booth sees while a big file publishes is the roster filling in; nothing it
writes is lost or overwritten, because a person it signed up meanwhile is
matched by the upsert like anyone already in the store.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from station.roster.staging import part_names, remove_all, unpacked
from station.store.models import IMPORT_STALE_S

log = logging.getLogger(__name__)

TARGET_HOLD_S = 0.15  # how long one slice may hold the write lock
PAUSE_S = 0.02  # between slices, for the booth's writes waiting on the lock
FIRST_SLICE_ROWS = 5000
STALE_S = IMPORT_STALE_S  # a batch without a heartbeat for this long was left by a dead process
REBUILD_MIN_NEW = 50_000  # see plan_indexes
_LOCK_WAIT_S = 60.0  # a booth transaction never takes this long; past it the store is stuck
_PREFIX = 1 << 32  # slices are ranges of the first 4 bytes of the (uniformly random) ID index

# A person is their ID's blind index.  An update keeps the stored ID
# ciphertext (same number, same index) and a known mobile, enterprise and
# union when the file has none; a person the roster says nothing new about
# (same digest, already on the roster) is left alone.
_UPSERT = """
INSERT INTO main.members (id_enc, id_bidx, id_tail_bidx, name, initials, phone_enc, phone_tail_bidx,
                          enterprise_id, union_id, on_roster, last_import_id, roster_digest, created_at, updated_at)
SELECT s.id_enc, s.id_bidx, s.id_tail, s.name, s.initials, s.phone_enc, s.phone_tail,
       p.enterprise_id, p.union_id, 1, {batch}, s.digest, '{now}', '{now}'
FROM (SELECT id_bidx, name, initials, pair, {unpacked} FROM ({parts}) AS s) AS s
LEFT JOIN temp.pair_ids AS p ON p.pair = s.pair
WHERE true
ON CONFLICT (id_bidx) DO UPDATE SET
    id_enc = COALESCE(members.id_enc, excluded.id_enc),
    name = excluded.name,
    initials = excluded.initials,
    phone_enc = COALESCE(excluded.phone_enc, members.phone_enc),
    phone_tail_bidx = COALESCE(excluded.phone_tail_bidx, members.phone_tail_bidx),
    enterprise_id = COALESCE(excluded.enterprise_id, members.enterprise_id),
    union_id = COALESCE(excluded.union_id, members.union_id),
    on_roster = 1,
    last_import_id = excluded.last_import_id,
    roster_digest = excluded.roster_digest,
    updated_at = excluded.updated_at
WHERE members.roster_digest IS NOT excluded.roster_digest OR members.on_roster IS NOT 1
"""


def timestamp(moment: dt.datetime) -> str:
    # The format SQLAlchemy's SQLite DateTime type writes and reads back.
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def now_text() -> str:
    from station.store.clock import now_utc

    return timestamp(now_utc())


def write(con: sqlite3.Connection, work: Callable[[sqlite3.Cursor], Any]) -> Any:
    """`work` in one BEGIN IMMEDIATE … COMMIT, waiting for the lock if a booth write holds it."""
    deadline = time.monotonic() + _LOCK_WAIT_S
    while True:
        try:
            con.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    try:
        out = work(con.cursor())
        con.execute("COMMIT")
        return out
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise


def attach(con: sqlite3.Connection, stage_file: Path) -> int:
    """The stage as `stage` and its parts as p0, p1, …: how many parts."""
    con.execute("ATTACH DATABASE ? AS stage", (stage_file.as_posix(),))
    names = part_names(con)
    for i, name in enumerate(names):
        con.execute("ATTACH DATABASE ? AS ?", (stage_file.with_name(name).as_posix(), f"p{i}"))
    return len(names)


def detach(con: sqlite3.Connection, parts: int) -> None:
    try:
        for i in range(parts):
            con.execute(f"DETACH DATABASE p{i}")
        con.execute("DETACH DATABASE stage")
    except sqlite3.Error:
        log.warning("detaching the import's side databases failed", exc_info=True)


def _parts_union(parts: int) -> str:
    """The parts' rows in one slice's range of IDs (?1 to ?2)."""
    where = "WHERE id_bidx >= ?1 AND id_bidx < ?2"
    return " UNION ALL ".join(f"SELECT * FROM p{i}.sorted {where}" for i in range(parts)) or (
        "SELECT NULL AS pos, NULL AS id_bidx, NULL AS packed, NULL AS name, NULL AS initials, NULL AS pair WHERE false"
    )


# -- 1. the batch row -------------------------------------------------------------------------------


def begin(con: sqlite3.Connection, batch_uuid: str, file_name: str, sha256: str, started_at: str,
          stage_file: Path, counts: dict, report_path: str | None) -> int:  # fmt: skip
    """The batch row, committed: the publish is under way and will be finished, whatever happens."""

    def insert(cur: sqlite3.Cursor) -> int:
        cur.execute(
            "INSERT INTO import_batches (uuid, kind, file_name, file_sha256, started_at, rows_read, rows_inserted,"
            " rows_updated, rows_rejected, rows_duplicate, rows_warned, report_path, staging_file, heartbeat_at)"
            " VALUES (?, 'roster', ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)",
            (batch_uuid, file_name, sha256, started_at, counts["rows_read"], counts["rejected"],
             counts["duplicates"], counts["warnings"], report_path, str(stage_file), now_text()),
        )  # fmt: skip
        batch_id = cur.lastrowid
        assert batch_id is not None  # an INSERT always sets it
        return batch_id

    return write(con, insert)


# -- 2. enterprises and unions ----------------------------------------------------------------------


def resolve_orgs(con: sqlite3.Connection, now: str) -> None:
    """temp.pair_ids: each staged (enterprise, union) pair's ids, the organisations made where new.

    An enterprise takes the first union named with it if it has none; a
    row naming an enterprise but no union gets the enterprise's union.
    """
    from station.people.textnorm import clean_org_name

    con.execute("CREATE TEMP TABLE IF NOT EXISTS pair_ids (pair INTEGER PRIMARY KEY, enterprise_id, union_id)")
    con.execute("DELETE FROM temp.pair_ids")
    pairs = con.execute("SELECT pair, enterprise, union_name FROM stage.pairs ORDER BY seen, rowid").fetchall()
    if not pairs:
        return

    def work(cur: sqlite3.Cursor) -> None:
        unions: dict[str, int] = {}
        for uid, name in cur.execute("SELECT id, name FROM unions").fetchall():
            unions.setdefault(clean_org_name(name), uid)
        ents: dict[str, list] = {}
        for eid, name, uid in cur.execute("SELECT id, name, union_id FROM enterprises").fetchall():
            ents.setdefault(clean_org_name(name), [eid, uid])

        def union_id(name: str | None) -> int | None:
            if name is None:
                return None
            if name not in unions:
                cur.execute("INSERT INTO unions (name, created_at) VALUES (?, ?)", (name, now))
                unions[name] = cur.lastrowid  # type: ignore[assignment]  # set by the INSERT
            return unions[name]

        resolved = []
        for pair, ent_name, union_name in pairs:
            uid = union_id(union_name)
            ent = None
            if ent_name is not None:
                ent = ents.get(ent_name)
                if ent is None:
                    cur.execute(
                        "INSERT INTO enterprises (name, union_id, created_at) VALUES (?, ?, ?)", (ent_name, uid, now)
                    )
                    ent = ents[ent_name] = [cur.lastrowid, uid]
                elif ent[1] is None and uid is not None:
                    cur.execute("UPDATE enterprises SET union_id = ? WHERE id = ?", (uid, ent[0]))
                    ent[1] = uid
            resolved.append((pair, ent))
        cur.executemany(
            "INSERT INTO temp.pair_ids (pair, enterprise_id, union_id) VALUES (?, ?, ?)",
            [
                (pair, ent[0] if ent else None, unions.get(p[2]) if p[2] is not None else (ent[1] if ent else None))
                for (pair, ent), p in zip(resolved, pairs, strict=True)
            ],
        )

    write(con, work)


# -- 3. and 5. the secondary indexes ----------------------------------------------------------------


def plan_indexes(con: sqlite3.Connection, staged: int, parts: int) -> list[tuple[str, str]]:
    """Drop the members indexes a file of many new people would slow down: [(name, SQL)] to build again.

    Keeping an index costs a random insert per new row, and each slice's
    commit then writes most of the index's pages again; building it after
    costs one sort of the table (about 0.4 s per index per million rows).
    The unique ID index stays (the upsert needs it, and slices fill it in
    order).  The new people are estimated from a sample of the staged rows.
    """
    existing = con.execute("SELECT count(*) FROM main.members").fetchone()[0]
    new = estimate_new(con, staged, parts)
    if new < REBUILD_MIN_NEW or new < existing // 4:
        return []
    query = (
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'members'"
        " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'"
    )
    dropped = con.execute(query).fetchall()

    def drop(cur: sqlite3.Cursor) -> None:
        for name, _sql in dropped:
            cur.execute(f'DROP INDEX main."{name}"')

    write(con, drop)
    return dropped


def estimate_new(con: sqlite3.Connection, staged: int, parts: int, sample: int = 2000) -> int:
    """About how many staged people the store does not have yet (from a sample of the first part)."""
    if staged == 0 or parts == 0:
        return 0
    top = con.execute("SELECT max(rowid) FROM p0.staged").fetchone()[0] or 0
    picks = random.Random(top).sample(range(1, top + 1), min(sample, top))
    found = new = 0
    for rowid in picks:
        row = con.execute(
            "SELECT EXISTS (SELECT 1 FROM main.members m WHERE m.id_bidx = s.id_bidx) FROM p0.staged s"
            " WHERE s.rowid = ?",
            (rowid,),
        ).fetchone()
        if row is None:
            continue
        found += 1
        new += not row[0]
    return int(staged * new / found) if found else 0


def rebuild_indexes(con: sqlite3.Connection, dropped: list[tuple[str, str]], heartbeat: Callable[[], None]) -> None:
    """Each dropped index built again, a transaction each (a sort: a fraction of a second per million rows)."""
    # A small page cache makes SQLite sort in runs it merges with helper
    # threads, through temporary files: measured 0.46 s an index over a
    # million rows, against 1.0 s with a big cache and 1.3 s with the runs
    # kept in memory (temp_store = MEMORY).
    con.execute("PRAGMA cache_size = -2000")
    con.execute("PRAGMA threads = 2")
    con.execute("PRAGMA temp_store = DEFAULT")
    for name, sql in dropped:
        exists = con.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'index' AND name = ?", (name,)).fetchone()
        if exists:
            continue
        statement = sql.replace("CREATE INDEX ", "CREATE INDEX main.", 1)

        def build(cur: sqlite3.Cursor, statement: str = statement) -> None:
            cur.execute(statement)

        write(con, build)
        heartbeat()
        time.sleep(PAUSE_S)  # as between slices: whoever waited on the lock goes first


def missing_member_indexes(con: sqlite3.Connection) -> list[tuple[str, str]]:
    """The members indexes the models declare that the store lacks (after a crash mid-publish)."""
    from sqlalchemy import Table
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex

    from station.store.models import Member

    have = {r[0] for r in con.execute("SELECT name FROM main.sqlite_master WHERE type = 'index'")}
    out = []
    table = Member.__table__
    assert isinstance(table, Table)
    for index in table.indexes:
        if index.name not in have and not index.unique:
            out.append((str(index.name), str(CreateIndex(index).compile(dialect=sqlite.dialect()))))
    return out


# -- 4. the rows ------------------------------------------------------------------------------------


def publish_rows(
    con: sqlite3.Connection, batch_id: int, now: str, staged: int, parts: int, progress: Callable[[int], None]
) -> None:
    """Every staged row upserted, a slice per transaction; the batch's inserted and rewritten counts kept with each slice.

    A slice published again (the resume after a crash) finds its rows in and unchanged: they count
    neither as inserted nor as rewritten a second time.
    """
    statement = _UPSERT.format(batch=int(batch_id), now=now, parts=_parts_union(parts), unpacked=unpacked())
    low = 0
    rows = FIRST_SLICE_ROWS
    done = 0
    while low < _PREFIX:
        width = max(1, int(_PREFIX * rows / max(staged, 1)))
        high = min(_PREFIX, low + width)
        lo_key = low.to_bytes(4, "big")
        hi_key = high.to_bytes(4, "big") if high < _PREFIX else b"\xff" * 17  # above every 16-byte index

        def work(cur: sqlite3.Cursor, lo_key: bytes = lo_key, hi_key: bytes = hi_key) -> int:
            before = cur.execute("SELECT max(rowid) FROM main.members").fetchone()[0] or 0
            cur.execute(statement, (lo_key, hi_key))
            written = cur.execute("SELECT changes()").fetchone()[0]  # inserted + rewritten (not the skipped)
            after = cur.execute("SELECT max(rowid) FROM main.members").fetchone()[0] or 0
            inserted = after - before  # new rows take the next rowids: nobody else writes inside the slice
            cur.execute(
                "UPDATE import_batches SET rows_inserted = rows_inserted + ?, rows_updated = rows_updated + ?,"
                " heartbeat_at = ? WHERE id = ?",
                (inserted, written - inserted, now_text(), batch_id),
            )
            return inserted

        started = time.monotonic()
        write(con, work)
        held = time.monotonic() - started
        done += rows
        progress(min(done, staged))
        low = high
        # The next slice sized to hold the lock about TARGET_HOLD_S.
        rows = int(min(max(rows * TARGET_HOLD_S / max(held, 1e-3), 500), rows * 4, 200_000))
        time.sleep(PAUSE_S)


# -- 6. the end -------------------------------------------------------------------------------------


def heartbeat(con: sqlite3.Connection, batch_id: int) -> None:
    write(
        con, lambda cur: cur.execute("UPDATE import_batches SET heartbeat_at = ? WHERE id = ?", (now_text(), batch_id))
    )


def interrupted(con: sqlite3.Connection) -> list[tuple[int, str | None]]:
    """(batch id, side database) of roster batches whose publishing process is gone (no heartbeat for STALE_S)."""
    from station.store.clock import now_utc

    cutoff = timestamp(now_utc() - dt.timedelta(seconds=STALE_S))
    return con.execute(
        "SELECT id, staging_file FROM import_batches WHERE kind = 'roster' AND finished_at IS NULL"
        " AND (heartbeat_at IS NULL OR heartbeat_at < ?) ORDER BY id",
        (cutoff,),
    ).fetchall()


def staged_count(con: sqlite3.Connection, parts: int) -> int:
    return sum(con.execute(f"SELECT count(*) FROM p{i}.sorted").fetchone()[0] for i in range(parts))


def forget_stage(stage_file: Path | str | None) -> None:
    if stage_file:
        remove_all(Path(stage_file))
