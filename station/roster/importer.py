"""Roster import (会员名册导入): a union's member list into the station's store.

The file is whatever a union office has: CSV in GBK or UTF-8, an Excel
sheet with title rows above the header, merged 单位名称 cells, full-width
digits and IDs that Excel turned into 4.41900199001011E+17.  The import
finds the header, maps columns to fields, checks every row with the rules
in station.people.idnumber / station.people.mobile / station.people.names, and writes members,
enterprises and grassroots unions.

The rules a user will notice:

* A row with a missing or invalid ID number or name is rejected; a bad
  mobile number only drops the phone (warning); an unknown area code is a
  warning.  Every rejected or warned row is listed, with row number,
  column, value and the reason, in a CSV report that Excel opens.
* An ID number repeated inside the file is imported once (the first row
  wins); the later rows are listed as duplicates.
* Importing a roster again updates the people already there (never
  duplicates them) and marks them 在册, including people who had signed up
  as new members.
* One file is one transaction: all good rows or nothing.  Cancelling, or
  any error, leaves the store as it was.
* Only an organizer imports (operator.require("import")), and each file
  leaves one ``import`` entry in the audit log: counts, file name and
  SHA-256, no personal data.

Personal data (issue 4, docs/security.md): ID numbers and mobiles are
written only encrypted, with their blind indexes.  The rows are encrypted
where they are checked: worker processes receive the data key once, when
the pool starts (its initializer builds a module-level FieldCipher; the
key never travels with a batch and never touches the disk or the
environment), and send back ciphertexts and indexes.  The clear values
reach this process only for the rows listed in the report, and the report
shows them masked (4419**********123X, 138****5678).  Members are keyed
by the ID's blind index: duplicates inside a file and re-imports are found
through it.

Speed: a million-row CSV has to import in about the time of a few sqlite3
``.import`` runs.  Rows are streamed; checking runs in worker processes for
big files; rows go in through the raw DBAPI connection with executemany
and an upsert; the members table's secondary indexes are dropped and built
again when the file is big compared to the table.  The only per-row memory
kept is one 16-byte ID index per row (to find duplicates).

This module is the orchestration: import_roster opens the transaction,
runs the steps and writes the audit entry.  The steps live by idea in
station/roster/: detection.py finds the header and the columns,
mapping.py the fields and the user's mapping, rows.py checks and encrypts
rows (what the workers run), pool.py starts and feeds the workers,
writer.py holds the SQL, report.py the report of rejected and warned rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from station.errors import StationError
from station.i18n import get_lang, t
from station.roster.detection import FilePreview, inspect_file
from station.roster.mapping import UnmappedColumns, check_mapping, normalize_header
from station.roster.pool import jobs as batch_jobs
from station.roster.pool import run_job, start_pool, take_next, worker_count
from station.roster.report import RowReport, mask_personal_runs
from station.roster.rows import Checked, Columns, RowCrypt, no_gc
from station.roster.tabular import Cell, Table, column_letter, file_sha256
from station.roster.writer import (
    UPSERT,
    Orgs,
    batch_writer,
    begin,
    begin_batch,
    bind_statement,
    count_members,
    drop_indexes,
    finish_batch,
    prepare_connection,
    rebuild_indexes,
    refuse_unconverted,
    rollback,
    set_report_path,
    should_rebuild_indexes,
    storage_error,
    timestamp,
)

if TYPE_CHECKING:
    from station.security.operators import OperatorSession
    from station.store.database import Store

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1




@dataclass
class ImportProgress:
    """Reported at most about 10 times a second.

    stage: "reading" while rows are read and checked, "indexing" while the
    member indexes are rebuilt after a big import, "saving" at commit.
    """

    rows_done: int
    rows_total: int | None
    rows_per_s: float
    eta_s: float | None
    stage: str = "reading"


@dataclass
class ImportResult:
    batch_id: int
    batch_uuid: str
    file_name: str
    rows_read: int
    inserted: int
    updated: int
    rejected: int
    duplicates: int
    warnings: int
    report_path: Path | None
    elapsed_s: float

    def summary(self, lang: str | None = None) -> str:
        """One or two sentences for the CLI or a dialog."""
        text = t(
            "roster_summary",
            lang,
            file=self.file_name,
            rows=self.rows_read,
            inserted=self.inserted,
            updated=self.updated,
            rejected=self.rejected,
            duplicates=self.duplicates,
            warnings=self.warnings,
            seconds=f"{self.elapsed_s:.1f}",
        )
        if self.report_path:
            text += "\n" + t("roster_report_at", lang, path=self.report_path)
        return text


class _Cancelled(Exception):
    pass


class _Pacer:
    """Calls the progress callback at most every PROGRESS_INTERVAL_S."""

    def __init__(self, callback: Callable[[ImportProgress], None] | None, total: int | None) -> None:
        self.callback = callback
        self.total = total
        self.started = time.monotonic()
        self.last = 0.0
        self.finish_estimate_s = 0.0

    def __call__(self, done: int, stage: str = "reading", force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_INTERVAL_S:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        eta = None
        if stage == "reading" and self.total and rate > 0:
            eta = max(0.0, (max(self.total, done) - done) / rate) + self.finish_estimate_s
        total = max(self.total, done) if self.total is not None else None
        self.callback(ImportProgress(done, total, rate, eta, stage))



def import_roster(
    store: Store,
    path: Path,
    *,
    mapping: dict[str, int] | None = None,
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    report_dir: Path | None = None,
    workers: int | None = None,
    operator: OperatorSession,
) -> ImportResult:
    """Import a roster file into `store` in one transaction.

    operator: the logged-in organizer (StationError not_permitted for
    anyone else); their cipher encrypts the rows, and the import is
    audited under their name.

    mapping: field -> 0-based column, complete (fields left out are not
    imported); None uses the guess from preview_file().  Raises
    UnmappedColumns when name or ID number has no column, StationError for
    unreadable files and for cancel ("cancelled"); in every error case the
    store is unchanged and no report is left behind.  progress is called
    from this thread, at most about 10 times a second; cancel is polled
    every few thousand rows and while indexes are rebuilt.  workers: number
    of checking processes (None: automatic, 0: check in this process).
    The report (rejected and warned rows) goes to report_dir or the store's
    reports folder, only when there is something in it.
    """
    operator.require("import")
    started = time.monotonic()
    started_at = timestamp(_now())
    path = Path(path)
    refuse_unconverted(store)
    table, preview = inspect_file(path)
    chosen = _chosen_mapping(preview, mapping)
    n_workers = worker_count(preview.rows_estimate, workers)
    # Workers take a second or so to start and load their tables: started
    # now, they get ready while this process hashes the file and begins.
    pool = start_pool(n_workers, operator.cipher.data_key) if n_workers else None
    lang = get_lang()
    report = RowReport(Path(report_dir) if report_dir else store.paths.reports, path, lang)
    should_cancel = cancel or (lambda: False)
    conn = None
    report_path: Path | None = None
    crypt = RowCrypt(operator.cipher)
    try:
        sha256 = file_sha256(path)
        if preview.other_sheets:
            report.add(
                "",
                "",
                preview.sheet or "",
                t("roster_other_sheets", lang, sheets=", ".join(preview.other_sheets), sheet=preview.sheet),
                False,
            )
        column_names = {
            k: preview.headers[c] if c < len(preview.headers) else column_letter(c) for k, c in chosen.items()
        }
        conn = store.engine.connect()
        con = prepare_connection(conn)
        begin(con)
        try:
            with no_gc():
                counts = _run(
                    con,
                    table,
                    preview,
                    chosen,
                    column_names,
                    report,
                    pool,
                    n_workers,
                    _Pacer(progress, preview.rows_estimate),
                    should_cancel,
                    path,
                    sha256,
                    started_at,
                    crypt,
                )
            report_path = report.finish()
            if report_path is not None:
                set_report_path(con, counts["batch_id"], str(report_path))
            _audit(store, conn, operator, path, sha256, counts)
            if progress is not None:
                rate = counts["rows_read"] / max(time.monotonic() - started, 1e-6)
                progress(ImportProgress(counts["rows_read"], counts["rows_read"], rate, None, "saving"))
            commit_started = time.monotonic()
            con.execute("COMMIT")
            commit_s = time.monotonic() - commit_started
        except BaseException as exc:
            rollback(con)
            report.discard()
            if report_path is not None:
                report_path.unlink(missing_ok=True)
            if isinstance(exc, _Cancelled) or (
                isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc) and should_cancel()
            ):
                raise StationError("cancelled") from None
            if isinstance(exc, sqlite3.OperationalError):
                raise storage_error(exc) from exc
            raise
    except BaseException:
        report.discard()  # a failure before the rows (hashing, a locked store): no report either
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if conn is not None:
            conn.close()
    elapsed = time.monotonic() - started
    result = _result(path, counts, report_path, elapsed)
    log.info(
        "roster %s imported: %d read, %d new, %d updated, %d rejected, %d duplicates, %d warnings, "
        "%.1f s (%d workers; rows %.1f s, indexes %.1f s, commit %.1f s)",
        path.name, result.rows_read, result.inserted, result.updated, result.rejected,
        result.duplicates, result.warnings, elapsed, n_workers, *counts["timing"], commit_s,
    )  # fmt: skip
    return result


def _chosen_mapping(preview: FilePreview, mapping: dict[str, int] | None) -> dict[str, int]:
    """The mapping to import with: the caller's, checked, or the guess (UnmappedColumns when incomplete)."""
    if mapping is not None:
        return check_mapping(dict(mapping), preview)
    if preview.missing:
        raise UnmappedColumns(preview)
    return dict(preview.mapping)


