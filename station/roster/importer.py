"""Roster import (会员名册导入): a union's member list into the station's store.

The file is whatever a union office has: CSV in GBK or UTF-8, an Excel
sheet with title rows above the header, merged 单位名称 cells, full-width
digits and IDs that Excel turned into 4.41900199001011E+17.  This module
finds the header, maps columns to fields, checks every row with the rules
in station.people.idnumber / station.people.mobile / station.people.names, and writes members,
enterprises and grassroots unions.

The rules a user will notice:

* A row with a missing or invalid ID number or name is rejected; a bad
  mobile number only drops the phone (warning); an unknown area code is a
  warning.  Every rejected or warned row is listed, with row number,
  column, value and the reason, in a CSV report that Excel opens.
* An ID number repeated inside the file is imported once (the first row
  wins); the later rows are listed as duplicates.
* Importing a roster again updates the people already there (never
  duplicates them) and marks them 在册, including people who had signed up
  as new members.
* One file is one transaction: all good rows or nothing.  Cancelling, or
  any error, leaves the store as it was.
* Only an organizer imports (operator.require("import")), and each file
  leaves one ``import`` entry in the audit log: counts, file name and
  SHA-256, no personal data.

Personal data (issue 4, docs/security.md): ID numbers and mobiles are
written only encrypted, with their blind indexes.  The rows are encrypted
where they are checked: worker processes receive the data key once, when
the pool starts (its initializer builds a module-level FieldCipher; the
key never travels with a batch and never touches the disk or the
environment), and send back ciphertexts and indexes.  The clear values
reach this process only for the rows listed in the report, and the report
shows them masked (4419**********123X, 138****5678).  Members are keyed
by the ID's blind index: duplicates inside a file and re-imports are found
through it.

Speed: a million-row CSV has to import in about the time of a few sqlite3
``.import`` runs.  Rows are streamed; checking runs in worker processes for
big files; rows go in through the raw DBAPI connection with executemany
and an upsert; the members table's secondary indexes are dropped and built
again when the file is big compared to the table.  The only per-row memory
kept is one 16-byte ID index per row (to find duplicates).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import logging
import os
import re
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from station.people import idnumber, mobile, names
from station.errors import StationError
from station.security.fieldcrypt import FieldCipher
from station.i18n import get_lang, t
from station.security.masking import mask_id
from station.roster.tabular import (
    Cell,
    Table,
    cell_text,
    column_letter,
    csv_blocks,
    file_sha256,
    first_undecodable_line,
    open_table,
    parse_csv_block,
)
from station.people.textnorm import clean_org_name, compact, squeeze

if TYPE_CHECKING:
    from station.security.operators import OperatorSession
    from station.store.database import Store

log = logging.getLogger(__name__)

FIELDS = ("name", "id_number", "phone", "enterprise", "union")
REQUIRED = ("name", "id_number")
FIELD_LABELS_ZH = {
    "name": "姓名",
    "id_number": "身份证号码",
    "phone": "手机号码",
    "enterprise": "单位名称",
    "union": "基层工会名称",
}
FIELD_LABELS_EN = {
    "name": "Name",
    "id_number": "ID number",
    "phone": "Mobile",
    "enterprise": "Employer",
    "union": "Grassroots union",
}

HEADER_SCAN_ROWS = 30  # the header must be within the first rows of the sheet
SAMPLE_ROWS = 5
MAX_ORG_NAME = 200  # models.Enterprise.name / models.Union.name are String(200)
CHUNK_ROWS = 4000  # rows checked per batch (and per worker task)
PARALLEL_MIN_ROWS = 100_000  # below this, starting worker processes costs more than it saves
REBUILD_INDEX_MIN_ROWS = 50_000  # see _should_rebuild_indexes
PROGRESS_INTERVAL_S = 0.1
_IMPORT_CACHE_KIB = 32768  # SQLite page cache for the import connection (32 MiB: more did not make it faster)
_APPEND_CACHE_KIB = 8192  # the same into an empty table, which has no index to keep in cache (see _run)
_PROGRESS_OPS = 200_000  # SQLite VM steps between cancel checks while indexes are rebuilt
_MAP_EXAMPLE = "证件号=身份证号码,电话=手机号码"


def field_label(key: str, lang: str | None = None) -> str:
    """The field's name as users know it (姓名 / Name)."""
    return t(f"roster_field_{key}", lang)


# -- headers ---------------------------------------------------------------------------

_BRACKETED = re.compile(r"[(\[【<《{][^)\]】>》}]*[)\]】>》}]")
_HEADER_JUNK = str.maketrans("", "", "*#:_-.、。·'\"`?？!！")


def normalize_header(value: Cell) -> str:
    """Header text reduced to what identifies it.

    '* 身份证号码（必填）：' -> '身份证号码'; 'ID Number' -> 'idnumber'.
    Bracketed remarks (必填, 18位, 选填…) and marks (*, :) are dropped,
    full-width folded, blanks removed, Latin lowercased.
    """
    text = compact(cell_text(value)).lower()
    text = _BRACKETED.sub("", text)
    return text.translate(_HEADER_JUNK)


_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "姓名", "会员姓名", "名字", "职工姓名", "员工姓名", "人员姓名", "工会会员姓名", "会员名字", "真实姓名",
        "name", "fullname", "membername", "realname",
    ),
    "id_number": (
        "身份证号码", "身份证号", "身份证", "公民身份号码", "公民身份证号码", "证件号码", "证件号", "身份证件号码",
        "身份证件号", "居民身份证号码", "居民身份证号", "身份号码", "会员身份证号码", "证件号码身份证",
        "idnumber", "idno", "id", "idcard", "idcardno", "idcardnumber", "identitynumber", "citizenid", "ric",
    ),
    "phone": (
        "手机号码", "手机", "手机号", "联系电话", "电话", "联系方式", "电话号码", "移动电话", "联系手机", "本人手机号码",
        "手机号码联系电话", "mobile", "phone", "mobilephone", "phonenumber", "mobilenumber", "mobileno", "phoneno",
        "tel", "telephone", "cellphone", "cell",
    ),
    "enterprise": (
        "单位名称", "工作单位", "所在单位", "单位", "企业名称", "企业", "公司", "公司名称", "用人单位", "所在企业",
        "工作单位名称", "单位全称", "所在公司", "就职单位", "所在单位名称", "会员所在单位",
        "company", "enterprise", "employer", "companyname", "workplace", "employername", "enterprisename",
    ),
    "union": (
        "基层工会名称", "工会名称", "所属工会", "基层工会", "工会", "所属基层工会", "所在工会", "所属工会名称",
        "所在基层工会", "所属基层工会名称", "union", "unionname", "tradeunion", "grassrootsunion",
    ),
}
_ALIAS_TO_FIELD = {alias: key for key, aliases in _ALIASES.items() for alias in aliases}


