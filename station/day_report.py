"""The organizer's day report as a formatted XLSX: `station report day --date D --out FILE.xlsx`.

Sheets: 概况 (sign-ups, roster match 在册 vs 新会员, admissions per event
against capacity), 按单位 (sign-ups per enterprise), 按小时 (sign-ups per
local hour), 下一步去哪儿 (station.planner).

The report holds counts and enterprise names only — no name, ID number or
phone — so it needs no export right; every text cell still goes through
station.exports.neutralise (an enterprise name comes from a hand-made roster
and could start with '=') and is written as text.  The file is written under
a temporary name and renamed when complete.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, func, select

from station.clock import local_day_bounds_utc, to_local
from station.errors import StationError
from station.exports import neutralise
from station.i18n import t
from station.models import CheckIn, Enterprise, Event, Registration
from station.planner import EnterpriseRow, next_visits
from station.store import Store


@dataclass(frozen=True)
class Admissions:
    event: str
    date: dt.date
    admitted: int
    refused: int
    capacity: int | None


@dataclass
class DayReport:
    date: dt.date
    signups: int = 0
    roster: int = 0  # 在册
    new: int = 0  # 新会员申请
    per_enterprise: list[tuple[str, int, int]] = field(default_factory=list)  # (name, roster, new)
    per_hour: dict[int, int] = field(default_factory=dict)  # local hour -> sign-ups
    admissions: list[Admissions] = field(default_factory=list)
    next_visits: list[EnterpriseRow] = field(default_factory=list)


def collect(store: Store, day: dt.date, top: int = 30) -> DayReport:
    """The figures of one local calendar day."""
    start, end = local_day_bounds_utc(day)
    rep = DayReport(date=day)
    no_enterprise = t("report_no_enterprise")
    with store.session() as s:
        rows = s.execute(
            select(Registration.created_at, Registration.outcome, Enterprise.name)
            .outerjoin(Enterprise, Enterprise.id == Registration.enterprise_id)
            .where(Registration.created_at >= start, Registration.created_at < end)
        ).all()
        per_ent: dict[str, Counter] = {}
        hours: Counter = Counter()
        for created, outcome, ent in rows:
            rep.signups += 1
            kind = "roster" if outcome == "roster" else "new"
            if kind == "roster":
                rep.roster += 1
            else:
                rep.new += 1
            per_ent.setdefault(ent or no_enterprise, Counter())[kind] += 1
            hours[to_local(created).hour] += 1
        rep.per_enterprise = sorted(
            ((name, c["roster"], c["new"]) for name, c in per_ent.items()), key=lambda r: (-(r[1] + r[2]), r[0])
        )
        rep.per_hour = dict(sorted(hours.items()))
        checks = s.execute(
            select(Event.name, Event.date, Event.capacity,
                   func.sum(func.iif(CheckIn.admitted.is_(True), 1, 0)),
                   func.sum(func.iif(CheckIn.admitted.is_(True), 0, 1)))
            .join(CheckIn, and_(CheckIn.event_id == Event.id, CheckIn.created_at >= start, CheckIn.created_at < end))
            .group_by(Event.id).order_by(Event.id)
        ).all()
        rep.admissions = [Admissions(n, d, int(a or 0), int(r or 0), cap) for n, d, cap, a, r in checks]
    rep.next_visits = next_visits(store, top)
    return rep


# -- XLSX ------------------------------------------------------------------------

_INT = "#,##0"
_PCT = "0.0%"


def write_xlsx(rep: DayReport, path: Path) -> Path:
    """Write the report; StationError report_format (not .xlsx) or file_unwritable."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise StationError("report_format", path=path)
    tmp = path.with_name(path.name + ".partial")
    try:
        _build_workbook(rep).save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StationError("file_unwritable", path=path, reason=exc.strerror or exc) from exc
    return path


def _build_workbook(rep: DayReport):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    day = rep.date.isoformat()

    ws = _sheet(wb, t("report_sheet_summary"), t("report_title_summary", date=day),
                [t("report_col_item"), t("report_col_value")], [28, 14])
    rate = rep.roster / rep.signups if rep.signups else None
    for label, value, fmt in (
        (t("report_signups"), rep.signups, _INT),
        (t("report_roster"), rep.roster, _INT),
        (t("report_new"), rep.new, _INT),
        (t("report_roster_rate"), rate, _PCT),
    ):
        _row(ws, [label, value], [None, fmt])
    if rep.admissions:
        ws.append([])
        _header(ws, [t("report_col_event"), t("report_col_admitted"), t("report_col_refused"),
                     t("report_col_capacity"), t("report_col_fill")])
        ws.column_dimensions["C"].width = 12
        ws.column_dimensions["D"].width = 12
        ws.column_dimensions["E"].width = 12
        for a in rep.admissions:
            fill = a.admitted / a.capacity if a.capacity else None
            _row(ws, [a.event, a.admitted, a.refused, a.capacity, fill], [None, _INT, _INT, _INT, _PCT])

    ws = _sheet(wb, t("report_sheet_enterprises"), t("report_title_enterprises", date=day),
                [t("report_col_enterprise"), t("report_signups"), t("report_roster"), t("report_new")], [40, 12, 12, 12])
    for name, roster, new in rep.per_enterprise:
        _row(ws, [name, roster + new, roster, new], [None, _INT, _INT, _INT])

    ws = _sheet(wb, t("report_sheet_hours"), t("report_title_hours", date=day),
                [t("report_col_hour"), t("report_signups")], [16, 12])
    for hour, n in rep.per_hour.items():
        _row(ws, [f"{hour:02d}:00–{hour:02d}:59", n], [None, _INT])

    ws = _sheet(wb, t("report_sheet_next"), t("report_title_next"),
                [t("report_col_rank"), t("report_col_enterprise"), t("report_col_union"), t("report_col_imported"),
                 t("report_col_signed_up"), t("report_col_verified"), t("report_col_rate"), t("report_col_reachable")],
                [6, 40, 40, 12, 12, 12, 12, 14])
    for i, e in enumerate(rep.next_visits, 1):
        _row(ws, [i, e.enterprise, e.union or "", e.imported, e.signed_up, e.verified, e.verification_rate, e.reachable],
             [_INT, None, None, _INT, _INT, _INT, _PCT, _INT])
    return wb


def _sheet(wb, name: str, title: str, headers: list[str], widths: list[int]):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    ws.append([_text(title)])
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).data_type = "s"
    _header(ws, headers)
    ws.freeze_panes = "A3"  # the title and the header row stay in view
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return ws


def _header(ws, headers: list[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    ws.append([_text(h) for h in headers])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.data_type = "s"


def _text(value: object) -> str:
    return neutralise(value)


def _row(ws, values: list, formats: list[str | None]) -> None:
    values = [t("report_unknown") if v is None and f == _PCT else v for v, f in zip(values, formats)]
    ws.append([_text(v) if isinstance(v, str) else v for v in values])
    for cell, fmt in zip(ws[ws.max_row], formats):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula whatever it looks like
            cell.number_format = "@"
        elif fmt and cell.value is not None:
            cell.number_format = fmt
