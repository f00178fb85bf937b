"""Messages of the headless core, in Chinese (default) and English.

The Qt screens translate their own labels with tr() and .qm files; what the
core says to a user — validation results, CLI errors, report columns — is
looked up here so the CLI, the UI and the reports say the same thing.
"""

from __future__ import annotations

import os

from station.messages import MESSAGES

LANGS = ("zh", "en")
_lang = "zh" if os.environ.get("STATION_LANG", "zh") not in LANGS else os.environ.get("STATION_LANG", "zh")


def set_lang(lang: str) -> None:
    global _lang
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGS)}")
    _lang = lang


def get_lang() -> str:
    return _lang


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message `key` in `lang` (default: the current language), filled in.

    An unknown key is a programming error and raises KeyError, which the
    test of the catalogue catches before a user can.
    """
    zh, en = MESSAGES[key]
    text = en if (lang or _lang) == "en" else zh
    return text.format(**params) if params else text
