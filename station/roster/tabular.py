"""Reading tables that people made by hand: CSV in any Chinese encoding, Excel sheets.

A table is a stream of numbered rows of cells; this module knows nothing of
rosters.  It decides what a file really is from its first bytes as well as
its name (systems export tab-separated text named .xls, and web pages named
.xls), finds the text encoding of CSV files (UTF-8 with or without BOM,
GBK/GB18030, UTF-16 from Excel's "Unicode text"), and fills merged Excel
cells so every row of a merged block carries the block's value.

Row numbers are what a person sees: the CSV record number as Excel shows it,
or the sheet row, counting from 1.  Excel cells keep their types (numbers
arrive as float), because an ID number that is a float has already lost
digits and the caller must be able to tell.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias, cast

from station.errors import StationError

Cell: TypeAlias = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + EXCEL_SUFFIXES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_CHUNK = 1 << 20
BLOCK_BYTES = 1 << 19  # CSV handed to a worker process at a time
_SAMPLE = 1 << 16
_DELIMITERS = (",", "\t", ";", "|")


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA' (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: Cell) -> str:
    """A cell as a person would read it.

    Whole numbers lose their '.0' (13800138000.0 -> '13800138000'); numbers
    too long for Excel to hold exactly show as Excel shows them
    (4.41900199001011E+17), so a report points at what the user sees.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if abs(value) >= 1e15:
            return f"{value:.15G}".replace("E+0", "E+")
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def detect_encoding(path: Path) -> str:
    """'utf-8-sig', 'utf-8', 'utf-16' or 'gb18030'.

    UTF-8 is tried strictly over the whole file first (cheap, and a GBK file
    practically never passes); GB18030 is a superset of GBK and GB2312, so a
    file that is not UTF-8 is read as GB18030.  Raises StationError when not
    even the beginning of the file decodes as GB18030.
    """
    with Path(path).open("rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        bom = head.startswith(codecs.BOM_UTF8)
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            for block in iter(lambda: fh.read(_CHUNK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8-sig" if bom else "utf-8"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        sample = fh.read(_CHUNK)
    try:
        codecs.getincrementaldecoder("gb18030")("strict").decode(sample)
    except UnicodeDecodeError as exc:
        raise StationError("table_encoding", path=Path(path).name) from exc
    return "gb18030"


def first_undecodable_line(path: Path, encoding: str | None) -> int | None:
    """The 1-based line holding the first bytes `encoding` cannot decode.

    Text is decoded a megabyte at a time, so the reader only knows roughly
    where it failed; this finds the line to name in the message.
    """
    if not encoding or encoding.startswith("utf-16"):
        return None
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return None


def _sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        counts = [line.count(delim) for line in lines]
        score = (sum(1 for c in counts if c), sum(counts))
        if score > best_score:
            best, best_score = delim, score
    return best


def _looks_like_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta", b"<head"))


@dataclass
class Table:
    """One sheet or one CSV file, read as numbered rows of cells.

    ``rows()`` may be called more than once; each call reads from the start.
    """

    path: Path
    kind: str  # "csv" | "excel"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    rows_estimate: int | None = None
    # python-calamine's sheet and workbook (Any: only the Excel reader below touches them).
    _sheet: Any = None
    _book: Any = None

    def other_sheet(self, name: str) -> Table:
        """Another worksheet of the same workbook (the file is not opened again)."""
        return _excel_table(self.path, self._book, self.sheet_names, name)

    def head(self, n: int = 30) -> list[list[Cell]]:
        """The first `n` rows (row 1 first), blank rows included as []."""
        return [cells for _num, cells in itertools.islice(self.rows(), n)]

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        if self.kind == "csv":
            return self._csv_rows()
        return self._excel_rows()

    # -- CSV -------------------------------------------------------------
    def _csv_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        number = 0
        try:
            with self.path.open("r", encoding=self.encoding, newline="", errors="strict", buffering=_CHUNK) as fh:
                for number, cells in enumerate(csv.reader(fh, delimiter=self.delimiter or ","), start=1):
                    yield number, cells  # type: ignore[misc]  # list[str] is a list of Cells; no per-row cast
        except UnicodeDecodeError as exc:
            row = first_undecodable_line(self.path, self.encoding) or number + 1
            raise StationError("table_encoding_at", path=self.path.name, row=row) from exc
        except csv.Error as exc:
            raise StationError("table_csv_error", path=self.path.name, row=number + 1, reason=exc) from exc
        except OSError as exc:
            raise StationError("file_unreadable", path=self.path, reason=exc.strerror or exc) from exc

    # -- Excel -----------------------------------------------------------
    def _excel_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        sheet = self._sheet
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
        active: list[tuple[int, int, int, Cell]] = []  # (last row, first col, last col, value)
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


def sheet_names(path: Path) -> list[str]:
    """Visible worksheets of an Excel file, in workbook order."""
    return _open_workbook(Path(path))[1]


def _open_workbook(path: Path):
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


def _file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise StationError(
            "table_unsupported_type",
            path=path.name,
            suffix=suffix or path.name,
            supported=" ".join(SUPPORTED_SUFFIXES),
        )
    with path.open("rb") as fh:
        head = fh.read(512)
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return "excel"  # whatever it is called, it is a workbook
    if _looks_like_html(head):
        raise StationError("table_html_as_excel", path=path.name)
    return "csv"  # includes tab-separated text that a system named .xls


def open_table(path: Path, sheet: str | None = None) -> Table:
    """Open a CSV or Excel file.  `sheet` picks a worksheet (default: the first visible).

    Raises StationError for a missing, empty, unsupported, damaged,
    password-protected or undecodable file.
    """
    path = Path(path)
    if not path.is_file():
        raise StationError("file_not_found", path=path)
    try:
        size = path.stat().st_size
        if size == 0:
            raise StationError("table_empty", path=path.name)
        kind = _file_kind(path)
    except OSError as exc:
        raise StationError("file_unreadable", path=path, reason=exc.strerror or exc) from exc
    if kind == "csv":
        encoding = detect_encoding(path)
        with path.open("rb") as fh:
            raw = fh.read(_SAMPLE)
        sample = raw.decode(encoding, errors="ignore")
        lines = max(1, sample.count("\n"))
        estimate = lines if len(raw) < _SAMPLE else int(size / (len(raw) / lines))
        return Table(path, "csv", encoding=encoding, delimiter=_sniff_delimiter(sample), rows_estimate=estimate)
    book, names = _open_workbook(path)
    if not names:
        raise StationError("table_no_sheets", path=path.name)
    return _excel_table(path, book, names, sheet if sheet is not None else names[0])


def _excel_table(path: Path, book: Any, names: list[str], sheet: str) -> Table:
    if sheet not in names:
        raise StationError("table_no_such_sheet", path=path.name, sheet=sheet, sheets=", ".join(names))
    try:
        data = book.get_sheet_by_name(sheet)
    except Exception as exc:
        raise StationError("table_bad_excel", path=path.name, reason=exc) from exc
    end = data.end
    return Table(
        path,
        "excel",
        sheet=sheet,
        sheet_names=names,
        rows_estimate=(end[0] + 1) if end else 0,
        _sheet=data,
        _book=book,
    )



def _record_end(data: bytes, limit: int = 200) -> int | None:
    """Index of the last newline in `data` that ends a CSV record, or None.

    A newline inside a quoted field is not a record end: the number of
    quote characters before a record end is even ("" escapes count two).
    """
    pos = data.rfind(b"\n")
    if pos < 0 or b'"' not in data:
        return pos if pos >= 0 else None
    for _ in range(limit):
        if pos < 0:
            return None
        if data.count(b'"', 0, pos) % 2 == 0:
            return pos
        pos = data.rfind(b"\n", 0, pos)
    return None


def csv_blocks(table: Table, size: int | None = None) -> Iterator[bytes] | None:
    """The raw bytes of a CSV table in blocks of whole records, or None.

    Lets worker processes decode and parse the file themselves.  None when
    the table is not CSV or its encoding (UTF-16) may put a newline byte
    inside a character; GB18030 and UTF-8 never do.
    """
    if table.kind != "csv" or not table.encoding or table.encoding.startswith("utf-16"):
        return None
    return _blocks(table.path, size or BLOCK_BYTES)


def _blocks(path: Path, size: int) -> Iterator[bytes]:
    carry = b""
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(size), b""):
                data = carry + chunk if carry else chunk
                end = _record_end(data)
                if end is None:
                    carry = data
                    continue
                carry = data[end + 1 :]
                yield data[: end + 1]
    except OSError as exc:
        raise StationError("file_unreadable", path=path, reason=exc.strerror or exc) from exc
    if carry:
        yield carry


def parse_csv_block(data: bytes, encoding: str, delimiter: str) -> list[list[Cell]]:
    """The records of one block from csv_blocks()."""
    text = data.decode(encoding)
    return cast("list[list[Cell]]", list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
