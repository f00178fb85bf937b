"""`station hub …`: run and administer the reference hub (station/hub/).

``register`` adds the commands with their handlers, each of which first
checks that the server is installed.  These commands work on the hub's
database (--db), never on the station's store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import re
from pathlib import Path

from station.cli.support import CommandTree, Handler, iso_date, json_flag, print_json
from station.errors import StationError
from station.i18n import t

DEFAULT_PORT = 8700
# The hub's refusals and bundle errors that have a sentence of their own on the command line.
HUB_ERROR_KEYS: dict[str, str] = {
    "unknown_member": "hub_err_unknown_member",
    "no_signing_key": "hub_err_no_signing_key",
    "key_retired": "hub_err_key_retired",
    "unknown_key": "hub_err_unknown_key",
}
BUNDLE_ERROR_KEYS: dict[str, str] = {
    "bundle_not_bundle": "hub_bundle_not_bundle",
    "bundle_damaged": "hub_bundle_damaged",
    "bundle_unknown_station": "hub_bundle_unknown_station",
    "bundle_station_revoked": "hub_bundle_station_revoked",
    "bundle_no_key": "hub_bundle_no_key",
    "bundle_bad_signature": "hub_bundle_bad_signature",
    "bundle_other_hub": "hub_bundle_other_hub",
    "bundle_too_large": "hub_bundle_too_large",
}


def register(tree: CommandTree) -> None:
    hsub = tree.group("hub", "cmd_hub", "hub_command")

    def with_db(name: str, help_key: str, handler: Handler, parent=hsub) -> argparse.ArgumentParser:
        sp = tree.add(name, help_key, _needs_server(handler), parent=parent)
        sp.add_argument("--db", required=True, help=t("opt_hub_db"))
        return sp

    serve = with_db("serve", "cmd_hub_serve", cmd_serve)
    serve.add_argument("--host", default="127.0.0.1", help=t("opt_hub_host"))
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=t("opt_hub_port"))
    serve.add_argument("--tls-cert", type=Path, help=t("opt_hub_tls_cert"))
    serve.add_argument("--tls-key", type=Path, help=t("opt_hub_tls_key"))

    enroll = with_db("enroll", "cmd_hub_enroll", cmd_enroll)
    enroll.add_argument("--station-name", required=True, help=t("opt_hub_station_name"))
    enroll.add_argument("--valid-hours", type=int, default=24, help=t("opt_hub_valid_hours"))
    json_flag(enroll)

    stations = with_db("stations", "cmd_hub_stations", cmd_stations)
    stations.add_argument("--revoke", metavar="UUID", help=t("opt_hub_revoke_station"))
    json_flag(stations)

    rsub = tree.group("roster", "cmd_hub_roster", "hub_roster_command", parent=hsub)
    ri = with_db("import", "cmd_hub_roster_import", cmd_roster_import, rsub)
    ri.add_argument("file", type=Path, help=t("opt_file"))
    ri.add_argument("--map", dest="mapping", help=t("opt_map"))
    json_flag(ri)

    ksub = tree.group("keys", "cmd_hub_keys", "hub_keys_command", parent=hsub)
    kn = with_db("new", "cmd_hub_keys_new", cmd_keys_new, ksub)
    kn.add_argument("--label", default="", help=t("opt_hub_label"))
    kn.add_argument("--valid-from", type=iso_date, help=t("opt_hub_valid_from"))
    json_flag(kn)
    json_flag(with_db("list", "cmd_hub_keys_list", cmd_keys_list, ksub))
    kr = with_db("retire", "cmd_hub_keys_retire", cmd_keys_retire, ksub)
    kr.add_argument("kid", help=t("opt_hub_kid"))
    ke = with_db("export", "cmd_hub_keys_export", cmd_keys_export, ksub)
    ke.add_argument("kid", help=t("opt_hub_kid"))
    ke.add_argument("--out", type=Path, required=True, help=t("opt_out"))
    ki = with_db("issue", "cmd_hub_keys_issue", cmd_keys_issue, ksub)
    ki.add_argument("--id-number", help=t("opt_hub_id_number"))
    ki.add_argument("--platform-id", type=int, help=t("opt_hub_platform_id"))
    ki.add_argument("--valid", default="12h", help=t("opt_hub_valid"))
    ki.add_argument("--kid", help=t("opt_hub_kid"))
    ki.add_argument("--qr-out", type=Path, help=t("opt_hub_qr_out"))
    json_flag(ki)

    verify = with_db("verify", "cmd_hub_verify", cmd_verify)
    verify.add_argument("--id-number", action="append", default=[], help=t("opt_hub_id_number"))
    verify.add_argument("--file", type=Path, help=t("opt_hub_id_file"))
    verify.add_argument("--unverified", action="store_true", help=t("opt_hub_unverified"))

    revoke = with_db("revoke", "cmd_hub_revoke", cmd_revoke)
    revoke.add_argument("--platform-id", type=int, required=True, help=t("opt_hub_platform_id"))
    revoke.add_argument("--reason", choices=("lost", "cancelled"), required=True, help=t("opt_hub_reason"))

    esub = tree.group("event", "cmd_hub_event", "hub_event_command", parent=hsub)
    ec = with_db("create", "cmd_hub_event_create", cmd_event_create, esub)
    ec.add_argument("--kind", choices=("screening", "redemption"), required=True, help=t("opt_hub_kind"))
    ec.add_argument("--name", required=True, help=t("opt_event_name"))
    ec.add_argument("--venue", required=True, help=t("opt_venue"))
    ec.add_argument("--date", type=iso_date, required=True, help=t("opt_date"))
    ec.add_argument("--entry", help=t("opt_hub_entry"))
    ec.add_argument("--capacity", type=int, help=t("opt_hub_capacity"))
    ec.add_argument("--admissions", type=int, help=t("opt_hub_admissions"))
    ec.add_argument("--reentry", action="store_true", help=t("opt_reentry"))
    ec.add_argument("--union", action="append", default=[], help=t("opt_hub_event_union"))
    ec.add_argument("--enterprise", action="append", default=[], help=t("opt_hub_event_enterprise"))
    json_flag(ec)

    ib = with_db("import-bundle", "cmd_hub_import_bundle", cmd_import_bundle)
    ib.add_argument("file", type=Path, help=t("opt_file"))
    ib.add_argument("--receipt", type=Path, help=t("opt_hub_receipt"))
    json_flag(ib)

    oa = tree.add("openapi", "cmd_hub_openapi", _needs_server(cmd_openapi), parent=hsub)
    oa.add_argument("--out", type=Path, required=True, help=t("opt_out"))


# -- helpers ----------------------------------------------------------------------------
def _needs_server(handler: Handler) -> Handler:
    """``handler`` after checking that the server's packages are there."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            import fastapi  # noqa: F401  (only whether it imports)

            import station.hub.service  # noqa: F401  (only whether it imports)
        except ImportError:
            # The desktop bundle leaves the server out (build.spec); a Python install has it.
            raise StationError("hub_not_installed") from None
        return handler(args)

    return run



