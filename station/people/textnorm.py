"""Clean up text typed by hand into rosters and forms.

Rosters arrive from Excel sheets made by hand: full-width digits (１２３),
ideographic spaces, stray blanks, zero-width characters.  Every field goes
through here before it is validated, so validation sees one spelling only.
"""

from __future__ import annotations

import re
import unicodedata

# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset;
# the ideographic space U+3000 becomes a plain space.
_FULLWIDTH: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
# Characters that sneak in from copy-paste and are never meaningful.
for _cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00A0):
    _FULLWIDTH[_cp] = 0x20 if _cp == 0x00A0 else None

_SPACES = re.compile(r"\s+")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII to ASCII, ideographic space to space, zero-width gone."""
    return text.translate(_FULLWIDTH)


def squeeze(text: str) -> str:
    """Half-width, trimmed, inner runs of white space folded to one space."""
    return _SPACES.sub(" ", to_halfwidth(text)).strip()


def compact(text: str) -> str:
    """Half-width with all white space removed (for numbers and codes)."""
    return _SPACES.sub("", to_halfwidth(text))


# Middle dots people type in minority and transliterated names
# (阿卜杜·热合曼): all become the one the public security system uses.
_NAME_DOTS = str.maketrans(dict.fromkeys("•・‧∙⋅", "·"))


def clean_name(text: str) -> str:
    """A person's name as stored: NFC, half-width, no blanks, one kind of '·'.

    Chinese names carry no spaces, so 'Zhang San' style spacing is removed
    only between CJK characters; Latin names keep their single spaces.
    Characters outside GBK (𠮷) pass through untouched.
    """
    text = unicodedata.normalize("NFC", squeeze(text)).translate(_NAME_DOTS)
    if "." in text and not text.isascii():
        text = text.replace(".", "·")  # 阿卜杜.热合曼 typed on a Latin keyboard
    if " " in text:
        parts = text.split(" ")
        out = parts[0]
        for part in parts[1:]:
            if out and part and (out[-1].isascii() and part[0].isascii()):
                out += " " + part
            else:
                out += part
        text = out
    return text.strip("· ")


def clean_org_name(text: str) -> str:
    """An enterprise or union name: half-width, trimmed, blanks folded.

    Hand-made sheets spell the same company with （） and (); half-width
    folding unifies them so one enterprise does not become two.
    """
    return squeeze(text)
