"""The .xlsx as a zip: what it is, what it holds, and whether it may be opened at all.

Everything here looks at the zip's own structure — its directory, compression methods,
part names, the sizes its parts really inflate to — before any cell is read. The
worksheets that will be read are not inflated here: :mod:`csi_core.reading.guard`
scans them once, while the reader works.
"""
from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET

from csi_core.reading.problems import Problem, WorkbookRefused
from csi_core.settings import default

MB = 2**20
# Excel writes stored and deflated parts only; others (LZMA, bzip2, Deflate64…) are refused by name
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_METHOD_NAMES = {1: "Shrink", 6: "Implode", 9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard",
                 95: "XZ", 98: "PPMd", 99: "AES"}
_KIND = re.compile(r"/(worksheet|chartsheet|dialogsheet|macrosheet|xlIntlMacrosheet)$")


@dataclass(frozen=True)
class Limits:
    """How much a workbook may hold before it is refused unread (README "Hostile files")."""

    max_file_bytes: int = default("max_upload_mb") * MB  # the app's upload limit too
    max_unpacked_bytes: int = 4 * 2**30
    max_ratio: float = 400.0  # one part's unpacked / packed size (parts over 10 MB)
    max_total_ratio: float = 100.0  # the parts read, unpacked, / the file's size (over 64 MB)
    max_entries: int = 10_000
    max_columns: int = 500
    min_cells: int = 2_000_000  # cells a sheet may always span (rows × columns) …
    cells_per_byte: float = 2.0  # … or this many per byte of the file, when more
    reader_memory_bytes: int = 192 * MB  # the reader's memory for a small sheet …
    reader_memory_per_xml_byte: float = 6.0  # … or this much per byte of sheet XML
    reader_seconds: float = 600.0
    isolated: bool = True  # the reader in a worker process (README "Hostile files")
    chunk_bytes: int = 128 * MB  # sheets over twice this are read in chunks

    def cell_budget(self, file_bytes: int) -> int:
        return max(self.min_cells, int(self.cells_per_byte * file_bytes))

    def unpacked_budget(self, file_bytes: int) -> int:
        return min(self.max_unpacked_bytes, max(64 * MB, int(self.max_total_ratio * file_bytes)))


@dataclass(frozen=True)
class SheetEntry:
    """A sheet listed in the workbook: its name, its part in the zip, what kind of sheet
    it is (worksheet, chartsheet, dialogsheet, macrosheet) and whether it is hidden."""

    name: str
    path: str | None
    kind: str
    hidden: bool


def refuse(code: str, sheet: str = "", **params) -> WorkbookRefused:
    """A refusal for one reason about the whole file (or one sheet), ``params`` filling its sentence."""
    return WorkbookRefused([Problem(code, sheet=sheet, params=tuple(params.items()))])


def megabytes(n: int) -> str:
    return f"{n / MB:,.1f} MB" if n >= MB else f"{n / 1024:,.0f} KB"


