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

A sheet is read only up to a sane size (MAX_ROWS non-blank rows, rows of
at most MAX_COLUMNS filled cells; a zip's parts are checked before it is
opened, in station.roster.workbook): past it, reading stops with a message
saying what to do.  Blank rows at the end of a sheet (a sheet formatted
down to row 1048576) are dropped, never counted.
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
from station.roster import workbook
from station.roster.charsets import detect_encoding, first_undecodable_line

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
_HEAD = 1 << 13  # bytes looked at to tell a workbook, a web page, text and other files apart

# How much of a sheet is read: past these, reading stops (StationError) rather
# than filling memory.  Module constants, so tests can make them small.
MAX_ROWS = 2_000_000  # non-blank rows of one sheet or CSV file (the largest town roster: 1.4 million)
MAX_COLUMNS = 200  # filled cells in one row (a roster has 5 to 30 columns)
# Control characters no text table holds (tab, newlines, form feed and DOS's end-of-file aside).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26)) + b"\x7f"


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


def _looks_binary(head: bytes) -> bool:
    """Bytes no text table holds: NUL, or more than a few other control characters.

    UTF-16 text (with its BOM) is text; GBK and UTF-8 never put a control
    byte inside a character.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(head) // 100)


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
    # python-calamine's sheet and workbook (Any: only station.roster.workbook touches them).
    _sheet: Any = None
    _book: Any = None

    def other_sheet(self, name: str) -> Table:
        """Another worksheet of the same workbook (the file is not opened again)."""
        return _excel_table(self.path, self._book, self.sheet_names, name)

    def head(self, n: int = 30) -> list[list[Cell]]:
        """The first `n` rows (row 1 first), blank rows included as []."""
        return [cells for _num, cells in itertools.islice(self.rows(), n)]

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(row number, cells) for every row, numbered consecutively from 1.

        Blank rows come as [] (and not at all at the end of the sheet).
        Raises StationError past MAX_ROWS non-blank rows or at a row of
        more than MAX_COLUMNS filled cells.
        """
        rows = self._csv_rows() if self.kind == "csv" else workbook.sheet_rows(self._sheet)
        return _within_limits(rows, self.path.name)

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


def _filled(cells: list[Cell]) -> int:
    return len(cells) - cells.count("") - cells.count(None)


def _within_limits(rows: Iterator[tuple[int, list[Cell]]], name: str) -> Iterator[tuple[int, list[Cell]]]:
    """The rows, blank ones as [] and held back until a filled row follows, so the sheet's trailing blank rows
    never come; StationError past MAX_ROWS filled rows or at a row of more than MAX_COLUMNS filled cells."""
    max_rows, max_columns = MAX_ROWS, MAX_COLUMNS
    filled = 0
    blank_from = 0  # first row of a run of blank rows not passed on yet (0: none)
    for number, cells in rows:
        if not any(cells) and not _filled(cells):  # any(): a quick yes for almost every row
            if not blank_from:
                blank_from = number
            continue
        if blank_from:
            for blank in range(blank_from, number):
                yield blank, []
            blank_from = 0
        filled += 1
        if filled > max_rows:
            raise StationError("table_too_many_rows", path=name, row=number, limit=max_rows)
        if len(cells) > max_columns and _filled(cells) > max_columns:
            raise StationError("table_too_wide", path=name, row=number, cells=_filled(cells), limit=max_columns)
        yield number, cells


def sheet_names(path: Path) -> list[str]:
    """Visible worksheets of an Excel file, in workbook order."""
    path = Path(path)
    if _file_kind(path) != "excel":
        raise StationError("table_not_excel", path=path.name)
    return workbook.open_workbook(path)[1]


