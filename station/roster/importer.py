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
* One file is all its good rows or nothing.  The whole file is checked and
  encrypted into a side database first (station/roster/staging.py):
  cancelling, a bad file or any error up to there leaves the store exactly
  as it was.  Only then is it published, in short transactions that never
  keep the booth waiting (station/roster/publish.py); from that point the
  import is finished whatever happens, after a crash by the next import
  (finish_interrupted).  "Every row rejected" is a bad file (exit 2).
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
big files; the importing process stages them with executemany and
publishes them with one INSERT … SELECT per slice; the members table's
secondary indexes are dropped and built again when the file brings many
new people.  No per-row memory is kept: the side database finds repeats.

This module is the orchestration: import_roster runs the two steps and
writes the audit entry.  The steps live by idea in station/roster/:
detection.py finds the header and the columns, mapping.py the fields and
the user's mapping, rows.py checks and encrypts rows (what the workers
run), pool.py starts and feeds the workers, staging.py the side database,
publish.py the slices into the store, writer.py the import's connection,
report.py the report of rejected and warned rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from station.errors import StationError
from station.i18n import get_lang, t
from station.roster import publish
from station.roster.detection import FilePreview, inspect_file
from station.roster.known import write_known
from station.roster.mapping import UnmappedColumns, check_mapping, normalize_header
from station.roster.pool import jobs as batch_jobs
from station.roster.pool import run_job, start_pool, take_next, worker_count
from station.roster.report import RowReport, format_reason_counts, mask_personal_runs
from station.roster.rows import Checked, Columns, RowCrypt, no_gc
from station.roster.staging import Stage, StagePart, read_facts, report_repeats, stage_path, stage_taker
from station.roster.tabular import Table, column_letter, file_sha256
from station.roster.writer import prepare_connection, refuse_unconverted, storage_error

if TYPE_CHECKING:
    from station.security.operators import OperatorSession
    from station.store.database import Store

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1
_PUBLISH_S_PER_ROW = 4e-6  # about what publishing and rebuilding cost, for the time left while reading


