"""Small pieces every `station` subcommand module shares."""

from __future__ import annotations

import argparse
import json
from typing import Callable

from station.i18n import t


def print_json(data: object) -> None:
    """JSON for scripts: Chinese kept readable, dates and paths as strings."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def positive_int(message_key: str) -> Callable[[str], int]:
    """An argparse type for a count of at least 1; `message_key` says what is wrong with `value`."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            n = -1
        if n < 1:
            raise argparse.ArgumentTypeError(t(message_key, value=value))
        return n

    return parse
