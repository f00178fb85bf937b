"""The CLI's audit log commands: `station audit verify|list`.

`audit verify` exits 2 when the chain is broken, with the first problem on stderr.
"""

from __future__ import annotations

import json
import sys

from station.cli.login import session_for
from station.cli.support import CommandTree, json_flag, open_station, print_json
from station.i18n import t


def register(tree: CommandTree) -> None:
    asub = tree.group("audit", "cmd_audit", "audit_command")
    json_flag(tree.add("verify", "cmd_audit_verify", cmd_audit_verify, parent=asub))
    al = tree.add("list", "cmd_audit_list", cmd_audit_list, parent=asub)
    al.add_argument("--limit", type=int, default=50, help=t("opt_limit"))
    json_flag(al)


def cmd_audit_verify(args) -> int:
    from station.security import audit

    store = open_station(args)
    # Logged in, the key-protected anchor is checked too (a rewritten or cut log): the one
    # stored before this log-in, which re-anchors the log as it is.
    before = audit.stored_anchor(store)
    session = session_for(args, store, check_log=False) if args.operator else None
    problems = audit.verify(store, cipher=session.cipher if session else None, anchor=before)
    count = audit.count(store)
    if args.json:
        print_json({"ok": not problems, "entries": count, "anchor_checked": session is not None,
                    "problems": [p.as_json() for p in problems]})
    if not problems:
        if not args.json:
            print(t("cli_audit_ok_keyed" if session else "audit_ok", count=count))
        return 0
    first = problems[0]
    print(t("audit_failed", count=len(problems), seq=first.seq, detail=first.message()), file=sys.stderr)
    if not args.json:
        for p in problems[1:]:
            print(p.message(), file=sys.stderr)
    return 2


def cmd_audit_list(args) -> int:
    from station.security import audit

    store = open_station(args)
    session_for(args, store, "audit_read")
    rows = [audit.entry_json(e) for e in audit.entries(store, limit=max(1, args.limit))]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            details = json.dumps(r["details"], ensure_ascii=False)
            print("\t".join(str(v) for v in (r["seq"], r["at"], r["operator"] or "", r["action"], r["target"] or "",
                                              details)))
    return 0
