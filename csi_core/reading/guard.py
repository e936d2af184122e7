"""One pass over a worksheet's XML, before its cells are materialised.

The reader builds the whole rectangle of a sheet (rows × columns) in memory, so a
single cell in ``XFD1048576`` means 17 billion cells. This pass finds, from the XML's
own cell references (the ``<dimension>`` a file declares is not trusted):

- cells beyond Excel's grid (``XFE1048577``): the file is refused, the cell named;
- cells right of the column limit or so far below the table that the rectangle would
  pass the cell budget: dropped when they hold only white space (a stray blank far
  away), refused and named when they hold a value;
- more cells than the budget allows for a file of this size (a compressed bomb);
- formula cells without a saved result (refused at their cells by the caller).

Cleaning writes the sheet again without the dropped cells, in a new (stored) zip.
"""
from __future__ import annotations

import io
import re
import zipfile
from array import array
from dataclasses import dataclass, field

from csi_core.reading import container
from csi_core.reading.container import Budget, Limits, refuse
from csi_core.reading.problems import Problem, WorkbookRefused, column_letter

EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
_PREFIX = re.compile(rb"<(\w+:)?sheetData\b")


class _Patterns:
    """The scan's regular expressions for one namespace prefix (``x:`` or none): each a
    plain literal first, so that the regex engine can skip through the XML quickly."""

    def __init__(self, prefix: bytes, max_columns: int):
        p = re.escape(prefix)
        self.row = re.compile(rb"<" + p + rb'row r="(\d+)"')
        self.far = re.compile(rb"<" + p + rb'c r="((?:' + letters_above(max_columns) + rb')(\d+))"')
        self.wide = re.compile(rb"<" + p + rb'c r="([A-Z]{2,3})\d')
        self.formula = re.compile(rb"<" + p + rb"f[ >]")
        self.cell = re.compile(rb"<" + p + rb'c r="[A-Z]+\d+"([^>]*?)(/>|>.*?</' + p + rb"c>)", re.S)
        self.first = re.compile(rb"<" + p + rb'c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>\s*<' + p + rb"(?:v|is)\b")
        self.any_cell = re.compile(rb"<" + p + rb'c r="(([A-Z]+)(\d+))"([^>]*?)(/>|>.*?</' + p + rb"c>)", re.S)


@dataclass
class Scan:
    """What one pass over a sheet found."""

    xml_bytes: int = 0
    cells: int = 0
    rows: array = field(default_factory=lambda: array("l"))
    origin: tuple[int, int] = (1, 0)  # Excel row and 0-based column of the first filled cell
    far: list[tuple[str, int, int, bool]] = field(default_factory=list)  # (ref, row, column, blank)
    formulas: list[tuple[int, str]] = field(default_factory=list)  # unsaved formula cells
    max_column: int = 0  # 0-based, of the cells within the column limit

    @property
    def needs_cleaning(self) -> bool:
        return bool(self.far)


def column_index(letters: str) -> int:
    """0-based column of Excel letters: ``A`` → 0, ``XFD`` → 16383.

    Computed here, not by xlsxwriter's ``xl_cell_to_rowcol``: that one turns references
    beyond the grid — exactly what this module must measure — into A1.

    >>> column_index("A"), column_index("XFD"), column_index("XFE"), column_index("ZZZZ")
    (0, 16383, 16384, 475253)
    """
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def letters_above(limit: int) -> bytes:
    """A regex matching Excel column letters of columns beyond ``limit`` (1-based count).

    >>> import re
    >>> p = re.compile(b"(?:" + letters_above(500) + b")$")
    >>> [bool(p.match(x)) for x in (b"SF", b"SG", b"AAA", b"Z", b"RZ", b"TA")]
    [False, True, True, False, False, True]
    """
    last = column_letter(limit - 1)
    n = len(last)
    options = [b"[A-Z]{%d,}" % (n + 1)]
    for i, ch in enumerate(last):
        if ch != "Z":
            options.append(last[:i].encode() + b"[%s-Z]" % chr(ord(ch) + 1).encode() + b"[A-Z]" * (n - i - 1))
    return b"|".join(options)


