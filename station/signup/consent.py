"""The versioned consent text (PIPL 告知同意) shown at every sign-up.

The version is stored with each sign-up, so a change of wording is a new
file with a new version, never an edit of an old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from station.store.paths import resources_dir

CURRENT_VERSION = "v1"


@dataclass(frozen=True)
class Consent:
    version: str
    text_zh: str
    text_en: str

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_zh


@lru_cache(maxsize=4)
def consent(version: str = CURRENT_VERSION) -> Consent:
    folder = resources_dir() / "consent"
    zh = (folder / f"consent-{version}.zh.txt").read_text(encoding="utf-8")
    en = (folder / f"consent-{version}.en.txt").read_text(encoding="utf-8")
    return Consent(version, zh, en)
