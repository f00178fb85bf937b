"""The CLI's prize draw commands: `station draw prizes add|list`, `station draw run|void|verify`.

``register`` adds the commands with their handlers.  Winners are printed masked.
"""

from __future__ import annotations

import sys

from station.cli.login import session_for
from station.cli.support import CommandTree, json_flag, open_station, positive_int, print_json
from station.i18n import t

_positive = positive_int("draw_bad_count")


def register(tree: CommandTree) -> None:
    """The `draw` command and its subcommands."""
    dsub = tree.group("draw", "cmd_draw", "draw_command")

    psub = tree.group("prizes", "cmd_draw_prizes", "draw_prizes_command", parent=dsub)
    add = tree.add("add", "cmd_draw_prizes_add", cmd_draw_prizes_add, parent=psub)
    add.add_argument("--event", required=True, help=t("opt_draw_event"))
    add.add_argument("--name", required=True, help=t("opt_draw_prize_name"))
    add.add_argument("--stock", type=_positive, required=True, help=t("opt_draw_stock"))
    json_flag(add)
    ls = tree.add("list", "cmd_draw_prizes_list", cmd_draw_prizes_list, parent=psub)
    ls.add_argument("--event", required=True, help=t("opt_draw_event"))
    json_flag(ls)

    run = tree.add("run", "cmd_draw_run", cmd_draw_run, parent=dsub)
    run.add_argument("--event", required=True, help=t("opt_draw_event"))
    run.add_argument("--prize", required=True, help=t("opt_draw_prize"))
    run.add_argument("--count", type=_positive, default=1, help=t("opt_draw_count"))
    run.add_argument("--only", choices=("roster", "new"), help=t("opt_draw_only"))
    json_flag(run)

    void = tree.add("void", "cmd_draw_void", cmd_draw_void, parent=dsub)
    void.add_argument("--win", required=True, help=t("opt_draw_win"))
    void.add_argument("--reason", required=True, help=t("opt_draw_reason"))
    void.add_argument("--redraw", action="store_true", help=t("opt_draw_redraw"))
    json_flag(void)

    verify = tree.add("verify", "cmd_draw_verify", cmd_draw_verify, parent=dsub)
    verify.add_argument("--draw", required=True, help=t("opt_draw_id"))
    json_flag(verify)


def _session(args, store):
    """Drawing shows winners' phone tails (decrypted): the --operator logs in (both roles may draw)."""
    return session_for(args, store, "draw")


def _print_draw(res) -> None:
    print(t("draw_result_head", draw=res.draw_id, prize=res.prize.name, entries=res.entries, count=len(res.winners)))
    for w in res.winners:
        print(t("draw_winner_line", win=w.win_id, name=w.name_masked, tail=w.phone_tail))


def cmd_draw_prizes_add(args) -> int:
    from station.draw.service import add_prize

    p = add_prize(open_station(args), args.event, args.name, args.stock)
    if args.json:
        print_json(p.as_json())
    else:
        print(t("draw_prize_added", name=p.name, stock=p.stock, id=p.id))
    return 0


def cmd_draw_prizes_list(args) -> int:
    from station.draw.service import list_prizes

    rows = list_prizes(open_station(args), args.event)
    if args.json:
        print_json([p.as_json() for p in rows])
        return 0
    if not rows:
        print(t("draw_no_prizes"))
    for p in rows:
        print(t("draw_prize_line", id=p.id, name=p.name, remaining=p.remaining, stock=p.stock))
    return 0


def cmd_draw_run(args) -> int:
    from station.draw.service import run_draw

    store = open_station(args)
    res = run_draw(store, args.event, args.prize, args.count, only=args.only, operator=_session(args, store))
    if args.json:
        print_json(res.as_json())
    else:
        _print_draw(res)
    return 0


def cmd_draw_void(args) -> int:
    from station.draw.service import void_win

    store = open_station(args)
    res = void_win(store, args.win, args.reason, redraw=args.redraw, operator=_session(args, store))
    if args.json:
        print_json(res.as_json())
        return 0
    print(t("draw_voided", win=res.win_id, reason=res.reason))
    if res.redraw:
        _print_draw(res.redraw)
    return 0


def cmd_draw_verify(args) -> int:
    from station.draw.service import verify_draw

    v = verify_draw(open_station(args), args.draw)
    if args.json:
        print_json(v.as_json())
    if v.ok:
        if not args.json:
            print(t("draw_verify_ok", draw=v.draw_id, entries=v.entries, sha=v.actual_sha256))
        return 0
    # As `station audit verify`: a failed check exits 2 with the reason on stderr.
    if v.stored_sha256 != v.actual_sha256:
        print(t("draw_verify_bad", draw=v.draw_id, stored=v.stored_sha256, actual=v.actual_sha256), file=sys.stderr)
    else:
        print(t("draw_verify_winner_bad", draw=v.draw_id), file=sys.stderr)
    return 2
