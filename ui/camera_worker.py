"""The camera loop on its own thread: capture, preview, decode; report by signals.

One ``CameraWorker`` per started source (a webcam, a video file, images).
It never touches a widget: previews go out as QImage copies (at most about
15 a second, scaled for the screen), codes as lists of texts, a vanished
camera as ``lost``.  Decoding runs right here, after each capture, so a
slow frame delays the next capture, never the GUI.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import cv2
import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from station.checkin import decoder
from station.checkin.frames import CameraLost, FrameSource, ImageSource
from station.errors import StationError

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 640
PREVIEW_INTERVAL_S = 1 / 15


def to_qimage(frame: np.ndarray, width: int = PREVIEW_WIDTH) -> QImage:
    """A BGR frame as an RGB QImage of ``width`` pixels, owning its memory."""
    h, w = frame.shape[:2]
    if w > width:
        frame = cv2.resize(frame, (width, int(h * width / w)), interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    rgb = np.ascontiguousarray(rgb)
    image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888)
    return image.copy()


class CameraWorker(QObject):
    """Reads ``source`` until stopped (a file: until its end).  Use ``start_camera_thread``."""

    preview = Signal(QImage)
    codes = Signal(list, str)  # texts, source kind (camera / video / image)
    lost = Signal(str)  # the camera vanished mid-event
    failed = Signal(object)  # it could not be opened (StationError)
    finished = Signal()

    def __init__(self, source: FrameSource, *, pace_s: float | None = None,
                 budget_ms: float = decoder.DEFAULT_BUDGET_MS) -> None:
        super().__init__()
        self.source = source
        self.kind = "image" if isinstance(source, ImageSource) else ("camera" if source.live else "video")
        # A video file plays at about its own speed so its preview can be watched; 0: as fast as decoding.
        self.pace_s = pace_s if pace_s is not None else (0.0 if source.live or self.kind == "image" else 1 / 15)
        self.budget_ms = budget_ms
        self._stop = threading.Event()
        self.frames = 0
        self.decode_ms: list[float] = []

    def stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        try:
            self.source.open()
        except StationError as exc:
            self.failed.emit(exc)
            self.finished.emit()
            return
        except Exception as exc:  # report, never kill the thread silently
            log.exception("opening %s failed", self.source.name)
            self.failed.emit(exc)
            self.finished.emit()
            return
        last_preview = 0.0
        try:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    frame = self.source.read()
                except CameraLost:
                    self.lost.emit(self.source.name)
                    break
                except StationError as exc:
                    self.failed.emit(exc)
                    break
                if frame is None:
                    break
                if not frame.size:
                    continue
                self.frames += 1
                found = decoder.decode(frame, budget_ms=self.budget_ms)
                self.decode_ms.append(found.ms)
                del self.decode_ms[:-200]
                if found.texts:
                    self.codes.emit(list(found.texts), self.kind)
                now = time.perf_counter()
                if now - last_preview >= PREVIEW_INTERVAL_S or not self.source.live:
                    last_preview = now
                    self.preview.emit(to_qimage(frame))
                wait = self.pace_s - (time.perf_counter() - started)
                if wait > 0:
                    self._stop.wait(wait)
        except Exception:  # a broken camera or file ends the loop, reported as lost
            log.exception("camera loop for %s failed", self.source.name)
            self.lost.emit(self.source.name)
        finally:
            self.source.close()
            self.finished.emit()


class CameraThread(QObject):
    """A CameraWorker and the QThread it runs on, started and stopped together."""

    def __init__(self, worker: CameraWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        # Not ``thread``: that is QObject.thread(), the thread this holder itself lives on.
        self.loop_thread = QThread()
        self.loop_thread.setObjectName(f"camera-{worker.source.name}")
        worker.moveToThread(self.loop_thread)
        self.loop_thread.started.connect(worker.run)
        worker.finished.connect(self.loop_thread.quit)

    def start(self) -> None:
        self.loop_thread.start()

    def stop(self, wait_ms: int = 3000) -> bool:
        """Ask the loop to end; wait up to ``wait_ms`` for its thread (0: do not wait)."""
        self.worker.stop()
        self.loop_thread.quit()
        return self.loop_thread.wait(wait_ms) if wait_ms else not self.loop_thread.isRunning()

    def running(self) -> bool:
        return self.loop_thread.isRunning()


def start_camera_thread(source: FrameSource, connect: Callable[[CameraWorker], None], *,
                        pace_s: float | None = None, parent: QObject | None = None) -> CameraThread:
    """Make the worker, let ``connect`` hook up its signals (before anything can be emitted), start it."""
    worker = CameraWorker(source, pace_s=pace_s)
    holder = CameraThread(worker, parent)
    connect(worker)
    holder.start()
    return holder
