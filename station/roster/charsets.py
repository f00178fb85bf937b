"""Text encodings of CSV files: which one a file is in, and the row where it stops decoding.

Union offices' CSV files are UTF-8 (with or without BOM), GBK/GB18030
(Excel's "CSV" on a Chinese Windows) or UTF-16 (Excel's "Unicode text").
A file mixing them (rows pasted from another file) decodes up to a point:
the message names that row as Excel numbers it, the CSV record.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from station.errors import StationError

_CHUNK = 1 << 20
# A file whose first bad byte comes after this much text beyond ASCII is in
# that encoding with a bad stretch (a row pasted from another file), not in
# another encoding: GBK text passes as UTF-8 for a character or two at most.
_EVIDENCE = 12  # bytes beyond one per character (6 Chinese characters in UTF-8, 12 in GBK)
_LONGEST_LINE = 16 << 20  # decoding looks no further for the end of a line


def detect_encoding(path: Path) -> str:
    """'utf-8-sig', 'utf-8', 'utf-16' or 'gb18030'.

    UTF-8 is tried strictly over the whole file first (cheap, and a GBK file
    practically never passes); GB18030 is a superset of GBK and GB2312, so a
    file that is not UTF-8 is read as GB18030.  A file that is UTF-8 up to
    a bad stretch (it has a BOM, or plenty of Chinese before the bad bytes)
    is refused naming the row (table_encoding_at), rather than read as
    GB18030 into garbled names; so is a GBK file with a bad stretch in its
    first megabyte.  Raises StationError table_encoding when the file is
    neither (not even its beginning decodes as GB18030).
    """
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bom = head.startswith(codecs.BOM_UTF8)
    bad, multibyte = _first_bad_byte(path, "utf-8")
    if bad is None:
        return "utf-8-sig" if bom else "utf-8"
    if bom or multibyte >= _EVIDENCE:
        raise StationError("table_encoding_at", path=path.name, row=_record_at(path, bad))
    bad, multibyte = _first_bad_byte(path, "gb18030", _CHUNK)
    if bad is None:
        return "gb18030"  # bad bytes further on are named, with their row, by the reader
    if multibyte >= _EVIDENCE:
        raise StationError("table_encoding_at", path=path.name, row=_record_at(path, bad))
    raise StationError("table_encoding", path=path.name)


def first_undecodable_line(path: Path, encoding: str | None) -> int | None:
    """The 1-based row (CSV record, as Excel numbers it) holding the first bytes `encoding` cannot decode.

    Text is decoded a megabyte at a time, so the reader (or a worker
    process) only knows roughly where it failed; this finds the row to name
    in the message.  None for UTF-16 or when everything decodes.
    """
    if not encoding or encoding.startswith("utf-16"):
        return None
    bad, _multibyte = _first_bad_byte(Path(path), encoding)
    return None if bad is None else _record_at(Path(path), bad)


def _first_bad_byte(path: Path, encoding: str, limit: int | None = None) -> tuple[int | None, int]:
    """(offset of the first byte `encoding` cannot decode, or None; bytes beyond one per character before it).

    Decodes blocks that end at a newline: in UTF-8 and GB18030 a newline
    byte is never inside a character, so each block decodes on its own and
    an error's position in it is exact.  `limit`: look at the first `limit`
    bytes only (their last line, cut short, is left out).
    """
    offset = multibyte = 0  # bytes decoded, and how many of them beyond one per character
    carry = b""
    left = limit  # bytes still to read (None: all)
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_CHUNK if left is None else min(_CHUNK, left))
            if left is not None:
                left -= len(chunk)
            data = carry + chunk if carry else chunk
            at_end, stop = not chunk, left == 0
            cut = len(data) if at_end else data.rfind(b"\n") + 1
            if cut == 0 and not (at_end or stop):
                if len(data) > _LONGEST_LINE:
                    return None, multibyte  # no line ends: not a table this can judge
                carry = data
                continue
            block, carry = data[:cut], data[cut:]
            try:
                text = block.decode(encoding)
            except UnicodeDecodeError as exc:
                before = block[: exc.start]
                return offset + exc.start, multibyte + len(before) - len(before.decode(encoding, "ignore"))
            multibyte += len(block) - len(text)
            offset += len(block)
            if at_end or stop:
                return None, multibyte


def _record_at(path: Path, offset: int) -> int:
    """The 1-based CSV record holding the byte at `offset`.

    Records end at newlines outside quotes (a cell may hold a line break,
    and Excel shows its record as one row); a quote byte is never part of
    a UTF-8 or GB18030 character.
    """
    record, quoted, left = 1, False, offset
    with path.open("rb") as fh:
        while left > 0:
            chunk = fh.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            if not quoted and b'"' not in chunk:
                record += chunk.count(b"\n")
                continue
            parts = chunk.split(b"\n")
            for part in parts[:-1]:
                if part.count(b'"') % 2:
                    quoted = not quoted
                if not quoted:
                    record += 1
            if parts[-1].count(b'"') % 2:
                quoted = not quoted
    return record