@dataclass
class ImportProgress:
    """Reported at most about 10 times a second.

    stage: "reading" while rows are read, checked and staged (cancel works);
    "publishing" while the staged rows go into the store (rows_done of
    rows_total people; cancel no longer works), "indexing" while the
    member indexes are rebuilt after a big import, "saving" at the end.
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
    unchanged: int = 0  # people already there whom the file says nothing new about: left alone
    timing: dict[str, float] = field(default_factory=dict)  # seconds per step, for the log and the bench

    def summary(self, lang: str | None = None) -> str:
        """One or two sentences for the CLI or a dialog."""
        text = t(
            "roster_summary",
            lang,
            file=self.file_name,
            rows=self.rows_read,
            inserted=self.inserted,
            updated=self.updated,
            unchanged=self.unchanged,
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

    def __call__(self, done: int, stage: str = "reading", force: bool = False, total: int | None = None) -> None:
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
        if total is None:
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
    """Import a roster file into `store`: all its good rows, or nothing.

    operator: the logged-in organizer (StationError not_permitted for
    anyone else); their cipher encrypts the rows, and the import is
    audited under their name.

    mapping: field -> 0-based column, complete (fields left out are not
    imported); None uses the guess from preview_file().  Raises
    UnmappedColumns when name or ID number has no column, StationError for
    unreadable files, a file whose every row is rejected
    (roster_all_rejected), and cancel ("cancelled"); in every error case the
    store is unchanged and no report is left behind.  progress is called
    from this thread, at most about 10 times a second; cancel is polled
    every few thousand rows while the file is read (stage "reading"), and
    no longer once it is published.  workers: number of checking processes
    (None: automatic, 0: check in this process).  The report (rejected and
    warned rows) goes to report_dir or the store's reports folder, only
    when there is something in it.
    """
    operator.require("import")
    started = time.monotonic()
    started_at = publish.now_text()
    path = Path(path)
    refuse_unconverted(store)
    finish_interrupted(store, operator)
    table, preview = inspect_file(path)
    chosen = _chosen_mapping(preview, mapping)
    n_workers = worker_count(preview.rows_estimate, workers)
    # Workers take a second or so to start and load their tables: started
    # now, they get ready while this process hashes the file.
    from station.store.models import new_uuid

    batch_uuid = new_uuid()
    stage_file = stage_path(store.paths.imports, batch_uuid)
    pool = start_pool(n_workers, operator.cipher.data_key, str(stage_file)) if n_workers else None
    lang = get_lang()
    report = RowReport(Path(report_dir) if report_dir else store.paths.reports, path, lang)
    should_cancel = cancel or (lambda: False)
    stage: Stage | None = None
    pace = _Pacer(progress, preview.rows_estimate)
    pace.finish_estimate_s = (preview.rows_estimate or 0) * _PUBLISH_S_PER_ROW
    counts: dict = {"rows_read": 0, "rejected": 0, "duplicates": 0, "warnings": 0, "staged": 0}
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
        stage = Stage(stage_file, store.paths.database)
        write_known(store.paths.database, stage.known)  # before the first batch: the checking reads it
        crypt = RowCrypt(operator.cipher)
        take = stage_taker(stage, column_names, report, counts)
        with no_gc():
            _check_all(
                table, preview, _columns(chosen, preview), pool, n_workers, take, counts, pace, should_cancel, crypt,
                stage.own,
            )  # fmt: skip
        if pool is not None:
            pool.shutdown(wait=True)  # the workers close their parts
            pool = None
        if should_cancel():
            raise _Cancelled
        checked_at = time.monotonic()
        stage.known.unlink(missing_ok=True)
        report_repeats(stage.finalize(operator.cipher), column_names["id_number"], report, counts)
        counts["staged"] -= stage.dropped
        _refuse_empty(path, preview, report, counts)
        pace(counts["rows_read"], force=True)
        counts["read_s"] = time.monotonic() - started
        counts["repeats_s"] = time.monotonic() - checked_at
        stage.set_facts({"file_name": path.name, "sha256": sha256, "started_at": started_at, **counts})
        stage.seal()
        report_path = report.finish()
    except BaseException as exc:
        report.discard()
        if stage is not None:
            stage.discard()
        if isinstance(exc, _Cancelled):
            raise StationError("cancelled") from None
        if isinstance(exc, sqlite3.OperationalError):  # the side database: a full disk, most likely
            raise storage_error(exc) from exc
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    # From here on the file is the store's: no cancel, and a crash is finished later.
    done = _publish(
        store, stage.path, operator, pace, batch_uuid=batch_uuid, file_name=mask_personal_runs(path.name)[:500],
        sha256=sha256, started_at=started_at, counts=counts, report_path=report_path,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    result = ImportResult(
        batch_id=done["batch_id"], batch_uuid=batch_uuid, file_name=path.name, rows_read=counts["rows_read"],
        inserted=done["inserted"], updated=done["updated"], unchanged=done["unchanged"], rejected=counts["rejected"],
        duplicates=counts["duplicates"], warnings=counts["warnings"], report_path=report_path, elapsed_s=elapsed,
    )  # fmt: skip
    log.info(
        "roster %s imported: %d read, %d new, %d updated, %d rejected, %d duplicates, %d warnings, "
        "%.1f s (%d workers; reading %.1f s, publishing %.1f s, indexes %.1f s, finishing %.1f s)",
        path.name, result.rows_read, result.inserted, result.updated, result.rejected,
        result.duplicates, result.warnings, elapsed, n_workers, counts["read_s"], *done["timing"],
    )  # fmt: skip
    result.timing = {
        "check_s": counts["read_s"] - counts["repeats_s"],
        "repeats_s": counts["repeats_s"],
        **dict(zip(("publish_s", "index_s", "finish_s"), done["timing"], strict=True)),
    }
    return result


def _refuse_empty(path: Path, preview: FilePreview, report: RowReport, counts: dict) -> None:
    """No data rows, or not one of them good: a bad file, said with the reasons (exit 2)."""
    if counts["rows_read"] == 0 and not report.lines:
        raise StationError("roster_no_rows", file=path.name, row=preview.header_row)
    accepted = counts["rows_read"] - counts["rejected"] - counts["duplicates"]
    if counts["rows_read"] and accepted <= 0:
        raise StationError(
            "roster_all_rejected",
            file=path.name,
            rows=counts["rows_read"],
            reasons=_reasons(report),
        )


def _reasons(report: RowReport) -> str:
    """The top reasons rows were rejected, counted."""
    return format_reason_counts(report.reason_counts(), report.lang)


def _chosen_mapping(preview: FilePreview, mapping: dict[str, int] | None) -> dict[str, int]:
    """The mapping to import with: the caller's, checked, or the guess (UnmappedColumns when incomplete)."""
    if mapping is not None:
        return check_mapping(dict(mapping), preview)
    if preview.missing:
        raise UnmappedColumns(preview)
    return dict(preview.mapping)


