"""Issue 4's check: known ID numbers and mobiles go in through every path; none is left in clear anywhere.

Sign-up, roster import (with worker processes), paper import, search, the
live hint, a masked export, backups, logs and reports all run; then every
byte of the data directory (database, WAL, backups, logs, reports) and the
export file is read and searched for each value, as ASCII/UTF-8, UTF-16
and full-width digits.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

from station.people.idnumber import check_digit
from station.reports.exports import ExportColumn, export_rows
from station.roster import search
from station.roster.importer import import_roster
from station.security import protect
from station.signup import booth
from station.signup import service as signup
from station.signup.paper_import import import_paper

_FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def make_id(first17: str) -> str:
    return first17 + check_digit(first17)


def worker_name(i: int) -> str:
    return "张王李赵陈刘黄吴周徐"[i % 10] + "小大文秀志"[i // 10 % 5] + "明华军芳强"[i // 50 % 5]


def forms(value: str) -> list[bytes]:
    out = [value.encode(), value.encode("utf-16-le"), value.encode("utf-16-be"), value.translate(_FULL).encode()]
    if value[-1] == "X":
        out.append(value[:-1].encode() + b"x")
    return out


def everything_under(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_no_id_number_or_mobile_is_left_in_clear_anywhere(store, organizer, tmp_path) -> None:
    # The roster: enough rows that the import uses its worker processes, with known values.
    roster_ids = [make_id(f"441900198{i % 10}{i % 12 + 1:02d}{i % 28 + 1:02d}{i % 1000:03d}") for i in range(3000)]
    roster_ids = list(dict.fromkeys(roster_ids))
    roster_phones = [f"139{i:08d}" for i in range(len(roster_ids))]
    roster = tmp_path / "名册.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "身份证号", "手机号", "单位", "工会"])
        for i, (n, p) in enumerate(zip(roster_ids, roster_phones)):
            w.writerow([worker_name(i), n, p, "东莞市长安电子有限公司", "长安电子工会"])
        w.writerow(["坏行", roster_ids[0][:-1] + ("0" if roster_ids[0][-1] != "0" else "1"), "13712340000", "", ""])
        w.writerow(["坏手机", make_id("44190019900101001"), "1381234", "", ""])
    res = import_roster(store, roster, report_dir=store.paths.reports, operator=organizer, workers=2)
    assert res.inserted >= len(roster_ids) - 1

    # The booth: a roster member, a newcomer, a repeat.
    booth.open_session(store, venue="一号饭堂", promoter="陈小燕", enterprise="东莞市长安电子有限公司")
    newcomer_id, newcomer_phone = make_id("43052419950305456"), "13912345678"
    signup.register(store, operator=organizer, name=worker_name(1), phone="15012349999", id_number=roster_ids[1], consent=True)
    signup.register(store, operator=organizer, name="李四", phone=newcomer_phone, id_number=newcomer_id, consent=True)
    signup.register(store, operator=organizer, name="李四", phone=newcomer_phone, id_number=newcomer_id, consent=True)
    assert signup.lookup_roster(store, roster_ids[2], organizer)["name"] == worker_name(2)

    # A paper sheet typed up after the event.
    paper_id, paper_phone = make_id("36010219881212777"), "18612345678"
    sheet = tmp_path / "纸质登记.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "身份证号", "手机号"])
        w.writerow(["欧阳娜娜", paper_id, paper_phone])
        w.writerow(["错号码", make_id("36010219881212001")[:-1] + "Z", "18600000000"])
    import_paper(store, sheet, report_dir=store.paths.reports, operator=organizer, consent_confirmed=True)

    # Searches by every shape, and a masked export.
    assert [h.name for h in search.search(store, newcomer_phone, organizer)] == ["李四"]
    assert search.search(store, paper_id, organizer)[0].phone == paper_phone
    assert search.search(store, "9999", organizer)
    rows = [r.as_json(masked=False) for r in signup.list_signups(store, organizer)]
    out = tmp_path / "export.csv"
    cols = [ExportColumn("name", "姓名", "name"), ExportColumn("id_number", "身份证号", "id_number"),
            ExportColumn("phone", "手机号", "phone")]
    export_rows(store, organizer, out, cols, rows, purpose="镇总工会月度新会员名单")
    protect.unmask(store, organizer, kind="registration", target=rows[0]["uuid"], reason="核对身份")

    # Backups and logs, as a working day leaves them.
    store.backup("test")
    logging.getLogger("station").warning("end of the test day")
    for h in logging.getLogger().handlers + logging.getLogger("station").handlers:
        h.flush()

    files = everything_under(store.paths.root)
    files[out] = out.read_bytes()
    assert any(p.suffix == ".sqlite" and "backups" in p.parts for p in files), "no backup was written"
    assert any("reports" in p.parts for p in files), "no import report was written"
    assert any(p.name.endswith(".log") for p in files), "no log was written"
    secrets = roster_ids[:50] + roster_phones[:50] + [newcomer_id, newcomer_phone, paper_id, paper_phone, "15012349999",
                                                      "13712340000"]
    leaks = [(str(p.relative_to(tmp_path)), v) for v in secrets for p, data in files.items()
             if any(f in data for f in forms(v))]
    assert leaks == []
