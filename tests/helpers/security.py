"""Fixtures for the personal-data-protection tests, and the operators they log in as.

The real KDF costs 0.4 s and 128 MiB a slot by design; tests use the same
code with scrypt's cost turned down, and one test checks the default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from station.security import keyslots, operators
from station.security.keyslots import KdfParams

FAST_KDF = KdfParams(n=2**10, r=8, p=1)
ORGANIZER = "陈主席"
ORGANIZER_SECRET = "长安镇饭堂2026年"
PROMOTER = "陈小燕"
PROMOTER_PIN = "380517"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> Iterator[KdfParams]:
    monkeypatch.setattr(keyslots, "DEFAULT_KDF", FAST_KDF)
    yield FAST_KDF


class FakeClock:
    """A clock a test moves by hand: lockout timing without sleeping."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 11, 25, 12, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def recovery_key(store) -> str:
    """A station set up with its first organizer; the recovery key shown at set-up."""
    return operators.create_first_organizer(store, ORGANIZER, ORGANIZER_SECRET)


@pytest.fixture
def organizer(store, recovery_key):
    return operators.login(store, ORGANIZER, ORGANIZER_SECRET)


@pytest.fixture
def promoter(store, organizer):
    operators.add_operator(store, organizer, PROMOTER, operators.PROMOTER, PROMOTER_PIN)
    return operators.login(store, PROMOTER, PROMOTER_PIN)
