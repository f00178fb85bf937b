"""The field rules: ID numbers, mobiles, names and text clean-up.

The property tests hold station.people.idnumber to python-stdnum and station.people.mobile
to phonenumbers: the station's own copies exist for speed, and must never
disagree with the libraries they were written from.
"""

from __future__ import annotations

import datetime as dt

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from station.demo.data import valid_id
from station.people import idnumber, mobile, names, textnorm

TODAY = dt.date(2024, 6, 30)

digits = st.text(alphabet="0123456789", min_size=17, max_size=17)
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
region_codes = st.sampled_from(["441900", "441901", "430521", "450881", "510722", "110101", "652901", "999999"])


# -- ID numbers: agreement with python-stdnum ------------------------------------------


@given(first17=digits)
def test_check_digit_agrees_with_stdnum(first17: str) -> None:
    assert idnumber.check_digit(first17) == ric.calc_check_digit(first17 + "0")


@given(region=region_codes, born=birth_dates, seq=st.integers(0, 999))
def test_birth_date_agrees_with_stdnum(region: str, born: dt.date, seq: int) -> None:
    number = valid_id(region, born, seq)
    assert idnumber.birth_date(number) == ric.get_birth_date(number) == born


@given(region=region_codes, born=birth_dates, seq=st.integers(0, 999))
def test_every_checksum_correct_number_is_accepted(region: str, born: dt.date, seq: int) -> None:
    number = valid_id(region, born, seq)
    assert idnumber.check(number, TODAY).number == number


@given(region=region_codes, born=birth_dates, seq=st.integers(0, 999), wrong=st.integers(1, 10))
def test_a_wrong_check_character_is_always_caught(region: str, born: dt.date, seq: int, wrong: int) -> None:
    number = valid_id(region, born, seq)
    chars = "0123456789X"
    bad = number[:17] + chars[(chars.index(number[17]) + wrong) % 11]
    assert idnumber.check(bad, TODAY).error == "id_checksum"


@given(first17=digits)
@settings(max_examples=300)
def test_accepted_numbers_are_exactly_those_stdnum_finds_well_formed(first17: str) -> None:
    number = first17 + ric.calc_check_digit(first17 + "0")
    try:
        born = ric.get_birth_date(number)
        plausible = dt.date(1900, 1, 1) <= born <= TODAY
    except Exception:
        plausible = False
    assert (idnumber.check(number, TODAY).number is not None) == plausible


@given(text=st.text(alphabet="0123456789Xx", min_size=18, max_size=18) | st.text(alphabet="0123456789AXxz-", min_size=17, max_size=19))
@settings(max_examples=300)
def test_the_fast_path_for_plain_ids_answers_as_normalising_does(text: str) -> None:
    # A leading blank sends the same text through normalize(), which removes it.
    assert idnumber.check(text, TODAY) == idnumber.check(" " + text, TODAY)


@given(first17=st.text(alphabet="0123456789０１２３４５６７８９a", min_size=17, max_size=17))
def test_check_digit_sum_over_bytes_equals_the_loop(first17: str) -> None:
    total = sum(w * (ord(ch) - 48) for w, ch in zip(idnumber._WEIGHTS, first17))
    assert idnumber.check_digit(first17) == idnumber._CHECK[total % 11]


# -- ID numbers: what hand-made rosters contain ----------------------------------------


def test_full_width_digits_spaces_and_lowercase_x_are_normalised() -> None:
    candidates = (valid_id("441900", dt.date(1975, 3, 9), seq) for seq in range(1000))
    number = next(n for n in candidates if n.endswith("X"))
    messy = " " + number[:6].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + " " + number[6:-1] + "x　"
    assert idnumber.check(messy, TODAY).number == number


def test_dongguan_441900_born_1970_is_valid_without_warning() -> None:
    # 441900 was created in 1988; people born earlier got it on their cards.
    result = idnumber.check(valid_id("441900", dt.date(1970, 5, 1), 21), TODAY)
    assert result.number is not None and result.error is None and result.warning is None


def test_unknown_county_in_a_known_province_is_a_warning() -> None:
    # 441901 is not a county code (stdnum knows province 44 only); it used to pass silently.
    result = idnumber.check(valid_id("441901", dt.date(1990, 1, 1), 33), TODAY)
    assert result.number is not None
    assert result.warning == "id_region_unknown"