def _result(path: Path, counts: dict, report_path: Path | None, elapsed: float) -> ImportResult:
    return ImportResult(
        batch_id=counts["batch_id"],
        batch_uuid=counts["batch_uuid"],
        file_name=path.name,
        rows_read=counts["rows_read"],
        inserted=counts["inserted"],
        updated=counts["updated"],
        rejected=counts["rejected"],
        duplicates=counts["duplicates"],
        warnings=counts["warnings"],
        report_path=report_path,
        elapsed_s=elapsed,
    )


def _now() -> dt.datetime:
    from station.store.clock import now_utc

    return now_utc()


def _audit(store: Store, conn, operator: OperatorSession, path: Path, sha256: str, counts: dict) -> None:
    """The file's `import` entry, written in the import's own transaction (no personal data)."""
    from sqlalchemy.orm import Session

    from station.security import audit

    details = {
        "kind": "roster",
        "file": mask_personal_runs(path.name)[:200],
        "sha256": sha256,
        "rows_read": counts["rows_read"],
        "inserted": counts["inserted"],
        "updated": counts["updated"],
        "rejected": counts["rejected"],
        "duplicates": counts["duplicates"],
        "warnings": counts["warnings"],
    }
    # The session shares the connection and so the open BEGIN IMMEDIATE.
    # SQLAlchemy is told a transaction is on (a no-op for sqlite3), so the
    # session joins it and neither commits nor rolls it back: the caller's
    # COMMIT writes the rows and their entry together.
    if not conn.in_transaction():
        conn.begin()
    with Session(bind=conn) as s:
        audit.append(
            store, "import", operator=operator.name, target=counts["batch_uuid"], details=details,
            cipher=operator.cipher, db=s,
        )  # fmt: skip
        s.flush()



