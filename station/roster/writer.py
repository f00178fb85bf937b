"""The roster import's writing: raw SQL on the import's own sqlite3 connection.

Rows go in with executemany and an upsert keyed by the ID's blind index;
enterprises and unions are found or made by clean name; the members
table's secondary indexes are dropped before a big file and built again
after it; the import_batches row records the file and its counts.  All of
it runs inside the one transaction station.roster.importer opens.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from station.errors import StationError
from station.i18n import t
from station.people.textnorm import clean_org_name
from station.roster.report import mask_personal_runs
from station.roster.tabular import Cell, cell_text
from station.security.masking import mask_id

if TYPE_CHECKING:
    from station.roster.report import RowReport
    from station.roster.rows import Checked, RowCrypt
    from station.store.database import Store

log = logging.getLogger(__name__)

MAX_ORG_NAME = 200  # models.Enterprise.name / models.Union.name are String(200)
REBUILD_INDEX_MIN_ROWS = 50_000  # see should_rebuild_indexes
_IMPORT_CACHE_KIB = 32768  # SQLite page cache for the import connection (32 MiB: more did not make it faster)
_APPEND_CACHE_KIB = 8192  # the same into an empty table, which has no index to keep in cache (see drop_indexes)
_PROGRESS_OPS = 200_000  # SQLite VM steps between cancel checks while indexes are rebuilt


class Orgs:
    """name -> id for enterprises and unions, creating rows on first sight."""

    def __init__(self, cur: sqlite3.Cursor, now: str) -> None:
        self.cur = cur
        self.now = now
        self.unions: dict[str, int] = {}
        for uid, name in cur.execute("SELECT id, name FROM unions"):
            self.unions.setdefault(clean_org_name(name), uid)
        self.enterprises: dict[str, list] = {}  # clean name -> [id, union_id]
        for eid, name, uid in cur.execute("SELECT id, name, union_id FROM enterprises"):
            self.enterprises.setdefault(clean_org_name(name), [eid, uid])
        self._raw_union: dict[Cell, tuple[int | None, bool]] = {}
        self._raw_ent: dict[Cell, tuple[list | None, bool]] = {}

    def union(self, raw: Cell) -> tuple[int | None, bool]:
        """(union id or None, too long)."""
        hit = self._raw_union.get(raw)
        if hit is None:
            name = clean_org_name(cell_text(raw))
            if not name:
                hit = (None, False)
            elif len(name) > MAX_ORG_NAME:
                hit = (None, True)
            else:
                uid = self.unions.get(name)
                if uid is None:
                    self.cur.execute("INSERT INTO unions (name, created_at) VALUES (?, ?)", (name, self.now))
                    uid = self.unions[name] = self.cur.lastrowid  # type: ignore[assignment]  # set by the INSERT
                hit = (uid, False)
            self._raw_union[raw] = hit
        return hit

    def enterprise(self, raw: Cell, union_id: int | None) -> tuple[list | None, bool]:
        """([id, union_id] or None, too long); gives the enterprise a union if it has none."""
        hit = self._raw_ent.get(raw)
        if hit is None:
            name = clean_org_name(cell_text(raw))
            if not name:
                hit = (None, False)
            elif len(name) > MAX_ORG_NAME:
                hit = (None, True)
            else:
                ent = self.enterprises.get(name)
                if ent is None:
                    self.cur.execute(
                        "INSERT INTO enterprises (name, union_id, created_at) VALUES (?, ?, ?)",
                        (name, union_id, self.now),
                    )
                    ent = self.enterprises[name] = [self.cur.lastrowid, union_id]
                hit = (ent, False)
            self._raw_ent[raw] = hit
        ent = hit[0]
        if ent is not None and ent[1] is None and union_id is not None:
            self.cur.execute("UPDATE enterprises SET union_id = ? WHERE id = ?", (union_id, ent[0]))
            ent[1] = union_id
        return hit


# -- members -------------------------------------------------------------------------

# A person is their ID's blind index.  An update keeps the stored ID
# ciphertext (same number, same index) and a known mobile when the file has
# none; a new mobile comes with its own tail index.
UPSERT = """
INSERT INTO members (id_enc, id_bidx, id_tail_bidx, name, initials, phone_enc, phone_tail_bidx,
                     enterprise_id, union_id, on_roster, last_import_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, :batch, :now, :now)
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
    updated_at = excluded.updated_at
