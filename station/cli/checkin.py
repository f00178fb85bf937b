"""The CLI's e-card commands: `station ecard …`, `station event create|list`, `station scan`.

station/cli/main.py adds these parsers and dispatches to the functions here, so
the e-card work keeps its commands in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from station.cli.support import print_json
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




def add_parsers(sub, esub, cmd, json_flag, date_type) -> None:
    """The e-card subcommands, on the main parser's ``sub`` and the ``event`` parser's ``esub``."""
    ec = cmd(sub, "ecard", "cmd_ecard")
    csub = ec.add_subparsers(dest="ecard_command", required=True, parser_class=type(ec))
    kg = cmd(csub, "keygen", "cmd_ecard_keygen")
    kg.add_argument("--out", type=Path, required=True, help=t("opt_key_out"))
    kg.add_argument("--trust", action="store_true", help=t("opt_trust_now"))
    kg.add_argument("--label", default="", help=t("opt_label"))
    json_flag(kg)

    iss = cmd(csub, "issue", "cmd_ecard_issue")
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

    tr = cmd(csub, "trust", "cmd_ecard_trust")
    tr.add_argument("file", type=Path, nargs="?", help=t("opt_key_file"))
    tr.add_argument("--label", default="", help=t("opt_label"))
    tr.add_argument("--valid-from", type=_local_moment, help=t("opt_valid_from"))
    tr.add_argument("--valid-until", type=_local_moment, help=t("opt_valid_until"))
    tr.add_argument("--retire", metavar="KID", help=t("opt_retire"))
    tr.add_argument("--list", action="store_true", help=t("opt_list_keys"))
    json_flag(tr)

    rv = cmd(csub, "revoke", "cmd_ecard_revoke")
    who = rv.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", help=t("opt_member"))
    who.add_argument("--platform-id", type=int, help=t("opt_platform_id"))
    rv.add_argument("--reason", choices=("lost", "cancelled"), default="lost", help=t("opt_reason"))

    ecr = cmd(esub, "create", "cmd_event_create")
    ecr.add_argument("--kind", choices=("screening", "redemption"), default="screening", help=t("opt_kind"))
    ecr.add_argument("--name", required=True, help=t("opt_event_name"))
    ecr.add_argument("--venue", required=True, help=t("opt_venue"))
    ecr.add_argument("--date", type=date_type, help=t("opt_date"))
    ecr.add_argument("--entry", help=t("opt_entry"))
    ecr.add_argument("--capacity", type=int, help=t("opt_capacity"))
    ecr.add_argument("--admissions", type=int, default=1, help=t("opt_admissions"))
    ecr.add_argument("--union", action="append", default=[], help=t("opt_eligible_union"))
    ecr.add_argument("--enterprise", action="append", default=[], help=t("opt_eligible_enterprise"))
    json_flag(ecr)
    el = cmd(esub, "list", "cmd_event_list")
    el.add_argument("--date", type=date_type, help=t("opt_date"))
    el.add_argument("--upcoming", action="store_true", help=t("opt_upcoming"))
    json_flag(el)

    sc = cmd(sub, "scan", "cmd_scan")
    sc.add_argument("--event", required=True, help=t("opt_event_ref"))
    src = sc.add_mutually_exclusive_group(required=True)
    src.add_argument("--image", type=Path, action="append", help=t("opt_image"))
    src.add_argument("--camera", help=t("opt_camera"))
    src.add_argument("--code", help=t("opt_code"))
    json_flag(sc)


def _open(args):
    from station.store.database import open_store

    return open_store(args.data_dir, integrity="quick")


def _member_id(store, args, query: str) -> int:
    from station.cli.operators import session_for
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
        TrustStore(_open(args)).add(key.public_key(), label=args.label)
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
    from station.store.clock import now_utc
    from station.checkin.events import local_to_utc
    from station.store.models import Member, Union

    try:
        key = ecard.load_private_key(args.key)
    except FileNotFoundError:
        raise StationError("file_not_found", path=args.key) from None
    except (ValueError, TypeError) as exc:
        raise StationError("ecard_key_file_bad", path=args.key, reason=exc) from exc
    store = _open(args)
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

        ok, buf = cv2.imencode(".png", ecard.qr_image(token, scale=8))
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

    trust = TrustStore(_open(args))
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

    store = _open(args)
    platform_id, _ = _platform_id(store, args)
    revoke(store, platform_id, args.reason)
    print(t("ecard_revoked_done", member=platform_id, reason=t("reason_revoked")))
    return 0


def cmd_event_create(args) -> int:
    from station.checkin.events import EventDraft, create_event, parse_window

    start = end = None
    if args.entry:
        start, end = parse_window(args.entry)
    info = create_event(_open(args), EventDraft(
        kind=args.kind, name=args.name, venue=args.venue, date=args.date, entry_start=start, entry_end=end,
        capacity=args.capacity, admissions_per_member=args.admissions, unions=args.union,
        enterprises=args.enterprise))
    if args.json:
        print_json(dict(info.as_json(), id=info.id))
    else:
        print(t("event_created", name=info.name, kind=t(f"event_kind_{info.kind}"), date=info.date,
                window=_window(info), venue=info.venue, id=info.id))
    return 0


def _window(info) -> str:
    start, end = info.local_window()
    if start is None or end is None:
        return ""
    return f"{start:%H:%M}-{end:%H:%M}"


def cmd_event_list(args) -> int:
    from station.checkin.events import list_events

    events = list_events(_open(args), day=args.date, upcoming=args.upcoming)
    if args.json:
        print_json([dict(e.as_json(), id=e.id) for e in events])
    else:
        for e in events:
            cap = "-" if e.capacity is None else e.capacity
            print("\t".join(str(v) for v in (e.id, e.date, _window(e), t(f"event_kind_{e.kind}"), e.name, e.venue,
                                              f"{e.admitted}/{cap}")))
    return 0


def verdict_line(v) -> str:
    """One line per verdict, as the CLI prints it."""
    from station.store.clock import fmt_local

    if v.passed:
        cap = f"/{v.capacity}" if v.capacity is not None else ""
        line = t("verdict_line_pass", name=v.masked_name or "", union=v.union or "", left=v.quota_left or 0,
                 admitted=v.admitted, capacity=cap)
    else:
        hint = ""
        if v.reason == "already" and v.earlier_at is not None:
            hint = t("hint_already", at=fmt_local(v.earlier_at), station=v.earlier_station or "")
        elif v.reason == "full":
            hint = t("hint_full", capacity=v.capacity)
        elif v.reason in ("invalid", "unknown_key", "expired", "revoked", "not_eligible"):
            hint = t(f"hint_{v.reason}")
        key = "verdict_line_warn" if v.verdict == "warn" else "verdict_line_refuse"
        line = t(key, reason=t(f"reason_{v.reason}"), hint=hint)
    if v.manual:
        line += "　" + t("manual_mark")
    return line


def cmd_scan(args) -> int:
    from station.checkin.service import CheckinService
    from station.checkin.frames import ImageSource, source_for
    from station.checkin.scan import ScanRun, scan_source

    store = _open(args)
    # --operator (the global option) logs the gatekeeper in, so the check-ins carry a verified name.
    operator = ""
    if getattr(args, "operator", None):
        from station.cli.operators import session_for

        operator = session_for(args, store, "scan").name
    service = CheckinService(store, args.event, operator=operator)
    if args.code is not None:
        run = ScanRun(frames=0, codes=1, verdicts=[service.check_code(args.code, "cli")])
    else:
        source = ImageSource(args.image) if args.image else source_for(args.camera)
        run = scan_source(service, source)
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


COMMANDS = {
    ("ecard", "keygen"): cmd_keygen,
    ("ecard", "issue"): cmd_issue,
    ("ecard", "trust"): cmd_trust,
    ("ecard", "revoke"): cmd_revoke,
    ("event", "create"): cmd_event_create,
    ("event", "list"): cmd_event_list,
    ("scan",): cmd_scan,
}
