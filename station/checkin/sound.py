"""The pass / refuse / warn sounds of the scan screen, played without waiting.

QtMultimedia is not part of the station's Qt (PySide6-Essentials, and the
bundle leaves it out), so: winsound on Windows (the field laptops, in the
standard library, asynchronous), aplay or paplay on Linux when present, and
otherwise the caller's fallback (the UI passes QApplication.beep).  A
missing sound never stops a check.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from station.store.paths import resources_dir

log = logging.getLogger(__name__)

SOUNDS = ("pass", "refuse", "warn")


def sound_file(kind: str) -> Path:
    return resources_dir() / "sounds" / f"{kind}.wav"


class SoundPlayer:
    """``play("pass" | "refuse" | "warn")``; never raises, never blocks."""

    def __init__(self, fallback: Callable[[], None] | None = None, enabled: bool = True) -> None:
        self.fallback = fallback
        self.enabled = enabled
        self.played: list[str] = []  # what was asked for, newest last (the tests read it)
        self._player = None if sys.platform == "win32" else (shutil.which("paplay") or shutil.which("aplay"))
        self._proc: subprocess.Popen | None = None

    def play(self, kind: str) -> None:
        self.played.append(kind)
        del self.played[:-50]
        if not self.enabled:
            return
        path = sound_file(kind)
        try:
            if sys.platform == "win32":
                import winsound

                winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
                return
            if self._player and path.exists():
                if self._proc is not None and self._proc.poll() is None:
                    self._proc.kill()  # the newest verdict's sound, not a queue of old ones
                args = [self._player] + (["-q"] if self._player.endswith("aplay") else []) + [str(path)]
                self._proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                return
        except Exception:  # a sound is never worth a failed check (logged below)
            log.warning("could not play %s", path, exc_info=True)
        if self.fallback is not None:
            self.fallback()
