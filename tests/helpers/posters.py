"""Fixtures for the poster tests: a store with enterprises of known sizes and verification rates.

Real store, real files, real decoder: the QR codes are read back from the
rendered pages with zxing-cpp and the text with pdftotext.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from station.security import protect
from station.security.fieldcrypt import FieldCipher
from station.store.database import open_store
from station.store.models import Member
from station.store.orgs import enterprise_by_name, union_by_name

# (enterprise, union, imported members, of whom verified)
ENTERPRISES = (
    ("东莞市大朗毛织有限公司", "东莞市大朗毛织有限公司工会委员会", 40, 30),
    ("东莞市长安五金制品有限公司", "东莞市长安五金制品有限公司工会委员会", 25, 5),
    ("东莞市虎门服装有限公司", "东莞市虎门服装有限公司工会委员会", 12, 10),
    ("东莞市道滘食品有限公司", "东莞市道滘食品有限公司工会委员会", 6, 0),
    ("东莞市大朗纺织有限公司", "东莞市大朗毛织有限公司工会委员会", 3, 3),
)
BIGGEST = ENTERPRISES[0][0]


def fill(store) -> None:
    """Members per enterprise; posters count them only, so their IDs go under a throw-away key."""
    cipher = FieldCipher.generate()
    seq = 0
    with store.session() as s:
        for enterprise, union, members, verified in ENTERPRISES:
            u = union_by_name(s, union)
            e = enterprise_by_name(s, enterprise, u)
            for k in range(members):
                seq += 1
                idn = f"441900199001{seq:05d}X"[:18]
                s.add(Member(name=f"会员{seq}", initials="hy", on_roster=True, verified=k < verified,
                             enterprise_id=e.id, union_id=u.id, **protect.member_fields(cipher, idn, None)))
        s.commit()


@pytest.fixture
def poster_store(tmp_path):
    s = open_store(tmp_path / "data", station_name="海报测试站")
    fill(s)
    yield s
    s.close()


def need(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.skip(f"{tool} (poppler-utils) not installed")
    return found


def pdf_text(pdf: Path, page: int | None = None) -> str:
    args = [need("pdftotext"), "-enc", "UTF-8"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_png(pdf: Path, out: Path, dpi: int, page: int = 1) -> Path:
    subprocess.run([need("pdftoppm"), "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                    str(pdf), str(out)], check=True)
    return out.with_suffix(".png")


def decode_png(png: Path) -> list[str]:
    """QR texts in a PNG, read with zxing-cpp (the scanner's decoder) through Qt's image loader."""
    import zxingcpp
    from PySide6.QtGui import QImage

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    assert not image.isNull(), png
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def qr_ec_levels(png: Path) -> list[str]:
    import zxingcpp
    from PySide6.QtGui import QImage

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    return [b.ec_level for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
