"""The roster import's whole-column checks (station.people.bulk, names.check_plain) agree with the per-value rules.

They only ever accept: a value they accept must be exactly what the
per-value check accepts without a warning, and whatever they pass over is
left to the per-value check.  These tests hold them to that with mixed
batches of valid, nearly valid and odd values.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from station.demo.data import valid_id
from station.people import bulk, idnumber, mobile, names

TODAY = dt.date(2024, 6, 30)

regions = st.sampled_from(["441900", "441901", "430521", "110101", "449999", "999999", "000000"])
births = st.dates(min_value=dt.date(1880, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def id_like(draw) -> object:
    """A valid ID, one with a character changed or cut, a raw 18-character string, or another kind of cell."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return valid_id(draw(regions), draw(births), draw(st.integers(0, 999)))
    if kind == 1:
        number = valid_id(draw(regions), draw(births), draw(st.integers(0, 999)))
        at = draw(st.integers(0, 17))
        return number[:at] + draw(st.sampled_from("0123456789Xx a１-")) + number[at + 1 :]
    if kind == 2:
        return draw(st.text(alphabet="0123456789Xx", min_size=18, max_size=18))
    if kind == 3:
        # Impossible dates: month 00 or 13, day 00, 30 or 31, February 29 in any year.
        month, day = draw(
            st.sampled_from([("00", "10"), ("13", "01"), ("02", "29"), ("02", "30"), ("04", "31"), ("01", "00")])
        )
        year = draw(st.sampled_from(["1899", "1900", "1996", "2000", "2023", "2024", "2100"]))
        first17 = draw(regions) + year + month + day + f"{draw(st.integers(0, 999)):03d}"
        return first17 + idnumber.check_digit(first17)
    if kind == 4:
        return draw(st.text(min_size=16, max_size=20))
    return draw(st.sampled_from([None, 441900199001011234, 4.419001990010112e17, "", "  "]))


@settings(max_examples=300, deadline=None)
@given(st.lists(id_like(), max_size=40))
def test_fast_ids_accept_exactly_what_check_accepts_without_a_word(raws: list[object]) -> None:
    fast = bulk.fast_ids(raws, TODAY)
    assert len(fast) == len(raws)
    for raw, number in zip(raws, fast, strict=True):
        slow = idnumber.check(raw, TODAY)
        if number is not None:
            assert (slow.number, slow.error, slow.warning) == (number, None, None), raw
        elif isinstance(raw, str) and len(raw) == 18 and raw.isascii() and raw.isdigit():
            # A plain 18-digit text the fast path passes over is one check() refuses or warns about.
            assert slow.number is None or slow.warning is not None, raw


def test_fast_ids_take_the_plain_valid_ones_of_a_big_batch() -> None:
    good = [valid_id("441900", dt.date(1970 + i % 50, 1 + i % 12, 1 + i % 28), i % 1000) for i in range(5000)]
    lower_x = next(n for n in good if n.endswith("X")).lower()
    born_tomorrow = valid_id("441900", TODAY + dt.timedelta(days=1), 1)
    batch = [*good, lower_x, born_tomorrow, "not a number"]
    fast = bulk.fast_ids(batch, TODAY)
    assert fast[: len(good)] == good
    assert fast[len(good)] == lower_x.upper()
    assert fast[-2:] == [None, None]  # left to check(): id_birth_future, id_length
    assert idnumber.check(born_tomorrow, TODAY).error == "id_birth_future"


mobile_like = st.one_of(
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.builds(
        lambda p, rest: p + rest,
        st.sampled_from(["138", "199", "100", "120", "170", "192", "141"]),
        st.text(alphabet="0123456789", min_size=8, max_size=8),
    ),
    st.text(min_size=10, max_size=12),
    st.sampled_from([None, 13800138000, 13800138000.0, "138 0013 8000", "１３８００１３８０００"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(mobile_like, max_size=40))
def test_fast_mobiles_accept_exactly_what_check_accepts(raws: list[object]) -> None:
    fast = bulk.fast_mobiles(raws)
    for raw, number in zip(raws, fast, strict=True):
        slow = mobile.check(raw)
        if number is not None:
            assert (slow.number, slow.error) == (number, None), raw
        elif isinstance(raw, str) and len(raw) == 11 and raw.isascii() and raw.isdigit():
            assert slow.number is None, raw


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("张王李欧阳𠮷·. 　A1乾隆丶ㄅ豈\u200b"), max_size=45))
def test_plain_names_are_what_check_and_initials_give(raw: str) -> None:
    plain = names.check_plain(raw)
    if plain is None:
        return
    clean, error, _params = names.check(raw)
    assert error is None
    assert plain == (clean, names.initials(clean))


def test_plain_names_cover_the_common_case_and_nothing_else() -> None:
    assert names.check_plain("欧阳娜娜") == ("欧阳娜娜", "oynn")
    for other in ("王 伟", "阿卜杜·热合曼", "𠮷野", "Li Na", "王伟2", "", "王" * 41):
        assert names.check_plain(other) is None, other


csv_text = st.lists(
    st.lists(st.text(alphabet="ab,张 ;\t1", max_size=6), min_size=0, max_size=4).map(",".join), max_size=8
).flatmap(lambda lines: st.sampled_from(["\n", "\r\n", "\r"]).map(lambda end: end.join(lines)))


@settings(max_examples=300, deadline=None)
@given(csv_text, st.booleans())
def test_a_csv_block_without_quotes_splits_as_the_csv_module_reads_it(text: str, ending: bool) -> None:
    import csv
    import io

    from station.roster.tabular import parse_csv_block

    block = text + ("\n" if ending else "")
    expected = list(csv.reader(io.StringIO(block, newline=""), delimiter=","))
    got = parse_csv_block(block.encode(), "utf-8", ",")
    # The csv module reads an empty line as []; the split gives [""]: both are a blank row, skipped alike.
    assert [row or [""] for row in expected] == got
