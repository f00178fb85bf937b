"""Logging in on the command line, in one place for every `station` command (issue 4).

`station --operator NAME …` logs in before any command that reads or writes
ID numbers or mobiles; the secret comes from a hidden prompt or, for
scripts, the environment variable STATION_SECRET.  Each `station` run is
one process, so each logs in once (one scrypt, 0.4 s) and the key is gone
when it exits.  Every command module calls ``session_for``; the list
commands check `--unmasked` with ``check_unmasked`` and ``audit_list_unmask``.

Environment, for scripts (a prompt is safer: other programs of the same
user can read a process's environment):
  STATION_SECRET        the --operator's PIN or passphrase (for `setup`:
                        the new organizer's passphrase)
  STATION_NEW_SECRET    the new secret of `operators add|passwd` and `recover`
  STATION_RECOVERY_KEY  the recovery key of `recover`
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import warnings

from station.errors import StationError
from station.i18n import t

SECRET_ENV = "STATION_SECRET"
NEW_SECRET_ENV = "STATION_NEW_SECRET"
RECOVERY_ENV = "STATION_RECOVERY_KEY"


# -- options -----------------------------------------------------------------------------
def add_operator_option(parser, common) -> None:
    """`--operator NAME` on the main parser and (via ``common``) after any subcommand."""
    parser.add_argument("--operator", metavar="NAME", help=t("opt_operator_login"))
    common.add_argument("--operator", metavar="NAME", default=argparse.SUPPRESS, help=t("opt_operator_login"))


def add_unmask_options(parser) -> None:
    """`--unmasked --reason TEXT` for the list commands (registrations list, roster find)."""
    parser.add_argument("--unmasked", action="store_true", help=t("opt_list_unmasked"))
    parser.add_argument("--reason", help=t("opt_list_reason"))


# -- secrets -----------------------------------------------------------------------------
def prompt(text: str) -> str:
    """A hidden prompt on the terminal; StationError when there is none to ask on."""
    try:
        with warnings.catch_warnings():
            # With no terminal getpass would warn and read the secret from stdin, echoed.
            warnings.simplefilter("error", getpass.GetPassWarning)
            return getpass.getpass(text)
    except EOFError:  # Ctrl+D at the prompt: the user gave up, as with Ctrl+C
        raise KeyboardInterrupt from None
    except (getpass.GetPassWarning, OSError):
        raise StationError("cli_no_terminal", env=SECRET_ENV) from None


def env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def login_secret(name: str) -> str:
    return env(SECRET_ENV) or prompt(t("cli_prompt_secret", name=name))


def new_secret(role: str | None, who: str) -> str:
    """A new PIN or passphrase: STATION_NEW_SECRET, or typed twice (checked against the rules first)."""
    from station.security import operators

    given = env(NEW_SECRET_ENV)
    if given is not None:
        return given
    first = prompt(t("cli_prompt_new_secret", name=who))
    if role is not None:
        operators.check_secret(role, first)  # say what the rule is before asking again
    if prompt(t("cli_prompt_repeat_secret")) != first:
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
    """`registrations list`: the command as typed, for the log-in hint.

    The words come from the dests above, so the `sync` commands are named by their group alone:
    the hint's wording, kept as it was when the CLI got one registry.
    """
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


# -- unmasked lists ---------------------------------------------------------------------------
def check_unmasked(args, operator) -> bool:
    """Whether a list stays masked: --unmasked needs the unmask right and a --reason, checked up front."""
    if not getattr(args, "unmasked", False):
        return True
    operator.require("unmask")
    if len((args.reason or "").strip()) < 2:
        raise StationError("cli_unmask_reason_required")
    return False


def audit_list_unmask(store, session, what: str, targets: list, reason: str | None) -> None:
    """`--unmasked` on a list: one audit entry naming every record shown in clear, before it is shown."""
    from station.security import audit

    session.require("unmask")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise StationError("cli_unmask_reason_required")
    audit.append(store, "unmask", operator=session.name, target=what, cipher=session.cipher,
                 details={"reason": reason, "rows": len(targets), "targets": targets})

