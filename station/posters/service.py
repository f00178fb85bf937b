"""QR posters for a campaign: choose enterprises, make proofed PDFs, keep the poster register.

The one implementation behind ``station poster …`` and the poster screen:

- ``PosterDesign``: what the office chose (template, wording, colours, logo,
  campaign, where the posters hang, the platform's sign-up URL);
- ``select_targets``: which enterprises get a poster (a union's, the N
  largest by imported members, at least M imported members, the N with the
  lowest verification rate);
- ``make_posters``: lays out, writes and proofs them, one multi-page PDF or
  one file each; only a fully proofed result is moved into place and
  recorded in the register (table ``posters``).  A cancel, a text that does
  not fit, a QR that does not read back: nothing is left half-written.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from sqlalchemy import and_, case, func, select

from station.errors import StationError
from station.i18n import t
from station.people.textnorm import clean_org_name
from station.posters.layout import Note, PosterPainter, PosterSpec
from station.posters.qr import (
    DEFAULT_BASE_URL,
    POSTER_ID_LEN,
    attribution_url,
    check_base_url,
    check_campaign,
    make_symbol,
    new_poster_id,
)
from station.posters.templates import LIST_FIELDS, PLACEMENTS, TEMPLATE_ORDER, default_content, get_template
from station.store.clock import local_today, to_local
from station.store.database import Store
from station.store.models import Enterprise, Member, Poster, Union

log = logging.getLogger(__name__)

SETTING_BASE_URL = "poster.base_url"
SETTING_DESIGN = "poster.design"  # the poster screen's last design (JSON)
MIN_DISTANCE_M, MAX_DISTANCE_M = 0.2, 10.0
MAX_TEXT = 200
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_BAD_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


# -- what the user chose ----------------------------------------------------------------


@dataclass
class PosterDesign:
    """A poster's design; empty values mean the template's defaults."""

    template: str = "a4"
    campaign: str = ""  # default: the month, e.g. 202611
    placement: str = "canteen"
    hang_date: dt.date | None = None  # default: today
    texts: dict[str, str] = field(default_factory=dict)
    benefits: list[str] | None = None
    steps: list[str] | None = None
    colours: dict[str, str] = field(default_factory=dict)
    logo: str | None = None  # path; None: the default logo
    base_url: str | None = None  # None: the station's setting, else the built-in default
    distance_m: float | None = None  # None: the template's reading distance

    def to_json(self) -> str:
        data = asdict(self)
        data["hang_date"] = None  # a remembered design is for the next campaign, not the same day
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> PosterDesign:
        try:
            data = json.loads(text or "{}")
            known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "hang_date"}
            return cls(**known)
        except (ValueError, TypeError):
            return cls()


@dataclass(frozen=True)
class ResolvedDesign:
    """A design checked and completed with the defaults (placeholders still in the texts)."""

    template_key: str
    campaign: str
    placement: str
    hang_date: dt.date
    texts: dict[str, str]
    benefits: list[str]
    steps: list[str]
    colours: dict[str, str]
    logo: str | None
    base_url: str
    distance_m: float | None


def base_url(store: Store) -> str:
    return store.get_setting(SETTING_BASE_URL) or DEFAULT_BASE_URL


def set_base_url(store: Store, url: str) -> str:
    url = check_base_url(url)
    store.set_setting(SETTING_BASE_URL, url)
    return url


def saved_design(store: Store) -> PosterDesign:
    """The design the poster screen last made a poster with (the defaults when none was saved)."""
    return PosterDesign.from_json(store.get_setting(SETTING_DESIGN))


def remember_design(store: Store, design: PosterDesign) -> None:
    """Keep a design that made posters for next time; its 注册页地址 becomes the station's."""
    store.set_setting(SETTING_DESIGN, design.to_json())
    if design.base_url and design.base_url != base_url(store):
        set_base_url(store, design.base_url)


