"""Read a survey workbook (template v1 of CONTRACTS.md) into typed columns.

The bytes are checked as a zip first (zip bombs, old .xls, encrypted files), then
read by fastexcel (Rust calamine → Arrow) with every cell as text, so a number cell 4
arrives as "4" and the answer rules stay in :mod:`csi_core.reading.scales`.

``read_sheet`` gives the raw header and columns; ``assign_roles`` decides which column
is the period, the segment… and which are items. ``read`` does both, and reads the
optional ``items`` and ``sent`` sheets.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from defusedxml import ElementTree as SafeET
from xlsxwriter.utility import xl_cell_to_rowcol

from csi_core.reading import bigsheet
from csi_core.reading.parsed import ItemInfo
from csi_core.reading.problems import Problem, WorkbookRefused, column_letter
from csi_core.reading.scales import clean_text, name_key
from csi_core.settings import default

ROLES = ("period", "segment", "customer", "respondent_id", "date", "focus", "comment", "overall")

# CONTRACTS.md §1: headers accepted per role (compared by name_key).
ROLE_HEADERS: dict[str, tuple[str, ...]] = {
    "period": ("period", "期间", "调查期", "季度"),
    "segment": ("segment", "客户类型", "客户类别"),
    "customer": ("customer", "客户", "客户名称"),
    "respondent_id": ("respondent_id", "问卷编号", "编号"),
    "date": ("date", "日期", "填写日期"),
    "focus": ("focus", "最关注", "最关注的项目"),
    "comment": ("comment", "意见建议", "建议"),
    # overall satisfaction: scored on the items' scale, not an item of the CSI (derived importance)
    "overall": ("overall", "总体满意度", "整体满意度"),
}
_ROLE_OF_HEADER = {name_key(h): role for role, hs in ROLE_HEADERS.items() for h in hs}
# Row-number columns people add by habit: never a rated item, so never read as one
# (a note says so; the column mapping can still give them a role).
ROW_NUMBER_HEADERS = ("序号", "行号")
_ROW_NUMBER_KEYS = frozenset(name_key(h) for h in ROW_NUMBER_HEADERS)

ITEMS_HEADERS = {"item": ("item", "题目", "项目", "指标", "题目名称", "项目名称", "指标名称"),
                 "dimension": ("dimension", "维度"),
                 "option": ("option", "选项", "字母", "选项字母")}
SENT_HEADERS = {"period": ROLE_HEADERS["period"], "segment": ROLE_HEADERS["segment"],
                "customer": ROLE_HEADERS["customer"],
                "sent": ("sent", "发放", "发放数", "发出", "发放数量", "发放份数", "发出份数", "发出数")}

_KNOWN_HEADERS = set(_ROLE_OF_HEADER) | {name_key(h) for hs in (*ITEMS_HEADERS.values(), *SENT_HEADERS.values())
                                        for h in hs}


@dataclass(frozen=True)
class Limits:
    """How much a workbook may hold before it is refused unread (settings)."""

    max_file_bytes: int = default("max_upload_mb") * 2**20  # the app's upload limit too
    max_unpacked_bytes: int = 4 * 2**30
    max_ratio: float = 400.0
    max_entries: int = 10_000
    max_columns: int = 500
    chunk_bytes: int = 128 * 2**20  # sheets over twice this are read in chunks


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header as written, Excel letter and text cells."""

    header: str
    letter: str
    values: pa.Array  # pa.string(), null where the cell is empty


@dataclass(frozen=True)
class RawSheet:
    """A sheet as read: the header row, its columns and the Excel row of each data row."""

    name: str
    header_row: int
    columns: tuple[Column, ...]
    rows: np.ndarray  # Excel row numbers of the data rows that are not empty
    empty_rows: int
    notes: tuple[Problem, ...] = ()

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass(frozen=True)
class Table:
    """A responses sheet with roles assigned: what validation works on."""

    filename: str
    sheet: str
    rows: np.ndarray
    roles: dict[str, Column]
    items: tuple[Column, ...]
    item_info: tuple[ItemInfo, ...] = ()
    sent: tuple[tuple[str, str, str, str, int], ...] = ()  # raw (period, segment, customer, sent, row)
    empty_rows: int = 0
    notes: tuple[Problem, ...] = field(default=())

    @property
    def n_rows(self) -> int:
        return len(self.rows)


