"""Booth sign-up (现场注册): validate, match against the roster, store durably.

One set of steps serves the booth form, the CLI and the paper import: the
rules live here once.  ``register`` (the CLI, the demo) and
``register_checked`` (the booth form, which has checked the form once
already) each commit their own transaction, fsynced (see
station.store.database), before they return, so whatever screen shows the
outcome shows something that survives a power cut.  ``register_in`` works
inside the caller's transaction and never commits (the paper import
commits a whole file at once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.errors import StationError
from station.i18n import get_lang, t
from station.people import idnumber, mobile, names
from station.security import protect
from station.security.operators import OperatorSession
from station.signup import peer_signups
from station.signup.booth import SessionInfo, current_session, session_info
from station.signup.consent import CURRENT_VERSION
from station.store.clock import local_day_bounds_utc, local_today, now_utc, to_local
from station.store.database import Store
from station.store.models import Enterprise, Event, Member, Registration, Union, new_uuid
from station.store.orgs import enterprise_by_name, union_by_name

MIN_AGE = 16
OUTCOME_ROSTER = "roster"  # 在册会员
OUTCOME_NEW = "new"  # 新会员申请
OUTCOME_ALREADY = "already"  # 已登记
OUTCOME_KEYS: dict[str, str] = {
    OUTCOME_ROSTER: "outcome_roster",
    OUTCOME_NEW: "outcome_new",
    OUTCOME_ALREADY: "outcome_already",
}


def outcome_text(outcome: str, lang: str | None = None) -> str:
    """A sign-up's outcome as people read it (在册会员 / 新会员申请 / 已登记); an unknown one as it is stored."""
    key = OUTCOME_KEYS.get(outcome)
    return t(key, lang) if key is not None else outcome


@dataclass(frozen=True)
class Issue:
    """A problem with one field: a message key and its parameters."""

    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


@dataclass
class FormCheck:
    """The form as validated: clean values, problems per field, what the ID tells."""

    name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    errors: dict[str, Issue] = field(default_factory=dict)
    warnings: dict[str, Issue] = field(default_factory=dict)
    birth_date: dt.date | None = None
    sex: str | None = None  # "M" | "F"
    age: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self, lang: str | None = None) -> dict[str, str]:
        return {f: issue.message(lang) for f, issue in self.errors.items()}


def check_name(raw: str | None) -> tuple[str | None, Issue | None]:
    name, key, params = names.check(raw)
    return name, (Issue(key, params) if key else None)


def check_phone(raw: str | None) -> tuple[str | None, Issue | None]:
    res = mobile.check(raw)
    return res.number, (Issue(res.error) if res.error else None)


def check_id(raw: str | None, today: dt.date | None = None) -> tuple[str | None, Issue | None, Issue | None]:
    """(number, error, warning); under-16 is an error here, with the age."""
    day = today or local_today()
    res = idnumber.check(raw, day)
    if res.error:
        return None, Issue(res.error), None
    assert res.number is not None
    age = idnumber.age_on(res.number, day)
    if age < MIN_AGE:
        return res.number, Issue("under_age", {"age": age}), None
    return res.number, None, (Issue(res.warning) if res.warning else None)


def check_form(name: str | None, phone: str | None, id_number: str | None, today: dt.date | None = None) -> FormCheck:
    """Validate the three personal fields as the form shows them, live."""
    out = FormCheck()
    out.name, err = check_name(name)
    if err:
        out.errors["name"] = err
    out.phone, err = check_phone(phone)
    if err:
        out.errors["phone"] = err
    _check_id_into(out, id_number, today or local_today())
    return out


def check_id_field(raw: str | None, today: dt.date | None = None) -> FormCheck:
    """The ID number field alone, as the form shows it while typed: number, error, warning, birth date, sex, age."""
    out = FormCheck()
    _check_id_into(out, raw, today or local_today())
    return out


def _check_id_into(out: FormCheck, id_number: str | None, day: dt.date) -> None:
    number, err, warn = check_id(id_number, day)
    if number:
        out.birth_date = idnumber.birth_date(number)
        out.sex = idnumber.sex(number)
        out.age = idnumber.age_on(number, day)
    if err:
        out.errors["id_number"] = err
    else:
        out.id_number = number
    if warn:
        out.warnings["id_number"] = warn


