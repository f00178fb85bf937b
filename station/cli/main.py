"""The `station` command: every booth and office task, scriptable.

Without a subcommand it opens the app.  Exit codes: 0 done, 2 bad input
(the message, in Chinese or with --lang en in English, on stderr), 1 an
internal error (the traceback goes to the log in the data directory, the
user gets one sentence pointing at it).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from station import __version__
from station.cli import audit as audit_cli
from station.cli import checkin as checkin_cli
from station.cli import draw as draw_cli
from station.cli import events as events_cli
from station.cli import host as host_cli
from station.cli import hub as hub_cli
from station.cli import login
from station.cli import operators as operator_cli
from station.cli import posters as poster_cli
from station.cli import reports as report_cli
from station.cli import roster as roster_cli
from station.cli import signup as signup_cli
from station.cli import store as store_cli
from station.cli import sync as sync_cli
from station.cli.support import CommandTree, Handler
from station.errors import StationError
from station.i18n import get_lang, set_lang, t
from station.store import writes

log = logging.getLogger("station.cli.main")

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


# -- argparse in the user's language ------------------------------------------
class _ArgError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.text = message


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing English and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse says NoReturn; this raises
        raise _ArgError(_translate_argparse(message, self.prog))


def _translate_argparse(message: str, prog: str) -> str:
    cmd = prog.split(" ", 1)[1] if " " in prog else ""
    patterns: list[tuple[str, Callable[[re.Match[str]], str]]] = [
        (r"the following arguments are required: (.*)", lambda m: t("arg_required", args=m.group(1))),
        (
            r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)",
            lambda m: t("arg_invalid_choice", arg=m.group(1), value=m.group(2), choices=m.group(3)),
        ),
        (r"unrecognized arguments: (.*)", lambda m: t("arg_unrecognized", args=m.group(1))),
        (r"argument (\S+): expected one argument", lambda m: t("arg_expected_one", arg=m.group(1))),
        (r"argument (\S+): (.*)", lambda m: t("arg_problem", arg=m.group(1), detail=m.group(2))),
    ]
    for pattern, render in patterns:
        match = re.search(pattern, message)
        if match:
            text = render(match)
            break
    else:
        text = t("bad_argument", detail=message)
    return text + " " + t("arg_see_help", cmd=cmd).replace("  ", " ")


# -- the parser: each command module registers its commands and their handlers -----------------
def build_parser() -> _Parser:
    p = _Parser(prog="station", description=t("cli_description"), epilog=t("cli_epilog"))
    p.add_argument("--data-dir", type=Path, help=t("opt_data_dir"))
    p.add_argument("--lang", choices=("zh", "en"), help=t("opt_lang"))
    p.add_argument("--selftest", action="store_true", help=t("opt_selftest"))
    p.add_argument("--version", action="version", version=f"station {__version__}", help=t("opt_version"))
    p.set_defaults(func=cmd_gui)  # no subcommand: the app
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    # --data-dir and --lang are accepted after a subcommand too: `station demo --data-dir D`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=t("opt_data_dir"))
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=t("opt_lang"))
    login.add_operator_option(p, common)
    tree = CommandTree(sub, common)
    # In the order `station --help` lists them.
    _register_app(tree)  # gui, demo
    store_cli.register_init(tree)  # init
    roster_cli.register(tree)  # roster import|stats|find|template
    events_cli.register(tree)  # event open|current|close|create|list
    checkin_cli.register(tree)  # ecard …, scan
    signup_cli.register(tree)  # register, registrations list|import
    audit_cli.register(tree)  # audit verify|list
    store_cli.register(tree)  # backup, restore, check
    poster_cli.register(tree)  # poster make|batch|list|config
    draw_cli.register(tree)  # draw prizes add|list, draw run|void|verify
    report_cli.register(tree)  # report day|enterprises
    hub_cli.register(tree)  # the reference hub: hub serve|enroll|roster|keys|…
    sync_cli.register(tree)  # the station's own sync: sync enroll|run|status|refusals|bundle|receipt|join|live, reset
    host_cli.register(tree)  # this laptop as the event host: host serve|ticket
    operator_cli.register(tree)  # setup, operators …, recover, export, unmask, settings …, purge
    return p


# -- the app: `station gui`, `station demo` ---------------------------------------------------
# Here, not in a module of their own: station/cli/main.py is the one CLI module that opens the UI.
def _register_app(tree: CommandTree) -> None:
    tree.add("gui", "cmd_gui", cmd_gui)
    demo = tree.add("demo", "cmd_demo", cmd_demo)
    demo.add_argument("--members", type=int, default=3000, help=t("opt_demo_members"))
    demo.add_argument("--no-gui", action="store_true", help=t("opt_no_gui"))


def cmd_gui(args) -> int:
    return _run_gui(args.data_dir)


def _run_gui(data_dir: Path | None) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        raise StationError("no_display")
    from ui.app import run_gui

    return run_gui(data_dir, lang=get_lang())


def cmd_demo(args) -> int:
    from station.demo.seed import prepare_demo

    data_dir = args.data_dir or (store_cli.default_dir() / "demo")
    summary = prepare_demo(data_dir, members=args.members)
    print(t("demo_ready", members=summary["members"], signups=summary["signups"], path=data_dir))
    if "organizer" in summary:  # demo accounts only: never a real station's
        print(t("cli_demo_logins", organizer=summary["organizer"], passphrase=summary["passphrase"],
                promoter=summary["promoter"], pin=summary["pin"]))
    if args.no_gui:
        return EXIT_OK
    return _run_gui(data_dir)


# -- running a command ---------------------------------------------------------------------------
def _log_to_data_dir(data_dir: Path | None) -> None:
    """Tracebacks go to the log of the data directory in use, from the first line on."""
    from station.store.logs import setup_logging
    from station.store.paths import DataPaths

    with contextlib.suppress(OSError):  # open_store will say clearly that the directory is unwritable
        setup_logging(DataPaths(data_dir or store_cli.default_dir()).log_file)


def _pre_lang(argv: list[str]) -> str | None:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None


def _command_path(args: argparse.Namespace) -> str:
    """`roster.cmd_roster_find`: the command's handler, as the log names the command."""
    func = args.func
    return getattr(func, "__module__", "?").rsplit(".", 1)[-1] + "." + getattr(func, "__name__", "?")