def check(data: bytes, limits: Limits = Limits()) -> zipfile.ZipFile:
    """The open zip, when it is an .xlsx that may be read; ``WorkbookRefused`` saying
    what it is otherwise. Parts other than worksheets are inflated here, counted as
    they come (declared sizes are not trusted) and stopped at the first limit."""
    _check_kind(data, limits)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise refuse("zip_damaged") from None
    names = [i.filename for i in infos]
    _check_parts(names, infos, limits)
    budget = Budget(limits, len(data))
    try:
        for info in infos:
            if not _is_worksheet_xml(info.filename):
                inflate(zf, info, budget, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise refuse("zip_damaged_part", part=info.filename, detail=damage(exc)) from None
    return zf


def damage(exc: BaseException) -> str:
    """What is broken, in words (the zip library's exception names mean nothing to a user)."""
    if "CRC" in str(exc):
        return "checksum mismatch"
    if isinstance(exc, EOFError) or "truncated" in str(exc).lower():
        return "cut short"
    return "corrupt compressed data" if isinstance(exc, zlib.error) else "unreadable data"


def _check_kind(data: bytes, limits: Limits) -> None:
    if not data:
        raise refuse("empty_file")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise refuse("ole_file")
    if data[:2] != b"PK":
        raise refuse(_not_zip_kind(data))
    if len(data) > limits.max_file_bytes:
        raise refuse("file_too_large", size=megabytes(len(data)), limit=megabytes(limits.max_file_bytes))


def _not_zip_kind(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "pdf_file"
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")) or b"<html" in head[:512]:
        return "html_file"
    try:
        text = data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and ("," in text or "\t" in text or ";" in text):
        return "csv_file"
    return "not_xlsx"


def _check_parts(names: list[str], infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise refuse("zip_entries", count=f"{len(infos):,}", limit=f"{limits.max_entries:,}")
    if "mimetype" in names and any(n == "content.xml" for n in names):
        raise refuse("ods_file")
    if "xl/workbook.bin" in names:
        raise refuse("xlsb_file")
    if "xl/workbook.xml" not in names:
        other = next((k for p, k in (("word/", "docx_file"), ("ppt/", "pptx_file")) if any(n.startswith(p) for n in names)),
                     "zip_not_workbook")
        raise refuse(other)
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise refuse("zip_duplicate", part=info.filename)
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise refuse("zip_encrypted", part=info.filename)
        if info.compress_type not in _METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"#{info.compress_type}")
            raise refuse("zip_method", part=info.filename, method=method)


def _is_worksheet_xml(name: str) -> bool:
    return re.fullmatch(r"xl/(?:worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.xml", name) is not None


class Budget:
    """Bytes the parts read may still unpack to, for the whole file."""

    def __init__(self, limits: Limits, file_bytes: int):
        self.left = limits.unpacked_budget(file_bytes)
        self.total = self.left
        self.file_bytes = file_bytes

    def take(self, n: int, part: str) -> None:
        self.left -= n
        if self.left < 0:
            raise refuse("zip_bomb", part=part, size=megabytes(self.file_bytes), limit=megabytes(self.total))


def inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, limits: Limits, chunk: int = 4 * MB):
    """Yield nothing; inflate a part in chunks, counting, and refuse at the first limit:
    the whole file's budget, this part's ratio (parts over 10 MB), a DTD, bad UTF-8."""
    for _ in stream(zf, info, budget, limits, chunk):
        pass


def stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, limits: Limits, chunk: int = 8 * MB,
           utf8: bool = True):
    """The part's bytes in chunks, checked as in :func:`inflate` (UTF-8 only when
    ``utf8``: a worksheet's is checked when the reader fails on it, see :func:`bad_utf8`)."""
    size = 0
    xml = info.filename.endswith((".xml", ".rels"))
    decoder = codecs.getincrementaldecoder("utf-8")() if xml and utf8 else None
    with zf.open(info) as source:
        while block := source.read(chunk):
            if size == 0 and xml:
                _check_prolog(block, info.filename)
            size += len(block)
            budget.take(len(block), info.filename)
            packed = max(info.compress_size, 1)
            if size > 10 * MB and size > limits.max_ratio * packed:
                raise refuse("zip_ratio", part=info.filename, ratio=f"{size / packed:,.0f}",
                             limit=f"{limits.max_ratio:,.0f}")
            if decoder is not None:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as bad:
                    raise refuse("bad_utf8", part=info.filename, offset=f"{size - len(block) + bad.start:,}") from None
            yield block
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise refuse("bad_utf8", part=info.filename, offset=f"{size:,}") from None


def diagnose(zf: zipfile.ZipFile, path: str) -> WorkbookRefused | None:
    """Why the reader may have failed on a worksheet, in a sentence: bad UTF-8 (checked
    only then, it costs a pass over the XML)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    size = 0
    try:
        with zf.open(path) as source:
            while block := source.read(8 * MB):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as bad:
                    return refuse("bad_utf8", part=path, offset=f"{size + bad.start:,}")
                size += len(block)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    return None


def _check_prolog(block: bytes, part: str) -> None:
    head = block[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or re.search(rb'encoding="(?i:utf-?16|ucs)', head[:200]):
        raise refuse("xml_utf16", part=part)
    root = re.search(rb"<[A-Za-z_]", head)
    prolog = head[: root.start()] if root else head
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
        raise refuse("xml_dtd", part=part)


def _local(name: str) -> str:
    """A tag or attribute name without its namespace (transitional and strict OOXML differ)."""
    return name.rpartition("}")[2]


def _elements(zf: zipfile.ZipFile, path: str, tag: str) -> list[dict[str, str]]:
    """The attributes (by local name; ``r:id`` as ``id``) of every ``<tag>`` of a small XML
    part, parsed by defusedxml: no entity expansion (DTDs are refused before anyway)."""
    root = SafeET.fromstring(zf.read(path))
    return [{_local(k): v for k, v in sorted(e.attrib.items(), key=lambda kv: "}" in kv[0])}
            for e in root.iter() if _local(e.tag) == tag]


def sheet_entries(zf: zipfile.ZipFile) -> list[SheetEntry]:
    """Every sheet the workbook lists, in order, with its part and kind."""
    try:
        rels = _elements(zf, "xl/_rels/workbook.xml.rels", "Relationship")
    except KeyError:
        rels = []
    targets = {}
    for rel in rels:
        if rel.get("Id") and rel.get("Target"):
            path = rel["Target"]
            path = path.lstrip("/") if path.startswith("/") else "xl/" + path
            found = _KIND.search(rel.get("Type", ""))
            targets[rel["Id"]] = (_normal(path), found.group(1).lower() if found else "other")
    out = []
    for sheet in _elements(zf, "xl/workbook.xml", "sheet"):
        if "name" not in sheet:
            continue
        path, kind = targets.get(sheet.get("id", ""), (None, "other"))
        out.append(SheetEntry(sheet["name"], path, kind, sheet.get("state") in ("hidden", "veryHidden")))
    return out


def _normal(path: str) -> str:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)
