"""Roster files that are not what they say, or far too big: each gets a message saying what to do.

Measured by a user: a 686 KB .xlsx that unpacks to 200 MB of rows made a
293 MB report; a random file named .xlsx was called a text-encoding
problem.  These files are now refused before anything is imported, with
the file's name, the limit and the fix, in Chinese and in English.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import random
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET

from station.cli import login as login_cli
from station.cli import main as cli
from station.demo.data import valid_id
from station.errors import StationError
from station.roster import tabular, workbook
from station.roster.detection import preview_file
from station.roster.tabular import csv_blocks, first_undecodable_line, open_table

ZHANG = valid_id("441900", dt.date(1970, 5, 1), 21)
HEADER = ["姓名", "身份证号码", "手机号码"]

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(path: Path, rows_xml, dimension: str = "A1:C3") -> Path:
    """A workbook written part by part, its one sheet's rows given as XML (so a test can pad or bomb it)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + f'<dimension ref="{dimension}"/><sheetData>'.encode()
            )
            header = f'<row r="1">{_cell("A1", "姓名")}{_cell("B1", "身份证号码")}</row>'
            first = f'<row r="2">{_cell("A2", "张三")}{_cell("B2", ZHANG)}</row>'
            fh.write((header + first).encode())
            for chunk in rows_xml:
                fh.write(chunk.encode())
            fh.write(b"</sheetData></worksheet>")
    return path


