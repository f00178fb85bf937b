"""The roster import's report: a CSV of rejected and warned rows, personal numbers masked.

Pure (no store): the rows' checks (station.roster.rows) mask the values
they report with mask_value, and the report and the import record mask
anything in other text that looks like an ID number or a mobile
(mask_personal_runs).

A file can have a million bad rows (a sheet mapped to the wrong columns,
a padded or hostile file): the report lists the first REPORT_MAX_LINES
problems one by one, then only counts the rest by reason, in a section
at its end, so it stays a file Excel opens.  The counts of rejected rows
by reason (reason_counts, format_reason_counts) also let the importer say
why nothing could be imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any, TextIO

from station.i18n import get_lang, t
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


# Problems listed one by one; past them the report only counts, by reason.
# About 1.5 MB of CSV: Excel opens it at once, and nobody reads further.
REPORT_MAX_LINES = 10_000
# Distinct reasons counted; past them, further reasons count as "other reasons".
MAX_REASONS = 200
_DIGITS = re.compile(r"\d+")
_OTHER = "\x00other"  # the group of reasons past MAX_REASONS
# How the short reasons of format_reason_counts are joined (punctuation, not words).
_REASON_SEPARATOR = {"zh": "；", "en": "; "}
# Where a reason's first clause ends (outside brackets): what format_reason_counts shows of it.
_CLAUSE_ENDS = frozenset("，。；：;:！？")
_OPENING = frozenset('(（[【“‘"《')  # not ', an English apostrophe ("number's") opens nothing
_CLOSING = frozenset(')）]】”’"》')


class RowReport:
    """The CSV of rejected and warned rows, written only if there is something to say.

    Values of ID-number and mobile cells are written masked (mask_value):
    the report lies in reports/ on a laptop that may be lost, so it holds
    only enough of a number to recognise it next to its row number.

    The first REPORT_MAX_LINES problems are listed (and the rest of the
    row the last one is on); later ones are only counted, by reason and
    level, in a section finish() writes at the end.  `lines` counts every
    problem added, listed or counted; `listed` those written one by one.
    Reasons are counted by their text, a reason whose numbers vary from
    row to row ("与第 12 行重复") under one text with the numbers left out.
    """

    def __init__(self, folder: Path, source: Path, lang: str) -> None:
        self.folder = folder
        self.source = source
        self.lang = lang
        self.lines = 0
        self.listed = 0
        self._fh: TextIO | None = None
        self._writer: Any = None  # a csv writer (its type, _csv._writer, is not public)
        self._partial: Path | None = None
        self._max_lines = REPORT_MAX_LINES
        self._last_listed: object = None  # row of the last line written
        self._omitted: dict[tuple[str, bool], int] = {}  # (reason, rejected) -> problems not listed
        self._omitted_rows = 0
        self._last_omitted: object = None
        self._rejected: dict[str, int] = {}  # reason -> rejected rows
        self._rejected_rows = 0
        self._last_rejected: object = None
        self._groups: dict[str, str] = {}  # reason text -> its group (a cache)
        self._labels: dict[str, str] = {}  # group -> the text shown for it

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
            [
                t(k, lang)
                for k in (
                    "roster_report_row",
                    "roster_report_column",
                    "roster_report_value",
                    "roster_report_reason",
                    "roster_report_level",
                )
            ]
        )

    def add(
        self, row: int | str, column: str, value: str, reason: str, rejected: bool, field: str | None = None
    ) -> None:
        """One line; `field` ("id_number", "phone", …) says which values to mask."""
        self.lines += 1
        if rejected:
            group = self._group(reason)
            self._rejected[group] = self._rejected.get(group, 0) + 1
            if row != self._last_rejected or row == "":
                self._rejected_rows += 1
                self._last_rejected = row
        if self.listed >= self._max_lines and row != self._last_listed:
            key = (self._group(reason), rejected)
            self._omitted[key] = self._omitted.get(key, 0) + 1
            if row != self._last_omitted or row == "":
                self._omitted_rows += 1
                self._last_omitted = row
            return
        if self._writer is None:
            self._open()
        value = mask_value(field, value) if field in ("id_number", "phone") else mask_personal_runs(value)
        if _EXCEL_MANGLES.match(value):
            # Excel would turn a long digit string into 4.4E+17 (the very
            # damage being reported) or run '=...' as a formula.
            value = "\t" + value
        level = t("roster_level_reject" if rejected else "roster_level_warn", self.lang)
        self._writer.writerow([row, column, value, reason, level])
        self.listed += 1
        self._last_listed = row

    def _group(self, reason: str) -> str:
        """The key a reason is counted under: its text with the numbers left out (_label: the text shown)."""
        group = self._groups.get(reason)
        if group is not None:
            return group
        group = _DIGITS.sub("…", reason)
        label = self._labels.get(group)
        if label is None:
            if len(self._labels) >= MAX_REASONS:
                group = _OTHER
            else:
                self._labels[group] = reason
        elif label != reason:
            self._labels[group] = group  # texts differ in their numbers ("与第 12 行重复"): show it without them
        if len(self._groups) < 4 * MAX_REASONS:
            self._groups[reason] = group
        return group

    def _label(self, group: str) -> str:
        return t("roster_reason_other_group", self.lang) if group == _OTHER else self._labels[group]

    def rejected_rows(self) -> int:
        """Rows with at least one rejecting problem, listed or only counted."""
        return self._rejected_rows

    def reason_counts(self) -> dict[str, int]:
        """Reason text -> rows it rejected (warnings not counted), most frequent first.

        A row rejected for two reasons counts under both.  A reason whose
        numbers vary from row to row is one text with "…" for them.
        """
        counts = {self._label(group): n for group, n in self._rejected.items()}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def finish(self) -> Path | None:
        if self._fh is None:
            return None
        if self._omitted:
            self._write_omitted()
        self._fh.close()
        self._fh = None
        if self._partial is not None:  # always set with _fh
            self._partial.replace(self.final)
        self._partial = None
        return self.final

    def _write_omitted(self) -> None:
        """The section at the end: how many problems were not listed, by reason."""
        lang = self.lang
        omitted = sum(self._omitted.values())
        write = self._writer.writerow
        write([])
        write([t("roster_report_omitted", lang, limit=self._max_lines, rows=self._omitted_rows, lines=omitted)])
        write([t("roster_report_reason", lang), t("roster_report_level", lang), t("roster_report_rows", lang)])
        ranked = sorted(self._omitted.items(), key=lambda item: (not item[0][1], -item[1], item[0][0]))
        for (group, rejected), count in ranked:
            write([self._label(group), t("roster_level_reject" if rejected else "roster_level_warn", lang), count])

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._partial is not None:
            self._partial.unlink(missing_ok=True)
            self._partial = None


def short_reason(reason: str) -> str:
    """A reason's first clause: "身份证号码校验位不符，号码有误，…" -> "身份证号码校验位不符".

    Punctuation inside brackets and quotes does not end the clause; a
    period ends it only before a space or at the end (4.419E+17 stays).
    """
    depth = 0
    for index, ch in enumerate(reason):
        if ch in _OPENING and not (ch in _CLOSING and depth):
            depth += 1
        elif ch in _CLOSING and depth:
            depth -= 1
        elif (
            not depth
            and index
            and (ch in _CLAUSE_ENDS or (ch == "." and (index + 1 == len(reason) or reason[index + 1] == " ")))
        ):
            return reason[:index].strip()
    return reason.strip()


def format_reason_counts(counts: dict[str, int], lang: str | None = None, limit: int = 5) -> str:
    """The most frequent reasons as one short text: "身份证号码校验位不符 812 行；姓名为空 12 行".

    counts: reason text -> rows (RowReport.reason_counts()).  The `limit`
    most frequent are named by their first clause (short_reason); the
    rest are summed as "其他原因 N 行".  For roster_all_rejected's {reasons}.
    """
    shown: dict[str, int] = {}
    for reason, rows in counts.items():
        short = short_reason(reason)
        shown[short] = shown.get(short, 0) + rows
    ranked = sorted(shown.items(), key=lambda item: (-item[1], item[0]))
    parts = [t("roster_reason_count", lang, reason=reason, rows=rows) for reason, rows in ranked[:limit]]
    rest = sum(rows for _reason, rows in ranked[limit:])
    if rest:
        parts.append(t("roster_reason_others", lang, rows=rest))
    return _REASON_SEPARATOR["en" if (lang or get_lang()) == "en" else "zh"].join(parts)


_PERSONAL_RUN = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")


def mask_personal_runs(text: str) -> str:
    """Text with anything that looks like an ID number or a mobile masked.

    For a file name ("13800138000名单.csv" would otherwise carry a number in
    clear into the report's name, the import record and the audit log,
    which refuses it) and for report cells of other columns (a sheet whose
    columns are swapped puts ID numbers in the name column).
    """
    return _PERSONAL_RUN.sub(lambda m: mask_value("id_number" if len(m.group()) == 18 else "phone", m.group()), text)
