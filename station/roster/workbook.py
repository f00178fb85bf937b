"""Excel workbooks: what a zip holds before it is opened, then the sheets' rows (python-calamine).

An .xlsx (and .xlsm, .xlsb, .ods) is a zip of XML parts.  python-calamine
reads a whole sheet into memory, so a zip whose sheet unpacks to gigabytes
(a "zip bomb": a few hundred KB of one row repeated) would take the laptop
down before a single row is checked.  The zip's directory says how big
each part is once unpacked; check_zip reads only that, and refuses a part
packed far tighter than real sheets ever are, or parts too big in total.
It also tells a zip that is no workbook (a zipped folder, a Word
document) from a damaged workbook.

Rows come out as the sheet shows them: numbered from the top of the sheet,
merged blocks filled so every row of a block carries its value.
"""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from station.errors import StationError

# Real sheets' XML packs 5 to 25 times (row numbers in every cell keep it
# from packing tighter); a part packed over UNPACK_RATIO times is padding
# or a bomb.  Small parts are let through whatever their ratio: below
# UNPACK_RATIO_FLOOR they read in a second anyway.
UNPACK_RATIO = 100
UNPACK_RATIO_FLOOR = 64 << 20
# All parts together: a 1.4-million-row roster's sheet is about 600 MB of XML.
MAX_UNPACKED_BYTES = 2 << 30

# The part that makes a zip a workbook: xlsx/xlsm, xlsb, ods.
_WORKBOOK_PARTS = frozenset({"xl/workbook.xml", "xl/workbook.bin", "content.xml"})


def size_text(n: int) -> str:
    """A byte count as people read it: 686 KB, 293 MB, 2.0 GB."""
    if n < 1 << 20:
        return f"{max(1, round(n / 1024))} KB"
    if n < 1 << 30:
        return f"{round(n / (1 << 20))} MB"
    return f"{n / (1 << 30):.1f} GB"


def check_zip(path: Path) -> None:
    """Refuse a zip that is not a workbook, or whose parts would unpack past a sane size.

    Reads only the zip's directory (no part is unpacked).  Raises
    StationError table_bad_excel (damaged), table_zip_not_excel,
    table_too_big or table_too_big_ratio.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise StationError("table_bad_excel", path=path.name, reason=exc) from exc
    except OSError as exc:
        raise StationError("file_unreadable", path=path, reason=exc.strerror or exc) from exc
    if not any(p.filename.lstrip("/").lower() in _WORKBOOK_PARTS for p in parts):
        raise StationError("table_zip_not_excel", path=path.name)
    file_size = path.stat().st_size
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED_BYTES:
        raise StationError(
            "table_too_big", path=path.name, size=size_text(total), file_size=size_text(file_size),
            limit=size_text(MAX_UNPACKED_BYTES),
        )  # fmt: skip
    for part in parts:
        packed = max(part.compress_size, 1)
        if part.file_size > UNPACK_RATIO_FLOOR and part.file_size > UNPACK_RATIO * packed:
            raise StationError(
                "table_too_big_ratio", path=path.name, size=size_text(part.file_size),
                file_size=size_text(file_size), ratio=part.file_size // packed, limit=UNPACK_RATIO,
            )  # fmt: skip


def open_workbook(path: Path) -> tuple[Any, list[str]]:
    """(python-calamine's workbook, its visible worksheets in workbook order)."""
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise StationError("table_password", path=path.name) from exc
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError) as exc:
        raise StationError("table_bad_excel", path=path.name, reason=exc) from exc
    except OSError as exc:
        raise StationError("file_unreadable", path=path, reason=exc.strerror or exc) from exc
    except Exception as exc:  # calamine raises plain errors for some damaged files
        raise StationError("table_bad_excel", path=path.name, reason=exc) from exc
    names = []
    for meta in book.sheets_metadata:
        if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet"):
            names.append(meta.name)
    return book, names


def load_sheet(path: Path, book: Any, sheet: str) -> Any:
    """One worksheet of an open workbook, read into memory by python-calamine."""
    try:
        return book.get_sheet_by_name(sheet)
    except Exception as exc:
        raise StationError("table_bad_excel", path=path.name, reason=exc) from exc


def sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """(1-based sheet row, cells) for every row of a loaded sheet, merged blocks filled.

    Rows are padded to the sheet's width; blank rows come too (the caller
    decides what to do with them).
    """
    start = sheet.start
    end = sheet.end
    if start is None or end is None:
        return
    merged = sorted(sheet.merged_cell_ranges or [])
    iterator = iter(sheet.iter_rows())
    first = next(iterator, None)
    if first is None:
        return
    # python-calamine pads leading empty rows but may or may not pad
    # leading empty columns; the start row is never blank, so a blank
    # first row means rows are numbered from the top of the sheet.
    row_offset = 0 if (start[0] == 0 or not any(c not in ("", None) for c in first)) else start[0]
    col_offset = start[1] if len(first) == end[1] - start[1] + 1 else 0
    width = end[1] + 1
    active: list[tuple[int, int, int, Any]] = []  # (last row, first col, last col, value)
    pending = 0
    for index, cells in enumerate(itertools.chain((first,), iterator)):
        row = index + row_offset
        if col_offset:
            cells = [""] * col_offset + list(cells)
        elif len(cells) < width:
            cells = list(cells)
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        # Merged blocks: the top-left cell holds the value, the rest are
        # empty in the file; every row of the block gets the value.
        while pending < len(merged) and merged[pending][0][0] <= row:
            (r0, c0), (r1, c1) = merged[pending]
            pending += 1
            if r0 == row and c0 < len(cells):
                value = cells[c0]
                if value not in ("", None):
                    active.append((r1, c0, c1, value))
        if active:
            for _r1, c0, c1, value in active:
                for c in range(c0, min(c1, width - 1) + 1):
                    if cells[c] in ("", None):
                        cells[c] = value
            active = [a for a in active if a[0] > row]
        yield row + 1, cells