# -- the steps of one import, inside its transaction -----------------------------------------


def _run(
    con: sqlite3.Connection,
    table: Table,
    preview: FilePreview,
    mapping: dict[str, int],
    column_names: dict[str, str],
    report: RowReport,
    pool,
    n_workers: int,
    pace: _Pacer,
    cancel: Callable[[], bool],
    path: Path,
    sha256: str,
    started_at: str,
    crypt: RowCrypt,
) -> dict:
    """Every row of the file written, the batch recorded: the counts for the result and the audit entry."""
    cur = con.cursor()
    now = timestamp(_now())
    batch_id, batch_uuid = begin_batch(cur, path.name, sha256, started_at)
    existing = count_members(cur)
    rebuilt: list[tuple[str, str]] = []
    statement = UPSERT
    if should_rebuild_indexes(preview.rows_estimate, existing):
        statement, rebuilt = drop_indexes(cur, existing)
        # About 3 µs a row to rebuild them (plus the commit); shown in the time left.
        pace.finish_estimate_s = (existing + (preview.rows_estimate or 0)) * 3.5e-6
    seen: dict[bytes, int] = {}  # ID blind index -> row number of its first row
    pair_cache: dict[tuple[Cell, Cell], tuple] = {}
    counts: dict = {"rows_read": 0, "rejected": 0, "duplicates": 0, "warnings": 0}
    consume = batch_writer(
        cur, bind_statement(statement, batch_id, now), Orgs(cur, now), mapping, column_names, report, crypt,
        seen, pair_cache, counts,
    )  # fmt: skip
    _check_all(table, preview, _columns(mapping, preview), pool, n_workers, consume, counts, pace, cancel, crypt)
    if counts["rows_read"] == 0 and not report.lines:
        raise StationError("roster_no_rows", file=path.name, row=preview.header_row)
    pace(counts["rows_read"], force=True)

    read_s = time.monotonic() - pace.started
    # A million 16-byte indexes and their row numbers (~120 MB) are no use
    # from here on: give them back before the index sorts need memory.
    seen.clear()
    pair_cache.clear()
    if rebuilt:
        _rebuild(con, cur, rebuilt, counts["rows_read"], pace, cancel)
    counts["timing"] = (read_s, time.monotonic() - pace.started - read_s)
    inserted = count_members(cur) - existing
    accepted = counts["rows_read"] - counts["rejected"] - counts["duplicates"]
    counts.update(batch_id=batch_id, batch_uuid=batch_uuid, inserted=inserted, updated=accepted - inserted)
    finish_batch(cur, batch_id, timestamp(_now()), counts, inserted)
    return counts