def read(data: bytes, filename: str = "", mapping: dict[str, str] | None = None,
         limits: Limits = Limits()) -> Table:
    """Read a workbook's bytes into a :class:`Table`; ``WorkbookRefused`` says why not.

    ``mapping`` assigns roles to headers by hand (role → header as written; an item
    header mapped to ``"ignore"`` is left out) for layouts the aliases do not know.
    """
    reader = open_workbook(data, limits)
    sheet_name = responses_sheet(reader, data)
    raw = read_sheet(reader, sheet_name, data, limits)
    table = assign_roles(raw, filename, mapping)
    info = _read_items_sheet(reader, data, limits)
    sent = _read_sent_sheet(reader, data, limits)
    notes = list(table.notes)
    item_keys = {name_key(c.header) for c in table.items}
    notes += [Problem("item_not_in_sheet", sheet="items", value=i.name)
              for i in info if name_key(i.name) not in item_keys]
    return Table(table.filename, table.sheet, table.rows, table.roles, table.items,
                 tuple(info), tuple(sent), table.empty_rows, tuple(notes))


def open_workbook(data: bytes, limits: Limits = Limits()):
    """A fastexcel reader over checked bytes; ``WorkbookRefused`` for anything else."""
    check_container(data, limits)
    import fastexcel  # imported here: the CLI's --help need not load the Rust reader

    try:
        return fastexcel.read_excel(data)
    except Exception as exc:  # the reader's own errors and panics alike
        raise WorkbookRefused([Problem("unreadable", params=(("detail", _short(exc)),))]) from None