def resolve(store: Store, design: PosterDesign) -> ResolvedDesign:
    """Check every choice and fill in the defaults; StationError names the first bad one."""
    template = get_template(design.template)
    placement = (design.placement or "canteen").strip().lower()
    if placement not in PLACEMENTS:
        raise StationError("poster_bad_placement", value=placement, known=", ".join(PLACEMENTS))
    hang_date = design.hang_date or local_today()
    campaign = check_campaign(design.campaign or f"{hang_date:%Y%m}")
    texts_default, colours_default = default_content()
    texts = dict(texts_default)
    for key, value in (design.texts or {}).items():
        if key not in texts:
            raise StationError("poster_bad_field", field=key, known=", ".join(texts))
        if value is None:
            continue
        value = str(value).strip()
        if len(value) > MAX_TEXT:
            raise StationError("poster_text_over_limit", field=key, max=MAX_TEXT)
        texts[key] = value
    if not texts["title"].strip():
        raise StationError("poster_title_empty")
    benefits = _items("benefits", design.benefits, list(texts_default["benefits"]))
    steps = _items("steps", design.steps, list(texts_default["steps"]))
    texts.pop("benefits", None)
    texts.pop("steps", None)
    colours = dict(colours_default)
    for key, value in (design.colours or {}).items():
        if key not in colours:
            raise StationError("poster_bad_colour", which=key, value=value)
        if value:
            if not _HEX.match(str(value).strip()):
                raise StationError("poster_bad_colour", which=key, value=value)
            colours[key] = str(value).strip().upper()
    url = check_base_url(design.base_url) if design.base_url else base_url(store)
    distance = design.distance_m
    if distance is not None and not (MIN_DISTANCE_M <= float(distance) <= MAX_DISTANCE_M):
        raise StationError("poster_bad_distance", value=distance, min=MIN_DISTANCE_M, max=MAX_DISTANCE_M)
    return ResolvedDesign(template.key, campaign, placement, hang_date, texts, benefits, steps, colours,
                          design.logo or None, url, float(distance) if distance is not None else None)


def _items(name: str, given: list[str] | None, default: list[str]) -> list[str]:
    fewest, most = LIST_FIELDS[name]
    items = default if given is None else [str(s).strip() for s in given if str(s).strip()]
    if not fewest <= len(items) <= most:
        raise StationError("poster_item_count", field=name, min=fewest, max=most, count=len(items))
    for item in items:
        if len(item) > MAX_TEXT:
            raise StationError("poster_text_over_limit", field=name, max=MAX_TEXT)
    return items


# -- who gets a poster -----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """An enterprise a poster is for, with its roster figures."""

    enterprise_id: int
    enterprise: str
    union_id: int | None
    union: str | None
    members: int  # imported (在册)
    verified: int

    @property
    def rate(self) -> float | None:
        """认证率: verified / imported (an unknown status counts as not yet verified)."""
        return self.verified / self.members if self.members else None

    def as_json(self) -> dict:
        return {"enterprise": self.enterprise, "union": self.union, "members": self.members, "verified": self.verified,
                "rate": None if self.rate is None else round(self.rate, 4)}


def _target_query():
    verified = func.sum(case((Member.verified.is_(True), 1), else_=0))
    return (
        select(Enterprise.id, Enterprise.name, Enterprise.union_id, Union.name, func.count(Member.id), verified)
        .outerjoin(Member, and_(Member.enterprise_id == Enterprise.id, Member.on_roster.is_(True)))
        .outerjoin(Union, Union.id == Enterprise.union_id)
        .group_by(Enterprise.id)
    )


def _targets(rows) -> list[Target]:
    return [Target(r[0], r[1], r[2], r[3], int(r[4] or 0), int(r[5] or 0)) for r in rows]


def _suggest(s, model, name: str) -> str:
    fragment = name[:4]
    names = list(s.scalars(select(model.name).where(model.name.contains(fragment)).limit(3))) if fragment else []
    return "、".join(names)


def find_target(store: Store, enterprise: str) -> Target:
    """The enterprise named (cleaned as in the roster); StationError with close names if unknown."""
    name = clean_org_name(enterprise or "")
    with store.session() as s:
        if not name:
            raise StationError("poster_enterprise_unknown", name=enterprise, hint="—")
        rows = s.execute(_target_query().where(Enterprise.name == name)).all()
        if not rows:
            raise StationError("poster_enterprise_unknown", name=name, hint=_suggest(s, Enterprise, name) or "—")
        return _targets(rows)[0]


