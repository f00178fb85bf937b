"""Operators, roles, log-in and lockout.

Two roles: 推广员 promoter (booth work, masked views) and 管理员 organizer
(import, export, sync, unmask, operators, settings).  ``can(role, action)``
is the one permissions table; screens and commands ask it, never the role.

Roles are enforced by the program, not by cryptography: every key slot
opens the same data key (docs/security.md says why and what that means).

Log-in opens the operator's key slot and returns an ``OperatorSession``
holding the unlocked ``FieldCipher``; locking the station drops it, and
unlocking is logging in again.  Secrets are never stored.

Lockout: five wrong secrets in a row lock the account for 30 s, the next
five for 1 min, then 5, 15 and 60 min (and 60 min after that) until a
successful log-in resets it.  The attempt is counted *before* the slow KDF
runs and committed, so killing the program mid-attempt does not give a
free guess; the state is in the database, so a restart does not reset it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.errors import StationError
from station.i18n import t
from station.security import audit
from station.security.fieldcrypt import FieldCipher
from station.security.keyslots import (
    KIND_OPERATOR,
    KIND_RECOVERY,
    KdfParams,
    SlotWrongSecret,
    make_slot,
    new_recovery_key,
    open_slot,
    parse_recovery_key,
)
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import KeySlot, Operator, Setting

PROMOTER = "promoter"
ORGANIZER = "organizer"
# 核验员: checks e-cards at a door and nothing else; the app shows them the 核验 screen only, full
# screen, and only an organizer's passphrase leaves it (ui/main_window.py, kiosk mode).
CHECKER = "checker"
ROLES = (PROMOTER, ORGANIZER, CHECKER)
PIN_ROLES = (PROMOTER, CHECKER)  # log in with a PIN

# action -> roles allowed.  Organizers can do everything promoters can.
PERMISSIONS: dict[str, frozenset[str]] = {
    "signup": frozenset({PROMOTER, ORGANIZER}),
    "checkin": frozenset({PROMOTER, ORGANIZER, CHECKER}),  # e-card checks at the door (CheckinService)
    "draw": frozenset({PROMOTER, ORGANIZER}),
    "view_masked": frozenset({PROMOTER, ORGANIZER, CHECKER}),
    "import": frozenset({ORGANIZER}),
    "export": frozenset({ORGANIZER}),
    "sync": frozenset({ORGANIZER}),
    "unmask": frozenset({ORGANIZER}),
    "operators": frozenset({ORGANIZER}),
    "settings": frozenset({ORGANIZER}),
    "audit_read": frozenset({ORGANIZER}),
    "purge": frozenset({ORGANIZER}),
}

PROMOTER_PIN_MIN = 6
ORGANIZER_SECRET_MIN = 10
MAX_FAILURES = 5
LOCK_DELAYS_S = (30, 60, 300, 900, 3600)
MAX_NAME = 50
KEY_CHECK = "crypto.key_check"
RECOVERY_OWNER = "recovery"

Clock = Callable[[], dt.datetime]


def can(role: str, action: str) -> bool:
    """Whether `role` may do `action` (an unknown action is a programming error: KeyError)."""
    return role in PERMISSIONS[action]


@dataclass
class OperatorSession:
    """A logged-in operator and the data key their log-in unlocked.

    Hand it to the functions that read or write personal data; drop it to
    lock the station.
    """

    operator_id: int
    operator_uuid: str
    name: str
    role: str
    cipher: FieldCipher

    def can(self, action: str) -> bool:
        return can(self.role, action)

    def require(self, action: str) -> None:
        """StationError not_permitted unless this operator's role allows `action`."""
        if not self.can(action):
            raise StationError("not_permitted", role=role_label(self.role), action=action)


# The message key of each role's label: one constant per role, never a key built at run time.
ROLE_KEYS: dict[str, str] = {PROMOTER: "role_promoter", ORGANIZER: "role_organizer", CHECKER: "role_checker"}


