"""Small pieces every `station` subcommand module shares.

``CommandTree`` is the one registry: station/cli/main.py builds the top
parser and hands a tree to each command module's ``register``, which adds
its commands with ``tree.add(name, help_key, handler)``.  The handler rides
on the parsed arguments (``args.func``) and main.py calls it inside its
error handling, so no module keeps a second table of commands.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from station.i18n import t

if TYPE_CHECKING:
    from typing import TypeAlias

    from station.store.database import Store

    # A command's subcommands, as argparse's add_subparsers returns them.
    Subparsers: TypeAlias = argparse._SubParsersAction[Any]

Handler = Callable[[argparse.Namespace], int]


class CommandTree:
    """Where a command module adds its commands: each with its help text, options and handler."""

    def __init__(self, sub: Subparsers, common: argparse.ArgumentParser) -> None:
        self.sub = sub  # the top-level subcommands
        self.common = common  # --data-dir, --lang, --operator: accepted after any subcommand too

    def add(self, name: str, help_key: str, handler: Handler | None = None, *,
            parent: Subparsers | None = None) -> argparse.ArgumentParser:
        """The command `name` under ``parent`` (default: the top level); a leaf gets its ``handler``."""
        sp = (parent or self.sub).add_parser(name, help=t(help_key), description=t(help_key), parents=[self.common])
        if handler is not None:
            sp.set_defaults(func=handler)
        return sp

    def group(self, name: str, help_key: str, dest: str, *, parent: Subparsers | None = None) -> Subparsers:
        """A command whose subcommand is required (`station roster import|stats|…`): their subparsers."""
        sp = self.add(name, help_key, parent=parent)
        return sp.add_subparsers(dest=dest, required=True, parser_class=type(sp))


def json_flag(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--json", action="store_true", help=t("opt_json"))


def iso_date(value: str) -> dt.date:
    """An argparse type for YYYY-MM-DD, refused in the user's language."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(t("arg_bad_date", value=value)) from None


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


def open_station(args: argparse.Namespace, integrity: str = "quick") -> Store:
    """The store of --data-dir (or the default one), checked as `integrity` says."""
    from station.store.database import open_store

    return open_store(args.data_dir, integrity=integrity)


def print_json(data: object) -> None:
    """JSON for scripts: Chinese kept readable, dates and paths as strings."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def progress_printer() -> Callable[[Any], None] | None:
    """A file import's progress callback: one updating line on stderr on a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(p: Any) -> None:
        eta = f"{p.eta_s:.0f}s" if p.eta_s is not None else "?"
        sys.stderr.write("\r" + t("progress_line", done=p.rows_done, rate=p.rows_per_s, eta=eta) + "   ")
        sys.stderr.flush()

    return show


def end_progress() -> None:
    """Ends the line ``progress_printer`` kept rewriting."""
    if sys.stderr.isatty():
        sys.stderr.write("\n")
