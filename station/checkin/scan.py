"""From a frame source to verdicts: the loop `station scan` runs (the UI runs its own, in workers).

Each frame is decoded (station.checkin.decoder); each code found goes to the
verdict service, which folds the thirty frames of one phone into one scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from station.checkin import decoder
from station.checkin.frames import FrameSource, ImageSource, iter_frames
from station.checkin.service import CheckinService, Verdict


@dataclass
class ScanRun:
    frames: int = 0
    codes: int = 0
    verdicts: list[Verdict] = field(default_factory=list)
    no_code_frames: int = 0


def scan_source(service: CheckinService, source: FrameSource, *, budget_ms: float = decoder.DEFAULT_BUDGET_MS,
                max_frames: int | None = None, direction: str = "in") -> ScanRun:
    """Decode every frame of ``source`` and check every code; repeats within 3 s are one scan."""
    kind = "image" if isinstance(source, ImageSource) else ("camera" if source.live else "video")
    run = ScanRun()
    for frame in iter_frames(source):
        run.frames += 1
        found = decoder.decode(frame, budget_ms=budget_ms)
        if not found.texts:
            run.no_code_frames += 1
        for text in found.texts:
            run.codes += 1
            verdict = service.check_code(text, kind, direction)
            if not verdict.repeated:
                run.verdicts.append(verdict)
        if max_frames is not None and run.frames >= max_frames:
            break
    return run