"""


# Into an empty members table (see drop_indexes): the same row, nothing to update.
INSERT = UPSERT[: UPSERT.index("ON CONFLICT")]


def timestamp(moment: dt.datetime) -> str:
    # The format SQLAlchemy's SQLite DateTime type writes and reads back.
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")



def should_rebuild_indexes(expected_rows: int | None, existing_rows: int) -> bool:
    """Whether to drop the members table's secondary indexes and build them
    again after the rows are in, rather than update six indexes per row.

    Rebuilding costs a sort of the whole table (about 2.6 s per million
    rows); keeping them costs about 15 µs per new row and 35 µs per updated
    row (an upsert rewrites the index entries of every column it sets).
    Measured on 1,000,000 rows: into an empty store 18 s of inserts with the
    indexes kept, 4.4 s plus 2.5 s of rebuilding without; again into the
    same store 38 s kept.  So rebuild once the file is a fifth of the table.
    """
    if not expected_rows:
        return False
    return expected_rows >= max(REBUILD_INDEX_MIN_ROWS, existing_rows // 5)


def refuse_unconverted(store: Store) -> None:
    """A store made before encryption must be converted first (station.security.protect).

    Its members are known by their clear ID only, so an import could not
    find them and would add each person a second time.
    """
    with store.engine.connect() as c:
        legacy = c.exec_driver_sql(
            "SELECT 1 FROM members WHERE id_bidx IS NULL AND id_number IS NOT NULL LIMIT 1"
        ).first()
    if legacy is not None:
        raise StationError("import_needs_encryption")

def rollback(con: sqlite3.Connection) -> None:
    try:
        if con.in_transaction:
            con.execute("ROLLBACK")
    except sqlite3.Error:
        log.exception("rollback after a failed roster import failed")


def storage_error(exc: sqlite3.OperationalError) -> StationError | sqlite3.OperationalError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StationError("db_locked")
    if "full" in text:
        return StationError("roster_disk_full")
    return exc




# -- checked batches -------------------------------------------------------------------


def batch_writer(
    cur: sqlite3.Cursor,
    upsert: str,
    orgs: Orgs,
    mapping: dict[str, int],
    column_names: dict[str, str],
    report: RowReport,
    crypt: RowCrypt,
    seen: dict[bytes, int],
    pair_cache: dict[tuple[Cell, Cell], tuple],
    counts: dict,
) -> Callable[[int, Checked], None]:
    """The step that writes a checked batch: `consume(first row number, checked)`.

    It drops the file's repeated IDs (`seen`), resolves enterprises and
    unions, writes the rows, lists the problems in the report and adds to
    `counts`.  The hot loop: everything it uses is bound in this closure.
    """
    lang = report.lang
    no_org = (None, None, None)

    def resolve_orgs(ent_raw: Cell, union_raw: Cell) -> tuple:
        """(enterprise [id, union_id] or None, union id or None, warnings or None)."""
        warnings = None
        union_id, too_long = orgs.union(union_raw) if union_raw not in ("", None) else (None, False)
        if too_long:
            warnings = [("union", cell_text(union_raw), "roster_org_dropped")]
        ent = None
        if ent_raw not in ("", None):
            ent, too_long = orgs.enterprise(ent_raw, union_id)
            if too_long:
                warnings = (warnings or []) + [("enterprise", cell_text(ent_raw), "roster_org_dropped")]
        return ent, union_id, warnings

    ent_col = mapping.get("enterprise")
    union_col = mapping.get("union")
    has_orgs = ent_col is not None or union_col is not None

    def consume(first_row: int, checked: Checked) -> None:
        entries: list[tuple[int, str, str, str, bool, str]] = []
        warnings_of: dict[int, list] = {}
        rejected_rows = set()
        for index, fld, value, key, kw, is_reject in checked.problems:
            if is_reject:
                rejected_rows.add(index)
                entries.append((first_row + index, column_names[fld], value, t(key, lang, **kw), True, fld))
            else:
                warnings_of.setdefault(index, []).append((fld, value, key))
        params: list[tuple] = []
        add = params.append
        duplicates = warned = 0
        n = len(checked.ok_index)
        ents = checked.enterprises or [""] * n
        unis = checked.unions or [""] * n
        for index, id_enc, id_bidx, id_tail, name, ini, phone_enc, phone_tail, ent_raw, union_raw in zip(
            checked.ok_index, checked.id_enc, checked.id_bidx, checked.id_tail, checked.names, checked.initials,
            checked.phone_enc, checked.phone_tail, ents, unis, strict=False,
        ):  # fmt: skip
            line = first_row + index
            first = seen.setdefault(id_bidx, line)
            if first != line:
                duplicates += 1
                # Rare: the masked number for the report is read back from its ciphertext.
                shown = mask_id(crypt.cipher.decrypt("members", "id_number", id_enc, id_bidx))
                entries.append(
                    (line, column_names["id_number"], shown, t("roster_duplicate_id", lang, first=first), True, "id_number")
                )
                continue
            ent_id = union_id = warn_orgs = None
            if has_orgs:
                pair = (ent_raw, union_raw)
                hit = pair_cache.get(pair)
                if hit is None:
                    hit = pair_cache[pair] = resolve_orgs(*pair) if pair != ("", "") else no_org
                ent, union_id, warn_orgs = hit
                if ent is not None:
                    ent_id = ent[0]
                    if union_id is None:
                        union_id = ent[1]
            row_warnings = warnings_of.get(index)
            if row_warnings or warn_orgs:
                warned += 1
                for fld, value, key in (row_warnings or []) + (warn_orgs or []):
                    if fld == "phone":
                        reason = t("roster_phone_dropped", lang, reason=t(key, lang))
                    elif key == "roster_org_dropped":
                        reason = t(key, lang, max=MAX_ORG_NAME)
                    else:
                        reason = t(key, lang)
                    entries.append((line, column_names[fld], value, reason, False, fld))
            add((id_enc, id_bidx, id_tail, name, ini, phone_enc, phone_tail, ent_id, union_id))
        if params:
            cur.executemany(upsert, params)
        if entries:
            entries.sort(key=lambda e: e[0])
            for entry in entries:
                report.add(*entry)
        counts["rejected"] += len(rejected_rows)
        counts["duplicates"] += duplicates
        counts["warnings"] += warned
        counts["rows_read"] += checked.data_rows

    return consume


# -- the import's connection and its record -----------------------------------------------


def prepare_connection(conn: Any) -> sqlite3.Connection:
    """The SQLAlchemy connection's sqlite3 connection, set up for the import.

    Its settings are changed here, so it is detached: it never goes back
    to the pool.  Transactions are explicit (begin below, COMMIT by the
    importer).
    """
    con: sqlite3.Connection = conn.connection.driver_connection
    conn.detach()
    con.isolation_level = None
    # The import inserts only ids it has just read or made itself, in
    # this transaction; checking three foreign keys per row would cost
    # a fifth of the time.
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}")
    return con


def begin(con: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE: the store is the import's until COMMIT or ROLLBACK."""
    try:
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise storage_error(exc) from exc


