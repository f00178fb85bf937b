"""今日: the day's figures and the enterprise table, the PDF day report, the 下一步去哪儿 file.

All three run in a worker: the enterprise table is an aggregate over every
member (about 0.7 s on 1,000,000), and the other two write a file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject

from station.reports import day as day_report
from station.reports import planner
from station.reports.day import DayReport
from station.reports.planner import EnterpriseRow, Overview
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner


def today(parent: QObject, runner: TaskRunner, store: Store, day: dt.date, top: int) -> CoreOp[DayReport]:
    """The figures of ``day`` with the enterprise table (which keeps today's snapshot, once a day)."""

    def load() -> DayReport:
        ov = planner.overview(store, day)
        return day_report.collect(store, day, top, enterprises=ov)

    return CoreOp(parent, runner, load, name="today")


def day_pdf(parent: QObject, runner: TaskRunner, store: Store, day: dt.date, overview: Overview | None,
            path: Path) -> CoreOp[Path]:
    """The day's figures collected afresh and written as the PDF day report."""

    def work() -> Path:
        from station.reports.day_pdf import write_pdf  # the PDF library loads only when a PDF is asked for

        return write_pdf(day_report.collect(store, day, enterprises=overview), path)

    return CoreOp(parent, runner, work, name="today-pdf")


def plan_xlsx(parent: QObject, runner: TaskRunner, rows: list[EnterpriseRow], path: Path,
              overview: Overview | None) -> CoreOp[Path]:
    """下一步去哪儿 alone, as an Excel file: counts and names only."""
    return CoreOp(parent, runner, lambda: day_report.write_plan_xlsx(rows, path, overview), name="today-plan")
