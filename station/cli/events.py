"""The CLI's `station event …`: the booth's session (`open|current|close`) and the e-card events (`create|list`).

Both kinds are "events" to the people at the door, so they share one command;
the session is station/signup/booth.py's, the e-card event station/checkin/events.py's.
"""

from __future__ import annotations

from station.cli.support import CommandTree, iso_date, json_flag, open_station, print_json
from station.i18n import t


def register(tree: CommandTree) -> None:
    esub = tree.group("event", "cmd_event", "event_command")
    eo = tree.add("open", "cmd_event_open", cmd_event_open, parent=esub)
    eo.add_argument("--venue", required=True, help=t("opt_venue"))
    eo.add_argument("--promoter", required=True, help=t("opt_promoter"))
    eo.add_argument("--enterprise", help=t("opt_enterprise"))
    eo.add_argument("--union", help=t("opt_union"))
    eo.add_argument("--date", type=iso_date, help=t("opt_date"))
    eo.add_argument("--name", help=t("opt_event_name"))
    json_flag(eo)
    json_flag(tree.add("current", "cmd_event_current", cmd_event_current, parent=esub))
    tree.add("close", "cmd_event_close", cmd_event_close, parent=esub)

    ecr = tree.add("create", "cmd_event_create", cmd_event_create, parent=esub)
    ecr.add_argument("--kind", choices=("screening", "redemption"), default="screening", help=t("opt_kind"))
    ecr.add_argument("--name", required=True, help=t("opt_event_name"))
    ecr.add_argument("--venue", required=True, help=t("opt_venue"))
    ecr.add_argument("--date", type=iso_date, help=t("opt_date"))
    ecr.add_argument("--entry", help=t("opt_entry"))
    ecr.add_argument("--capacity", type=int, help=t("opt_capacity"))
    ecr.add_argument("--admissions", type=int, default=1, help=t("opt_admissions"))
    ecr.add_argument("--union", action="append", default=[], help=t("opt_eligible_union"))
    ecr.add_argument("--enterprise", action="append", default=[], help=t("opt_eligible_enterprise"))
    ecr.add_argument("--reentry", action="store_true", help=t("opt_reentry"))
    json_flag(ecr)
    el = tree.add("list", "cmd_event_list", cmd_event_list, parent=esub)
    el.add_argument("--date", type=iso_date, help=t("opt_date"))
    el.add_argument("--upcoming", action="store_true", help=t("opt_upcoming"))
    json_flag(el)


# -- the booth's session ------------------------------------------------------------------------
def cmd_event_open(args) -> int:
    from station.signup.booth import open_session

    info = open_session(
        open_station(args), venue=args.venue, promoter=args.promoter, enterprise=args.enterprise,
        union=args.union, date=args.date, event_name=args.name,
    )
    if args.json:
        print_json(info.as_json())
    else:
        print(t("session_opened", event=info.event_name, date=info.date, venue=info.venue, promoter=info.promoter))
    return 0


def cmd_event_current(args) -> int:
    from station.signup.booth import current_session

    info = current_session(open_station(args))
    if args.json:
        print_json(info.as_json() if info else None)
    elif info:
        print(t("session_opened", event=info.event_name, date=info.date, venue=info.venue, promoter=info.promoter))
    else:
        print(t("session_none"))
    return 0


def cmd_event_close(args) -> int:
    from station.signup.booth import close_session

    close_session(open_station(args))
    print(t("session_closed"))
    return 0


# -- e-card events --------------------------------------------------------------------------------
def cmd_event_create(args) -> int:
    from station.checkin import events
    from station.checkin.events import EventDraft, create_event, parse_window

    start = end = None
    if args.entry:
        start, end = parse_window(args.entry)
    info = create_event(open_station(args), EventDraft(
        kind=args.kind, name=args.name, venue=args.venue, date=args.date, entry_start=start, entry_end=end,
        capacity=args.capacity, admissions_per_member=args.admissions, unions=args.union,
        enterprises=args.enterprise, reentry=args.reentry))
    if args.json:
        print_json(dict(info.as_json(), id=info.id))
    else:
        print(t("event_created", name=info.name, kind=events.kind_text(info.kind), date=info.date,
                window=_window(info), venue=info.venue, id=info.id))
    return 0


def _window(info) -> str:
    start, end = info.local_window()
    if start is None or end is None:
        return ""
    return f"{start:%H:%M}-{end:%H:%M}"


def cmd_event_list(args) -> int:
    from station.checkin.events import kind_text, list_events

    found = list_events(open_station(args), day=args.date, upcoming=args.upcoming)
    if args.json:
        print_json([dict(e.as_json(), id=e.id) for e in found])
    else:
        for e in found:
            cap = "-" if e.capacity is None else e.capacity
            print("\t".join(str(v) for v in (e.id, e.date, _window(e), kind_text(e.kind), e.name, e.venue,
                                              f"{e.admitted}/{cap}")))
    return 0
