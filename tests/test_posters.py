"""QR posters: what is printed is what was meant, and nothing half-made is ever left behind."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.posters import BIGGEST, decode_png, need, page_png, pdf_text, qr_ec_levels
from sqlalchemy import func, select

from station.errors import StationError
from station.posters import service as posters
from station.posters.qr import org_code
from station.posters.service import PosterDesign, list_posters, make_poster, make_posters, select_targets
from station.store.models import Poster


def _count(store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(Poster)) or 0


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name or p.name.startswith(".write-test"))


# -- the rendered page --------------------------------------------------------------


def test_a4_qr_decodes_from_the_rendered_page_to_the_intended_url(poster_store, tmp_path):
    res = make_poster(poster_store, BIGGEST, PosterDesign(template="a4", campaign="2026Q4"), tmp_path / "a4.pdf")
    url = res.posters[0].url
    # A plain 100 dpi rendering by another engine (poppler), read by the scanner's decoder.
    assert decode_png(page_png(res.files[0], tmp_path / "page", 100)) == [url]
    assert url.startswith("https://") and f"c=2026Q4&p={res.posters[0].code}" in url


def test_the_url_carries_union_enterprise_campaign_and_poster_id(poster_store, tmp_path):
    res = make_poster(poster_store, BIGGEST, PosterDesign(campaign="DG-01"), tmp_path / "p.pdf")
    p = res.posters[0]
    query = dict(kv.split("=") for kv in p.url.split("?", 1)[1].split("&"))
    assert query == {"u": org_code("东莞市大朗毛织有限公司工会委员会"), "e": org_code(BIGGEST), "c": "DG-01", "p": p.code}


def test_the_qr_uses_error_correction_h_for_the_logo(poster_store, tmp_path):
    res = make_poster(poster_store, BIGGEST, PosterDesign(), tmp_path / "p.pdf")
    assert qr_ec_levels(page_png(res.files[0], tmp_path / "page", 100)) == ["H"]


def test_the_chinese_title_and_enterprise_are_text_in_the_pdf(poster_store, tmp_path):
    res = make_poster(poster_store, BIGGEST, PosterDesign(texts={"title": "扫码入会领福利"}), tmp_path / "p.pdf")
    text = pdf_text(res.files[0])
    assert "扫码入会领福利" in text
    assert BIGGEST in text
    assert "会员福利" in text and "三步" in text


@pytest.mark.parametrize("template", ["a4", "a3", "x-banner", "table-card"])
def test_every_template_renders_and_reads_back(poster_store, tmp_path, template):
    res = make_poster(poster_store, BIGGEST, PosterDesign(template=template), tmp_path / f"{template}.pdf")
    url = res.posters[0].url
    dpi = {"a4": 90, "a3": 70, "x-banner": 20, "table-card": 110}[template]
    found = decode_png(page_png(res.files[0], tmp_path / template, dpi))
    # The table card has a QR on each face (the upper one upside down).
    assert found == [url] * (2 if template == "table-card" else 1)
    assert "扫码领取工会电子会员卡" in pdf_text(res.files[0]).replace("\n", "")


def test_the_bundled_font_is_embedded_in_the_pdf(poster_store, tmp_path):
    res = make_poster(poster_store, BIGGEST, PosterDesign(), tmp_path / "p.pdf")
    fonts = subprocess.run([need("pdffonts"), str(res.files[0])], capture_output=True, text=True, check=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("YGHPosterSansSC" in r and " yes " in r for r in rows), fonts


def test_a_batch_embeds_fonts_and_logo_once(poster_store, tmp_path):
    one = make_posters(poster_store, select_targets(poster_store, top=1), PosterDesign(), tmp_path / "one.pdf")
    five = make_posters(poster_store, select_targets(poster_store), PosterDesign(), tmp_path / "five.pdf")
    fonts = subprocess.run([need("pdffonts"), str(five.files[0])], capture_output=True, text=True, check=True).stdout
    assert len([line for line in fonts.splitlines()[2:] if line.strip()]) == 2  # Regular and Bold, once each
    growth = (five.files[0].stat().st_size - one.files[0].stat().st_size) / 4
    assert growth < 30_000, f"each extra page adds {growth:.0f} bytes"


# -- the register ----------------------------------------------------------------------


def test_a_poster_is_recorded_with_its_code_enterprise_and_placement(poster_store, tmp_path):
    res = make_poster(poster_store, BIGGEST, PosterDesign(placement="dorm", campaign="C1"), tmp_path / "p.pdf")
    rows = list_posters(poster_store)
    assert [(r.code, r.enterprise, r.placement, r.campaign, r.template) for r in rows] == [
        (res.posters[0].code, BIGGEST, "dorm", "C1", "a4")
    ]
    assert rows[0].url == res.posters[0].url and Path(rows[0].file) == (tmp_path / "p.pdf").resolve()


def test_poster_ids_are_unique_across_a_batch(poster_store, tmp_path):
    res = make_posters(poster_store, select_targets(poster_store), PosterDesign(), tmp_path / "b.pdf")
    codes = [p.code for p in res.posters]
    assert len(set(codes)) == len(codes) == 5
    assert [r.page for r in list_posters(poster_store)] == [5, 4, 3, 2, 1]


# -- choosing enterprises -----------------------------------------------------------------


def test_top_n_takes_the_largest_by_imported_members(poster_store):
    assert [t.enterprise for t in select_targets(poster_store, top=2)] == [BIGGEST, "东莞市长安五金制品有限公司"]


def test_min_members_keeps_those_with_at_least_m(poster_store):
    assert [t.members for t in select_targets(poster_store, min_members=12)] == [40, 25, 12]


def test_lowest_rate_ranks_by_verification_rate(poster_store):
    picked = select_targets(poster_store, lowest_rate=2)
    assert [(t.enterprise, t.rate) for t in picked] == [("东莞市道滘食品有限公司", 0.0), ("东莞市长安五金制品有限公司", 0.2)]


def test_a_union_batch_takes_that_unions_enterprises(poster_store):
    names = {t.enterprise for t in select_targets(poster_store, union="东莞市大朗毛织有限公司工会委员会")}
    assert names == {BIGGEST, "东莞市大朗纺织有限公司"}


def test_top_and_lowest_rate_together_are_refused(poster_store):
    with pytest.raises(StationError) as err:
        select_targets(poster_store, top=2, lowest_rate=2)
    assert err.value.key == "poster_filters_exclusive"


def test_filters_that_match_nothing_say_so(poster_store):
    with pytest.raises(StationError) as err:
        select_targets(poster_store, min_members=1000)
    assert err.value.key == "poster_no_enterprises"


def test_one_file_each_into_a_folder(poster_store, tmp_path):
    out = tmp_path / "posters"
    res = make_posters(poster_store, select_targets(poster_store, top=3), PosterDesign(template="table-card"), out)
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in res.files)
    assert len(res.files) == 3 and all(f.suffix == ".pdf" for f in res.files)
    for f, p in zip(res.files, res.posters):
        assert p.code in f.name
        assert decode_png(page_png(f, tmp_path / f.stem, 110)) == [p.url, p.url]


# -- bad input: a clear message, nothing half-written -------------------------------------


def test_an_unknown_enterprise_is_refused_with_similar_names(poster_store, tmp_path):
    with pytest.raises(StationError) as err:
        make_poster(poster_store, "东莞市大朗毛织厂", PosterDesign(), tmp_path / "p.pdf")
    assert err.value.key == "poster_enterprise_unknown"
    assert BIGGEST in err.value.message()
    assert not (tmp_path / "p.pdf").exists()


def test_a_logo_that_is_not_an_image_is_refused(poster_store, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("姓名,手机号\n", encoding="utf-8")
    with pytest.raises(StationError) as err:
        make_poster(poster_store, BIGGEST, PosterDesign(logo=str(fake)), tmp_path / "p.pdf")
    assert err.value.key == "poster_logo_not_image"
    assert not (tmp_path / "p.pdf").exists() and _leftovers(tmp_path) == []


def test_a_huge_logo_file_is_refused(poster_store, tmp_path):
    big = tmp_path / "logo.jpg"
    with big.open("wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    with pytest.raises(StationError) as err:
        make_poster(poster_store, BIGGEST, PosterDesign(logo=str(big)), tmp_path / "p.pdf")
    assert err.value.key == "poster_logo_too_big"


def test_a_logo_with_too_many_pixels_is_refused(poster_store, tmp_path):
    from PySide6.QtGui import QImage

    from station.posters.render import ensure_gui

    ensure_gui()
    huge = tmp_path / "logo.png"
    image = QImage(8000, 6000, QImage.Format.Format_Mono)
    image.fill(1)
    assert image.save(str(huge))
    with pytest.raises(StationError) as err:
        make_poster(poster_store, BIGGEST, PosterDesign(logo=str(huge)), tmp_path / "p.pdf")
    assert err.value.key == "poster_logo_too_many_pixels"


def test_a_custom_png_logo_is_used(poster_store, tmp_path):
    from PySide6.QtGui import QColor, QImage

    from station.posters.render import ensure_gui

    ensure_gui()
    logo = tmp_path / "union.png"
    image = QImage(300, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#1A5FB4"))
    assert image.save(str(logo))
    res = make_poster(poster_store, BIGGEST, PosterDesign(logo=str(logo)), tmp_path / "p.pdf")
    assert res.posters[0].notes == []


def test_a_title_too_long_for_its_box_is_refused_naming_the_field(poster_store, tmp_path):
    with pytest.raises(StationError) as err:
        make_poster(poster_store, BIGGEST, PosterDesign(texts={"title": "扫码领取工会电子会员卡" * 8}), tmp_path / "p.pdf")
    assert err.value.key == "poster_text_too_long"
    assert "标题" in err.value.message()
    assert not (tmp_path / "p.pdf").exists() and _leftovers(tmp_path) == []


def test_a_long_title_is_wrapped_and_shrunk_with_a_note_never_cut(poster_store, tmp_path):
    title = "扫码注册粤工惠领取电子会员卡享受福利"
    res = make_poster(poster_store, BIGGEST, PosterDesign(texts={"title": title}), tmp_path / "p.pdf")
    assert any("标题" in n and "缩小" in n for n in res.notes)
    assert title in pdf_text(res.files[0]).replace("\n", "")


def test_an_unwritable_output_path_is_refused(poster_store, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StationError) as err:
        make_poster(poster_store, BIGGEST, PosterDesign(), blocker / "p.pdf")
    assert err.value.key == "file_unwritable"
    assert _count(poster_store) == 0


def test_an_output_that_is_not_a_pdf_is_refused(poster_store, tmp_path):
    with pytest.raises(StationError) as err:
        make_poster(poster_store, BIGGEST, PosterDesign(), tmp_path / "p.png")
    assert err.value.key == "poster_out_not_pdf"


@pytest.mark.parametrize(("design", "key"), [
    (PosterDesign(template="a5"), "poster_template_unknown"),
    (PosterDesign(placement="toilet"), "poster_bad_placement"),
    (PosterDesign(campaign="活动一"), "poster_bad_campaign"),
    (PosterDesign(base_url="ftp://x"), "poster_bad_base_url"),
    (PosterDesign(colours={"primary": "red"}), "poster_bad_colour"),
    (PosterDesign(steps=["一", "二"]), "poster_item_count"),
    (PosterDesign(texts={"title": " "}), "poster_title_empty"),
    (PosterDesign(distance_m=50), "poster_bad_distance"),
])
def test_bad_choices_are_refused_before_anything_is_drawn(poster_store, tmp_path, design, key):
    with pytest.raises(StationError) as err:
        make_poster(poster_store, BIGGEST, design, tmp_path / "p.pdf")
    assert err.value.key == key
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_a_qr_that_does_not_read_back_is_an_error_and_nothing_is_kept(poster_store, tmp_path, monkeypatch):
    import station.posters.proof as proof

    monkeypatch.setattr(proof, "decode_gray", lambda *a: ("https://elsewhere.example/",))
    with pytest.raises(StationError) as err:
        make_poster(poster_store, BIGGEST, PosterDesign(), tmp_path / "p.pdf")
    assert err.value.key == "poster_proof_failed"
    assert not (tmp_path / "p.pdf").exists() and _leftovers(tmp_path) == []
    assert _count(poster_store) == 0


def test_a_cancelled_batch_leaves_no_file_and_no_record(poster_store, tmp_path):
    seen = []

    def progress(p):
        seen.append(p)

    res = make_posters(poster_store, select_targets(poster_store), PosterDesign(), tmp_path / "b.pdf",
                       progress=progress, cancelled=lambda: len(seen) >= 2)
    assert res.cancelled and res.posters == []
    assert not (tmp_path / "b.pdf").exists() and _leftovers(tmp_path) == []
    assert _count(poster_store) == 0


def test_a_cancelled_one_file_each_batch_leaves_the_folder_empty(poster_store, tmp_path):
    out = tmp_path / "out"
    seen = []
    res = make_posters(poster_store, select_targets(poster_store), PosterDesign(), out,
                       progress=seen.append, cancelled=lambda: len(seen) >= 2)
    assert res.cancelled and list(out.iterdir()) == []


# -- notes on a finished poster -----------------------------------------------------------


def test_small_modules_for_the_reading_distance_give_a_note(poster_store, tmp_path):
    res = make_poster(poster_store, BIGGEST, PosterDesign(template="table-card", distance_m=3), tmp_path / "p.pdf")
    assert any("3 米" in n for n in res.notes)


def test_the_default_templates_are_readable_at_their_own_distance(poster_store, tmp_path):
    for template in ("a4", "a3", "x-banner", "table-card"):
        res = make_poster(poster_store, BIGGEST, PosterDesign(template=template), tmp_path / f"{template}.pdf")
        assert res.notes == [], (template, res.notes)


def test_characters_missing_from_the_bundled_font_still_print_with_a_note(poster_store, tmp_path):
    res = make_poster(poster_store, BIGGEST, PosterDesign(texts={"subtitle": "欢迎王䶮师傅扫码"}), tmp_path / "p.pdf")
    assert any("䶮" in n for n in res.notes)
    assert "䶮" in pdf_text(res.files[0])


def test_painting_posters_keeps_none_alive(poster_store, tmp_path):
    """PySide6 6.12.0 dropped a reference to None per void call: a batch would abort the interpreter."""
    import gc

    targets = select_targets(poster_store)
    make_posters(poster_store, targets, PosterDesign(), tmp_path / "warm.pdf")
    gc.collect()
    before = sys.getrefcount(None)
    make_posters(poster_store, targets, PosterDesign(), tmp_path / "b.pdf")
    gc.collect()
    # Five posters are some 7,000 void calls: the bug showed as thousands gone, not a few.
    assert sys.getrefcount(None) >= before - 500


# -- the command line -----------------------------------------------------------------------


def _station(*args, data_dir):
    from station.cli.main import main

    return main([*map(str, args), "--data-dir", str(data_dir)])


def test_cli_make_then_list(poster_store, tmp_path, capsys):
    data = poster_store.paths.root
    assert _station("poster", "make", "--enterprise", BIGGEST, "--template", "a3", "--out", tmp_path / "a3.pdf",
                    "--placement", "board", "--json", data_dir=data) == 0
    import json

    made = json.loads(capsys.readouterr().out)
    assert made["count"] == 1 and made["files"] == [str(tmp_path / "a3.pdf")]
    assert _station("poster", "list", "--json", data_dir=data) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["code"], r["placement"], r["template"]) for r in rows] == [(made["posters"][0]["code"], "board", "a3")]


def test_cli_batch_top_into_one_pdf(poster_store, tmp_path, capsys):
    out = tmp_path / "top.pdf"
    assert _station("poster", "batch", "--top", "2", "--template", "x-banner", "--out", out,
                    data_dir=poster_store.paths.root) == 0
    assert "2" in capsys.readouterr().out
    assert len(re.findall(r"/Type\s*/Page\b", out.read_bytes().decode("latin-1"))) == 2


def test_cli_bad_input_exits_2_with_the_reason(poster_store, tmp_path, capsys):
    code = _station("poster", "make", "--enterprise", "不存在的单位", "--out", tmp_path / "p.pdf",
                    data_dir=poster_store.paths.root)
    assert code == 2
    assert "名册中没有单位" in capsys.readouterr().err


def test_cli_config_sets_the_base_url_the_qr_opens(poster_store, tmp_path, capsys):
    data = poster_store.paths.root
    assert _station("poster", "config", "--base-url", "https://join.example.cn/s", data_dir=data) == 0
    assert _station("poster", "make", "--enterprise", BIGGEST, "--out", tmp_path / "p.pdf", "--json", data_dir=data) == 0
    assert '"url": "https://join.example.cn/s?u=' in capsys.readouterr().out
    assert posters.base_url(poster_store) == "https://join.example.cn/s"
