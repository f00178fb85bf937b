"""Exports of personal data to CSV or XLSX: organizers only, on purpose, masked.

An export is the easiest way for personal data to leave the station, so:

* only a role that ``can(role, "export")`` may write one, and an unmasked
  one needs ``can(role, "unmask")`` as well;
* a stated purpose is required and goes into the audit log with the row
  count, the columns and whether it was masked — never the data;
* ID numbers, mobiles and names are masked (station.security.masking) unless the
  caller asks for clear values;
* every text cell is neutralised against formula injection: a cell that a
  spreadsheet would read as a formula (starting with = + - @, or a tab or
  carriage return that some programs strip first) gets a leading ' so it
  stays text (OWASP's advice);
* the file is written under a temporary name and renamed when complete,
  after the audit entry is committed, so no export exists unrecorded.

CSV is UTF-8 with a BOM (Excel on Chinese Windows opens it right); XLSX
cells are all text, so an ID number is never turned into 4.41900199001011E+17.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from station.errors import StationError
from station.security import audit
from station.security.masking import mask_id, mask_name, mask_phone
from station.security.operators import OperatorSession
from station.store.database import Store

# Column kinds that hold personal data, and how each is masked.
MASKERS = {"id_number": mask_id, "phone": mask_phone, "name": mask_name}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
MIN_PURPOSE = 4


@dataclass(frozen=True)
class ExportColumn:
    key: str  # the row mapping's key
    header: str  # what the file's header says
    kind: str = "text"  # "text" | "id_number" | "phone" | "name"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    masked: bool
    audit_seq: int


def neutralise(value: object) -> str:
    """The cell's text, with a leading ' when a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _cells(row: Mapping[str, object], columns: Sequence[ExportColumn], masked: bool) -> list[str]:
    out = []
    for col in columns:
        if col.key not in row:
            raise StationError("export_unknown_column", column=col.key)
        value = row[col.key]
        if masked and col.kind in MASKERS:
            value = MASKERS[col.kind](None if value is None else str(value))
        out.append(neutralise(value))
    return out


def export_rows(
    store: Store,
    session: OperatorSession,
    path: Path,
    columns: Sequence[ExportColumn],
    rows: Iterable[Mapping[str, object]],
    *,
    purpose: str,
    unmasked: bool = False,
) -> ExportResult:
    """Write `rows` to `path` (.csv or .xlsx) and record the export in the audit log.

    StationError: not_permitted (not an organizer, or unmasked without the
    unmask right), export_purpose_required, export_format, file_unwritable.
    """
    session.require("export")
    if unmasked:
        session.require("unmask")
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE:
        raise StationError("export_purpose_required")
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise StationError("export_format", path=path)
    masked = not unmasked
    tmp = path.with_name(path.name + ".partial")
    try:
        count = _write_csv(tmp, columns, rows, masked) if fmt == "csv" else _write_xlsx(tmp, columns, rows, masked)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StationError("file_unwritable", path=path, reason=exc.strerror or exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        entry = audit.append(
            store, "export", operator=session.name, target=path.name[:200], cipher=session.cipher,
            details={"purpose": purpose, "rows": count, "format": fmt, "masked": masked,
                     "columns": [c.key for c in columns]},
        )
    except BaseException:
        tmp.unlink(missing_ok=True)  # no audit entry, no file
        raise
    os.replace(tmp, path)
    return ExportResult(path, count, masked, entry.seq)


def _write_csv(path: Path, columns: Sequence[ExportColumn], rows: Iterable[Mapping[str, object]], masked: bool) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([neutralise(c.header) for c in columns])
        for row in rows:
            writer.writerow(_cells(row, columns, masked))
            count += 1
    return count


def _write_xlsx(path: Path, columns: Sequence[ExportColumn], rows: Iterable[Mapping[str, object]], masked: bool) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("export")

    def text_cells(values: list[str]) -> list:
        cells = []
        for v in values:
            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"  # never a formula or a number, whatever the text looks like
            cell.number_format = "@"
            cells.append(cell)
        return cells

    ws.append(text_cells([neutralise(c.header) for c in columns]))
    count = 0
    for row in rows:
        ws.append(text_cells(_cells(row, columns, masked)))
        count += 1
    wb.save(path)
    return count
