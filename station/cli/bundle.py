"""`station sync bundle --out DIR` and `station sync receipt FILE`: the offline sync file (issue 7, part 4).

The `sync` group is station/cli/sync.py's: it adds these two subcommands,
with their handlers, by calling ``register``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from station.cli.login import session_for
from station.cli.support import CommandTree, json_flag, open_station, print_json
from station.i18n import get_lang, t

if TYPE_CHECKING:
    from station.cli.support import Subparsers


def register(tree: CommandTree, ssub: Subparsers) -> None:
    """`bundle` and `receipt` under the `sync` command's subparsers ``ssub``."""
    bundle = tree.add("bundle", "cmd_sync_bundle", cmd_bundle, parent=ssub)
    bundle.add_argument("--out", type=Path, required=True, metavar="DIR", help=t("opt_sync_bundle_out"))
    json_flag(bundle)
    receipt = tree.add("receipt", "cmd_sync_receipt", cmd_receipt, parent=ssub)
    receipt.add_argument("file", type=Path, metavar="FILE", help=t("opt_sync_receipt_file"))
    json_flag(receipt)


def _organizer(args, store):
    return session_for(args, store, "sync")


def cmd_bundle(args) -> int:
    from station.sync.bundle import bundle_lines, export_bundle

    store = open_station(args)
    res = export_bundle(store, _organizer(args, store), args.out)
    if args.json:
        print_json({"file": str(res.path), "bundle_uuid": res.bundle_uuid, "counts": res.counts, "bytes": res.size})
        return 0
    print("\n".join(bundle_lines(res)))
    return 0


def cmd_receipt(args) -> int:
    from station.sync.bundle import ReceiptAlreadyImported, import_receipt, receipt_lines

    store = open_station(args)
    try:
        report = import_receipt(store, _organizer(args, store), args.file)
    except ReceiptAlreadyImported as exc:
        if args.json:
            print_json({"already_imported": True, "message": exc.message()})
        else:
            print(exc.message())
        return 0
    lines = receipt_lines(report, get_lang())
    if args.json:
        print_json({**json.loads(report.to_json()), "lines": lines})
    else:
        print("\n".join(lines))
    return 3 if report.outcome == "attention" else 0
