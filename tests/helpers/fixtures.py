"""Fixtures for every test: real stores in temporary folders, real files on disk.

Keep these generic; area-specific fixtures belong in the area's module here
(security, ui, hub, posters) or in the area's test file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from station import i18n
from station.store.database import Store, open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before the QApplication (_qapplication_first)
STATION_NAME = "测试工作站"  # the name the `store` fixture gives its station


@pytest.fixture(autouse=True)
def _chinese_messages() -> Iterator[None]:
    """Every test starts in Chinese (the default) and leaves it that way."""
    before = i18n.get_lang()
    i18n.set_lang("zh")
    yield
    i18n.set_lang(before)


@pytest.fixture(scope="session", autouse=True)
def _qapplication_first(qapp):
    """One QApplication for the whole run, made before any test needs Qt.

    Poster rendering (station/, no widgets) makes a QGuiApplication when
    none exists; a widget test after it would then abort the process.  In
    the app a QApplication always exists first; here this fixture does it.
    """
    yield qapp


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh station data directory (not created yet)."""
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """A real, migrated SQLite store in a temporary data directory, its station named STATION_NAME."""
    opened = open_store(data_dir, station_name=STATION_NAME)
    yield opened
    opened.close()


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """write_csv(rows, name="roster.csv", encoding="utf-8-sig") -> path of a CSV file in tmp_path."""

    def write(rows: Sequence[Sequence[object]], name: str = "roster.csv", encoding: str = "utf-8-sig") -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh).writerows(rows)
        return path

    return write