def _db(args, create: bool = True):
    from station.hub.db import HubDbError, open_hub_db

    try:
        return open_hub_db(args.db, create=create)
    except HubDbError as exc:
        raise StationError(exc.key, **exc.params) from None


def _txn(args, fn):
    """Run fn(session) in one transaction on --db; hub refusals become messages."""
    from station.hub.service import HubError

    db = _db(args)
    try:
        with db.session() as s:
            out = fn(s)
            s.commit()
            return out
    except HubError as exc:
        key = HUB_ERROR_KEYS.get(exc.error)
        raise (StationError(key) if key else StationError("hub_refused", reason=exc.reason)) from None
    finally:
        db.dispose()


def _duration(text: str) -> dt.timedelta:
    m = re.fullmatch(r"\s*(\d{1,6})\s*([smhd])\s*", text or "")
    if not m or int(m.group(1)) == 0:
        raise StationError("hub_bad_valid", value=text)
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[m.group(2)]
    return dt.timedelta(**{unit: int(m.group(1))})


def _iso(v) -> str:
    from station.hub.service import iso

    return iso(v) or "-"


# -- commands ---------------------------------------------------------------------------


def cmd_serve(args) -> int:
    try:
        import uvicorn
    except ImportError:
        raise StationError("hub_no_uvicorn") from None
    from sqlalchemy.engine import make_url

    from station.hub.app import create_app
    from station.hub.db import normalize_url
    from station.hub.schemas import PROTOCOL

    db = _db(args)
    app = create_app(db)
    scheme = "https" if args.tls_cert else "http"
    shown = make_url(normalize_url(args.db)).render_as_string(hide_password=True)
    print(t("hub_serving", url=f"{scheme}://{args.host}:{args.port}", protocol=PROTOCOL, db=shown), flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info",
                ssl_certfile=str(args.tls_cert) if args.tls_cert else None,
                ssl_keyfile=str(args.tls_key) if args.tls_key else None)
    return 0


