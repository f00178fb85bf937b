"""The roster import's side databases: the whole file, checked and encrypted, before the store sees any of it.

An import has two steps (station/roster/importer.py).  First every row is
read, checked and encrypted into side databases, files of their own in the
data folder's ``imports/``: they take no lock on the store, so the booth,
the door and the log-in keep working, and cancelling or a bad file just
deletes them.  Then station/roster/publish.py moves them into the store in
short transactions.

* Each checking process (each worker, or the importing process for a small
  file) appends its accepted rows to its own *part*,
  ``roster-<batch>-<tag>.sqlite`` (StagePart): the rows never travel back
  between processes, so both cores check and write.
* The importing process keeps the *stage*, ``roster-<batch>.sqlite``
  (Stage): the parts' names, the file's (enterprise, union) pairs, where
  each batch starts in the file, and the first step's counts.

A part holds what the members table will hold (ciphertexts, blind indexes,
the clean name and its initials) and nothing more: the same protection as
the store.  The files are written without syncs (if the program dies while
they are written, they are worthless and deleted) and synced to disk once,
whole, before the store is told to publish them; from then on a crash is
finished from them (importer.finish_interrupted).

Repeated ID numbers in one file are found once every row is checked
(Stage.finalize): the first row in the file wins and a later one is
reported with the row number of the first.  The importing process keeps
24 bytes a row for that (each accepted row's ID index and position).

A person the store already has with the same roster digest is not staged
at all (StagePart.unchanged, station/roster/known.py): a re-import stages only
what changed.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from station.i18n import t
from station.roster.known import Known, read_only
from station.security.fieldcrypt import DIGEST_BYTES, INDEX_KINDS, NONCE_BYTES, TAG_BYTES
from station.security.masking import mask_id

if TYPE_CHECKING:
    from station.roster.report import RowReport
    from station.roster.rows import Checked
    from station.security.fieldcrypt import FieldCipher

log = logging.getLogger(__name__)

MAX_ORG_NAME = 200  # models.Enterprise.name / models.Union.name are String(200)
POS_BITS = 20  # a staged row's position: batch number << POS_BITS | row in the batch (batches are < 2**20 rows)
_INDEX_CACHE_KIB = 2000  # a small cache makes SQLite sort in runs it merges with helper threads

# A staged row's fixed-size values, one after the other in its `packed` BLOB (fewer values to bind
# per row): (column, 1-based offset, length) as SQL's substr() takes them; the mobile's two are
# there only when the row has a mobile.  An ID number is 18 ASCII characters and a mobile 11
# digits, so their ciphertexts have one size (station/security/fieldcrypt.py).
ID_ENC_BYTES = 1 + NONCE_BYTES + 18 + TAG_BYTES
PHONE_ENC_BYTES = 1 + NONCE_BYTES + 11 + TAG_BYTES
PACKED = (
    ("id_enc", 1, ID_ENC_BYTES),
    ("id_tail", 1 + ID_ENC_BYTES, INDEX_KINDS["id_tail"]),
    ("digest", 1 + ID_ENC_BYTES + INDEX_KINDS["id_tail"], DIGEST_BYTES),
)
_WITHOUT_PHONE = ID_ENC_BYTES + INDEX_KINDS["id_tail"] + DIGEST_BYTES
PACKED_PHONE = (
    ("phone_enc", 1 + _WITHOUT_PHONE, PHONE_ENC_BYTES),
    ("phone_tail", 1 + _WITHOUT_PHONE + PHONE_ENC_BYTES, INDEX_KINDS["phone_tail"]),
)

_PART_SCHEMA = (
    # One row per accepted row of the file: what members will hold, and where in the file it was.
    "CREATE TABLE IF NOT EXISTS staged (pos INTEGER NOT NULL, id_bidx BLOB NOT NULL, packed BLOB NOT NULL,"
    " name TEXT NOT NULL, initials TEXT NOT NULL, pair INTEGER)"
)
# The part's rows again, clustered by ID index (Stage.finalize): what publish.py reads.
_SORTED_SCHEMA = (
    "CREATE TABLE sorted (pos INTEGER NOT NULL, id_bidx BLOB NOT NULL, packed BLOB NOT NULL, name TEXT NOT NULL,"
    " initials TEXT NOT NULL, pair INTEGER, PRIMARY KEY (id_bidx, pos)) WITHOUT ROWID"
)
_STAGE_SCHEMA = (
    "CREATE TABLE parts (name TEXT PRIMARY KEY)",
    # The file's (enterprise, union) pairs by clean name, in the order first seen.
    "CREATE TABLE pairs (pair INTEGER PRIMARY KEY, enterprise TEXT, union_name TEXT, seen INTEGER NOT NULL)",
    # Batch number -> the file row its first row is.
    "CREATE TABLE jobs (job INTEGER PRIMARY KEY, first_row INTEGER NOT NULL)",
    # The first step's counts and the file's name and hash, for a publish finished after a crash.
    "CREATE TABLE facts (key TEXT PRIMARY KEY, value)",
)
_INSERT = "INSERT INTO staged (pos, id_bidx, packed, name, initials, pair) VALUES (?, ?, ?, ?, ?, ?)"


def unpacked(alias: str = "s") -> str:
    """SQL for the staged row's columns, by name, out of its packed BLOB."""
    fixed = [f"substr({alias}.packed, {start}, {size}) AS {name}" for name, start, size in PACKED]
    phone = [
        f"CASE WHEN length({alias}.packed) > {_WITHOUT_PHONE} THEN substr({alias}.packed, {start}, {size}) END AS {name}"
        for name, start, size in PACKED_PHONE
    ]
    return ", ".join([*fixed, *phone])