def scan(zf: zipfile.ZipFile, path: str, sheet: str, budget: Budget, limits: Limits, file_bytes: int,
         placeholders: bool = False) -> Scan:
    """Inflate and scan the sheet at ``path``; ``WorkbookRefused`` at the first limit passed.

    Only cheap searches run over every byte (row numbers, cells right of the column
    limit, formulas); whatever they cannot see is bounded by the reader's memory cap.
    """
    out = Scan()
    patterns: _Patterns | None = None
    tail, last = b"", b""
    try:
        info = zf.getinfo(path)
        for block in container.stream(zf, info, budget, limits, utf8=False):
            out.xml_bytes += len(block)
            buffer = tail + block
            end = buffer.rfind(b"</row>")
            if end < 0 and len(buffer) < 64 * container.MB:
                tail = buffer
                continue
            cut = end + 6 if end >= 0 else len(buffer)
            part, tail = buffer[:cut], buffer[cut:]
            if patterns is None:
                patterns = _first_part(part, out, limits)
            _scan_part(part, out, patterns, placeholders, sheet)
            last = part
        if tail:
            if patterns is None:
                patterns = _first_part(tail, out, limits)
            _scan_part(tail, out, patterns, placeholders, sheet)
            last = tail
    except KeyError:
        raise refuse("sheet_missing", sheet=sheet) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse("zip_damaged_part", part=path, detail=container.damage(exc)) from None
    if patterns is None:
        return out
    _widen(last, out, patterns, limits)
    if out.rows and max(out.rows) > EXCEL_ROWS:
        row = max(out.rows)
        with zf.open(path) as source:
            ref = re.search(rb'r="([A-Z]+%d)"' % row, source.read())
        raise WorkbookRefused([Problem("beyond_grid", sheet=sheet, value=ref.group(1).decode() if ref else str(row))])
    _far_rows(zf, path, sheet, out, patterns, limits, limits.cell_budget(file_bytes), file_bytes)
    return out


def _first_part(part: bytes, out: Scan, limits: Limits) -> _Patterns:
    prefix = _PREFIX.search(part)
    patterns = _Patterns(prefix.group(1) or b"" if prefix else b"", limits.max_columns)
    cells = patterns.first.findall(part[: 512 * 1024])
    if cells:
        out.origin = (min(int(r) for _, r in cells), min(column_index(c.decode()) for c, _ in cells))
    _widen(part, out, patterns, limits)
    return patterns


def _widen(part: bytes, out: Scan, patterns: _Patterns, limits: Limits) -> None:
    """The table's width, from the first and the last rows (cells far right are found
    everywhere by the ``far`` search; a table has one width)."""
    wide = {column_index(w.decode()) for w in set(patterns.wide.findall(part))}
    inside = [c for c in wide if c < limits.max_columns]
    out.max_column = max([out.max_column, 25, *inside])


def _scan_part(part: bytes, out: Scan, patterns: _Patterns, placeholders: bool, sheet: str) -> None:
    rows = patterns.row.findall(part)
    if rows:
        out.rows.extend(map(int, rows))
    for m in patterns.far.finditer(part):
        ref, row = m.group(1).decode(), int(m.group(2))
        col = column_index(ref[: len(ref) - len(m.group(2))])
        if col >= EXCEL_COLUMNS or row > EXCEL_ROWS or row < 1:
            raise WorkbookRefused([Problem("beyond_grid", sheet=sheet, value=ref)])
        body = patterns.cell.match(part, m.start())
        out.far.append((ref, row, col, _blank(body.group(1), body.group(2)) if body else None))
    if patterns.formula.search(part):
        out.formulas += unsaved(part, placeholders)


def _blank(attrs: bytes, inner: bytes):
    """True for a cell of white space only, False for a value, None for no value at
    all, ``("s", i)`` for shared string i (decided from sharedStrings.xml later)."""
    if inner == b"/>":
        return None
    body = inner[1:]
    if not re.search(rb"<(?:\w+:)?(?:v|is)\b", body):
        return None
    if re.search(rb'\bt="s"', attrs):
        index = re.search(rb"<(?:\w+:)?v>\s*(\d+)", body)
        return ("s", int(index.group(1))) if index else None
    return not re.sub(rb"<[^>]*>", b"", body).strip()


