"""The hostile corpus: files made to break a reader, each with what must happen to it.

Every case is made at test time from :mod:`tests.hostile.build` (the bombs lazily, once,
and capped). ``expect`` is ``"read"`` (read correctly: ``rows`` questionnaires) or the
refusal codes, and ``where`` the (row, column) the first refusal must name.
"""
from __future__ import annotations

import functools
import io
import random
import zipfile
from dataclasses import dataclass
from typing import Callable

from csi_core.reading.container import Limits
from tests.hostile.build import HEADER, ROWS, Book, Sheet, book, cell, rows_xml, sheet_xml, table_xml

SPACE = '<c r="{ref}" t="inlineStr"><is><t xml:space="preserve"> </t></is></c>'
VALUE = '<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    expect: str | tuple[str, ...] = "read"
    where: tuple[int | None, str] | None = None
    rows: int = 3
    limits: Limits = Limits()
    sheet: str = "responses"


def far(ref: str, content: str = SPACE, row: int | None = None) -> Callable[[], bytes]:
    row = row or int("".join(ch for ch in ref if ch.isdigit()))
    return lambda: book(Sheet("responses", table_xml(extra=f'<row r="{row}">{content.format(ref=ref)}</row>')))


def zip_of(files: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def with_part(part: str, content: bytes | str, **kw) -> Callable[[], bytes]:
    def make() -> bytes:
        b = Book([Sheet("responses", table_xml())], **kw)
        b.parts[part] = content.encode() if isinstance(content, str) else content
        return b.bytes()
    return make


def method(part: str, compress_type: int) -> Callable[[], bytes]:
    return lambda: Book([Sheet("responses", table_xml())], methods={part: compress_type}).bytes()


def edited(part: str, old: bytes, new: bytes, *sheets: Sheet) -> Callable[[], bytes]:
    """The usual workbook with ``old`` replaced by ``new`` inside one part (before zipping)."""
    def make() -> bytes:
        b = Book(list(sheets) or [Sheet("responses", table_xml())])
        files = b.files()
        assert old in files[part], (part, old)
        b.parts[part] = files[part].replace(old, new)
        return b.bytes()
    return make


def shared(strings: list[str], sheet: str) -> Callable[[], bytes]:
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           '2006/main">' + "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings) + "</sst>")
    return lambda: book(Sheet("responses", sheet), shared_strings=sst)


def shared_table(far_cell: str = "") -> str:
    """The usual table through shared strings (index = position in the flat list)."""
    flat = [v for row in [HEADER, *ROWS] for v in row]
    body = []
    for r, row in enumerate([HEADER, *ROWS], start=1):
        cells = "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{flat.index(v)}</v></c>' for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    return sheet_xml("".join(body) + far_cell)


FLAT = [v for row in [HEADER, *ROWS] for v in row]
DTD = '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)) + "]>")
SST_BODY = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "".join(f"<si><t>{s}</t></si>" for s in FLAT) + "</sst>")


def dtd_sst(prolog: str) -> Callable[[], bytes]:
    return lambda: book(Sheet("responses", shared_table()), shared_strings=prolog + SST_BODY.replace(
        "<si><t>quality</t>", "<si><t>&xxe;</t>" if "xxe" in prolog else "<si><t>&lol9;</t>"))