def role_label(role: str, lang: str | None = None) -> str:
    """The role as people read it (推广员 / 管理员); an unknown role is a programming error (KeyError)."""
    return t(ROLE_KEYS[role], lang)


# -- secrets ---------------------------------------------------------------------------


def _too_simple(secret: str) -> bool:
    if len(set(secret)) <= 2:
        return True
    if secret.isdigit():
        steps = {(int(b) - int(a)) % 10 for a, b in pairwise(secret)}
        if steps in ({1}, {9}):  # 123456, 987654 (wrapping: 890123)
            return True
    return secret.lower() in {"password123", "1234567890", "qwertyuiop", "abcdefghij"}


def check_secret(role: str, secret: str) -> str:
    """The normalised secret, or StationError saying what the rule is.

    Promoters and door checkers: a PIN of at least 6 digits (typed often, at a busy booth or door).
    Organizers: a passphrase of at least 10 characters, digits allowed
    (used at day's end, and it opens exports and unmasking).
    Both: not a run or a repeat (123456, 111111).
    """
    norm = unicodedata.normalize("NFKC", secret or "").strip()
    if role in PIN_ROLES:
        if not norm.isdigit():
            raise StationError("pin_digits_only")
        if len(norm) < PROMOTER_PIN_MIN:
            raise StationError("pin_too_short", min=PROMOTER_PIN_MIN)
    elif role == ORGANIZER:
        if len(norm) < ORGANIZER_SECRET_MIN:
            raise StationError("passphrase_too_short", min=ORGANIZER_SECRET_MIN)
    else:
        raise StationError("bad_role", role=role)
    if _too_simple(norm):
        raise StationError("secret_too_simple")
    return norm


def _clean_name(name: str) -> str:
    clean = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name or "")).strip()
    if not clean:
        raise StationError("operator_name_required")
    if len(clean) > MAX_NAME:
        raise StationError("operator_name_too_long", max=MAX_NAME)
    return clean


# -- set-up ----------------------------------------------------------------------------


def has_operators(store: Store) -> bool:
    """Whether the station is set up: an indexed LIMIT 1, not a COUNT (the GUI asks it on its own thread)."""
    with store.session() as s:
        return s.scalar(select(Operator.id).limit(1)) is not None


# -- who may log in (read-only, for the log-in form and the operators list) --------------


@dataclass(frozen=True)
class OperatorInfo:
    """An active operator as a list shows them: no key slot, no secret.  Times are naive UTC."""

    operator_id: int
    name: str
    role: str
    created_at: dt.datetime | None
    last_login_at: dt.datetime | None
    failed_count: int
    locked_until: dt.datetime | None
    locked_s: float  # seconds the account stays locked (0 when it is not)


def active_operators(store: Store, *, clock: Clock = now_utc) -> list[OperatorInfo]:
    """Who may log in here, in the order they were added, with their lockout as of ``clock()``."""
    now = clock()
    with store.session() as s:
        ops = list(s.scalars(select(Operator).where(Operator.active.is_(True)).order_by(Operator.id)))
        return [OperatorInfo(op.id, op.name, op.role, op.created_at, op.last_login_at, op.failed_count or 0,
                             op.locked_until, lock_remaining(op, now)) for op in ops]


def login_names(store: Store) -> tuple[list[str], str | None]:
    """Names to offer on the log-in form (organizers first, then promoters, by name) and who logged in last."""
    ops = active_operators(store)
    names = [op.name for op in sorted(ops, key=lambda op: (op.role != ORGANIZER, op.name))]
    logged = [op for op in ops if op.last_login_at is not None]
    last = max(logged, key=lambda op: op.last_login_at or dt.datetime.min).name if logged else None
    return names, last


def organizer_names(store: Store) -> list[str]:
    """The active organizers in the order they were added: whom a recovery key can give a new passphrase."""
    return [op.name for op in active_operators(store) if op.role == ORGANIZER]


