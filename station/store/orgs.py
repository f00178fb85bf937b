"""Enterprises (单位) and grassroots unions (基层工会), found or made by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.errors import StationError
from station.people.textnorm import clean_org_name
from station.store.models import Enterprise, Union

if TYPE_CHECKING:
    from station.store.database import Store

MAX_ORG = 200


def _clean(raw: str | None) -> str | None:
    if raw is None:
        return None
    name = clean_org_name(raw)
    if len(name) > MAX_ORG:
        raise StationError("org_too_long", max=MAX_ORG)
    return name or None


def union_by_name(s: Session, raw: str | None, create: bool = True) -> Union | None:
    name = _clean(raw)
    if name is None:
        return None
    found = s.scalars(select(Union).where(Union.name == name)).first()
    if found is None and create:
        found = Union(name=name)
        s.add(found)
        s.flush()
    return found


def enterprise_by_name(s: Session, raw: str | None, union: Union | None = None, create: bool = True) -> Enterprise | None:
    name = _clean(raw)
    if name is None:
        return None
    found = s.scalars(select(Enterprise).where(Enterprise.name == name)).first()
    if found is None and create:
        found = Enterprise(name=name, union_id=union.id if union else None)
        s.add(found)
        s.flush()
    elif found is not None and found.union_id is None and union is not None:
        found.union_id = union.id
    return found


def enterprise_names(s: Session, prefix: str = "", limit: int = 200) -> list[str]:
    """Names for completion in forms, most populous first."""
    from sqlalchemy import func

    from station.store.models import Member

    q = (
        select(Enterprise.name)
        .outerjoin(Member, Member.enterprise_id == Enterprise.id)
        .group_by(Enterprise.id)
        .order_by(func.count(Member.id).desc(), Enterprise.name)
        .limit(limit)
    )
    if prefix:
        q = q.where(Enterprise.name.contains(clean_org_name(prefix)))
    return list(s.scalars(q))


def union_names(s: Session, prefix: str = "", limit: int = 200) -> list[str]:
    q = select(Union.name).order_by(Union.name).limit(limit)
    if prefix:
        q = q.where(Union.name.contains(clean_org_name(prefix)))
    return list(s.scalars(q))


def union_of_enterprise(s: Session, enterprise_name: str) -> str | None:
    ent = enterprise_by_name(s, enterprise_name, create=False)
    if ent is None or ent.union_id is None:
        return None
    union = s.get(Union, ent.union_id)
    return union.name if union else None


@dataclass(frozen=True)
class OrgNames:
    """Completion lists for the 单位 and 基层工会 fields of a form."""

    enterprises: list[str]
    unions: list[str]


def org_names(store: Store, *, enterprises: int = 200, unions: int = 200) -> OrgNames:
    """Enterprise names (most populous first) and union names: a GROUP BY over the roster, so call it in a worker."""
    with store.session() as s:
        return OrgNames(enterprise_names(s, limit=enterprises), union_names(s, limit=unions))


def union_for_enterprise(store: Store, enterprise_name: str) -> str | None:
    """The union an enterprise belongs to, for filling in a form's 基层工会 once its 单位 is chosen."""
    with store.session() as s:
        return union_of_enterprise(s, enterprise_name)