def stage_path(folder: Path, batch_uuid: str) -> Path:
    return folder / f"roster-{batch_uuid}.sqlite"


def part_path(stage: Path, tag: str) -> Path:
    return stage.with_name(f"{stage.stem}-{tag}.sqlite")


def known_path(stage: Path) -> Path:
    """The store's roster digests for this import's checking (station/roster/known.py)."""
    return stage.with_name(f"{stage.stem}-known.npy")


def _open(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path.as_posix(), isolation_level=None, check_same_thread=False)
    # A rollback journal without syncs: a process killed mid-batch leaves
    # the file as it was before that batch, never damaged.
    con.execute("PRAGMA synchronous = OFF")
    return con


class StagePart:
    """One checking process's part: its accepted rows, appended a batch at a time.

    With `known` (station/roster/known.py: who the store has on its
    roster, and their digests), a batch's people the roster says nothing
    new about are left out (``unchanged``): they are neither encrypted nor
    staged, so a re-import of a roster that changed a little writes a little.
    """

    def __init__(self, path: Path, known: Path | None = None) -> None:
        self.path = path
        self.name = path.name
        self.known = Known(known) if known is not None else None
        self.con: sqlite3.Connection | None = None

    def add(self, rows: Iterable[tuple]) -> int:
        """Append rows (pos, id_bidx, id_enc, …) in one transaction; how many."""
        if self.con is None:
            self.con = _open(self.path)
            self.con.execute(_PART_SCHEMA)
        con = self.con
        before = con.total_changes
        con.execute("BEGIN")
        con.executemany(_INSERT, rows)
        con.execute("COMMIT")
        return con.total_changes - before

    def unchanged(self, id_bidx: list[bytes], digests: list[bytes]) -> set[int]:
        """Indexes of the people the store has on its roster with these digests (nothing new to write)."""
        if self.known is None:
            return set()
        try:
            return self.known.unchanged(id_bidx, digests)
        except (OSError, ValueError):  # the side file unreadable: stage everyone, the publish compares again
            log.warning("roster import: the store's roster digests could not be read", exc_info=True)
            self.known = None
            return set()

    def close(self) -> None:
        if self.known is not None:
            self.known.close()
        if self.con is not None:
            self.con.close()
            self.con = None


