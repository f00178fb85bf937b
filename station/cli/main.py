"""The `station` command: every booth and office task, scriptable.

Without a subcommand it opens the app.  Exit codes: 0 done, 2 bad input
(the message, in Chinese or with --lang en in English, on stderr), 1 an
internal error (the traceback goes to the log in the data directory, the
user gets one sentence pointing at it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from typing import Callable

from station import __version__
from station.cli.support import print_json
from station.errors import StationError
from station.i18n import get_lang, set_lang, t

log = logging.getLogger("station.cli.main")

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


# -- argparse in the user's language ------------------------------------------
class _ArgError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.text = message


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing English and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _ArgError(_translate_argparse(message, self.prog))


def _translate_argparse(message: str, prog: str) -> str:
    import re

    cmd = prog.split(" ", 1)[1] if " " in prog else ""
    patterns: list[tuple[str, Callable[[re.Match], str]]] = [
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



def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(t("arg_bad_date", value=value)) from None


def build_parser() -> _Parser:
    p = _Parser(prog="station", description=t("cli_description"), epilog=t("cli_epilog"))
    p.add_argument("--data-dir", type=Path, help=t("opt_data_dir"))
    p.add_argument("--lang", choices=("zh", "en"), help=t("opt_lang"))
    p.add_argument("--selftest", action="store_true", help=t("opt_selftest"))
    p.add_argument("--version", action="version", version=f"station {__version__}", help=t("opt_version"))
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    # --data-dir and --lang are accepted after a subcommand too: `station demo --data-dir D`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=t("opt_data_dir"))
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=t("opt_lang"))
    from station.cli import operators as operator_cli  # log-in, operators, recovery, export, unmask, settings, purge

    operator_cli.add_operator_option(p, common)

    def cmd(parent, name: str, help_key: str):
        return parent.add_parser(name, help=t(help_key), description=t(help_key), parents=[common])

    def json_flag(sp) -> None:
        sp.add_argument("--json", action="store_true", help=t("opt_json"))

    cmd(sub, "gui", "cmd_gui")
    demo = cmd(sub, "demo", "cmd_demo")
    demo.add_argument("--members", type=int, default=3000, help=t("opt_demo_members"))
    demo.add_argument("--no-gui", action="store_true", help=t("opt_no_gui"))

    init = cmd(sub, "init", "cmd_init")
    init.add_argument("--name", help=t("opt_station_name"))
    json_flag(init)

    roster = cmd(sub, "roster", "cmd_roster")
    rsub = roster.add_subparsers(dest="roster_command", required=True, parser_class=_Parser)
    imp = cmd(rsub, "import", "cmd_roster_import")
    imp.add_argument("file", type=Path, help=t("opt_file"))
    imp.add_argument("--map", dest="mapping", help=t("opt_map"))
    imp.add_argument("--report-dir", type=Path, help=t("opt_report_dir"))
    json_flag(imp)
    json_flag(cmd(rsub, "stats", "cmd_roster_stats"))
    find = cmd(rsub, "find", "cmd_roster_find")
    find.add_argument("query", help=t("opt_query"))
    find.add_argument("--limit", type=int, default=50, help=t("opt_limit"))
    operator_cli.add_unmask_options(find)
    json_flag(find)
    tpl = cmd(rsub, "template", "cmd_roster_template")
    tpl.add_argument("--out", type=Path, required=True, help=t("opt_out"))

    event = cmd(sub, "event", "cmd_event")
    esub = event.add_subparsers(dest="event_command", required=True, parser_class=_Parser)
    eo = cmd(esub, "open", "cmd_event_open")
    eo.add_argument("--venue", required=True, help=t("opt_venue"))
    eo.add_argument("--promoter", required=True, help=t("opt_promoter"))
    eo.add_argument("--enterprise", help=t("opt_enterprise"))
    eo.add_argument("--union", help=t("opt_union"))
    eo.add_argument("--date", type=_date, help=t("opt_date"))
    eo.add_argument("--name", help=t("opt_event_name"))
    json_flag(eo)
    json_flag(cmd(esub, "current", "cmd_event_current"))
    cmd(esub, "close", "cmd_event_close")
    from station.cli import checkin as scan_cli  # e-cards: `ecard …`, `event create|list`, `scan`

    scan_cli.add_parsers(sub, esub, cmd, json_flag, _date)

    reg = cmd(sub, "register", "cmd_register")
    reg.add_argument("--name", required=True, help=t("opt_name"))
    reg.add_argument("--phone", required=True, help=t("opt_phone"))
    reg.add_argument("--id-number", required=True, help=t("opt_id_number"))
    reg.add_argument("--enterprise", help=t("opt_enterprise"))
    reg.add_argument("--union", help=t("opt_union"))
    reg.add_argument("--consent", action="store_true", help=t("opt_consent"))
    json_flag(reg)

    regs = cmd(sub, "registrations", "cmd_registrations")
    gsub = regs.add_subparsers(dest="registrations_command", required=True, parser_class=_Parser)
    rl = cmd(gsub, "list", "cmd_registrations_list")
    rl.add_argument("--today", action="store_true", help=t("opt_today"))
    rl.add_argument("--date", type=_date, help=t("opt_date"))
    rl.add_argument("--event", action="store_true", help=t("opt_event_only"))
    rl.add_argument("--limit", type=int, help=t("opt_limit"))
    operator_cli.add_unmask_options(rl)
    json_flag(rl)
    ri = cmd(gsub, "import", "cmd_registrations_import")
    ri.add_argument("file", type=Path, help=t("opt_file"))
    ri.add_argument("--map", dest="mapping", help=t("opt_map"))
    ri.add_argument("--consent-confirmed", action="store_true", help=t("opt_consent_confirmed"))
    ri.add_argument("--report-dir", type=Path, help=t("opt_report_dir"))
    json_flag(ri)

    aud = cmd(sub, "audit", "cmd_audit")
    asub = aud.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    json_flag(cmd(asub, "verify", "cmd_audit_verify"))
    al = cmd(asub, "list", "cmd_audit_list")
    al.add_argument("--limit", type=int, default=50, help=t("opt_limit"))
    json_flag(al)

    cmd(sub, "backup", "cmd_backup")
    rs = cmd(sub, "restore", "cmd_restore")
    rs.add_argument("name", nargs="?", help=t("opt_backup_name"))
    rs.add_argument("--list", action="store_true", help=t("opt_list"))
    cmd(sub, "check", "cmd_check")
    from station.cli import posters as poster_cli  # QR posters: `poster make|batch|list|config`

    poster_cli.add_parsers(sub, cmd, json_flag, _date)
    from station.cli import draw as draw_cli  # prize draw: `draw prizes add|list`, `draw run|void|verify`

    draw_cli.add_parsers(sub, cmd, json_flag)
    from station.cli import reports as report_cli  # organizer reports: `report day|enterprises`

    report_cli.add_parsers(sub, cmd, json_flag, _date)
    from station.cli import hub as hub_cli  # the reference hub: `hub serve|enroll|roster|keys|…`, dispatched in hub_cli

    hub_cli.add_parsers(sub, cmd, json_flag, _date)
    from station.cli import sync as sync_cli  # the station's own sync: `sync enroll|run|status|refusals|bundle|receipt`, `reset`

    sync_cli.add_parsers(sub, cmd, json_flag)
    operator_cli.add_parsers(sub, cmd, json_flag, _date)
    return p


# -- helpers -------------------------------------------------------------------
def _open(args, integrity: str = "quick"):
    from station.store.database import open_store

    return open_store(args.data_dir, integrity=integrity)


def _session(args, store, action: str | None = None, *, check_log: bool = True):
    """The --operator's OperatorSession (logged in once per run); StationError says how to log in."""
    from station.cli.operators import session_for

    return session_for(args, store, action, check_log=check_log)