# -- the first step: every row checked and staged ----------------------------------------------------


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
    take: Callable[[int, int, Checked], None],
    counts: dict,
    pace: _Pacer,
    cancel: Callable[[], bool],
    crypt: RowCrypt,
    sink: StagePart,
) -> None:
    """Every batch checked and staged (by the workers, or here), taken in file order."""
    today = dt.date.today()
    pending: deque = deque()
    in_flight = 2 * n_workers + 1
    jobs, first_row = batch_jobs(table, preview.data_start_row, pool is not None)
    next_row = [first_row]

    def took(seq: int, checked: Checked) -> None:
        first_row = next_row[0]
        next_row[0] += checked.rows
        take(seq, first_row, checked)

    for seq, job in enumerate(jobs):
        if cancel():
            raise _Cancelled
        if pool is not None:
            pending.append((pool.submit(*job, cols, today, job=seq), job, seq))
            while len(pending) >= in_flight:
                pool = take_next(pending, took, pool, cols, today, table, crypt, sink)
        else:
            took(seq, run_job(job, seq, cols, today, table, crypt, sink))
        pace(counts["rows_read"])
    while pending:
        if cancel():
            raise _Cancelled
        pool = take_next(pending, took, pool, cols, today, table, crypt, sink)
        pace(counts["rows_read"])


# -- the second step: publishing ------------------------------------------------------------------


def _publish(
    store: Store, stage_file: Path, operator: OperatorSession | None, pace: _Pacer, *, batch_uuid: str,
    file_name: str, sha256: str, started_at: str, counts: dict, report_path: Path | None,
    batch_id: int | None = None,
) -> dict:  # fmt: skip
    """The staged file into the store (station/roster/publish.py), its audit entry, the side database removed."""
    conn = store.engine.connect()
    con = prepare_connection(conn)
    try:
        parts = publish.attach(con, stage_file)
        t0 = time.monotonic()
        if batch_id is None:
            batch_id = publish.begin(
                con, batch_uuid, file_name, sha256, started_at, stage_file, counts,
                str(report_path) if report_path else None,
            )  # fmt: skip
        # The batch row is on disk (a FULL commit); the slices need not be: a
        # power cut loses only slices the resume writes again.  The last
        # commit, FULL again, syncs them all.
        con.execute("PRAGMA synchronous = NORMAL")
        now = publish.now_text()
        publish.resolve_orgs(con, now)
        staged = publish.staged_count(con, parts)
        dropped = publish.plan_indexes(con, staged, parts) + publish.missing_member_indexes(con)
        pace(0, "publishing", force=True, total=staged)
        publish.publish_rows(con, batch_id, now, staged, parts, lambda n: pace(n, "publishing", total=staged))
        t1 = time.monotonic()
        if dropped:
            pace(staged, "indexing", force=True, total=staged)
            publish.rebuild_indexes(con, dropped, lambda: publish.heartbeat(con, batch_id))
        t2 = time.monotonic()
        pace(staged, "saving", force=True, total=staged)
        con.execute("PRAGMA synchronous = FULL")
        inserted, updated, unchanged = publish.write(
            con, lambda cur: _finish(store, conn, cur, operator, batch_id, counts)
        )
        publish.detach(con, parts)
    except sqlite3.OperationalError as exc:
        raise storage_error(exc) from exc
    finally:
        conn.close()
    publish.forget_stage(stage_file)
    return {
        "batch_id": batch_id,
        "inserted": inserted,
        "updated": updated,
        "unchanged": unchanged,
        "timing": (t1 - t0, t2 - t1, time.monotonic() - t2),
    }