def create_first_organizer(store: Store, name: str, passphrase: str, *, kdf: KdfParams | None = None) -> str:
    """First run: make the data key, the first organizer and the recovery slot.

    Returns the recovery key (48 digits) — the only time it exists in
    clear: show it once, have it printed and kept.  StationError
    operators_exist when the station is already set up.
    """
    clean = _clean_name(name)
    secret = check_secret(ORGANIZER, passphrase)
    cipher = FieldCipher.generate()
    recovery = new_recovery_key()
    station = store.identity.uuid
    with store.session() as s:
        if s.scalar(select(func.count(Operator.id))):
            raise StationError("operators_exist")
        op = Operator(name=clean, role=ORGANIZER)
        s.add(op)
        s.flush()
        s.add(make_slot(cipher.data_key, secret, station_uuid=station, kind=KIND_OPERATOR, owner=op.uuid,
                        operator_id=op.id, params=kdf))
        s.add(make_slot(cipher.data_key, parse_recovery_key(recovery), station_uuid=station, kind=KIND_RECOVERY,
                        owner=RECOVERY_OWNER, params=kdf))
        s.add(Setting(key=KEY_CHECK, value=cipher.key_check.hex()))
        audit.append(store, "setup", operator=clean, target=clean, details={"role": ORGANIZER}, cipher=cipher, db=s)
        s.commit()
    return recovery


# -- log-in ----------------------------------------------------------------------------


def _find(s: Session, name: str) -> Operator:
    op = s.scalars(select(Operator).where(Operator.name == _clean_name(name), Operator.active.is_(True))).first()
    if op is None:
        if not s.scalar(select(func.count(Operator.id))):
            raise StationError("no_operators")
        raise StationError("operator_not_found", name=name)
    return op


def _slot_of(s: Session, op: Operator) -> KeySlot:
    slot = s.scalars(select(KeySlot).where(KeySlot.operator_id == op.id, KeySlot.kind == KIND_OPERATOR)).first()
    if slot is None:
        raise StationError("slot_corrupt", owner=op.name)
    return slot