def _file_kind(path: Path) -> str:
    """What the file is, "excel" or "csv", from its name and first bytes; StationError for what is neither.

    A zip is checked here (workbook.check_zip): a zip that is no workbook,
    or one that would unpack past a sane size, is refused before anything
    is unpacked.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise StationError(
            "table_unsupported_type",
            path=path.name,
            suffix=suffix or path.name,
            supported=" ".join(SUPPORTED_SUFFIXES),
        )
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    if head.startswith(_ZIP_MAGIC):
        workbook.check_zip(path)
        return "excel"  # whatever it is called, it is a workbook
    if head.startswith(_OLE_MAGIC):
        return "excel"
    if _looks_like_html(head):
        raise StationError("table_html_as_excel", path=path.name)
    if _looks_binary(head):
        raise StationError("table_not_excel" if suffix in EXCEL_SUFFIXES else "table_binary", path=path.name)
    return "csv"  # includes tab-separated text that a system named .xls


def open_table(path: Path, sheet: str | None = None) -> Table:
    """Open a CSV or Excel file.  `sheet` picks a worksheet (default: the first visible).

    Raises StationError for a missing, empty, unsupported, damaged,
    password-protected, undecodable or absurdly big file, and for one that
    is not what its name says (random bytes named .xlsx, a zip, binary
    named .csv).
    """
    path = Path(path)
    if not path.is_file():
        raise StationError("file_not_found", path=path)
    try:
        size = path.stat().st_size
        if size == 0:
            raise StationError("table_empty", path=path.name)
        kind = _file_kind(path)
        if kind == "csv":
            return _csv_table(path, size)
    except OSError as exc:
        raise StationError("file_unreadable", path=path, reason=exc.strerror or exc) from exc
    book, names = workbook.open_workbook(path)
    if not names:
        raise StationError("table_no_sheets", path=path.name)
    return _excel_table(path, book, names, sheet if sheet is not None else names[0])


def _csv_table(path: Path, size: int) -> Table:
    try:
        encoding = detect_encoding(path)
    except StationError as exc:
        if exc.key == "table_encoding" and path.suffix.lower() in EXCEL_SUFFIXES:
            # Named as a workbook, neither a workbook nor text: say that, not "encoding".
            raise StationError("table_not_excel", path=path.name) from exc
        raise
    with path.open("rb") as fh:
        raw = fh.read(_SAMPLE)
    sample = raw.decode(encoding, errors="ignore")
    lines = max(1, sample.count("\n"))
    estimate = lines if len(raw) < _SAMPLE else int(size / (len(raw) / lines))
    return Table(path, "csv", encoding=encoding, delimiter=_sniff_delimiter(sample), rows_estimate=estimate)


def _excel_table(path: Path, book: Any, names: list[str], sheet: str) -> Table:
    if sheet not in names:
        raise StationError("table_no_such_sheet", path=path.name, sheet=sheet, sheets=", ".join(names))
    data = workbook.load_sheet(path, book, sheet)
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
    return _blocks_within_limits(_blocks(table.path, size or BLOCK_BYTES), table)


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


def _blocks_within_limits(blocks: Iterator[bytes], table: Table) -> Iterator[bytes]:
    """csv_blocks' blocks, the reader's limits (MAX_ROWS, MAX_COLUMNS) kept at next to no cost.

    Newlines are counted (cheap); only once they pass MAX_ROWS are blank
    lines told from filled ones (the file so far read again, once, then
    block by block), so a file padded with empty lines is not refused.  A
    block whose rows average more than MAX_COLUMNS cells is parsed to find
    the row; a lone wide row among narrow ones passes (the workers keep
    only the mapped columns, and the preview checked the first rows).
    Row numbers here count lines, which differ from records only after a
    line break inside a quoted cell.
    """
    max_rows, max_columns = MAX_ROWS, MAX_COLUMNS
    delimiter = (table.delimiter or ",").encode()
    lines = done = 0  # newlines and bytes before this block
    filled: int | None = None  # filled lines so far, once counting them is worth it
    for block in blocks:
        newlines = block.count(b"\n")
        if block.count(delimiter) > max_columns * (newlines + 1):
            _check_width(block, table, lines, max_columns)
        if filled is None and lines + newlines + 1 > max_rows:
            filled = _filled_lines_before(table.path, done, delimiter)
        if filled is not None:
            filled += _filled_lines(block, delimiter)
            if filled > max_rows:
                raise StationError("table_too_many_rows", path=table.path.name, row=lines + newlines, limit=max_rows)
        lines += newlines
        done += len(block)
        yield block


def _filled_lines(data: bytes, delimiter: bytes) -> int:
    """Lines of `data` holding more than delimiters, quotes and blanks."""
    parts = data.translate(None, b' \t\r"' + delimiter).split(b"\n")
    return len(parts) - parts.count(b"")


def _filled_lines_before(path: Path, stop: int, delimiter: bytes) -> int:
    filled, left, carry = 0, stop, b""
    with path.open("rb") as fh:
        while left > 0:
            chunk = fh.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            filled += _filled_lines(data[:cut], delimiter) if cut else 0
            carry = data[cut:]
    return filled + (_filled_lines(carry, delimiter) if carry else 0)


def _check_width(block: bytes, table: Table, lines_before: int, max_columns: int) -> None:
    """StationError table_too_wide for the block's first row of more than `max_columns` filled cells."""
    try:
        rows = parse_csv_block(block, table.encoding or "utf-8", table.delimiter or ",")
    except (UnicodeDecodeError, csv.Error):
        return  # the worker that parses this block reports it, with its row
    for index, cells in enumerate(rows):
        if len(cells) > max_columns and _filled(cells) > max_columns:
            raise StationError(
                "table_too_wide", path=table.path.name, row=lines_before + index + 1, cells=_filled(cells),
                limit=max_columns,
            )  # fmt: skip


def parse_csv_block(data: bytes, encoding: str, delimiter: str) -> list[list[Cell]]:
    """The records of one block from csv_blocks().

    A block without quotes (nearly every roster) is split as it is, which
    is what the csv module would read from it, at a third of the cost.
    """
    text = data.decode(encoding)
    if '"' not in text and "\0" not in text:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        if lines and not lines[-1]:
            lines.pop()
        return cast("list[list[Cell]]", [line.split(delimiter) for line in lines])
    return cast("list[list[Cell]]", list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
