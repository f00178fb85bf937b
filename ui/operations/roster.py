"""名册's core calls: the roster's counts, a file's preview and an import (station.roster).

The import dialogs (ui/import_dialog.py) serve the roster and the paper
sign-up import alike: they are handed the engine's two calls (preview a
file; import it with a mapping, a progress callback and a cancel poll) and
run them through ``preview`` and ``run_import`` here.  For the roster
screen, ``preview_roster`` and ``roster_import`` are those two calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from station.roster import stats
from station.roster.detection import FilePreview, preview_file
from station.roster.importer import ImportProgress, ImportResult, finish_interrupted, import_roster
from station.security.operators import OperatorSession
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner

# An engine's import call: (path, mapping or None for its guess, progress, cancelled) -> its result.
ImportWork = Callable[[Path, "dict[str, int] | None", Callable[[Any], None], Callable[[], bool]], Any]


def overview(parent: QObject, runner: TaskRunner, store: Store,
             operator: OperatorSession | None = None) -> CoreOp[tuple[stats.RosterStats, list]]:
    """The roster's counts and the recent imports (COUNT(*) over up to 1.4 million rows: never on the GUI thread).

    For an organizer, a roster import a crash or power cut left half published is finished first
    (station.roster.importer.finish_interrupted), so the counts shown are the whole file's.
    """

    def load() -> tuple[stats.RosterStats, list]:
        if operator is not None and operator.can("import"):
            finish_interrupted(store, operator)
        return stats.roster_stats(store), stats.recent_imports(store)

    return CoreOp(parent, runner, load, name="roster-stats")


def preview(parent: QObject, runner: TaskRunner, path: Path, preview_fn: Callable[[Path], Any]) -> CoreOp[Any]:
    """What the file looks like (the engine's ``preview_fn``); UnmappedColumns when the columns need a choice."""
    return CoreOp(parent, runner, lambda: preview_fn(path), name="preview")


def run_import(parent: QObject, runner: TaskRunner, work: Callable[[Callable[[Any], None], Callable[[], bool]], Any],
               cancel: threading.Event) -> CoreOp[Any]:
    """``work(progress, cancelled)``: one import, cancellable; progress arrives through ``with_progress``."""
    return CoreOp(parent, runner, lambda progress: work(progress, cancel.is_set), name="import")


def preview_roster(path: Path) -> FilePreview:
    """The roster engine's preview call (station.roster.detection.preview_file)."""
    return preview_file(path)


def roster_import(store: Store, operator: OperatorSession) -> ImportWork:
    """The roster engine's import call for ``operator`` (station.roster.importer.import_roster)."""

    def work(path: Path, mapping: dict[str, int] | None, progress: Callable[[ImportProgress], None],
             cancelled: Callable[[], bool]) -> ImportResult:
        return import_roster(store, path, operator=operator, mapping=mapping, progress=progress, cancel=cancelled)

    return work
