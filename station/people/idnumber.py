"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

18 characters: a 6-digit address code, the birth date YYYYMMDD, a 3-digit
order code (odd for men, even for women) and a check character (ISO 7064
MOD 11-2, 0-9 or X).

This is the same rule as python-stdnum's ``cn.ric`` check digit and birth
date (tests/test_validators.py holds the two equal), written out because a
1,000,000-row roster import calls it a million times.  It deliberately does
NOT reject a number whose address code did not exist in the birth year, as
``stdnum.cn.ric.validate`` does: the address code is where the card was first
issued, not where the person was born, and Dongguan's 441900 would otherwise
reject everyone born before 1988.  An address code unknown to stdnum's table
is a warning only.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from operator import mul
from typing import NamedTuple

from station.people.textnorm import compact

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ZERO_SUM = 48 * sum(_WEIGHTS)  # what the weights give for the ASCII code of "0" in every place
# Excel turns long digit strings into floats: 4.41900199001011E+17 or
# 441900199001011000.0 — the trailing digits are gone for good.
_EXCEL_NUMBER = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$|^\d{15,}\.0*$")
_SHAPE = re.compile(r"^\d{17}[\dX]$")
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)


class IdCheck(NamedTuple):
    """The outcome of checking one ID number.

    ``number`` is the normalised 18-character form when the number is valid,
    else None and ``error`` holds a message key (see station/messages).
    ``warning`` may be set on a valid number (unknown address code).
    """

    number: str | None
    error: str | None = None
    warning: str | None = None


def normalize(raw: str) -> str:
    """Full-width digits to ASCII, blanks and dashes out, 'x' to 'X'."""
    return compact(raw).replace("-", "").upper()


def check_digit(first17: str) -> str:
    if first17.isascii():
        # The same sum over the bytes, without a Python loop: a million-row import calls this per row.
        return _CHECK[(sum(map(mul, _WEIGHTS, first17.encode())) - _ZERO_SUM) % 11]
    total = 0
    for weight, ch in zip(_WEIGHTS, first17, strict=False):  # a shorter text sums what it has, as before
        total += weight * (ord(ch) - 48)
    return _CHECK[total % 11]


@lru_cache(maxsize=65536)
def _birth_date(yyyymmdd: str) -> datetime.date | None:
    try:
        return datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def address_code_known(code: str) -> bool:
    """Whether stdnum's address-code table knows `code` in any year."""
    from stdnum import numdb

    try:
        results = numdb.get("cn/loc").info(code)
    except Exception:  # noqa: BLE001 - the table itself raising must never reject a person
        return False
    # The table answers per level: a known province with an unknown rest
    # (449999) gives [('44', {province}), ('9999', {})]; only a county entry
    # means the whole 6-digit code is known.
    return any("county" in props for _part, props in results)


def check(raw: object, today: datetime.date | None = None) -> IdCheck:
    """Validate one ID number as typed or read from a sheet.

    Message keys: id_empty, id_excel_number, id_old_15, id_length, id_chars,
    id_birth_date, id_birth_future, id_checksum; warning id_region_unknown.
    """
    if raw is None:
        return IdCheck(None, "id_empty")
    if isinstance(raw, float):  # an Excel number cell: digits are already lost
        return IdCheck(None, "id_excel_number")
    if isinstance(raw, int):
        raw = str(raw)
    if raw.__class__ is str and len(raw) == 18 and raw.isascii() and raw.isalnum():
        text = raw.upper()  # what normalize() gives for plain ASCII letters and digits, sooner
    else:
        text = normalize(str(raw))
        if not text:
            return IdCheck(None, "id_empty")
    if not _SHAPE.match(text):
        if _EXCEL_NUMBER.match(text):
            return IdCheck(None, "id_excel_number")
        if len(text) == 15 and text.isdigit():
            return IdCheck(None, "id_old_15")
        if len(text) != 18:
            return IdCheck(None, "id_length")
        return IdCheck(None, "id_chars")
    born = _birth_date(text[6:14])
    if born is None or born < _EARLIEST_BIRTH:
        return IdCheck(None, "id_birth_date")
    if born > (today or datetime.date.today()):
        return IdCheck(None, "id_birth_future")
    if check_digit(text) != text[17]:
        return IdCheck(None, "id_checksum")
    warning = None if address_code_known(text[:6]) else "id_region_unknown"
    return IdCheck(text, None, warning)


def birth_date(number: str) -> datetime.date:
    """Birth date of a valid, normalised number."""
    born = _birth_date(number[6:14])
    assert born is not None, "birth_date() needs a number that passed check()"
    return born


def sex(number: str) -> str:
    """'M' or 'F' from the order code's parity."""
    return "M" if int(number[16]) % 2 else "F"


def age_on(number: str, day: datetime.date) -> int:
    born = birth_date(number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def tail(number: str, n: int = 4) -> str:
    return number[-n:]