def _check_unmasked(args, operator) -> bool:
    """Whether a list stays masked: --unmasked needs the unmask right and a --reason, checked up front."""
    if not getattr(args, "unmasked", False):
        return True
    operator.require("unmask")
    if len((args.reason or "").strip()) < 2:
        raise StationError("cli_unmask_reason_required")
    return False


def _audit_unmasked(store, operator, what: str, targets: list, reason: str | None) -> None:
    from station.cli.operators import audit_list_unmask

    audit_list_unmask(store, operator, what, targets, reason)


def _progress_printer():
    """A progress callback writing one updating line to stderr on a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(p) -> None:
        eta = f"{p.eta_s:.0f}s" if p.eta_s is not None else "?"
        sys.stderr.write("\r" + t("progress_line", done=p.rows_done, rate=p.rows_per_s, eta=eta) + "   ")
        sys.stderr.flush()

    return show


def _end_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\n")


# -- commands ------------------------------------------------------------------
def cmd_init(args) -> int:
    from station.store.database import open_store

    existed = (args.data_dir or _default_dir()).joinpath("station.sqlite").exists()
    store = open_store(args.data_dir, station_name=args.name)
    ident = store.identity
    if args.json:
        print_json({"uuid": ident.uuid, "name": ident.name, "data_dir": str(store.paths.root), "created": not existed})
    else:
        key = "station_exists" if existed else "station_created"
        print(t(key, name=ident.name, uuid=ident.uuid, path=store.paths.root))
    return EXIT_OK


def _default_dir() -> Path:
    from station.store.paths import default_data_dir

    return default_data_dir()


def cmd_roster_import(args) -> int:
    from station.roster import importer as roster_import

    store = _open(args)
    operator = _session(args, store, "import")
    mapping = None
    if args.mapping:
        preview = roster_import.preview_file(args.file)
        mapping = roster_import.parse_mapping_option(args.mapping, preview.headers)
    res = roster_import.import_roster(store, args.file, mapping=mapping, progress=_progress_printer(),
                                      report_dir=args.report_dir, operator=operator)
    _end_progress()
    if args.json:
        print_json(
            {
                "batch_uuid": res.batch_uuid,
                "file": res.file_name,
                "rows_read": res.rows_read,
                "inserted": res.inserted,
                "updated": res.updated,
                "rejected": res.rejected,
                "duplicates": res.duplicates,
                "warnings": res.warnings,
                "report": str(res.report_path) if res.report_path else None,
                "elapsed_s": round(res.elapsed_s, 3),
            }
        )
    else:
        print(
            t(
                "import_summary", file=res.file_name, read=res.rows_read, inserted=res.inserted, updated=res.updated,
                rejected=res.rejected, duplicates=res.duplicates, warnings=res.warnings, elapsed=res.elapsed_s,
            )
        )
        if res.report_path:
            print(t("report_written", path=res.report_path))
    return EXIT_OK


def cmd_roster_stats(args) -> int:
    from station.roster.stats import roster_stats

    stats = roster_stats(_open(args)).as_json()
    if args.json:
        print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return EXIT_OK


def cmd_roster_find(args) -> int:
    from station.roster.search import search

    store = _open(args)
    operator = _session(args, store, "view_masked")
    masked = _check_unmasked(args, operator)
    hits = search(store, args.query, operator, limit=max(1, args.limit))
    if not masked:
        _audit_unmasked(store, operator, "roster find", [h.member_id for h in hits], args.reason)
    # member_id: what `station unmask --member` takes.
    rows = [dict(h.as_json(masked=masked), member_id=h.member_id) for h in hits]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print("\t".join(str(row[k] or "") for k in ("name", "id_number", "phone", "enterprise", "union", "on_roster", "signed_up_at")))
    return EXIT_OK


def cmd_roster_template(args) -> int:
    import shutil

    from station.store.paths import resources_dir

    suffix = args.out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise StationError("template_ext", path=args.out)
    source = resources_dir() / "templates" / f"roster_template{suffix}"
    try:
        shutil.copyfile(source, args.out)
    except OSError as exc:
        raise StationError("file_unwritable", path=args.out, reason=exc.strerror or exc) from exc
    print(t("template_saved", path=args.out))
    return EXIT_OK


def cmd_event_open(args) -> int:
    from station.signup.booth import open_session

    info = open_session(
        _open(args), venue=args.venue, promoter=args.promoter, enterprise=args.enterprise,
        union=args.union, date=args.date, event_name=args.name,
    )
    if args.json:
        print_json(info.as_json())
    else:
        print(t("session_opened", event=info.event_name, date=info.date, venue=info.venue, promoter=info.promoter))
    return EXIT_OK


def cmd_event_current(args) -> int:
    from station.signup.booth import current_session

    info = current_session(_open(args))
    if args.json:
        print_json(info.as_json() if info else None)
    elif info:
        print(t("session_opened", event=info.event_name, date=info.date, venue=info.venue, promoter=info.promoter))
    else:
        print(t("session_none"))
    return EXIT_OK


def cmd_event_close(args) -> int:
    from station.signup.booth import close_session

    close_session(_open(args))
    print(t("session_closed"))
    return EXIT_OK


def cmd_register(args) -> int:
    from station.signup.service import register

    if not args.consent:
        raise StationError("consent_flag_required")
    store = _open(args)
    res = register(
        store, operator=_session(args, store, "signup"), name=args.name, phone=args.phone, id_number=args.id_number,
        enterprise=args.enterprise, union=args.union, consent=True,
    )
    if args.json:
        print_json(res.as_json())
    else:
        line = t(f"outcome_{res.outcome}")
        if res.earlier:
            line += "：" + t(
                "already_detail", at=res.earlier.at.strftime("%Y-%m-%d %H:%M"), event=res.earlier.event_name,
                venue=res.earlier.venue, station=res.earlier.station_name,
            )
        print(line)
        for w in res.warnings:
            print(w.message(), file=sys.stderr)
    return EXIT_OK


def cmd_registrations_list(args) -> int:
    from station.signup.booth import current_session
    from station.store.clock import local_today
    from station.signup.service import list_signups

    store = _open(args)
    operator = _session(args, store, "view_masked")
    masked = _check_unmasked(args, operator)
    day = args.date or (local_today() if args.today else None)
    event_id = None
    if args.event:
        info = current_session(store)
        if info is None:
            raise StationError("no_session")
        event_id = info.event_id
    rows = list_signups(store, operator, day=day, event_id=event_id, limit=args.limit)
    if not masked:
        _audit_unmasked(store, operator, "registrations list", [r.uuid for r in rows], args.reason)
    if args.json:
        print_json([r.as_json(masked=masked) for r in rows])
    else:
        for r in rows:
            d = r.as_json(masked=masked)
            print("\t".join(str(d[k] or "") for k in ("at", "name", "phone", "id_number", "enterprise", "outcome", "event")))
    return EXIT_OK


def cmd_registrations_import(args) -> int:
    from station.signup import paper_import
    from station.roster import importer as roster_import

    store = _open(args)
    operator = _session(args, store, "import")
    mapping = None
    if args.mapping:
        preview = roster_import.preview_file(args.file)
        mapping = roster_import.parse_mapping_option(args.mapping, preview.headers)
    res = paper_import.import_paper(
        store, args.file, mapping=mapping, consent_confirmed=args.consent_confirmed,
        progress=_progress_printer(), report_dir=args.report_dir, operator=operator,
    )
    _end_progress()
    if args.json:
        print_json(res.as_json())
    else:
        print(
            t(
                "paper_summary", file=res.file_name, read=res.rows_read, roster=res.roster, new=res.new,
                already=res.already, rejected=res.rejected, elapsed=res.elapsed_s,
            )
        )
        if res.report_path:
            print(t("report_written", path=res.report_path))
    return EXIT_OK


def cmd_audit_verify(args) -> int:
    from station.security import audit

    store = _open(args)
    # Logged in, the key-protected anchor is checked too (a rewritten or cut log): the one
    # stored before this log-in, which re-anchors the log as it is.
    before = audit.stored_anchor(store)
    session = _session(args, store, check_log=False) if args.operator else None
    problems = audit.verify(store, cipher=session.cipher if session else None, anchor=before)
    count = audit.count(store)
    if args.json:
        print_json({"ok": not problems, "entries": count, "anchor_checked": session is not None,
                    "problems": [p.as_json() for p in problems]})
    if not problems:
        if not args.json:
            print(t("cli_audit_ok_keyed" if session else "audit_ok", count=count))
        return EXIT_OK
    first = problems[0]
    print(t("audit_failed", count=len(problems), seq=first.seq, detail=first.message()), file=sys.stderr)
    if not args.json:
        for p in problems[1:]:
            print(p.message(), file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_audit_list(args) -> int:
    from station.security import audit

    store = _open(args)
    _session(args, store, "audit_read")
    rows = [audit.entry_json(e) for e in audit.entries(store, limit=max(1, args.limit))]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            details = json.dumps(r["details"], ensure_ascii=False)
            print("\t".join(str(v) for v in (r["seq"], r["at"], r["operator"] or "", r["action"], r["target"] or "", details)))
    return EXIT_OK


def cmd_backup(args) -> int:
    backup = _open(args, integrity="full").backup("manual")
    print(t("backup_done", path=backup.path, size=backup.size))
    return EXIT_OK


def cmd_restore(args) -> int:
    from station.store.paths import DataPaths
    from station.store.database import list_backups, restore_backup

    paths = DataPaths(args.data_dir or _default_dir())
    if args.list:
        backups = list_backups(paths)
        if not backups:
            print(t("no_backups_list"))
        for b in backups:
            print(f"{b.name}\t{b.taken_at:%Y-%m-%d %H:%M:%S}\t{b.size}")
        return EXIT_OK
    chosen, kept = restore_backup(paths, args.name)
    print(t("restored_from", name=chosen.name, kept=kept or "-"))
    return EXIT_OK


def cmd_check(args) -> int:
    store = _open(args, integrity="full")
    print(t("check_ok", path=store.paths.database))
    return EXIT_OK


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

    data_dir = args.data_dir or (_default_dir() / "demo")
    summary = prepare_demo(data_dir, members=args.members)
    print(t("demo_ready", members=summary["members"], signups=summary["signups"], path=data_dir))
    if "organizer" in summary:  # demo accounts only: never a real station's
        print(t("cli_demo_logins", organizer=summary["organizer"], passphrase=summary["passphrase"],
                promoter=summary["promoter"], pin=summary["pin"]))
    if args.no_gui:
        return EXIT_OK
    return _run_gui(data_dir)


COMMANDS: dict[tuple[str, ...], Callable] = {
    ("gui",): cmd_gui,
    ("demo",): cmd_demo,
    ("init",): cmd_init,
    ("roster", "import"): cmd_roster_import,
    ("roster", "stats"): cmd_roster_stats,
    ("roster", "find"): cmd_roster_find,
    ("roster", "template"): cmd_roster_template,
    ("event", "open"): cmd_event_open,
    ("event", "current"): cmd_event_current,
    ("event", "close"): cmd_event_close,
    ("register",): cmd_register,
    ("registrations", "list"): cmd_registrations_list,
    ("registrations", "import"): cmd_registrations_import,
    ("audit", "verify"): cmd_audit_verify,
    ("audit", "list"): cmd_audit_list,
    ("backup",): cmd_backup,
    ("restore",): cmd_restore,
    ("check",): cmd_check,
}


def _add_ecard_commands() -> None:
    from station.cli.checkin import COMMANDS as ECARD_COMMANDS

    COMMANDS.update(ECARD_COMMANDS)
    from station.cli.posters import COMMANDS as POSTER_COMMANDS

    COMMANDS.update(POSTER_COMMANDS)
    from station.cli.draw import COMMANDS as DRAW_COMMANDS

    COMMANDS.update(DRAW_COMMANDS)
    from station.cli.reports import COMMANDS as REPORT_COMMANDS

    COMMANDS.update(REPORT_COMMANDS)
    from station.cli.hub import COMMANDS as HUB_COMMANDS

    COMMANDS.update(HUB_COMMANDS)
    from station.cli.sync import COMMANDS as SYNC_COMMANDS

    COMMANDS.update(SYNC_COMMANDS)
    from station.cli.operators import COMMANDS as OPERATOR_COMMANDS

    COMMANDS.update(OPERATOR_COMMANDS)


_add_ecard_commands()


def _log_to_data_dir(data_dir: Path | None) -> None:
    """Tracebacks go to the log of the data directory in use, from the first line on."""
    from station.store.logs import setup_logging
    from station.store.paths import DataPaths

    try:
        setup_logging(DataPaths(data_dir or _default_dir()).log_file)
    except OSError:
        pass  # open_store will say clearly that the directory is unwritable


def _pre_lang(argv: list[str]) -> str | None:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None


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
    key = tuple(
        v for v in (
            args.command,
            getattr(args, "roster_command", None),
            getattr(args, "event_command", None),
            getattr(args, "registrations_command", None),
            getattr(args, "audit_command", None),
            getattr(args, "ecard_command", None),
            getattr(args, "poster_command", None),
            getattr(args, "draw_command", None),
            getattr(args, "draw_prizes_command", None),
            getattr(args, "report_command", None),
            getattr(args, "operators_command", None),
            getattr(args, "settings_command", None),
        ) if v
    )
    handler = COMMANDS.get(key or ("gui",))
    _log_to_data_dir(args.data_dir)
    try:
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