def _bomb(path: Path, rows: int) -> Path:
    """The user's file in small: one row repeated, without row numbers, so it packs a few hundred times."""
    row = '<row><c t="inlineStr"><is><t>李四</t></is></c><c t="inlineStr"><is><t>4419</t></is></c></row>'
    return _xlsx(path, (row * 1000 for _ in range(rows // 1000)))


def _error(path: Path) -> StationError:
    with pytest.raises(StationError) as caught:
        list(open_table(path).rows())
    return caught.value


@pytest.fixture
def run(store, organizer, capsys, monkeypatch):
    """`station roster import FILE` as the organizer: (exit code, stderr)."""

    def run(path: Path, *more: str) -> tuple[int, str]:
        monkeypatch.setenv(login_cli.SECRET_ENV, ORGANIZER_SECRET)
        code = cli.main(["--data-dir", str(store.paths.root), "--operator", ORGANIZER, *more, "roster", "import",
                         str(path)])  # fmt: skip
        return code, capsys.readouterr().err

    return run


def _nothing_imported(store) -> bool:
    con = sqlite3.connect(store.paths.database)
    try:
        members, batches = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("members", "import_batches"))
    finally:
        con.close()
    reports = store.paths.reports
    return members == 0 and batches == 0 and not (reports.exists() and any(reports.iterdir()))


# -- files that are not what their name says ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["名册.xlsx", "名册.xls"])
def test_random_bytes_named_as_excel_are_not_an_excel_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(random.Random(1).randbytes(5000))

    error = _error(path)

    assert error.key == "table_not_excel"
    assert f"{name} 不是 Excel 文件" in error.message("zh") and "另存为" in error.message("zh")
    assert f"{name} is not an Excel file" in error.message("en") and "save it as .xlsx or CSV" in error.message("en")
    assert "编码" not in error.message("zh")


def test_a_pdf_named_xlsx_is_not_an_excel_file_either(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8)
    assert _error(path).key == "table_not_excel"


@pytest.mark.parametrize("part", ["名单.txt", "word/document.xml"])
def test_a_zip_without_a_workbook_is_named_as_such(tmp_path: Path, part: str) -> None:
    path = tmp_path / "名册.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(part, "张三")

    error = _error(path)

    assert error.key == "table_zip_not_excel"
    assert "名册.xlsx 不是 Excel 文件" in error.message("zh") and "解压" in error.message("zh")
    assert "zip archive" in error.message("en") and "unpack it" in error.message("en")


def test_an_empty_xlsx_is_called_empty(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"")
    error = _error(path)
    assert error.key == "table_empty" and "名册.xlsx" in error.message("zh") and "empty" in error.message("en")


def test_a_csv_holding_binary_data_is_not_a_text_csv(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_bytes("姓名,身份证号码\n".encode("gbk") + b"\x00\x01\x02\x03" * 100)

    error = _error(path)

    assert error.key == "table_binary"
    assert "名册.csv 不是文本格式的 CSV 文件" in error.message("zh")
    assert "not a text CSV file" in error.message("en") and "CSV UTF-8" in error.message("en")


def test_utf16_text_is_still_text(tmp_path: Path) -> None:
    path = tmp_path / "名册.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "姓名\t身份证号码\n张三\t".encode("utf-16-le") + ZHANG.encode("utf-16-le"))
    assert [cells for _n, cells in open_table(path).rows()][1] == ["张三", ZHANG]


def test_a_random_file_named_xlsx_exits_2_through_the_cli_with_nothing_imported(run, store, tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(random.Random(2).randbytes(3000))

    code, err = run(path)

    assert code == 2 and "名册.xlsx 不是 Excel 文件" in err and "Traceback" not in err
    assert _nothing_imported(store)
    code, err = run(path, "--lang", "en")
    assert code == 2 and "is not an Excel file" in err


# -- far too big --------------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(workbook, "UNPACK_RATIO_FLOOR", 1 << 20)  # the real floor is 64 MB
    path = _bomb(tmp_path / "名册.xlsx", 60_000)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 100 * sheet.compress_size

    with pytest.raises(StationError) as caught:
        preview_file(path)

    zh, en = caught.value.message("zh"), caught.value.message("en")
    assert caught.value.key == "table_too_big_ratio"
    assert "名册.xlsx" in zh and "100 倍" in zh and "删除" in zh and "没有导入任何数据" in zh
    assert "100 times" in en and "delete the extra rows" in en


def test_the_zip_bomb_exits_2_through_the_cli_with_nothing_imported(run, store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(workbook, "UNPACK_RATIO_FLOOR", 1 << 20)
    path = _bomb(tmp_path / "名册.xlsx", 60_000)

    code, err = run(path)

    assert code == 2 and "名册.xlsx" in err and "倍" in err and "Traceback" not in err
    assert _nothing_imported(store)


def test_a_workbook_unpacking_past_the_absolute_cap_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 2000)
    path = tmp_path / "名册.xlsx"
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["张三", ZHANG, "13800138000"])
    book.save(path)

    error = _error(path)

    assert error.key == "table_too_big"
    assert "名册.xlsx" in error.message("zh") and "2 KB" in error.message("zh") and "拆成" in error.message("zh")
    assert "Split the roster" in error.message("en")


def test_real_sheets_pack_well_under_the_ratio(tmp_path: Path) -> None:
    # Row numbers in every cell keep an Excel sheet from packing tighter than about 25 times,
    # even a sheet formatted down to row 1048576 (here 100,000 rows of formatted empty cells).
    cells = "".join(f'<c r="{c}{{r}}" s="1"/>' for c in "ABCDEFGHIJ")
    path = _xlsx(tmp_path / "名册.xlsx", (f'<row r="{r}">{cells.format(r=r)}</row>' for r in range(3, 100_000)),
                 dimension="A1:Z1048576")  # fmt: skip
    with zipfile.ZipFile(path) as zf:
        sheet = zf.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size < 40 * sheet.compress_size < workbook.UNPACK_RATIO * sheet.compress_size


def test_trailing_blank_rows_are_dropped_not_counted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 10)
    # A sheet whose dimension says A1:Z1048576: empty strings far down (a formula's "" or a pasted blank).
    blanks = (f'<row r="{r}">{_cell(f"A{r}", "")}{_cell(f"Z{r}", "")}</row>' for r in range(3, 5000))
    path = _xlsx(tmp_path / "名册.xlsx", blanks, dimension="A1:Z1048576")

    rows = list(open_table(path).rows())

    assert [n for n, _cells in rows] == [1, 2] and rows[1][1][:2] == ["张三", ZHANG]
    assert preview_file(path).sample_rows[0][:2] == ["张三", ZHANG]


def test_blank_rows_between_filled_ones_keep_their_numbers(tmp_path: Path, write_csv) -> None:
    path = write_csv([HEADER, ["张三", ZHANG, ""], ["", "", ""], [], ["李四", ZHANG, ""], ["", "", ""]])
    rows = list(open_table(path).rows())
    assert [(n, cells[:1]) for n, cells in rows] == [(1, ["姓名"]), (2, ["张三"]), (3, []), (4, []), (5, ["李四"])]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_more_rows_than_the_limit_stop_the_reading_with_the_limit_named(tmp_path: Path, monkeypatch,
                                                                        suffix: str) -> None:  # fmt: skip
    monkeypatch.setattr(tabular, "MAX_ROWS", 50)
    rows = [HEADER] + [["张三", ZHANG, ""]] * 60
    path = tmp_path / f"名册{suffix}"
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    else:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)

    error = _error(path)

    assert error.key == "table_too_many_rows"
    assert "名册" + suffix in error.message("zh") and "超过 50 行" in error.message("zh") and "拆成" in error.message("zh")
    assert "more than 50 rows" in error.message("en") and "Split the roster" in error.message("en")


def test_a_csv_padded_with_empty_lines_is_not_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 50)
    path = tmp_path / "名册.csv"
    path.write_text("姓名,身份证号码\n" + f"张三,{ZHANG}\n" * 40 + ",,\n" * 5000, encoding="utf-8")
    table = open_table(path)

    assert len(list(table.rows())) == 41
    assert b"".join(csv_blocks(table, size=4096)) == path.read_bytes()  # the workers' blocks, all of them


