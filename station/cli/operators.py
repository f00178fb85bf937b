"""The CLI's log-in and personal-data-protection commands (issue 4).

`station --operator NAME …` logs in before any command that reads or writes
ID numbers or mobiles; the secret comes from a hidden prompt or, for
scripts, the environment variable STATION_SECRET.  Each `station` run is
one process, so each logs in once (one scrypt, 0.4 s) and the key is gone
when it exits.

Commands here: `setup`, `operators list|add|remove|passwd`, `recover`,
`export`, `unmask`, `settings list|set`, `purge`.  station/cli/main.py adds the
parsers and dispatches to the functions here (the arrangement of
station/cli/draw.py) and calls ``session_for`` for its own personal-data
commands.

Environment, for scripts (a prompt is safer: other programs of the same
user can read a process's environment):
  STATION_SECRET        the --operator's PIN or passphrase (for `setup`:
                        the new organizer's passphrase)
  STATION_NEW_SECRET    the new secret of `operators add|passwd` and `recover`
  STATION_RECOVERY_KEY  the recovery key of `recover`
"""

from __future__ import annotations

import getpass
import os
import sys
import warnings
from pathlib import Path

from station.security import settings
from station.cli.support import positive_int, print_json
from station.errors import StationError
from station.i18n import t

SECRET_ENV = "STATION_SECRET"
NEW_SECRET_ENV = "STATION_NEW_SECRET"
RECOVERY_ENV = "STATION_RECOVERY_KEY"


_positive = positive_int("cli_bad_count")


# -- parsers -----------------------------------------------------------------------------
def add_operator_option(parser, common) -> None:
    """`--operator NAME` on the main parser and (via ``common``) after any subcommand."""
    import argparse

    parser.add_argument("--operator", metavar="NAME", help=t("opt_operator_login"))
    common.add_argument("--operator", metavar="NAME", default=argparse.SUPPRESS, help=t("opt_operator_login"))


def add_parsers(sub, cmd, json_flag, date_type) -> None:
    """`setup`, `operators`, `recover`, `export`, `unmask`, `settings`, `purge` under ``sub``."""
    setup = cmd(sub, "setup", "cmd_setup")
    setup.add_argument("--name", required=True, help=t("opt_setup_name"))
    json_flag(setup)

    ops = cmd(sub, "operators", "cmd_operators")
    osub = ops.add_subparsers(dest="operators_command", required=True, parser_class=type(ops))
    json_flag(cmd(osub, "list", "cmd_operators_list"))
    add = cmd(osub, "add", "cmd_operators_add")
    add.add_argument("--name", required=True, help=t("opt_operator_name"))
    add.add_argument("--role", required=True, choices=("promoter", "organizer"), help=t("opt_role"))
    json_flag(add)
    rm = cmd(osub, "remove", "cmd_operators_remove")
    rm.add_argument("--name", required=True, help=t("opt_operator_name"))
    json_flag(rm)
    pw = cmd(osub, "passwd", "cmd_operators_passwd")
    pw.add_argument("--name", help=t("opt_passwd_name"))
    json_flag(pw)

    rec = cmd(sub, "recover", "cmd_recover")
    rec.add_argument("--name", help=t("opt_recover_name"))
    json_flag(rec)

    ex = cmd(sub, "export", "cmd_export")
    ex.add_argument("--purpose", required=True, help=t("opt_export_purpose"))
    ex.add_argument("--out", type=Path, required=True, help=t("opt_export_out"))
    ex.add_argument("--what", choices=("signups", "roster"), default="signups", help=t("opt_export_what"))
    ex.add_argument("--date", type=date_type, help=t("opt_export_date"))
    ex.add_argument("--unmasked", action="store_true", help=t("opt_export_unmasked"))
    json_flag(ex)

    um = cmd(sub, "unmask", "cmd_unmask")
    which = um.add_mutually_exclusive_group(required=True)
    which.add_argument("--registration", metavar="UUID", help=t("opt_unmask_registration"))
    which.add_argument("--member", metavar="ID", type=_positive, help=t("opt_unmask_member"))
    um.add_argument("--reason", required=True, help=t("opt_unmask_reason"))
    json_flag(um)

    st = cmd(sub, "settings", "cmd_settings")
    ssub = st.add_subparsers(dest="settings_command", required=True, parser_class=type(st))
    json_flag(cmd(ssub, "list", "cmd_settings_list"))
    sset = cmd(ssub, "set", "cmd_settings_set")
    sset.add_argument("key", choices=tuple(settings.ORGANIZER_SETTINGS), help=t("opt_setting_key"))
    sset.add_argument("value", type=_positive, help=t("opt_setting_value"))
    json_flag(sset)

    pg = cmd(sub, "purge", "cmd_purge")
    pg.add_argument("--days", type=_positive, help=t("opt_purge_days"))
    json_flag(pg)


def add_unmask_options(parser) -> None:
    """`--unmasked --reason TEXT` for the list commands (registrations list, roster find)."""
    parser.add_argument("--unmasked", action="store_true", help=t("opt_list_unmasked"))
    parser.add_argument("--reason", help=t("opt_list_reason"))