def _fallback_field(norm: str) -> str | None:
    """Headers that are no alias but say what they are: 会员身份证号(18位) and the like."""
    if "身份证" in norm or "证件号" in norm or "身份号" in norm:
        return "id_number"
    if ("手机" in norm or "电话" in norm) and not any(w in norm for w in ("单位", "公司", "企业", "工会")):
        return "phone"
    if norm.endswith("姓名"):
        return "name"
    if norm.endswith(("工会", "工会名称")):
        return "union"
    if norm.endswith(("单位名称", "企业名称", "公司名称", "单位")):
        return "enterprise"
    return None


def guess_mapping(headers: Iterable[Cell]) -> dict[str, int]:
    """field -> column index, from header texts.  The first column wins a field."""
    norms = [normalize_header(h) for h in headers]
    mapping: dict[str, int] = {}
    for index, norm in enumerate(norms):
        key = _ALIAS_TO_FIELD.get(norm)
        if key and key not in mapping:
            mapping[key] = index
    used = set(mapping.values())
    for index, norm in enumerate(norms):
        if index in used or not norm:
            continue
        key = _fallback_field(norm)
        if key and key not in mapping:
            mapping[key] = index
            used.add(index)
    return {key: mapping[key] for key in FIELDS if key in mapping}


# -- preview ---------------------------------------------------------------------------


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


class UnmappedColumns(StationError):
    """Required fields have no column: the UI opens its mapping dialog, the CLI asks for --map."""

    def __init__(self, preview: FilePreview) -> None:
        super().__init__(
            "roster_unmapped" if preview.header_row else "roster_unmapped_headerless",
            file=preview.path.name,
            row=preview.header_row,
            headers=", ".join(h for h in preview.headers if h) or "-",
            missing=", ".join(field_label(k) for k in preview.missing),
            example=_MAP_EXAMPLE if preview.header_row else "A=姓名,B=身份证号码",
        )
        self.preview = preview

    def message(self, lang: str | None = None) -> str:
        # The missing fields are named in the language asked for.
        params = dict(self.params, missing=", ".join(field_label(k, lang) for k in self.preview.missing))
        return t(self.key, lang, **params)


def _is_blank(cells: list[Cell]) -> bool:
    for c in cells:
        if c is not None and c != "" and not (isinstance(c, str) and not c.strip()):
            return False
    return True


def _row_texts(cells: list[Cell], width: int) -> list[str]:
    texts = [cell_text(c).strip() for c in cells[:width]]
    texts.extend([""] * (width - len(texts)))
    return texts


def _looks_like_data(cells: list[Cell]) -> bool:
    """A row holding a valid ID number is data, not a header."""
    for c in cells:
        if isinstance(c, str) and 15 <= len(c.strip()) <= 24 and idnumber.check(c).number:
            return True
    return False


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


