"""Frame sources: a webcam, a video file, still images — one interface.

The scan screen's camera worker, `station scan --camera FILE.mp4` and
`--image FILE` all read frames through ``FrameSource.read()``; what comes
out goes to station.checkin.decoder and then to the verdict service, whichever
source it was.  A camera that stops delivering (unplugged, taken by another
program) raises ``CameraLost`` after a few empty reads, so the caller can
say so and carry on with the other code sources.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from station.errors import StationError

log = logging.getLogger(__name__)

LOST_AFTER_EMPTY_READS = 15  # about half a second at 30 fps
CAMERA_WIDTH, CAMERA_HEIGHT = 1280, 720


class CameraLost(Exception):
    """The camera stopped delivering frames."""


class FrameSource(Protocol):
    name: str
    live: bool  # a camera (frames keep coming) rather than a file (frames run out)

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None:
        """The next frame; None at the end of a file.  A live source raises CameraLost."""

    def close(self) -> None: ...


def read_image(path: Path) -> np.ndarray:
    """An image file as BGR; works for paths with Chinese characters on Windows too."""
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise StationError("scan_image_bad", path=path) from exc
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise StationError("scan_image_bad", path=path)
    return image


class ImageSource:
    """Still images, each read once."""

    live = False

    def __init__(self, paths: list[Path]) -> None:
        self.paths = [Path(p) for p in paths]
        self.name = ", ".join(p.name for p in self.paths)
        self._next = 0

    def open(self) -> None:
        for p in self.paths:
            if not p.exists():
                raise StationError("file_not_found", path=p)
        self._next = 0

    def read(self) -> np.ndarray | None:
        if self._next >= len(self.paths):
            return None
        path = self.paths[self._next]
        self._next += 1
        return read_image(path)

    def close(self) -> None:
        self._next = len(self.paths)


def _backend() -> int:
    # DirectShow opens USB webcams on Windows in a fraction of MSMF's time.
    return cv2.CAP_DSHOW if sys.platform == "win32" else cv2.CAP_ANY


class VideoSource:
    """A camera (by index) or a video file, through OpenCV."""

    def __init__(self, source: int | str | Path, *, width: int = CAMERA_WIDTH, height: int = CAMERA_HEIGHT) -> None:
        self.source = source
        self.live = isinstance(source, int)
        self.name = f"#{source}" if self.live else Path(str(source)).name
        self.width, self.height = width, height
        self._cap: cv2.VideoCapture | None = None
        self._empty = 0

    def open(self) -> None:
        if not self.live and not Path(str(self.source)).exists():
            raise StationError("file_not_found", path=self.source)
        cap = cv2.VideoCapture(self.source, _backend()) if self.live else cv2.VideoCapture(str(self.source))
        if not cap.isOpened():
            cap.release()
            raise StationError("scan_camera_failed", source=self.source)
        if self.live:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not one from a second ago
        self._cap = cap
        self._empty = 0

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            if self.live:
                raise CameraLost(self.name)
            return None
        try:
            ok, frame = self._cap.read()
        except cv2.error:
            log.exception("reading %s failed", self.name)
            ok, frame = False, None
        if ok and frame is not None and frame.size:
            self._empty = 0
            return frame
        if not self.live:
            return None
        self._empty += 1
        if self._empty >= LOST_AFTER_EMPTY_READS:
            raise CameraLost(self.name)
        return np.empty((0, 0, 3), np.uint8)  # a hiccup: an empty frame, the caller reads again

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def source_for(spec: str | Path) -> FrameSource:
    """``0``/``1``… a camera index; a video file; an image file (by extension)."""
    text = str(spec).strip()
    if text.isdigit():
        return VideoSource(int(text))
    if Path(text).suffix.lower() in (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"):
        return ImageSource([Path(text)])
    return VideoSource(Path(text))


def iter_frames(source: FrameSource) -> Iterator[np.ndarray]:
    """Every frame of a file source (a live one until CameraLost)."""
    source.open()
    try:
        while True:
            frame = source.read()
            if frame is None:
                return
            if frame.size:
                yield frame
    finally:
        source.close()


def list_cameras(max_index: int = 4) -> list[int]:
    """The camera indexes that open (slow: a second or more per index on some laptops; call from a worker)."""
    found = []
    for index in range(max_index):
        cap = cv2.VideoCapture(index, _backend())
        try:
            if cap.isOpened():
                found.append(index)
        finally:
            cap.release()
    return found
