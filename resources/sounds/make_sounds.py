"""Make the scan screen's sounds (pass / refuse / warn) as small WAV files.

Run from the repository root: python resources/sounds/make_sounds.py
Pass is two short rising tones (a chime), refuse a low double buzz, warn a
single mid tone: told apart without looking, even in a noisy foyer.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def tone(freq: float, ms: int, volume: float = 0.6, square: bool = False) -> list[float]:
    n = int(RATE * ms / 1000)
    out = []
    for i in range(n):
        s = math.sin(2 * math.pi * freq * i / RATE)
        if square:
            s = 0.6 if s >= 0 else -0.6
        # 5 ms fade in and out: no clicks
        env = min(1.0, i / (RATE * 0.005), (n - i) / (RATE * 0.005))
        out.append(volume * s * env)
    return out


def silence(ms: int) -> list[float]:
    return [0.0] * int(RATE * ms / 1000)


def write(path: Path, samples: list[float]) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1, min(1, s)) * 32767)) for s in samples))


def main() -> None:
    here = Path(__file__).resolve().parent
    write(here / "pass.wav", tone(988, 90) + silence(20) + tone(1319, 160))
    write(here / "refuse.wav", tone(220, 180, square=True) + silence(60) + tone(220, 180, square=True))
    write(here / "warn.wav", tone(660, 260, volume=0.5))


if __name__ == "__main__":
    main()
