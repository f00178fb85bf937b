"""People's names: validation and pinyin initials for search.

Promoters search "zs" for 张三: initials come from pypinyin, cached per
character because a roster repeats the same few thousand characters a
million times.
"""

from __future__ import annotations

import re
from functools import cache

from station.people.textnorm import clean_name

MAX_NAME = 40
_BAD = re.compile(r"[0-9@#$%^&*=+<>/\\|{}\[\]~`!?;:\"]")


def check(raw: object) -> tuple[str | None, str | None, dict]:
    """(clean name, error key, message params)."""
    if raw is None:
        return None, "name_empty", {}
    name = clean_name(str(raw))
    if not name:
        return None, "name_empty", {}
    if len(name) > MAX_NAME:
        return None, "name_too_long", {"max": MAX_NAME}
    bad = _BAD.findall(name)
    if bad:
        return None, "name_bad_chars", {"chars": "".join(dict.fromkeys(bad))}
    return name, None, {}


# A name of Chinese characters only (CJK Unified Ideographs, the basic
# block): check() would return it as it is (NFC and every clean-up leave
# these characters alone), so a roster's million names skip the clean-up.
_PLAIN = re.compile(f"[\u4e00-\u9fff]{{1,{MAX_NAME}}}")


def check_plain(raw: str) -> tuple[str, str] | None:
    """(name, initials) when `raw` is a plain Chinese name check() accepts unchanged, else None (ask check())."""
    if _PLAIN.fullmatch(raw) is None:
        return None
    return raw, raw.translate(_INITIALS)


@cache
def _initial(ch: str) -> str:
    if ch.isascii():
        return ch.lower() if ch.isalnum() else ""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore", strict=False)
    return letters[0][:1].lower() if letters and letters[0] else ""


class _InitialTable(dict):
    """Code point -> its initial, for str.translate: each character's pinyin looked up once."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _initial(chr(code))
        return value


_INITIALS = _InitialTable()


def initials(name: str) -> str:
    """'张三' -> 'zs'; Latin words give their first letters; '·' is skipped."""
    if name.isascii():
        return "".join(word[0].lower() for word in name.split() if word[:1].isalnum())
    return name.translate(_INITIALS)
