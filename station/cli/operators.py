"""The CLI's operator and personal-data-protection commands (issue 4).

Commands here: `setup`, `operators list|add|remove|passwd`, `recover`,
`export`, `unmask`, `settings list|set`, `purge`; ``register`` adds them
with their handlers.  Logging in (`--operator`, the secrets from a prompt or
the environment) is station/cli/login.py's, for every command.
"""

from __future__ import annotations

import sys
from pathlib import Path

from station.cli.login import RECOVERY_ENV, SECRET_ENV, convert_if_needed, env, new_secret, prompt, session_for
from station.cli.support import CommandTree, iso_date, json_flag, open_station, positive_int, print_json
from station.errors import StationError
from station.i18n import t
from station.security import settings

_positive = positive_int("cli_bad_count")


# -- parsers -----------------------------------------------------------------------------
def register(tree: CommandTree) -> None:
    """`setup`, `operators`, `recover`, `export`, `unmask`, `settings`, `purge`."""
    setup = tree.add("setup", "cmd_setup", cmd_setup)
    setup.add_argument("--name", required=True, help=t("opt_setup_name"))
    json_flag(setup)

    osub = tree.group("operators", "cmd_operators", "operators_command")
    json_flag(tree.add("list", "cmd_operators_list", cmd_operators_list, parent=osub))
    add = tree.add("add", "cmd_operators_add", cmd_operators_add, parent=osub)
    add.add_argument("--name", required=True, help=t("opt_operator_name"))
    add.add_argument("--role", required=True, choices=("promoter", "organizer", "checker"), help=t("opt_role"))
    json_flag(add)
    rm = tree.add("remove", "cmd_operators_remove", cmd_operators_remove, parent=osub)
    rm.add_argument("--name", required=True, help=t("opt_operator_name"))
    json_flag(rm)
    pw = tree.add("passwd", "cmd_operators_passwd", cmd_operators_passwd, parent=osub)
    pw.add_argument("--name", help=t("opt_passwd_name"))
    json_flag(pw)

    rec = tree.add("recover", "cmd_recover", cmd_recover)
    rec.add_argument("--name", help=t("opt_recover_name"))
    json_flag(rec)

    ex = tree.add("export", "cmd_export", cmd_export)
    ex.add_argument("--purpose", required=True, help=t("opt_export_purpose"))
    ex.add_argument("--out", type=Path, required=True, help=t("opt_export_out"))
    ex.add_argument("--what", choices=("signups", "roster"), default="signups", help=t("opt_export_what"))
    ex.add_argument("--date", type=iso_date, help=t("opt_export_date"))
    ex.add_argument("--unmasked", action="store_true", help=t("opt_export_unmasked"))
    json_flag(ex)

    um = tree.add("unmask", "cmd_unmask", cmd_unmask)
    which = um.add_mutually_exclusive_group(required=True)
    which.add_argument("--registration", metavar="UUID", help=t("opt_unmask_registration"))
    which.add_argument("--member", metavar="ID", type=_positive, help=t("opt_unmask_member"))
    um.add_argument("--reason", required=True, help=t("opt_unmask_reason"))
    json_flag(um)

    ssub = tree.group("settings", "cmd_settings", "settings_command")
    json_flag(tree.add("list", "cmd_settings_list", cmd_settings_list, parent=ssub))
    sset = tree.add("set", "cmd_settings_set", cmd_settings_set, parent=ssub)
    sset.add_argument("key", choices=tuple(settings.ORGANIZER_SETTINGS), help=t("opt_setting_key"))
    sset.add_argument("value", type=_positive, help=t("opt_setting_value"))
    json_flag(sset)

    pg = tree.add("purge", "cmd_purge", cmd_purge)
    pg.add_argument("--days", type=_positive, help=t("opt_purge_days"))
    json_flag(pg)


# -- setup, operators, recovery ------------------------------------------------------------------
def cmd_setup(args) -> int:
    from station.security import operators

    store = open_station(args)
    if operators.has_operators(store):
        raise StationError("operators_exist")
    passphrase = env(SECRET_ENV)
    if passphrase is None:
        passphrase = prompt(t("cli_prompt_setup_secret", name=args.name, min=operators.ORGANIZER_SECRET_MIN))
        operators.check_secret(operators.ORGANIZER, passphrase)
        if prompt(t("cli_prompt_repeat_secret")) != passphrase:
            raise StationError("cli_secret_mismatch")
    key = operators.create_first_organizer(store, args.name, passphrase)
    name = _operator_rows(store)[0]["name"]  # as stored (normalised)
    if args.json:
        print_json({"station": store.identity.uuid, "operator": name, "role": operators.ORGANIZER,
                    "recovery_key": key, "warning": t("cli_setup_recovery_warning")})
    else:
        print(t("cli_setup_done", name=name, station=store.identity.name))
        print(t("cli_setup_recovery_head"))
        print()
        print("    " + key)
        print()
        print(t("cli_setup_recovery_warning"))
    from station.security import protect

    if protect.needs_encryption(store):  # set-up on a store made before encryption
        convert_if_needed(store, operators.login(store, name, passphrase))
    return 0