def _say_waiting_once() -> Callable[[writes.Waiting], None]:
    """A write waiting for a busy store says why on stderr, once a run; the result follows as usual."""
    said = False

    def say(waiting: writes.Waiting) -> None:
        nonlocal said
        if not said:
            said = True
            print(waiting.message(), file=sys.stderr, flush=True)

    return say


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _pre_lang(argv)
    if lang in ("zh", "en"):
        set_lang(lang)
    try:
        args = build_parser().parse_args(argv)
    except _ArgError as exc:
        print(exc.text, file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    if args.selftest:
        from ui.selftest import run_selftest

        return run_selftest()
    handler: Handler = args.func
    key = _command_path(args)
    _log_to_data_dir(args.data_dir)
    try:
        with writes.on_wait(_say_waiting_once()):
            return handler(args)
    except StationError as exc:
        log.info("refused %s: %s", key, exc.key)
        print(exc.message(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(t("cancelled"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `station ... | head`: the reader left; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception:
        from station.store.logs import current_log_file

        log.exception("internal error in %s", key)
        print(t("internal_error", log=current_log_file() or "-"), file=sys.stderr)
        return EXIT_INTERNAL


def gui_main() -> int:
    """Entry of the windowed `station-gui` script: the app, no console."""
    return main(sys.argv[1:] or ["gui"])


if __name__ == "__main__":
    raise SystemExit(main())