@functools.lru_cache(maxsize=None)
def ratio_bomb() -> bytes:
    """80 MB of sheet XML that packs ~300:1 — under the 400 limit of one part, over the
    whole file's 100 (the 1.5 GB bomb of issue 10, capped): refused at the 64 MB mark."""
    rng = random.Random(1)
    rows = [f'<row r="5"><c r="A5"><v>{rng.randrange(10) if k % 100 == 0 else 1}</v></c><c r="B5"><v>1</v></c>'
            f'<c r="C5"><v>1</v></c></row>' for k in range(10_000)]
    block = "".join(rows)
    return book(Sheet("responses", sheet_xml(rows_xml([HEADER, *ROWS]) + block * (80 * 2**20 // len(block)))))


@functools.lru_cache(maxsize=None)
def same_cell_bomb() -> bytes:
    """One cell written 30 million times: tiny zip, ratio far over 400."""
    return book(Sheet("responses", sheet_xml(rows_xml([HEADER, *ROWS]) + '<row r="5">'
                                             + '<c r="A5"><v>1</v></c>' * 3_000_000 + "</row>")))


def many_parts(n: int) -> bytes:
    b = Book([Sheet("responses", table_xml())])
    for i in range(n):
        b.parts[f"xl/media/p{i}.bin"] = b""
    return b.bytes()


def duplicate_part() -> bytes:
    import warnings

    data = Book([Sheet("responses", table_xml())]).bytes()
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info))
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml(rows_xml([HEADER, ["2099Q9", "x", "y", "z", "w"]])))
    return buf.getvalue()


def encrypted_flag() -> bytes:
    """The workbook part marked "encrypted" (bit 0 of its flags, in the local and the central header)."""
    data = bytearray(Book([Sheet("responses", table_xml())]).bytes())
    name = b"xl/workbook.xml"
    for signature, flags, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at: at + name_at + len(name)] == name:
                data[at + flags] |= 0x1
            at = data.find(signature, at + 4)
    return bytes(data)


def bad_crc() -> bytes:
    data = bytearray(Book([Sheet("responses", table_xml())], method=zipfile.ZIP_STORED).bytes())
    at = data.find(b"<sheets>")
    data[at + 1] = ord("S")
    return bytes(data)


def no_r_rows() -> str:
    out = []
    for row in [HEADER, *ROWS]:
        cells = "".join(cell("A1", v).replace(' r="A1"', "") for v in row)
        out.append(f"<row>{cells}</row>")
    return sheet_xml("".join(out))


def prefixed() -> str:
    xml = table_xml()
    return (xml.replace('xmlns="http://schemas', 'xmlns:x="http://schemas').replace("<", "<x:").replace("<x:/", "</x:")
            .replace("<x:?xml", "<?xml").replace("<x:/x:", "</x:"))


def title_rows(bad: bool = False) -> str:
    rows = [[f"说明第 {i} 行"] for i in range(1, 12)] + [HEADER, *ROWS]
    if bad:
        rows[-1] = ["2026Q1", "commercial", "C", "很好", "不满意"]
    return sheet_xml(rows_xml(rows))


CHART = ('<?xml version="1.0"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>')
DIALOG = ('<?xml version="1.0"?><dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<sheetData/></dialogsheet>')
WIDE = [[f"q{i}" for i in range(600)], ["x"] * 600]
R_LESS_WIDE = sheet_xml(rows_xml([HEADER, *ROWS]) + '<row r="1000000">'
                        + "<c><v>1</v></c>" * 400 + "</row>")