@dataclass(frozen=True)
class EarlierSignup:
    """Where and when a person was already signed up."""

    at: dt.datetime  # local time
    event_name: str
    venue: str
    station_name: str
    outcome: str

    def as_json(self) -> dict:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "event": self.event_name,
            "venue": self.venue,
            "station": self.station_name,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class SignupResult:
    outcome: str  # OUTCOME_ROSTER | OUTCOME_NEW | OUTCOME_ALREADY
    name: str
    id_number: str
    registration_uuid: str | None
    roster_name: str | None  # the name on the roster, when matched
    roster_enterprise: str | None  # the roster's enterprise, when matched
    enterprise: str | None
    union: str | None
    earlier: EarlierSignup | None
    today_count: int
    warnings: tuple[Issue, ...] = ()

    def as_json(self) -> dict:
        from station.security.masking import mask_id

        return {
            "outcome": self.outcome,
            "name": self.name,
            "id_number": mask_id(self.id_number),
            "registration_uuid": self.registration_uuid,
            "roster_name": self.roster_name,
            "roster_enterprise": self.roster_enterprise,
            "enterprise": self.enterprise,
            "union": self.union,
            "earlier": self.earlier.as_json() if self.earlier else None,
            "today_count": self.today_count,
            "warnings": [w.message() for w in self.warnings],
        }


class FormInvalid(StationError):
    """The form has field errors; ``check`` holds them per field."""

    def __init__(self, check: FormCheck) -> None:
        first = next(iter(check.errors.values()))
        super().__init__("form_invalid", detail=first.message())
        self.check = check

    def message(self, lang: str | None = None) -> str:
        labels = {"name": t("field_name", lang), "phone": t("field_phone", lang), "id_number": t("field_id_number", lang)}
        sep = ": " if lang == "en" or (lang is None and get_lang() == "en") else "："
        parts = [f"{labels[f]}{sep}{issue.message(lang)}" for f, issue in self.check.errors.items()]
        return t("form_invalid", lang, detail=" ".join(parts))


def earlier_signup(s: Session, member_id: int) -> EarlierSignup | None:
    row = s.execute(
        select(Registration.created_at, Event.name, Event.venue, Registration.station_name, Registration.outcome)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.member_id == member_id)
        .order_by(Registration.created_at)
        .limit(1)
    ).first()
    if row is None:
        return None
    return EarlierSignup(to_local(row[0]), row[1], row[2], row[3], row[4])


def member_by_id_number(s: Session, operator: OperatorSession, number: str) -> Member | None:
    """The member with this (normalised) ID number, through its blind index: no decryption scan."""
    return s.scalars(select(Member).where(Member.id_bidx == operator.cipher.blind_index("id", number))).first()


def lookup_roster(store: Store, raw_id: str, operator: OperatorSession) -> dict | None:
    """What the roster says about an ID number (for the form's live hint)."""
    operator.require("view_masked")
    res = idnumber.check(raw_id)
    if not res.number:
        return None
    with store.session() as s:
        m = member_by_id_number(s, operator, res.number)
        if m is None:
            return None
        earlier = earlier_signup(s, m.id)
        return {
            "name": m.name,
            "on_roster": m.on_roster,
            "enterprise": m.enterprise.name if m.enterprise else None,
            "union": m.union.name if m.union else None,
            "earlier": earlier,
        }


def count_today(store: Store, day: dt.date | None = None, *, this_station: bool = True) -> int:
    start, end = local_day_bounds_utc(day or local_today())
    q = select(func.count(Registration.id)).where(Registration.created_at >= start, Registration.created_at < end)
    if this_station:
        q = q.where(Registration.station_uuid == store.identity.uuid)
    with store.session() as s:
        return s.scalar(q) or 0


def _require_booth(store: Store, operator: OperatorSession, consent: bool,
                   session: SessionInfo | int | None) -> SessionInfo:
    """The operator may sign up, the person consented, and the booth session sign-ups go to (StationError)."""
    operator.require("signup")
    if not consent:
        raise StationError("consent_required")
    if session is None:
        info = current_session(store)
        if info is None:
            raise StationError("no_session")
        return info
    if isinstance(session, int):
        return session_info(store, session)
    return session


def _valid(check: FormCheck) -> FormCheck:
    if not check.ok:
        raise FormInvalid(check)
    assert check.name and check.phone and check.id_number
    return check


def _already_signed_up(s: Session, member: Member, check: FormCheck) -> SignupResult | None:
    """The earlier sign-up of a known member as the result, or None (nothing is written for it)."""
    earlier = earlier_signup(s, member.id)
    if earlier is None:
        return None
    assert check.name and check.id_number
    on_roster_ent = member.enterprise.name if member.on_roster and member.enterprise else None
    return SignupResult(
        OUTCOME_ALREADY, check.name, check.id_number, None, member.name if member.on_roster else None,
        on_roster_ent, member.enterprise.name if member.enterprise else None,
        member.union.name if member.union else None, earlier, 0, tuple(check.warnings.values()),
    )


