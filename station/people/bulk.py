"""A whole column of ID numbers or mobiles checked at once: the roster import's fast path.

A million-row roster spends most of its checking time on the plain case:
an 18-digit ID number that is valid, and an 11-digit mobile.  Checked one
at a time in Python (station.people.idnumber.check, station.people.mobile.check)
that is several microseconds a value; here a batch of them is one array,
and the checksum, the birth date and the prefix are computed for all of
them in a few array operations (numpy: already installed with OpenCV).

The rule is not written twice.  These functions only *accept*: a value is
given its normalised form here when it is plain and the per-value check
would accept it without a word (no warning); everything else comes back
as None, and the caller asks the per-value check, which gives the verdict
and the message.  tests/test_bulk_checks.py holds the two equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from station.people.idnumber import _CHECK, _WEIGHTS, address_code_known
from station.people.mobile import _prefix_is_mobile

_ZERO = ord("0")
_WEIGHT_ARRAY = np.array(_WEIGHTS, dtype=np.int32)
_CHECK_CODES = np.frombuffer(_CHECK.encode(), dtype=np.uint8)
_PLACES6 = np.array([100_000, 10_000, 1_000, 100, 10, 1], dtype=np.int32)
_PLACES5 = _PLACES6[1:]
_PLACES4 = _PLACES6[2:]
_PLACES2 = _PLACES6[4:]
# Days in each month (index 0 unused), February of a common year.
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _digits(values: Sequence[str], width: int) -> np.ndarray:
    """The values (each `width` characters) as a (n, width) array of character codes; non-ASCII as '?'."""
    data = "".join(values).encode("ascii", "replace")
    return np.frombuffer(data, dtype=np.uint8).reshape(-1, width)


def _of_length(raws: Sequence[object], width: int) -> list[int]:
    return [i for i, raw in enumerate(raws) if raw.__class__ is str and len(raw) == width]


def fast_ids(raws: Sequence[object], today: dt.date) -> list[str | None]:
    """Each plain, valid ID number as idnumber.check normalises it, else None (ask idnumber.check).

    Plain: a str of 17 ASCII digits and a digit or X (either case).  Valid:
    birth date real, from 1900 to `today`, check character right, address
    code known (so check() would give no warning either).
    """
    out: list[str | None] = [None] * len(raws)
    picked = _of_length(raws, 18)
    if not picked:
        return out
    values: list[str] = [raws[i] for i in picked]  # type: ignore[misc]  # _of_length picked str only
    codes = _digits(values, 18)
    digits = codes[:, :17].astype(np.int32) - _ZERO
    last = codes[:, 17]
    last_upper = np.where(last == ord("x"), ord("X"), last)
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    ok &= ((last >= _ZERO) & (last <= _ZERO + 9)) | (last_upper == ord("X"))
    ok &= _CHECK_CODES[(digits @ _WEIGHT_ARRAY) % 11] == last_upper
    year = digits[:, 6:10] @ _PLACES4
    month = digits[:, 10:12] @ _PLACES2
    day = digits[:, 12:14] @ _PLACES2
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    days = _MONTH_DAYS[np.where(month_ok, month, 0)] + (leap & (month == 2))
    ok &= month_ok & (day >= 1) & (day <= days) & (year >= 1900)
    ok &= year * 10_000 + month * 100 + day <= today.year * 10_000 + today.month * 100 + today.day
    region = digits[:, :6] @ _PLACES6
    if ok.any():
        regions, which = np.unique(np.where(ok, region, -1), return_inverse=True)
        known = np.array([r >= 0 and address_code_known(f"{r:06d}") for r in regions.tolist()], dtype=bool)
        ok &= known[which.reshape(-1)]
    for k in np.flatnonzero(ok).tolist():
        out[picked[k]] = values[k].upper()
    return out


def fast_mobiles(raws: Sequence[object]) -> list[str | None]:
    """Each plain valid mobile (a str of 11 ASCII digits, a mobile prefix), else None (ask mobile.check)."""
    out: list[str | None] = [None] * len(raws)
    picked = _of_length(raws, 11)
    if not picked:
        return out
    values: list[str] = [raws[i] for i in picked]  # type: ignore[misc]  # _of_length picked str only
    digits = _digits(values, 11).astype(np.int32) - _ZERO
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    if ok.any():
        prefixes, which = np.unique(np.where(ok, digits[:, :5] @ _PLACES5, -1), return_inverse=True)
        mobile = np.array([p >= 0 and _prefix_is_mobile(f"{p:05d}") for p in prefixes.tolist()], dtype=bool)
        ok &= mobile[which.reshape(-1)]
    for k in np.flatnonzero(ok).tolist():
        out[picked[k]] = values[k]
    return out
