"""二维码海报's core calls (station.posters.service): the lists, the preview, making one poster or a batch."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage

from station.posters import service as posters
from station.posters.layout import Note
from station.posters.service import MakeResult, PosterDesign, PosterProgress, PosterRow
from station.store.database import Store
from station.store.orgs import OrgNames, org_names
from ui.operations import CoreOp
from ui.workers import TaskRunner

# The combos offer many names: a big roster has thousands of enterprises.
ENTERPRISE_NAMES = 5000
UNION_NAMES = 2000


def lists(parent: QObject, runner: TaskRunner, store: Store, *,
          limit: int) -> CoreOp[tuple[OrgNames, list[PosterRow]]]:
    """The enterprise and union names for the combos and the newest ``limit`` rows of the register."""

    def load() -> tuple[OrgNames, list[PosterRow]]:
        names = org_names(store, enterprises=ENTERPRISE_NAMES, unions=UNION_NAMES)
        return names, posters.list_posters(store, limit=limit)

    return CoreOp(parent, runner, load, name="poster-lists")


def register(parent: QObject, runner: TaskRunner, store: Store, *, limit: int) -> CoreOp[list[PosterRow]]:
    """The newest ``limit`` rows of the poster register."""
    return CoreOp(parent, runner, lambda: posters.list_posters(store, limit=limit), name="poster-register")


def preview(parent: QObject, runner: TaskRunner, store: Store, design: PosterDesign, enterprise: str,
            width: int, height: int) -> CoreOp[tuple[QImage, list[Note], float]]:
    """The poster drawn into ``width``×``height`` pixels, the layout's notes and the QR module size in mm."""

    def render() -> tuple[QImage, list[Note], float]:
        from station.posters.render import render_preview

        painter = posters.preview_painter(store, design, enterprise)
        return render_preview(painter, width, height), painter.notes, painter.module_mm

    return CoreOp(parent, runner, render, name="poster-preview")


def make(parent: QObject, runner: TaskRunner, store: Store, enterprise: str, design: PosterDesign,
         out: Path) -> CoreOp[MakeResult]:
    """One poster for ``enterprise`` into ``out`` (proofed, registered); the design is kept for next time."""

    def work() -> MakeResult:
        result = posters.make_poster(store, enterprise, design, out)
        posters.remember_design(store, design)
        return result

    return CoreOp(parent, runner, work, name="poster-make")


def batch(parent: QObject, runner: TaskRunner, store: Store, design: PosterDesign, filters: dict, out: Path, *,
          one_file_each: bool, cancel: threading.Event) -> CoreOp[MakeResult]:
    """Posters for the enterprises ``filters`` select (station.posters.service.select_targets).

    Reports PosterProgress (call ``with_progress``); ``cancel`` set stops it and leaves nothing behind.
    A finished batch keeps its design for next time.
    """

    def work(progress: Callable[[PosterProgress], None]) -> MakeResult:
        targets = posters.select_targets(store, **filters)
        progress(PosterProgress("render", 0, len(targets)))
        result = posters.make_posters(store, targets, design, out, one_file_each=one_file_each,
                                      progress=progress, cancelled=cancel.is_set)
        if not result.cancelled:
            posters.remember_design(store, design)
        return result

    return CoreOp(parent, runner, work, name="poster-batch")