def begin_batch(cur: sqlite3.Cursor, file_name: str, sha256: str, started_at: str) -> tuple[int, str]:
    """The file's import_batches row, counts to come: (its id, its uuid)."""
    from station.store.models import new_uuid

    batch_uuid = new_uuid()
    cur.execute(
        "INSERT INTO import_batches (uuid, kind, file_name, file_sha256, started_at, rows_read, rows_inserted,"
        " rows_updated, rows_rejected, rows_duplicate, rows_warned) VALUES (?, 'roster', ?, ?, ?, 0, 0, 0, 0, 0, 0)",
        (batch_uuid, mask_personal_runs(file_name)[:500], sha256, started_at),
    )
    batch_id = cur.lastrowid
    assert batch_id is not None  # an INSERT always sets it
    return batch_id, batch_uuid


def count_members(cur: sqlite3.Cursor) -> int:
    return cur.execute("SELECT count(*) FROM members").fetchone()[0]


def drop_indexes(cur: sqlite3.Cursor, existing: int) -> tuple[str, list[tuple[str, str]]]:
    """Drop the members indexes a big file would slow down: (the statement to use, the indexes' SQL).

    The upsert finds people through the unique ID index, so it stays
    unless the table is empty: then nobody can be there already, the
    file's own repeats are caught by the importer's `seen`, and plain
    inserts with the unique index built once at the end cost less.
    (Building it cannot fail; if it did, the whole import would roll back.)
    """
    statement = UPSERT
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL"
    if existing:
        query += " AND sql NOT LIKE 'CREATE UNIQUE %'"
    else:
        statement = INSERT
        # Appending rows to a table without indexes needs only its last
        # pages in the cache: 8 MiB instead of 32 was as fast (1 M rows)
        # and leaves room for the duplicate set in the memory budget.
        cur.execute(f"PRAGMA cache_size = -{_APPEND_CACHE_KIB}")
    rebuilt = cur.execute(query).fetchall()
    for name, _sql in rebuilt:
        cur.execute(f'DROP INDEX "{name}"')
    return statement, rebuilt


