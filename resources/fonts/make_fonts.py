"""Make the poster fonts from Debian's fonts-noto-cjk (run by hand; not part of the program).

    apt-get install fonts-noto-cjk          # 1:20220127 was used
    python -m venv /tmp/fv && /tmp/fv/bin/pip install fonttools
    /tmp/fv/bin/python resources/fonts/make_fonts.py

Takes the Simplified Chinese face of NotoSansCJK-{Regular,Bold}.ttc, keeps
the characters a poster needs (below) and renames the family, as the SIL
Open Font License asks of a modified font.  A full face is 16 MB; this
subset is about 3.5 MB a weight.  Characters outside the subset still print
(Qt falls back to a system font for them) and make a warning.

Why each change:
- GB 2312 (6,763 hanzi) covers everyday text; the supplement adds the
  characters of Guangdong place names and common given names it lacks,
  because enterprise and union names print on every poster.
- Kangxi radicals and compatibility ideographs are left out: they share
  glyphs with ordinary hanzi (⼯ U+2F2F and 工 U+5DE5), and a PDF's text
  layer would then say ⼯ where the poster shows 工, so pdftotext, search
  and copy-paste would miss it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
SOURCE = Path("/usr/share/fonts/opentype/noto")
FAMILY = "YGH Poster Sans SC"
FAMILY_ZH = "粤工惠海报黑体"
FACES = (("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "Regular", "YGHPosterSansSC-Regular.otf"),
         ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC Bold", "Bold", "YGHPosterSansSC-Bold.otf"))

# Place names of the Pearl River Delta and the west (滘 道滘/北滘, 埗 高埗, 塱 塱头,
# 冚, 氹, 湴, 甴, 畬) and given names common on rosters (喆 昇 堃 珺 玥 …).
SUPPLEMENT = "滘塱氹冚埗湴甴畬涌沥莞圳昇喆堃珺玥犇垚镕邨赟璟瑄祎翀昉珅瑀琇玹珏琪瑜琬婧婕妤婵骞彧皓晔晞曦煜熠烨炜焜锴锟鑫淼焱森磊"

RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x017F),  # ASCII, Latin-1, Latin Extended-A
    (0x2000, 0x206F), (0x2100, 0x214F),  # punctuation, letterlike (℃ №)
    (0x2160, 0x216F), (0x2190, 0x2193),  # Roman numerals, arrows
    (0x2460, 0x24FF), (0x2500, 0x257F),  # ①②③, box drawing
    (0x25A0, 0x25FF), (0x2600, 0x2606),  # shapes ● ■ ▲, ★
    (0x2713, 0x2714), (0x3000, 0x303F),  # ✓, CJK punctuation
    (0x3200, 0x32FF),  # enclosed CJK (㈠ ㊣)
    (0xFF01, 0xFF5E), (0xFFE0, 0xFFE6),  # full-width forms
)


def wanted() -> set[int]:
    cps = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)}
    for cp in range(0x4E00, 0xA000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        cps.add(cp)
    cps.update(ord(c) for c in SUPPLEMENT)
    return cps


def rename(font, style: str) -> None:
    name = font["name"]
    ps = f"YGHPosterSansSC-{style}"
    for rec in list(name.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
            name.removeNames(nameID=rec.nameID)
    for lang, family in ((0x409, FAMILY), (0x804, FAMILY_ZH)):
        name.setName(family, 1, 3, 1, lang)
        name.setName(style, 2, 3, 1, lang)
        name.setName(f"{family} {style}" if style != "Regular" else family, 4, 3, 1, lang)
    name.setName(f"{ps};subset of Noto Sans CJK SC 2.004", 3, 3, 1, 0x409)
    name.setName(ps, 6, 3, 1, 0x409)
    name.setName("Subset of Noto Sans CJK SC (SIL OFL 1.1) for the 粤工惠 Field Station posters.", 10, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps]
        top = cff.topDictIndex[0]
        top.FullName = f"{FAMILY} {style}"
        top.FamilyName = FAMILY


def main() -> int:
    cps = wanted()
    for ttc, face, style, out in FACES:
        coll = TTCollection(str(SOURCE / ttc))
        font = next(f for f in coll.fonts if f["name"].getDebugName(4) == face)
        opts = subset.Options()
        opts.layout_features = ["*"]
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.drop_tables += ["DSIG"]
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=cps)
        sub.subset(font)
        rename(font, style)
        font.save(str(HERE / out))
        print(f"{out}: {len(font.getBestCmap())} characters, {(HERE / out).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