def _operator_rows(store) -> list[dict]:
    from station.security.operators import active_operators, role_label
    from station.store.clock import to_local

    return [
        {
            "name": op.name, "role": op.role, "role_label": role_label(op.role),
            "created_at": to_local(op.created_at).isoformat(timespec="seconds") if op.created_at else None,
            "last_login_at": to_local(op.last_login_at).isoformat(timespec="seconds") if op.last_login_at else None,
            "locked_s": int(op.locked_s),
        }
        for op in active_operators(store)
    ]


def cmd_operators_list(args) -> int:
    store = open_station(args)
    session_for(args, store, "operators")
    rows = _operator_rows(store)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        state = t("cli_operator_locked", s=r["locked_s"]) if r["locked_s"] else ""
        print("\t".join((r["name"], r["role_label"], r["last_login_at"] or t("cli_operator_never"), state)).rstrip())
    return 0


def cmd_operators_add(args) -> int:
    from station.security import operators

    store = open_station(args)
    session = session_for(args, store, "operators")
    secret = new_secret(args.role, args.name)
    operators.add_operator(store, session, args.name, args.role, secret)
    if args.json:
        print_json({"name": args.name.strip(), "role": args.role, "added": True})
    else:
        print(t("cli_operator_added", name=args.name.strip(), role=operators.role_label(args.role)))
    return 0


def cmd_operators_remove(args) -> int:
    from station.security import operators

    store = open_station(args)
    session = session_for(args, store, "operators")
    operators.remove_operator(store, session, args.name)
    if args.json:
        print_json({"name": args.name.strip(), "removed": True})
    else:
        print(t("cli_operator_removed", name=args.name.strip()))
    return 0


def _role_of(store, name: str) -> str | None:
    from sqlalchemy import select

    from station.store.models import Operator

    with store.session() as s:
        return s.scalar(select(Operator.role).where(Operator.name == name.strip(), Operator.active.is_(True)))


def cmd_operators_passwd(args) -> int:
    from station.security import operators

    store = open_station(args)
    session = session_for(args, store)
    target = (args.name or session.name).strip()
    if target != session.name:
        session.require("operators")  # before asking for a secret that would be refused
    secret = new_secret(_role_of(store, target), target)
    operators.change_secret(store, session, target, secret)
    if args.json:
        print_json({"name": target, "changed": True})
    else:
        print(t("cli_operator_secret_changed", name=target))
    return 0


def cmd_recover(args) -> int:
    from station.security import operators

    store = open_station(args)
    key = env(RECOVERY_ENV) or prompt(t("cli_prompt_recovery_key"))
    # The key's typos are found (by group) before the new passphrase is asked for.
    from station.security.keyslots import parse_recovery_key

    parse_recovery_key(key)
    secret = new_secret(operators.ORGANIZER, args.name or t("cli_recover_default_name"))
    session = operators.recover(store, key, secret, name=args.name)
    convert_if_needed(store, session)
    if args.json:
        print_json({"name": session.name, "cli_recovered": True})
    else:
        print(t("cli_recovered", name=session.name))
    return 0


# -- export and unmask ----------------------------------------------------------------------------
def _signup_export(store, session, day):
    from station.reports.exports import ExportColumn
    from station.signup.service import list_signups, outcome_text

    columns = [
        ExportColumn("at", t("cli_col_signed_up_at")),
        ExportColumn("name", t("cli_col_name"), "name"),
        ExportColumn("id_number", t("cli_col_id_number"), "id_number"),
        ExportColumn("phone", t("cli_col_phone"), "phone"),
        ExportColumn("enterprise", t("cli_col_enterprise")),
        ExportColumn("union", t("cli_col_union")),
        ExportColumn("outcome", t("cli_col_outcome")),
        ExportColumn("source", t("cli_col_source")),
        ExportColumn("event", t("cli_col_event")),
        ExportColumn("station", t("cli_col_station")),
    ]
    rows = []
    for r in list_signups(store, session, day=day):
        d = r.as_json(masked=False)  # export_rows masks by column kind unless --unmasked
        d["outcome"] = outcome_text(r.outcome)
        rows.append(d)
    return columns, rows


