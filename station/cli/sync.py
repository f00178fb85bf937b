"""`station sync enroll|run|status|refusals` and `station reset` (organizer; issue 7, part 3).

``register`` adds the commands with their handlers (`sync bundle|receipt`
come from station/cli/bundle.py).  `sync run` prints progress on stderr and the report in
plain words on stdout; its exit code says how it went: 0 ok, 3 records
need attention (refused by the hub), 1 failed or cancelled.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from station.cli import bundle as bundle_cli
from station.cli import live as live_cli
from station.cli.login import session_for
from station.cli.support import CommandTree, json_flag, open_station, print_json
from station.i18n import get_lang, t

EXIT_OK, EXIT_FAILED, EXIT_ATTENTION = 0, 1, 3


def register(tree: CommandTree) -> None:
    """`sync` and `reset`."""
    ssub = tree.group("sync", "cmd_sync", "sync_command")
    enroll = tree.add("enroll", "cmd_sync_enroll", cmd_enroll, parent=ssub)
    enroll.add_argument("--hub", required=True, help=t("opt_sync_hub"))
    enroll.add_argument("--code", required=True, help=t("opt_sync_code"))
    enroll.add_argument("--ca-file", type=Path, help=t("opt_sync_ca_file"))
    enroll.add_argument("--replace", action="store_true", help=t("opt_sync_replace"))
    json_flag(enroll)
    json_flag(tree.add("run", "cmd_sync_run", cmd_run, parent=ssub))
    json_flag(tree.add("status", "cmd_sync_status", cmd_status, parent=ssub))
    json_flag(tree.add("refusals", "cmd_sync_refusals", cmd_refusals, parent=ssub))
    bundle_cli.register(tree, ssub)  # `sync bundle|receipt`: the offline sync file
    live_cli.register(tree, ssub)  # `sync live`: in step with the other stations of the event
    reset = tree.add("reset", "cmd_reset", cmd_reset)
    reset.add_argument("--confirm-station", required=True, metavar="NAME", help=t("opt_reset_confirm"))


def _organizer(args, store):
    return session_for(args, store, "sync")


def _when(value) -> str:
    from station.checkin.events import utc_to_local

    return utc_to_local(value).strftime("%Y-%m-%d %H:%M") if value else "-"


# -- enroll ----------------------------------------------------------------------------------------


def cmd_enroll(args) -> int:
    from station.sync import client as sync_client

    store = open_station(args)
    session = _organizer(args, store)
    row = sync_client.enroll(store, session, args.hub, args.code, ca_file=str(args.ca_file) if args.ca_file else None,
                             replace=args.replace)
    if args.json:
        print_json({"hub": row.hub_url, "hub_station_name": row.hub_station_name,
                    "bundle_key_public": row.bundle_key_public})
    else:
        print(t("sync_enrolled", hub=row.hub_url, name=row.hub_station_name))
    return EXIT_OK


# -- run -------------------------------------------------------------------------------------------------


def _progress_printer():
    """One line rewritten in place on a terminal; one line per finished kind into a file or pipe."""
    live = sys.stderr.isatty()

    def show(kind: str, done: int, total: int) -> None:
        kind = kind.removeprefix("pull:")  # station/sync/pull.py names its kinds so; events go both ways
        from station.sync.report import items_text

        name = items_text(kind)
        text = t("sync_progress", kind=name, done=f"{done:,}", total=f"{max(total, done):,}")
        if live:
            print("\r" + text + "\x1b[K", end="", file=sys.stderr, flush=True)
        elif done >= total:
            print(text, file=sys.stderr, flush=True)

    show.live = live
    return show


def cmd_run(args) -> int:
    from station.sync import client as sync_client

    store = open_station(args)
    session = _organizer(args, store)
    progress = _progress_printer()
    report = sync_client.run_sync(store, session, progress=progress)
    if progress.live:
        print(file=sys.stderr)
    lines = report.summary_lines(get_lang())
    if args.json:
        data = json.loads(report.to_json())
        data["lines"] = lines
        print_json(data)
    else:
        for line in lines:
            print(line)
    return {"ok": EXIT_OK, "attention": EXIT_ATTENTION}.get(report.outcome, EXIT_FAILED)


# -- status, refusals ------------------------------------------------------------------------------------


def _status(store) -> dict:
    from station.sync import client as sync_client
    from station.sync import records as sync_records
    from station.sync.report import last_report

    row = sync_client.link(store)
    last = last_report(store)
    return {
        "enrolled": row is not None,
        "hub": row.hub_url if row else None,
        "hub_station_name": row.hub_station_name if row else None,
        "enrolled_at": row.enrolled_at.isoformat(timespec="seconds") if row else None,
        "last_attempt_at": row.last_attempt_at.isoformat(timespec="seconds") if row and row.last_attempt_at else None,
        "last_success_at": row.last_success_at.isoformat(timespec="seconds") if row and row.last_success_at else None,
        "last": json.loads(last.to_json()) if last else None,
        "pending": sync_records.pending_counts(store),
        "refusals": len(sync_records.open_refusals(store)),
    }


def cmd_status(args) -> int:
    from station.sync import client as sync_client
    from station.sync.report import count_text

    store = open_station(args)
    _organizer(args, store)
    row = sync_client.link(store)
    data = _status(store)
    if args.json:
        print_json(data)
        return EXIT_OK
    if row is None:
        print(t("sync_not_enrolled"))
    else:
        print(t("sync_status_enrolled", hub=row.hub_url, name=row.hub_station_name))
        _print_last(store, row)
    detail = count_text(data["pending"])
    print(t("sync_status_pending", detail=detail) if detail else t("sync_status_nothing_pending"))
    if data["refusals"]:
        print(t("sync_status_refusals", count=data["refusals"]))
    return EXIT_OK


def _print_last(store, row) -> None:
    from station.sync.report import last_report

    last = last_report(store)
    if last is not None:
        print(t("sync_status_last", when=_when(last.started_at), outcome=last.summary_lines(get_lang())[0]))
    print(t("sync_status_last_success", when=_when(row.last_success_at)) if row.last_success_at
          else t("sync_status_never"))


def cmd_refusals(args) -> int:
    from station.sync import client as sync_client
    from station.sync.report import items_text

    store = open_station(args)
    _organizer(args, store)
    rows = sync_client.refusal_rows(store, get_lang())
    if args.json:
        print_json(rows)
        return EXIT_OK
    if not rows:
        print(t("sync_refusals_none"))
    for r in rows:
        print(t("sync_refusals_row", kind=items_text(r["kind"]), uuid=r["uuid"], error=r["error"],
                reason=r["reason"], first=r["first_at"], last=r["last_at"]))
    return EXIT_OK


# -- reset ----------------------------------------------------------------------------------------------------


def cmd_reset(args) -> int:
    from station.sync.reset import reset_station

    store = open_station(args)
    session = session_for(args, store, "purge")
    root = store.paths.root
    reset_station(store, session, args.confirm_station)
    print(t("sync_reset_done", path=root))
    return EXIT_OK