def _signed_up_elsewhere(s: Session, operator: OperatorSession, member: Member | None,
                         check: FormCheck) -> SignupResult | None:
    """已登记 at another booth of the event (live sync brought its sign-up), or None."""
    assert check.name and check.id_number
    peer = peer_signups.earliest(s, operator.cipher.blind_index("id", check.id_number))
    if peer is None:
        return None
    earlier = EarlierSignup(to_local(peer.at), peer.event_name, peer.venue, peer.station_name, peer.outcome)
    on_roster = member is not None and member.on_roster
    return SignupResult(
        OUTCOME_ALREADY, check.name, check.id_number, None, member.name if member and on_roster else None,
        member.enterprise.name if member and on_roster and member.enterprise else None,
        member.enterprise.name if member and member.enterprise else None,
        member.union.name if member and member.union else None, earlier, 0, tuple(check.warnings.values()),
    )


def _orgs(s: Session, info: SessionInfo, enterprise: str | None, union: str | None) -> tuple[Enterprise | None, Union | None]:
    """The enterprise and union a sign-up names, made when new; the booth's host when the form leaves them empty.

    A union typed on the form wins; else the enterprise's own union; else,
    only when the enterprise was left to the host too, the host's union.
    """
    typed_ent = bool(enterprise and enterprise.strip())
    u = union_by_name(s, union) if (union and union.strip()) else None
    ent = enterprise_by_name(s, enterprise if typed_ent else info.enterprise, u)
    if u is None:
        if ent is not None and ent.union_id is not None:
            u = ent.union
        elif not typed_ent:
            u = union_by_name(s, info.union)
    return ent, u


def _new_member(s: Session, operator: OperatorSession, check: FormCheck, ent: Enterprise | None,
                u: Union | None) -> Member:
    """A member row for someone the station has not met (not on the roster: a new-member application)."""
    assert check.name and check.phone and check.id_number
    member = Member(
        name=check.name,
        initials=names.initials(check.name),
        **protect.member_fields(operator.cipher, check.id_number, check.phone),
        enterprise_id=ent.id if ent else None,
        union_id=u.id if u else None,
        on_roster=False,
    )
    s.add(member)
    s.flush()
    return member


def _sign_up(s: Session, store: Store, operator: OperatorSession, info: SessionInfo, check: FormCheck, *,
             enterprise: str | None, union: str | None, source: str, import_id: int | None) -> SignupResult:
    """Write one valid, consented sign-up in ``s`` (not committed); today_count is left 0."""
    assert check.name and check.phone and check.id_number
    member = member_by_id_number(s, operator, check.id_number)
    if member is not None:
        already = _already_signed_up(s, member, check)
        if already is not None:
            return already
    elsewhere = _signed_up_elsewhere(s, operator, member, check)
    if elsewhere is not None:
        return elsewhere
    ent, u = _orgs(s, info, enterprise, union)
    on_roster = member is not None and member.on_roster
    if member is None:
        member = _new_member(s, operator, check, ent, u)
    ident = store.identity
    reg_uuid = new_uuid()
    reg = Registration(
        uuid=reg_uuid,
        member_id=member.id,
        event_id=info.event_id,
        session_id=info.session_id,
        name=check.name,
        **protect.registration_fields(operator.cipher, reg_uuid, check.phone),
        enterprise_id=ent.id if ent else None,
        union_id=u.id if u else None,
        outcome=OUTCOME_ROSTER if on_roster else OUTCOME_NEW,
        consent_version=CURRENT_VERSION,
        source=source,
        import_id=import_id,
        station_uuid=ident.uuid,
        station_name=ident.name,
        created_at=now_utc(),
    )
    s.add(reg)
    s.flush()
    roster_name = member.name if on_roster else None
    roster_ent = member.enterprise.name if on_roster and member.enterprise else None
    return SignupResult(
        reg.outcome, check.name, check.id_number, reg.uuid, roster_name, roster_ent, ent.name if ent else None,
        u.name if u else None, None, 0, tuple(check.warnings.values()),
    )


def register(
    store: Store,
    *,
    operator: OperatorSession,
    name: str | None,
    phone: str | None,
    id_number: str | None,
    enterprise: str | None = None,
    union: str | None = None,
    consent: bool,
    session: SessionInfo | int | None = None,
    today: dt.date | None = None,
    source: str = "booth",
) -> SignupResult:
    """Sign one worker up at the open booth session and commit it durably (the CLI, the demo, tests).

    enterprise/union default to the event's host.  Raises StationError:
    consent_required, no_session, FormInvalid (field errors, including
    under 16).  An already signed-up person is not an error: the result's
    outcome is OUTCOME_ALREADY with the earlier sign-up and nothing is
    written.  The ID number and mobile are stored only encrypted under
    ``operator``'s data key.
    """
    info = _require_booth(store, operator, consent, session)
    check = _valid(check_form(name, phone, id_number, today))
    return _register_durably(store, operator, info, check, enterprise=enterprise, union=union, source=source)