# -- secrets -----------------------------------------------------------------------------
def _prompt(prompt: str) -> str:
    """A hidden prompt on the terminal; StationError when there is none to ask on."""
    try:
        with warnings.catch_warnings():
            # With no terminal getpass would warn and read the secret from stdin, echoed.
            warnings.simplefilter("error", getpass.GetPassWarning)
            return getpass.getpass(prompt)
    except EOFError:  # Ctrl+D at the prompt: the user gave up, as with Ctrl+C
        raise KeyboardInterrupt from None
    except (getpass.GetPassWarning, OSError):
        raise StationError("cli_no_terminal", env=SECRET_ENV) from None


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def login_secret(name: str) -> str:
    return _env(SECRET_ENV) or _prompt(t("cli_prompt_secret", name=name))


def _new_secret(role: str | None, who: str) -> str:
    """A new PIN or passphrase: STATION_NEW_SECRET, or typed twice (checked against the rules first)."""
    from station.security import operators

    env = _env(NEW_SECRET_ENV)
    if env is not None:
        return env
    first = _prompt(t("cli_prompt_new_secret", name=who))
    if role is not None:
        operators.check_secret(role, first)  # say what the rule is before asking again
    if _prompt(t("cli_prompt_repeat_secret")) != first:
        raise StationError("cli_secret_mismatch")
    return first


# -- log-in --------------------------------------------------------------------------------
def _progress():
    """A progress callback for the conversion of a pre-0006 store: one updating line on stderr."""
    if not sys.stderr.isatty():
        return None

    def show(done, total=None, *_rest) -> None:
        sys.stderr.write("\r" + t("cli_converting", done=done, total=total if total is not None else "?") + "   ")
        sys.stderr.flush()

    return show


def convert_if_needed(store, session) -> None:
    """A store still holding plaintext ID numbers/mobiles is encrypted at the first organizer log-in."""
    from station.security import protect

    if not protect.needs_encryption(store):
        return
    if not session.can("import"):  # the conversion is an organizer's job, as imports are
        raise StationError("cli_needs_organizer_conversion", name=session.name)
    print(t("cli_converting_start"), file=sys.stderr)
    counts = protect.encrypt_existing(store, session, progress=_progress())
    if sys.stderr.isatty():
        sys.stderr.write("\n")  # end the progress line
    print(t("cli_converted", **_conversion_counts(counts)), file=sys.stderr)


def _conversion_counts(counts) -> dict:
    counts = counts or {}
    return {"members": counts.get("members", 0), "registrations": counts.get("registrations", 0)}


_SUBCOMMAND_DESTS = ("roster_command", "event_command", "registrations_command", "audit_command", "ecard_command",
                     "poster_command", "draw_command", "draw_prizes_command", "report_command",
                     "operators_command", "settings_command")


def _command_words(args) -> str:
    """`registrations list`: the command as typed, for the log-in hint."""
    words = [getattr(args, "command", None)] + [getattr(args, d, None) for d in _SUBCOMMAND_DESTS]
    return " ".join(w for w in words if w)


def _check_log(store, session, anchor: str | None) -> None:
    """At an organizer's log-in, check the audit log against the anchor stored before it; warn, never block."""
    from station.security import audit

    problems = audit.verify(store, cipher=session.cipher, anchor=anchor)
    if problems:
        first = problems[0]
        print(t("cli_audit_warning", count=len(problems), seq=first.seq, detail=first.message()), file=sys.stderr)


def session_for(args, store, action: str | None = None, *, check_log: bool = True):
    """Log in the --operator (once per run) and require `action`; StationError says how to log in.

    An organizer's log-in also checks the audit log with the key (docs/security.md), unless the
    command is `audit verify`, which reports it itself.
    """
    from station.security import audit, operators

    cached = getattr(args, "_session", None)
    if cached is not None:
        if action:
            cached.require(action)
        return cached
    name = getattr(args, "operator", None)
    if not name:
        if not operators.has_operators(store):
            raise StationError("cli_setup_first")
        raise StationError("cli_login_required", env=SECRET_ENV, cmd=_command_words(args))
    secret = login_secret(name)
    anchor = audit.stored_anchor(store)  # before the log-in's own entry re-anchors the log
    session = operators.login(store, name, secret)
    if check_log and session.role == operators.ORGANIZER:
        _check_log(store, session, anchor)
    convert_if_needed(store, session)
    args._session = session
    if action:
        session.require(action)
    return session


def _open(args):
    from station.store.database import open_store

    return open_store(args.data_dir, integrity="quick")