def select_targets(
    store: Store,
    *,
    union: str | None = None,
    top: int | None = None,
    lowest_rate: int | None = None,
    min_members: int | None = None,
) -> list[Target]:
    """The enterprises of a batch, biggest first (lowest rate first with ``lowest_rate``).

    union: only that grassroots union's enterprises (None: every enterprise on
    this station); min_members: at least that many imported members; top: the
    N largest; lowest_rate: the N with the lowest verification rate (those with
    no imported member have no rate and are left out).
    """
    if top is not None and lowest_rate is not None:
        raise StationError("poster_filters_exclusive")
    for value in (top, lowest_rate, min_members):
        if value is not None and value < (0 if value is min_members else 1):
            raise StationError("poster_bad_count", value=value)
    with store.session() as s:
        q = _target_query()
        if union:
            uname = clean_org_name(union)
            found = s.scalars(select(Union).where(Union.name == uname)).first()
            if found is None:
                raise StationError("poster_union_unknown", name=uname, hint=_suggest(s, Union, uname) or "—")
            q = q.where(Enterprise.union_id == found.id)
        targets = _targets(s.execute(q).all())
    if min_members:
        targets = [t for t in targets if t.members >= min_members]
    if lowest_rate is not None:
        ranked = sorted((t for t in targets if t.members), key=lambda t: (t.rate, -t.members, t.enterprise))
        targets = ranked[:lowest_rate]
    else:
        targets.sort(key=lambda t: (-t.members, t.enterprise))
        if top is not None:
            targets = targets[:top]
    if not targets:
        raise StationError("poster_no_enterprises")
    return targets


# -- making posters -----------------------------------------------------------------------


@dataclass(frozen=True)
class PosterProgress:
    phase: str  # "render" | "proof" | "save"
    done: int
    total: int

    def phase_text(self, lang: str | None = None) -> str:
        """The phase as the CLI prints it (排版 / 校样 / 保存)."""
        return t(PHASE_KEYS[self.phase], lang)


PHASE_KEYS: dict[str, str] = {"render": "poster_phase_render", "proof": "poster_phase_proof", "save": "poster_phase_save"}


@dataclass
class MadePoster:
    code: str
    enterprise: str
    union: str | None
    url: str
    file: Path
    page: int | None
    module_mm: float
    notes: list[Note]

    def as_json(self) -> dict:
        return {"code": self.code, "enterprise": self.enterprise, "union": self.union, "url": self.url,
                "file": str(self.file), "page": self.page, "module_mm": round(self.module_mm, 2),
                "notes": [n.message() for n in self.notes]}


@dataclass
class MakeResult:
    posters: list[MadePoster]
    files: list[Path]
    template: str
    campaign: str
    batch_uuid: str | None
    elapsed_s: float
    cancelled: bool = False

    @property
    def notes(self) -> list[str]:
        """Each distinct note once, with the enterprises it concerns when a batch had many."""
        seen: dict[str, list[str]] = {}
        for p in self.posters:
            for n in p.notes:
                seen.setdefault(n.message(), []).append(p.enterprise)
        out = []
        for text, who in seen.items():
            out.append(text if len(self.posters) == 1 else f"{text}（{'、'.join(who[:3])}{'…' if len(who) > 3 else ''}）")
        return out

    def as_json(self) -> dict:
        return {"template": self.template, "campaign": self.campaign, "batch_uuid": self.batch_uuid,
                "files": [str(f) for f in self.files], "count": len(self.posters), "cancelled": self.cancelled,
                "elapsed_s": round(self.elapsed_s, 3), "notes": self.notes,
                "posters": [p.as_json() for p in self.posters]}


def _fill(text: str, values: dict[str, str]) -> str:
    # Only our four placeholders: a user's own braces stay as typed.
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def build_spec(design: ResolvedDesign, target: Target, code: str, logo) -> PosterSpec:
    """The spec of one poster: texts filled in for the enterprise, its QR symbol, the shared logo."""
    union = target.union or f"{target.enterprise}工会"
    values = {"enterprise": target.enterprise, "union": union, "campaign": design.campaign, "code": code}
    url = attribution_url(design.base_url, union=target.union, enterprise=target.enterprise,
                          campaign=design.campaign, poster_id=code)
    return PosterSpec(
        template=get_template(design.template_key),
        texts={k: _fill(v, values) for k, v in design.texts.items()},
        benefits=[_fill(b, values) for b in design.benefits],
        steps=[_fill(s, values) for s in design.steps],
        colours=design.colours,
        symbol=make_symbol(url),
        logo=logo,
        enterprise=target.enterprise,
        union=union,
        distance_m=design.distance_m,
    )


