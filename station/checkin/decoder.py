"""QR codes out of camera frames: zxing-cpp first, then a few targeted second tries.

Measured on 1280×720 frames of a phone held up to a webcam (bench/bench_scan.py):
zxing-cpp decodes a frame in about a millisecond and finds what OpenCV's
QRCodeDetector and QRCodeDetectorAruco find, and more, at 25 to 40 times
their cost; so it is the decoder.  Where it gives up — a blurred phone, a
dim foyer, a phone far away — its detector usually never found the code.
The second tries find where a code probably is (a patch dense in sharp
edges, on a quarter-size copy), cut it out, enlarge it, and decode it again
plain, sharpened and contrast-stretched.  They stop when the frame's time
budget is spent, so a camera frame never takes much longer than the budget.

Any input gets an answer and never an exception: a camera can hand over an
empty, odd-sized or odd-typed buffer when it is unplugged mid-frame.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

log = logging.getLogger(__name__)

DEFAULT_BUDGET_MS = 30.0
_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(4, 4))
_LOCATE_SCALE = 4
_MAX_CANDIDATES = 2


@dataclass(frozen=True)
class Decoded:
    texts: tuple[str, ...]
    stage: str  # which attempt found them ("" when none did)
    ms: float


def _zx(gray: np.ndarray, **options) -> list[str]:
    found = zxingcpp.read_barcodes(gray, formats=_QR, try_rotate=False, try_invert=False, **options)
    return [b.text for b in found if b.text]


def raw_zxing(frame: np.ndarray) -> list[str]:
    """zxing-cpp as it comes (the benchmark's baseline): every option at its default."""
    return [b.text for b in zxingcpp.read_barcodes(frame, formats=_QR) if b.text]


def to_gray(frame) -> np.ndarray | None:
    """An 8-bit single-channel copy of whatever a frame source produced; None if it is no image."""
    if frame is None:
        return None
    arr = np.asarray(frame)
    if arr.ndim not in (2, 3) or arr.size == 0 or min(arr.shape[:2]) < 8:
        return None
    if arr.dtype != np.uint8:
        if arr.dtype == np.uint16:
            arr = (arr >> 8).astype(np.uint8)
        elif np.issubdtype(arr.dtype, np.floating):
            top = float(np.nanmax(arr)) if arr.size else 0.0
            arr = np.nan_to_num(arr * (255.0 if top <= 1.0 else 1.0)).clip(0, 255).astype(np.uint8)
        else:
            arr = arr.clip(0, 255).astype(np.uint8)
    if arr.ndim == 3:
        channels = arr.shape[2]
        if channels == 1:
            arr = arr[:, :, 0]
        elif channels == 3:
            arr = cv2.cvtColor(arr, cv2.COLOR_BGR2GRAY)
        elif channels == 4:
            arr = cv2.cvtColor(arr, cv2.COLOR_BGRA2GRAY)
        else:
            return None
    return np.ascontiguousarray(arr)


def candidate_boxes(gray: np.ndarray, limit: int = _MAX_CANDIDATES) -> list[tuple[int, int, int, int]]:
    """Where a QR code probably is: squarish patches dense in strong edges (x, y, w, h)."""
    s = _LOCATE_SCALE
    h, w = gray.shape
    if h < 8 * s or w < 8 * s:
        return []
    small = cv2.resize(gray, (w // s, h // s), interpolation=cv2.INTER_AREA)
    grad = cv2.morphologyEx(small, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    density = cv2.blur(grad.astype(np.float32), (7, 7))
    density = cv2.normalize(density, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    _, mask = cv2.threshold(density, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    boxes = []
    for i in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if bw < 6 or bh < 6 or not 0.4 <= bw / bh <= 2.5:
            continue
        fill = area / (bw * bh)
        boxes.append((area * fill, (x * s, y * s, bw * s, bh * s)))
    boxes.sort(reverse=True)
    return [box for _, box in boxes[:limit]]


def decode(frame, budget_ms: float = DEFAULT_BUDGET_MS) -> Decoded:
    """The QR texts in a frame (BGR, BGRA or grey numpy array), trying harder while time allows."""
    start = time.perf_counter()

    def spent() -> float:
        return (time.perf_counter() - start) * 1000.0

    try:
        gray = to_gray(frame)
        if gray is None:
            return Decoded((), "", spent())
        texts = _zx(gray)
        if texts:
            return Decoded(tuple(texts), "full", spent())
        for x, y, w, h in candidate_boxes(gray):
            if spent() > budget_ms:
                break
            margin = int(0.1 * max(w, h)) + 6
            crop = gray[max(0, y - margin):y + h + margin, max(0, x - margin):x + w + margin]
            factor = 2.0 if max(crop.shape) < 500 else 1.0
            up = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC) if factor > 1 else crop
            for stage, image in _variants(up):
                if spent() > budget_ms:
                    break
                texts = _zx(image)
                if texts:
                    return Decoded(tuple(texts), stage, spent())
        if spent() <= budget_ms:
            # A phone in dark mode shows light modules on dark.
            found = zxingcpp.read_barcodes(gray, formats=_QR, try_rotate=False, try_invert=True)
            texts = [b.text for b in found if b.text]
            if texts:
                return Decoded(tuple(texts), "inverted", spent())
    except Exception:  # a bad frame must cost a frame, never the camera loop (logged below)
        log.exception("decoding a frame failed")
    return Decoded((), "", spent())


def _variants(image: np.ndarray):
    yield "crop", image
    for sigma, amount in ((2.0, 1.5), (3.5, 2.5)):
        blurred = cv2.GaussianBlur(image, (0, 0), sigma)
        yield "sharpen", cv2.addWeighted(image, 1 + amount, blurred, -amount, 0)
    yield "contrast", _CLAHE.apply(image)
