"""Paper fallback: sign-ups written on paper at the booth, typed up afterwards.

The sheet goes through the same reading and column recognition as a roster
(station.roster.detection, station.roster.mapping) and every row through
the same sign-up steps (``register_in``) as the booth form, so a typed-up sign-up is checked exactly like a live one.
The whole file is one transaction: all good rows or nothing.

Only an organizer imports; the rows are signed up under their session
(their data key encrypts each ID and mobile), the report of rejected rows
shows ID numbers and mobiles masked, and each file leaves one ``import``
entry in the audit log, in the same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from station.errors import StationError
from station.i18n import get_lang, t
from station.roster.detection import FilePreview, inspect_file
from station.roster.importer import ImportProgress
from station.roster.mapping import check_mapping, field_label, normalize_header
from station.roster.report import RowReport, mask_personal_runs
from station.roster.tabular import Table, cell_text, file_sha256
from station.security import audit
from station.security.operators import OperatorSession
from station.signup import service as signup
from station.signup.booth import SessionInfo, current_session, session_info
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import ImportBatch

REQUIRED = ("name", "id_number", "phone")
_PROGRESS_EVERY = 50


@dataclass(frozen=True)
class PaperImportResult:
    batch_uuid: str
    file_name: str
    rows_read: int
    roster: int
    new: int
    already: int
    rejected: int
    report_path: Path | None
    elapsed_s: float

    def as_json(self) -> dict:
        return {
            "batch_uuid": self.batch_uuid,
            "file": self.file_name,
            "rows_read": self.rows_read,
            "roster": self.roster,
            "new": self.new,
            "already": self.already,
            "rejected": self.rejected,
            "report": str(self.report_path) if self.report_path else None,
            "elapsed_s": round(self.elapsed_s, 3),
        }


def import_paper(
    store: Store,
    path: Path,
    *,
    consent_confirmed: bool,
    mapping: dict[str, int] | None = None,
    session: SessionInfo | int | None = None,
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    report_dir: Path | None = None,
    operator: OperatorSession,
) -> PaperImportResult:
    """Sign up every good row of a paper sheet at the open (or given) session.

    operator: the logged-in organizer (StationError not_permitted for
    anyone else); the rows are signed up under their session.
    consent_confirmed: the organizer confirms each person signed the paper
    consent form; without it nothing is read.  Raises UnmappedColumns when
    name, ID number or mobile has no column; StationError("cancelled") with
    the store unchanged.  Rows already signed up are counted and listed in
    the report as warnings; bad rows are rejected with the reason.
    """
    operator.require("import")
    if not consent_confirmed:
        raise StationError("paper_consent_required")
    info = current_session(store) if session is None else session_info(store, session) if isinstance(session, int) else session
    if info is None:
        raise StationError("no_session")
    started = time.monotonic()
    path = Path(path)
    table, preview = inspect_file(path)
    chosen = check_mapping(dict(preview.mapping if mapping is None else mapping), preview, REQUIRED)
    column_of = {k: preview.headers[c] if c < len(preview.headers) else field_label(k) for k, c in chosen.items()}
    lang = get_lang()
    report = RowReport(Path(report_dir) if report_dir else store.paths.reports, path, lang)
    counts = {signup.OUTCOME_ROSTER: 0, signup.OUTCOME_NEW: 0, signup.OUTCOME_ALREADY: 0, "rejected": 0}
    rows_read = 0
    total = preview.rows_estimate
    should_cancel = cancel or (lambda: False)
    sha256 = file_sha256(path)
    with store.session() as s:
        batch = ImportBatch(kind="paper", file_name=mask_personal_runs(path.name)[:500], file_sha256=sha256, started_at=now_utc())
        s.add(batch)
        s.flush()
        try:
            for line, values in _data_rows(table, preview, chosen):
                rows_read += 1
                _one_row(store, s, operator, info, batch, line, values, column_of, report, counts, lang)
                if rows_read % _PROGRESS_EVERY == 0:
                    if should_cancel():
                        raise StationError("cancelled")
                    if progress is not None:
                        rate = rows_read / max(time.monotonic() - started, 1e-6)
                        eta = (total - rows_read) / rate if total and total > rows_read else None
                        progress(ImportProgress(rows_read, total, rate, eta))
            if should_cancel():
                raise StationError("cancelled")
            batch.rows_read = rows_read
            batch.rows_inserted = counts[signup.OUTCOME_ROSTER] + counts[signup.OUTCOME_NEW]
            batch.rows_duplicate = counts[signup.OUTCOME_ALREADY]
            batch.rows_rejected = counts["rejected"]
            batch.finished_at = now_utc()
            report_path = report.finish()
            batch.report_path = str(report_path) if report_path else None
            details = {
                "kind": "paper",
                "file": mask_personal_runs(path.name)[:200],
                "sha256": sha256,
                "rows_read": rows_read,
                "roster": counts[signup.OUTCOME_ROSTER],
                "new": counts[signup.OUTCOME_NEW],
                "already": counts[signup.OUTCOME_ALREADY],
                "rejected": counts["rejected"],
            }
            audit.append(store, "import", operator=operator.name, target=batch.uuid, details=details,
                         cipher=operator.cipher, db=s)
            s.commit()
        except BaseException:
            s.rollback()
            report.discard()
            raise
    return PaperImportResult(
        batch_uuid=batch.uuid,
        file_name=path.name,
        rows_read=rows_read,
        roster=counts[signup.OUTCOME_ROSTER],
        new=counts[signup.OUTCOME_NEW],
        already=counts[signup.OUTCOME_ALREADY],
        rejected=counts["rejected"],
        report_path=report_path,
        elapsed_s=time.monotonic() - started,
    )


def _data_rows(table: Table, preview: FilePreview, mapping: dict[str, int]):
    """(sheet row number, field -> value) for each data row.

    Blank rows are skipped, and so is the header printed again on later
    pages of a sheet made for printing.
    """
    id_col = mapping["id_number"]
    header_id = normalize_header(preview.headers[id_col]) if preview.header_row and id_col < len(preview.headers) else None
    width = max(mapping.values()) + 1
    for number, cells in table.rows():
        if number < preview.data_start_row:
            continue
        cells = list(cells) + [""] * (width - len(cells))
        if not any(cell_text(c).strip() for c in cells):
            continue
        id_cell = cells[id_col]
        if header_id is not None and isinstance(id_cell, str) and normalize_header(id_cell) == header_id:
            continue
        values = {k: cells[c] for k, c in mapping.items()}
        yield number, {
            "name": cell_text(values["name"]),
            "id_number": id_cell,
            "phone": values["phone"],
            "enterprise": cell_text(values["enterprise"]) if "enterprise" in values else None,
            "union": cell_text(values["union"]) if "union" in values else None,
        }


def _one_row(store, s: Session, operator, info, batch, line, values, column_of, report, counts, lang) -> None:
    try:
        res = signup.register_in(
            s, store, operator=operator, name=values["name"], phone=values["phone"], id_number=values["id_number"],
            enterprise=values["enterprise"], union=values["union"], consent=True, session=info,
            source="paper", import_id=batch.id,
        )
    except signup.FormInvalid as exc:
        counts["rejected"] += 1
        for field, issue in exc.check.errors.items():
            report.add(line, column_of.get(field, field_label(field, lang)), cell_text(values[field]), issue.message(lang), True, field)
        return
    except StationError as exc:  # an enterprise or union name too long
        counts["rejected"] += 1
        report.add(line, "", "", exc.message(lang), True)
        return
    counts[res.outcome] += 1
    if res.earlier is not None:
        at = res.earlier.at.strftime("%Y-%m-%d %H:%M")
        detail = t("already_detail", lang, at=at, event=res.earlier.event_name, venue=res.earlier.venue, station=res.earlier.station_name)
        report.add(line, column_of["id_number"], cell_text(values["id_number"]), t("outcome_already", lang) + (": " if lang == "en" else "：") + detail, False, "id_number")
