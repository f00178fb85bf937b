"""Poster templates: page size, reading distance and the boxes a poster is laid out in.

A template is a JSON file in resources/templates/posters/ (one per size);
its blocks are boxes in millimetres, drawn in order by station.posters.layout.
``content.json`` beside them holds the default wording and colours.  An A3
template may ``extend`` the A4 one with a ``scale``: ISO sizes share their
proportions, so the same layout grows by √2.

A template with ``faces`` (the table card) draws its blocks once per face:
the tent card's upper face is turned 180° so both read upright once folded.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from station.errors import StationError
from station.store.paths import resources_dir

TEMPLATE_ORDER = ("a4", "a3", "x-banner", "table-card")

# Where a poster will hang (the register records it; reports group by it).
PLACEMENTS = ("canteen", "dorm", "board", "booth")
PLACEMENT_NAMES = {
    "canteen": ("饭堂", "Canteen"),
    "dorm": ("宿舍", "Dormitory"),
    "board": ("宣传栏", "Notice board"),
    "booth": ("摊位", "Booth"),
}

# Text fields a user can edit; the list fields hold one line per item.
TEXT_FIELDS = ("brand", "title", "subtitle", "ribbon", "benefits_title", "steps_title", "caption", "contact", "code")
LIST_FIELDS = {"benefits": (1, 6), "steps": (3, 3)}  # (fewest, most) items
COLOUR_KEYS = ("primary", "accent", "ink", "paper")


@dataclass(frozen=True)
class Face:
    offset: tuple[float, float]
    size: tuple[float, float]
    rotate: int  # 0 or 180


@dataclass(frozen=True)
class Template:
    key: str
    name_zh: str
    name_en: str
    page_mm: tuple[float, float]
    distance_m: float  # how far away people stand when they should be able to scan it
    blocks: tuple[dict, ...]
    faces: tuple[Face, ...]
    page_blocks: tuple[dict, ...] = field(default=())

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    @property
    def qr_count(self) -> int:
        """QR codes on one page (a table card has one per face)."""
        per_face = sum(1 for b in self.blocks if b["type"] == "qr")
        return per_face * len(self.faces)

    def qr_block(self) -> dict:
        return next(b for b in self.blocks if b["type"] == "qr")


def templates_dir() -> Path:
    return resources_dir() / "templates" / "posters"


def _scaled(block: dict, k: float) -> dict:
    out = copy.deepcopy(block)
    for key in ("rect", "origin"):
        if key in out:
            out[key] = [v * k for v in out[key]]
    for key in ("size", "caption_size"):
        if key in out:
            out[key] = [v * k for v in out[key]]
    for key in ("heading_size", "y"):
        if key in out:
            out[key] = out[key] * k
    return out


def _read(key: str) -> dict:
    path = templates_dir() / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StationError("poster_template_unknown", template=key, known=", ".join(TEMPLATE_ORDER)) from None


@cache
def get_template(key: str) -> Template:
    """The template ``key`` (a4, a3, x-banner, table-card); StationError if unknown."""
    key = (key or "").strip().lower()
    if key not in TEMPLATE_ORDER:
        raise StationError("poster_template_unknown", template=key, known=", ".join(TEMPLATE_ORDER))
    raw = _read(key)
    blocks: list[dict] = raw.get("blocks", [])
    page_blocks = raw.get("page_blocks", [])
    faces = raw.get("faces")
    if "extends" in raw:
        base = _read(raw["extends"])
        k = float(raw.get("scale", 1.0))
        blocks = [_scaled(b, k) for b in base["blocks"]]
        page_blocks = [_scaled(b, k) for b in base.get("page_blocks", [])]
        faces = [
            {"offset": [v * k for v in f["offset"]], "size": [v * k for v in f["size"]], "rotate": f.get("rotate", 0)}
            for f in base.get("faces", [])
        ] or None
    w, h = raw["page_mm"]
    face_list = tuple(
        Face(tuple(f["offset"]), tuple(f["size"]), int(f.get("rotate", 0))) for f in (faces or [])
    ) or (Face((0.0, 0.0), (float(w), float(h)), 0),)
    return Template(
        key=raw["key"],
        name_zh=raw["name"]["zh"],
        name_en=raw["name"]["en"],
        page_mm=(float(w), float(h)),
        distance_m=float(raw["distance_m"]),
        blocks=tuple(blocks),
        faces=face_list,
        page_blocks=tuple(page_blocks),
    )


def all_templates() -> list[Template]:
    return [get_template(k) for k in TEMPLATE_ORDER]


@lru_cache(maxsize=1)
def default_content() -> tuple[dict, dict]:
    """(texts, colours) from content.json; callers copy before changing."""
    raw = json.loads((templates_dir() / "content.json").read_text(encoding="utf-8"))
    return raw["content"], raw["colours"]
