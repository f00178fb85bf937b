"""Chinese mobile numbers (11 digits, 1xx xxxx xxxx).

Validity comes from the phonenumbers library's metadata for CN mobiles.
Its pattern depends on the first five digits only, so the answer is cached
per 5-digit prefix: exact, and fast enough for a million-row roster.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from station.people.textnorm import compact

_STRIP = re.compile(r"[-()（）./]")
_COUNTRY = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")


class MobileCheck(NamedTuple):
    """The outcome of checking one mobile: the 11 digits, or None and a message key.

    A named tuple: a million-row import makes one a row, at half the cost of a frozen dataclass.
    """

    number: str | None
    error: str | None = None


def normalize(raw: str) -> str:
    """Blanks, dashes and brackets out; +86 / 0086 / 86- prefixes removed."""
    text = _STRIP.sub("", compact(raw))
    return _COUNTRY.sub("", text)


@cache
def _prefix_is_mobile(prefix5: str) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse(prefix5 + "000000", "CN")
    except phonenumbers.NumberParseException:  # "00801…" reads as an unknown country code: no mobile
        return False
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def check(raw: object) -> MobileCheck:
    """Validate one mobile number.  Keys: phone_empty, phone_format, phone_not_mobile."""
    if raw is None:
        return MobileCheck(None, "phone_empty")
    if isinstance(raw, float):  # an Excel number cell: 13800138000.0 is exact
        if raw != int(raw):
            return MobileCheck(None, "phone_format")
        raw = int(raw)
    if raw.__class__ is str and len(raw) == 11 and raw.isascii() and raw.isdigit():
        text = raw  # already what normalize() would give: skip it (a million-row import checks one a row)
    else:
        text = normalize(str(raw))
        if not text:
            return MobileCheck(None, "phone_empty")
    if len(text) != 11 or not text.isdigit():
        return MobileCheck(None, "phone_format")
    if not _prefix_is_mobile(text[:5]):
        return MobileCheck(None, "phone_not_mobile")
    return MobileCheck(text)


def tail(number: str, n: int = 4) -> str:
    return number[-n:]
