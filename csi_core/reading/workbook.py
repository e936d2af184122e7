"""Read a survey workbook (template v1 of CONTRACTS.md) into typed columns.

The bytes are checked as a zip first (zip bombs, old .xls, encrypted files), then
read by fastexcel (Rust calamine → Arrow) with every cell as text, so a number cell 4
arrives as "4" and the answer rules stay in :mod:`csi_core.reading.scales`.

``read_sheet`` gives the raw header and columns; ``assign_roles`` decides which column
is the period, the segment… and which are items. ``read`` does both, and reads the
optional ``items`` and ``sent`` sheets.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi_core.reading import loader
from csi_core.reading.container import Limits
from csi_core.reading.parsed import ItemInfo
from csi_core.reading.problems import Problem, WorkbookRefused, column_letter
from csi_core.reading.scales import clean_text, name_key

ROLES = ("period", "segment", "customer", "respondent_id", "date", "focus", "comment", "overall", "branch",
         "competitor")

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
    # blank = headquarters (总部); a branch office or department surveyed on its own
    "branch": ("branch", "分公司", "部门", "分公司/部门", "分支机构"),
    # blank = our customers' answers about us; a name = a competitor questionnaire (竞争对手满意度调查表)
    "competitor": ("competitor", "竞争对手", "竞争对手名称", "对手"),
}
_ROLE_OF_HEADER = {name_key(h): role for role, hs in ROLE_HEADERS.items() for h in hs}
# Row-number columns people add by habit: never a rated item, so never read as one
# (a note says so; the column mapping can still give them a role).
ROW_NUMBER_HEADERS = ("序号", "行号")
HEADER_ROWS = 30  # the header is looked for among the first rows with content (title lines above it)
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
    book = open_workbook(data, limits)
    sheet_name = responses_sheet(book)
    optional = [n for n in (_find_sheet(book.sheet_names, "items"), _find_sheet(book.sheet_names, "sent"))
                if n and n != sheet_name]
    loader.load(book, [sheet_name, *optional])  # one read of every sheet needed
    raw = read_sheet(book, sheet_name)
    table = assign_roles(raw, filename, mapping)
    info = _read_items_sheet(book)
    sent = _read_sent_sheet(book)
    notes = list(table.notes)
    item_keys = {name_key(c.header) for c in table.items}
    notes += [Problem("item_not_in_sheet", sheet="items", value=i.name)
              for i in info if name_key(i.name) not in item_keys]
    return Table(table.filename, table.sheet, table.rows, table.roles, table.items,
                 tuple(info), tuple(sent), table.empty_rows, tuple(notes))


def open_workbook(data: bytes, limits: Limits = Limits()) -> loader.Book:
    """The upload opened within bounds (:mod:`csi_core.reading.loader`); ``WorkbookRefused``
    for anything that is not a workbook that may be read."""
    return loader.open_book(data, limits)


def responses_sheet(book: loader.Book) -> str:
    """The worksheet called "responses" (width/case-insensitively), else the first
    worksheet not hidden (a hidden 说明 sheet or a chart sheet in front is not the data)."""
    names = book.sheet_names
    hidden = book.hidden
    return _find_sheet(names, "responses") or next((n for n in names if n not in hidden), names[0])


def _find_sheet(names: list[str], wanted: str) -> str | None:
    return next((n for n in names if name_key(n) == name_key(wanted)), None)


def read_sheet(book: loader.Book, sheet_name: str) -> RawSheet:
    """A sheet's header row and columns; rows whose cells are all empty are dropped.

    A sheet of more than ``limits.chunk_bytes`` of XML is read in row chunks
    (:mod:`csi_core.reading.bigsheet`) so that memory stays bounded.
    """
    loader.load(book, [sheet_name])
    scan = book.loaded[sheet_name][0]
    raw = _read_sheet(book, sheet_name, scan)
    if scan.formulas:
        headers = {c.letter: c.header for c in raw.columns}
        raise WorkbookRefused([Problem("formula_no_value", sheet=sheet_name, row=row, column=column,
                                       header=headers.get(column, "")) for row, column in scan.formulas[:50]])
    return raw


def _read_sheet(book: loader.Book, sheet_name: str, scan) -> RawSheet:
    first_row, first_col = scan.origin
    found: dict = {}
    parts = loader.parts(book, sheet_name, lambda: (found["header_row"], column_letter(first_col)))
    batch, _ = next(parts)
    filled = [_filled(batch.column(i)) for i in range(batch.num_columns)]
    width = max((i + 1 for i, f in enumerate(filled) if f.any()), default=0)
    if width == 0 or batch.num_rows == 0:  # nothing, or white space only
        raise WorkbookRefused([Problem("empty_sheet", sheet=sheet_name)])
    if width < batch.num_columns:  # columns of blank cells only (a stray space in XFD5): not data
        batch, filled = batch.select(list(range(width))), filled[:width]
    if batch.num_columns > book.limits.max_columns:
        last = filled[-1]
        row = int(np.argmax(last))
        raise WorkbookRefused([Problem("too_many_columns", sheet=sheet_name, row=first_row + row,
                                       column=column_letter(first_col + batch.num_columns - 1),
                                       value=str(batch.num_columns), params=(("limit", book.limits.max_columns),))])
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


def _filled(col: pa.Array) -> np.ndarray:
    """True where a cell holds something other than white space."""
    stripped = pc.utf8_trim_whitespace(col)
    return pc.fill_null(pc.greater(pc.utf8_length(stripped), 0), False).to_numpy(zero_copy_only=False)


def _header_index(filled: list[np.ndarray], batch: pa.RecordBatch) -> int:
    """The header row among the first thirty: of the rows with two or more cells, the one
    with the most known headers (期间, 客户类型…), else the first with two or more cells.
    Title rows above it ("基本信息 | 满意度评价", merged over several columns) are skipped."""
    if len(filled) < 2:
        return 0
    counts = np.sum(filled, axis=0)[:HEADER_ROWS]
    known = [sum(name_key(batch.column(c)[int(i)].as_py()) in _KNOWN_HEADERS for c in range(batch.num_columns))
             if counts[i] >= 2 else 0 for i in range(len(counts))]
    if max(known, default=0) > 0:
        return int(np.argmax(known))  # the most known headers; the first of equals
    for i, n in enumerate(counts):
        if n >= 2:
            return i
    return 0


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


def _optional_sheet(book: loader.Book, wanted: str, headers: dict[str, tuple[str, ...]], key: str):
    """The optional sheet ``wanted`` and its known columns; None when it is absent or
    empty. A sheet that is there without its ``key`` column refuses the file: ignoring
    it would change the result silently (letters read in column order, no rates)."""
    name = _find_sheet(book.sheet_names, wanted)
    if name is None:
        return None, {}
    try:
        raw = read_sheet(book, name)
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


def _read_items_sheet(book: loader.Book) -> list[ItemInfo]:
    raw, cols = _optional_sheet(book, "items", ITEMS_HEADERS, "item")
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


def _read_sent_sheet(book: loader.Book) -> list[tuple[str, str, str, str, int]]:
    raw, cols = _optional_sheet(book, "sent", SENT_HEADERS, "sent")
    if raw is None:
        return []
    n = len(raw.rows)
    get = {f: c.values.to_pylist() for f, c in cols.items()}
    blank = [None] * n
    return [(get.get("period", blank)[i], get.get("segment", blank)[i], get.get("customer", blank)[i],
             get["sent"][i], int(raw.rows[i])) for i in range(n)]


def header_names(data: bytes, limits: Limits = Limits()) -> list[str] | None:
    """The header row of the responses sheet as written, blanks left out (None when
    the file cannot be read): what the column mapping offers."""
    try:
        book = open_workbook(data, limits)
        return [h for h in read_sheet(book, responses_sheet(book)).headers if h]
    except WorkbookRefused:
        return None


def layout_key(headers: list[str]) -> str:
    """One key per workbook layout: the header names (trimmed, case- and width-folded),
    sorted, hashed — the same columns in another order are the same layout.

    >>> layout_key(["b", "A"]) == layout_key(["a", "B "])
    True
    >>> layout_key(["a"]) == layout_key(["a", "b"])
    False
    """
    names = "\n".join(sorted(name_key(h) for h in headers))
    return hashlib.sha256(names.encode("utf-8")).hexdigest()[:16]
