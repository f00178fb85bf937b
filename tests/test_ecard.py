"""The e-card token: compact, signed, QR version 10 or lower, read back exactly; the trust store."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from station.checkin import ecard
from station.checkin.trust_store import TrustStore

ISSUED = dt.datetime(2026, 11, 25, 10, 0, 0)


def _token(key, **kw):
    args = dict(member=123456789, union="东莞市大朗毛织有限公司工会委员会", name="张三", issued_at=ISSUED,
                valid_for=dt.timedelta(hours=12))
    args.update(kw)
    return ecard.issue(key, **args)


def test_a_token_reads_back_every_field_and_verifies():
    key = ecard.generate_key()
    card = ecard.parse(_token(key))
    assert (card.member, card.union, card.masked_name, card.status) == (123456789, "东莞市大朗毛织有限公司工会委员会", "张*", "active")
    assert card.issued_at == ISSUED and card.expires_at == ISSUED + dt.timedelta(hours=12)
    assert card.kid == ecard.key_id(key.public_key())
    assert ecard.signature_ok(card, key.public_key())


def test_the_token_is_digits_only_so_a_scanner_types_it_through_any_input_method():
    assert _token(ecard.generate_key()).isdigit()


def test_the_full_name_never_enters_the_token():
    token = _token(ecard.generate_key(), name="欧阳娜娜")
    assert ecard.parse(token).masked_name == "欧**娜"
    assert "娜娜".encode() not in ecard.token_bytes(token)


def test_the_longest_token_still_fits_qr_version_10():
    token = _token(ecard.generate_key(), member=2**62, union="很" * 60, name="阿卜杜·热合曼·买买提",
                   valid_for=dt.timedelta(days=3650))
    assert len(token) <= ecard.MAX_DIGITS
    assert ecard.qr_version(token) <= 10
    assert ecard.parse(token).union == "很" * 20  # cut at 60 UTF-8 bytes, on a character boundary


def test_a_typical_token_needs_a_small_qr():
    assert ecard.qr_version(_token(ecard.generate_key())) <= 8


def test_another_key_does_not_verify():
    card = ecard.parse(_token(ecard.generate_key()))
    assert not ecard.signature_ok(card, ecard.generate_key().public_key())


def test_one_changed_digit_fails_the_signature_or_the_format():
    key = ecard.generate_key()
    token = _token(key)
    for pos in range(0, len(token), 7):
        altered = token[:pos] + str((int(token[pos]) + 1) % 10) + token[pos + 1:]
        try:
            card = ecard.parse(altered)
        except ecard.EcardFormatError:
            continue
        assert not ecard.signature_ok(card, key.public_key()), pos


@pytest.mark.parametrize("text", ["", "   ", "https://example.com/?a=1", "6901234567892", "0" + "1" * 300, "1" * 5000,
                                  "１２３", "12a34", "\x00", "٣٣٣٣"])
def test_anything_else_is_a_format_error(text):
    with pytest.raises(ecard.EcardFormatError):
        ecard.parse(text)


def test_a_truncated_token_is_a_format_error():
    token = _token(ecard.generate_key())
    for cut in (1, 10, 100, 200):
        with pytest.raises(ecard.EcardFormatError):
            ecard.parse(token[:-cut])


def test_full_width_digits_from_a_scanner_in_full_width_mode_are_read():
    key = ecard.generate_key()
    token = _token(key)
    wide = token.translate({0x30 + i: 0xFF10 + i for i in range(10)})
    assert ecard.parse(wide).member == 123456789


def test_looks_complete_tells_a_whole_token_from_a_cut_one():
    token = _token(ecard.generate_key())
    assert ecard.looks_complete(token)
    assert not ecard.looks_complete(token[: len(token) // 2])


def test_public_keys_load_from_pem_private_pem_and_base64():
    key = ecard.generate_key()
    kid = ecard.key_id(key.public_key())
    raw = base64.b64encode(ecard.public_raw(key.public_key()))
    for data in (ecard.public_pem(key.public_key()), ecard.private_pem(key), raw):
        assert ecard.key_id(ecard.load_public_key(data)) == kid
    with pytest.raises(ValueError):
        ecard.load_public_key(b"not a key")


# -- trust store ------------------------------------------------------------------------
def test_the_trust_store_finds_keys_by_id_and_survives_reopening(store):
    key = ecard.generate_key()
    kid = TrustStore(store).add(key.public_key(), label="2026").kid
    again = TrustStore(store)
    assert again.get(kid) is not None and again.get(kid).label == "2026"
    assert again.get("00000000") is None


def test_rotation_accepts_old_codes_until_the_old_key_ends(store):
    trust = TrustStore(store)
    old, new = ecard.generate_key(), ecard.generate_key()
    switch = dt.datetime(2026, 12, 1)
    trust.add(old.public_key(), label="2026", valid_until=switch)
    trust.add(new.public_key(), label="2027", valid_from=switch)
    old_key, new_key = trust.get(ecard.key_id(old.public_key())), trust.get(ecard.key_id(new.public_key()))
    assert old_key.covers(switch - dt.timedelta(days=1)) and not old_key.covers(switch + dt.timedelta(seconds=1))
    assert new_key.covers(switch) and not new_key.covers(switch - dt.timedelta(seconds=1))


def test_a_retired_key_covers_nothing(store):
    trust = TrustStore(store)
    key = ecard.generate_key()
    kid = trust.add(key.public_key()).kid
    trust.retire(kid)
    assert not trust.get(kid).covers(ISSUED)
