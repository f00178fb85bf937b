"""Bad input of any kind gets a verdict, never an exception: fuzzing decoder → verdict."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_checkin_world import World

from station.checkin import decoder, ecard

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def checker(store, organizer):
    world = World(store, organizer)
    service = world.service(world.event(capacity=50))
    service.repeat_window = 0
    return world, service


@SETTINGS
@given(text=st.text(max_size=3000))
def test_any_text_gets_a_refusal_never_an_exception(checker, text):
    _, service = checker
    v = service.check_code(text, "wedge")
    assert (v.verdict, v.reason) == ("refuse", "invalid")


@SETTINGS
@given(data=st.binary(max_size=2048))
def test_any_bytes_as_decoded_text_get_a_verdict(checker, data):
    _, service = checker
    v = service.check_code(data.decode("latin-1"), "camera")
    assert v.verdict == "refuse"


@SETTINGS
@given(digits=st.text(alphabet="0123456789", min_size=1, max_size=6000))
def test_any_digit_string_gets_a_verdict(checker, digits):
    _, service = checker
    v = service.check_code(digits, "wedge")
    assert v.verdict in ("refuse", "warn")


@SETTINGS
@given(data=st.data())
def test_altered_or_cut_tokens_are_never_admitted(checker, data):
    world, service = checker
    token = world.token(member=data.draw(st.integers(0, 2**40)))
    op = data.draw(st.sampled_from(["flip", "cut", "insert", "swap"]))
    pos = data.draw(st.integers(0, len(token) - 1))
    if op == "flip":
        altered = token[:pos] + str((int(token[pos]) + data.draw(st.integers(1, 9))) % 10) + token[pos + 1:]
    elif op == "cut":
        altered = token[:pos]
    elif op == "insert":
        altered = token[:pos] + data.draw(st.text(min_size=1, max_size=5)) + token[pos:]
    else:
        altered = token[:pos] + token[pos + 1:pos + 2] + token[pos:pos + 1] + token[pos + 2:]
    try:
        if ecard.token_bytes(altered) == ecard.token_bytes(token):
            return  # blanks around it or full-width digits: the same code, as a scanner may type it
    except ecard.EcardFormatError:
        pass
    v = service.check_code(altered, "camera")
    assert not v.passed
    assert v.reason in ("invalid", "unknown_key")


@SETTINGS
@given(member=st.integers(0, 2**62), union=st.text(max_size=80), name=st.text(min_size=1, max_size=30),
       seconds=st.integers(1, 10 * 365 * 86400))
def test_any_fields_the_platform_signs_read_back_and_fit_the_qr(member, union, name, seconds):
    key = ecard.generate_key()
    token = ecard.issue(key, member=member, union=union, name=name, issued_at=dt.datetime(2026, 1, 1),
                        valid_for=dt.timedelta(seconds=seconds))
    card = ecard.parse(token)
    assert card.member == member and ecard.signature_ok(card, key.public_key())
    assert len(token) <= ecard.MAX_DIGITS


@settings(max_examples=60, deadline=None)
@given(shape=st.sampled_from([(0,), (5,), (0, 0), (3, 3), (720, 1280), (100, 80, 3), (64, 64, 4), (40, 40, 2),
                              (50, 50, 1), (30, 30, 3, 1)]),
       dtype=st.sampled_from([np.uint8, np.uint16, np.float32, np.int32, np.bool_]), seed=st.integers(0, 1000))
def test_the_decoder_takes_any_array_without_raising(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    frame = (rng.random(shape) * 300).astype(dtype)
    result = decoder.decode(frame, budget_ms=20)
    assert isinstance(result.texts, tuple)


def test_the_decoder_takes_none_and_non_arrays():
    assert decoder.decode(None).texts == ()
    assert decoder.decode("not an image").texts == ()
    assert decoder.decode([[1, 2], [3, 4]]).texts == ()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(
    st.text(min_size=1, max_size=300),
    st.from_regex(r"https?://[a-z0-9.]{1,30}/[A-Za-z0-9?=&/]{0,60}", fullmatch=True),
    st.text(alphabet="0123456789", min_size=1, max_size=500),
))
def test_any_qr_code_a_camera_sees_gets_a_verdict(checker, content):
    """Other apps' codes (payment, URLs, text, long digit runs) from a frame all the way to a verdict."""
    import zxingcpp

    _, service = checker
    try:
        image = np.array(zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.QRCode).to_image(scale=3))
    except (ValueError, RuntimeError):
        return  # not encodable as a QR code at all: no camera will ever see it
    frame = np.full((720, 1280), 200, np.uint8)
    h, w = image.shape[:2]
    if h > 700 or w > 1260:
        return
    frame[10:10 + h, 10:10 + w] = image
    for text in decoder.decode(frame, budget_ms=50).texts:
        v = service.check_code(text, "camera")
        assert v.verdict in ("refuse", "warn") and v.reason in ("invalid", "unknown_key")