def test_the_workers_blocks_stop_past_the_row_limit_too(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 50)
    path = tmp_path / "名册.csv"
    path.write_text("姓名,身份证号码\n" + ",,\n" * 3000 + f"张三,{ZHANG}\n" * 60, encoding="utf-8")

    with pytest.raises(StationError) as caught:
        list(csv_blocks(open_table(path), size=4096))

    assert caught.value.key == "table_too_many_rows" and "50" in caught.value.message("zh")


def test_a_row_wider_than_the_limit_is_named(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER + [""] * 500)  # wide but empty: fine
        writer.writerow(["张三", ZHANG, ""])
        writer.writerow([f"x{i}" for i in range(tabular.MAX_COLUMNS + 50)])

    error = _error(path)

    assert error.key == "table_too_wide"
    zh, en = error.message("zh"), error.message("en")
    assert "第 3 行" in zh and "250 个" in zh and "上限 200 列" in zh and "删除多余的列" in zh
    assert "Row 3" in en and "limit of 200 columns" in en


def test_the_workers_blocks_find_a_file_of_wide_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tabular, "MAX_COLUMNS", 20)
    path = tmp_path / "名册.csv"
    path.write_text("姓名,身份证号码\n" + (",".join(["x"] * 30) + "\n") * 200, encoding="utf-8")

    with pytest.raises(StationError) as caught:
        list(csv_blocks(open_table(path), size=4096))

    assert caught.value.key == "table_too_wide" and "第 2 行" in caught.value.message("zh")


def test_a_wide_excel_row_is_named(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tabular, "MAX_COLUMNS", 20)
    path = tmp_path / "名册.xlsx"
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["张三", ZHANG] + ["x"] * 30)
    book.save(path)

    error = _error(path)

    assert error.key == "table_too_wide" and "第 2 行" in error.message("zh") and "32" in error.message("zh")


# -- bad bytes in the middle of a CSV -----------------------------------------------------------------------


def _gbk_roster(path: Path, rows: int, bad_row: int, bad: bytes = b"\xff\xfe") -> Path:
    """A GBK roster with `rows` rows (header included, as Excel numbers them) and undecodable bytes in `bad_row`.

    Row 3 holds a cell with a line break: Excel shows its record as one row, so rows are records, not lines.
    """
    lines = [b"\xd0\xd5\xc3\xfb,\xc9\xed\xb7\xdd\xd6\xa4\xba\xc5\xc2\xeb,\xb1\xb8\xd7\xa2\r\n"]  # 姓名,身份证号码,备注
    for row in range(2, rows + 1):
        name = "李四" if row != bad_row else "王"
        note = '"两行\r\n备注"' if row == 3 else ""
        line = f"{name},{ZHANG},{note}".encode("gbk")
        if row == bad_row:
            line = line.replace(b",", bad + b",", 1)
        lines.append(line + b"\r\n")
    path.write_bytes(b"".join(lines))
    return path


def test_the_worker_path_names_row_50000_of_a_big_gbk_file(tmp_path: Path) -> None:
    path = _gbk_roster(tmp_path / "名册.csv", 60_000, 50_000)
    assert path.stat().st_size > 1 << 20
    assert open_table(path).encoding == "gb18030"  # the first megabyte is fine: found only when read

    assert first_undecodable_line(path, "gb18030") == 50_000  # what pool.read_error names


def test_the_reader_names_the_row_of_bad_bytes_past_the_first_megabyte(tmp_path: Path) -> None:
    path = _gbk_roster(tmp_path / "名册.csv", 50_000, 45_000)
    table = open_table(path)  # the first megabyte is fine
    assert table.encoding == "gb18030"

    with pytest.raises(StationError) as caught:
        list(table.rows())

    error = caught.value

    assert error.key == "table_encoding_at"
    zh, en = error.message("zh"), error.message("en")
    assert "名册.csv 第 45000 行" in zh and "CSV UTF-8" in zh and "另存为" in zh
    assert "Row 45000 of 名册.csv" in en and "CSV UTF-8" in en


def test_bad_bytes_in_a_small_gbk_file_name_their_row_too(tmp_path: Path) -> None:
    path = _gbk_roster(tmp_path / "名册.csv", 40, 17, bad=b"\x80")
    error = _error(path)
    assert error.key == "table_encoding_at" and "第 17 行" in error.message("zh")


def test_a_gbk_row_in_a_utf8_file_is_named_not_read_as_garbled_names(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    utf8 = "".join(f"张三丰{i},{ZHANG}\n" for i in range(10)).encode("utf-8")
    path.write_bytes("姓名,身份证号码\n".encode() + utf8 + f"李四,{ZHANG}\n".encode("gbk") + utf8)

    error = _error(path)

    assert error.key == "table_encoding_at" and "第 12 行" in error.message("zh")


def test_the_first_undecodable_row_of_a_clean_file_is_none(tmp_path: Path) -> None:
    path = _gbk_roster(tmp_path / "名册.csv", 100, 0)
    assert first_undecodable_line(path, "gb18030") is None
    assert first_undecodable_line(path, "utf-16") is None
