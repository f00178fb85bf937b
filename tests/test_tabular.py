"""Reading hand-made tables: encodings, delimiters, Excel quirks, clear refusals."""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pytest

from station.errors import StationError
from station.roster.tabular import cell_text, column_letter, detect_encoding, open_table, sheet_names

ROWS = [["姓名", "身份证号码"], ["张三", "44190019900101101X"], ["𠮷田", "441900199001011028"]]


def _rows(path: Path) -> list[tuple[int, list]]:
    return list(open_table(path).rows())


def test_column_letters_follow_excel() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (4.41900199001011e17, "4.41900199001011E+17"),
        (13800138000.0, "13800138000"),
        (12.5, "12.5"),
        (None, ""),
        ("  张三 ", "  张三 "),
    ],
)
def test_cells_read_as_a_person_sees_them(value: object, shown: str) -> None:
    assert cell_text(value) == shown


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_encoding_is_detected(write_csv, encoding: str, detected: str) -> None:
    path = write_csv(ROWS, encoding=encoding)
    assert detect_encoding(path) == detected
    assert _rows(path)[2][1] == ["𠮷田", "441900199001011028"]


def test_gbk_file_is_read_as_gb18030(write_csv) -> None:
    path = write_csv([["姓名", "单位"], ["李娜", "东莞市华茂电子有限公司"]], encoding="gbk")
    table = open_table(path)
    assert table.encoding == "gb18030"
    assert _rows(path)[1][1] == ["李娜", "东莞市华茂电子有限公司"]


def test_undecodable_file_is_refused_with_save_as_hint(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"name,id\n\x80\xff\x80\xff,1\n")
    with pytest.raises(StationError) as caught:
        open_table(path)
    assert caught.value.key == "table_encoding"
    assert "UTF-8" in caught.value.message()


def test_utf8_bom_is_not_part_of_the_first_header(write_csv) -> None:
    path = write_csv(ROWS, encoding="utf-8-sig")
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    assert _rows(path)[0][1][0] == "姓名"


def test_tab_separated_text_named_xls_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("姓名\t身份证号码\n张三\t44190019900101101X\n", encoding="gbk")
    table = open_table(path)
    assert table.kind == "csv" and table.delimiter == "\t"
    assert _rows(path)[1][1] == ["张三", "44190019900101101X"]


def test_semicolon_csv_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("姓名;身份证号码\n张三;44190019900101101X\n", encoding="utf-8")
    assert _rows(path)[1][1] == ["张三", "44190019900101101X"]


def test_csv_row_numbers_count_records_as_excel_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text('姓名,备注\n张三,"两行\n备注"\n李四,无\n', encoding="utf-8")
    assert [(n, cells[0]) for n, cells in _rows(path)] == [(1, "姓名"), (2, "张三"), (3, "李四")]


def test_html_saved_as_xls_gets_a_save_as_hint(tmp_path: Path) -> None:
    path = tmp_path / "名册.xls"
    path.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(StationError) as caught:
        open_table(path)
    assert caught.value.key == "table_html_as_excel"
    assert ".xlsx" in caught.value.message()


@pytest.mark.parametrize("name", ["名册.docx", "名册.pdf", "名册"])
def test_unsupported_types_are_refused_with_the_supported_list(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4 whatever")
    with pytest.raises(StationError) as caught:
        open_table(path)
    assert caught.value.key == "table_unsupported_type"
    assert ".xlsx" in caught.value.message() and ".csv" in caught.value.message()


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"")
    with pytest.raises(StationError) as caught:
        open_table(path)
    assert caught.value.key == "table_empty"


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StationError) as caught:
        open_table(tmp_path / "nope.csv")
    assert caught.value.key == "file_not_found"


def test_damaged_xlsx_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(StationError) as caught:
        open_table(path)
    assert caught.value.key == "table_bad_excel"
    assert "名册.xlsx" in caught.value.message()


def test_merged_cells_fill_down_and_across(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["XX镇总工会会员名册", None, None])
    sheet.merge_cells("A1:C1")
    sheet.append(["姓名", "身份证号码", "单位名称"])
    sheet.append(["张三", "1", "东莞市华茂电子有限公司"])
    sheet.append(["李四", "2", None])
    sheet.append(["王五", "3", None])
    sheet.append(["赵六", "4", "另一家公司"])
    sheet.merge_cells("C3:C5")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    rows = dict(_rows(path))
    assert rows[1] == ["XX镇总工会会员名册"] * 3
    assert [rows[n][2] for n in (3, 4, 5, 6)] == ["东莞市华茂电子有限公司"] * 3 + ["另一家公司"]


def test_sheet_row_numbers_survive_leading_blank_rows_and_columns(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C4"] = "姓名"
    sheet["D4"] = "身份证号码"
    sheet["C5"] = "张三"
    sheet["D5"] = "44190019900101101X"
    path = tmp_path / "offset.xlsx"
    book.save(path)
    rows = dict(_rows(path))
    assert rows[4][2:4] == ["姓名", "身份证号码"]
    assert rows[5][2:4] == ["张三", "44190019900101101X"]


def test_excel_numbers_arrive_as_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["张三", 441900199001011000, 13800138000])
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    [(_n, cells)] = _rows(path)
    assert isinstance(cells[1], float) and cell_text(cells[2]) == "13800138000"


def test_hidden_sheets_are_not_offered(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "名册"
    hidden = book.create_sheet("旧数据")
    hidden.sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert sheet_names(path) == ["名册"]


def test_csv_blocks_end_on_record_boundaries_even_inside_quotes(tmp_path: Path) -> None:
    from station.roster.tabular import csv_blocks, parse_csv_block

    rows = [["姓名", "备注"]] + [[f"张{i}", f'第{i}行\n"引号",逗号'] for i in range(300)]
    path = tmp_path / "quoted.csv"
    with path.open("w", encoding="gb18030", newline="") as fh:
        import csv

        csv.writer(fh).writerows(rows)
    table = open_table(path)

    blocks = list(csv_blocks(table, size=97))

    assert len(blocks) > 10
    parsed = [row for block in blocks for row in parse_csv_block(block, table.encoding, table.delimiter)]
    assert parsed == [cells for _n, cells in table.rows()] == rows
