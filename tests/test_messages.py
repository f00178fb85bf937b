"""The message catalogue: every message in both languages, same placeholders."""

from __future__ import annotations

import string

from station.messages import MESSAGES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_chinese_and_english():
    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{key}: Chinese text has no Chinese"


def test_both_languages_use_the_same_placeholders():
    for key, (zh, en) in MESSAGES.items():
        assert _fields(zh) == _fields(en), key