def preview_painter(store: Store, design: PosterDesign, enterprise: str | None) -> PosterPainter:
    """A painter for the screen's live preview (no id reserved; the QR holds a sample id)."""
    from station.posters.logo import load_logo

    resolved = resolve(store, design)
    if enterprise and enterprise.strip():
        target = find_target(store, enterprise)
    else:
        target = Target(0, "东莞市示例电子有限公司", None, "东莞市示例电子有限公司工会委员会", 0, 0)
    logo, _ = load_logo(resolved.logo)
    return PosterPainter(build_spec(resolved, target, "0" * POSTER_ID_LEN, logo))


def painters_for(store: Store, result: MakeResult, design: PosterDesign) -> list[PosterPainter]:
    """Painters for the posters of a finished result, same ids: to print what was just proofed."""
    from station.posters.logo import load_logo

    resolved = resolve(store, replace(design, campaign=result.campaign))
    logo, _ = load_logo(resolved.logo)
    out = []
    for p in result.posters:
        target = find_target(store, p.enterprise)
        out.append(PosterPainter(build_spec(resolved, target, p.code, logo)))
    return out


def _new_codes(store: Store, count: int) -> list[str]:
    codes: set[str] = set()
    with store.session() as s:
        while len(codes) < count:
            batch = {new_poster_id() for _ in range(count - len(codes))} - codes
            taken = set(s.scalars(select(Poster.code).where(Poster.code.in_(batch)))) if batch else set()
            codes |= batch - taken
    return sorted(codes)


def safe_file_name(text: str, limit: int = 60) -> str:
    name = _BAD_FILE_CHARS.sub("_", text).strip(" .") or "poster"
    return name[:limit]


def _writable_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{uuid.uuid4().hex[:8]}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StationError("file_unwritable", path=folder, reason=exc.strerror or exc) from exc


