"""The poster's QR code: attribution, the symbol, and whether phones can read it from where they stand."""

from __future__ import annotations

import pytest

from station.errors import StationError
from station.posters.qr import (
    CROCKFORD,
    attribution_url,
    check_base_url,
    check_campaign,
    make_symbol,
    max_distance_m,
    min_module_mm,
    new_poster_id,
    org_code,
)


def test_org_codes_are_stable_and_tell_names_apart():
    assert org_code("东莞市大朗毛织有限公司") == org_code("东莞市大朗毛织有限公司")
    assert org_code("东莞市大朗毛织有限公司") != org_code("东莞市大朗纺织有限公司")
    assert len(org_code("x")) == 6 and set(org_code("x")) <= set(CROCKFORD)


def test_poster_ids_are_ten_unambiguous_characters():
    ids = {new_poster_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) == 10 and set(i) <= set(CROCKFORD) for i in ids)
    assert not any(c in "".join(ids) for c in "ILOU")


def test_the_url_has_its_parameters_in_a_fixed_order():
    url = attribution_url("https://ygh.example.cn/j", union="某工会", enterprise="某公司", campaign="2026Q4", poster_id="ABCDEFGHJK")
    assert url == f"https://ygh.example.cn/j?u={org_code('某工会')}&e={org_code('某公司')}&c=2026Q4&p=ABCDEFGHJK"


def test_an_enterprise_without_a_union_leaves_u_out():
    url = attribution_url("https://ygh.example.cn/j", union=None, enterprise="某公司", campaign="C", poster_id="P")
    assert "u=" not in url and "e=" in url


@pytest.mark.parametrize("bad", ["ygh.example.cn/j", "ftp://x/y", "https://x/y?a=1", "https://x/#top", "https://", ""])
def test_a_base_url_must_be_a_plain_web_address(bad):
    with pytest.raises(StationError) as err:
        check_base_url(bad)
    assert err.value.key == "poster_bad_base_url"


@pytest.mark.parametrize("bad", ["", "活动", "2026 Q4", "-x", "x" * 21])
def test_a_campaign_code_is_short_and_plain(bad):
    with pytest.raises(StationError):
        check_campaign(bad)


def test_the_symbol_keeps_the_logo_box_centred_and_white():
    sym = make_symbol("https://ygh.example.cn/j?u=AAAAAA&e=BBBBBB&c=202611&p=CCCCCCCCCC")
    x, y, side = sym.logo_box
    assert x == y and x + side + x == sym.size
    assert 0.03 < side * side / (sym.size * sym.size) < 0.07  # well inside error correction H's 30 %
    runs = sym.dark_runs()
    assert not any(y <= r < y + side and c < x + side and c + n > x for r, c, n in runs)


def test_a_url_too_long_for_a_printable_symbol_is_refused():
    with pytest.raises(StationError) as err:
        attribution_url("https://ygh.example.cn/" + "a" * 400, union=None, enterprise="e", campaign="c", poster_id="p")
    assert err.value.key == "poster_url_too_long"


def test_module_size_rule_is_about_two_and_a_half_mm_per_metre():
    assert min_module_mm(1.0) == pytest.approx(2.37, abs=0.01)
    assert max_distance_m(min_module_mm(2.5)) == pytest.approx(2.5)
