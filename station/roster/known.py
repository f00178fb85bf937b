"""Who the store already has on its roster, and what the roster said of them: a re-import's short-cut.

A town re-imports its whole roster when a few people changed.  Each
checked row has a roster digest (station/roster/rows.py); a person the
store has on its roster with the same digest has nothing new to write, so
the checking processes neither encrypt nor stage them.

To ask that a million times without a million queries, the importing
process reads the store once (read-only, no lock held but a snapshot) into
a side file beside the stage: every roster member's ID index and the
first 8 bytes of their digest, sorted, as three arrays (numpy's .npy).
Each checking process maps the file and looks up a whole batch with one
binary search.

Only "unchanged" is decided here, and only on equality of the full
16-byte ID index and 8 digest bytes: a person whose digest differs in
those bytes changed (a 64-bit chance of 2**-64 to miss a change); two
members whose index starts alike just send the person through the normal
path, where the publish compares the full digest again.  The snapshot may
be older than the store by the time the rows are published; that changes
nothing, because the publish also leaves alone whoever has the same digest.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

DIGEST_PREFIX = 8  # digest bytes compared
_FETCH = 100_000
_QUERY = (
    f"SELECT id_bidx, substr(roster_digest, 1, {DIGEST_PREFIX}) FROM members"
    " WHERE on_roster = 1 AND length(id_bidx) = 16 AND length(roster_digest) >= ?"
)


def read_only(database: Path) -> sqlite3.Connection:
    """A read-only connection to the store (it never takes the write lock)."""
    con = sqlite3.connect(database.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
    con.execute("PRAGMA busy_timeout = 5000")
    return con


def write_known(database: Path, out: Path) -> int:
    """The store's roster members into `out` (.npy, 3 x n uint64: ID index high, low, digest prefix): how many."""
    con = read_only(database)
    try:
        cur = con.execute(_QUERY, (DIGEST_PREFIX,))
        chunks = []
        while rows := cur.fetchmany(_FETCH):
            chunks.append(np.frombuffer(b"".join([b + d for b, d in rows]), dtype=">u8").reshape(-1, 3))
    finally:
        con.close()
    data = np.concatenate(chunks).astype(np.uint64) if chunks else np.empty((0, 3), dtype=np.uint64)
    del chunks
    order = np.lexsort((data[:, 1], data[:, 0]))
    columns = np.empty((3, len(data)), dtype=np.uint64)
    for c in range(3):
        columns[c] = data[order, c]
    del data, order
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        np.save(fh, columns)
    return columns.shape[1]


class Known:
    """A checking process's view of the side file: which of a batch's people are unchanged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._columns: np.ndarray | None = None

    def unchanged(self, id_bidx: list[bytes], digests: list[bytes]) -> set[int]:
        """Indexes (into the lists) of the people the store has on its roster with these digests."""
        if not id_bidx:
            return set()
        if self._columns is None:
            self._columns = np.load(self.path, mmap_mode="r")
        high, low, prefix = self._columns
        if len(high) == 0:
            return set()
        keys = np.frombuffer(b"".join(id_bidx), dtype=">u8").reshape(-1, 2).astype(np.uint64)
        mine = np.frombuffer(b"".join([d[:DIGEST_PREFIX] for d in digests]), dtype=">u8").astype(np.uint64)
        at = np.minimum(np.searchsorted(high, keys[:, 0]), len(high) - 1)
        same = (high[at] == keys[:, 0]) & (low[at] == keys[:, 1]) & (prefix[at] == mine)
        return set(np.flatnonzero(same).tolist())

    def close(self) -> None:
        """Let go of the mapped file (Windows removes no file still mapped)."""
        self._columns = None