def _roster_export(store, session):
    """Every member on the roster, decrypted one at a time as the file is written."""
    from sqlalchemy import select

    from station.reports.exports import ExportColumn
    from station.security import protect
    from station.store.models import Enterprise, Member, Union

    columns = [
        ExportColumn("name", t("cli_col_name"), "name"),
        ExportColumn("id_number", t("cli_col_id_number"), "id_number"),
        ExportColumn("phone", t("cli_col_phone"), "phone"),
        ExportColumn("enterprise", t("cli_col_enterprise")),
        ExportColumn("union", t("cli_col_union")),
    ]
    cipher = session.cipher
    q = (
        select(Member, Enterprise.name, Union.name)
        .outerjoin(Enterprise, Enterprise.id == Member.enterprise_id)
        .outerjoin(Union, Union.id == Member.union_id)
        .where(Member.on_roster.is_(True))
        .order_by(Member.id)
    )

    def rows():
        with store.session() as s:
            for m, ent, uni in s.execute(q.execution_options(yield_per=5000)):
                yield {"name": m.name, "id_number": protect.member_id_number(cipher, m),
                       "phone": protect.member_phone(cipher, m), "enterprise": ent, "union": uni}

    return columns, rows()


def cmd_export(args) -> int:
    from station.reports.exports import export_rows

    store = open_station(args)
    session = session_for(args, store, "export")
    if args.unmasked:
        session.require("unmask")
    if args.what == "roster":
        if args.date is not None:
            raise StationError("cli_export_date_signups_only")
        columns, rows = _roster_export(store, session)
    else:
        columns, rows = _signup_export(store, session, args.date)
    res = export_rows(store, session, args.out, columns, rows, purpose=args.purpose, unmasked=args.unmasked)
    if args.json:
        print_json({"path": str(res.path), "rows": res.rows, "masked": res.masked, "audit_seq": res.audit_seq})
    else:
        key = "cli_export_done_masked" if res.masked else "cli_export_done_unmasked"
        print(t(key, path=res.path, rows=res.rows, seq=res.audit_seq))
    return 0


def _record(store, session, kind: str, target) -> dict:
    """The clear record of one registration or member (after protect.unmask allowed and audited it)."""
    from sqlalchemy import select

    from station.security import protect
    from station.store.models import Member, Registration

    cipher = session.cipher
    with store.session() as s:
        if kind == "registration":
            r = s.scalars(select(Registration).where(Registration.uuid == target)).first()
            m = s.get(Member, r.member_id)
            number = protect.member_id_number(cipher, m) if m is not None and m.id_enc is not None else None
            return {"kind": kind, "registration": target, "member_id": r.member_id, "name": r.name,
                    "phone": protect.registration_phone(cipher, r), "id_number": number}
        m = s.get(Member, target)
        number = protect.member_id_number(cipher, m) if m.id_enc is not None else None
        return {"kind": kind, "member_id": target, "name": m.name, "phone": protect.member_phone(cipher, m),
                "id_number": number}


def _exists(store, kind: str, target) -> bool:
    from sqlalchemy import select

    from station.store.models import Member, Registration

    with store.session() as s:
        if kind == "registration":
            return s.scalar(select(Registration.id).where(Registration.uuid == target)) is not None
        return s.get(Member, target) is not None


def cmd_unmask(args) -> int:
    from station.security import protect

    store = open_station(args)
    session = session_for(args, store, "unmask")
    kind, target = ("registration", args.registration.strip()) if args.registration else ("member", args.member)
    if not _exists(store, kind, target):
        raise StationError("cli_unmask_not_found", what=target)
    protect.unmask(store, session, kind=kind, target=target, reason=args.reason)  # audited before it is shown
    rec = _record(store, session, kind, target)
    if args.json:
        print_json(rec)
    else:
        print("\t".join(str(rec[k] or "") for k in ("name", "id_number", "phone")))
        print(t("cli_unmask_recorded"), file=sys.stderr)
    return 0


# -- settings and purge ----------------------------------------------------------------------------
def _setting_values(store) -> dict[str, int]:
    return {key: settings.get_int(store, setting) for key, setting in settings.ORGANIZER_SETTINGS.items()}


def cmd_settings_list(args) -> int:
    values = _setting_values(open_station(args))
    if args.json:
        print_json(values)
    else:
        for key, value in values.items():
            print(f"{key}\t{value}\t{t(settings.ORGANIZER_SETTINGS[key].label)}")
    return 0


def cmd_settings_set(args) -> int:
    setting = settings.ORGANIZER_SETTINGS[args.key]
    settings.check_range(setting, args.value)  # before the log-in: no secret asked for a value that cannot be set
    store = open_station(args)
    session = session_for(args, store, "settings")
    old = settings.set_int(store, session, setting, args.value)
    if args.json:
        print_json({"key": args.key, "old": old, "value": args.value})
    else:
        # The message's own `key` placeholder would collide with t()'s first parameter: filled in here.
        print(t("cli_setting_changed").format(key=args.key, old=old, value=args.value))
    return 0


def cmd_purge(args) -> int:
    from station.security import retention

    store = open_station(args)
    session = session_for(args, store, "purge")
    counts = retention.purge(store, operator=session, days=args.days)
    if args.json:
        print_json(counts)
    else:
        print(t("cli_purge_done", registrations=counts["registrations"], members=counts["members"],
                backups=counts["backups"], days=counts["days"]))
    return 0


