"""The roster import's problem report stays a file Excel opens, however bad the roster.

A user imported a file whose every row was bad and got a 293 MB report: the
report now lists the first problems and counts the rest by reason, and the
counts say in one short sentence why nothing could be imported.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from station import i18n
from station.demo.data import valid_id
from station.errors import StationError
from station.i18n import t
from station.roster import report as roster_report
from station.roster.importer import import_roster
from station.roster.report import RowReport, format_reason_counts, short_reason

GOOD = valid_id("441900", dt.date(1970, 5, 1), 21)
BAD = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")  # check character wrong
HEADER = ["姓名", "身份证号码", "手机号码"]


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _section(rows: list[list[str]]) -> tuple[str, list[list[str]]]:
    """(the sentence opening the counts section, its rows after their header), from the report's rows."""
    blank = rows.index([])
    return rows[blank + 1][0], rows[blank + 3 :]


def test_a_file_of_100000_bad_rows_gives_a_small_report_with_the_rest_counted(
    store, write_csv, organizer, monkeypatch
) -> None:
    monkeypatch.setattr(roster_report, "REPORT_MAX_LINES", 100)
    rows = [HEADER, ["张三", GOOD, "13800138000"]]
    rows += [["李四", BAD, ""] for _ in range(99_990)]
    rows += [["", GOOD, ""] for _ in range(10)]  # name empty: a second reason
    path = write_csv(rows)

    result = import_roster(store, path, operator=organizer, workers=0)

    assert (result.inserted, result.rejected) == (1, 100_000)
    assert result.report_path.stat().st_size < 30_000  # 100 lines and the counts, not 100,000 lines
    lines = _csv_rows(result.report_path)
    assert lines[0] == ["行号", "列", "值", "原因", "级别"]
    listed = lines[1 : lines.index([])]
    assert len(listed) == 100 and [r[0] for r in listed[:2]] == ["3", "4"]
    assert listed[0][2] == BAD[:4] + "*" * 10 + BAD[-4:]  # still masked
    sentence, counts = _section(lines)
    assert "前 100 条" in sentence and "另有 99900 行" in sentence
    checksum = t("id_checksum")
    assert counts == [[checksum, "拒绝", "99890"], [t("name_empty"), "拒绝", "10"]]


