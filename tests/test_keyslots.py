"""Key slots: the data key opens only with the right secret, and every failure says which it is."""

from __future__ import annotations

import os

import pytest
from helpers.security import FAST_KDF
from hypothesis import given, settings
from hypothesis import strategies as st

from station.errors import StationError
from station.security import keyslots
from station.security.keyslots import (
    DEFAULT_KDF,
    KIND_OPERATOR,
    KIND_RECOVERY,
    SlotWrongSecret,
    _checksum,
    format_recovery_key,
    make_slot,
    new_recovery_key,
    open_slot,
    parse_recovery_key,
)

STATION = "11111111-2222-3333-4444-555555555555"
OTHER_STATION = "99999999-2222-3333-4444-555555555555"
OWNER = "op-uuid-1"
DATA_KEY = os.urandom(32)


def _slot(secret="380517", **kw):
    args = dict(station_uuid=STATION, kind=KIND_OPERATOR, owner=OWNER, params=FAST_KDF)
    args.update(kw)
    return make_slot(DATA_KEY, secret, **args)


def _open(slot, secret="380517", station=STATION, owner=OWNER):
    return open_slot(slot, secret, station_uuid=station, owner=owner, owner_label="陈小燕")


def test_right_secret_opens_the_data_key():
    assert _open(_slot()) == DATA_KEY


def test_full_width_digits_from_an_input_method_open_the_slot():
    assert _open(_slot(), "３８０５１７") == DATA_KEY


def test_wrong_pin_is_refused_as_wrong_secret():
    with pytest.raises(SlotWrongSecret) as err:
        _open(_slot(), "380518")
    assert err.value.key == "slot_wrong_secret"


def test_slot_stores_no_secret_and_no_data_key():
    slot = _slot()
    stored = b"".join([slot.salt, slot.verifier, slot.nonce, slot.wrapped, slot.checksum])
    assert b"380517" not in stored and DATA_KEY not in stored


def test_corrupted_slot_is_reported_as_corrupt():
    slot = _slot()
    slot.wrapped = slot.wrapped[:-3]  # a torn write
    with pytest.raises(StationError) as err:
        _open(slot)
    assert err.value.key == "slot_corrupt" and "陈小燕" in err.value.message()


def test_bit_flip_on_disk_is_corrupt_not_wrong_pin():
    slot = _slot()
    slot.salt = bytes([slot.salt[0] ^ 1]) + slot.salt[1:]
    with pytest.raises(StationError) as err:
        _open(slot)
    assert err.value.key == "slot_corrupt"


def test_absurd_kdf_parameters_are_corrupt_and_not_run():
    slot = _slot()
    slot.kdf_n = 2**30
    slot.checksum = _checksum(slot)
    with pytest.raises(StationError) as err:
        _open(slot)
    assert err.value.key == "slot_corrupt"


def test_tampered_wrap_with_right_pin_is_reported_as_tampered():
    slot = _slot()
    slot.wrapped = bytes([slot.wrapped[0] ^ 1]) + slot.wrapped[1:]
    slot.checksum = _checksum(slot)  # someone who knew to fix the checksum
    with pytest.raises(StationError) as err:
        _open(slot)
    assert err.value.key == "slot_tampered"


def test_slot_moved_to_another_operator_is_tampered():
    with pytest.raises(StationError) as err:
        _open(_slot(), owner="op-uuid-2")
    assert err.value.key == "slot_tampered"


def test_slot_from_another_station_is_detected():
    with pytest.raises(StationError) as err:
        _open(_slot(), station=OTHER_STATION)
    assert err.value.key == "slot_other_station"
    assert STATION in err.value.message() and OTHER_STATION in err.value.message()


def test_slot_relabelled_to_this_station_still_fails():
    slot = _slot(station_uuid=OTHER_STATION)
    slot.station_uuid = STATION
    slot.checksum = _checksum(slot)
    with pytest.raises(StationError) as err:
        _open(slot)
    assert err.value.key == "slot_tampered"


def test_each_slot_has_its_own_salt():
    assert _slot().salt != _slot().salt


def test_kdf_parameters_are_stored_per_slot():
    slot = _slot(params=keyslots.KdfParams(n=2**11, r=4, p=1))
    assert (slot.kdf_n, slot.kdf_r, slot.kdf_p) == (2**11, 4, 1)
    assert _open(slot) == DATA_KEY


def test_default_kdf_is_memory_hard():
    assert DEFAULT_KDF.n >= 2**17 and DEFAULT_KDF.r >= 8 and DEFAULT_KDF.memory_mb >= 128


# -- the recovery key ---------------------------------------------------------------------


def test_recovery_key_is_eight_groups_of_six_digits():
    key = new_recovery_key()
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 6 and g.isdigit() for g in groups)


def test_recovery_key_carries_128_bits():
    assert len(parse_recovery_key(new_recovery_key())) == 16
    assert len({new_recovery_key() for _ in range(50)}) == 50


def test_recovery_key_opens_the_recovery_slot():
    key = new_recovery_key()
    slot = make_slot(DATA_KEY, parse_recovery_key(key), station_uuid=STATION, kind=KIND_RECOVERY, owner="recovery")
    typed = " ".join(key.split("-"))  # spaces instead of dashes
    assert open_slot(slot, parse_recovery_key(typed), station_uuid=STATION, owner="recovery", owner_label="r") == DATA_KEY


def test_recovery_key_typo_is_caught_and_names_the_group():
    groups = new_recovery_key().split("-")
    g = groups[3]
    groups[3] = g[:2] + str((int(g[2]) + 1) % 10) + g[3:]
    with pytest.raises(StationError) as err:
        parse_recovery_key("-".join(groups))
    assert err.value.key == "recovery_key_typo" and err.value.params["group"] == 4


def test_recovery_key_of_wrong_length_says_how_many_digits():
    with pytest.raises(StationError) as err:
        parse_recovery_key("123456-")
    assert err.value.key == "recovery_key_length" and err.value.params["count"] == 6


@settings(max_examples=200, deadline=None)
@given(secret=st.binary(min_size=16, max_size=16), group=st.integers(0, 7), pos=st.integers(0, 5), delta=st.integers(1, 9))
def test_every_single_digit_typo_is_caught(secret, group, pos, delta):
    digits = list(format_recovery_key(secret).replace("-", ""))
    i = group * 6 + pos
    digits[i] = str((int(digits[i]) + delta) % 10)
    with pytest.raises(StationError):
        parse_recovery_key("".join(digits))


@settings(max_examples=200, deadline=None)
@given(secret=st.binary(min_size=16, max_size=16), group=st.integers(0, 7), pos=st.integers(0, 4))
def test_every_swap_of_neighbouring_digits_is_caught(secret, group, pos):
    digits = list(format_recovery_key(secret).replace("-", ""))
    i = group * 6 + pos
    if digits[i] == digits[i + 1]:
        return
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    with pytest.raises(StationError):
        parse_recovery_key("".join(digits))


@settings(max_examples=100, deadline=None)
@given(secret=st.binary(min_size=16, max_size=16))
def test_recovery_key_format_round_trips(secret):
    assert parse_recovery_key(format_recovery_key(secret)) == secret
