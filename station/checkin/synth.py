"""Made-up camera frames of a phone showing an e-card, for tests and benchmarks.

A real webcam at a cinema door sees a phone held at arm's length: small,
turned, tilted, shaking, in a dim foyer, through a cheap sensor that
compresses.  Each class below exaggerates one of those on top of a mild
mix of the others, so a decoder's weak spot shows as one low number.
Nothing here is shipped to a user; it lives in station/ so the tests, the
benchmark and `station scan` on a generated video share one generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from station.checkin import ecard

WIDTH, HEIGHT = 1280, 720
CLASSES = ("clean", "scale", "rotation", "perspective", "blur", "noise", "low_light", "jpeg")


@dataclass(frozen=True)
class Shot:
    """How one frame was made (for reports of what failed)."""

    cls: str
    module_px: float  # size of one QR module on the frame, in pixels (about)
    angle: float
    tilt: float
    blur: float
    noise: float
    light: float
    jpeg: int


def phone_image(text: str, module_px: int = 6) -> np.ndarray:
    """A phone screen (BGR) showing the e-card page with the token's QR code."""
    qr = ecard.qr_image(text, scale=module_px)
    side = qr.shape[0]
    w = side + 2 * module_px * 4
    h = int(w * 2.0)
    screen = np.full((h, w, 3), 250, np.uint8)
    cv2.rectangle(screen, (0, 0), (w, int(h * 0.12)), (40, 60, 200), -1)  # the app's red title bar
    cv2.rectangle(screen, (int(w * 0.1), int(h * 0.16)), (int(w * 0.7), int(h * 0.2)), (90, 90, 90), -1)
    top = int(h * 0.27)
    x0 = (w - side) // 2
    screen[top:top + side, x0:x0 + side] = cv2.cvtColor(qr, cv2.COLOR_GRAY2BGR)
    for i in range(3):
        y = top + side + int(h * 0.05) + i * int(h * 0.05)
        cv2.rectangle(screen, (int(w * 0.1), y), (int(w * (0.9 - 0.15 * i)), y + int(h * 0.02)), (150, 150, 150), -1)
    bezel = max(6, w // 18)
    phone = np.full((h + 2 * bezel, w + 2 * bezel, 3), 25, np.uint8)
    phone[bezel:bezel + h, bezel:bezel + w] = screen
    return phone


def _background(rng: np.random.Generator) -> np.ndarray:
    """A foyer: a gradient, some blocks of colour (posters, a counter), sensor grain."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    base = rng.uniform(60, 170)
    grad = base + rng.uniform(-40, 40) * (x / WIDTH) + rng.uniform(-30, 30) * (y / HEIGHT)
    img = np.dstack([grad * rng.uniform(0.8, 1.2) for _ in range(3)])
    for _ in range(int(rng.integers(3, 9))):
        x0, y0 = int(rng.integers(0, WIDTH - 50)), int(rng.integers(0, HEIGHT - 50))
        x1, y1 = x0 + int(rng.integers(40, 400)), y0 + int(rng.integers(40, 300))
        cv2.rectangle(img, (x0, y0), (x1, y1), tuple(float(v) for v in rng.uniform(20, 235, 3)), -1)
    return np.clip(img, 0, 255).astype(np.uint8)


def _params(cls: str, rng: np.random.Generator) -> Shot:
    # A mild baseline every class shares; each class then pushes one knob hard.
    module = rng.uniform(3.2, 5.0)
    angle = rng.uniform(-20, 20)
    tilt = rng.uniform(0, 0.12)
    blur = rng.uniform(0, 0.8)
    noise = rng.uniform(0, 4)
    light = rng.uniform(0.85, 1.0)
    jpeg = int(rng.integers(75, 95))
    if cls == "scale":
        module = rng.uniform(1.4, 2.2)
    elif cls == "rotation":
        angle = rng.uniform(0, 360)
    elif cls == "perspective":
        tilt = rng.uniform(0.35, 0.6)
    elif cls == "blur":
        blur = rng.uniform(1.6, 3.0)
    elif cls == "noise":
        noise = rng.uniform(22, 38)
    elif cls == "low_light":
        light = rng.uniform(0.06, 0.16)
        noise = rng.uniform(3, 6)
    elif cls == "jpeg":
        jpeg = int(rng.integers(4, 14))
    return Shot(cls, module, angle, tilt, blur, noise, light, jpeg)


def render(text: str, shot: Shot, rng: np.random.Generator) -> np.ndarray:
    """One 1280×720 BGR frame of the phone showing ``text``, made as ``shot`` says."""
    phone = phone_image(text, module_px=6)
    ph, pw = phone.shape[:2]
    modules = ecard.qr_version(text) * 4 + 17
    scale = shot.module_px / 6.0
    # Cap the size so the whole phone fits the frame (a phone held close is cropped by the user anyway).
    scale = min(scale, 0.95 * HEIGHT / ph)
    w, h = pw * scale, ph * scale
    cx = rng.uniform(w / 2 + 10, WIDTH - w / 2 - 10) if w + 20 < WIDTH else WIDTH / 2
    cy = rng.uniform(h / 2 + 5, HEIGHT - h / 2 - 5) if h + 10 < HEIGHT else HEIGHT / 2
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float32)
    # Tilt: one side further from the camera than the other (the phone turned about an axis).
    t = shot.tilt
    axis = rng.integers(0, 4)
    shrink = np.ones(4, np.float32)
    pairs = ((0, 1), (1, 2), (2, 3), (3, 0))[axis]
    shrink[list(pairs)] = 1 - t
    centroid_shift = corners * shrink[:, None]
    a = math.radians(shot.angle)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    dst = centroid_shift @ rot.T + np.array([cx, cy], np.float32)
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    frame = _background(rng)
    warped = cv2.warpPerspective(phone, m, (WIDTH, HEIGHT), flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), m, (WIDTH, HEIGHT))
    frame[mask > 127] = warped[mask > 127]
    del modules
    if shot.blur > 0.3:
        frame = cv2.GaussianBlur(frame, (0, 0), shot.blur)
    out = frame.astype(np.float32) * shot.light
    if shot.noise > 0:
        out += rng.normal(0, shot.noise, out.shape).astype(np.float32)
    frame = np.clip(out, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, shot.jpeg])
    decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
    return np.asarray(decoded if decoded is not None else frame)


def frames(text: str, cls: str, count: int, seed: int = 0):
    """``count`` frames of one class, reproducible from ``seed``: yields (Shot, frame)."""
    rng = np.random.default_rng([seed, CLASSES.index(cls)])
    for _ in range(count):
        shot = _params(cls, rng)
        yield shot, render(text, shot, rng)


def blank_frame(seed: int = 0) -> np.ndarray:
    """A frame with no code in it (the camera looking at the foyer)."""
    return _background(np.random.default_rng(seed))


def write_video(path, frames_bgr, fps: float = 15.0) -> None:
    """Frames to a video file (MJPG in .avi, mp4v in .mp4) that cv2.VideoCapture reads back."""
    first = frames_bgr[0]
    fourcc = cv2.VideoWriter.fourcc(*("mp4v" if str(path).lower().endswith(".mp4") else "MJPG"))
    writer = cv2.VideoWriter(str(path), fourcc, fps, (first.shape[1], first.shape[0]))
    try:
        for f in frames_bgr:
            writer.write(f)
    finally:
        writer.release()
