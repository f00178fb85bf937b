"""The roster import's report: a CSV of rejected and warned rows, personal numbers masked.

Pure (no store): the rows' checks (station.roster.rows) mask the values
they report with mask_value, and the report and the import record mask
anything in other text that looks like an ID number or a mobile
(mask_personal_runs).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any, TextIO

from station.i18n import t
from station.security.masking import mask_id


def mask_value(field: str | None, value: str) -> str:
    """A report cell's value as it may be written down: ID numbers and mobiles masked.

    A valid or invalid ID shows its first and last four characters
    (4419**********123X, '4.41************E+17'), a mobile its first three
    and last four (138****5678); anything shorter than eight is all stars.
    Other fields are returned as they are.  Masking twice changes nothing.
    """
    if field == "id_number":
        return mask_id(value.strip())
    if field == "phone":
        text = value.strip()
        if len(text) < 8:
            return "*" * len(text)
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return value


_EXCEL_MANGLES = re.compile(r"^(?:\d{12,}|[=+\-@].*)$", re.S)


class RowReport:
    """The CSV of rejected and warned rows, written only if there is something to say.

    Values of ID-number and mobile cells are written masked (mask_value):
    the report lies in reports/ on a laptop that may be lost, so it holds
    only enough of a number to recognise it next to its row number.
    """

    def __init__(self, folder: Path, source: Path, lang: str) -> None:
        self.folder = folder
        self.source = source
        self.lang = lang
        self.lines = 0
        self._fh: TextIO | None = None
        self._writer: Any = None  # a csv writer (its type, _csv._writer, is not public)
        self._partial: Path | None = None

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        stem = mask_personal_runs(self.source.stem)
        self.final = self.folder / t("roster_report_filename", self.lang, stem=stem, stamp=stamp)
        n = 2
        while self.final.exists():
            self.final = self.final.with_name(f"{self.final.stem}-{n}{self.final.suffix}")
            n += 1
        self._partial = self.final.with_name("." + self.final.name + ".partial")
        # BOM so that Excel opens the Chinese text correctly.
        fh = self._fh = self._partial.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(fh)
        lang = self.lang
        self._writer.writerow(
            [t(k, lang) for k in ("roster_report_row", "roster_report_column", "roster_report_value", "roster_report_reason", "roster_report_level")]
        )

    def add(self, row: int | str, column: str, value: str, reason: str, rejected: bool, field: str | None = None) -> None:
        """One line; `field` ("id_number", "phone", …) says which values to mask."""
        if self._writer is None:
            self._open()
        value = mask_value(field, value) if field in ("id_number", "phone") else mask_personal_runs(value)
        if _EXCEL_MANGLES.match(value):
            # Excel would turn a long digit string into 4.4E+17 (the very
            # damage being reported) or run '=...' as a formula.
            value = "\t" + value
        level = t("roster_level_reject" if rejected else "roster_level_warn", self.lang)
        self._writer.writerow([row, column, value, reason, level])
        self.lines += 1

    def finish(self) -> Path | None:
        if self._fh is None:
            return None
        self._fh.close()
        self._fh = None
        if self._partial is not None:  # always set with _fh
            self._partial.replace(self.final)
        self._partial = None
        return self.final

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._partial is not None:
            self._partial.unlink(missing_ok=True)
            self._partial = None


_PERSONAL_RUN = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")


def mask_personal_runs(text: str) -> str:
    """Text with anything that looks like an ID number or a mobile masked.

    For a file name ("13800138000名单.csv" would otherwise carry a number in
    clear into the report's name, the import record and the audit log,
    which refuses it) and for report cells of other columns (a sheet whose
    columns are swapped puts ID numbers in the name column).
    """
    return _PERSONAL_RUN.sub(lambda m: mask_value("id_number" if len(m.group()) == 18 else "phone", m.group()), text)


