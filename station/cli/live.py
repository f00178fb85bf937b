"""`station sync join|leave|live`: the event host's link, and live sync in the foreground (issue 15).

One line per exchange on stdout (what went, what came, how many stations are
live), one when the link goes and when it comes back.  The door and the booth
never wait for it: they decide on the store, which this keeps current.
"""

from __future__ import annotations

import datetime as dt
import threading

from station.cli.login import session_for
from station.cli.support import CommandTree, open_station
from station.errors import StationError
from station.i18n import t


def register(tree: CommandTree, ssub) -> None:
    join = tree.add("join", "cmd_sync_join", cmd_join, parent=ssub)
    join.add_argument("ticket", help=t("opt_sync_join_ticket"))
    tree.add("leave", "cmd_sync_leave", cmd_leave, parent=ssub)
    live = tree.add("live", "cmd_sync_live", cmd_live, parent=ssub)
    live.add_argument("--wait", type=float, default=20.0, metavar="S", help=t("opt_sync_live_wait"))
    live.add_argument("--exchanges", type=int, default=0, metavar="N", help=t("opt_sync_live_exchanges"))


def cmd_join(args) -> int:
    from station.sync import lan_link

    store = open_station(args)
    session = session_for(args, store, "sync")
    row = lan_link.join(store, session, args.ticket)
    print(t("sync_joined", url=row.host_url, name=row.host_station_name, pin=row.pin_sha256[:16]))
    return 0


def cmd_leave(args) -> int:
    from station.sync import lan_link

    store = open_station(args)
    session = session_for(args, store, "sync")
    print(t("sync_left") if lan_link.leave(store, session) else t("sync_left_none"))
    return 0


def _now() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")


def cmd_live(args) -> int:
    store = open_station(args)
    session = session_for(args, store)
    if not (session.can("checkin") or session.can("signup")):
        session.require("checkin")
    if not 0 <= args.wait <= 25:
        raise StationError("live_bad_wait", value=args.wait)
    cancel = threading.Event()
    from station.sync.live_target import open_live

    live, target = open_live(store, session, wait_s=args.wait, cancel=cancel)
    print(t("live_started", target=target), flush=True)
    count = 0
    online: list[bool | None] = [None]

    def exchanged(ex) -> None:
        nonlocal count
        print(ex.line(), flush=True)
        count += 1
        if args.exchanges and count >= args.exchanges:
            cancel.set()

    def state(st) -> None:
        if st.online and online[0] is False:
            print(t("live_back_line", at=_now()), flush=True)
        elif not st.online and online[0] is not False:
            print(t("live_offline_line", at=_now(), reason=st.error or "-"), flush=True)
        online[0] = st.online

    try:
        live.run(exchanged, state)
    except KeyboardInterrupt:
        cancel.set()
    finally:
        live.client.close()
    print(t("live_stopped"), flush=True)
    return 0
