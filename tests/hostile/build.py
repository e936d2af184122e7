"""Workbooks written part by part, so that every byte of a hostile case is chosen.

``book()`` writes a minimal, valid .xlsx whose sheets are given as XML rows; the
hostile corpus (``cases.py``) changes one thing at a time in it.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
KINDS = {  # sheet kind → (folder, relationship type, content type)
    "worksheet": ("worksheets", f"{REL}/worksheet",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"),
    "chartsheet": ("chartsheets", f"{REL}/chartsheet",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"),
    "dialogsheet": ("dialogsheets", f"{REL}/dialogsheet",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml"),
}
HEADER = ["period", "segment", "customer", "quality", "service"]
ROWS = [["2026Q1", "residential", "A", "很满意", "较满意"], ["2026Q1", "residential", "B", "一般", "很满意"],
        ["2026Q1", "commercial", "C", "较满意", "不满意"]]


def cell(ref: str, value: object) -> str:
    """One cell: numbers as numbers, text inline."""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def letters(index: int) -> str:
    out, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def rows_xml(rows: list[list], first_row: int = 1) -> str:
    out = []
    for r, row in enumerate(rows, start=first_row):
        cells = "".join(cell(f"{letters(c)}{r}", v) for c, v in enumerate(row) if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def sheet_xml(body: str, dimension: str | None = None, before: str = "", after: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} {RNS}>{before}{dim}'
            f"<sheetData>{body}</sheetData>{after}</worksheet>")


def table_xml(rows: list[list] | None = None, extra: str = "", **kw) -> str:
    """The usual survey table (header + three questionnaires), then ``extra`` rows."""
    return sheet_xml(rows_xml([HEADER, *ROWS] if rows is None else rows) + extra, **kw)


@dataclass
class Sheet:
    name: str
    xml: str | bytes
    kind: str = "worksheet"
    state: str = ""


@dataclass
class Book:
    sheets: list[Sheet]
    shared_strings: str | bytes | None = None
    workbook_extra: str = ""
    parts: dict[str, bytes] = field(default_factory=dict)  # added or replacing parts
    method: int = zipfile.ZIP_DEFLATED
    methods: dict[str, int] = field(default_factory=dict)  # per part

    def files(self) -> dict[str, bytes]:
        types, rels, entries, files = [], [], [], {}
        for i, s in enumerate(self.sheets, start=1):
            folder, rel_type, content = KINDS[s.kind]
            path = f"xl/{folder}/sheet{i}.xml"
            types.append(f'<Override PartName="/{path}" ContentType="{content}"/>')
            rels.append(f'<Relationship Id="rId{i}" Type="{rel_type}" Target="{folder}/sheet{i}.xml"/>')
            state = f' state="{s.state}"' if s.state else ""
            entries.append(f'<sheet name="{escape(s.name)}" sheetId="{i}"{state} r:id="rId{i}"/>')
            files[path] = s.xml.encode() if isinstance(s.xml, str) else s.xml
        if self.shared_strings is not None:
            n = len(self.sheets) + 1
            types.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
            rels.append(f'<Relationship Id="rId{n}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
            ss = self.shared_strings
            files["xl/sharedStrings.xml"] = ss.encode() if isinstance(ss, str) else ss
        head = {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + "".join(types) + "</Types>"),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
            "xl/workbook.xml": (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS} {RNS}>'
                f'{self.workbook_extra}<sheets>{"".join(entries)}</sheets></workbook>'),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(rels) + "</Relationships>"),
        }
        out = {k: v.encode() for k, v in head.items()}
        out.update(files)
        out.update(self.parts)
        return out

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name, content in self.files().items():
                zf.writestr(name, content, compress_type=self.methods.get(name, self.method))
        return buf.getvalue()


def book(*sheets: Sheet, **kw) -> bytes:
    return Book(list(sheets) or [Sheet("responses", table_xml())], **kw).bytes()