def bind_statement(statement: str, batch_id: int, now: str) -> str:
    """The batch id and the time are the same for every row: written into
    the statement once rather than bound a million times."""
    return statement.replace(":batch", str(int(batch_id))).replace(":now", f"'{now}'")


def rebuild_indexes(
    con: sqlite3.Connection, cur: sqlite3.Cursor, rebuilt: list[tuple[str, str]], on_progress: Callable[[], int]
) -> None:
    """Build the dropped indexes again; on_progress returning 1 interrupts (the caller rolls back)."""
    # A small page cache makes SQLite sort in runs it can merge with
    # helper threads: measured 2.5 s instead of 5 s for six indexes
    # over a million rows.
    cur.execute("PRAGMA cache_size = -2000")
    cur.execute("PRAGMA threads = 2")
    con.set_progress_handler(on_progress, _PROGRESS_OPS)
    try:
        for _name, sql in rebuilt:
            cur.execute(sql)
    finally:
        con.set_progress_handler(None, 0)


def finish_batch(cur: sqlite3.Cursor, batch_id: int, finished_at: str, counts: dict, inserted: int) -> None:
    """The import_batches row's counts, once the rows are in."""
    accepted = counts["rows_read"] - counts["rejected"] - counts["duplicates"]
    cur.execute(
        "UPDATE import_batches SET finished_at = ?, rows_read = ?, rows_inserted = ?, rows_updated = ?,"
        " rows_rejected = ?, rows_duplicate = ?, rows_warned = ? WHERE id = ?",
        (
            finished_at,
            counts["rows_read"],
            inserted,
            accepted - inserted,
            counts["rejected"],
            counts["duplicates"],
            counts["warnings"],
            batch_id,
        ),
    )


def set_report_path(con: sqlite3.Connection, batch_id: int, report_path: str) -> None:
    con.execute("UPDATE import_batches SET report_path = ? WHERE id = ?", (report_path, batch_id))
