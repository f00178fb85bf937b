"""Roster import as a union office sees it: real files in, members, reports and counts out.

Since issue 4 an organizer imports, and members hold their ID number and
mobile only encrypted: the helpers here decrypt with the organizer's cipher
to check what was stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import pickle
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from station import i18n
from station.demo.data import generate_roster_rows, valid_id, write_roster_csv
from station.errors import StationError
from station.roster import importer as roster_import
from station.roster import mapping as roster_mapping
from station.roster import pool as roster_pool
from station.roster import publish as roster_publish
from station.roster.detection import preview_file
from station.roster.importer import ImportProgress, import_roster
from station.roster.mapping import FIELDS, UnmappedColumns, merge_mapping, parse_mapping_option
from station.roster.tabular import file_sha256
from station.security import audit, operators, protect
from station.signup import service as signup
from station.store.models import Enterprise, ImportBatch, Member, Union

HEADER = ["姓名", "身份证号码", "手机号码", "单位名称", "基层工会名称"]
ZHANG = valid_id("441900", dt.date(1970, 5, 1), 21)
LI = valid_id("430521", dt.date(1992, 8, 17), 44)
WANG = valid_id("450881", dt.date(1999, 2, 3), 7)
HUAMAO = "东莞市华茂电子有限公司"
HUAMAO_UNION = "华茂电子有限公司工会委员会"


class _Stored:
    """A member as stored, with its ID number and mobile decrypted for the test to compare."""

    def __init__(self, member: Member, cipher) -> None:
        self.member = member
        self.id_number = protect.member_id_number(cipher, member)
        self.phone = protect.member_phone(cipher, member)

    def __getattr__(self, name: str):
        return getattr(self.member, name)


def _members(store, operator) -> dict[str, _Stored]:
    with store.session() as s:
        rows = s.scalars(select(Member).options(joinedload(Member.enterprise), joinedload(Member.union))).all()
    found = {}
    for m in rows:
        stored = _Stored(m, operator.cipher)
        found[stored.id_number] = stored
    return found


def _count(store, model) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def _snapshot(store) -> list:
    con = sqlite3.connect(store.paths.database)
    try:
        return [
            con.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("members", "enterprises", "unions", "import_batches")
        ] + [
            con.execute("SELECT * FROM audit_log ORDER BY seq").fetchall(),
            con.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall(),
        ]
    finally:
        con.close()


def _xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


# -- the ordinary case -----------------------------------------------------------------


def test_clean_csv_imports_every_member_with_enterprise_and_union(store, write_csv, organizer) -> None:
    path = write_csv([HEADER, ["张三", ZHANG, "13800138000", HUAMAO, HUAMAO_UNION], ["李四", LI, "13912345678", HUAMAO, HUAMAO_UNION]])

    result = import_roster(store, path, operator=organizer)

    assert (result.rows_read, result.inserted, result.updated, result.rejected) == (2, 2, 0, 0)
    assert result.report_path is None
    zhang = _members(store, organizer)[ZHANG]
    assert (zhang.name, zhang.phone, zhang.initials, zhang.on_roster) == ("张三", "13800138000", "zs", True)
    cipher = organizer.cipher
    assert (zhang.id_bidx, zhang.id_tail_bidx) == cipher.id_indexes(ZHANG)
    assert zhang.phone_tail_bidx == cipher.blind_index("phone_tail", "8000")
    # Nothing is written to the plaintext columns a store made before encryption had.
    assert (zhang.legacy_id_number, zhang.legacy_phone, zhang.legacy_id_tail, zhang.legacy_phone_tail) == (None,) * 4
    assert zhang.enterprise.name == HUAMAO and zhang.union.name == HUAMAO_UNION
    assert zhang.enterprise.union_id == zhang.union.id
    assert zhang.last_import_id == result.batch_id


def test_import_batch_records_file_counts_and_checksum(store, write_csv, organizer) -> None:
    path = write_csv([HEADER, ["张三", ZHANG, "", "", ""], ["", LI, "", "", ""]])

    result = import_roster(store, path, operator=organizer)

    with store.session() as s:
        batch = s.get(ImportBatch, result.batch_id)
    assert (batch.kind, batch.file_name, batch.uuid) == ("roster", "roster.csv", result.batch_uuid)
    assert batch.file_sha256 == file_sha256(path)
    assert (batch.rows_read, batch.rows_inserted, batch.rows_rejected) == (2, 1, 1)
    assert batch.finished_at is not None and batch.report_path == str(result.report_path)


def test_gbk_csv_with_title_rows_imports(store, tmp_path: Path, organizer) -> None:
    written = write_roster_csv(tmp_path / "长安镇名册.csv", 600, seed=3, encoding="gbk", dirty=True)

    preview = preview_file(written.path)
    result = import_roster(store, written.path, operator=organizer)

    assert preview.encoding == "gb18030" and preview.header_row == 4
    assert result.rows_read == 600
    assert result.rejected == written.rejected
    assert result.duplicates == len(written.duplicates)
    assert result.inserted == 600 - written.rejected - len(written.duplicates)
    assert _count(store, Member) == result.inserted


def test_messy_spelling_is_normalised(store, write_csv, organizer) -> None:
    x_id = next(n for n in (valid_id("441900", dt.date(1980, 1, 1), s) for s in range(1000)) if n.endswith("X"))
    full_width = ZHANG.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    path = write_csv(
        [
            ["* 姓名（必填）", "身份证号码(必填)：", "联系电话", "工作单位"],
            [" 张　三 ", full_width, "+86 138 0013 8000", " 锦泰电器(东莞)有限公司 "],
            ["李四", x_id.lower()[:-1] + "x", "86-13912345678", "锦泰电器（东莞）有限公司"],
        ]
    )

    import_roster(store, path, operator=organizer)

    members = _members(store, organizer)
    assert members[ZHANG].name == "张三" and members[ZHANG].phone == "13800138000"
    assert members[x_id].phone == "13912345678"
    assert members[ZHANG].enterprise_id == members[x_id].enterprise_id
    assert _count(store, Enterprise) == 1


# -- rejections, warnings and the report -----------------------------------------------


def test_excel_number_id_is_rejected_with_fix_hint(store, write_csv, organizer) -> None:
    path = write_csv([HEADER, ["张三", "4.41900199001011E+17", "", "", ""], ["李四", LI, "", "", ""]])

    result = import_roster(store, path, operator=organizer)

    assert (result.rejected, result.inserted) == (1, 1)
    [line] = _report(result.report_path)
    # The value is masked like every ID in a report: first four and last four characters.
    assert line["行号"] == "2" and line["值"] == "4.41************E+17" and line["级别"] == "拒绝"
    assert "Excel" in line["原因"] and "丢失" in line["原因"] and "文本" in line["原因"]


def test_excel_number_cell_in_xlsx_is_rejected_too(store, tmp_path: Path, organizer) -> None:
    path = _xlsx(tmp_path / "名册.xlsx", [HEADER, ["张三", 441900197005010213, 13800138000, HUAMAO, None], ["李四", LI]])

    result = import_roster(store, path, operator=organizer)

    assert (result.rejected, result.inserted) == (1, 1)
    [line] = _report(result.report_path)
    assert line["值"] == "4.41" + "*" * 11 + "E+17" and "Excel" in line["原因"]


def test_report_file_lists_row_column_value_reason(store, write_csv, organizer) -> None:
    path = write_csv(
        [
            ["会员名册"],
            ["姓名", "证件号", "电话"],
            ["张三", ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1"), "13800138000"],
            ["李四", LI, "1381234"],
            ["王五1", WANG, ""],
        ]
    )

    result = import_roster(store, path, report_dir=store.paths.root / "my-reports", operator=organizer)

    assert result.report_path.parent == store.paths.root / "my-reports"
    with result.report_path.open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == ["行号", "列", "值", "原因", "级别"]
    lines = _report(result.report_path)
    assert [(r["行号"], r["列"], r["级别"]) for r in lines] == [("3", "证件号", "拒绝"), ("4", "电话", "警告"), ("5", "姓名", "拒绝")]
    assert "校验位" in lines[0]["原因"]
    assert lines[1]["值"] == "*******" and "没有保存手机号码" in lines[1]["原因"]
    assert lines[2]["值"] == "王五1" and "1" in lines[2]["原因"]
    assert (result.rejected, result.warnings, result.inserted) == (2, 1, 1)


def test_report_is_in_english_when_the_language_is_english(store, write_csv, organizer) -> None:
    i18n.set_lang("en")
    path = write_csv([HEADER, ["张三", "4.41900199001011E+17", "", "", ""], ["李四", LI, "", "", ""]])

    result = import_roster(store, path, operator=organizer)

    [line] = _report(result.report_path)
    assert line["Level"] == "Rejected" and "Excel" in line["Reason"] and "Text" in line["Reason"]
    assert "import-problems" in result.report_path.name


def test_no_report_when_every_row_is_good(store, write_csv, organizer) -> None:
    result = import_roster(store, write_csv([HEADER, ["张三", ZHANG, "13800138000", HUAMAO, HUAMAO_UNION]]), operator=organizer)

    assert result.report_path is None
    assert list(store.paths.reports.iterdir()) == []


def test_invalid_phone_imports_member_without_phone_and_warns(store, write_csv, organizer) -> None:
    result = import_roster(store, write_csv([HEADER, ["张三", ZHANG, "12345678901", "", ""]]), operator=organizer)

    assert (result.inserted, result.warnings, result.rejected) == (1, 1, 0)
    assert _members(store, organizer)[ZHANG].phone is None
    [line] = _report(result.report_path)
    assert line["级别"] == "警告" and "号段" in line["原因"]


def test_report_value_keeps_long_digit_strings_as_text_for_excel(store, write_csv, organizer) -> None:
    rows = [HEADER, ["123456789012345", LI, "", "", ""], ["李四", LI, "", "", ""]]
    result = import_roster(store, write_csv(rows), operator=organizer)

    with result.report_path.open(encoding="utf-8-sig", newline="") as fh:
        raw = list(csv.reader(fh))[1][2]
    # A leading tab keeps Excel from showing the number as 1.2E+14.
    assert raw == "\t123456789012345"


def test_report_masks_ids_and_mobiles_in_every_column(store, write_csv, organizer) -> None:
    bad = LI[:-1] + ("0" if LI[-1] != "0" else "1")
    result = import_roster(
        store,
        write_csv(
            [
                HEADER,
                ["李四", bad, "", "", ""],  # wrong check digit
                ["王五", WANG, "1381234567", "", ""],  # 10 digits
                [ZHANG, "13800138000", "", "", ""],  # columns swapped: an ID in the name column
                ["张三", ZHANG, "", "", ""],
                ["张三", ZHANG, "", "", ""],  # duplicate
            ]
        ),
        operator=organizer,
    )

    lines = _report(result.report_path)
    values = {(r["行号"], r["列"]): r["值"] for r in lines}
    assert values[("2", "身份证号码")] == bad[:4] + "*" * 10 + bad[-4:]
    assert values[("3", "手机号码")] == "138***4567"
    assert values[("4", "姓名")] == ZHANG[:4] + "*" * 10 + ZHANG[-4:]
    assert values[("4", "身份证号码")] == "1380***8000"
    assert values[("6", "身份证号码")] == ZHANG[:4] + "*" * 10 + ZHANG[-4:]
    text = result.report_path.read_text(encoding="utf-8-sig")
    for secret in (bad, ZHANG, "1381234567", "13800138000"):
        assert secret not in text


def test_dongguan_441900_born_1970_accepted(store, write_csv, organizer) -> None:
    result = import_roster(store, write_csv([HEADER, ["张三", ZHANG, "", "", ""]]), operator=organizer)

    assert (result.inserted, result.rejected, result.warnings) == (1, 0, 0)


def test_441901_does_not_crash(store, write_csv, organizer) -> None:
    odd = valid_id("441901", dt.date(1985, 6, 1), 15)

    result = import_roster(store, write_csv([HEADER, ["张三", odd, "", "", ""]]), operator=organizer)

    assert (result.inserted, result.warnings) == (1, 1)
    [line] = _report(result.report_path)
    assert line["级别"] == "警告" and "地区码" in line["原因"]


def test_rare_char_name_survives(store, write_csv, tmp_path: Path, organizer) -> None:
    csv_path = write_csv([HEADER, ["王𠮷", ZHANG, "", "", ""], ["阿卜杜・热合曼", LI, "", "", ""]])
    xlsx_path = _xlsx(tmp_path / "rare.xlsx", [HEADER, ["刘䶮", WANG]])

    import_roster(store, csv_path, operator=organizer)
    import_roster(store, xlsx_path, operator=organizer)

    members = _members(store, organizer)
    assert members[ZHANG].name == "王𠮷" and members[ZHANG].initials.startswith("w")
    assert members[LI].name == "阿卜杜·热合曼"
    assert members[WANG].name == "刘䶮"


# -- duplicates and re-imports ---------------------------------------------------------


def test_duplicate_id_in_file_reported_and_stored_once(store, write_csv, organizer) -> None:
    path = write_csv([HEADER, ["张三", ZHANG, "13800138000", "", ""], ["李四", LI, "", "", ""], ["张叁", ZHANG.lower(), "", "", ""]])

    result = import_roster(store, path, operator=organizer)

    assert (result.inserted, result.duplicates, result.rejected) == (2, 1, 0)
    assert _members(store, organizer)[ZHANG].name == "张三"
    [line] = _report(result.report_path)
    assert line["行号"] == "4" and "第 2 行" in line["原因"]


def test_reimport_updates_not_duplicates(store, write_csv, organizer) -> None:
    first = import_roster(store, write_csv([HEADER, ["张三", ZHANG, "13800138000", HUAMAO, ""], ["李四", LI, "", "", ""]]), operator=organizer)
    path = write_csv([HEADER, ["张三丰", ZHANG, "13912345678", "东莞市新达五金有限公司", "新达五金有限公司工会委员会"], ["李四", LI, "", "", ""]], name="again.csv")

    second = import_roster(store, path, operator=organizer)

    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)  # 李四 is as before
    assert _count(store, Member) == 2
    zhang = _members(store, organizer)[ZHANG]
    assert (zhang.name, zhang.initials, zhang.phone) == ("张三丰", "zsf", "13912345678")
    assert zhang.enterprise.name == "东莞市新达五金有限公司" and zhang.union.name == "新达五金有限公司工会委员会"
    assert zhang.last_import_id == second.batch_id != first.batch_id


def test_reimport_without_phone_keeps_the_known_phone(store, write_csv, organizer) -> None:
    import_roster(store, write_csv([HEADER, ["张三", ZHANG, "13800138000", HUAMAO, ""]]), operator=organizer)

    import_roster(store, write_csv([["姓名", "身份证号码"], ["张三", ZHANG]], name="names-only.csv"), operator=organizer)

    zhang = _members(store, organizer)[ZHANG]
    assert zhang.phone == "13800138000" and zhang.enterprise.name == HUAMAO


def test_new_member_sign_up_becomes_on_roster(store, write_csv, organizer) -> None:
    with store.session() as s:
        columns = organizer.cipher.member_columns(ZHANG, "13800138000")
        del columns["phone_bidx"]  # members have no exact phone index
        s.add(Member(name="张三", initials="zs", on_roster=False, **columns))
        s.commit()
        member_id = s.scalar(select(Member.id))

    result = import_roster(store, write_csv([HEADER, ["张三", ZHANG, "", HUAMAO, ""]]), operator=organizer)

    zhang = _members(store, organizer)[ZHANG]
    assert (result.inserted, result.updated) == (0, 1)
    assert zhang.on_roster is True and zhang.id == member_id and zhang.phone == "13800138000"


# -- enterprises and unions ------------------------------------------------------------


def test_enterprises_and_unions_are_created_once(store, tmp_path: Path, organizer) -> None:
    written = write_roster_csv(tmp_path / "r.csv", 500, seed=5)
    rows = list(generate_roster_rows(500, seed=5))

    import_roster(store, written.path, operator=organizer)
    import_roster(store, written.path, operator=organizer)

    assert _count(store, Enterprise) == len({r["enterprise"] for r in rows})
    assert _count(store, Union) == len({r["union"] for r in rows})
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.union_id.is_(None))) == 0


def test_enterprise_gets_its_union_from_a_later_row(store, write_csv, organizer) -> None:
    path = write_csv([HEADER, ["张三", ZHANG, "", HUAMAO, ""], ["李四", LI, "", HUAMAO, HUAMAO_UNION], ["王五", WANG, "", HUAMAO, ""]])

    import_roster(store, path, operator=organizer)

    members = _members(store, organizer)
    assert members[LI].enterprise.union_id == members[LI].union.id
    # Members without a union cell belong to their enterprise's union once it is known.
    assert members[WANG].union.name == HUAMAO_UNION


# -- Excel -----------------------------------------------------------------------------


def test_merged_enterprise_cells_fill_down(store, tmp_path: Path, organizer) -> None:
    path = _xlsx(
        tmp_path / "名册.xlsx",
        [
            ["长安镇总工会会员名册", None, None, None],
            ["制表日期：2024年6月30日", None, None, None],
            ["单位名称", "姓名", "身份证号码", "手机号码"],
            [HUAMAO, "张三", ZHANG, "13800138000"],
            [None, "李四", LI, "13912345678"],
            ["东莞市新达五金有限公司", "王五", WANG, None],
        ],
        merges=("A1:D1", "A4:A5"),
    )

    preview = preview_file(path)
    result = import_roster(store, path, operator=organizer)

    assert preview.header_row == 3 and preview.sheet == "Sheet"
    assert result.inserted == 3 and result.rejected == 0
    members = _members(store, organizer)
    assert members[ZHANG].enterprise.name == members[LI].enterprise.name == HUAMAO
    assert members[WANG].enterprise.name == "东莞市新达五金有限公司"


def test_roster_sheet_is_found_after_an_instructions_sheet(store, tmp_path: Path, organizer) -> None:
    book = openpyxl.Workbook()
    book.active.title = "填写说明"
    book.active.append(["请按模板填写，身份证号码列设为文本格式"])
    roster = book.create_sheet("会员")
    for row in ([*HEADER], ["张三", ZHANG]):
        roster.append(row)
    other = book.create_sheet("二厂")
    for row in ([*HEADER], ["李四", LI]):
        other.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)

    preview = preview_file(path)
    result = import_roster(store, path, operator=organizer)

    assert preview.sheet == "会员" and preview.other_sheets == ["二厂"]
    assert result.inserted == 1
    [line] = _report(result.report_path)
    assert "二厂" in line["原因"] and line["级别"] == "警告"


# -- columns ---------------------------------------------------------------------------


def test_aliases_and_english_headers_are_recognised(tmp_path: Path, write_csv) -> None:
    path = write_csv([["No.", "Name", "ID Number", "Mobile", "Company", "Union"], ["1", "Zhang San", ZHANG, "", "", ""]])

    preview = preview_file(path)

    assert preview.mapping == {"name": 1, "id_number": 2, "phone": 3, "enterprise": 4, "union": 5}
    assert preview.missing == []


def test_unknown_headers_raise_unmapped_with_preview(store, write_csv, organizer) -> None:
    path = write_csv([["序号", "甲", "乙"], ["1", "张三", ZHANG], ["2", "李四", LI]])

    with pytest.raises(UnmappedColumns) as caught:
        import_roster(store, path, operator=organizer)

    preview = caught.value.preview
    assert preview.headers == ["序号", "甲", "乙"] and preview.header_row == 1
    assert preview.missing == ["name", "id_number"]
    assert preview.sample_rows[0] == ["1", "张三", ZHANG]
    message = caught.value.message()
    assert "甲" in message and "姓名" in message and "--map" in message
    assert _count(store, Member) == 0


def test_explicit_mapping_imports_unknown_headers(store, write_csv, organizer) -> None:
    path = write_csv([["序号", "甲", "乙", "电话"], ["1", "张三", ZHANG, "13800138000"]])
    preview = preview_file(path)

    mapping = parse_mapping_option("甲=姓名,乙=id_number", preview.headers)
    result = import_roster(store, path, mapping=mapping, operator=organizer)

    assert mapping == {"name": 1, "id_number": 2, "phone": 3}
    assert result.inserted == 1 and _members(store, organizer)[ZHANG].phone == "13800138000"


def test_map_option_parsing() -> None:
    headers = ["序号", "证件号", "联系人", "电话"]

    assert parse_mapping_option("联系人=姓名", headers) == {"name": 2, "id_number": 1, "phone": 3}
    assert parse_mapping_option("2=身份证号码；3 = name，A=phone", headers) == {"name": 2, "id_number": 1, "phone": 0}
    assert parse_mapping_option("联系人＝Name", headers) == {"name": 2, "id_number": 1, "phone": 3}


def test_map_option_moves_a_field_the_headers_put_elsewhere() -> None:
    # 电话 would be the phone; the user says the phone is in 手机 instead.
    assert parse_mapping_option("手机=phone,联系人=name", ["联系人", "身份证号", "电话", "手机"]) == {
        "name": 0,
        "id_number": 1,
        "phone": 3,
    }


@pytest.mark.parametrize(
    ("text", "key", "named"),
    [
        ("证件号", "map_syntax", "表头=字段"),
        ("证件号=", "map_syntax", "表头=字段"),
        ("地址=id_number", "map_unknown_column", "证件号"),
        ("9=id_number", "map_column_range", "4"),
        ("证件号=birthday", "map_unknown_field", "id_number"),
        ("证件号=id_number,电话=id_number", "map_field_twice", "id_number"),
        ("证件号=id_number,证件号=name", "map_column_twice", "证件号"),
    ],
)
def test_map_option_errors_say_what_is_wrong(text: str, key: str, named: str) -> None:
    with pytest.raises(StationError) as caught:
        parse_mapping_option(text, ["序号", "证件号", "联系人", "电话"])
    assert caught.value.key == key
    assert named in caught.value.message()


def test_file_without_header_row_is_mapped_by_content(store, write_csv, organizer) -> None:
    path = write_csv([["张三", ZHANG, "13800138000"], ["李四", LI, "13912345678"], ["王五", WANG, "13700137000"]])

    preview = preview_file(path)
    result = import_roster(store, path, operator=organizer)

    assert preview.header_row == 0 and preview.headers == ["A", "B", "C"]
    assert preview.mapping == {"name": 0, "id_number": 1, "phone": 2}
    assert result.inserted == 3


# -- atomicity, cancel, progress -------------------------------------------------------


def test_cancel_leaves_store_unchanged(store, tmp_path: Path, monkeypatch, organizer) -> None:
    import_roster(store, write_roster_csv(tmp_path / "first.csv", 50, seed=1).path, operator=organizer)
    before = _snapshot(store)
    monkeypatch.setattr(roster_pool, "CHUNK_ROWS", 100)
    polls = []

    def cancel() -> bool:
        polls.append(1)
        return len(polls) > 3  # after some rows are already written

    with pytest.raises(StationError) as caught:
        import_roster(store, write_roster_csv(tmp_path / "second.csv", 1000, seed=2, dirty=True).path, cancel=cancel, operator=organizer)

    assert caught.value.key == "cancelled"
    assert _snapshot(store) == before
    assert list(store.paths.reports.iterdir()) == []


def test_cancel_is_no_longer_taken_once_the_file_is_being_published(store, tmp_path: Path, monkeypatch, organizer) -> None:
    # The whole file is checked and staged first; once it publishes, a cancel would leave half a
    # roster, so the import finishes and says so.
    monkeypatch.setattr(roster_publish, "REBUILD_MIN_NEW", 10)
    stages = []

    result = import_roster(
        store,
        write_roster_csv(tmp_path / "r.csv", 3000, seed=2).path,
        progress=lambda p: stages.append(p.stage),
        cancel=lambda: "publishing" in stages,
        operator=organizer,
    )

    assert result.inserted == 3000 and _count(store, Member) == 3000
    assert stages.index("reading") < stages.index("publishing") < stages.index("indexing") < stages.index("saving")
    assert list(store.paths.imports.iterdir()) == []  # the side database is gone


def test_big_import_keeps_the_same_indexes(store, tmp_path: Path, monkeypatch, organizer) -> None:
    monkeypatch.setattr(roster_publish, "REBUILD_MIN_NEW", 10)
    schema_before = _snapshot(store)[-1]

    result = import_roster(store, write_roster_csv(tmp_path / "r.csv", 2000, seed=4).path, operator=organizer)

    assert result.inserted == 2000
    assert _snapshot(store)[-1] == schema_before


def test_big_import_into_a_filled_store_updates_through_the_unique_index(store, tmp_path: Path, monkeypatch, organizer) -> None:
    # Into an empty table every index but the unique one is built at the end; into a filled one
    # too when the file brings many new people, and the people already there are matched.
    monkeypatch.setattr(roster_publish, "REBUILD_MIN_NEW", 10)
    schema_before = _snapshot(store)[-1]
    first = import_roster(store, write_roster_csv(tmp_path / "a.csv", 600, seed=15).path, operator=organizer)
    both = write_roster_csv(tmp_path / "b.csv", 1500, seed=15)  # the same 600 people, then 900 more

    second = import_roster(store, both.path, operator=organizer)

    assert (first.inserted, second.inserted, second.updated, second.unchanged) == (600, 900, 0, 600)
    assert _count(store, Member) == 1500
    assert _snapshot(store)[-1] == schema_before
    with store.session() as s:
        assert s.scalar(select(func.count(func.distinct(Member.id_bidx)))) == 1500
        # The 600 the second file says nothing new about were left alone.
        assert s.scalar(select(func.count()).select_from(Member).where(Member.last_import_id == second.batch_id)) == 900


def test_undecodable_bytes_midway_leave_store_unchanged(store, tmp_path: Path, organizer) -> None:
    # Past the first megabyte, so only reading the rows finds the bad bytes.
    written = write_roster_csv(tmp_path / "gbk.csv", 12000, seed=6, encoding="gbk")
    data = written.path.read_bytes()
    assert len(data) > 1 << 20
    written.path.write_bytes(data + b"\xd5\xc5\xff\xff," + ZHANG.encode() + b"\r\n")
    before = _snapshot(store)

    with pytest.raises(StationError) as caught:
        import_roster(store, written.path, operator=organizer)

    assert caught.value.key == "table_encoding_at" and "12002" in caught.value.message()
    assert _snapshot(store) == before


def test_progress_reports_rate_and_time_left_at_most_ten_times_a_second(store, tmp_path: Path, monkeypatch, organizer) -> None:
    monkeypatch.setattr(roster_pool, "CHUNK_ROWS", 50)
    reports: list[ImportProgress] = []

    result = import_roster(store, write_roster_csv(tmp_path / "r.csv", 3000, seed=7).path, progress=reports.append, operator=organizer)

    reading = [p for p in reports if p.stage == "reading"]
    assert reading and reading[-1].rows_done == result.rows_read == 3000
    assert all(p.rows_per_s > 0 and p.rows_total for p in reading)
    assert any(p.eta_s is not None for p in reading)
    assert len(reports) <= result.elapsed_s * 10 + 4
    assert reports[-1].stage == "saving"


def _set_up(data_dir: Path):
    """A store of its own with its first organizer logged in."""
    from station.store.database import open_store

    store = open_store(data_dir)
    operators.create_first_organizer(store, ORGANIZER, ORGANIZER_SECRET)
    return store, operators.login(store, ORGANIZER, ORGANIZER_SECRET)


def test_worker_processes_give_the_same_result(tmp_path: Path) -> None:
    written = write_roster_csv(tmp_path / "r.csv", 2500, seed=8, dirty=True)
    results = []
    stores = []
    for workers in (0, 2):
        store, organizer = _set_up(tmp_path / f"data-{workers}")
        stores.append((store, organizer))
        result = import_roster(store, written.path, workers=workers, operator=organizer)
        results.append((result.inserted, result.rejected, result.duplicates, result.warnings, _report(result.report_path)))
    try:
        assert results[0] == results[1]
        assert _same_members(stores)
    finally:
        for store, _organizer in stores:
            store.close()


def test_excel_rows_checked_by_worker_processes_import_the_same(store, tmp_path: Path, organizer) -> None:
    rows = [[r["name"], r["id_number"], r["phone"], r["enterprise"], r["union"]] for r in generate_roster_rows(1500, seed=9)]
    rows[10][1] = "4.41900199001011E+17"
    path = _xlsx(tmp_path / "big.xlsx", [["会员名册"], HEADER, *rows])

    result = import_roster(store, path, workers=2, operator=organizer)

    assert (result.rows_read, result.inserted, result.rejected) == (1500, 1499, 1)
    assert _report(result.report_path)[0]["行号"] == "13"


def test_cancel_with_worker_processes_leaves_store_unchanged(store, tmp_path: Path, monkeypatch, organizer) -> None:
    from station.roster import tabular

    monkeypatch.setattr(tabular, "BLOCK_BYTES", 16_384)
    before = _snapshot(store)
    polls = []

    def cancel() -> bool:
        polls.append(1)
        return len(polls) > 2

    with pytest.raises(StationError) as caught:
        import_roster(store, write_roster_csv(tmp_path / "r.csv", 2000, seed=2).path, cancel=cancel, workers=1, operator=organizer)

    assert caught.value.key == "cancelled"
    assert _snapshot(store) == before


def _same_members(stores) -> bool:
    snapshot = [sorted((m.id_number, m.name, m.phone, m.on_roster) for m in _members(*s).values()) for s in stores]
    return snapshot[0] == snapshot[1]


# -- personal data (issue 4) -----------------------------------------------------------


def test_a_promoter_may_not_import(store, write_csv, promoter) -> None:
    path = write_csv([HEADER, ["张三", ZHANG, "13800138000", "", ""]])
    before = _snapshot(store)

    with pytest.raises(StationError) as caught:
        import_roster(store, path, operator=promoter)

    assert caught.value.key == "not_permitted"
    assert _snapshot(store) == before


_RUN = re.compile(r"[0-9]{11,}[0-9Xx]?")


def _clear_numbers(blob: bytes, ids: set[str], phones: set[str]) -> set[str]:
    """The known ID numbers (by their first 17 digits) and mobiles found in `blob`,
    as UTF-8/ASCII text or as UTF-16 at either byte alignment."""
    found = set()
    for text in (blob.decode("latin-1"), blob.decode("utf-16-le", "ignore"), blob[1:].decode("utf-16-le", "ignore")):
        for run in _RUN.findall(text):
            for size, known in ((17, ids), (11, phones)):
                found.update(run[i : i + size] for i in range(len(run) - size + 1) if run[i : i + size] in known)
    return found


def test_import_with_workers_leaves_no_id_or_mobile_in_clear_on_disk(store, tmp_path: Path, monkeypatch, organizer) -> None:
    written = write_roster_csv(tmp_path / "r.csv", 2500, seed=12, dirty=True)
    people = list(generate_roster_rows(2500, seed=12))
    ids = {r["id_number"][:17] for r in people}  # a wrong check digit keeps the first 17
    phones = {r["phone"] for r in people}
    # The scanner does see the numbers where they are in clear: in the source file.
    assert len(_clear_numbers(written.path.read_bytes(), ids, phones)) > 4000
    sent = []
    real_start = roster_import.start_pool

    def recording_pool(n: int, data_key: bytes, stage: str):
        pool = real_start(n, data_key, stage)
        submit = pool.submit

        def recorded(fn, *args, **kwargs):
            sent.append(pickle.dumps((fn, args, kwargs)))
            return submit(fn, *args, **kwargs)

        pool.submit = recorded
        return pool

    monkeypatch.setattr(roster_import, "start_pool", recording_pool)
    staged: dict[Path, bytes] = {}  # the side databases, read just before they are removed
    real_forget = roster_publish.forget_stage

    def keep_stage(stage_file):
        staged.update({p: p.read_bytes() for p in Path(stage_file).parent.glob("*.sqlite")})
        real_forget(stage_file)

    monkeypatch.setattr(roster_publish, "forget_stage", keep_stage)
    database = store.paths.database
    wal = database.with_name(database.name + "-wal")
    reader = sqlite3.connect(database)  # an open reader keeps the WAL file from being folded in and removed
    try:
        reader.execute("SELECT count(*) FROM members").fetchone()

        result = import_roster(store, written.path, workers=2, operator=organizer)

        assert wal.stat().st_size > 100_000
        files = {path: path.read_bytes() for path in (database, wal, *store.paths.reports.iterdir())}
    finally:
        reader.close()
    assert len(staged) >= 2  # the stage and the parts of the workers that had rows
    files.update(staged)
    assert result.inserted > 2400 and result.rejected and result.report_path is not None
    # The data key went to the workers when they started, never with a batch.
    assert sent and not any(organizer.cipher.data_key in job for job in sent)
    for path, data in files.items():
        assert _clear_numbers(data, ids, phones) == set(), path.name
    # What is stored still decrypts to the people in the file.
    members = _members(store, organizer)
    assert sum(1 for r in people if members.get(r["id_number"]) and members[r["id_number"]].phone == r["phone"]) > 2300


def test_reimport_with_workers_updates_each_person_once(tmp_path: Path) -> None:
    store, organizer = _set_up(tmp_path / "data")
    try:
        written = write_roster_csv(tmp_path / "r.csv", 1500, seed=13)
        first = import_roster(store, written.path, workers=2, operator=organizer)
        moved = [[r["name"], r["id_number"], "139" + r["phone"][3:], r["enterprise"], ""] for r in generate_roster_rows(1500, seed=13)]
        again = tmp_path / "again.csv"
        with again.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([HEADER, *moved])

        second = import_roster(store, again, workers=2, operator=organizer)

        assert (first.inserted, second.inserted, second.updated) == (1500, 0, 1500)
        with store.session() as s:
            assert s.scalar(select(func.count(func.distinct(Member.id_bidx)))) == _count(store, Member) == 1500
        members = _members(store, organizer)
        assert all(members[r[1]].phone == r[2] for r in moved)
        assert all(members[r[1]].last_import_id == second.batch_id for r in moved)
    finally:
        store.close()


def test_imported_members_are_found_by_the_booth_look_up(tmp_path: Path) -> None:
    store, organizer = _set_up(tmp_path / "data")
    try:
        written = write_roster_csv(tmp_path / "r.csv", 1200, seed=14)
        import_roster(store, written.path, workers=2, operator=organizer)
        people = list(generate_roster_rows(1200, seed=14))

        for person in (people[0], people[599], people[-1]):
            hint = signup.lookup_roster(store, person["id_number"], organizer)
            assert hint is not None and hint["name"] == person["name"] and hint["on_roster"] is True
        assert signup.lookup_roster(store, valid_id("441900", dt.date(1960, 1, 1), 999), organizer) is None
    finally:
        store.close()


def test_each_file_leaves_one_import_entry_in_the_audit_log(store, write_csv, organizer) -> None:
    path = write_csv([HEADER, ["张三", ZHANG, "13800138000", HUAMAO, ""], ["李四", "4.41900199001011E+17", "", "", ""]])

    result = import_roster(store, path, operator=organizer)

    [entry] = [e for e in audit.entries(store, limit=None) if e.action == "import"]
    details = json.loads(entry.details)
    assert (entry.operator, entry.target) == (ORGANIZER, result.batch_uuid)
    assert details == {
        "kind": "roster",
        "file": "roster.csv",
        "sha256": file_sha256(path),
        "rows_read": 2,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "duplicates": 0,
        "warnings": 0,
    }
    assert ZHANG not in entry.details and "13800138000" not in entry.details
    assert audit.verify(store, organizer.cipher) == []


def test_a_file_named_after_a_mobile_is_recorded_masked(store, write_csv, organizer) -> None:
    path = write_csv([HEADER, ["张三", ZHANG, "", "", ""], ["李四", "123", "", "", ""]], name="13800138000名单.csv")

    result = import_roster(store, path, operator=organizer)

    [entry] = [e for e in audit.entries(store, limit=None) if e.action == "import"]
    assert json.loads(entry.details)["file"] == "138****8000名单.csv"
    assert "13800138000" not in result.report_path.name
    with store.session() as s:
        assert s.get(ImportBatch, result.batch_id).file_name == "138****8000名单.csv"


def test_a_store_with_unconverted_plaintext_is_not_imported_into(store, write_csv, organizer) -> None:
    with store.session() as s:
        s.add(Member(legacy_id_number=LI, legacy_id_tail=LI[-4:], name="李四", initials="ls", on_roster=True))
        s.commit()

    with pytest.raises(StationError) as caught:
        import_roster(store, write_csv([HEADER, ["李四", LI, "", "", ""]]), operator=organizer)

    assert caught.value.key == "import_needs_encryption"
    assert _count(store, Member) == 1


def test_merge_mapping_never_imports_one_column_twice() -> None:
    assert merge_mapping({"name": 0, "id_number": 1, "phone": 2}, {"enterprise": 2}) == {
        "name": 0,
        "id_number": 1,
        "enterprise": 2,
    }


def test_fields_and_labels_are_the_published_ones() -> None:
    assert FIELDS == ("name", "id_number", "phone", "enterprise", "union")
    assert roster_mapping.FIELD_LABELS_ZH["id_number"] == "身份证号码"


# -- the templates we hand out ---------------------------------------------------------


@pytest.mark.parametrize("name", ["roster_template.csv", "roster_template.xlsx"])
def test_templates_name_every_field(name: str) -> None:
    from station.store.paths import resources_dir

    preview = preview_file(resources_dir() / "templates" / name)

    assert preview.header_row == 1 and preview.missing == []
    assert set(preview.mapping) == set(FIELDS)


def test_filled_in_xlsx_template_keeps_ids_as_text(store, tmp_path: Path, organizer) -> None:
    from station.store.paths import resources_dir

    book = openpyxl.load_workbook(resources_dir() / "templates" / "roster_template.xlsx")
    sheet = book["会员名册"]
    assert sheet["B2"].number_format == "@" and sheet["C2"].number_format == "@"
    sheet["A2"], sheet["B2"], sheet["C2"], sheet["D2"] = "张三", ZHANG, "13800138000", HUAMAO
    path = tmp_path / "filled.xlsx"
    book.save(path)

    result = import_roster(store, path, operator=organizer)

    assert (result.inserted, result.rejected) == (1, 0)
    assert _members(store, organizer)[ZHANG].phone == "13800138000"


def test_unmapped_columns_message_names_fields_in_english_too(store, write_csv, organizer) -> None:
    path = write_csv([["序号", "甲"], ["1", "张三"]])

    with pytest.raises(UnmappedColumns) as caught:
        import_roster(store, path, operator=organizer)

    english = caught.value.message("en")
    assert "Name" in english and "ID number" in english and "--map" in english
