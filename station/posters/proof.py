"""Proof before print: rasterise the finished PDF and read every QR code back.

A poster is called finished only when the file that goes to the printer,
rendered to pixels by PDFium (the engine of Chrome's PDF viewer), gives back
exactly the URLs it was meant to carry.  The decoder is zxing-cpp, the
library the station's own scanner uses (station/checkin/decoder.py), run once with
plain settings and none of the scanner's rescue tries: a poster passes only
if a plain read of it works.

Pages are rendered at about ``PX_PER_MODULE`` pixels per QR module, the
density a phone gets at the poster's intended distance, not at print
resolution: a code that only reads at 600 dpi would not read on the wall.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from station.errors import StationError

PX_PER_MODULE = 4.0
MIN_DPI, MAX_DPI = 12.0, 300.0

# PDFium is not thread-safe: one rasterisation at a time in this process.
_pdfium_lock = threading.Lock()


@dataclass(frozen=True)
class PageProof:
    page: int  # 1-based
    expected: tuple[str, ...]
    decoded: tuple[str, ...]
    dpi: float

    @property
    def ok(self) -> bool:
        return sorted(self.decoded) == sorted(self.expected)


def proof_dpi(module_mm: float) -> float:
    return max(MIN_DPI, min(MAX_DPI, PX_PER_MODULE * 25.4 / module_mm))


def decode_gray(buffer, width: int, height: int, stride: int) -> tuple[str, ...]:
    """QR texts in an 8-bit grey image given as a buffer."""
    import zxingcpp

    # Rows of ``stride`` bytes; PDFium pads them with white, which the decoder ignores.
    view = memoryview(buffer).cast("B", (height, stride))
    found = zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode), try_invert=False)
    return tuple(b.text for b in found if b.valid and b.text)


def proof_pdf(
    path: Path,
    expected: Sequence[Sequence[str]],
    module_mm: Sequence[float],
    *,
    on_page: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    first_page: int = 0,
) -> list[PageProof]:
    """Check page ``first_page + i`` of ``path`` carries exactly ``expected[i]``.

    Raises StationError("poster_proof_failed") at the first page that does
    not; returns the proofs otherwise (fewer when cancelled).
    """
    import pypdfium2 as pdfium

    proofs: list[PageProof] = []
    with _pdfium_lock:
        doc = pdfium.PdfDocument(str(path))
        try:
            if len(doc) < first_page + len(expected):
                raise StationError("poster_proof_failed", page=len(doc) + 1, expected=expected[0][0] if expected else "",
                                   found="—")
            for i, want in enumerate(expected):
                if cancelled is not None and cancelled():
                    break
                dpi = proof_dpi(module_mm[i])
                page = doc[first_page + i]
                try:
                    bitmap = page.render(scale=dpi / 72.0, grayscale=True, draw_annots=False)
                    try:
                        decoded = decode_gray(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride)
                    finally:
                        bitmap.close()
                finally:
                    page.close()
                proof = PageProof(first_page + i + 1, tuple(want), decoded, dpi)
                if not proof.ok:
                    raise StationError("poster_proof_failed", page=proof.page, expected=want[0] if want else "",
                                       found="、".join(decoded) or "—")
                proofs.append(proof)
                if on_page is not None:
                    on_page(i + 1)
        finally:
            doc.close()
    return proofs