def check_container(data: bytes, limits: Limits = Limits()) -> None:
    """Refuse, before any parsing, what is not a plain, reasonably sized .xlsx zip.

    Declared sizes are not trusted: each entry is inflated in chunks and counted,
    and reading stops as soon as a limit is passed.
    """
    if not data:
        raise WorkbookRefused([Problem("empty_file")])
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise WorkbookRefused([Problem("ole_file")])
    if data[:2] != b"PK" or len(data) > limits.max_file_bytes:
        detail = f"{len(data)} bytes" if data[:2] == b"PK" else ""
        code = "zip_limit" if detail else "not_xlsx"
        raise WorkbookRefused([Problem(code, params=(("detail", detail),))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_entries(zf, limits)
    except WorkbookRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError):
        raise WorkbookRefused([Problem("not_xlsx")]) from None


def _check_entries(zf: zipfile.ZipFile, limits: Limits) -> None:
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise WorkbookRefused([Problem("not_xlsx")])
    if len(infos) > limits.max_entries:
        raise WorkbookRefused([Problem("zip_limit", params=(("detail", f"{len(infos)} entries"),))])
    total = 0
    for info in infos:
        size = _inflated_size(zf, info, limits.max_unpacked_bytes - total)
        total += size
        if size > 10 * 2**20 and size > limits.max_ratio * max(info.compress_size, 1):
            detail = f"{info.filename} ratio {size / max(info.compress_size, 1):.0f}"
            raise WorkbookRefused([Problem("zip_limit", params=(("detail", detail),))])


def _inflated_size(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    size = 0
    with zf.open(info) as stream:
        while chunk := stream.read(4 * 2**20):
            size += len(chunk)
            if size > budget:
                raise WorkbookRefused([Problem("zip_limit", params=(("detail", "unpacked size"),))])
    return size


def responses_sheet(reader, data: bytes) -> str | None:
    """The sheet called "responses" (width/case-insensitively), else the first sheet
    not hidden (a hidden 说明 or lookup sheet in front is not the data)."""
    names = list(reader.sheet_names)
    hidden = _hidden_sheets(data)
    return _find_sheet(names, "responses") or next((n for n in names if n not in hidden), names[0] if names else None)


def _hidden_sheets(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            sheets = _sheet_tags(zf)
    except _UNREADABLE:
        return set()
    return {name for name, attrs in sheets if attrs.get("state") in ("hidden", "veryHidden")}


# what reading a package part can raise: a missing part, a broken zip or deflate stream,
# malformed XML, or defusedxml refusing entities (ValueError)
_UNREADABLE = (KeyError, zipfile.BadZipFile, ValueError, OSError, zlib.error, SafeET.ParseError)


def _local(name: str) -> str:
    """A tag or attribute name without its namespace (transitional and strict OOXML differ)."""
    return name.rpartition("}")[2]


def _parts(zf: zipfile.ZipFile, path: str, tag: str) -> list[dict[str, str]]:
    """The attributes (by local name) of every ``<tag>`` element of a small XML part of the
    package (workbook.xml, its relationships), parsed by defusedxml: no entity expansion."""
    root = SafeET.fromstring(zf.read(path))
    return [{_local(k): v for k, v in sorted(e.attrib.items(), key=lambda kv: "}" in kv[0])}
            for e in root.iter() if _local(e.tag) == tag]


def _sheet_tags(zf: zipfile.ZipFile) -> list[tuple[str, dict[str, str]]]:
    """(name, attributes) of every sheet listed in the workbook; ``id`` is the ``r:id``."""
    return [(a["name"], a) for a in _parts(zf, "xl/workbook.xml", "sheet") if "name" in a]


def _find_sheet(names: list[str], wanted: str) -> str | None:
    return next((n for n in names if name_key(n) == name_key(wanted)), None)


def read_sheet(reader, sheet_name: str | None, data: bytes, limits: Limits = Limits()) -> RawSheet:
    """A sheet's header row and columns; rows whose cells are all empty are dropped.

    A sheet of more than ``limits.chunk_bytes`` of XML is read in row chunks
    (:mod:`csi_core.reading.bigsheet`) so that memory stays bounded.
    """
    if sheet_name is None:
        raise WorkbookRefused([Problem("empty_sheet")])
    with ThreadPoolExecutor(1) as pool:  # the scan inflates the XML while the reader works
        unsaved = pool.submit(formulas_without_value, data, sheet_name)
        raw = _read_sheet(reader, sheet_name, data, limits)
        cells = unsaved.result()
    if cells:
        headers = {c.letter: c.header for c in raw.columns}
        raise WorkbookRefused([Problem("formula_no_value", sheet=sheet_name, row=row, column=column,
                                       header=headers.get(column, "")) for row, column in cells])
    return raw


def _read_sheet(reader, sheet_name: str, data: bytes, limits: Limits) -> RawSheet:
    first_row, first_col = _sheet_origin(data, sheet_name)
    found: dict = {}
    parts = _sheet_parts(reader, sheet_name, data, limits, lambda: (found["header_row"], column_letter(first_col)))
    batch, _ = next(parts)
    if batch.num_columns == 0 or batch.num_rows == 0:
        raise WorkbookRefused([Problem("empty_sheet", sheet=sheet_name)])
    filled = [_filled(batch.column(i)) for i in range(batch.num_columns)]
    width = max((i + 1 for i, f in enumerate(filled) if f.any()), default=0)
    if width < batch.num_columns:  # columns of blank cells only (a stray space in XFD5): not data
        batch, filled = batch.select(list(range(width))), filled[:width]
    if batch.num_columns > limits.max_columns:
        last = filled[-1]
        row = int(np.argmax(last))
        raise WorkbookRefused([Problem("too_many_columns", sheet=sheet_name, row=first_row + row,
                                       column=column_letter(first_col + batch.num_columns - 1),
                                       value=str(batch.num_columns), params=(("limit", limits.max_columns),))])
    header_at = _header_index(filled, batch)
    found["header_row"] = first_row + header_at
    notes = (Problem("title_row_skipped", sheet=sheet_name, params=(("row", first_row + header_at),)),) if header_at else ()
    headers = [batch.column(i)[header_at].as_py() for i in range(batch.num_columns)]
    pieces, rows, empty = [_data_part(batch, filled, header_at + 1)], [], 0
    rows.append(pieces[0][1] + first_row + header_at + 1)
    empty += pieces[0][2]
    for later, start in parts:  # only for very large sheets
        later = _fit_width(later, len(headers), sheet_name, first_col, start)
        piece = _data_part(later, [_filled(later.column(i)) for i in range(later.num_columns)], 1)
        pieces.append(piece)
        rows.append(piece[1] + start)
        empty += piece[2]
    columns = tuple(
        Column(clean_text(headers[i]), column_letter(first_col + i),
               pa.concat_arrays([p[0][i] for p in pieces]) if len(pieces) > 1 else pieces[0][0][i])
        for i in range(len(headers)))
    return RawSheet(sheet_name, first_row + header_at, columns, np.concatenate(rows), empty, notes)


def _sheet_parts(reader, sheet_name: str, data: bytes, limits: Limits, header_at):
    """(batch, Excel row of its first data row) for the sheet, whole or in chunks."""
    try:
        path = _sheet_path_of(data, sheet_name)
        big = path is not None and bigsheet.sheet_size(data, path) > 2 * limits.chunk_bytes
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        big = False
    if not big:
        yield _load(reader, sheet_name), None
        return
    import fastexcel

    try:
        for chunk in bigsheet.chunks(data, path, header_at, limits.chunk_bytes):
            yield _load(fastexcel.read_excel(chunk.data), sheet_name), chunk.first_row
    except ValueError:
        raise WorkbookRefused([Problem("unreadable", sheet=sheet_name, params=(("detail", "cannot split"),))]) from None


def _load(reader, sheet_name: str) -> pa.RecordBatch:
    try:
        batch, errors = reader.load_sheet(sheet_name, header_row=None, dtypes="string").to_arrow_with_errors()
        return _with_error_cells(batch, errors)
    except Exception as exc:  # the reader's own errors and panics alike
        raise WorkbookRefused([Problem("unreadable", sheet=sheet_name, params=(("detail", _short(exc)),))]) from None


def _data_part(batch: pa.RecordBatch, filled: list[np.ndarray], start: int):
    """Columns of the rows from ``start`` on that are not empty; their positions; the
    number of empty rows dropped."""
    nonempty = np.logical_or.reduce(filled)[start:]
    keep = np.flatnonzero(nonempty)
    everything = len(keep) == len(nonempty)
    columns = [batch.column(i).slice(start) if everything else batch.column(i).slice(start).take(pa.array(keep))
               for i in range(batch.num_columns)]
    return columns, keep, int(len(nonempty) - len(keep))


def _fit_width(batch: pa.RecordBatch, width: int, sheet: str, first_col: int, start: int) -> pa.RecordBatch:
    """A later chunk with exactly ``width`` columns: padded, or refused when a column
    beyond the header holds values (as the whole sheet would be)."""
    if batch.num_columns > width:
        for i in range(width, batch.num_columns):
            if np.any(_filled(batch.column(i))[1:]):
                raise WorkbookRefused([Problem("no_header", sheet=sheet, row=start - 1,
                                               column=column_letter(first_col + i))])
    columns = [batch.column(i) if i < batch.num_columns else pa.nulls(batch.num_rows, pa.string())
               for i in range(width)]
    return pa.RecordBatch.from_arrays(columns, names=[f"c{i}" for i in range(width)])


def _sheet_path_of(data: bytes, sheet_name: str) -> str | None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            return _sheet_path(zf, sheet_name)
        except _UNREADABLE:  # the reader opened it; the XML parts are not well-formed: no chunks
            return None


_EXCEL_ERRORS = {"div0": "#DIV/0!", "na": "#N/A", "name": "#NAME?", "null": "#NULL!", "num": "#NUM!",
                 "ref": "#REF!", "value": "#VALUE!", "gettingdata": "#GETTING_DATA"}


def _with_error_cells(batch: pa.RecordBatch, errors) -> pa.RecordBatch:
    """Put Excel error cells (#N/A, #DIV/0!…) back as their text, so that they are
    reported as unknown values instead of silently read as blanks."""
    if not errors or not errors.errors:
        return batch
    by_column: dict[int, dict[int, str]] = {}
    for error in errors.errors:
        row, col = error.offset_position
        kind = re.search(r"Error\((\w+)\)", error.detail or "")
        text = _EXCEL_ERRORS.get(kind.group(1).lower(), f"#{kind.group(1)}") if kind else "#ERROR"
        by_column.setdefault(col, {})[row] = text
    columns = []
    for i in range(batch.num_columns):
        if i in by_column:
            values = batch.column(i).to_pylist()
            for row, text in by_column[i].items():
                values[row] = text
            columns.append(pa.array(values, pa.string()))
        else:
            columns.append(batch.column(i))
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _filled(col: pa.Array) -> np.ndarray:
    """True where a cell holds something other than white space."""
    stripped = pc.utf8_trim_whitespace(col)
    return pc.fill_null(pc.greater(pc.utf8_length(stripped), 0), False).to_numpy(zero_copy_only=False)


def _header_index(filled: list[np.ndarray], batch: pa.RecordBatch) -> int:
    """The header row among the first ten: of the rows with two or more cells, the one
    with the most known headers (期间, 客户类型…), else the first with two or more cells.
    Title rows above it ("基本信息 | 满意度评价", merged over several columns) are skipped."""
    if len(filled) < 2:
        return 0
    counts = np.sum(filled, axis=0)[:10]
    known = [sum(name_key(batch.column(c)[int(i)].as_py()) in _KNOWN_HEADERS for c in range(batch.num_columns))
             if counts[i] >= 2 else 0 for i in range(len(counts))]
    if max(known, default=0) > 0:
        return int(np.argmax(known))  # the most known headers; the first of equals
    for i, n in enumerate(counts):
        if n >= 2:
            return i
    return 0


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>\s*<(?:v|is)\b')


def _sheet_origin(data: bytes, sheet_name: str) -> tuple[int, int]:
    """Excel row number and 0-based column of the first filled cell.

    The reader drops leading empty rows and columns; this recovers where the data
    starts so that messages name the right row. (1, 0) when it cannot tell.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            path = _sheet_path(zf, sheet_name)
            with zf.open(path) as stream:
                head = stream.read(512 * 1024)
    except _UNREADABLE:
        return 1, 0
    cells = _CELL.findall(head)
    if not cells:
        return 1, 0
    row = min(int(r) for _, r in cells)
    col = min(xl_cell_to_rowcol(f"{c.decode()}1")[1] for c in {c for c, _ in cells})
    return row, col


# A formula cell: <c …><f …>…</f> or <f …/>, then maybe <v>; `t="str"` with an empty
# <v> is a formula whose result is "" (Excel writes that), anything else without a
# value was never calculated (files written by scripts and some exports). A workbook
# marked fullCalcOnLoad holds placeholder results (xlsxwriter's 0): none is trusted.
_FORMULA_CELL = re.compile(
    rb'<c\b([^>]*?)(?<!/)>\s*<f\b(?:[^>]*?/>|[^>]*>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>|<v\b[^>]*>[^<]*</v>)?\s*</c>')
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def formulas_without_value(data: bytes, sheet_name: str, most: int = 50) -> list[tuple[int, str]]:
    """(row, column letter) of the sheet's formula cells that hold no saved result.

    fastexcel reads such a cell as blank; the answer it stands for is unknown, so the
    file is refused instead (METHOD: values are never guessed). [] when none, or when
    the sheet cannot be found (the reader reports that).
    """
    found: list[tuple[int, str]] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open(_sheet_path(zf, sheet_name)) as stream:
            # "calculate everything on opening": the saved results are placeholders (xlsxwriter writes 0)
            placeholders = any(c.get("fullCalcOnLoad") in ("1", "true") for c in _parts(zf, "xl/workbook.xml", "calcPr"))
            tail = b""
            while len(found) < most and (chunk := stream.read(8 << 20)):
                buffer = tail + chunk
                end = buffer.rfind(b"</c>")
                if end < 0:
                    tail = buffer
                    continue
                head, tail = buffer[:end + 4], buffer[end + 4:]
                if b"<f" in head:
                    found += _unsaved(head, placeholders)
            if tail and b"<f" in tail:
                found += _unsaved(tail, placeholders)
    except _UNREADABLE:
        return []
    return found[:most]


def _unsaved(xml: bytes, placeholders: bool = False) -> list[tuple[int, str]]:
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


def _sheet_path(zf: zipfile.ZipFile, sheet_name: str) -> str:
    """The package path of a sheet's XML, through workbook.xml and its relationships."""
    rid = next((a.get("id") for name, a in _sheet_tags(zf) if name == sheet_name), None)
    if rid:
        for rel in _parts(zf, "xl/_rels/workbook.xml.rels", "Relationship"):
            if rel.get("Id") == rid and rel.get("Target"):
                path = rel["Target"]
                return path.lstrip("/") if path.startswith("/") else "xl/" + path
    raise KeyError(sheet_name)


def role_of_header(header: str) -> str | None:
    """The role a header names (CONTRACTS.md §1), or None for an item column.

    Examples
    --------
    >>> role_of_header(" 客户类型 "), role_of_header("ＰＥＲＩＯＤ"), role_of_header("燃气质量")
    ('segment', 'period', None)
    """
    return _ROLE_OF_HEADER.get(name_key(header))


def assign_roles(raw: RawSheet, filename: str = "", mapping: dict[str, str] | None = None) -> Table:
    """Decide each column's role; items are the other headed columns.

    ``mapping`` (role → header, or header → "ignore") overrides the aliases.
    """
    problems: list[Problem] = []
    notes: list[Problem] = list(raw.notes)
    roles: dict[str, Column] = {}
    items: list[Column] = []
    role_by_key = {name_key(c.header): _ROLE_OF_HEADER.get(name_key(c.header)) for c in raw.columns}
    for role, header in (mapping or {}).items():
        if role in ROLES and header:
            role_by_key = {k: (None if r == role else r) for k, r in role_by_key.items()}
            role_by_key[name_key(header)] = role
    ignored = {name_key(h) for h, role in (mapping or {}).items() if role == "ignore"}
    seen_items: dict[str, Column] = {}
    for col in raw.columns:
        key = name_key(col.header)
        if not key:
            if np.any(_filled(col.values)):
                problems.append(Problem("no_header", sheet=raw.name, row=raw.header_row, column=col.letter))
            continue
        if key in ignored:
            continue
        role = role_by_key.get(key)
        if not role and key in _ROW_NUMBER_KEYS:
            notes.append(Problem("row_number_column", sheet=raw.name, row=raw.header_row, column=col.letter,
                                 header=col.header, value=col.header))
            continue
        if role:
            if role in roles:
                problems.append(Problem("duplicate_role", sheet=raw.name, row=raw.header_row, column=col.letter,
                                        header=col.header, params=(("role", role), ("other", roles[role].letter))))
            roles[role] = col
        elif key in seen_items:
            problems.append(Problem("duplicate_item", sheet=raw.name, row=raw.header_row, column=col.letter,
                                    header=col.header, value=col.header,
                                    params=(("other", seen_items[key].letter),)))
        else:
            seen_items[key] = col
            items.append(col)
    if not items:
        problems.append(Problem("no_items", sheet=raw.name, row=raw.header_row))
    if len(raw.rows) == 0:
        problems.append(Problem("no_rows", sheet=raw.name))
    if problems:
        raise WorkbookRefused(problems)
    return Table(filename, raw.name, raw.rows, roles, tuple(items), empty_rows=raw.empty_rows, notes=tuple(notes))


def _optional_sheet(reader, data: bytes, wanted: str, headers: dict[str, tuple[str, ...]], key: str,
                    limits: Limits):
    """The optional sheet ``wanted`` and its known columns; None when it is absent or
    empty. A sheet that is there without its ``key`` column refuses the file: ignoring
    it would change the result silently (letters read in column order, no rates)."""
    name = _find_sheet(reader.sheet_names, wanted)
    if name is None:
        return None, {}
    try:
        raw = read_sheet(reader, name, data, limits)
    except WorkbookRefused as refused:
        if any(p.code != "empty_sheet" for p in refused.problems):
            raise
        return None, {}
    keys = {name_key(h): field for field, hs in headers.items() for h in hs}
    cols = {keys[name_key(c.header)]: c for c in raw.columns if name_key(c.header) in keys}
    if key not in cols:
        raise WorkbookRefused([Problem("optional_sheet_header", sheet=name, row=raw.header_row,
                                       params=(("expected", " / ".join(headers[key][:4])),))])
    return raw, cols


def _read_items_sheet(reader, data: bytes, limits: Limits) -> list[ItemInfo]:
    raw, cols = _optional_sheet(reader, data, "items", ITEMS_HEADERS, "item", limits)
    if raw is None:
        return []
    get = {f: c.values.to_pylist() for f, c in cols.items()}
    blank = [None] * len(raw.rows)
    out, problems, letters = [], [], {}
    for i, name in enumerate(get["item"]):
        if not clean_text(name):
            continue
        option = clean_text(get.get("option", blank)[i]).upper()
        if option and option in letters:
            problems.append(Problem("duplicate_option", sheet=raw.name, row=int(raw.rows[i]),
                                    column=cols["option"].letter, header=cols["option"].header, value=option,
                                    params=(("item", clean_text(name)), ("other", letters[option]))))
        letters.setdefault(option, clean_text(name))
        out.append(ItemInfo(clean_text(name), clean_text(get.get("dimension", blank)[i]), option))
    if problems:
        raise WorkbookRefused(problems)
    return out


def _read_sent_sheet(reader, data: bytes, limits: Limits) -> list[tuple[str, str, str, str, int]]:
    raw, cols = _optional_sheet(reader, data, "sent", SENT_HEADERS, "sent", limits)
    if raw is None:
        return []
    n = len(raw.rows)
    get = {f: c.values.to_pylist() for f, c in cols.items()}
    blank = [None] * n
    return [(get.get("period", blank)[i], get.get("segment", blank)[i], get.get("customer", blank)[i],
             get["sent"][i], int(raw.rows[i])) for i in range(n)]


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