def make_posters(
    store: Store,
    targets: list[Target],
    design: PosterDesign,
    out: Path,
    *,
    one_file_each: bool | None = None,
    progress: Callable[[PosterProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MakeResult:
    """One poster per target into ``out``: a .pdf file (all pages) or a folder (one PDF each).

    ``one_file_each`` None: decided by ``out`` (a name ending .pdf is one file).
    Every page is proofed (station.posters.proof) before the file is moved into
    place; only then are the posters recorded.  Cancelled: nothing written,
    ``cancelled`` set in the result.
    """
    from station.posters.logo import load_logo
    from station.posters.proof import proof_pdf
    from station.posters.render import ensure_gui, render_pdf

    started = time.perf_counter()
    if not targets:
        raise StationError("poster_no_enterprises")
    out = Path(out)
    if one_file_each is None:
        one_file_each = out.suffix.lower() != ".pdf"
    if not one_file_each and out.suffix.lower() != ".pdf":
        raise StationError("poster_out_not_pdf", path=out)
    if not one_file_each and out.is_dir():
        raise StationError("poster_out_is_dir", path=out)
    if one_file_each and out.exists() and not out.is_dir():
        raise StationError("poster_out_not_dir", path=out)
    resolved = resolve(store, design)
    ensure_gui()
    logo, logo_notes = load_logo(resolved.logo)
    folder = out if one_file_each else out.parent
    _writable_dir(folder)
    codes = _new_codes(store, len(targets))
    batch_uuid = str(uuid.uuid4()) if len(targets) > 1 else None
    template = get_template(resolved.template_key)
    total = len(targets)

    def report(phase: str, done: int) -> None:
        if progress is not None:
            progress(PosterProgress(phase, done, total))

    made: list[MadePoster] = []

    def painters(pairs) -> Iterator[PosterPainter]:
        for target, code in pairs:
            painter = PosterPainter(build_spec(resolved, target, code, logo))
            notes = [Note(k) for k in logo_notes] + painter.notes
            made.append(MadePoster(code, target.enterprise, target.union, painter.spec.symbol.text, out, None,
                                   painter.module_mm, notes))
            yield painter

    def expected(posters: list[MadePoster]) -> list[list[str]]:
        return [[p.url] * template.qr_count for p in posters]

    is_cancelled = cancelled or (lambda: False)
    staging: Path | None = None
    partial: Path | None = None
    try:
        if not one_file_each:
            partial = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
            title = resolved.texts["title"]
            render_pdf(partial, template, painters(zip(targets, codes, strict=True)), title=title,
                       on_page=lambda n: report("render", n), cancelled=is_cancelled)
            if is_cancelled():
                return MakeResult([], [], template.key, resolved.campaign, None, time.perf_counter() - started, True)
            proof_pdf(partial, expected(made), [p.module_mm for p in made], on_page=lambda n: report("proof", n),
                      cancelled=is_cancelled)
            if is_cancelled():
                return MakeResult([], [], template.key, resolved.campaign, None, time.perf_counter() - started, True)
            for page, p in enumerate(made, start=1):
                p.page = page if total > 1 else None
            os.replace(partial, out)
            partial = None
            files = [out]
        else:
            staging = out / f".posters-{uuid.uuid4().hex[:8]}.partial"
            staging.mkdir()
            names: list[str] = []
            for k, (target, code) in enumerate(zip(targets, codes, strict=True)):
                if is_cancelled():
                    return MakeResult([], [], template.key, resolved.campaign, None, time.perf_counter() - started, True)
                name = f"{safe_file_name(target.enterprise)}_{template.key}_{code}.pdf"
                path = staging / name
                render_pdf(path, template, painters([(target, code)]), title=resolved.texts["title"])
                proof_pdf(path, expected(made[-1:]), [made[-1].module_mm])
                names.append(name)
                report("render", k + 1)
            files = []
            for name, p in zip(names, made, strict=True):
                final = out / name
                os.replace(staging / name, final)
                p.file = final
                files.append(final)
            shutil.rmtree(staging, ignore_errors=True)
            staging = None
        report("save", total)
        _register(store, made, resolved, batch_uuid)
        return MakeResult(made, files, template.key, resolved.campaign, batch_uuid, time.perf_counter() - started)
    except OSError as exc:
        raise StationError("file_unwritable", path=out, reason=exc.strerror or exc) from exc
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def make_poster(store: Store, enterprise: str, design: PosterDesign, out: Path, **kw) -> MakeResult:
    """One poster for one enterprise into the PDF ``out``."""
    return make_posters(store, [find_target(store, enterprise)], design, out, one_file_each=False, **kw)


def _register(store: Store, made: list[MadePoster], design: ResolvedDesign, batch_uuid: str | None) -> None:
    station_uuid = store.identity.uuid
    with store.session() as s:
        ids = {name: (eid, uid) for eid, name, uid in s.execute(
            select(Enterprise.id, Enterprise.name, Enterprise.union_id).where(Enterprise.name.in_({p.enterprise for p in made}))
        )}
        for p in made:
            eid, uid = ids[p.enterprise]
            s.add(Poster(
                code=p.code, enterprise_id=eid, union_id=uid, template=design.template_key, campaign=design.campaign,
                placement=design.placement, hang_date=design.hang_date, url=p.url, title=design.texts["title"][:200],
                file_path=str(p.file.resolve())[:1000], page=p.page, batch_uuid=batch_uuid,
                module_um=round(p.module_mm * 1000), station_uuid=station_uuid,
            ))
        s.commit()


# -- the register --------------------------------------------------------------------------


@dataclass(frozen=True)
class PosterRow:
    code: str
    enterprise: str
    union: str | None
    template: str
    campaign: str
    placement: str
    hang_date: dt.date
    url: str
    file: str
    page: int | None
    module_mm: float
    created_at: dt.datetime  # local time

    def as_json(self) -> dict:
        d = asdict(self)
        d["hang_date"] = self.hang_date.isoformat()
        d["created_at"] = self.created_at.isoformat(timespec="seconds")
        return d


def list_posters(store: Store, *, enterprise: str | None = None, campaign: str | None = None,
                 limit: int | None = 500) -> list[PosterRow]:
    """The register, newest first."""
    q = (
        select(Poster, Enterprise.name, Union.name)
        .join(Enterprise, Enterprise.id == Poster.enterprise_id)
        .outerjoin(Union, Union.id == Poster.union_id)
        .order_by(Poster.id.desc())
    )
    if enterprise:
        q = q.where(Enterprise.name.contains(clean_org_name(enterprise)))
    if campaign:
        q = q.where(Poster.campaign == campaign.strip())
    if limit:
        q = q.limit(limit)
    with store.session() as s:
        return [
            PosterRow(p.code, ename, uname, p.template, p.campaign, p.placement, p.hang_date, p.url, p.file_path, p.page,
                      p.module_um / 1000, to_local(p.created_at))
            for p, ename, uname in s.execute(q)
        ]


def template_keys() -> tuple[str, ...]:
    return TEMPLATE_ORDER
