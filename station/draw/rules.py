"""The draw's pure rules: the canonical entry list's digest and the fair pick.

Shared by the station's draw (station/draw/service.py) and the hub, which re-checks a pushed draw's
digest (station/hub/pushes.py) without the station's store.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Protocol


class Sampler(Protocol):
    def sample(self, population: list[str], k: int) -> list[str]: ...


def entries_digest(uuids: list[str]) -> str:
    """SHA-256 (hex) of the canonical entry list: the uuids sorted, one per line, UTF-8."""
    return hashlib.sha256("\n".join(sorted(uuids)).encode("utf-8")).hexdigest()


def pick(entries: list[str], count: int, rng: Sampler | None = None) -> list[str]:
    """`count` distinct entries, each subset equally likely (``secrets.SystemRandom`` unless told)."""
    return (rng or secrets.SystemRandom()).sample(sorted(entries), count)