def _finish(store: Store, conn, cur: sqlite3.Cursor, operator: OperatorSession | None, batch_id: int,
            counts: dict) -> tuple[int, int, int]:  # fmt: skip
    """The batch's end and its `import` audit entry, in the last short transaction: (inserted, updated, unchanged)."""
    row = cur.execute(
        "SELECT uuid, rows_inserted, rows_updated, file_name, file_sha256 FROM import_batches WHERE id = ?", (batch_id,)
    ).fetchone()
    batch_uuid, inserted, updated, file_name, sha256 = row
    accepted = counts["rows_read"] - counts["rejected"] - counts["duplicates"]
    unchanged = max(0, accepted - inserted - updated)
    cur.execute(
        "UPDATE import_batches SET finished_at = ?, staging_file = NULL, heartbeat_at = NULL WHERE id = ?",
        (publish.now_text(), batch_id),
    )
    details = {
        "kind": "roster",
        "file": mask_personal_runs(file_name)[:200],
        "sha256": sha256,
        "rows_read": counts["rows_read"],
        "inserted": inserted,
        "updated": updated,
        "unchanged": unchanged,
        "rejected": counts["rejected"],
        "duplicates": counts["duplicates"],
        "warnings": counts["warnings"],
    }
    if counts.get("resumed"):
        details["resumed"] = True
    _audit(store, conn, operator, batch_uuid, details)
    return inserted, updated, unchanged


def _audit(store: Store, conn, operator: OperatorSession | None, batch_uuid: str, details: dict) -> None:
    """The file's `import` entry, in the caller's open transaction (no personal data)."""
    from sqlalchemy.orm import Session

    from station.security import audit

    # The session shares the connection and so the open BEGIN IMMEDIATE.
    # SQLAlchemy is told a transaction is on (a no-op for sqlite3), so the
    # session joins it and neither commits nor rolls it back: the caller's
    # COMMIT writes the batch's counts and its entry together.
    if not conn.in_transaction():
        conn.begin()
    with Session(bind=conn) as s:
        audit.append(
            store, "import", operator=operator.name if operator else None, target=batch_uuid, details=details,
            cipher=operator.cipher if operator else None, db=s,
        )  # fmt: skip
        s.flush()


def finish_interrupted(store: Store, operator: OperatorSession | None = None) -> list[int]:
    """Finish the roster imports a crash or power cut left half published: the batch ids finished.

    Their side database has every row: publishing it again is safe (the
    rows already in are found and left alone).  If it is gone, the indexes
    are built again and the batch is closed with what it had.
    """
    with store.engine.connect() as c:
        left = publish.interrupted(c.connection.driver_connection)  # type: ignore[arg-type]
    done = []
    for batch_id, stage_file in left:
        log.warning("roster import batch %d was left unfinished; finishing it from %s", batch_id, stage_file)
        path = Path(stage_file) if stage_file else None
        if path is not None and path.exists():
            facts = read_facts(path)
            counts = {k: int(str(facts.get(k) or 0)) for k in ("rows_read", "rejected", "duplicates", "warnings")}
            counts["resumed"] = True
            _publish(
                store, path, operator, _Pacer(None, None), batch_uuid="", file_name="", sha256="", started_at="",
                counts=counts, report_path=None, batch_id=batch_id,
            )  # fmt: skip
        else:
            _close_without_stage(store, operator, batch_id)
        done.append(batch_id)
    return done


def _close_without_stage(store: Store, operator: OperatorSession | None, batch_id: int) -> None:
    conn = store.engine.connect()
    con = prepare_connection(conn)
    try:
        missing = publish.missing_member_indexes(con)
        publish.rebuild_indexes(con, missing, lambda: None)

        def close(cur: sqlite3.Cursor) -> None:
            row = cur.execute(
                "SELECT rows_read, rows_rejected, rows_duplicate, rows_warned FROM import_batches WHERE id = ?",
                (batch_id,),
            ).fetchone()
            counts = dict(zip(("rows_read", "rejected", "duplicates", "warnings"), row, strict=True))
            counts["resumed"] = True
            _finish(store, conn, cur, operator, batch_id, counts)

        publish.write(con, close)
    finally:
        conn.close()
