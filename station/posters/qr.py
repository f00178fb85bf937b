"""The poster's QR code: the attribution URL, the symbol, and whether phones can read it.

The URL opens the platform's sign-up page (base URL configurable) and says
where the worker found it: ``u`` union code, ``e`` enterprise code, ``c``
campaign, ``p`` poster id.  The poster id is the key the register and sync
attribute sign-ups by; the union and enterprise codes let the platform group
even a poster it has not heard of yet.  Until the platform issues codes of
its own, an organisation's code is derived from its cleaned name (the same on
every station): six Crockford base-32 characters of its SHA-256.

Error correction is H (30 %): the union's logo sits in the middle and
covers about 5 % of the symbol.  The quiet zone is the standard four modules.

Module size: a phone scanner decodes preview frames about 1920 pixels wide
through a lens that sees about 66° across, and needs about 3.5 pixels per
module under canteen light.  At distance d that is
    3.5 × 2·tan(33°) × d / 1920 ≈ 2.4 mm per metre,
so a poster meant to be scanned from 1 m needs modules of 2.4 mm or more.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode, urlsplit

from station.errors import StationError

EC_LEVEL = "H"
QUIET_ZONE = 4  # modules, ISO/IEC 18004 minimum
LOGO_SHARE = 0.2  # logo box side as a share of the symbol side (≈ 4–5 % of its area)

CAMERA_FRAME_PX = 1920
CAMERA_FOV_DEG = 66.0
PX_PER_MODULE = 3.5
MM_PER_M_DISTANCE = PX_PER_MODULE * 2 * math.tan(math.radians(CAMERA_FOV_DEG / 2)) * 1000 / CAMERA_FRAME_PX

DEFAULT_BASE_URL = "https://ygh.gdftu.org.cn/j"
MAX_URL = 300  # beyond this the symbol gets too dense to print small
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
POSTER_ID_LEN = 10  # 50 random bits: no clash in a province's campaigns
ORG_CODE_LEN = 6
_CAMPAIGN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")


def _b32(data: bytes, length: int) -> str:
    n = int.from_bytes(data, "big")
    bits = len(data) * 8
    out = []
    for i in range(length):
        shift = bits - 5 * (i + 1)
        out.append(CROCKFORD[(n >> shift) & 31] if shift >= 0 else CROCKFORD[(n << -shift) & 31])
    return "".join(out)


def org_code(name: str) -> str:
    """A stable short code for an enterprise or union name (already cleaned)."""
    return _b32(hashlib.sha256(name.encode("utf-8")).digest()[:8], ORG_CODE_LEN)


def new_poster_id() -> str:
    return _b32(secrets.token_bytes(8), POSTER_ID_LEN)


def check_campaign(code: str) -> str:
    code = (code or "").strip()
    if not _CAMPAIGN.match(code):
        raise StationError("poster_bad_campaign", value=code)
    return code


def check_base_url(url: str) -> str:
    """The platform's sign-up page: http(s), a host, no query or fragment of its own."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment or " " in url:
        raise StationError("poster_bad_base_url", value=url)
    return url


def attribution_url(base_url: str, *, union: str | None, enterprise: str, campaign: str, poster_id: str) -> str:
    """The text the QR carries.  Parameters in a fixed order so the same poster gives the same URL."""
    params = []
    if union:
        params.append(("u", org_code(union)))
    params += [("e", org_code(enterprise)), ("c", campaign), ("p", poster_id)]
    url = f"{check_base_url(base_url)}?{urlencode(params)}"
    if len(url) > MAX_URL:
        raise StationError("poster_url_too_long", length=len(url), max=MAX_URL)
    return url


def min_module_mm(distance_m: float) -> float:
    """Smallest module (mm) a phone reads from ``distance_m`` metres."""
    return distance_m * MM_PER_M_DISTANCE


def max_distance_m(module_mm: float) -> float:
    return module_mm / MM_PER_M_DISTANCE


@dataclass(frozen=True)
class QrSymbol:
    """A QR code as a module matrix (True = dark), without its quiet zone."""

    text: str
    version: int
    matrix: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules across, quiet zone excluded."""
        return len(self.matrix)

    @property
    def size_with_quiet_zone(self) -> int:
        return self.size + 2 * QUIET_ZONE

    @cached_property
    def logo_box(self) -> tuple[int, int, int]:
        """(first module, first module, side) of the centre square kept free for the logo."""
        side = max(5, round(self.size * LOGO_SHARE))
        if side % 2 != self.size % 2:  # same parity: the box sits exactly in the middle
            side += 1
        start = (self.size - side) // 2
        return start, start, side

    def dark_runs(self, with_logo: bool = True) -> list[tuple[int, int, int]]:
        """Horizontal runs of dark modules (row, first column, length), the logo box left white."""
        lx, ly, side = self.logo_box
        runs = []
        for y, row in enumerate(self.matrix):
            in_logo_row = with_logo and ly <= y < ly + side
            x = 0
            n = len(row)
            while x < n:
                dark = row[x] and not (in_logo_row and lx <= x < lx + side)
                if not dark:
                    x += 1
                    continue
                start = x
                while x < n and row[x] and not (in_logo_row and lx <= x < lx + side):
                    x += 1
                runs.append((y, start, x - start))
        return runs


def make_symbol(text: str) -> QrSymbol:
    """Encode ``text`` at error-correction level H in the smallest version that holds it."""
    import qrcode
    from qrcode.exceptions import DataOverflowError

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H, border=0)
    qr.add_data(text.encode("utf-8"), optimize=0)
    try:
        qr.make(fit=True)
    except (DataOverflowError, ValueError):
        raise StationError("poster_url_too_long", length=len(text), max=MAX_URL) from None
    matrix = tuple(tuple(bool(v) for v in row) for row in qr.get_matrix())
    return QrSymbol(text=text, version=int(qr.version), matrix=matrix)


@dataclass(frozen=True)
class ReadabilityCheck:
    module_mm: float
    needed_mm: float
    distance_m: float
    max_distance_m: float

    @property
    def ok(self) -> bool:
        return self.module_mm + 1e-9 >= self.needed_mm


def readability(module_mm: float, distance_m: float) -> ReadabilityCheck:
    return ReadabilityCheck(module_mm, min_module_mm(distance_m), distance_m, max_distance_m(module_mm))
