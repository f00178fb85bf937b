"""`station host serve|ticket`: this laptop as the event host on the local network (issue 15).

`host serve` runs the reference hub over TLS on the Wi-Fi until Ctrl+C (the
organizer's; the host's database is in the data directory); `host ticket`
gives one station its one-time ticket to join: a QR code printed in the
terminal, the text it holds, and a short form to type.  Each station (the
host's own too) then runs `station --operator NAME sync join TICKET`.
"""

from __future__ import annotations

import contextlib

from station.cli.login import session_for
from station.cli.support import CommandTree, json_flag, open_station, print_json
from station.i18n import t


def register(tree: CommandTree) -> None:
    hsub = tree.group("host", "cmd_host", "host_command")
    serve = tree.add("serve", "cmd_host_serve", cmd_serve, parent=hsub)
    serve.add_argument("--port", type=int, default=None, help=t("opt_host_port"))
    serve.add_argument("--bind", default="0.0.0.0", help=t("opt_host_bind"))
    ticket = tree.add("ticket", "cmd_host_ticket", cmd_ticket, parent=hsub)
    ticket.add_argument("--station-name", required=True, help=t("opt_host_station_name"))
    ticket.add_argument("--port", type=int, default=None, help=t("opt_host_port"))
    ticket.add_argument("--address", default=None, help=t("opt_host_address"))
    json_flag(ticket)


def cmd_serve(args) -> int:
    from station.sync import lan
    from station.sync.lan_host import DEFAULT_PORT, HostServer, identity

    store = open_station(args)
    session_for(args, store, "sync")
    addresses = lan.lan_addresses()
    _cert, _key, pem = identity(store, addresses)
    server = HostServer(store, args.port or DEFAULT_PORT, args.bind)
    print(t("host_serving", urls=", ".join(f"https://{a}:{server.port}" for a in addresses),
            pin=lan.fingerprint(pem)[:16]), flush=True)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is how the host stops
        server.serve_forever()
    print(t("host_stopped"), flush=True)
    return 0


def cmd_ticket(args) -> int:
    import io

    import qrcode

    from station.sync.lan_host import DEFAULT_PORT, ticket

    store = open_station(args)
    session_for(args, store, "sync")
    tk = ticket(store, args.station_name, args.port or DEFAULT_PORT, address=args.address)
    if args.json:
        print_json({"station_name": args.station_name, "qr_text": tk.qr_text(), "short_text": tk.short_text(),
                    "host": tk.host, "port": tk.port})
        return 0
    qr = qrcode.QRCode(border=1)
    qr.add_data(tk.qr_text())
    out = io.StringIO()
    qr.print_ascii(out=out, invert=True)
    print(out.getvalue(), end="")
    print(t("host_ticket", name=args.station_name, qr=tk.qr_text(), short=tk.short_text()), flush=True)
    return 0