def register_checked(
    store: Store,
    *,
    operator: OperatorSession,
    form: FormCheck,
    enterprise: str | None = None,
    union: str | None = None,
    consent: bool,
    session: SessionInfo | int | None = None,
    source: str = "booth",
) -> SignupResult:
    """``register`` for a form already checked by ``check_form`` (the booth screen checks it once, on submit).

    Like ``register`` it works in its own transaction, committed (WAL +
    synchronous=FULL: fsynced) before it returns, so the screen only shows
    what survives a power cut.
    """
    info = _require_booth(store, operator, consent, session)
    return _register_durably(store, operator, info, _valid(form), enterprise=enterprise, union=union, source=source)


def _register_durably(store: Store, operator: OperatorSession, info: SessionInfo, check: FormCheck, *,
                      enterprise: str | None, union: str | None, source: str) -> SignupResult:
    """One sign-up as one unit of work, committed (fsynced) before it returns, with today's count.

    ``Store.write`` takes the write lock before the look-up, so two stations signing up one person
    decide one after the other (the second: 已登记); while the store is busy it waits and decides
    again on a fresh read (station/store/writes.py).
    """
    result = store.write(lambda s: _sign_up(s, store, operator, info, check, enterprise=enterprise, union=union,
                                            source=source, import_id=None))
    return replace(result, today_count=count_today(store))


def register_in(
    s: Session,
    store: Store,
    *,
    operator: OperatorSession,
    name: str | None,
    phone: str | None,
    id_number: str | None,
    enterprise: str | None,
    union: str | None,
    consent: bool,
    session: SessionInfo,
    source: str,
    import_id: int | None,
    today: dt.date | None = None,
) -> SignupResult:
    """``register`` inside the caller's open ORM session, without committing (the paper import commits a file at once).

    Same rules and errors as ``register``; the result's today_count is 0
    (the count is only meaningful once committed).
    """
    info = _require_booth(store, operator, consent, session)
    check = _valid(check_form(name, phone, id_number, today))
    return _sign_up(s, store, operator, info, check, enterprise=enterprise, union=union, source=source,
                    import_id=import_id)


@dataclass(frozen=True)
class SignupRow:
    uuid: str
    at: dt.datetime  # local
    name: str
    phone: str | None  # None once the retention purge removed it
    id_number: str | None
    enterprise: str | None
    union: str | None
    outcome: str
    source: str
    event_name: str
    station_name: str

    def as_json(self, masked: bool = True) -> dict:
        from station.security.masking import mask_id, mask_name, mask_phone

        return {
            "uuid": self.uuid,
            "at": self.at.isoformat(timespec="seconds"),
            "name": mask_name(self.name) if masked else self.name,
            "phone": mask_phone(self.phone) if masked else self.phone,
            "id_number": mask_id(self.id_number) if masked else self.id_number,
            "enterprise": self.enterprise,
            "union": self.union,
            "outcome": self.outcome,
            "source": self.source,
            "event": self.event_name,
            "station": self.station_name,
        }


def list_signups(
    store: Store, operator: OperatorSession, *, day: dt.date | None = None, event_id: int | None = None,
    limit: int | None = None,
) -> list[SignupRow]:
    """Sign-ups, newest first, optionally of one local day or one event; fields decrypted per row shown."""
    operator.require("view_masked")
    cipher = operator.cipher
    q = (
        select(Registration, Member, Event.name, Enterprise.name, Union.name)
        .join(Member, Member.id == Registration.member_id)
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(Enterprise, Enterprise.id == Registration.enterprise_id)
        .outerjoin(Union, Union.id == Registration.union_id)
        .order_by(Registration.created_at.desc(), Registration.id.desc())
    )
    if day is not None:
        start, end = local_day_bounds_utc(day)
        q = q.where(Registration.created_at >= start, Registration.created_at < end)
    if event_id is not None:
        q = q.where(Registration.event_id == event_id)
    if limit:
        q = q.limit(limit)
    with store.session() as s:
        return [
            SignupRow(r.uuid, to_local(r.created_at), r.name, protect.registration_phone(cipher, r),
                      protect.member_id_number(cipher, m) if m.id_enc is not None else None,
                      ent, uni, r.outcome, r.source, ev, r.station_name)
            for r, m, ev, ent, uni in s.execute(q)
        ]