def test_wholly_unknown_region_is_a_warning_not_a_rejection() -> None:
    result = idnumber.check(valid_id("999999", dt.date(1990, 1, 1), 33), TODAY)
    assert result.number is not None and result.warning == "id_region_unknown"


@pytest.mark.parametrize("raw", ["4.41900199001011E+17", "4.41900199001011e+17", "441900199001011000.0", 4.41900199001011e17])
def test_excel_numbers_are_recognised(raw: object) -> None:
    assert idnumber.check(raw, TODAY).error == "id_excel_number"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("", "id_empty"),
        (None, "id_empty"),
        ("441900700101001", "id_old_15"),
        ("4419001990010110", "id_length"),
        ("44190019900101101Y", "id_chars"),
        ("441900199002301012", "id_birth_date"),
        ("441900203001011011", "id_birth_future"),
    ],
)
def test_malformed_ids_get_their_own_reason(raw: object, error: str) -> None:
    assert idnumber.check(raw, TODAY).error == error


# -- mobiles: agreement with phonenumbers ----------------------------------------------


def _phonenumbers_says_mobile(number: str) -> bool:
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:  # e.g. 110… reads as a bad country code
        return False
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


@given(rest=st.text(alphabet="0123456789", min_size=10, max_size=10))
@settings(max_examples=500)
def test_mobile_agrees_with_phonenumbers(rest: str) -> None:
    number = "1" + rest
    assert (mobile.check(number).number == number) == _phonenumbers_says_mobile(number)


@given(prefix=st.sampled_from(["+86", "86-", "0086", "+86 ", "(+86)"]), rest=st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_country_prefixes_are_removed(prefix: str, rest: str) -> None:
    assert mobile.check(prefix + "138" + rest).number == "138" + rest


@given(text=st.text(alphabet="0123456789", min_size=11, max_size=11) | st.text(alphabet="0123456789+-", min_size=10, max_size=14))
@settings(max_examples=300)
def test_the_fast_path_for_plain_mobiles_answers_as_normalising_does(text: str) -> None:
    assert mobile.check(text) == mobile.check(" " + text)


@pytest.mark.parametrize("raw", ["00801000000", "00123456789", "0080 1000 000"])
def test_numbers_phonenumbers_cannot_parse_are_not_mobiles(raw: str) -> None:
    # These read as an international prefix with an unknown country code; they once raised
    # NumberParseException out of check(), which stopped a whole roster import.
    assert mobile.check(raw).error == "phone_not_mobile"


def test_full_width_and_spaced_mobile_is_normalised() -> None:
    assert mobile.check("１３８ ００１３ ８０００").number == "13800138000"


def test_excel_number_cell_mobile_is_exact() -> None:
    assert mobile.check(13800138000.0).number == "13800138000"


@pytest.mark.parametrize(("raw", "error"), [("1381234", "phone_format"), ("12345678901", "phone_not_mobile"), ("", "phone_empty")])
def test_bad_mobiles_get_their_own_reason(raw: str, error: str) -> None:
    assert mobile.check(raw).error == error


# -- names -----------------------------------------------------------------------------


def test_name_outside_gbk_survives() -> None:
    assert names.check("王𠮷")[0] == "王𠮷"


def test_middle_dot_names_keep_one_kind_of_dot() -> None:
    assert names.check("阿卜杜・热合曼")[0] == "阿卜杜·热合曼"
    assert names.check("阿卜杜.热合曼")[0] == "阿卜杜·热合曼"


def test_spaces_inside_chinese_names_are_removed() -> None:
    assert names.check(" 张　三 ")[0] == "张三"


def test_digits_in_a_name_are_refused_with_the_characters_named() -> None:
    name, error, params = names.check("张三13800138000")
    assert name is None and error == "name_bad_chars" and "1" in params["chars"]


def test_initials_for_search() -> None:
    assert names.initials("张三") == "zs"
    assert names.initials("欧阳娜娜") == "oynn"


# -- text ------------------------------------------------------------------------------


def test_org_names_with_full_and_half_width_brackets_are_one_name() -> None:
    assert textnorm.clean_org_name("锦泰电器（东莞）有限公司 ") == textnorm.clean_org_name("锦泰电器(东莞)有限公司")
