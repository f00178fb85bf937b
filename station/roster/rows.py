"""Checking roster rows with the station's rules, and encrypting the accepted ones.

These are the functions the import's worker processes run (the pool is
station.roster.pool): a batch of raw sheet rows, or a block of CSV bytes,
becomes a ``Checked`` of plain lists: the accepted rows with their ID
numbers and mobiles already encrypted and blind-indexed, and the problems
found, their personal values masked.  No database is needed here.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple, cast

from station.people import bulk, idnumber, mobile, names
from station.people.textnorm import clean_org_name
from station.roster.detection import is_blank
from station.roster.mapping import normalize_header
from station.roster.report import mask_value
from station.roster.staging import MAX_ORG_NAME, POS_BITS, StagePart
from station.roster.tabular import Cell, cell_text, parse_csv_block
from station.security.fieldcrypt import FieldCipher
from station.security.masking import mask_id

# A problem found while checking: (index in batch, field, value as text,
# message key, message params, True when the row is rejected).
Problem = tuple[int, str, str, str, dict, bool]

_NAME_CACHE: dict[str, tuple[str | None, str | None, dict, str]] = {}
_NAME_CACHE_MAX = 50_000  # names repeat (王伟, 李娜…); kept small: every worker holds its own


def _check_name(raw: str) -> tuple[str | None, str | None, dict, str]:
    hit = _NAME_CACHE.get(raw)
    if hit is None:
        clean, error, params = names.check(raw)
        hit = (clean, error, params, names.initials(clean) if clean else "")
        if len(_NAME_CACHE) >= _NAME_CACHE_MAX:
            _NAME_CACHE.clear()
        _NAME_CACHE[raw] = hit
    return hit


@dataclass(frozen=True)
class Columns:
    """Where the fields are, and what the header says in the ID column."""

    name: int
    id_number: int
    phone: int | None
    enterprise: int | None
    union: int | None
    width: int
    header_id: str | None  # normalised header text of the ID column, to skip the header printed again


class Checked(NamedTuple):
    """The outcome of checking one batch: small, cheap to send between processes.

    The accepted rows themselves are already in the checking process's
    stage part (station/roster/staging.py), encrypted and blind-indexed;
    what comes back is what the importing process needs for the counts and
    the report.  Indexes count the batch's rows from 0 (blank ones
    included); the problems' ID and mobile values are masked.
    """

    rows: int  # rows in the batch
    data_rows: int  # rows that were not blank or a repeated header
    staged: int  # accepted rows written to the stage part
    part: str  # the stage part's file name
    pairs: list[tuple[int, str | None, str | None]]  # (pair key, enterprise, union) seen in the batch
    problems: list[Problem]
    keys: bytes = b""  # every accepted row's ID index (16 bytes each), staged or left alone as unchanged
    offsets: bytes = b""  # and its index in the batch (int32 each)


# -- encrypting the accepted rows ------------------------------------------------------


class _TailIndexes(dict):
    """tail -> its blind index, computed on first sight (dict lookups from C after that)."""

    __slots__ = ("_index",)

    def __init__(self, cipher: FieldCipher, kind: str) -> None:
        super().__init__()
        self._index = partial(cipher.blind_index, kind)

    def __missing__(self, tail: str) -> bytes:
        value = self[tail] = self._index(tail)
        return value


_LAST4 = itemgetter(slice(-4, None))


class RowCrypt:
    """The batch step that turns checked numbers into what the members table stores.

    Tail indexes have only ~11,000 (ID) and 10,000 (mobile) possible
    inputs, so each is computed once per process and then looked up.
    """

    __slots__ = ("_id_tails", "_phone_tails", "cipher")

    def __init__(self, cipher: FieldCipher) -> None:
        self.cipher = cipher
        self._id_tails = _TailIndexes(cipher, "id_tail")
        self._phone_tails = _TailIndexes(cipher, "phone_tail")

    def protect(
        self, numbers: list[str], phones: list[str | None], id_bidx: list[bytes]
    ) -> tuple[list[bytes], list[bytes], list[bytes | None], list[bytes | None]]:
        """(id_enc, id_tail_bidx, phone_enc, phone_tail_bidx) for normalised numbers, their ID indexes and mobiles."""
        cipher = self.cipher
        # Checked numbers are never None, so neither are their ciphertexts.
        id_enc = cast("list[bytes]", cipher.encrypt_many("members", "id_number", numbers, binds=id_bidx))
        phone_enc = cipher.encrypt_many("members", "phone", phones, binds=id_bidx)
        id_tail = list(map(self._id_tails.__getitem__, map(_LAST4, numbers)))
        phone_tails = self._phone_tails
        phone_tail = [None if phone is None else phone_tails[phone[-4:]] for phone in phones]
        return id_enc, id_tail, phone_enc, phone_tail

    def digests(
        self, names: list[str], phones: list[str | None], enterprises: list[Cell], unions: list[Cell]
    ) -> list[bytes]:
        """The keyed digest of each row's name, mobile, enterprise and union (members.roster_digest).

        Equal digests mean the roster says nothing new about the person, so
        a re-import leaves their row alone.  Keyed like a blind index: it
        tells nothing without the data key.
        """
        n = len(names)
        ents = [_text(v) for v in enterprises] if enterprises else [""] * n
        unis = [_text(v) for v in unions] if unions else [""] * n
        texts = [
            f"{name}\x1f{phone or ''}\x1f{ent}\x1f{union}"
            for name, phone, ent, union in zip(names, phones, ents, unis, strict=False)
        ]
        return self.cipher.digests(texts)

    def id_indexes(self, numbers: list[str]) -> list[bytes]:
        return cast("list[bytes]", self.cipher.blind_indexes("id", numbers))


def _text(value: Cell) -> str:
    return value if value.__class__ is str else cell_text(value)


# Set in each worker process by station.roster.pool.init_worker, from the
# pool's initializer argument: the key arrives once, through the pipe that
# starts the worker.  The importing process never sets it; it passes its
# own RowCrypt.
_WORKER_CRYPT: RowCrypt | None = None
_WORKER_SINK: StagePart | None = None


def set_worker_crypt(crypt: RowCrypt, sink: StagePart) -> None:
    """The worker's own RowCrypt and stage part, used by check_rows when the job brings none (pool.init_worker)."""
    global _WORKER_CRYPT, _WORKER_SINK
    _WORKER_CRYPT = crypt
    _WORKER_SINK = sink