class Stage:
    """The importing process's side database: the parts, the pairs and the counts (the first step).

    It also keeps, in memory, the ID index and position of every accepted
    row (staged or found unchanged): 24 bytes a row, from which finalize
    finds the file's repeated IDs with one sort.
    """

    def __init__(self, path: Path, store: Path | None = None) -> None:
        self.path = path
        self.store = store  # the store's database: a repeated ID's masked number, if no copy was staged
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = _open(path)
        for sql in _STAGE_SCHEMA:
            self.con.execute(sql)
        self.con.execute("BEGIN")
        self.parts: set[str] = set()
        self.known = known_path(path)
        self.own = StagePart(part_path(path, "main"), self.known)  # this process's part, for small files
        self.pairs_seen: set[int] = set()
        self._keys: list[bytes] = []
        self._positions: list[np.ndarray] = []
        self.dropped = 0  # staged rows finalize removed (repeats)

    def took(self, job: int, first_row: int, checked: Checked) -> None:
        """A checked batch's bookkeeping: its part, where it starts, its new pairs, its people's IDs."""
        if checked.part not in self.parts:
            self.parts.add(checked.part)
            self.con.execute("INSERT OR IGNORE INTO parts (name) VALUES (?)", (checked.part,))
        self.con.execute("INSERT INTO jobs (job, first_row) VALUES (?, ?)", (job, first_row))
        new = [(key, ent, union, job) for key, ent, union in checked.pairs if key not in self.pairs_seen]
        if new:
            self.pairs_seen.update(p[0] for p in new)
            self.con.executemany(
                "INSERT OR IGNORE INTO pairs (pair, enterprise, union_name, seen) VALUES (?, ?, ?, ?)", new
            )
        if checked.keys:
            self._keys.append(checked.keys)
            self._positions.append((job << POS_BITS) + np.frombuffer(checked.offsets, dtype=np.int32).astype(np.int64))

    def set_facts(self, facts: dict[str, object]) -> None:
        self.con.executemany("INSERT OR REPLACE INTO facts (key, value) VALUES (?, ?)", list(facts.items()))

    def finalize(self, cipher: FieldCipher) -> list[tuple[int, int, str]]:
        """Index the parts and drop the file's repeated IDs: [(row, first row, masked ID)] of the rows dropped."""
        self.own.close()
        con = self.con
        con.execute("COMMIT")
        names = sorted(self.parts)
        _sort_parts([self.path.with_name(name) for name in names])
        repeats = self._repeats()
        first_rows = dict(con.execute("SELECT job, first_row FROM jobs"))
        for i, name in enumerate(names):
            con.execute("ATTACH DATABASE ? AS ?", (str(self.path.with_name(name)), f"p{i}"))
        out = []
        con.execute("BEGIN")
        for pos, first_pos, id_bidx in repeats:
            # Every part: a batch checked again after its worker died may be staged twice.
            id_enc = None
            for i in range(len(names)):
                found = con.execute(
                    f"SELECT substr(packed, 1, {ID_ENC_BYTES}) FROM p{i}.sorted WHERE id_bidx = ?", (id_bidx,)
                ).fetchone()
                id_enc = id_enc or (found and found[0])
                before = con.total_changes
                con.execute(f"DELETE FROM p{i}.sorted WHERE id_bidx = ? AND pos = ?", (id_bidx, pos))
                self.dropped += con.total_changes - before
            shown = self._shown(cipher, id_enc, id_bidx)
            out.append((_row(first_rows, pos), _row(first_rows, first_pos), shown))
        con.execute("COMMIT")
        for i in range(len(names)):
            con.execute(f"DETACH DATABASE p{i}")
        out.sort()
        return out

    def _repeats(self) -> list[tuple[int, int, bytes]]:
        """(pos, pos of the first row with that ID, ID index) of every accepted row whose ID an earlier row has."""
        if not self._keys:
            return []
        keys = np.frombuffer(b"".join(self._keys), dtype=">u8").reshape(-1, 2)
        positions = np.concatenate(self._positions)
        self._keys, self._positions = [], []
        order = np.lexsort((positions, keys[:, 1], keys[:, 0]))
        high, low, pos = keys[order, 0], keys[order, 1], positions[order]
        repeat = np.concatenate(([False], (high[1:] == high[:-1]) & (low[1:] == low[:-1])))
        if not repeat.any():
            return []
        # Each row's run of equal IDs starts at the last place that is no repeat: the file's first row.
        starts = np.maximum.accumulate(np.where(repeat, 0, np.arange(len(pos))))
        later = np.flatnonzero(repeat)
        raw = keys[order[later]].astype(">u8").tobytes()
        return [(int(pos[k]), int(pos[starts[k]]), raw[16 * j : 16 * j + 16]) for j, k in enumerate(later.tolist())]

    def _shown(self, cipher: FieldCipher, id_enc: bytes | None, id_bidx: bytes) -> str:
        """The repeated ID, masked: from a staged copy, or the store's (every copy found unchanged)."""
        if id_enc is None and self.store is not None:
            try:
                con = read_only(self.store)
                try:
                    found = con.execute("SELECT id_enc FROM members WHERE id_bidx = ?", (id_bidx,)).fetchone()
                finally:
                    con.close()
                id_enc = found[0] if found else None
            except sqlite3.Error:
                log.warning("roster import: a repeated ID could not be read from the store", exc_info=True)
        if id_enc is None:
            return "?"
        return mask_id(cipher.decrypt("members", "id_number", id_enc, id_bidx))

    def seal(self) -> None:
        """Everything on disk: from here on a publish can always be finished from these files."""
        self.con.close()
        for path in [self.path, *(self.path.with_name(n) for n in self.parts)]:
            with path.open("rb+") as fh:
                os.fsync(fh.fileno())

    def discard(self) -> None:
        self.own.close()
        try:
            self.con.close()
        except sqlite3.Error:  # pragma: no cover - closing a broken connection
            log.exception("closing the import's side database failed")
        remove_all(self.path)


