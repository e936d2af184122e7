"""Very large sheets read in row chunks, so memory stays bounded.

The Rust reader holds every cell of a sheet at once: about 3 GB for a million rows of
27 columns. A sheet whose XML is larger than ``chunk_bytes`` is therefore cut at row
boundaries into small workbooks of its own (the other parts of the file unchanged),
each read on its own. Every chunk after the first starts with a copy of the header
row, renumbered to sit just above the chunk's first row, so that the reader's columns
line up and row numbers stay the file's own.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Callable, Iterator

_ROW_END = b"</row>"
_SHEET_DATA = re.compile(rb"<sheetData\s*>")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_CELL_REF = re.compile(rb'(<c\b[^>]*?\br=")([A-Z]+)\d+(")')


@dataclass(frozen=True)
class Chunk:
    """One small workbook: ``data`` its bytes, ``first_row`` the Excel row of its first
    data row (``None`` for the first chunk, which is the sheet's own beginning)."""

    data: bytes
    first_row: int | None


def sheet_size(data: bytes, path: str) -> int:
    """Declared uncompressed size of a zip entry (0 when absent)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            return zf.getinfo(path).file_size
        except KeyError:
            return 0


def chunks(data: bytes, path: str, header_at: Callable[[], tuple[int, str]], chunk_bytes: int) -> Iterator[Chunk]:
    """The sheet at ``path`` as small workbooks of about ``chunk_bytes`` of XML each.

    ``header_at()``, asked once the first chunk has been read, gives the Excel row of
    the header, copied into every later chunk, and the letter of the sheet's first
    column, pinned in each copy so that the reader starts every chunk at that column. ``ValueError`` when the sheet cannot
    be cut safely (no row numbers, no sheetData): the caller reads it whole.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        others = {i.filename: zf.read(i) for i in zf.infolist() if i.filename != path}
        with zf.open(path) as stream:
            prefix, buffer = _prefix(stream)
            header = None
            first = True
            while True:
                block = stream.read(chunk_bytes)
                buffer += block
                cut = buffer.rfind(_ROW_END) + len(_ROW_END) if block else len(buffer)
                if block and cut < len(_ROW_END):
                    continue  # no complete row yet
                body, buffer = buffer[:cut], buffer[cut:]
                if not block:
                    body = body[: body.rfind(_ROW_END) + len(_ROW_END)] if _ROW_END in body else b""
                if first:
                    yield Chunk(_workbook(others, path, prefix, body), None)
                    header_row, pin_column = header_at()
                    header = _row_xml(body, header_row)
                    first = False
                elif body.strip():
                    yield _later_chunk(others, path, prefix, header, body, pin_column)
                if not block:
                    return


def _prefix(stream) -> tuple[bytes, bytes]:
    """Everything up to and including ``<sheetData>`` (without ``<dimension>``), and
    what was read after it."""
    head = b""
    while not (match := _SHEET_DATA.search(head)):
        block = stream.read(1 << 20)
        if not block:
            raise ValueError("no sheetData")
        head += block
    return _DIMENSION.sub(b"", head[: match.end()]), head[match.end():]


def _row_xml(body: bytes, row: int) -> bytes:
    match = re.search(rb'<row\b[^>]*?\br="%d".*?</row>' % row, body, re.S)
    if not match:
        raise ValueError("header row not found")
    return match.group(0)


def _later_chunk(others: dict, path: str, prefix: bytes, header: bytes, body: bytes, pin_column: str) -> Chunk:
    found = _ROW_NUMBER.search(body)
    if not found:
        raise ValueError("rows without numbers")
    first_row = int(found.group(1))
    above = str(first_row - 1).encode()
    copy = _ROW_NUMBER.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + above + b'"', header, count=1)
    copy = _CELL_REF.sub(lambda m: m.group(1) + m.group(2) + above + m.group(3), copy)
    pin = b'<c r="%s%s" t="inlineStr"><is><t>_</t></is></c>' % (pin_column.encode(), above)
    copy = copy.replace(b">", b">" + pin, 1) if not re.search(rb'<c\b[^>]*?\br="%s%s"' % (pin_column.encode(), above), copy) else copy
    return Chunk(_workbook(others, path, prefix, copy + body), first_row)


def _workbook(others: dict, path: str, prefix: bytes, rows: bytes) -> bytes:
    """A stored (uncompressed) zip: the file's other parts and a sheet of ``rows``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for name, content in others.items():
            out.writestr(name, content)
        out.writestr(path, prefix + rows + b"</sheetData></worksheet>")
    return buf.getvalue()