CASES: list[Case] = [
    # what the file is
    Case("empty", lambda: b"", ("empty_file",)),
    Case("old xls / encrypted", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ("ole_file",)),
    Case("csv named .xlsx", lambda: "期间,质量\n2026Q1,很满意\n".encode(), ("csv_file",)),
    Case("pdf", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ("pdf_file",)),
    Case("html export", lambda: b"<html><body><table><tr><td>period</td></tr></table></body></html>", ("html_file",)),
    Case("random bytes", lambda: bytes(random.Random(3).randrange(256) for _ in range(4096)), ("not_xlsx",)),
    Case("truncated zip", lambda: book()[:1500], ("zip_damaged",)),
    Case("zip of a text file", lambda: zip_of({"hello.txt": "hi"}), ("zip_not_workbook",)),
    Case("ods", lambda: zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
         ("ods_file",)),
    Case("xlsb", lambda: zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\0"}), ("xlsb_file",)),
    Case("docx", lambda: zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), ("docx_file",)),
    Case("pptx", lambda: zip_of({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}), ("pptx_file",)),
    # the zip's structure
    Case("10 001 parts", lambda: many_parts(10_001), ("zip_entries",)),
    Case("a part twice", duplicate_part, ("zip_duplicate",)),
    Case("encrypted part", encrypted_flag, ("zip_encrypted",)),
    Case("LZMA part", method("xl/worksheets/sheet1.xml", zipfile.ZIP_LZMA), ("zip_method",)),
    Case("bzip2 part", method("xl/workbook.xml", zipfile.ZIP_BZIP2), ("zip_method",)),
    Case("over the upload limit", lambda: book(), ("file_too_large",), limits=Limits(max_file_bytes=1000)),
    Case("checksum error", bad_crc, ("zip_damaged_part",)),
    Case("bomb, one cell 3 million times (ratio > 400)", same_cell_bomb, ("zip_ratio",)),
    Case("bomb, 80 MB at ratio ~300 (under 400)", ratio_bomb, ("zip_bomb",)),
    Case("bomb in a part nobody reads", with_part("docProps/custom.xml", "<a>" + " " * (120 * 2**20) + "</a>"),
         ("zip_ratio",)),
    Case("bomb, whole-file budget", lambda: book(), ("zip_bomb",), limits=Limits(max_unpacked_bytes=500,
                                                                                   max_total_ratio=0.0001)),
    # XML tricks
    Case("XXE in sharedStrings", dtd_sst(DTD), ("xml_dtd",)),
    Case("billion laughs in sharedStrings", dtd_sst(LAUGHS), ("xml_dtd",)),
    Case("XXE in workbook.xml", edited("xl/workbook.xml", b'standalone="yes"?>\n<workbook',
                                       b'?><!DOCTYPE w [<!ENTITY e SYSTEM "http://x/">]><workbook'), ("xml_dtd",)),
    Case("DOCTYPE in the sheet", lambda: book(Sheet("responses", table_xml().replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "b">]><worksheet', 1))), ("xml_dtd",)),
    Case("invalid UTF-8 in sharedStrings", lambda: book(Sheet("responses", shared_table()),
                                                        shared_strings=SST_BODY.encode().replace(b"quality", b"qu\xffality")),
         ("bad_utf8",)),
    Case("invalid UTF-8 in the sheet", lambda: book(Sheet("responses", table_xml().encode().replace(
        "很满意".encode(), b"\xe5\xbe")), ), ("bad_utf8",)),
    Case("invalid UTF-8 in workbook.xml", edited("xl/workbook.xml", b'name="responses"', b'name="resp\xc3\x28nses"'),
         ("bad_utf8",)),
    Case("UTF-16 sheet", lambda: book(Sheet("responses", table_xml().replace('encoding="UTF-8"', 'encoding="UTF-16"')
                                            .encode("utf-16"))), ("xml_utf16",)),
    Case("malformed sheet XML (cut short)", lambda: book(Sheet("responses", table_xml()[:-120])), ("reader_failed",)),
    Case("unknown XML entity in a cell", lambda: book(Sheet("responses", table_xml().replace("很满意", "&bogus;", 1))),
         ("reader_failed",)),
    Case("shared string index out of range", lambda: book(Sheet("responses", shared_table().replace(
        "<v>0</v>", "<v>999</v>", 1)), shared_strings=SST_BODY), ("reader_failed",)),
    # far cells and the grid
    Case("space in XFD1048576", far("XFD1048576")),
    Case("space in XFD5000", far("XFD5000")),
    Case("space in A1048576", far("A1048576")),
    Case("space in SG2 (just right of the 500-column limit)", far("SG2", row=6)),
    Case("style-only cell in XFD1048576", far("XFD1048576", '<c r="{ref}" s="0"/>')),
    Case("empty value in XFD1048576", far("XFD1048576", '<c r="{ref}"><v></v></c>')),
    Case("blank shared string in XFD1048576", shared(FLAT + ["  "], shared_table(
        '<row r="1048576"><c r="XFD1048576" t="s"><v>20</v></c></row>'))),
    Case("value in XFD1048576", far("XFD1048576", VALUE), ("too_many_columns",), where=(1048576, "XFD")),
    Case("value in A1048576", far("A1048576", VALUE), ("stray_value",), where=(1048576, "A")),
    Case("number in XFD5000", far("XFD5000", '<c r="{ref}"><v>0</v></c>'), ("too_many_columns",), where=(5000, "XFD")),
    Case("shared-string value in XFD1048576", shared(FLAT + ["x"], shared_table(
        '<row r="1048576"><c r="XFD1048576" t="s"><v>20</v></c></row>')), ("too_many_columns",),
         where=(1048576, "XFD")),
    Case("cell XFE1048577 beyond the grid", far("XFE1048577", row=1048577), ("beyond_grid",)),
    Case("row 1048577 beyond the grid", far("A1048577"), ("beyond_grid",)),
    Case("cell ZZZZ1 beyond the grid", far("ZZZZ1", row=6), ("beyond_grid",)),
    Case("dimension A1:XFD1048576 that lies", lambda: book(Sheet("responses", table_xml(dimension="A1:XFD1048576")))),
    Case("600 real columns", lambda: book(Sheet("responses", sheet_xml(rows_xml(WIDE)))), ("too_many_columns",)),
    Case("cells without r far right in a far row (reader's memory cap)", lambda: book(Sheet("responses", R_LESS_WIDE)),
         ("reader_memory",)),
    Case("more cells than the file's size allows", lambda: book(Sheet("responses", table_xml(
        [HEADER, *ROWS * 200]))), ("too_many_cells",), limits=Limits(min_cells=500, cells_per_byte=0)),
    Case("reader past its deadline", lambda: book(), ("reader_time",), limits=Limits(reader_seconds=0.0)),
    # sheets
    Case("sheet holding only a space", lambda: book(Sheet("responses", sheet_xml(rows_xml([[" "]])))),
         ("empty_sheet",)),
    Case("sheet with no rows", lambda: book(Sheet("responses", sheet_xml(""))), ("empty_sheet",)),
    Case("chart sheet first", lambda: book(Sheet("Chart1", CHART, kind="chartsheet"), Sheet("data", table_xml())),
         sheet="data"),
    Case("dialog sheet first", lambda: book(Sheet("Dialog1", DIALOG, kind="dialogsheet"), Sheet("data", table_xml())),
         sheet="data"),
    Case("hidden sheet first", lambda: book(Sheet("说明", table_xml([["说明"], ["x"]]), state="hidden"),
                                            Sheet("data", table_xml())), sheet="data"),
    Case("only a chart sheet", lambda: book(Sheet("Chart1", CHART, kind="chartsheet")), ("no_worksheet",)),
    Case("listed sheet whose part is missing", edited("xl/_rels/workbook.xml.rels", b"sheet1.xml", b"sheetX.xml"),
         ("sheet_missing",)),
    Case("header in row 12 under title lines", lambda: book(Sheet("responses", title_rows()))),
    Case("header in row 12, a bad answer in row 15", lambda: book(Sheet("responses", title_rows(bad=True))),
         ("unknown_answer",), where=(15, "D")),
    Case("cells and rows without r", lambda: book(Sheet("responses", no_r_rows()))),
    Case("x: namespace prefix everywhere", lambda: book(Sheet("responses", prefixed()))),
    Case("rows out of order", lambda: book(Sheet("responses", sheet_xml(
        rows_xml([HEADER]) + rows_xml(ROWS[2:], 4) + rows_xml(ROWS[:2], 2))))),
    Case("a formula without a saved result", lambda: book(Sheet("responses", table_xml().replace(
        '<c r="D3" t="inlineStr"><is><t xml:space="preserve">一般</t></is></c>', '<c r="D3"><f>1+1</f></c>'))),
         ("formula_no_value",), where=(3, "D")),
    Case("an error cell #N/A", lambda: book(Sheet("responses", table_xml().replace(
        '<c r="D3" t="inlineStr"><is><t xml:space="preserve">一般</t></is></c>', '<c r="D3" t="e"><v>#N/A</v></c>'))),
         ("unknown_answer",), where=(3, "D")),
    Case("a 40 000-character comment", lambda: book(Sheet("responses", sheet_xml(rows_xml(
        [[*HEADER, "comment"], *[[*r, "长" * 40_000] for r in ROWS]]))))),
    Case("a part named ../../evil", with_part("../../evil.txt", "x")),
    Case("sheet name with & and emoji", lambda: book(Sheet("R&D 📊", table_xml())), sheet="R&D 📊"),
    Case("absolute relationship target", edited("xl/_rels/workbook.xml.rels", b'Target="worksheets/sheet1.xml"',
                                                b'Target="/xl/worksheets/sheet1.xml"')),
]
