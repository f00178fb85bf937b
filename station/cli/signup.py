"""The CLI's sign-up commands: `station register`, `station registrations list|import`."""

from __future__ import annotations

import sys
from pathlib import Path

from station.cli.login import add_unmask_options, audit_list_unmask, check_unmasked, session_for
from station.cli.roster import mapping_option
from station.cli.support import (
    CommandTree,
    end_progress,
    iso_date,
    json_flag,
    open_station,
    print_json,
    progress_printer,
)
from station.errors import StationError
from station.i18n import t


def register(tree: CommandTree) -> None:
    """`register` and `registrations`."""
    reg = tree.add("register", "cmd_register", cmd_register)
    reg.add_argument("--name", required=True, help=t("opt_name"))
    reg.add_argument("--phone", required=True, help=t("opt_phone"))
    reg.add_argument("--id-number", required=True, help=t("opt_id_number"))
    reg.add_argument("--enterprise", help=t("opt_enterprise"))
    reg.add_argument("--union", help=t("opt_union"))
    reg.add_argument("--consent", action="store_true", help=t("opt_consent"))
    json_flag(reg)

    gsub = tree.group("registrations", "cmd_registrations", "registrations_command")
    rl = tree.add("list", "cmd_registrations_list", cmd_registrations_list, parent=gsub)
    rl.add_argument("--today", action="store_true", help=t("opt_today"))
    rl.add_argument("--date", type=iso_date, help=t("opt_date"))
    rl.add_argument("--event", action="store_true", help=t("opt_event_only"))
    rl.add_argument("--limit", type=int, help=t("opt_limit"))
    add_unmask_options(rl)
    json_flag(rl)
    ri = tree.add("import", "cmd_registrations_import", cmd_registrations_import, parent=gsub)
    ri.add_argument("file", type=Path, help=t("opt_file"))
    ri.add_argument("--map", dest="mapping", help=t("opt_map"))
    ri.add_argument("--consent-confirmed", action="store_true", help=t("opt_consent_confirmed"))
    ri.add_argument("--report-dir", type=Path, help=t("opt_report_dir"))
    json_flag(ri)


def cmd_register(args) -> int:
    from station.signup.service import outcome_text, register

    if not args.consent:
        raise StationError("consent_flag_required")
    store = open_station(args)
    res = register(
        store, operator=session_for(args, store, "signup"), name=args.name, phone=args.phone,
        id_number=args.id_number, enterprise=args.enterprise, union=args.union, consent=True,
    )
    if args.json:
        print_json(res.as_json())
    else:
        line = outcome_text(res.outcome)
        if res.earlier:
            line += "：" + t(
                "already_detail", at=res.earlier.at.strftime("%Y-%m-%d %H:%M"), event=res.earlier.event_name,
                venue=res.earlier.venue, station=res.earlier.station_name,
            )
        print(line)
        for w in res.warnings:
            print(w.message(), file=sys.stderr)
    return 0


def cmd_registrations_list(args) -> int:
    from station.signup.booth import current_session
    from station.signup.service import list_signups
    from station.store.clock import local_today

    store = open_station(args)
    operator = session_for(args, store, "view_masked")
    masked = check_unmasked(args, operator)
    day = args.date or (local_today() if args.today else None)
    event_id = None
    if args.event:
        info = current_session(store)
        if info is None:
            raise StationError("no_session")
        event_id = info.event_id
    rows = list_signups(store, operator, day=day, event_id=event_id, limit=args.limit)
    if not masked:
        audit_list_unmask(store, operator, "registrations list", [r.uuid for r in rows], args.reason)
    if args.json:
        print_json([r.as_json(masked=masked) for r in rows])
    else:
        for r in rows:
            d = r.as_json(masked=masked)
            print("\t".join(str(d[k] or "") for k in ("at", "name", "phone", "id_number", "enterprise", "outcome",
                                                       "event")))
    return 0


def cmd_registrations_import(args) -> int:
    from station.signup import paper_import

    store = open_station(args)
    operator = session_for(args, store, "import")
    mapping = mapping_option(args)
    res = paper_import.import_paper(
        store, args.file, mapping=mapping, consent_confirmed=args.consent_confirmed,
        progress=progress_printer(), report_dir=args.report_dir, operator=operator,
    )
    end_progress()
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
    return 0
