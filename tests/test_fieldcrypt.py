"""Field encryption and blind indexes: what a stolen database file cannot give away."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.errors import StationError
from station.security.fieldcrypt import INDEX_KINDS, FieldCipher, FieldTampered, _Hmac

ID = "44190019800101123X"
PHONE = "13800138000"


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher.generate()


def test_field_round_trips(cipher):
    blob = cipher.encrypt("members", "id_number", ID)
    assert cipher.decrypt("members", "id_number", blob) == ID


def test_ciphertext_does_not_contain_the_plaintext(cipher):
    blob = cipher.encrypt("members", "id_number", ID)
    assert ID.encode() not in blob and ID[-4:].encode() not in blob[: 1 + 12]


def test_same_value_encrypts_differently_each_time(cipher):
    assert cipher.encrypt("members", "phone", PHONE) != cipher.encrypt("members", "phone", PHONE)


def test_format_is_version_nonce_ciphertext_tag(cipher):
    blob = cipher.encrypt("members", "id_number", ID)
    assert blob[0] == 1 and len(blob) == 1 + 12 + len(ID) + 16


def test_tampered_ciphertext_fails(cipher):
    blob = bytearray(cipher.encrypt("members", "id_number", ID))
    blob[20] ^= 0x01
    with pytest.raises(FieldTampered) as err:
        cipher.decrypt("members", "id_number", bytes(blob))
    assert err.value.key == "field_tampered" and "members" in err.value.message()


def test_ciphertext_moved_to_another_column_fails(cipher):
    blob = cipher.encrypt("members", "phone", PHONE)
    with pytest.raises(FieldTampered):
        cipher.decrypt("registrations", "phone", blob)


def test_ciphertext_moved_to_another_row_fails_when_bound(cipher):
    blob = cipher.encrypt("registrations", "phone", PHONE, bind="uuid-a")
    with pytest.raises(FieldTampered):
        cipher.decrypt("registrations", "phone", blob, bind="uuid-b")


def test_another_data_key_cannot_decrypt(cipher):
    blob = cipher.encrypt("members", "id_number", ID)
    with pytest.raises(FieldTampered):
        FieldCipher.generate().decrypt("members", "id_number", blob)


def test_truncated_or_unknown_version_is_corrupt_not_tampered(cipher):
    blob = cipher.encrypt("members", "id_number", ID)
    for bad in (blob[:10], b"\x02" + blob[1:], b""):
        with pytest.raises(StationError) as err:
            cipher.decrypt("members", "id_number", bad)
        assert err.value.key == "field_corrupt"


def test_data_key_must_be_32_bytes():
    with pytest.raises(StationError) as err:
        FieldCipher(b"short")
    assert err.value.key == "bad_data_key"


def test_encrypt_many_matches_single_encryption_and_keeps_none(cipher):
    blobs = cipher.encrypt_many("members", "phone", [PHONE, None, "13912345678"])
    assert blobs[1] is None
    assert cipher.decrypt("members", "phone", blobs[0]) == PHONE
    assert cipher.decrypt("members", "phone", blobs[2]) == "13912345678"
    assert blobs[0][1:13] != blobs[2][1:13]  # distinct nonces


def test_encrypt_many_binds_each_value_to_its_row(cipher):
    binds = [b"\x00" * 16, "8f0c2d4e-0000-4000-8000-000000000001", b"\x07" * 16]
    blobs = cipher.encrypt_many("members", "id_number", [ID, None, ID], binds=binds)
    assert blobs[1] is None
    assert cipher.decrypt("members", "id_number", blobs[0], binds[0]) == ID
    assert cipher.decrypt("members", "id_number", blobs[2], binds[2]) == ID
    with pytest.raises(FieldTampered):
        cipher.decrypt("members", "id_number", blobs[0], binds[2])  # pasted onto another row
    [one] = cipher.encrypt_many("registrations", "phone", [PHONE], binds=[binds[1]])
    assert cipher.decrypt("registrations", "phone", one, binds[1]) == PHONE


def test_blind_index_is_stable_under_one_key(cipher):
    assert cipher.blind_index("id", ID) == cipher.blind_index("id", ID)
    assert FieldCipher(cipher.data_key).blind_index("id", ID) == cipher.blind_index("id", ID)


def test_blind_index_is_keyed(cipher):
    assert FieldCipher.generate().blind_index("id", ID) != cipher.blind_index("id", ID)


def test_blind_index_kinds_use_separate_keys(cipher):
    assert cipher.blind_index("id_tail", "1234") != cipher.blind_index("phone_tail", "1234")
    assert cipher.blind_index("id", ID)[:8] != cipher.blind_index("id_tail", ID)


def test_blind_index_sizes(cipher):
    for kind, size in INDEX_KINDS.items():
        assert len(cipher.blind_index(kind, "1234")) == size
    assert INDEX_KINDS["id"] >= 16  # the members' unique key: collisions would merge people


def test_prepared_hmac_is_hmac_sha256():
    key = bytes(range(32))
    for msg in (b"", b"1234", ID.encode()):
        assert _Hmac(key)(msg) == hmac.new(key, msg, hashlib.sha256).digest()


def test_member_columns_index_what_search_will_ask(cipher):
    cols = cipher.member_columns(ID, PHONE)
    assert cols["id_bidx"] == cipher.blind_index("id", ID)
    assert cols["id_tail_bidx"] == cipher.blind_index("id_tail", "123X")
    assert cols["phone_tail_bidx"] == cipher.blind_index("phone_tail", "8000")
    assert cipher.decrypt("members", "phone", cols["phone_enc"], cols["id_bidx"]) == PHONE


def test_member_without_phone_has_no_phone_columns(cipher):
    cols = cipher.member_columns(ID, None)
    assert cols["phone_enc"] is None and cols["phone_bidx"] is None and cols["phone_tail_bidx"] is None


def test_member_phone_moved_to_another_member_fails(cipher):
    a = cipher.member_columns(ID, PHONE)
    b = cipher.member_columns("110101199003074578", "13912345678")
    with pytest.raises(FieldTampered):
        cipher.decrypt("members", "phone", a["phone_enc"], b["id_bidx"])


@settings(max_examples=50, deadline=None)
@given(value=st.text(max_size=40), table=st.sampled_from(["members", "registrations"]), bind=st.binary(max_size=16))
def test_any_text_round_trips(value, table, bind):
    c = FieldCipher(b"k" * 32)
    assert c.decrypt(table, "x", c.encrypt(table, "x", value, bind), bind) == value


@settings(max_examples=50, deadline=None)
@given(a=st.text(min_size=1, max_size=20), b=st.text(min_size=1, max_size=20))
def test_distinct_values_get_distinct_exact_indexes(a, b):
    c = FieldCipher(b"k" * 32)
    assert (c.blind_index("id", a) == c.blind_index("id", b)) == (a == b)
