"""The log file in the data directory: where tracebacks go, never the screen."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_configured: Path | None = None


def setup_logging(log_file: Path, level: int = logging.INFO) -> None:
    global _configured
    if _configured == log_file:
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_station", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    handler._station = True  # type: ignore[attr-defined]  # marks our handler, to replace it on the next call
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    _configured = log_file


def stop_logging() -> None:
    """Close the station's log file handler (a throw-away store is being removed)."""
    global _configured
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_station", False):
            root.removeHandler(handler)
            handler.close()
    _configured = None


def current_log_file() -> Path | None:
    return _configured
