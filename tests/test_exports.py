"""Exports: organizers only, with a purpose on record, masked, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook

from station.errors import StationError
from station.reports.exports import ExportColumn, export_rows, neutralise
from station.security import audit

COLUMNS = [
    ExportColumn("name", "姓名", "name"),
    ExportColumn("id_number", "身份证号码", "id_number"),
    ExportColumn("phone", "手机号码", "phone"),
    ExportColumn("enterprise", "单位名称"),
]
ROWS = [
    {"name": "张三丰", "id_number": "44190019800101123X", "phone": "13800138000", "enterprise": "东莞市XX电子有限公司"},
    {"name": "李四", "id_number": "110101199003074578", "phone": "13912345678", "enterprise": "=HYPERLINK(\"http://x\")"},
]
PURPOSE = "向镇总工会报送本月新会员名单"


@pytest.fixture
def out_dir(tmp_path):
    """Where exports go: apart from the data directory, so a test can see it stays empty."""
    path = tmp_path / "exports"
    path.mkdir()
    return path


def _read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("text", ["=1+1", "+86", "-2", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"])
def test_formula_starts_are_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["张三", "1+1=2", "东莞市=电子", "", "4419"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text


def test_csv_export_is_masked_by_default(store, organizer, out_dir):
    out = out_dir / "名单.csv"
    res = export_rows(store, organizer, out, COLUMNS, ROWS, purpose=PURPOSE)
    rows = _read_csv(out)
    assert rows[0] == ["姓名", "身份证号码", "手机号码", "单位名称"]
    assert rows[1][:3] == ["张*丰", "4419**********123X", "138****8000"]
    assert res.masked and res.rows == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel on Chinese Windows reads UTF-8
    assert b"13800138000" not in raw and b"44190019800101123X" not in raw


def test_csv_export_cells_are_neutralised(store, organizer, out_dir):
    out = out_dir / "x.csv"
    export_rows(store, organizer, out, COLUMNS, ROWS, purpose=PURPOSE)
    assert _read_csv(out)[2][3] == "'=HYPERLINK(\"http://x\")"


def test_xlsx_export_is_masked_neutralised_and_all_text(store, organizer, out_dir):
    out = out_dir / "x.xlsx"
    export_rows(store, organizer, out, COLUMNS, ROWS, purpose=PURPOSE)
    ws = load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1][1] == "4419**********123X" and values[1][2] == "138****8000"
    assert values[2][3] == "'=HYPERLINK(\"http://x\")"
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row)


def test_unmasked_export_keeps_clear_values_and_says_so_in_the_audit(store, organizer, out_dir):
    out = out_dir / "x.csv"
    export_rows(store, organizer, out, COLUMNS, ROWS, purpose=PURPOSE, unmasked=True)
    assert _read_csv(out)[1][1] == "44190019800101123X"
    entry = audit.entries(store, limit=1)[0]
    assert json.loads(entry.details)["masked"] is False


def test_export_is_audited_with_purpose_and_count_but_no_data(store, organizer, out_dir):
    export_rows(store, organizer, out_dir / "x.csv", COLUMNS, ROWS, purpose=PURPOSE)
    entry = audit.entries(store, limit=1)[0]
    details = json.loads(entry.details)
    assert entry.action == "export" and entry.operator == organizer.name and entry.target == "x.csv"
    assert details["purpose"] == PURPOSE and details["rows"] == 2 and details["masked"] is True
    assert "13800138000" not in entry.details and "123X" not in entry.details
    assert audit.verify(store, organizer.cipher) == []


def test_promoter_cannot_export(store, promoter, out_dir):
    out = out_dir / "x.csv"
    with pytest.raises(StationError) as err:
        export_rows(store, promoter, out, COLUMNS, ROWS, purpose=PURPOSE)
    assert err.value.key == "not_permitted"
    assert not out.exists() and not list(out_dir.iterdir())


def test_export_without_a_purpose_is_refused(store, organizer, out_dir):
    with pytest.raises(StationError) as err:
        export_rows(store, organizer, out_dir / "x.csv", COLUMNS, ROWS, purpose="  ")
    assert err.value.key == "export_purpose_required"


def test_purpose_holding_a_phone_number_is_refused(store, organizer, out_dir):
    out = out_dir / "x.csv"
    with pytest.raises(StationError) as err:
        export_rows(store, organizer, out, COLUMNS, ROWS, purpose="给 13800138000 的名单")
    assert err.value.key == "audit_personal_data"
    assert not list(out_dir.iterdir())  # no audit entry, no file


def test_other_formats_are_refused(store, organizer, out_dir):
    with pytest.raises(StationError) as err:
        export_rows(store, organizer, out_dir / "x.txt", COLUMNS, ROWS, purpose=PURPOSE)
    assert err.value.key == "export_format"


def test_export_failing_midway_leaves_no_file_and_no_audit_entry(store, organizer, out_dir):
    before = len(audit.entries(store, limit=None))

    def rows():
        yield ROWS[0]
        raise RuntimeError("the query failed")

    with pytest.raises(RuntimeError):
        export_rows(store, organizer, out_dir / "x.csv", COLUMNS, rows(), purpose=PURPOSE)
    assert not list(out_dir.iterdir())
    assert len(audit.entries(store, limit=None)) == before