def check_rows(
    rows: list[list[Cell]], cols: Columns, today: dt.date, skip: int = 0, *, job: int = 0,
    crypt: RowCrypt | None = None, sink: StagePart | None = None,
) -> Checked:  # fmt: skip
    """Check one batch of raw sheet rows with the station's rules and stage the good ones.

    The first `skip` rows (title rows and header) are passed over, and so
    are blank rows and the header printed again (sheets made of printed
    pages repeat it on every page).  `job` numbers the batch in file order
    (the staged rows' position).  Runs in worker processes for big files
    (crypt and sink None: the worker's own); in this process the caller
    passes them.
    """
    crypt = crypt or _WORKER_CRYPT
    sink = sink or _WORKER_SINK
    if crypt is None or sink is None:
        raise RuntimeError("roster rows checked without a cipher or a stage")
    with no_gc():
        return _check_rows_now(rows, cols, today, skip, crypt, sink, job)


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector off: bulk work makes only acyclic lists
    and tuples, and the collector's passes over them cost a tenth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_rows_now(
    rows: list[list[Cell]], cols: Columns, today: dt.date, skip: int, crypt: RowCrypt, sink: StagePart, job: int
) -> Checked:
    ok_index: list[int] = []
    enterprises: list[Cell] = []
    unions: list[Cell] = []
    # Equal enterprise names become one object, so sending them back to
    # the main process costs one copy per name rather than one per row.
    same: dict[Cell, Cell] = {}
    ent_col, union_col = cols.enterprise, cols.union
    numbers: list[str] = []
    clean_names: list[str] = []
    initials: list[str] = []
    phones: list[str | None] = []
    problems: list[Problem] = []
    name_col, id_col, phone_col, width, header_id = cols.name, cols.id_number, cols.phone, cols.width, cols.header_id
    data: list[tuple[int, list[Cell]]] = []
    for index, cells in enumerate(rows):
        if index < skip or not any(cells):
            continue
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        id_raw = cells[id_col]
        if isinstance(id_raw, str):
            if not id_raw.strip() and is_blank(cells):
                continue  # only spaces
            # ID cells start with a digit: only other text can be the header again.
            if header_id is not None and id_raw[:1].isalpha() and normalize_header(id_raw) == header_id:
                continue
        data.append((index, cells))
    # The plain valid IDs and mobiles of the whole batch at once; the rest one by one below.
    id_raws = [cells[id_col] for _index, cells in data]
    fast_numbers = bulk.fast_ids(id_raws, today)
    phone_raws = [cells[phone_col] for _index, cells in data] if phone_col is not None else []
    fast_phones = bulk.fast_mobiles(phone_raws) if phone_col is not None else []
    id_check = idnumber.check
    phone_check = mobile.check
    plain_name = names.check_plain
    for k, (index, cells) in enumerate(data):
        number = fast_numbers[k]
        warning = None
        if number is None:
            result = id_check(id_raws[k], today)
            number, warning = result.number, result.warning
        name_raw = cells[name_col]
        plain = plain_name(name_raw) if isinstance(name_raw, str) else None
        name: str | None
        if plain is not None:
            name, name_initials = plain
        else:
            name_text = name_raw if isinstance(name_raw, str) else cell_text(name_raw)
            name, name_error, name_params, name_initials = _check_name(name_text)
            if name_error:
                problems.append((index, "name", name_text, name_error, name_params, True))
        if number is None:
            raw = id_raws[k]
            problems.append((index, "id_number", mask_value("id_number", cell_text(raw)), result.error, {}, True))  # type: ignore[arg-type]  # error is set when number is None
            continue
        if name is None:
            continue
        if warning:
            problems.append((index, "id_number", mask_id(number), warning, {}, False))
        phone = None
        if phone_col is not None:
            phone = fast_phones[k]
            if phone is None:
                phone_raw = phone_raws[k]
                if phone_raw != "" and phone_raw is not None:
                    checked = phone_check(phone_raw)
                    phone = checked.number
                    if phone is None and checked.error != "phone_empty":
                        error = cast("str", checked.error)  # set when number is None
                        problems.append((index, "phone", mask_value("phone", cell_text(phone_raw)), error, {}, False))
        ok_index.append(index)
        numbers.append(number)
        clean_names.append(name)
        initials.append(name_initials)
        phones.append(phone)
        if ent_col is not None:
            value = cells[ent_col]
            enterprises.append(same.setdefault(value, value))
        if union_col is not None:
            value = cells[union_col]
            unions.append(same.setdefault(value, value))
    id_bidx = crypt.id_indexes(numbers)
    digests = crypt.digests(clean_names, phones, enterprises, unions)
    pair_keys, pairs = (
        _pairs(ok_index, enterprises, unions, problems) if (ent_col, union_col) != (None, None) else (None, [])
    )
    # Every accepted row's ID index and place, for the file's repeats (staging.Stage.finalize).
    keys = b"".join(id_bidx)
    offsets = array("i", ok_index).tobytes()
    same_as_store = sink.unchanged(id_bidx, digests)
    if same_as_store:  # only the people the roster says something new about are encrypted and staged
        keep = [k for k in range(len(ok_index)) if k not in same_as_store]
        ok_index = [ok_index[k] for k in keep]
        numbers = [numbers[k] for k in keep]
        phones = [phones[k] for k in keep]
        id_bidx = [id_bidx[k] for k in keep]
        digests = [digests[k] for k in keep]
        clean_names = [clean_names[k] for k in keep]
        initials = [initials[k] for k in keep]
        if pair_keys is not None:
            pair_keys = [pair_keys[k] for k in keep]
    id_enc, id_tail, phone_enc, phone_tail = crypt.protect(numbers, phones, id_bidx)
    base = job << POS_BITS
    # The fixed-size values in one BLOB (staging.PACKED): a third fewer values to bind per row.
    packed = [
        ie + it + dg if pe is None else ie + it + dg + pe + pt  # type: ignore[operator]  # pt is set with pe
        for ie, it, dg, pe, pt in zip(id_enc, id_tail, digests, phone_enc, phone_tail, strict=False)
    ]
    staged = sink.add(
        zip(
            [base + i for i in ok_index],
            id_bidx,
            packed,
            clean_names,
            initials,
            pair_keys or repeat(None),
            strict=False,
        )
    )
    return Checked(len(rows), len(data), staged, sink.name, pairs, problems, keys, offsets)