def _far_rows(zf: zipfile.ZipFile, path: str, sheet: str, out: Scan, patterns: _Patterns, limits: Limits,
              cells_allowed: int, file_bytes: int) -> None:
    """The rectangle the reader would build (rows × columns) within the cell budget: a few
    rows far below the table join ``out.far`` (to be dropped when blank, named when
    not); a table that is simply too large for the file's size is refused."""
    if not out.rows:
        return
    width = out.max_column + 1
    rows = sorted(set(out.rows))
    if (rows[-1] - rows[0] + 1) * width <= cells_allowed:
        return
    keep = max((r for r in rows if (r - rows[0] + 1) * width <= cells_allowed), default=rows[0])
    beyond = [r for r in rows if r > keep]
    if len(beyond) > max(100, len(rows) // 100):  # not strays: the table itself is too large
        raise refuse("too_many_cells", sheet=sheet, count=f"{(rows[-1] - rows[0] + 1) * width:,}",
                     limit=f"{cells_allowed:,}", size=container.megabytes(file_bytes))
    seen = {ref for ref, *_ in out.far}
    with zf.open(path) as source:
        xml = source.read()
    start = re.search(patterns.row.pattern.replace(rb"(\d+)", b"%d" % beyond[0]), xml)
    for m in patterns.any_cell.finditer(xml, start.start() if start else 0):
        row = int(m.group(3))
        if row > keep and m.group(1).decode() not in seen:
            out.far.append((m.group(1).decode(), row, column_index(m.group(2).decode()), _blank(m.group(4), m.group(5))))


def settle(zf: zipfile.ZipFile, sheet: str, out: Scan, limits: Limits, cells_allowed: int) -> None:
    """Decide the far shared-string cells, then refuse the first far cell that holds a
    value (named at its cell); the blank ones are left for :func:`clean`."""
    wanted = {b[1] for *_, b in out.far if isinstance(b, tuple)}
    blanks = _blank_shared(zf, wanted) if wanted else set()
    out.far = [(ref, row, col, (b[1] in blanks) if isinstance(b, tuple) else b) for ref, row, col, b in out.far]
    values = [f for f in out.far if f[3] is False]
    if values:
        ref, row, col, _ = min(values, key=lambda f: (f[1], f[2]))
        if col >= limits.max_columns:  # the same sentence as a table too wide
            raise WorkbookRefused([Problem("too_many_columns", sheet=sheet, row=row, column=column_letter(col),
                                           value=str(col + 1), params=(("limit", limits.max_columns),))])
        top = min(out.rows) if out.rows else 1
        cells = (row - top + 1) * max(col + 1, out.max_column + 1)
        raise WorkbookRefused([Problem("stray_value", sheet=sheet, row=row, column=column_letter(col), value=ref,
                                       params=(("cells", f"{cells:,}"), ("limit", f"{cells_allowed:,}")))])


def _blank_shared(zf: zipfile.ZipFile, wanted: set[int]) -> set[int]:
    try:
        xml = zf.read("xl/sharedStrings.xml")
    except KeyError:
        return set()
    blanks, top = set(), max(wanted)
    for i, m in enumerate(re.finditer(rb"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>", xml, re.S)):
        if i in wanted and not re.sub(rb"<[^>]*>", b"", m.group(1)).strip():
            blanks.add(i)
        if i >= top:
            break
    return blanks


def clean(data: bytes, zf: zipfile.ZipFile, path: str, out: Scan) -> bytes:
    """The workbook again, its sheet at ``path`` without the far (blank) cells: a new,
    stored zip with every other part unchanged."""
    drop = {ref.encode() for ref, *_ in out.far}
    cell = re.compile(rb'<(?:\w+:)?c r="([A-Z]+\d+)"[^>]*?(?:/>|>.*?</(?:\w+:)?c>)', re.S)
    with zf.open(path) as source:
        xml = source.read()
    xml = cell.sub(lambda m: b"" if m.group(1) in drop else m.group(0), xml)
    xml = re.sub(rb"<(?:\w+:)?dimension\b[^>]*/>", b"", xml, count=1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as new:
        for info in zf.infolist():
            new.writestr(info.filename, xml if info.filename == path else zf.read(info))
    return buf.getvalue()


# A formula cell: <c …><f …>…</f> or <f …/>, then maybe <v>; `t="str"` with an empty
# <v> is a formula whose result is "" (Excel writes that), anything else without a
# value was never calculated (files written by scripts and some exports). A workbook
# marked fullCalcOnLoad holds placeholder results (xlsxwriter's 0): none is trusted.
_FORMULA_CELL = re.compile(
    rb'<c\b([^>]*?)(?<!/)>\s*<f\b(?:[^>]*?/>|[^>]*>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>|<v\b[^>]*>[^<]*</v>)?\s*</c>')
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def unsaved(xml: bytes, placeholders: bool = False) -> list[tuple[int, str]]:
    """(row, column letter) of the formula cells in ``xml`` that hold no saved result.

    fastexcel reads such a cell as blank; the answer it stands for is unknown, so the
    file is refused instead (METHOD: values are never guessed).
    """
    cells = []
    for m in _FORMULA_CELL.finditer(xml):
        attrs, value = m.group(1), m.group(2)
        inner = re.sub(rb"^<v\b[^>]*?/?>|</v>$", b"", value or b"").strip()
        saved = inner or (value is not None and b't="str"' in attrs)  # a saved result, maybe ""
        if saved and not placeholders:
            continue
        ref = _REF.search(attrs)
        if ref:
            cells.append((int(ref.group(2)), ref.group(1).decode()))
    return cells
