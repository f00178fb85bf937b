"""The CLI's e-card commands: `station ecard keygen|issue|trust|revoke` and `station scan`.

The e-card events (`station event create|list`) share the `event` command
with the booth's session: station/cli/events.py has them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from station.cli.login import session_for
from station.cli.support import CommandTree, json_flag, open_station, print_json
from station.errors import StationError
from station.i18n import t

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.I)


def _duration(value: str) -> dt.timedelta:
    import argparse

    m = _DURATION.match(value or "")
    if not m or int(m.group(1)) == 0:
        raise argparse.ArgumentTypeError(t("ecard_valid_bad", value=value))
    n, unit = int(m.group(1)), m.group(2).lower()
    return dt.timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[unit]: n})


def _local_moment(value: str) -> dt.datetime:
    import argparse

    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(t("arg_bad_date", value=value)) from None


def register(tree: CommandTree) -> None:
    """`ecard` and `scan`."""
    csub = tree.group("ecard", "cmd_ecard", "ecard_command")
    kg = tree.add("keygen", "cmd_ecard_keygen", cmd_keygen, parent=csub)
    kg.add_argument("--out", type=Path, required=True, help=t("opt_key_out"))
    kg.add_argument("--trust", action="store_true", help=t("opt_trust_now"))
    kg.add_argument("--label", default="", help=t("opt_label"))
    json_flag(kg)

    iss = tree.add("issue", "cmd_ecard_issue", cmd_issue, parent=csub)
    who = iss.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", help=t("opt_member"))
    who.add_argument("--platform-id", type=int, help=t("opt_platform_id"))
    iss.add_argument("--key", type=Path, required=True, help=t("opt_key"))
    iss.add_argument("--name", help=t("opt_name"))
    iss.add_argument("--union", help=t("opt_union"))
    iss.add_argument("--valid", type=_duration, default=dt.timedelta(days=1), help=t("opt_valid"))
    iss.add_argument("--status", choices=("active", "lost", "cancelled"), default="active", help=t("opt_status"))
    iss.add_argument("--issued-at", type=_local_moment, help=t("opt_issued_at"))
    iss.add_argument("--qr-out", type=Path, help=t("opt_qr_out"))
    json_flag(iss)

    tr = tree.add("trust", "cmd_ecard_trust", cmd_trust, parent=csub)
    tr.add_argument("file", type=Path, nargs="?", help=t("opt_key_file"))
    tr.add_argument("--label", default="", help=t("opt_label"))
    tr.add_argument("--valid-from", type=_local_moment, help=t("opt_valid_from"))
    tr.add_argument("--valid-until", type=_local_moment, help=t("opt_valid_until"))
    tr.add_argument("--retire", metavar="KID", help=t("opt_retire"))
    tr.add_argument("--list", action="store_true", help=t("opt_list_keys"))
    json_flag(tr)

    rv = tree.add("revoke", "cmd_ecard_revoke", cmd_revoke, parent=csub)
    who = rv.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", help=t("opt_member"))
    who.add_argument("--platform-id", type=int, help=t("opt_platform_id"))
    rv.add_argument("--reason", choices=("lost", "cancelled"), default="lost", help=t("opt_reason"))

    sc = tree.add("scan", "cmd_scan", cmd_scan)
    sc.add_argument("--event", required=True, help=t("opt_event_ref"))
    src = sc.add_mutually_exclusive_group(required=True)
    src.add_argument("--image", type=Path, action="append", help=t("opt_image"))
    src.add_argument("--camera", help=t("opt_camera"))
    src.add_argument("--code", help=t("opt_code"))
    sc.add_argument("--direction", choices=("in", "out"), default="in", help=t("opt_direction"))
    json_flag(sc)


def _member_id(store, args, query: str) -> int:
    from station.roster.search import search

    # Finding the member by phone or ID reads encrypted fields: the --operator logs in.
    hits = search(store, query, session_for(args, store, "view_masked"), limit=5)
    if not hits:
        raise StationError("ecard_member_not_found", query=query)
    if len(hits) > 1:
        raise StationError("ecard_member_ambiguous", query=query, n=len(hits))
    return hits[0].member_id


def _platform_id(store, args) -> tuple[int, int | None]:
    from station.checkin.service import holder_for_member

    if args.platform_id is not None:
        return args.platform_id, None
    member_id = _member_id(store, args, args.member)
    return holder_for_member(store, member_id), member_id


def cmd_keygen(args) -> int:
    from station.checkin import ecard
    from station.checkin.trust_store import TrustStore

    key = ecard.generate_key()
    kid = ecard.key_id(key.public_key())
    private, public = args.out, args.out.with_suffix(".pub")
    try:
        private.write_bytes(ecard.private_pem(key))
        public.write_bytes(ecard.public_pem(key.public_key()))
    except OSError as exc:
        raise StationError("file_unwritable", path=args.out, reason=exc.strerror or exc) from exc
    if args.trust:
        TrustStore(open_station(args)).add(key.public_key(), label=args.label)
    if args.json:
        print_json({"kid": kid, "private": str(private), "public": str(public), "trusted": args.trust})
    else:
        print(t("ecard_keygen_done", kid=kid, private=private, public=public))
        if args.trust:
            print(t("ecard_trusted", kid=kid))
    return 0


def cmd_issue(args) -> int:
    from sqlalchemy import select

    from station.checkin import ecard
    from station.checkin.events import local_to_utc
    from station.store.clock import now_utc
    from station.store.models import Member, Union

    try:
        key = ecard.load_private_key(args.key)
    except FileNotFoundError:
        raise StationError("file_not_found", path=args.key) from None
    except (ValueError, TypeError) as exc:
        raise StationError("ecard_key_file_bad", path=args.key, reason=exc) from exc
    store = open_station(args)
    platform_id, member_id = _platform_id(store, args)
    name, union = args.name or "", args.union or ""
    if member_id is not None:
        with store.session() as s:
            m_name, m_union = s.execute(select(Member.name, Union.name).outerjoin(Union, Union.id == Member.union_id)
                                        .where(Member.id == member_id)).one()
        name, union = name or m_name, union or (m_union or "")
    issued = local_to_utc(args.issued_at) if args.issued_at else now_utc().replace(microsecond=0)
    token = ecard.issue(key, member=platform_id, union=union, name=name or "会员", status=args.status,
                        issued_at=issued, valid_for=args.valid)
    version = ecard.qr_version(token)
    if args.qr_out:
        import cv2

        _ok, buf = cv2.imencode(".png", ecard.qr_image(token, scale=8))
        try:
            args.qr_out.write_bytes(buf.tobytes())
        except OSError as exc:
            raise StationError("file_unwritable", path=args.qr_out, reason=exc.strerror or exc) from exc
    if args.json:
        card = ecard.parse(token)
        print_json({"token": token, "kid": card.kid, "platform_id": platform_id, "name": card.masked_name,
                     "union": card.union, "status": card.status, "issued_at": card.issued_at.isoformat() + "Z",
                     "expires_at": card.expires_at.isoformat() + "Z", "qr_version": version,
                     "qr": str(args.qr_out) if args.qr_out else None})
    else:
        print(token)
        if args.qr_out:
            print(t("ecard_qr_written", path=args.qr_out, version=version))
    return 0


def cmd_trust(args) -> int:
    from station.checkin import ecard
    from station.checkin.events import local_to_utc
    from station.checkin.trust_store import TrustStore

    trust = TrustStore(open_station(args))
    if args.retire:
        trust.retire(args.retire.strip().lower())
        print(t("ecard_retired", kid=args.retire))
        return 0
    if args.file is not None:
        try:
            public = ecard.load_public_key(args.file.read_bytes())
        except FileNotFoundError:
            raise StationError("file_not_found", path=args.file) from None
        except (ValueError, TypeError) as exc:
            raise StationError("ecard_key_file_bad", path=args.file, reason=exc) from exc
        key = trust.add(public, label=args.label,
                        valid_from=local_to_utc(args.valid_from) if args.valid_from else None,
                        valid_until=local_to_utc(args.valid_until) if args.valid_until else None)
        if not args.json:
            print(t("ecard_trusted", kid=key.kid))
    keys = trust.keys()
    if args.json:
        print_json([k.as_json() for k in keys])
    elif args.list or args.file is None:
        for k in keys:
            row = k.as_json()
            print("\t".join(str(row[c] or "-") for c in ("kid", "label", "valid_from", "valid_until", "retired_at", "source")))
    return 0


def cmd_revoke(args) -> int:
    from station.checkin.service import revoke

    store = open_station(args)
    platform_id, _ = _platform_id(store, args)
    revoke(store, platform_id, args.reason)
    print(t("ecard_revoked_done", member=platform_id, reason=t("reason_revoked")))
    return 0


# A passed exit, and a passed coming back in (出场再入场), by the verdict's detail.
MOVE_LINE_KEYS: dict[str, str] = {"exit": "verdict_line_exit", "reentry": "verdict_line_reentry"}


def verdict_line(v) -> str:
    """One line per verdict, as the CLI prints it."""
    from station.checkin.service import hint_text, reason_text
    from station.store.clock import fmt_local

    if v.passed and v.detail in MOVE_LINE_KEYS:
        line = t(MOVE_LINE_KEYS[v.detail], name=v.masked_name or "", union=v.union or "")
    elif v.passed:
        cap = f"/{v.capacity}" if v.capacity is not None else ""
        line = t("verdict_line_pass", name=v.masked_name or "", union=v.union or "", left=v.quota_left or 0,
                 admitted=v.admitted, capacity=cap)
    else:
        # The CLI leaves the entry window out: `station event list` shows it.
        hint = hint_text(v, at=fmt_local(v.earlier_at) if v.earlier_at else "", window=None)
        key = "verdict_line_warn" if v.verdict == "warn" else "verdict_line_refuse"
        line = t(key, reason=reason_text(v.reason or ""), hint=hint)
    if v.manual:
        line += "　" + t("manual_mark")
    return line


def cmd_scan(args) -> int:
    from station.checkin.frames import ImageSource, source_for
    from station.checkin.scan import ScanRun, scan_source
    from station.checkin.service import CheckinService

    store = open_station(args)
    # --operator (the global option) logs the gatekeeper in: each check-in names them; without it, exit 2.
    service = CheckinService(store, args.event, operator=session_for(args, store, "checkin"))
    if args.code is not None:
        run = ScanRun(frames=0, codes=1, verdicts=[service.check_code(args.code, "cli", args.direction)])
    else:
        source = ImageSource(args.image) if args.image else source_for(args.camera)
        run = scan_source(service, source, direction=args.direction)
    if args.json:
        print_json({"frames": run.frames, "codes": run.codes, "verdicts": [v.as_json() for v in run.verdicts]})
    else:
        for v in run.verdicts:
            print(verdict_line(v))
        if args.code is None:
            if not run.verdicts:
                print(t("scan_no_code", source=args.camera or ", ".join(str(p) for p in args.image)))
            print(t("scan_frames_read", frames=run.frames, codes=len(run.verdicts)))
    return 0