def _pairs(
    ok_index: list[int], enterprises: list[Cell], unions: list[Cell], problems: list[Problem]
) -> tuple[list[int | None], list[tuple[int, str | None, str | None]]]:
    """Each accepted row's (enterprise, union) pair key, and the batch's pairs; too-long names dropped with a warning."""
    n = len(ok_index)
    ents = enterprises or [""] * n
    unis = unions or [""] * n
    seen: dict[tuple[Cell, Cell], tuple[int | None, list]] = {}
    pairs: dict[int, tuple[int, str | None, str | None]] = {}
    keys: list[int | None] = []
    for index, ent_raw, union_raw in zip(ok_index, ents, unis, strict=False):
        hit = seen.get((ent_raw, union_raw))
        if hit is None:
            key, ent, union, dropped = pair_of(ent_raw, union_raw)
            if key is not None:
                pairs.setdefault(key, (key, ent, union))
            hit = seen[(ent_raw, union_raw)] = (key, dropped)
        key, dropped = hit
        if dropped:
            for fld, value in dropped:
                problems.append((index, fld, value, "roster_org_dropped", {"max": MAX_ORG_NAME}, False))
        keys.append(key)
    return keys, list(pairs.values())


def pair_of(ent_raw: Cell, union_raw: Cell) -> tuple[int | None, str | None, str | None, list]:
    """(pair key or None, clean enterprise, clean union, [(field, value)] of names too long to keep).

    The key is the same in every process (a hash of the clean names), so
    the workers' stage parts agree on it without asking each other.
    """
    names: list[str | None] = []
    dropped = []
    for fld, raw in (("enterprise", ent_raw), ("union", union_raw)):
        name = clean_org_name(cell_text(raw)) if raw not in ("", None) else ""
        if len(name) > MAX_ORG_NAME:
            dropped.append((fld, cell_text(raw)))
            name = ""
        names.append(name or None)
    ent, union = names
    if ent is None and union is None:
        return None, None, None, dropped
    digest = hashlib.blake2b(f"{ent or ''}\x1f{union or ''}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True), ent, union, dropped


def check_csv_block(
    data: bytes, encoding: str, delimiter: str, skip: int, cols: Columns, today: dt.date, *, job: int = 0,
    crypt: RowCrypt | None = None, sink: StagePart | None = None,
) -> Checked:  # fmt: skip
    """Parse a block of CSV bytes (whole records) and check its rows: a worker's job."""
    return check_rows(parse_csv_block(data, encoding, delimiter), cols, today, skip, job=job, crypt=crypt, sink=sink)
