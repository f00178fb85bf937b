"""The organizer's day report: its figures (``collect``) and the formatted XLSX.

`station report day --date D --out FILE.xlsx|FILE.pdf`; the PDF is
station/reports/day_pdf.py, the Today screen shows the same figures.

Sheets: 概况 (sign-ups, roster match 在册 vs 新会员, admissions per event
against capacity), 按单位 (sign-ups per enterprise), 按小时 (sign-ups per
local hour), 下一步去哪儿 (station.reports.planner), 抽奖 (the day's wins: masked
name and prize).

The report holds counts, enterprise names and masked winner names only — no
full name, ID number or phone — so it needs no export right; every text cell still goes through
station.reports.exports.neutralise (an enterprise name comes from a hand-made roster
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

from station.errors import StationError
from station.i18n import t
from station.reports.exports import neutralise
from station.reports.planner import EnterpriseRow, Overview, overview, plan
from station.security.masking import mask_name
from station.store.clock import local_day_bounds_utc, local_today, to_local
from station.store.database import Store
from station.store.models import CheckIn, DrawWinner, Enterprise, Event, Prize, Registration, SyncLink


@dataclass(frozen=True)
class Admissions:
    event: str
    date: dt.date
    admitted: int
    refused: int
    capacity: int | None


@dataclass(frozen=True)
class DayWinner:
    """A win of the day as the report shows it: masked name, no phone, no ID."""

    event: str
    prize: str
    name_masked: str
    outcome: str  # "roster" | "new"
    at: dt.datetime  # local time


@dataclass
class DayReport:
    date: dt.date
    station: str = ""
    signups: int = 0
    roster: int = 0  # 在册
    new: int = 0  # 新会员申请
    per_enterprise: list[tuple[str, int, int]] = field(default_factory=list)  # (name, roster, new)
    per_hour: dict[int, int] = field(default_factory=dict)  # local hour -> sign-ups
    per_hour_split: dict[int, tuple[int, int]] = field(default_factory=dict)  # local hour -> (roster, new)
    admissions: list[Admissions] = field(default_factory=list)
    winners: list[DayWinner] = field(default_factory=list)
    checkins: int = 0  # every check of the day, admitted or not
    unsynced: int = 0  # the day's sign-ups, checks and wins the hub has not accepted yet (synced_at NULL)
    last_sync: dt.datetime | None = None  # local time of the last successful sync; None: never synced
    next_visits: list[EnterpriseRow] = field(default_factory=list)
    overview: Overview | None = None

    @property
    def roster_rate(self) -> float | None:
        return self.roster / self.signups if self.signups else None

    @property
    def admitted(self) -> int:
        return sum(a.admitted for a in self.admissions)

    def unsynced_note(self) -> str:
        """What "not yet synced" means, with when the station last synced."""
        if self.last_sync is None:
            return t("report_unsynced_never")
        return t("report_unsynced_note", last=self.last_sync.strftime("%Y-%m-%d %H:%M"))


def collect(store: Store, day: dt.date, top: int = 30, *, enterprises: Overview | None = None) -> DayReport:
    """The figures of one local calendar day.

    ``enterprises``: the enterprise table with its week changes when the
    caller has it already; otherwise it is computed (one aggregate over the
    members, 0.7 s on 1,000,000) and today's snapshot is kept.
    """
    start, end = local_day_bounds_utc(day)
    rep = DayReport(date=day, station=store.identity.name)
    no_enterprise = t("report_no_enterprise")
    with store.session() as s:
        rows = s.execute(
            select(Registration.created_at, Registration.outcome, Enterprise.name, Registration.synced_at)
            .outerjoin(Enterprise, Enterprise.id == Registration.enterprise_id)
            .where(Registration.created_at >= start, Registration.created_at < end)
        ).all()
        per_ent: dict[str, Counter] = {}
        hours: Counter = Counter()
        split: dict[int, Counter] = {}
        unsynced_signups = 0
        for created, outcome, ent, synced in rows:
            rep.signups += 1
            unsynced_signups += synced is None
            kind = "roster" if outcome == "roster" else "new"
            if kind == "roster":
                rep.roster += 1
            else:
                rep.new += 1
            per_ent.setdefault(ent or no_enterprise, Counter())[kind] += 1
            hour = to_local(created).hour
            hours[hour] += 1
            split.setdefault(hour, Counter())[kind] += 1
        rep.per_hour_split = {h: (c["roster"], c["new"]) for h, c in sorted(split.items())}
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
        # screenings and redemptions of the day nobody has been checked into yet: 0 of their capacity
        listed = {(a.event, a.date) for a in rep.admissions}
        for n, d, cap in s.execute(
            select(Event.name, Event.date, Event.capacity)
            .where(Event.date == day, Event.kind != "booth").order_by(Event.id)
        ).all():
            if (n, d) not in listed:
                rep.admissions.append(Admissions(n, d, 0, 0, cap))
        rep.checkins = sum(a.admitted + a.refused for a in rep.admissions)
        wins = s.execute(
            select(Event.name, Prize.name, Registration.name, Registration.outcome, DrawWinner.created_at)
            .join(Event, Event.id == DrawWinner.event_id)
            .join(Prize, Prize.id == DrawWinner.prize_id)
            .join(Registration, Registration.id == DrawWinner.registration_id)
            .where(DrawWinner.created_at >= start, DrawWinner.created_at < end, DrawWinner.voided_at.is_(None))
            .order_by(DrawWinner.id)
        ).all()
        rep.winners = [DayWinner(ev, prize, mask_name(name), outcome, to_local(at)) for ev, prize, name, outcome, at in wins]
        # The day's records the hub has not accepted yet (the sync queue, station/sync/records.py);
        # a voided win waits too: its void has to reach the hub.
        unsynced_checks = s.scalar(select(func.count()).select_from(CheckIn).where(
            CheckIn.created_at >= start, CheckIn.created_at < end, CheckIn.synced_at.is_(None)))
        unsynced_wins = s.scalar(select(func.count()).select_from(DrawWinner).where(
            DrawWinner.created_at >= start, DrawWinner.created_at < end, DrawWinner.synced_at.is_(None)))
        last = s.scalar(select(SyncLink.last_success_at))
        rep.last_sync = to_local(last) if last is not None else None
    rep.unsynced = unsynced_signups + int(unsynced_checks or 0) + int(unsynced_wins or 0)
    rep.overview = enterprises if enterprises is not None else overview(store, local_today())
    rep.next_visits = plan(rep.overview.table, top)
    return rep


# -- XLSX ------------------------------------------------------------------------

_INT = "#,##0"
_PCT = "0.0%"


def write_xlsx(rep: DayReport, path: Path) -> Path:
    """Write the report; StationError report_format (not .xlsx) or file_unwritable."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise StationError("report_format", path=path)
    return _save(_build_workbook(rep), path)