def cmd_enroll(args) -> int:
    from station.hub.service import make_enrollment_code

    code, expires = _txn(args, lambda s: make_enrollment_code(s, args.station_name, dt.timedelta(hours=max(1, args.valid_hours))))
    if args.json:
        print_json({"station_name": args.station_name, "code": code, "expires_at": _iso(expires)})
    else:
        print(t("hub_enroll_code", name=args.station_name, code=code, expires=expires.strftime("%Y-%m-%d %H:%M")))
    return 0


def cmd_stations(args) -> int:
    from station.hub.service import revoke_station, station_list

    if args.revoke:
        if not _txn(args, lambda s: revoke_station(s, args.revoke.strip())):
            raise StationError("hub_station_unknown", uuid=args.revoke)
        print(t("hub_station_revoked", uuid=args.revoke))
        return 0
    rows = _txn(args, station_list)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print("\t".join(str(r[k] if r[k] is not None else "-") for k in ("uuid", "name", "enrolled_at", "last_push_at", "revoked")))
    return 0


def cmd_roster_import(args) -> int:
    from station.hub.roster import import_roster

    db = _db(args)
    try:
        res = import_roster(db, args.file, args.mapping)
    finally:
        db.dispose()
    if args.json:
        print_json(res.as_json())
        return 0
    print(t("hub_roster_done", file=res.file_name, read=res.rows_read, inserted=res.inserted, updated=res.updated,
            unchanged=res.unchanged, rejected=res.rejected, elapsed=res.elapsed_s))
    for row, field, key in res.problems[:20]:
        print(t("hub_roster_rejected_row", row=row, field=field, reason=t(key) if key else "-"))
    return 0


def cmd_keys_new(args) -> int:
    from station.hub.keys import key_json, new_key

    start = dt.datetime.combine(args.valid_from, dt.time()) if args.valid_from else None
    row = _txn(args, lambda s: key_json(new_key(s, label=args.label, valid_from=start)))
    if args.json:
        print_json(row)
    else:
        print(t("hub_key_made", kid=row["kid"]))
    return 0


def cmd_keys_list(args) -> int:
    from station.hub.keys import key_json, list_keys

    rows = _txn(args, lambda s: [key_json(k) for k in list_keys(s)])
    if args.json:
        print_json(rows)
    elif not rows:
        print(t("hub_keys_none"))
    for r in rows if not args.json else ():
        print("\t".join(str(r[k] or "-") for k in ("kid", "label", "valid_from", "valid_until", "retired_at")))
    return 0


def cmd_keys_retire(args) -> int:
    from station.hub.keys import retire_key

    kid = _txn(args, lambda s: retire_key(s, args.kid).kid)
    print(t("hub_key_retired", kid=kid))
    return 0


def cmd_keys_export(args) -> int:
    from station.hub.keys import export_public

    pem = _txn(args, lambda s: export_public(s, args.kid))
    try:
        args.out.write_bytes(pem)
    except OSError as exc:
        raise StationError("file_unwritable", path=args.out, reason=exc.strerror or exc) from exc
    print(t("hub_key_exported", path=args.out))
    return 0


