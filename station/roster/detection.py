"""What a roster file looks like: where its header is and which column holds what.

Pure (no store): the station's import (station.roster.importer), the paper
sign-up import and the hub's roster import all start here.  A sheet may
have title rows above the header, a caption row such as "单位：… 工会：…",
no header at all (the columns are then recognised from their contents), or
several sheets of which one is the roster.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from station.errors import StationError
from station.people import idnumber, mobile, names
from station.people.textnorm import squeeze
from station.roster.mapping import REQUIRED, guess_mapping
from station.roster.tabular import Cell, Table, cell_text, column_letter, open_table

HEADER_SCAN_ROWS = 30  # the header must be within the first rows of the sheet
SAMPLE_ROWS = 5


@dataclass
class FilePreview:
    """What the file looks like, for a column-mapping dialog or a --map hint.

    header_row is the 1-based sheet row of the header (0 when the file has
    no header row and data starts at row 1; headers are then column letters).
    mapping is the guess, field -> 0-based column index; missing lists the
    required fields the guess could not find.
    """

    path: Path
    header_row: int
    headers: list[str]
    mapping: dict[str, int]
    missing: list[str]
    sample_rows: list[list[str]]
    encoding: str | None
    sheet: str | None
    rows_estimate: int | None = None  # data rows, estimated for CSV
    other_sheets: list[str] = field(default_factory=list)  # further sheets that look like rosters
    data_start_row: int = 0  # 1-based row of the first data row


def is_blank(cells: list[Cell]) -> bool:
    return all(c is None or c == "" or (isinstance(c, str) and not c.strip()) for c in cells)


def _row_texts(cells: list[Cell], width: int) -> list[str]:
    texts = [cell_text(c).strip() for c in cells[:width]]
    texts.extend([""] * (width - len(texts)))
    return texts


def _looks_like_data(cells: list[Cell]) -> bool:
    """A row holding a valid ID number is data, not a header."""
    return any(isinstance(c, str) and 15 <= len(c.strip()) <= 24 and idnumber.check(c).number for c in cells)


def _sniff_columns(rows: list[list[Cell]], width: int) -> dict[str, int]:
    """For a file without a header: which columns hold IDs, names, phones."""
    mapping: dict[str, int] = {}
    if not rows:
        return mapping
    need = max(1, (len(rows) * 3 + 3) // 5)  # most sample rows must agree

    def score(check: Callable[[Cell], bool], col: int) -> int:
        return sum(1 for r in rows if col < len(r) and check(r[col]))

    tests: list[tuple[str, Callable[[Cell], bool]]] = [
        ("id_number", lambda c: isinstance(c, str) and idnumber.check(c).number is not None),
        ("phone", lambda c: not isinstance(c, bool) and isinstance(c, (str, float, int)) and mobile.check(c).number is not None),
        (
            "name",
            lambda c: isinstance(c, str)
            and 2 <= len(c.strip()) <= 6
            and names.check(c)[1] is None
            and not c.strip().isascii(),
        ),
    ]
    for key, check in tests:
        for col in range(width):
            if col in mapping.values():
                continue
            if score(check, col) >= need:
                mapping[key] = col
                break
    return mapping


def _find_header(head: list[list[Cell]]) -> tuple[int | None, dict[str, int]]:
    """(row index of the header, its mapping guess), or (None, {}) when no row names two fields.

    The header is the first row naming two or more fields; a row naming
    both required ones wins over an earlier "单位：… 工会：…" caption row.
    """
    header_index: int | None = None
    mapping: dict[str, int] = {}
    for index, cells in enumerate(head[:HEADER_SCAN_ROWS]):
        guess = guess_mapping(cells)
        if len(guess) >= 2 and header_index is None:
            header_index, mapping = index, guess
        if all(k in guess for k in REQUIRED):
            header_index, mapping = index, guess
            break
    return header_index, mapping


def _without_header(table: Table, head: list[list[Cell]], width: int) -> tuple[bool, int, dict[str, int]]:
    """(headerless, header index, mapping) for a sheet whose header names no fields.

    Data from the first row on (headerless: the "header" is the row before
    it and columns are sniffed from their contents), or an unrecognised
    header row the mapping dialog can show.
    """
    first = next((i for i, r in enumerate(head[:HEADER_SCAN_ROWS]) if not is_blank(r)), None)
    if first is None:
        raise StationError("table_empty", path=table.path.name)
    if _looks_like_data(head[first]):
        data = [r for r in head[first:] if not is_blank(r)][: SAMPLE_ROWS + 5]
        return True, first - 1, _sniff_columns(data, width)  # data starts at `first`
    # No recognisable header: take the first row that reads like one
    # (two or more different texts) so the dialog can show its names.
    header_index = first
    for index, cells in enumerate(head[:HEADER_SCAN_ROWS]):
        texts = {squeeze(c) for c in cells if isinstance(c, str) and c.strip()}
        if len(texts) >= 2 and all(isinstance(c, str) or c is None for c in cells):
            header_index = index
            break
    return False, header_index, guess_mapping(head[header_index])


def _header_texts(head: list[list[Cell]], header_index: int, width: int, headerless: bool) -> list[str]:
    """The column names to show: the header's texts, column letters where it has none."""
    if headerless:
        return [column_letter(i) for i in range(width)]
    headers = _row_texts(head[header_index], width)
    return [h or column_letter(i) for i, h in enumerate(headers)]


def _analyse(table: Table) -> FilePreview:
    head = table.head(HEADER_SCAN_ROWS + SAMPLE_ROWS + 20)
    width = max((len(r) for r in head), default=0)
    header_index, mapping = _find_header(head)
    headerless = False
    if header_index is None:
        headerless, header_index, mapping = _without_header(table, head, width)
    samples = [_row_texts(r, width) for r in head[header_index + 1 :] if not is_blank(r)][:SAMPLE_ROWS]
    estimate = None
    if table.rows_estimate is not None:
        estimate = max(0, table.rows_estimate - (header_index + 1))
    return FilePreview(
        path=table.path,
        header_row=0 if headerless else header_index + 1,
        data_start_row=header_index + 2,
        headers=_header_texts(head, header_index, width, headerless),
        mapping=mapping,
        missing=[k for k in REQUIRED if k not in mapping],
        sample_rows=samples,
        encoding=table.encoding,
        sheet=table.sheet,
        rows_estimate=estimate,
    )


def inspect_file(path: Path) -> tuple[Table, FilePreview]:
    table = open_table(path)
    if table.kind != "excel" or len(table.sheet_names) < 2:
        return table, _analyse(table)
    # A workbook: the roster is the first sheet whose header we recognise
    # (cover and instruction sheets come first in many hand-made files).
    chosen: tuple[Table, FilePreview] | None = None
    others: list[str] = []
    for name in table.sheet_names:
        sheet = table if name == table.sheet else table.other_sheet(name)
        try:
            preview = _analyse(sheet)
        except StationError:
            continue  # an empty sheet
        if chosen is None:
            if not preview.missing:
                chosen = (sheet, preview)
        elif not preview.missing:
            others.append(name)
    if chosen is None:
        return table, _analyse(table)
    chosen[1].other_sheets = others
    return chosen


def preview_file(path: Path) -> FilePreview:
    """Look at a roster file without importing it.

    Raises StationError for a missing, empty, unsupported or unreadable file.
    """
    return inspect_file(Path(path))[1]

