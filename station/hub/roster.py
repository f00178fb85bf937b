"""Loading a union's roster file into the hub (`station hub roster import`).

The file is read and its columns found exactly as the station does it
(station/roster/tabular.py through station/roster/detection.py's ``inspect_file``
and mapping.py's ``--map`` handling), and every row is checked with the station's rules
(station/people/idnumber.py, mobile.py, names.py).  The writing is the hub's own:
members upserted by ID number, a new change seq only for rows that changed,
one transaction for the whole file.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from station.hub.db import HubDb
from station.hub.service import upsert_roster
from station.people import idnumber, mobile, names
from station.people.textnorm import clean_org_name
from station.roster.detection import inspect_file
from station.roster.mapping import check_mapping, normalize_header, parse_mapping_option
from station.roster.tabular import Cell, cell_text

BATCH = 5000
MAX_ORG = 200


@dataclass
class RosterResult:
    file_name: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    problems: list[tuple[int, str, str | None]] = field(default_factory=list)  # (row, field, message key)
    elapsed_s: float = 0.0

    def as_json(self) -> dict:
        return {"file": self.file_name, "rows_read": self.rows_read, "inserted": self.inserted, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected, "duplicates": self.duplicates,
                "elapsed_s": round(self.elapsed_s, 3),
                "problems": [{"row": r, "field": f, "reason": k} for r, f, k in self.problems[:1000]]}


def _org(value) -> str | None:
    text = clean_org_name(cell_text(value)) if value not in (None, "") else ""
    return text[:MAX_ORG] or None


def import_roster(db: HubDb, path: Path, mapping_text: str | None = None, today: dt.date | None = None) -> RosterResult:
    start = time.perf_counter()
    path = Path(path)
    table, preview = inspect_file(path)
    mapping = parse_mapping_option(mapping_text, preview.headers) if mapping_text else preview.mapping
    mapping = check_mapping(mapping, preview)
    header_id = normalize_header(preview.headers[mapping["id_number"]]) if preview.header_row else None
    res = RosterResult(path.name)
    seen: set[str] = set()
    cache: dict = {}
    batch: list[tuple] = []
    with db.session() as s:
        def flush() -> None:
            ins, upd, same = upsert_roster(s, batch, cache)
            res.inserted += ins
            res.updated += upd
            res.unchanged += same
            batch.clear()

        for number, cells in table.rows():
            if number < preview.data_start_row or not any(c not in (None, "") for c in cells):
                continue
            id_raw = _cell(cells, mapping, "id_number")
            if header_id and isinstance(id_raw, str) and normalize_header(id_raw) == header_id:
                continue  # the header printed again on every page
            res.rows_read += 1
            checked = idnumber.check(id_raw, today)
            name, name_error, _ = names.check(cell_text(_cell(cells, mapping, "name")))
            if checked.number is None or name is None:
                res.rejected += 1
                res.problems.append((number, "id_number" if checked.number is None else "name",
                                     checked.error if checked.number is None else name_error))
                continue
            if checked.number in seen:
                res.duplicates += 1
                continue
            seen.add(checked.number)
            phone = None
            phone_raw = _cell(cells, mapping, "phone")
            if phone_raw not in (None, ""):
                phone = mobile.check(phone_raw).number
            ent, union = _cell(cells, mapping, "enterprise"), _cell(cells, mapping, "union")
            batch.append((checked.number, name, phone, _org(ent), _org(union)))
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
        s.commit()
    res.elapsed_s = time.perf_counter() - start
    return res


def _cell(cells: list[Cell], mapping: dict[str, int], key: str) -> Cell:
    """The row's cell for a field, None when the field has no column or the row is short."""
    return cells[mapping[key]] if key in mapping and mapping[key] < len(cells) else None