def write_plan_xlsx(rows: list[EnterpriseRow], path: Path, changes: Overview | None = None) -> Path:
    """The planner's list 下一步去哪儿 alone, as the Today screen exports it: counts and names only."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise StationError("report_plan_format", path=path)
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the default sheet; ours are added by name
    _plan_sheet(wb, rows, changes)
    return _save(wb, path)


def _save(wb, path: Path) -> Path:
    tmp = path.with_name(path.name + ".partial")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StationError("file_unwritable", path=path, reason=exc.strerror or exc) from exc
    return path


def _build_workbook(rep: DayReport):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the default sheet; ours are added by name
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

    _plan_sheet(wb, rep.next_visits)

    ws = _sheet(wb, t("report_sheet_draw"), t("report_title_draw", date=day),
                [t("report_col_time"), t("report_col_event"), t("report_col_prize"), t("report_col_winner"),
                 t("report_col_kind")], [10, 36, 24, 14, 16])
    kinds = {"roster": t("report_roster"), "new": t("report_new")}
    for w in rep.winners:
        _row(ws, [w.at.strftime("%H:%M"), w.event, w.prize, w.name_masked, kinds.get(w.outcome, w.outcome)],
             [None] * 5)
    return wb


def _plan_sheet(wb, rows: list[EnterpriseRow], changes: Overview | None = None):
    headers = [t("report_col_rank"), t("report_col_enterprise"), t("report_col_union"), t("report_col_imported"),
               t("report_col_signed_up"), t("report_col_verified"), t("report_col_rate"), t("report_col_reachable")]
    widths = [6, 40, 40, 12, 12, 12, 12, 14]
    if changes is not None:
        headers.append(t("report_col_week_signed_up"))
        widths.append(16)
    ws = _sheet(wb, t("report_sheet_next"), t("report_title_next"), headers, widths)
    for i, e in enumerate(rows, 1):
        values = [i, e.enterprise, e.union or "", e.imported, e.signed_up, e.verified, e.verification_rate, e.reachable]
        formats = [_INT, None, None, _INT, _INT, _INT, _PCT, _INT]
        if changes is not None:
            change = changes.change(e.enterprise_id)
            values.append(change.signed_up if change else t("report_no_week"))
            formats.append(_INT)
        _row(ws, values, formats)
    return ws


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
    values = [t("report_unknown") if v is None and f == _PCT else v for v, f in zip(values, formats, strict=True)]
    ws.append([_text(v) if isinstance(v, str) else v for v in values])
    for cell, fmt in zip(ws[ws.max_row], formats, strict=True):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula whatever it looks like
            cell.number_format = "@"
        elif fmt and cell.value is not None:
            cell.number_format = fmt


# -- the charts (the Today screen and the PDF draw the same ones) ------------------------

DAY_HOURS = (8, 18)  # the hour axis always covers at least 08:00–18:59


def hour_chart(rep: DayReport):
    """Sign-ups per local hour, 在册 and 新会员 stacked, over the working day (and any hour outside it)."""
    from station.reports.charts import NEW_COLOUR, ROSTER_COLOUR, Bar, BarChart

    hours = list(rep.per_hour_split)
    first = min([DAY_HOURS[0], *hours])
    last = max([DAY_HOURS[1], *hours])
    bars = tuple(Bar(f"{h:02d}", rep.per_hour_split.get(h, (0, 0))) for h in range(first, last + 1))
    return BarChart(bars, (t("report_roster"), t("report_new")), (ROSTER_COLOUR, NEW_COLOUR),
                    empty_text=t("report_no_signups"))


def capacity_text(a: Admissions) -> str:
    if a.capacity:
        return t("report_capacity_text", admitted=f"{a.admitted:,}", capacity=f"{a.capacity:,}",
                 fill=f"{a.admitted / a.capacity:.0%}")
    return t("report_capacity_none", admitted=f"{a.admitted:,}")


def capacity_chart(rep: DayReport):
    """Admissions per screening or redemption event against its capacity."""
    from station.reports.charts import CapacityChart, CapacityRow

    return CapacityChart(tuple(CapacityRow(a.event, a.admitted, a.capacity, capacity_text(a)) for a in rep.admissions),
                         empty_text=t("report_no_admissions"))