def _columns(mapping: dict[str, int], preview: FilePreview) -> Columns:
    """Where the checks find each field, and the ID column's header (to skip it printed again)."""
    id_col = mapping["id_number"]
    return Columns(
        name=mapping["name"],
        id_number=id_col,
        phone=mapping.get("phone"),
        enterprise=mapping.get("enterprise"),
        union=mapping.get("union"),
        width=max(mapping.values()) + 1,
        header_id=normalize_header(preview.headers[id_col]) if preview.header_row else None,
    )


def _check_all(
    table: Table,
    preview: FilePreview,
    cols: Columns,
    pool,
    n_workers: int,
    consume: Callable[[int, Checked], None],
    counts: dict,
    pace: _Pacer,
    cancel: Callable[[], bool],
    crypt: RowCrypt,
) -> None:
    """Every batch checked (by the workers, or here) and consumed in file order."""
    today = dt.date.today()
    pending: deque = deque()
    in_flight = 2 * n_workers + 1
    jobs, first_row = batch_jobs(table, preview.data_start_row, pool is not None)
    next_row = [first_row]

    def take(checked: Checked) -> None:
        first_row = next_row[0]
        next_row[0] += checked.rows
        consume(first_row, checked)

    for job in jobs:
        if cancel():
            raise _Cancelled
        if pool is not None:
            pending.append((pool.submit(*job, cols, today), job))
            while len(pending) >= in_flight:
                pool = take_next(pending, take, pool, cols, today, table, crypt)
        else:
            take(run_job(job, cols, today, table, crypt))
        pace(counts["rows_read"])
    while pending:
        if cancel():
            raise _Cancelled
        pool = take_next(pending, take, pool, cols, today, table, crypt)
        pace(counts["rows_read"])


def _rebuild(
    con: sqlite3.Connection, cur: sqlite3.Cursor, rebuilt: list[tuple[str, str]], done: int, pace: _Pacer,
    cancel: Callable[[], bool],
) -> None:  # fmt: skip
    """The dropped member indexes built again, cancel still polled."""
    pace(done, "indexing", force=True)

    def on_progress() -> int:
        if cancel():
            return 1  # interrupts the statement; the caller rolls back
        pace(done, "indexing")
        return 0

    rebuild_indexes(con, cur, rebuilt, on_progress)
