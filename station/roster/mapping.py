"""Which column holds which field: the field names, header aliases and the user's mapping.

Pure rules shared by the station's import (station.roster.importer), the
paper sign-up import and the hub's roster import: header texts are
normalised and matched against the names union offices use for each field
(guess_mapping); the CLI's --map text and a mapping dialog's choice are
parsed, merged with the guess and checked against the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from station.errors import StationError
from station.i18n import t
from station.people.textnorm import compact
from station.roster.tabular import Cell, cell_text

if TYPE_CHECKING:
    from station.roster.detection import FilePreview

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

MAP_EXAMPLE = "证件号=身份证号码,电话=手机号码"



# The message key of each field's label: one constant each, never a key built at run time.
FIELD_KEYS: dict[str, str] = {
    "name": "roster_field_name",
    "id_number": "roster_field_id_number",
    "phone": "roster_field_phone",
    "enterprise": "roster_field_enterprise",
    "union": "roster_field_union",
}


def field_label(key: str, lang: str | None = None) -> str:
    """The field's name as users know it (姓名 / Name)."""
    return t(FIELD_KEYS[key], lang)


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


class UnmappedColumns(StationError):
    """Required fields have no column: the UI opens its mapping dialog, the CLI asks for --map."""

    def __init__(self, preview: FilePreview) -> None:
        super().__init__(
            "roster_unmapped" if preview.header_row else "roster_unmapped_headerless",
            file=preview.path.name,
            row=preview.header_row,
            headers=", ".join(h for h in preview.headers if h) or "-",
            missing=", ".join(field_label(k) for k in preview.missing),
            example=MAP_EXAMPLE if preview.header_row else "A=姓名,B=身份证号码",
        )
        self.preview = preview

    def message(self, lang: str | None = None) -> str:
        # The missing fields are named in the language asked for.
        params = dict(self.params, missing=", ".join(field_label(k, lang) for k in self.preview.missing))
        return t(self.key, lang, **params)


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
        raise StationError("map_syntax", item=text or "", example=MAP_EXAMPLE)
    exact = {h: i for i, h in reversed(list(enumerate(headers)))}
    norms: dict[str, int] = {}
    for i, h in reversed(list(enumerate(headers))):
        norms[normalize_header(h)] = i
    for item in items:
        left, sep, right = item.replace("＝", "=").partition("=")
        left, right = left.strip(), right.strip()
        if not sep or not left or not right:
            raise StationError("map_syntax", item=item, example=MAP_EXAMPLE)
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

