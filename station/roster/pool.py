"""The roster import's worker processes: how many, how they start, and feeding them batches.

Checking and encrypting rows (station.roster.rows) is most of an import's
work, so big files are checked in worker processes while the importing
process writes.  Everything a spawned worker unpickles lives here or in
rows.py, neither of which imports the store: init_worker, the jobs and
their results are plain functions and lists.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.people import idnumber, mobile, names
from station.roster.rows import Checked, Columns, RowCrypt, check_csv_block, check_rows, set_worker_crypt
from station.roster.staging import StagePart, known_path, part_path
from station.roster.tabular import Cell, Table, csv_blocks, first_undecodable_line
from station.security.fieldcrypt import FieldCipher

log = logging.getLogger(__name__)

CHUNK_ROWS = 4000  # rows checked per batch (and per worker task)
PARALLEL_MIN_ROWS = 100_000  # below this, starting worker processes costs more than it saves

# A job: (function, its first arguments); Columns, the date and, in this process, the crypt follow.
Job = tuple[Any, ...]


def init_worker(data_key: bytes, stage: str) -> None:
    """ProcessPoolExecutor initializer: the worker's cipher, made once, its stage part, and the checks' tables loaded.

    The part leaves alone the people the store has with the same roster
    digest, read from the stage's known file (StagePart.unchanged).
    """
    stage_file = Path(stage)
    sink = StagePart(part_path(stage_file, f"w{os.getpid()}"), known_path(stage_file))
    set_worker_crypt(RowCrypt(FieldCipher(data_key)), sink)
    # Load pypinyin, phonenumbers and stdnum's table now, while the importing
    # process is still hashing the file, rather than in the first batch.
    names.initials("张三")
    mobile.check("13800138000")
    idnumber.address_code_known("441900")


def _ready() -> None:
    """A no-op job: submitting one makes the pool start a worker."""


def worker_count(rows_estimate: int | None, requested: int | None) -> int:
    if requested is not None:
        return max(0, requested)
    env = os.environ.get("STATION_IMPORT_WORKERS")
    if env is not None and env.strip().isdigit():
        return int(env)
    # A frozen program's workers start through packaging/entry.py, which
    # calls multiprocessing.freeze_support() before anything else.
    if not rows_estimate or rows_estimate < PARALLEL_MIN_ROWS:
        return 0
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return 0
    # Checking is most of the work; this process mostly waits on SQLite.
    # Measured on 2 cores: 1 worker 21 s, 2 workers 20 s, none 23 s.
    return min(cpus, 4)


def start_pool(n: int, data_key: bytes, stage: str):
    """Worker processes that check, encrypt and stage rows (each into its own part beside `stage`).

    The data key goes to each worker once, as the initializer's argument:
    spawned workers receive it through the pipe that starts them, never
    through a file, the environment or the per-batch job queue.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = None
    try:
        pool = ProcessPoolExecutor(
            max_workers=n,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(data_key, stage),
        )
        for _ in range(n):  # spawned workers start one per job submitted: start them all now
            pool.submit(_ready)
        return pool
    except (OSError, ValueError, NotImplementedError):  # no processes on this system: check in-process
        log.warning("roster import: worker processes unavailable, checking in-process", exc_info=True)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        return None


def batches(table: Table, start_row: int) -> Iterator[tuple[int, list[list[Cell]]]]:
    """(row number of the first row, raw rows) for the rows from start_row on.

    Rows arrive numbered consecutively, blank ones included, so a batch is
    its first row number and a list; the checking skips the blank ones.
    """
    batch: list[list[Cell]] = []
    first = start_row
    append = batch.append
    for number, cells in table.rows():
        if number < start_row:
            continue
        if not batch:
            first = number
        append(cells)
        if len(batch) >= CHUNK_ROWS:
            yield first, batch
            batch = []
            append = batch.append
    if batch:
        yield first, batch


def jobs(table: Table, data_start_row: int, parallel: bool) -> tuple[Iterator[Job], int]:
    """(the batches to check, the row number of the first row they start with).

    With workers, a CSV file goes to them as blocks of bytes: they decode,
    parse and check whole blocks, and this process only writes.  The first
    block's title rows and header are skipped by the worker.  Otherwise
    this process reads the rows and sends them in batches.
    """
    blocks = csv_blocks(table) if parallel else None
    if blocks is not None:
        return (
            (check_csv_block, data, table.encoding, table.delimiter, data_start_row - 1 if i == 0 else 0)
            for i, data in enumerate(blocks)
        ), 1
    return ((check_rows, rows) for _first, rows in batches(table, data_start_row)), data_start_row


def run_job(
    job: Job, seq: int, cols: Columns, today: dt.date, table: Table, crypt: RowCrypt, sink: StagePart
) -> Checked:
    """Check a batch in this process, into its own stage part."""
    try:
        return job[0](*job[1:], cols, today, job=seq, crypt=crypt, sink=sink)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise read_error(exc, table) from exc


def read_error(exc: Exception, table: Table) -> StationError:
    """A worker's decoding or CSV error, as the sentence the reader would have given."""
    if isinstance(exc, UnicodeDecodeError):
        row = first_undecodable_line(table.path, table.encoding)
        return StationError("table_encoding_at", path=table.path.name, row=row or "?")
    return StationError("table_csv_error", path=table.path.name, row="?", reason=exc)


def take_next(
    pending: deque, take: Callable[[int, Checked], None], pool, cols: Columns, today: dt.date, table: Table,
    crypt: RowCrypt, sink: StagePart,
):  # fmt: skip
    """Use the oldest batch's result: results are used in file order, so the
    first of two rows with the same ID is the one imported.

    Returns the pool, or None once it broke and the rest was checked here.
    """
    future, job, seq = pending.popleft()
    try:
        checked = future.result()
    except (UnicodeDecodeError, csv.Error) as exc:
        raise read_error(exc, table) from exc
    except Exception as exc:
        from concurrent.futures.process import BrokenProcessPool

        if not isinstance(exc, BrokenProcessPool):
            raise
        # A worker died (killed, out of memory): finish in this process.
        log.warning("roster import: worker processes failed, checking in-process", exc_info=True)
        pool.shutdown(wait=False, cancel_futures=True)
        take(seq, run_job(job, seq, cols, today, table, crypt, sink))
        while pending:
            _future, later, later_seq = pending.popleft()
            take(later_seq, run_job(later, later_seq, cols, today, table, crypt, sink))
        return None
    take(seq, checked)
    return pool