def test_the_counts_section_is_in_english_too(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(roster_report, "REPORT_MAX_LINES", 3)
    report = RowReport(tmp_path, Path("roster.csv"), "en")
    for row in range(2, 12):
        report.add(row, "Mobile", "123", t("roster_phone_dropped", "en", reason=t("phone_format", "en")), False, "phone")
    path = report.finish()

    sentence, counts = _section(_csv_rows(path))
    assert "first 3 problems" in sentence and "7 more rows (7 problems)" in sentence
    assert counts == [[t("roster_phone_dropped", "en", reason=t("phone_format", "en")), "Warning", "7"]]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8


def test_a_row_is_never_cut_in_two_by_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(roster_report, "REPORT_MAX_LINES", 2)
    report = RowReport(tmp_path, Path("名册.csv"), "zh")
    report.add(3, "姓名", "", t("name_empty"), True, "name")
    report.add(4, "姓名", "", t("name_empty"), True, "name")
    report.add(4, "身份证号码", BAD, t("id_checksum"), True, "id_number")  # same row: still listed
    report.add(5, "姓名", "", t("name_empty"), True, "name")
    lines = _csv_rows(report.finish())

    assert [r[0] for r in lines[1 : lines.index([])]] == ["3", "4", "4"]
    assert (report.lines, report.listed) == (4, 3)


def test_no_counts_section_under_the_limit(tmp_path: Path) -> None:
    report = RowReport(tmp_path, Path("名册.csv"), "zh")
    report.add(3, "姓名", "", t("name_empty"), True, "name")
    assert [] not in _csv_rows(report.finish())


def test_reason_counts_count_rejected_rows_by_reason_and_not_warnings(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(roster_report, "REPORT_MAX_LINES", 5)
    report = RowReport(tmp_path, Path("名册.csv"), "zh")
    for row in range(3, 23):
        report.add(row, "身份证号码", BAD, t("id_checksum"), True, "id_number")
        if row % 4 == 0:
            report.add(row, "姓名", "", t("name_empty"), True, "name")
        if row % 5 == 0:
            report.add(row, "手机号码", "123", t("phone_format"), False, "phone")
        if row % 10 == 0:
            report.add(row, "身份证号码", GOOD, t("roster_duplicate_id", first=row - 1), True, "id_number")

    assert report.rejected_rows() == 20
    # Duplicates name a different row each: counted under one text, the numbers left out.
    assert report.reason_counts() == {
        t("id_checksum"): 20,
        t("name_empty"): 5,
        t("roster_duplicate_id", first="…"): 2,
    }
    report.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_reason_with_a_fixed_number_keeps_it(tmp_path: Path) -> None:
    report = RowReport(tmp_path, Path("名册.csv"), "zh")
    for row in (3, 4):
        report.add(row, "姓名", "张" * 30, t("name_too_long", max=20), True, "name")
    assert report.reason_counts() == {t("name_too_long", max=20): 2}
    report.discard()


def test_too_many_different_reasons_are_counted_as_other_reasons(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(roster_report, "MAX_REASONS", 3)
    report = RowReport(tmp_path, Path("名册.csv"), "zh")
    for row, chars in enumerate("@#$%^&", start=3):
        report.add(row, "姓名", "x" + chars, t("name_bad_chars", chars=chars), True, "name")
    counts = report.reason_counts()
    assert len(counts) == 4 and counts[t("roster_reason_other_group")] == 3
    report.discard()


@pytest.mark.parametrize(
    ("key", "lang", "short"),
    [
        ("id_checksum", "zh", "身份证号码校验位不符"),
        ("id_checksum", "en", "The ID number's check character does not match"),
        ("name_empty", "zh", "姓名为空"),
        ("name_empty", "en", "The name is empty"),
        ("id_excel_number", "zh", "身份证号码被 Excel 存成了数字（如 4.41900199001011E+17）"),
        ("id_excel_number", "en", "Excel stored the ID number as a number (like 4.41900199001011E+17)"),
    ],
)
def test_a_reason_is_shortened_to_its_first_clause(key: str, lang: str, short: str) -> None:
    assert short_reason(t(key, lang)) == short


def test_format_reason_counts_names_the_most_frequent_reasons_briefly() -> None:
    counts = {t("id_checksum"): 812, t("name_empty"): 12, t("id_length"): 3}
    assert format_reason_counts(counts, "zh") == "身份证号码校验位不符 812 行；姓名为空 12 行；身份证号码应为 18 位 3 行"
    assert format_reason_counts(counts, "zh", limit=1) == "身份证号码校验位不符 812 行；其他原因 15 行"
    en = {t("id_checksum", "en"): 812, t("name_empty", "en"): 12}
    assert format_reason_counts(en, "en") == "The ID number's check character does not match (812); The name is empty (12)"


def test_format_reason_counts_follows_the_current_language() -> None:
    i18n.set_lang("en")
    assert format_reason_counts({t("name_empty"): 2}) == "The name is empty (2)"


def test_the_every_row_rejected_message_says_file_rows_reasons_and_the_fix(tmp_path: Path) -> None:
    report = RowReport(tmp_path, Path("名册.csv"), "zh")
    for row in range(2, 814):
        report.add(row, "身份证号码", BAD, t("id_checksum"), True, "id_number")
    for row in range(814, 826):
        report.add(row, "姓名", "", t("name_empty"), True, "name")
    reasons = format_reason_counts(report.reason_counts(), "zh")
    error = StationError("roster_all_rejected", file="名册.csv", rows=report.rejected_rows(), reasons=reasons)

    zh = error.message("zh")
    assert "名册.csv" in zh and "824 行" in zh and "身份证号码校验位不符 812 行；姓名为空 12 行" in zh
    assert "列对应" in zh and "--map" in zh
    en_reasons = format_reason_counts({t("id_checksum", "en"): 812, t("name_empty", "en"): 12}, "en")
    en = StationError("roster_all_rejected", file="roster.csv", rows=824, reasons=en_reasons).message("en")
    assert "roster.csv" in en and "824" in en and "does not match (812)" in en and "column mapping" in en
    report.discard()