def _wait_text(seconds: float) -> str:
    n = max(1, int(seconds + 0.999))
    return t("wait_seconds", n=n) if n < 120 else t("wait_minutes", n=(n + 59) // 60)


def _check_key(s: Session, data_key: bytes, owner: str) -> FieldCipher:
    """The cipher of an unwrapped key, refused if it is not the key the data was written with."""
    cipher = FieldCipher(data_key)
    row = s.get(Setting, KEY_CHECK)
    if row is None or row.value != cipher.key_check.hex():
        raise StationError("slot_wrong_key", owner=owner)
    return cipher


def lock_remaining(op: Operator, now: dt.datetime) -> float:
    """Seconds the account stays locked (0 when it is not)."""
    if op.locked_until is None or now >= op.locked_until:
        return 0.0
    return (op.locked_until - now).total_seconds()


def login(store: Store, name: str, secret: str, *, clock: Clock = now_utc) -> OperatorSession:
    """Open the operator's key slot; every outcome is audited.

    StationError: operator_not_found, login_locked (with the wait),
    login_wrong_secret (with tries left), slot_corrupt / slot_tampered /
    slot_other_station / slot_wrong_key (a damaged or foreign slot, which
    does not count as a wrong guess).  The attempt counter and its outcome
    are small units of work (``Store.write``): on a busy store they wait
    (the waiting listener hears why) instead of failing; the slow KDF runs
    between them, holding no lock.
    """
    station = store.identity.uuid
    now = clock()
    # Counted before the KDF and committed: killing the program mid-attempt is no free guess.
    op, slot, wait = store.write(lambda s: _count_attempt(s, name, now))
    if slot is None:
        audit.append(store, "login_refused_locked", operator=op.name, target=op.name, clock=clock)
        raise StationError("login_locked", wait=_wait_text(wait))
    try:
        data_key = open_slot(slot, secret, station_uuid=station, owner=op.uuid, owner_label=op.name)
        with store.session() as s:
            cipher = _check_key(s, data_key, op.name)
    except SlotWrongSecret:
        failures, locked_s, locked_until = store.write(lambda s: _count_failure(s, op.id, now))
        details: dict = {"failures": failures}
        if locked_s:
            details["locked_s"] = locked_s
        audit.append(store, "login_failed", operator=op.name, target=op.name, details=details, clock=clock)
        if locked_until is not None and locked_until > now:
            raise StationError("login_locked", wait=_wait_text((locked_until - now).total_seconds())) from None
        raise StationError("login_wrong_secret", left=MAX_FAILURES - failures) from None
    except StationError as exc:
        store.write(lambda s: _uncount(s, op.id))  # a damaged slot is not the operator's guess
        audit.append(store, "login_error", operator=op.name, target=op.name, details={"error": exc.key}, clock=clock)
        raise
    store.write(lambda s: _logged_in(s, op.id, now))
    session = OperatorSession(op.id, op.uuid, op.name, op.role, cipher)
    audit.append(store, "login", operator=session.name, target=session.name, details={"role": session.role},
                 cipher=cipher, clock=clock)
    return session


def _count_attempt(s: Session, name: str, now: dt.datetime) -> tuple[Operator, KeySlot | None, float]:
    """(the operator, their slot, 0) with the attempt counted; (the operator, None, seconds left) while locked."""
    op = _find(s, name)
    wait = lock_remaining(op, now)
    if wait > 0:
        return op, None, wait
    slot = _slot_of(s, op)
    op.failed_count += 1
    return op, slot, 0.0


def _count_failure(s: Session, operator_id: int, now: dt.datetime) -> tuple[int, int, dt.datetime | None]:
    """A wrong secret, counted already: lock the account at MAX_FAILURES; (failures, lock seconds, locked until)."""
    op = s.get_one(Operator, operator_id)
    failures, delay = op.failed_count, 0
    if op.failed_count >= MAX_FAILURES:
        delay = LOCK_DELAYS_S[min(op.lock_level, len(LOCK_DELAYS_S) - 1)]
        op.lock_level += 1
        op.failed_count = 0
        op.locked_until = now + dt.timedelta(seconds=delay)
    return failures, delay, op.locked_until


def _uncount(s: Session, operator_id: int) -> None:
    op = s.get_one(Operator, operator_id)
    op.failed_count = max(0, op.failed_count - 1)


def _logged_in(s: Session, operator_id: int, now: dt.datetime) -> None:
    op = s.get_one(Operator, operator_id)
    op.failed_count = 0
    op.lock_level = 0
    op.locked_until = None
    op.last_login_at = now


# -- managing operators (organizers) ---------------------------------------------------


def add_operator(
    store: Store, session: OperatorSession, name: str, role: str, secret: str, *, kdf: KdfParams | None = None
) -> None:
    """A new operator with their own key slot.  Organizers only."""
    session.require("operators")
    clean = _clean_name(name)
    norm = check_secret(role, secret)
    with store.session() as s:
        if s.scalars(select(Operator).where(Operator.name == clean)).first() is not None:
            raise StationError("operator_exists", name=clean)
        op = Operator(name=clean, role=role)
        s.add(op)
        s.flush()
        s.add(make_slot(session.cipher.data_key, norm, station_uuid=store.identity.uuid, kind=KIND_OPERATOR,
                        owner=op.uuid, operator_id=op.id, params=kdf))
        audit.append(store, "operator_add", operator=session.name, target=clean, details={"role": role},
                     cipher=session.cipher, db=s)
        s.commit()


def remove_operator(store: Store, session: OperatorSession, name: str) -> None:
    """Deactivate an operator and delete their key slot.  Organizers only.

    Deleting the slot does not re-key the data: a copy of the database
    taken before still opens with the old secret (docs/security.md).
    """
    session.require("operators")
    with store.session() as s:
        op = _find(s, name)
        if op.id == session.operator_id:
            raise StationError("cannot_remove_self")
        if op.role == ORGANIZER and _active_organizers(s) <= 1:
            raise StationError("last_organizer")
        for slot in s.scalars(select(KeySlot).where(KeySlot.operator_id == op.id)):
            s.delete(slot)
        op.active = False
        op.removed_at = now_utc()
        # The name is freed for a new account; the audit log keeps the old one.
        op.name = f"{op.name[: MAX_NAME - 10]}#{op.id}-removed"[:MAX_NAME]
        audit.append(store, "operator_remove", operator=session.name, target=_clean_name(name),
                     cipher=session.cipher, db=s)
        s.commit()


def _active_organizers(s: Session) -> int:
    return s.scalar(select(func.count(Operator.id)).where(Operator.role == ORGANIZER, Operator.active.is_(True))) or 0


def change_secret(
    store: Store, session: OperatorSession, name: str, new_secret: str, *, kdf: KdfParams | None = None
) -> None:
    """Set an operator's secret (re-wrapping their slot).

    Organizers may set anyone's (a promoter who forgot a PIN); anyone may
    change their own.  Also clears the account's lockout.
    """
    with store.session() as s:
        op = _find(s, name)
        if op.id != session.operator_id:
            session.require("operators")
        _rewrap(s, store, op, check_secret(op.role, new_secret), session.cipher, kdf)
        audit.append(store, "secret_change", operator=session.name, target=op.name, cipher=session.cipher, db=s)
        s.commit()


def _rewrap(s: Session, store: Store, op: Operator, secret: str, cipher: FieldCipher, kdf: KdfParams | None) -> None:
    for old in s.scalars(select(KeySlot).where(KeySlot.operator_id == op.id, KeySlot.kind == KIND_OPERATOR)):
        s.delete(old)
    s.flush()
    s.add(make_slot(cipher.data_key, secret, station_uuid=store.identity.uuid, kind=KIND_OPERATOR, owner=op.uuid,
                    operator_id=op.id, params=kdf))
    op.failed_count = 0
    op.lock_level = 0
    op.locked_until = None


def recover(
    store: Store, recovery_key: str, new_passphrase: str, *, name: str | None = None, kdf: KdfParams | None = None
) -> OperatorSession:
    """Open the data with the recovery key and give an organizer a new passphrase.

    name: which organizer (default: the first active one).  A typo in the
    key is reported by group before the slow KDF runs.  The recovery key
    stays valid (it is on paper); returns the organizer's session.
    """
    secret = parse_recovery_key(recovery_key)  # typos caught here, fast
    with store.session() as s:
        op: Operator | None
        if name is not None:
            op = _find(s, name)
        else:
            op = s.scalars(
                select(Operator).where(Operator.role == ORGANIZER, Operator.active.is_(True)).order_by(Operator.id)
            ).first()
            if op is None:
                raise StationError("no_operators")
        if op.role != ORGANIZER:
            raise StationError("not_permitted", role=role_label(op.role), action="recover")
        norm = check_secret(ORGANIZER, new_passphrase)
        slot = s.scalars(select(KeySlot).where(KeySlot.kind == KIND_RECOVERY)).first()
        if slot is None:
            raise StationError("recovery_missing")
        label = t("recovery_owner_label")
        try:
            data_key = open_slot(slot, secret, station_uuid=store.identity.uuid, owner=RECOVERY_OWNER, owner_label=label)
        except SlotWrongSecret:
            audit.append(store, "recover_failed", target=op.name)
            raise StationError("recovery_key_wrong") from None
        cipher = _check_key(s, data_key, label)
        _rewrap(s, store, op, norm, cipher, kdf)
        session = OperatorSession(op.id, op.uuid, op.name, op.role, cipher)
        audit.append(store, "recover", operator=op.name, target=op.name, cipher=cipher, db=s)
        s.commit()
    return session
