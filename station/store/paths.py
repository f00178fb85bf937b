"""Where the station keeps its files.

Default: the per-user data directory (platformdirs: %LOCALAPPDATA% on
Windows), overridable with --data-dir or STATION_DATA_DIR.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from station import APP_AUTHOR, APP_NAME


def default_data_dir() -> Path:
    env = os.environ.get("STATION_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, APP_AUTHOR, roaming=False)


def resources_dir() -> Path:
    """The shipped resources/ folder, in a checkout or a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "station.sqlite"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "station.log"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def imports(self) -> Path:
        """Side databases of roster imports being checked or published (station/roster/staging.py)."""
        return self.root / "imports"

    def ensure(self) -> None:
        for folder in (self.root, self.backups, self.logs, self.reports):
            folder.mkdir(parents=True, exist_ok=True)
