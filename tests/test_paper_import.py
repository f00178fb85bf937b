"""Paper fallback: a typed-up sheet of sign-ups, checked like the booth form."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import func, select

from station import booth, cli, paper_import, signup
from station.demo_data import generate_roster_rows
from station.errors import StationError
from station.models import ImportBatch, Registration
from station.roster_import import UnmappedColumns
from station.store import open_store


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "data")
    booth.open_session(store, venue="一号饭堂", promoter="甲", enterprise="东莞市长安电子有限公司")
    yield store
    store.close()


def write_sheet(path, rows, header=("序号", "姓名", "联系电话", "身份证号"), encoding="gbk"):
    with path.open("w", encoding=encoding, newline="", errors="replace") as fh:
        out = csv.writer(fh)
        out.writerow(["长安电子 11月25日 纸质登记表"])
        out.writerow(header)
        for i, r in enumerate(rows, 1):
            out.writerow([i, *r])
    return path


def people(n, seed=3):
    return [(r["name"], r["phone"], r["id_number"]) for r in generate_roster_rows(n, seed=seed)]


def count(store):
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(Registration))


def test_good_rows_are_signed_up_at_the_session(store, tmp_path):
    sheet = write_sheet(tmp_path / "paper.csv", people(12))
    res = paper_import.import_paper(store, sheet, consent_confirmed=True)
    assert (res.rows_read, res.new, res.rejected, res.report_path) == (12, 12, 0, None)
    rows = signup.list_signups(store)
    assert {r.source for r in rows} == {"paper"}
    assert {r.event_name for r in rows} == {"东莞市长安电子有限公司 一号饭堂"}


def test_bad_rows_are_rejected_into_the_report_with_reasons(store, tmp_path):
    good = people(3)
    sheet = write_sheet(tmp_path / "paper.csv", good + [("张三", "123", "4.41900199001011E+17")])
    res = paper_import.import_paper(store, sheet, consent_confirmed=True)
    assert (res.new, res.rejected) == (3, 1)
    with res.report_path.open(encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    reasons = " ".join(line[3] for line in lines[1:])
    assert {line[0] for line in lines[1:]} == {"6"}  # the file's own line number
    assert "Excel" in reasons and "11 位" in reasons


def test_someone_already_signed_up_is_counted_not_duplicated(store, tmp_path):
    first = people(1)[0]
    signup.register(store, name=first[0], phone=first[1], id_number=first[2], consent=True)
    sheet = write_sheet(tmp_path / "paper.csv", [first, first] + people(2, seed=9))
    res = paper_import.import_paper(store, sheet, consent_confirmed=True)
    assert (res.already, res.new) == (2, 2)
    assert count(store) == 3


def test_without_consent_confirmation_nothing_is_read(store, tmp_path):
    sheet = write_sheet(tmp_path / "paper.csv", people(2))
    with pytest.raises(StationError) as err:
        paper_import.import_paper(store, sheet, consent_confirmed=False)
    assert err.value.key == "paper_consent_required"
    assert count(store) == 0


def test_a_sheet_without_phone_column_asks_for_mapping(store, tmp_path):
    sheet = write_sheet(tmp_path / "paper.csv", [(n, i) for n, _, i in people(2)], header=("序号", "姓名", "身份证号"))
    with pytest.raises(UnmappedColumns) as err:
        paper_import.import_paper(store, sheet, consent_confirmed=True)
    assert err.value.preview.missing == ["phone"]


def test_cancel_leaves_the_store_as_before(store, tmp_path):
    sheet = write_sheet(tmp_path / "paper.csv", people(120))
    with pytest.raises(StationError) as err:
        paper_import.import_paper(store, sheet, consent_confirmed=True, cancel=lambda: True)
    assert err.value.key == "cancelled"
    assert count(store) == 0
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_cli_registrations_import(store, tmp_path, capsys):
    sheet = write_sheet(tmp_path / "paper.csv", people(5))
    code = cli.main(["--data-dir", str(store.paths.root), "registrations", "import", str(sheet), "--consent-confirmed", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["new"] == 5
    code = cli.main(["--data-dir", str(store.paths.root), "registrations", "import", str(sheet)])
    assert code == 2 and "--consent-confirmed" in capsys.readouterr().err