def _analyse(table: Table) -> FilePreview:
    head = table.head(HEADER_SCAN_ROWS + SAMPLE_ROWS + 20)
    width = max((len(r) for r in head), default=0)
    header_index: int | None = None
    mapping: dict[str, int] = {}
    # The header is the first row naming two or more fields; a row naming
    # both required ones wins over an earlier "单位：… 工会：…" caption row.
    for index, cells in enumerate(head[:HEADER_SCAN_ROWS]):
        guess = guess_mapping(cells)
        if len(guess) >= 2 and header_index is None:
            header_index, mapping = index, guess
        if all(k in guess for k in REQUIRED):
            header_index, mapping = index, guess
            break
    headerless = False
    if header_index is None:
        first = next((i for i, r in enumerate(head[:HEADER_SCAN_ROWS]) if not _is_blank(r)), None)
        if first is None:
            raise StationError("table_empty", path=table.path.name)
        if _looks_like_data(head[first]):
            headerless = True
            header_index = first - 1  # data starts at `first`
            data = [r for r in head[first:] if not _is_blank(r)][: SAMPLE_ROWS + 5]
            mapping = _sniff_columns(data, width)
        else:
            # No recognisable header: take the first row that reads like one
            # (two or more different texts) so the dialog can show its names.
            header_index = first
            for index, cells in enumerate(head[:HEADER_SCAN_ROWS]):
                texts = {squeeze(c) for c in cells if isinstance(c, str) and c.strip()}
                if len(texts) >= 2 and all(isinstance(c, str) or c is None for c in cells):
                    header_index = index
                    break
            mapping = guess_mapping(head[header_index])
    if headerless:
        headers = [column_letter(i) for i in range(width)]
    else:
        headers = _row_texts(head[header_index], width)
        headers = [h or column_letter(i) for i, h in enumerate(headers)]
    samples = [
        _row_texts(r, width) for r in head[header_index + 1 :] if not _is_blank(r)
    ][:SAMPLE_ROWS]
    estimate = None
    if table.rows_estimate is not None:
        estimate = max(0, table.rows_estimate - (header_index + 1))
    return FilePreview(
        path=table.path,
        header_row=0 if headerless else header_index + 1,
        data_start_row=header_index + 2,
        headers=headers,
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


# -- --map -----------------------------------------------------------------------------

_FIELD_NAMES: dict[str, str] = {}
for _key in FIELDS:
    for _name in (_key, FIELD_LABELS_ZH[_key], FIELD_LABELS_EN[_key]):
        _FIELD_NAMES[normalize_header(_name)] = _key
_LETTERS = re.compile(r"^[A-Za-z]{1,2}$")


def _column_of_letters(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def parse_mapping_option(text: str, headers: list[str]) -> dict[str, int]:
    """Parse the CLI's --map text: "证件号=id_number,电话=phone".

    Left of '=': the file's header text, a 1-based column number or a column
    letter.  Right: a field key (id_number), its Chinese name (身份证号码) or
    English name.  Items are separated by ',' '，' or ';'.

    Returns the complete mapping, field -> 0-based column: what was written,
    plus the columns recognised from their headers that the user did not
    reassign (so --map names only the columns the guess missed).  Raises
    StationError with a message that says what is wrong.
    """
    result: dict[str, int] = {}
    items = [item.strip() for item in re.split(r"[,，;；]", text or "") if item.strip()]
    if not items:
        raise StationError("map_syntax", item=text or "", example=_MAP_EXAMPLE)
    exact = {h: i for i, h in reversed(list(enumerate(headers)))}
    norms: dict[str, int] = {}
    for i, h in reversed(list(enumerate(headers))):
        norms[normalize_header(h)] = i
    for item in items:
        left, sep, right = item.replace("＝", "=").partition("=")
        left, right = left.strip(), right.strip()
        if not sep or not left or not right:
            raise StationError("map_syntax", item=item, example=_MAP_EXAMPLE)
        key = _FIELD_NAMES.get(normalize_header(right))
        if key is None:
            fields = ", ".join(f"{k} ({FIELD_LABELS_ZH[k]})" for k in FIELDS)
            raise StationError("map_unknown_field", field=right, fields=fields)
        if left in exact:
            col = exact[left]
        elif normalize_header(left) in norms:
            col = norms[normalize_header(left)]
        elif compact(left).isdigit():
            col = int(compact(left)) - 1
            if not 0 <= col < len(headers):
                raise StationError("map_column_range", column=left, count=len(headers))
        elif _LETTERS.match(left):
            col = _column_of_letters(left)
            if not 0 <= col < len(headers):
                raise StationError("map_column_range", column=left, count=len(headers))
        else:
            raise StationError("map_unknown_column", column=left, headers=", ".join(headers))
        if key in result:
            raise StationError("map_field_twice", field=right)
        if col in result.values():
            raise StationError("map_column_twice", column=left)
        result[key] = col
    return merge_mapping(guess_mapping(headers), result)


def merge_mapping(base: dict[str, int], override: dict[str, int]) -> dict[str, int]:
    """`base` (the guess) with `override` (the user's choice) on top.

    A column or a field named in `override` is taken out of `base` first,
    so a column is never imported as two fields.
    """
    taken = set(override.values())
    merged = {k: c for k, c in base.items() if k not in override and c not in taken}
    merged.update(override)
    return {k: merged[k] for k in FIELDS if k in merged}


def check_mapping(mapping: dict[str, int], preview: FilePreview, required: tuple[str, ...] = REQUIRED) -> dict[str, int]:
    """A user's mapping, checked against the file; UnmappedColumns when a `required` field has no column."""
    clean: dict[str, int] = {}
    for key, col in mapping.items():
        if key not in FIELDS:
            fields = ", ".join(f"{k} ({FIELD_LABELS_ZH[k]})" for k in FIELDS)
            raise StationError("map_unknown_field", field=key, fields=fields)
        if not isinstance(col, int) or isinstance(col, bool) or not 0 <= col < max(len(preview.headers), 1):
            raise StationError("map_column_range", column=col, count=len(preview.headers))
        if col in clean.values():
            raise StationError("map_column_twice", column=preview.headers[col])
        clean[key] = col
    missing = [k for k in required if k not in clean]
    if missing:
        preview.mapping = dict(clean)
        preview.missing = missing
        raise UnmappedColumns(preview)
    return clean


# -- checking rows (runs in worker processes for big files) ----------------------------

# A problem found while checking: (index in batch, field, value as text,
# message key, message params, True when the row is rejected).
Problem = tuple[int, str, str, str, dict, bool]

_NAME_CACHE: dict[str, tuple[str | None, str | None, dict, str]] = {}
_NAME_CACHE_MAX = 50_000  # names repeat (王伟, 李娜…); kept small: every worker holds its own


def _check_name(raw: str) -> tuple[str | None, str | None, dict, str]:
    hit = _NAME_CACHE.get(raw)
    if hit is None:
        clean, error, params = names.check(raw)
        hit = (clean, error, params, names.initials(clean) if clean else "")
        if len(_NAME_CACHE) >= _NAME_CACHE_MAX:
            _NAME_CACHE.clear()
        _NAME_CACHE[raw] = hit
    return hit


@dataclass(frozen=True)
class _Columns:
    """Where the fields are, and what the header says in the ID column."""

    name: int
    id_number: int
    phone: int | None
    enterprise: int | None
    union: int | None
    width: int
    header_id: str | None  # normalised header text of the ID column, to skip the header printed again


class _Checked(NamedTuple):
    """The outcome of checking one batch: plain lists, cheap to send between processes.

    Indexes count the batch's rows from 0 (blank ones included); the
    per-row lists describe the accepted rows only.  ID numbers and mobiles
    are there only encrypted (bound to the ID's index) and as blind
    indexes; the problems' ID and mobile values are masked.
    """

    rows: int  # rows in the batch
    data_rows: int  # rows that were not blank or a repeated header
    index: list[int]
    id_enc: list[bytes]
    id_bidx: list[bytes]
    id_tail: list[bytes]
    names: list[str]
    initials: list[str]
    phone_enc: list[bytes | None]
    phone_tail: list[bytes | None]
    enterprises: list[Cell]
    unions: list[Cell]
    problems: list[Problem]


# -- encrypting the accepted rows ------------------------------------------------------


class _TailIndexes(dict):
    """tail -> its blind index, computed on first sight (dict lookups from C after that)."""

    __slots__ = ("_index",)

    def __init__(self, cipher: FieldCipher, kind: str) -> None:
        super().__init__()
        self._index = partial(cipher.blind_index, kind)

    def __missing__(self, tail: str) -> bytes:
        value = self[tail] = self._index(tail)
        return value


_LAST4 = itemgetter(slice(-4, None))


class _RowCrypt:
    """The batch step that turns checked numbers into what the members table stores.

    Tail indexes have only ~11,000 (ID) and 10,000 (mobile) possible
    inputs, so each is computed once per process and then looked up.
    """

    __slots__ = ("_id_tails", "_phone_tails", "cipher")

    def __init__(self, cipher: FieldCipher) -> None:
        self.cipher = cipher
        self._id_tails = _TailIndexes(cipher, "id_tail")
        self._phone_tails = _TailIndexes(cipher, "phone_tail")

    def protect(
        self, numbers: list[str], phones: list[str | None]
    ) -> tuple[list[bytes], list[bytes], list[bytes], list[bytes | None], list[bytes | None]]:
        """(id_enc, id_bidx, id_tail_bidx, phone_enc, phone_tail_bidx) for normalised numbers and mobiles."""
        cipher = self.cipher
        id_bidx = cipher.blind_indexes("id", numbers)
        id_enc = cipher.encrypt_many("members", "id_number", numbers, binds=id_bidx)
        phone_enc = cipher.encrypt_many("members", "phone", phones, binds=id_bidx)
        id_tail = list(map(self._id_tails.__getitem__, map(_LAST4, numbers)))
        phone_tails = self._phone_tails
        phone_tail = [None if phone is None else phone_tails[phone[-4:]] for phone in phones]
        return id_enc, id_bidx, id_tail, phone_enc, phone_tail


# Set in each worker process by _init_worker, from the pool's initializer
# argument: the key arrives once, through the pipe that starts the worker.
# The importing process never sets it; it passes its own _RowCrypt.
_WORKER_CRYPT: _RowCrypt | None = None


def _init_worker(data_key: bytes) -> None:
    """ProcessPoolExecutor initializer: the worker's cipher, made once, and the checks' tables loaded."""
    global _WORKER_CRYPT
    _WORKER_CRYPT = _RowCrypt(FieldCipher(data_key))
    # Load pypinyin, phonenumbers and stdnum's table now, while the importing
    # process is still hashing the file, rather than in the first batch.
    names.initials("张三")
    mobile.check("13800138000")
    idnumber.address_code_known("441900")


def _ready() -> None:
    """A no-op job: submitting one makes the pool start a worker."""


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


def _check_rows(
    rows: list[list[Cell]], cols: _Columns, today: dt.date, skip: int = 0, crypt: _RowCrypt | None = None
) -> _Checked:
    """Check one batch of raw sheet rows with the station's rules; no database needed.

    The first `skip` rows (title rows and header) are passed over, and so
    are blank rows and the header printed again (sheets made of printed
    pages repeat it on every page).  Runs in worker processes for big files
    (crypt None: the worker's own); in this process the caller passes one.
    """
    crypt = crypt or _WORKER_CRYPT
    if crypt is None:
        raise RuntimeError("roster rows checked without a cipher")
    with _no_gc():
        return _check_rows_now(rows, cols, today, skip, crypt)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector off: bulk work makes only acyclic lists
    and tuples, and the collector's passes over them cost a tenth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_rows_now(rows: list[list[Cell]], cols: _Columns, today: dt.date, skip: int, crypt: _RowCrypt) -> _Checked:
    ok_index: list[int] = []
    enterprises: list[Cell] = []
    unions: list[Cell] = []
    # Equal enterprise names become one object, so sending them back to
    # the main process costs one copy per name rather than one per row.
    same: dict[Cell, Cell] = {}
    ent_col, union_col = cols.enterprise, cols.union
    numbers: list[str] = []
    clean_names: list[str] = []
    initials: list[str] = []
    phones: list[str | None] = []
    problems: list[Problem] = []
    id_check = idnumber.check
    phone_check = mobile.check
    name_col, id_col, phone_col, width, header_id = cols.name, cols.id_number, cols.phone, cols.width, cols.header_id
    data_rows = 0
    for index, cells in enumerate(rows):
        if index < skip or not any(cells):
            continue
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        id_raw = cells[id_col]
        if isinstance(id_raw, str):
            if not id_raw.strip() and _is_blank(cells):
                continue  # only spaces
            # ID cells start with a digit: only other text can be the header again.
            if header_id is not None and id_raw[:1].isalpha() and normalize_header(id_raw) == header_id:
                continue
        data_rows += 1
        result = id_check(id_raw, today)
        number = result.number
        name_raw = cells[name_col]
        name_text = name_raw if isinstance(name_raw, str) else cell_text(name_raw)
        name, name_error, name_params, name_initials = _check_name(name_text)
        if name_error:
            problems.append((index, "name", name_text, name_error, name_params, True))
        if number is None:
            problems.append((index, "id_number", mask_value("id_number", cell_text(id_raw)), result.error, {}, True))
            continue
        if name is None:
            continue
        if result.warning:
            problems.append((index, "id_number", mask_id(number), result.warning, {}, False))
        phone = None
        if phone_col is not None:
            phone_raw = cells[phone_col]
            if phone_raw != "" and phone_raw is not None:
                checked = phone_check(phone_raw)
                phone = checked.number
                if phone is None and checked.error != "phone_empty":
                    problems.append((index, "phone", mask_value("phone", cell_text(phone_raw)), checked.error, {}, False))
        ok_index.append(index)
        numbers.append(number)
        clean_names.append(name)
        initials.append(name_initials)
        phones.append(phone)
        if ent_col is not None:
            value = cells[ent_col]
            enterprises.append(same.setdefault(value, value))
        if union_col is not None:
            value = cells[union_col]
            unions.append(same.setdefault(value, value))
    id_enc, id_bidx, id_tail, phone_enc, phone_tail = crypt.protect(numbers, phones)
    return _Checked(
        len(rows), data_rows, ok_index, id_enc, id_bidx, id_tail, clean_names, initials, phone_enc, phone_tail,
        enterprises, unions, problems,
    )  # fmt: skip


def _check_csv_block(
    data: bytes, encoding: str, delimiter: str, skip: int, cols: _Columns, today: dt.date,
    crypt: _RowCrypt | None = None,
) -> _Checked:  # fmt: skip
    """Parse a block of CSV bytes (whole records) and check its rows: a worker's job."""
    return _check_rows(parse_csv_block(data, encoding, delimiter), cols, today, skip, crypt)


# -- progress and results --------------------------------------------------------------


@dataclass
class ImportProgress:
    """Reported at most about 10 times a second.

    stage: "reading" while rows are read and checked, "indexing" while the
    member indexes are rebuilt after a big import, "saving" at commit.
    """

    rows_done: int
    rows_total: int | None
    rows_per_s: float
    eta_s: float | None
    stage: str = "reading"


@dataclass
class ImportResult:
    batch_id: int
    batch_uuid: str
    file_name: str
    rows_read: int
    inserted: int
    updated: int
    rejected: int
    duplicates: int
    warnings: int
    report_path: Path | None
    elapsed_s: float

    def summary(self, lang: str | None = None) -> str:
        """One or two sentences for the CLI or a dialog."""
        text = t(
            "roster_summary",
            lang,
            file=self.file_name,
            rows=self.rows_read,
            inserted=self.inserted,
            updated=self.updated,
            rejected=self.rejected,
            duplicates=self.duplicates,
            warnings=self.warnings,
            seconds=f"{self.elapsed_s:.1f}",
        )
        if self.report_path:
            text += "\n" + t("roster_report_at", lang, path=self.report_path)
        return text


# -- the report ------------------------------------------------------------------------

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
        self._fh = None
        self._writer = None
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
        self._fh = self._partial.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._fh)
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


# -- enterprises and unions ------------------------------------------------------------


class _Orgs:
    """name -> id for enterprises and unions, creating rows on first sight."""

    def __init__(self, cur: sqlite3.Cursor, now: str) -> None:
        self.cur = cur
        self.now = now
        self.unions: dict[str, int] = {}
        for uid, name in cur.execute("SELECT id, name FROM unions"):
            self.unions.setdefault(clean_org_name(name), uid)
        self.enterprises: dict[str, list] = {}  # clean name -> [id, union_id]
        for eid, name, uid in cur.execute("SELECT id, name, union_id FROM enterprises"):
            self.enterprises.setdefault(clean_org_name(name), [eid, uid])
        self._raw_union: dict[Cell, tuple[int | None, bool]] = {}
        self._raw_ent: dict[Cell, tuple[list | None, bool]] = {}

    def union(self, raw: Cell) -> tuple[int | None, bool]:
        """(union id or None, too long)."""
        hit = self._raw_union.get(raw)
        if hit is None:
            name = clean_org_name(cell_text(raw))
            if not name:
                hit = (None, False)
            elif len(name) > MAX_ORG_NAME:
                hit = (None, True)
            else:
                uid = self.unions.get(name)
                if uid is None:
                    self.cur.execute("INSERT INTO unions (name, created_at) VALUES (?, ?)", (name, self.now))
                    uid = self.unions[name] = self.cur.lastrowid
                hit = (uid, False)
            self._raw_union[raw] = hit
        return hit

    def enterprise(self, raw: Cell, union_id: int | None) -> tuple[list | None, bool]:
        """([id, union_id] or None, too long); gives the enterprise a union if it has none."""
        hit = self._raw_ent.get(raw)
        if hit is None:
            name = clean_org_name(cell_text(raw))
            if not name:
                hit = (None, False)
            elif len(name) > MAX_ORG_NAME:
                hit = (None, True)
            else:
                ent = self.enterprises.get(name)
                if ent is None:
                    self.cur.execute(
                        "INSERT INTO enterprises (name, union_id, created_at) VALUES (?, ?, ?)",
                        (name, union_id, self.now),
                    )
                    ent = self.enterprises[name] = [self.cur.lastrowid, union_id]
                hit = (ent, False)
            self._raw_ent[raw] = hit
        ent = hit[0]
        if ent is not None and ent[1] is None and union_id is not None:
            self.cur.execute("UPDATE enterprises SET union_id = ? WHERE id = ?", (union_id, ent[0]))
            ent[1] = union_id
        return hit


# -- the import ------------------------------------------------------------------------

# A person is their ID's blind index.  An update keeps the stored ID
# ciphertext (same number, same index) and a known mobile when the file has
# none; a new mobile comes with its own tail index.
_UPSERT = """
INSERT INTO members (id_enc, id_bidx, id_tail_bidx, name, initials, phone_enc, phone_tail_bidx,
                     enterprise_id, union_id, on_roster, last_import_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, :batch, :now, :now)
ON CONFLICT (id_bidx) DO UPDATE SET
    id_enc = COALESCE(members.id_enc, excluded.id_enc),
    name = excluded.name,
    initials = excluded.initials,
    phone_enc = COALESCE(excluded.phone_enc, members.phone_enc),
    phone_tail_bidx = COALESCE(excluded.phone_tail_bidx, members.phone_tail_bidx),
    enterprise_id = COALESCE(excluded.enterprise_id, members.enterprise_id),
    union_id = COALESCE(excluded.union_id, members.union_id),
    on_roster = 1,
    last_import_id = excluded.last_import_id,
    updated_at = excluded.updated_at
"""


# Into an empty members table (see _run): the same row, nothing to update.
_INSERT = _UPSERT[: _UPSERT.index("ON CONFLICT")]


def _timestamp(moment: dt.datetime) -> str:
    # The format SQLAlchemy's SQLite DateTime type writes and reads back.
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _worker_count(rows_estimate: int | None, requested: int | None) -> int:
    if requested is not None:
        return max(0, requested)
    env = os.environ.get("STATION_IMPORT_WORKERS")
    if env is not None and env.strip().isdigit():
        return int(env)
    # A frozen program's workers start through packaging/entry.py, which
    # calls multiprocessing.freeze_support() before anything else.
    if not rows_estimate or rows_estimate < PARALLEL_MIN_ROWS:
        return 0
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return 0
    # Checking is most of the work; this process mostly waits on SQLite.
    # Measured on 2 cores: 1 worker 21 s, 2 workers 20 s, none 23 s.
    return min(cpus, 4)


def _should_rebuild_indexes(expected_rows: int | None, existing_rows: int) -> bool:
    """Whether to drop the members table's secondary indexes and build them
    again after the rows are in, rather than update six indexes per row.

    Rebuilding costs a sort of the whole table (about 2.6 s per million
    rows); keeping them costs about 15 µs per new row and 35 µs per updated
    row (an upsert rewrites the index entries of every column it sets).
    Measured on 1,000,000 rows: into an empty store 18 s of inserts with the
    indexes kept, 4.4 s plus 2.5 s of rebuilding without; again into the
    same store 38 s kept.  So rebuild once the file is a fifth of the table.
    """
    return bool(expected_rows) and expected_rows >= max(REBUILD_INDEX_MIN_ROWS, existing_rows // 5)


class _Cancelled(Exception):
    pass


class _Pacer:
    """Calls the progress callback at most every PROGRESS_INTERVAL_S."""

    def __init__(self, callback: Callable[[ImportProgress], None] | None, total: int | None) -> None:
        self.callback = callback
        self.total = total
        self.started = time.monotonic()
        self.last = 0.0
        self.finish_estimate_s = 0.0

    def __call__(self, done: int, stage: str = "reading", force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_INTERVAL_S:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        eta = None
        if stage == "reading" and self.total and rate > 0:
            eta = max(0.0, (max(self.total, done) - done) / rate) + self.finish_estimate_s
        total = max(self.total, done) if self.total is not None else None
        self.callback(ImportProgress(done, total, rate, eta, stage))


def import_roster(
    store: Store,
    path: Path,
    *,
    mapping: dict[str, int] | None = None,
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    report_dir: Path | None = None,
    workers: int | None = None,
    operator: OperatorSession,
) -> ImportResult:
    """Import a roster file into `store` in one transaction.

    operator: the logged-in organizer (StationError not_permitted for
    anyone else); their cipher encrypts the rows, and the import is
    audited under their name.

    mapping: field -> 0-based column, complete (fields left out are not
    imported); None uses the guess from preview_file().  Raises
    UnmappedColumns when name or ID number has no column, StationError for
    unreadable files and for cancel ("cancelled"); in every error case the
    store is unchanged and no report is left behind.  progress is called
    from this thread, at most about 10 times a second; cancel is polled
    every few thousand rows and while indexes are rebuilt.  workers: number
    of checking processes (None: automatic, 0: check in this process).
    The report (rejected and warned rows) goes to report_dir or the store's
    reports folder, only when there is something in it.
    """
    operator.require("import")
    started = time.monotonic()
    started_at = _timestamp(_now())
    path = Path(path)
    _refuse_unconverted(store)
    table, preview = inspect_file(path)
    if mapping is None:
        if preview.missing:
            raise UnmappedColumns(preview)
        chosen = dict(preview.mapping)
    else:
        chosen = check_mapping(dict(mapping), preview)
    n_workers = _worker_count(preview.rows_estimate, workers)
    # Workers take a second or so to start and load their tables: started
    # now, they get ready while this process hashes the file and begins.
    pool = _start_pool(n_workers, operator.cipher.data_key) if n_workers else None
    lang = get_lang()
    report = RowReport(Path(report_dir) if report_dir else store.paths.reports, path, lang)
    should_cancel = cancel or (lambda: False)
    conn = None
    report_path: Path | None = None
    crypt = _RowCrypt(operator.cipher)
    try:
        sha256 = file_sha256(path)
        if preview.other_sheets:
            report.add(
                "",
                "",
                preview.sheet or "",
                t("roster_other_sheets", lang, sheets=", ".join(preview.other_sheets), sheet=preview.sheet),
                False,
            )
        column_names = {
            k: preview.headers[c] if c < len(preview.headers) else column_letter(c) for k, c in chosen.items()
        }
        conn = store.engine.connect()
        con: sqlite3.Connection = conn.connection.driver_connection
        conn.detach()  # this connection's settings are changed below; it never goes back to the pool
        con.isolation_level = None  # explicit BEGIN / COMMIT below
        # The import inserts only ids it has just read or made itself, in
        # this transaction; checking three foreign keys per row would cost
        # a fifth of the time.
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}")
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _storage_error(exc) from exc
        try:
            with _no_gc():
                counts = _run(
                    con,
                    table,
                    preview,
                    chosen,
                    column_names,
                    report,
                    pool,
                    n_workers,
                    _Pacer(progress, preview.rows_estimate),
                    should_cancel,
                    path,
                    sha256,
                    started_at,
                    crypt,
                )
            report_path = report.finish()
            if report_path is not None:
                con.execute(
                    "UPDATE import_batches SET report_path = ? WHERE id = ?", (str(report_path), counts["batch_id"])
                )
            _audit(store, conn, operator, path, sha256, counts)
            if progress is not None:
                rate = counts["rows_read"] / max(time.monotonic() - started, 1e-6)
                progress(ImportProgress(counts["rows_read"], counts["rows_read"], rate, None, "saving"))
            commit_started = time.monotonic()
            con.execute("COMMIT")
            commit_s = time.monotonic() - commit_started
        except BaseException as exc:
            _rollback(con)
            report.discard()
            if report_path is not None:
                report_path.unlink(missing_ok=True)
            if isinstance(exc, _Cancelled) or (
                isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc) and should_cancel()
            ):
                raise StationError("cancelled") from None
            if isinstance(exc, sqlite3.OperationalError):
                raise _storage_error(exc) from exc
            raise
    except BaseException:
        report.discard()  # a failure before the rows (hashing, a locked store): no report either
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if conn is not None:
            conn.close()
    elapsed = time.monotonic() - started
    result = ImportResult(
        batch_id=counts["batch_id"],
        batch_uuid=counts["batch_uuid"],
        file_name=path.name,
        rows_read=counts["rows_read"],
        inserted=counts["inserted"],
        updated=counts["updated"],
        rejected=counts["rejected"],
        duplicates=counts["duplicates"],
        warnings=counts["warnings"],
        report_path=report_path,
        elapsed_s=elapsed,
    )
    log.info(
        "roster %s imported: %d read, %d new, %d updated, %d rejected, %d duplicates, %d warnings, "
        "%.1f s (%d workers; rows %.1f s, indexes %.1f s, commit %.1f s)",
        path.name, result.rows_read, result.inserted, result.updated, result.rejected,
        result.duplicates, result.warnings, elapsed, n_workers, *counts["timing"], commit_s,
    )  # fmt: skip
    return result


def _now() -> dt.datetime:
    from station.store.clock import now_utc

    return now_utc()


def _refuse_unconverted(store: Store) -> None:
    """A store made before encryption must be converted first (station.security.protect).

    Its members are known by their clear ID only, so an import could not
    find them and would add each person a second time.
    """
    with store.engine.connect() as c:
        legacy = c.exec_driver_sql(
            "SELECT 1 FROM members WHERE id_bidx IS NULL AND id_number IS NOT NULL LIMIT 1"
        ).first()
    if legacy is not None:
        raise StationError("import_needs_encryption")


def _audit(store: Store, conn, operator: OperatorSession, path: Path, sha256: str, counts: dict) -> None:
    """The file's `import` entry, written in the import's own transaction (no personal data)."""
    from sqlalchemy.orm import Session

    from station.security import audit

    details = {
        "kind": "roster",
        "file": mask_personal_runs(path.name)[:200],
        "sha256": sha256,
        "rows_read": counts["rows_read"],
        "inserted": counts["inserted"],
        "updated": counts["updated"],
        "rejected": counts["rejected"],
        "duplicates": counts["duplicates"],
        "warnings": counts["warnings"],
    }
    # The session shares the connection and so the open BEGIN IMMEDIATE.
    # SQLAlchemy is told a transaction is on (a no-op for sqlite3), so the
    # session joins it and neither commits nor rolls it back: the caller's
    # COMMIT writes the rows and their entry together.
    if not conn.in_transaction():
        conn.begin()
    with Session(bind=conn) as s:
        audit.append(
            store, "import", operator=operator.name, target=counts["batch_uuid"], details=details,
            cipher=operator.cipher, db=s,
        )  # fmt: skip
        s.flush()


def _rollback(con: sqlite3.Connection) -> None:
    try:
        if con.in_transaction:
            con.execute("ROLLBACK")
    except sqlite3.Error:
        log.exception("rollback after a failed roster import failed")


def _storage_error(exc: sqlite3.OperationalError) -> StationError | sqlite3.OperationalError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StationError("db_locked")
    if "full" in text:
        return StationError("roster_disk_full")
    return exc


def _start_pool(n: int, data_key: bytes):
    """Worker processes that check and encrypt rows.

    The data key goes to each worker once, as the initializer's argument:
    spawned workers receive it through the pipe that starts them, never
    through a file, the environment or the per-batch job queue.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = None
    try:
        pool = ProcessPoolExecutor(
            max_workers=n,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(data_key,),
        )
        for _ in range(n):  # spawned workers start one per job submitted: start them all now
            pool.submit(_ready)
        return pool
    except (OSError, ValueError, NotImplementedError):  # no processes on this system: check in-process
        log.warning("roster import: worker processes unavailable, checking in-process", exc_info=True)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        return None


def _batches(table: Table, start_row: int) -> Iterator[tuple[int, list[list[Cell]]]]:
    """(row number of the first row, raw rows) for the rows from start_row on.

    Rows arrive numbered consecutively, blank ones included, so a batch is
    its first row number and a list; the checking skips the blank ones.
    """
    batch: list[list[Cell]] = []
    first = start_row
    append = batch.append
    for number, cells in table.rows():
        if number < start_row:
            continue
        if not batch:
            first = number
        append(cells)
        if len(batch) >= CHUNK_ROWS:
            yield first, batch
            batch = []
            append = batch.append
    if batch:
        yield first, batch


def _run(
    con: sqlite3.Connection,
    table: Table,
    preview: FilePreview,
    mapping: dict[str, int],
    column_names: dict[str, str],
    report: RowReport,
    pool,
    n_workers: int,
    pace: _Pacer,
    cancel: Callable[[], bool],
    path: Path,
    sha256: str,
    started_at: str,
    crypt: _RowCrypt,
) -> dict:
    from station.store.models import new_uuid

    cur = con.cursor()
    now = _timestamp(_now())
    batch_uuid = new_uuid()
    cur.execute(
        "INSERT INTO import_batches (uuid, kind, file_name, file_sha256, started_at, rows_read, rows_inserted,"
        " rows_updated, rows_rejected, rows_duplicate, rows_warned) VALUES (?, 'roster', ?, ?, ?, 0, 0, 0, 0, 0, 0)",
        (batch_uuid, mask_personal_runs(path.name)[:500], sha256, started_at),
    )
    batch_id = cur.lastrowid
    existing = cur.execute("SELECT count(*) FROM members").fetchone()[0]
    rebuilt: list[tuple[str, str]] = []
    statement = _UPSERT
    if _should_rebuild_indexes(preview.rows_estimate, existing):
        # The upsert finds people through the unique ID index, so it stays
        # unless the table is empty: then nobody can be there already, the
        # file's own repeats are caught by `seen` below, and plain inserts
        # with the unique index built once at the end cost less.  (Building
        # it cannot fail; if it did, the whole import would roll back.)
        query = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL"
        )
        if existing:
            query += " AND sql NOT LIKE 'CREATE UNIQUE %'"
        else:
            statement = _INSERT
            # Appending rows to a table without indexes needs only its last
            # pages in the cache: 8 MiB instead of 32 was as fast (1 M rows)
            # and leaves room for the duplicate set in the memory budget.
            cur.execute(f"PRAGMA cache_size = -{_APPEND_CACHE_KIB}")
        rebuilt = cur.execute(query).fetchall()
        for name, _sql in rebuilt:
            cur.execute(f'DROP INDEX "{name}"')
        # About 3 µs a row to rebuild them (plus the commit); shown in the time left.
        pace.finish_estimate_s = (existing + (preview.rows_estimate or 0)) * 3.5e-6
    # The batch id and the time are the same for every row: written into
    # the statement once rather than bound a million times.
    upsert = statement.replace(":batch", str(int(batch_id))).replace(":now", f"'{now}'")

    orgs = _Orgs(cur, now)
    today = dt.date.today()
    seen: dict[bytes, int] = {}  # ID blind index -> row number of its first row
    counts = {"rows_read": 0, "rejected": 0, "duplicates": 0, "warnings": 0}
    lang = report.lang
    no_org = (None, None, None)
    pair_cache: dict[tuple[Cell, Cell], tuple] = {}

    def resolve_orgs(ent_raw: Cell, union_raw: Cell) -> tuple:
        """(enterprise [id, union_id] or None, union id or None, warnings or None)."""
        warnings = None
        union_id, too_long = orgs.union(union_raw) if union_raw not in ("", None) else (None, False)
        if too_long:
            warnings = [("union", cell_text(union_raw), "roster_org_dropped")]
        ent = None
        if ent_raw not in ("", None):
            ent, too_long = orgs.enterprise(ent_raw, union_id)
            if too_long:
                warnings = (warnings or []) + [("enterprise", cell_text(ent_raw), "roster_org_dropped")]
        return ent, union_id, warnings

    ent_col = mapping.get("enterprise")
    union_col = mapping.get("union")
    has_orgs = ent_col is not None or union_col is not None

    def consume(first_row: int, checked: _Checked) -> None:
        entries: list[tuple[int, str, str, str, bool, str]] = []
        warnings_of: dict[int, list] = {}
        rejected_rows = set()
        for index, fld, value, key, kw, is_reject in checked.problems:
            if is_reject:
                rejected_rows.add(index)
                entries.append((first_row + index, column_names[fld], value, t(key, lang, **kw), True, fld))
            else:
                warnings_of.setdefault(index, []).append((fld, value, key))
        params = []
        add = params.append
        duplicates = warned = 0
        n = len(checked.index)
        ents = checked.enterprises or [""] * n
        unis = checked.unions or [""] * n
        for index, id_enc, id_bidx, id_tail, name, ini, phone_enc, phone_tail, ent_raw, union_raw in zip(
            checked.index, checked.id_enc, checked.id_bidx, checked.id_tail, checked.names, checked.initials,
            checked.phone_enc, checked.phone_tail, ents, unis,
        ):  # fmt: skip
            line = first_row + index
            first = seen.setdefault(id_bidx, line)
            if first != line:
                duplicates += 1
                # Rare: the masked number for the report is read back from its ciphertext.
                shown = mask_id(crypt.cipher.decrypt("members", "id_number", id_enc, id_bidx))
                entries.append(
                    (line, column_names["id_number"], shown, t("roster_duplicate_id", lang, first=first), True, "id_number")
                )
                continue
            ent_id = union_id = warn_orgs = None
            if has_orgs:
                pair = (ent_raw, union_raw)
                hit = pair_cache.get(pair)
                if hit is None:
                    hit = pair_cache[pair] = resolve_orgs(*pair) if pair != ("", "") else no_org
                ent, union_id, warn_orgs = hit
                if ent is not None:
                    ent_id = ent[0]
                    if union_id is None:
                        union_id = ent[1]
            row_warnings = warnings_of.get(index)
            if row_warnings or warn_orgs:
                warned += 1
                for fld, value, key in (row_warnings or []) + (warn_orgs or []):
                    if fld == "phone":
                        reason = t("roster_phone_dropped", lang, reason=t(key, lang))
                    elif key == "roster_org_dropped":
                        reason = t(key, lang, max=MAX_ORG_NAME)
                    else:
                        reason = t(key, lang)
                    entries.append((line, column_names[fld], value, reason, False, fld))
            add((id_enc, id_bidx, id_tail, name, ini, phone_enc, phone_tail, ent_id, union_id))
        if params:
            cur.executemany(upsert, params)
        if entries:
            entries.sort(key=lambda e: e[0])
            for entry in entries:
                report.add(*entry)
        counts["rejected"] += len(rejected_rows)
        counts["duplicates"] += duplicates
        counts["warnings"] += warned
        counts["rows_read"] += checked.data_rows

    pending: deque = deque()
    in_flight = 2 * n_workers + 1
    id_col = mapping["id_number"]
    cols = _Columns(
        name=mapping["name"],
        id_number=id_col,
        phone=mapping.get("phone"),
        enterprise=ent_col,
        union=union_col,
        width=max(mapping.values()) + 1,
        header_id=normalize_header(preview.headers[id_col]) if preview.header_row else None,
    )
    next_row = [1]

    def take(checked: _Checked) -> None:
        first_row = next_row[0]
        next_row[0] += checked.rows
        consume(first_row, checked)

    blocks = csv_blocks(table) if pool is not None else None
    if blocks is not None:
        # Workers decode, parse and check whole blocks of the file; this
        # process only writes.  The first block's title rows and header
        # are skipped by the worker.
        jobs = (
            (_check_csv_block, data, table.encoding, table.delimiter, preview.data_start_row - 1 if i == 0 else 0)
            for i, data in enumerate(blocks)
        )
    else:
        next_row[0] = preview.data_start_row
        jobs = ((_check_rows, rows) for _first, rows in _batches(table, preview.data_start_row))
    for job in jobs:
        if cancel():
            raise _Cancelled
        if pool is not None:
            pending.append((pool.submit(*job, cols, today), job))
            while len(pending) >= in_flight:
                pool = _take_next(pending, take, pool, cols, today, table, crypt)
        else:
            take(_run_job(job, cols, today, table, crypt))
        pace(counts["rows_read"])
    while pending:
        if cancel():
            raise _Cancelled
        pool = _take_next(pending, take, pool, cols, today, table, crypt)
        pace(counts["rows_read"])
    if counts["rows_read"] == 0 and not report.lines:
        raise StationError("roster_no_rows", file=path.name, row=preview.header_row)
    pace(counts["rows_read"], force=True)

    read_s = time.monotonic() - pace.started
    # A million 16-byte indexes and their row numbers (~120 MB) are no use
    # from here on: give them back before the index sorts need memory.
    seen.clear()
    pair_cache.clear()
    if rebuilt:
        done = counts["rows_read"]
        # A small page cache makes SQLite sort in runs it can merge with
        # helper threads: measured 2.5 s instead of 5 s for six indexes
        # over a million rows.
        cur.execute("PRAGMA cache_size = -2000")
        cur.execute("PRAGMA threads = 2")
        pace(done, "indexing", force=True)

        def on_progress() -> int:
            if cancel():
                return 1  # interrupts the statement; the caller rolls back
            pace(done, "indexing")
            return 0

        con.set_progress_handler(on_progress, _PROGRESS_OPS)
        try:
            for _name, sql in rebuilt:
                cur.execute(sql)
        finally:
            con.set_progress_handler(None, 0)
    counts["timing"] = (read_s, time.monotonic() - pace.started - read_s)
    total = cur.execute("SELECT count(*) FROM members").fetchone()[0]
    accepted = counts["rows_read"] - counts["rejected"] - counts["duplicates"]
    inserted = total - existing
    counts.update(batch_id=batch_id, batch_uuid=batch_uuid, inserted=inserted, updated=accepted - inserted)
    cur.execute(
        "UPDATE import_batches SET finished_at = ?, rows_read = ?, rows_inserted = ?, rows_updated = ?,"
        " rows_rejected = ?, rows_duplicate = ?, rows_warned = ? WHERE id = ?",
        (
            _timestamp(_now()),
            counts["rows_read"],
            inserted,
            accepted - inserted,
            counts["rejected"],
            counts["duplicates"],
            counts["warnings"],
            batch_id,
        ),
    )
    return counts


def _run_job(job: tuple, cols: _Columns, today: dt.date, table: Table, crypt: _RowCrypt) -> _Checked:
    """Check a batch in this process."""
    try:
        return job[0](*job[1:], cols, today, crypt=crypt)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _read_error(exc, table) from exc


def _read_error(exc: Exception, table: Table) -> StationError:
    """A worker's decoding or CSV error, as the sentence the reader would have given."""
    if isinstance(exc, UnicodeDecodeError):
        row = first_undecodable_line(table.path, table.encoding)
        return StationError("table_encoding_at", path=table.path.name, row=row or "?")
    return StationError("table_csv_error", path=table.path.name, row="?", reason=exc)


def _take_next(pending: deque, take, pool, cols: _Columns, today: dt.date, table: Table, crypt: _RowCrypt):
    """Use the oldest batch's result: results are used in file order, so the
    first of two rows with the same ID is the one imported."""
    future, job = pending.popleft()
    try:
        checked = future.result()
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _read_error(exc, table) from exc
    except Exception as exc:
        from concurrent.futures.process import BrokenProcessPool

        if not isinstance(exc, BrokenProcessPool):
            raise
        # A worker died (killed, out of memory): finish in this process.
        log.warning("roster import: worker processes failed, checking in-process", exc_info=True)
        pool.shutdown(wait=False, cancel_futures=True)
        take(_run_job(job, cols, today, table, crypt))
        while pending:
            _future, later = pending.popleft()
            take(_run_job(later, cols, today, table, crypt))
        return None
    take(checked)
    return pool