def cmd_keys_issue(args) -> int:
    from station.checkin import ecard
    from station.hub.keys import issue_card

    if not args.id_number and not args.platform_id:
        raise StationError("hub_need_member")
    valid = _duration(args.valid)
    number = None
    if args.id_number:
        from station.people import idnumber

        number = idnumber.check(args.id_number).number or args.id_number.strip()

    def issue(s):
        token, member, key = issue_card(s, id_number=number, platform_id=args.platform_id, valid_for=valid, kid=args.kid)
        return token, member.id, member.name, key.kid

    token, platform_id, name, kid = _txn(args, issue)
    card = ecard.parse(token)
    if args.qr_out:
        import cv2

        cv2.imwrite(str(args.qr_out), ecard.qr_image(token))
    from station.security.masking import mask_name

    if args.json:
        print_json({"platform_id": platform_id, "kid": kid, "expires_at": _iso(card.expires_at), "code": token,
                    "masked_name": card.masked_name, "qr": str(args.qr_out) if args.qr_out else None})
    else:
        print(t("hub_card_issued", platform_id=platform_id, name=mask_name(name), kid=kid,
                expires=card.expires_at.strftime("%Y-%m-%d %H:%M")))
        print(token)
    return 0


def cmd_verify(args) -> int:
    from station.hub.service import set_verified
    from station.people import idnumber

    raw = list(args.id_number)
    if args.file:
        try:
            raw += [line for line in args.file.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
        except OSError as exc:
            raise StationError("file_unreadable", path=args.file, reason=exc.strerror or exc) from exc
    if not raw:
        raise StationError("hub_need_ids")
    numbers = [n for n in (idnumber.check(r).number for r in raw) if n]
    changed = _txn(args, lambda s: set_verified(s, numbers, verified=not args.unverified))
    print(t("hub_verified_done", count=changed))
    return 0


def cmd_revoke(args) -> int:
    from station.hub.service import revoke_card

    _txn(args, lambda s: revoke_card(s, args.platform_id, args.reason))
    print(t("hub_revoked_done", platform_id=args.platform_id, reason=args.reason))
    return 0


def cmd_event_create(args) -> int:
    from station.checkin.events import local_to_utc, parse_window
    from station.hub.service import create_event

    start = end = None
    if args.entry:
        a, b = parse_window(args.entry)
        start = local_to_utc(dt.datetime.combine(args.date, a))
        end = local_to_utc(dt.datetime.combine(args.date, b))

    def make(s):
        e = create_event(s, kind=args.kind, name=args.name.strip(), date=args.date, venue=args.venue.strip(),
                         entry_start=start, entry_end=end, capacity=args.capacity,
                         admissions_per_member=args.admissions, unions=args.union, enterprises=args.enterprise,
                         reentry=args.reentry)
        return e.uuid

    uuid = _txn(args, make)
    if args.json:
        print_json({"uuid": uuid, "name": args.name})
    else:
        print(t("hub_event_made", name=args.name, uuid=uuid))
    return 0


def cmd_import_bundle(args) -> int:
    import json

    from station.hub.bundle import BundleError, import_bundle

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise StationError("file_unreadable", path=args.file, reason=exc.strerror or exc) from exc
    db = _db(args)
    try:
        receipt = import_bundle(db, data)
    except BundleError as exc:
        raise StationError(BUNDLE_ERROR_KEYS[exc.code]) from None
    finally:
        db.dispose()
    out = args.receipt or args.file.with_name(args.file.stem + ".receipt.json")
    try:
        out.write_text(json.dumps(receipt, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise StationError("file_unwritable", path=out, reason=exc.strerror or exc) from exc
    if args.json:
        print_json(dict(receipt, receipt_file=str(out)))
        return 0
    for kind, reply in receipt["replies"].items():
        new = reply["accepted"] if isinstance(reply["accepted"], int) else len(reply["accepted"])
        same = reply["unchanged"] if isinstance(reply["unchanged"], int) else len(reply["unchanged"])
        print(t("hub_bundle_part", kind=kind, accepted=new, unchanged=same, refused=len(reply["refused"])))
    print(t("hub_bundle_receipt", path=out))
    return 0


def cmd_openapi(args) -> int:
    import tempfile

    from station.hub.app import create_app, openapi_json

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(str(Path(tmp) / "openapi.sqlite"))
        text = openapi_json(app)
        app.state.db.dispose()
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise StationError("file_unwritable", path=args.out, reason=exc.strerror or exc) from exc
    print(t("hub_openapi_written", path=args.out))
    return 0