def _sort_parts(paths: list[Path]) -> None:
    """Each part's rows copied again in ID-index order, clustered, the parts side by side on both cores.

    A publish slice (a range of IDs) then reads its rows one after the
    other instead of one random row fetch per ID.  SQLite lets go of the
    GIL while it sorts, so a thread per part keeps each core busy.
    """

    def sort(path: Path) -> None:
        con = _open(path)
        try:
            con.execute(f"PRAGMA cache_size = -{_INDEX_CACHE_KIB}")
            con.execute("BEGIN")
            con.execute("DROP TABLE IF EXISTS sorted")
            con.execute(_SORTED_SCHEMA)
            con.execute(
                "INSERT INTO sorted (pos, id_bidx, packed, name, initials, pair)"
                " SELECT pos, id_bidx, packed, name, initials, pair FROM staged ORDER BY id_bidx, pos"
            )
            con.execute("COMMIT")
        finally:
            con.close()

    if len(paths) <= 1:
        for path in paths:
            sort(path)
        return
    with ThreadPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1)) as threads:
        list(threads.map(sort, paths))


def _row(first_rows: dict[int, int], pos: int) -> int:
    return first_rows[pos >> POS_BITS] + (pos & ((1 << POS_BITS) - 1))


def remove_all(stage: Path) -> None:
    """The stage and every part beside it."""
    for path in [stage, known_path(stage), *stage.parent.glob(f"{stage.stem}-*.sqlite")]:
        for suffix in ("", "-journal"):
            try:
                Path(str(path) + suffix).unlink(missing_ok=True)
            except OSError:  # Windows: still open somewhere; the next import's clean-up takes it
                log.warning("could not remove %s%s", path, suffix, exc_info=True)


def read_facts(path: Path) -> dict[str, object]:
    con = sqlite3.connect(path.as_posix())
    try:
        return dict(con.execute("SELECT key, value FROM facts").fetchall())
    finally:
        con.close()


def part_names(con: sqlite3.Connection) -> list[str]:
    return [r[0] for r in con.execute("SELECT name FROM stage.parts ORDER BY name")]


# -- the first step's bookkeeping in the importing process: the report and the counts ----------------------


def stage_taker(
    stage: Stage, column_names: dict[str, str], report: RowReport, counts: dict
) -> Callable[[int, int, Checked], None]:
    """`take(job, first row number, checked)`: a checked batch's problems into the report, its counts added."""
    lang = report.lang

    def take(job: int, first_row: int, checked: Checked) -> None:
        stage.took(job, first_row, checked)
        entries: list[tuple[int, str, str, str, bool, str]] = []
        rejected_rows = set()
        warned_rows = set()
        for index, fld, value, key, kw, is_reject in checked.problems:
            if is_reject:
                rejected_rows.add(index)
                reason = t(key, lang, **kw)
            else:
                warned_rows.add(index)
                phone = fld == "phone"
                reason = t("roster_phone_dropped", lang, reason=t(key, lang)) if phone else t(key, lang, **kw)
            entries.append((first_row + index, column_names[fld], value, reason, is_reject, fld))
        if entries:
            entries.sort(key=lambda e: e[0])
            for entry in entries:
                report.add(*entry)
        counts["rejected"] += len(rejected_rows)
        counts["warnings"] += len(warned_rows - rejected_rows)
        counts["rows_read"] += checked.data_rows
        counts["staged"] += checked.staged

    return take


def report_repeats(repeats: list[tuple[int, int, str]], column: str, report: RowReport, counts: dict) -> None:
    """The file's repeated IDs, found by Stage.finalize, into the report (after the other problems)."""
    lang = report.lang
    for row, first, shown in repeats:
        report.add(row, column, shown, t("roster_duplicate_id", lang, first=first), True, "id_number")
    counts["duplicates"] += len(repeats)
