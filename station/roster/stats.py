"""Counts the organizer asks for: the roster and today's sign-ups."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from station.store.clock import local_day_bounds_utc, local_today
from station.store.database import Store
from station.store.models import Enterprise, ImportBatch, Member, Registration, Union


@dataclass(frozen=True)
class RosterStats:
    members_on_roster: int
    new_applicants: int  # signed up here, not on the roster
    verified: int
    verification_unknown: int
    enterprises: int
    unions: int
    signups_total: int
    signups_today: int
    imports: int
    last_import_file: str | None
    last_import_at: str | None

    def as_json(self) -> dict:
        return asdict(self)


def recent_imports(store: Store, kind: str = "roster", limit: int = 10) -> list[ImportBatch]:
    """The latest imported files of a kind ("roster" or "paper"), newest first."""
    with store.session() as s:
        return list(s.scalars(select(ImportBatch).where(ImportBatch.kind == kind).order_by(ImportBatch.id.desc()).limit(limit)))


def roster_stats(store: Store) -> RosterStats:
    start, end = local_day_bounds_utc(local_today())
    with store.session() as s:
        on_roster = s.scalar(select(func.count()).select_from(Member).where(Member.on_roster.is_(True))) or 0
        applicants = s.scalar(select(func.count()).select_from(Member).where(Member.on_roster.is_(False))) or 0
        verified = s.scalar(select(func.count()).select_from(Member).where(Member.on_roster.is_(True), Member.verified.is_(True))) or 0
        unknown = s.scalar(select(func.count()).select_from(Member).where(Member.on_roster.is_(True), Member.verified.is_(None))) or 0
        last = s.scalars(select(ImportBatch).where(ImportBatch.kind == "roster", ImportBatch.finished_at.is_not(None)).order_by(ImportBatch.id.desc())).first()
        return RosterStats(
            members_on_roster=on_roster,
            new_applicants=applicants,
            verified=verified,
            verification_unknown=unknown,
            enterprises=s.scalar(select(func.count()).select_from(Enterprise)) or 0,
            unions=s.scalar(select(func.count()).select_from(Union)) or 0,
            signups_total=s.scalar(select(func.count()).select_from(Registration)) or 0,
            signups_today=s.scalar(
                select(func.count()).select_from(Registration).where(Registration.created_at >= start, Registration.created_at < end)
            ) or 0,
            imports=s.scalar(select(func.count()).select_from(ImportBatch).where(ImportBatch.kind == "roster")) or 0,
            last_import_file=last.file_name if last else None,
            last_import_at=last.finished_at.isoformat(timespec="seconds") + "Z" if last and last.finished_at else None,
        )
