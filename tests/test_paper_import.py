"""Paper fallback: a typed-up sheet of sign-ups, checked like the booth form."""

from __future__ import annotations

import csv
import json

import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET
from sqlalchemy import func, select

from station.cli import main as cli
from station.demo.data import generate_roster_rows
from station.errors import StationError
from station.roster.mapping import UnmappedColumns
from station.roster.tabular import file_sha256
from station.security import audit
from station.signup import booth, paper_import
from station.signup import service as signup
from station.store.models import ImportBatch, Registration


@pytest.fixture(autouse=True)
def paper_session(store):
    """The booth session the sheets here are signed up at, open on `store` before anything else."""
    return booth.open_session(store, venue="一号饭堂", promoter="甲", enterprise="东莞市长安电子有限公司")


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


def test_good_rows_are_signed_up_at_the_session(store, tmp_path, organizer):
    sheet = write_sheet(tmp_path / "paper.csv", people(12))
    res = paper_import.import_paper(store, sheet, consent_confirmed=True, operator=organizer)
    assert (res.rows_read, res.new, res.rejected, res.report_path) == (12, 12, 0, None)
    rows = signup.list_signups(store, organizer)
    assert {r.source for r in rows} == {"paper"}
    assert {r.event_name for r in rows} == {"东莞市长安电子有限公司 一号饭堂"}


def test_bad_rows_are_rejected_into_the_report_with_reasons(store, tmp_path, organizer):
    good = people(3)
    sheet = write_sheet(tmp_path / "paper.csv", [*good, ("张三", "123", "4.41900199001011E+17")])
    res = paper_import.import_paper(store, sheet, consent_confirmed=True, operator=organizer)
    assert (res.new, res.rejected) == (3, 1)
    with res.report_path.open(encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    reasons = " ".join(line[3] for line in lines[1:])
    assert {line[0] for line in lines[1:]} == {"6"}  # the file's own line number
    assert "Excel" in reasons and "11 位" in reasons


def test_someone_already_signed_up_is_counted_not_duplicated(store, tmp_path, organizer):
    first = people(1)[0]
    signup.register(store, operator=organizer, name=first[0], phone=first[1], id_number=first[2], consent=True)
    sheet = write_sheet(tmp_path / "paper.csv", [first, first, *people(2, seed=9)])
    res = paper_import.import_paper(store, sheet, consent_confirmed=True, operator=organizer)
    assert (res.already, res.new) == (2, 2)
    assert count(store) == 3


def test_without_consent_confirmation_nothing_is_read(store, tmp_path, organizer):
    sheet = write_sheet(tmp_path / "paper.csv", people(2))
    with pytest.raises(StationError) as err:
        paper_import.import_paper(store, sheet, consent_confirmed=False, operator=organizer)
    assert err.value.key == "paper_consent_required"
    assert count(store) == 0


def test_a_sheet_without_phone_column_asks_for_mapping(store, tmp_path, organizer):
    sheet = write_sheet(tmp_path / "paper.csv", [(n, i) for n, _, i in people(2)], header=("序号", "姓名", "身份证号"))
    with pytest.raises(UnmappedColumns) as err:
        paper_import.import_paper(store, sheet, consent_confirmed=True, operator=organizer)
    assert err.value.preview.missing == ["phone"]


def test_cancel_leaves_the_store_as_before(store, tmp_path, organizer):
    sheet = write_sheet(tmp_path / "paper.csv", people(120))
    with pytest.raises(StationError) as err:
        paper_import.import_paper(store, sheet, consent_confirmed=True, cancel=lambda: True, operator=organizer)
    assert err.value.key == "cancelled"
    assert count(store) == 0
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_cli_registrations_import(store, organizer, tmp_path, capsys, monkeypatch):
    # The command line logs in with --operator and STATION_SECRET (branch cli-auth).
    operator_cli = pytest.importorskip("station.cli.login", reason="the CLI log-in lands with the cli-auth branch")
    monkeypatch.setenv(operator_cli.SECRET_ENV, ORGANIZER_SECRET)
    sheet = write_sheet(tmp_path / "paper.csv", people(5))
    base = ["--data-dir", str(store.paths.root), "--operator", ORGANIZER, "registrations", "import", str(sheet)]
    code = cli.main([*base, "--consent-confirmed", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["new"] == 5
    code = cli.main(base)
    assert code == 2 and "--consent-confirmed" in capsys.readouterr().err


# -- personal data (issue 4) -----------------------------------------------------------


def test_a_promoter_may_not_import_paper_sheets(store, tmp_path, promoter):
    sheet = write_sheet(tmp_path / "paper.csv", people(3))
    with pytest.raises(StationError) as err:
        paper_import.import_paper(store, sheet, consent_confirmed=True, operator=promoter)
    assert err.value.key == "not_permitted"
    assert count(store) == 0


def test_the_report_masks_ids_and_mobiles(store, tmp_path, organizer):
    good = people(3)
    bad_id = good[1][2][:-1] + ("0" if good[1][2][-1] != "0" else "1")
    rows = [good[0], (good[1][0], "1381234567", bad_id), good[2], good[0]]  # bad mobile and ID; row 4 repeats row 1
    sheet = write_sheet(tmp_path / "paper.csv", rows)

    res = paper_import.import_paper(store, sheet, consent_confirmed=True, operator=organizer)

    assert (res.new, res.rejected, res.already) == (2, 1, 1)
    with res.report_path.open(encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))[1:]
    values = {(line[0], line[1]): line[2] for line in lines}
    assert values[("4", "联系电话")] == "138***4567"
    assert values[("4", "身份证号")] == bad_id[:4] + "*" * 10 + bad_id[-4:]
    assert values[("6", "身份证号")] == good[0][2][:4] + "*" * 10 + good[0][2][-4:]
    data = res.report_path.read_bytes()
    for secret in (bad_id, "1381234567", good[0][2], good[0][1]):
        assert secret.encode() not in data


def test_each_sheet_leaves_one_import_entry_and_no_clear_numbers_in_the_database(store, tmp_path, organizer):
    rows = people(20)
    sheet = write_sheet(tmp_path / "paper.csv", [*rows, ("张三", "123", "4.41900199001011E+17")])

    res = paper_import.import_paper(store, sheet, consent_confirmed=True, operator=organizer)

    [entry] = [e for e in audit.entries(store, limit=None) if e.action == "import"]
    assert (entry.operator, entry.target) == (ORGANIZER, res.batch_uuid)
    assert json.loads(entry.details) == {
        "kind": "paper", "file": "paper.csv", "sha256": file_sha256(sheet), "rows_read": 21,
        "roster": 0, "new": 20, "already": 0, "rejected": 1,
    }
    assert audit.verify(store, organizer.cipher) == []
    database = store.paths.database
    files = [database, database.with_name(database.name + "-wal"), res.report_path]
    blobs = b"".join(path.read_bytes() for path in files if path.exists())
    for _name, phone, number in rows:
        assert phone.encode() not in blobs and number[:17].encode() not in blobs
        assert phone.encode("utf-16-le") not in blobs
    # Signed up under the organizer's key: the booth finds them.
    assert signup.lookup_roster(store, rows[0][2], organizer)["name"] == rows[0][0]