# -- setup, operators, recovery ------------------------------------------------------------------
def cmd_setup(args) -> int:
    from station.security import operators

    store = _open(args)
    if operators.has_operators(store):
        raise StationError("operators_exist")
    passphrase = _env(SECRET_ENV)
    if passphrase is None:
        passphrase = _prompt(t("cli_prompt_setup_secret", name=args.name, min=operators.ORGANIZER_SECRET_MIN))
        operators.check_secret(operators.ORGANIZER, passphrase)
        if _prompt(t("cli_prompt_repeat_secret")) != passphrase:
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
    from sqlalchemy import select

    from station.store.clock import now_utc, to_local
    from station.store.models import Operator
    from station.security.operators import lock_remaining

    now = now_utc()
    with store.session() as s:
        ops = list(s.scalars(select(Operator).where(Operator.active.is_(True)).order_by(Operator.id)))
    return [
        {
            "name": op.name, "role": op.role, "role_label": t("role_" + op.role),
            "created_at": to_local(op.created_at).isoformat(timespec="seconds") if op.created_at else None,
            "last_login_at": to_local(op.last_login_at).isoformat(timespec="seconds") if op.last_login_at else None,
            "locked_s": int(lock_remaining(op, now)),
        }
        for op in ops
    ]


def cmd_operators_list(args) -> int:
    store = _open(args)
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

    store = _open(args)
    session = session_for(args, store, "operators")
    secret = _new_secret(args.role, args.name)
    operators.add_operator(store, session, args.name, args.role, secret)
    if args.json:
        print_json({"name": args.name.strip(), "role": args.role, "added": True})
    else:
        print(t("cli_operator_added", name=args.name.strip(), role=t("role_" + args.role)))
    return 0


def cmd_operators_remove(args) -> int:
    from station.security import operators

    store = _open(args)
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

    store = _open(args)
    session = session_for(args, store)
    target = (args.name or session.name).strip()
    if target != session.name:
        session.require("operators")  # before asking for a secret that would be refused
    secret = _new_secret(_role_of(store, target), target)
    operators.change_secret(store, session, target, secret)
    if args.json:
        print_json({"name": target, "changed": True})
    else:
        print(t("cli_operator_secret_changed", name=target))
    return 0


def cmd_recover(args) -> int:
    from station.security import operators

    store = _open(args)
    key = _env(RECOVERY_ENV) or _prompt(t("cli_prompt_recovery_key"))
    # The key's typos are found (by group) before the new passphrase is asked for.
    from station.security.keyslots import parse_recovery_key

    parse_recovery_key(key)
    secret = _new_secret(operators.ORGANIZER, args.name or t("cli_recover_default_name"))
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
    from station.signup.service import list_signups

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
        d["outcome"] = t("outcome_" + r.outcome)
        rows.append(d)
    return columns, rows


def _roster_export(store, session):
    """Every member on the roster, decrypted one at a time as the file is written."""
    from sqlalchemy import select

    from station.security import protect
    from station.reports.exports import ExportColumn
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

    store = _open(args)
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

    store = _open(args)
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


def audit_list_unmask(store, session, what: str, targets: list, reason: str | None) -> None:
    """`--unmasked` on a list: one audit entry naming every record shown in clear, before it is shown."""
    from station.security import audit

    session.require("unmask")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise StationError("cli_unmask_reason_required")
    audit.append(store, "unmask", operator=session.name, target=what, cipher=session.cipher,
                 details={"reason": reason, "rows": len(targets), "targets": targets})


# -- settings and purge ----------------------------------------------------------------------------
def _setting_values(store) -> dict[str, int]:
    return {key: settings.get_int(store, setting) for key, setting in settings.ORGANIZER_SETTINGS.items()}


def cmd_settings_list(args) -> int:
    values = _setting_values(_open(args))
    if args.json:
        print_json(values)
    else:
        for key, value in values.items():
            print(f"{key}\t{value}\t{t('cli_setting_' + key.replace('.', '_'))}")
    return 0


def cmd_settings_set(args) -> int:
    setting = settings.ORGANIZER_SETTINGS[args.key]
    settings.check_range(setting, args.value)  # before the log-in: no secret asked for a value that cannot be set
    store = _open(args)
    session = session_for(args, store, "settings")
    old = settings.set_int(store, session, setting, args.value)
    if args.json:
        print_json({"key": args.key, "old": old, "value": args.value})
    else:
        print(t("cli_setting_changed", key=args.key, old=old, value=args.value))
    return 0


def cmd_purge(args) -> int:
    from station.security import retention

    store = _open(args)
    session = session_for(args, store, "purge")
    counts = retention.purge(store, operator=session, days=args.days)
    if args.json:
        print_json(counts)
    else:
        print(t("cli_purge_done", registrations=counts["registrations"], members=counts["members"],
                backups=counts["backups"], days=counts["days"]))
    return 0


COMMANDS = {
    ("setup",): cmd_setup,
    ("operators", "list"): cmd_operators_list,
    ("operators", "add"): cmd_operators_add,
    ("operators", "remove"): cmd_operators_remove,
    ("operators", "passwd"): cmd_operators_passwd,
    ("recover",): cmd_recover,
    ("export",): cmd_export,
    ("unmask",): cmd_unmask,
    ("settings", "list"): cmd_settings_list,
    ("settings", "set"): cmd_settings_set,
    ("purge",): cmd_purge,
}
