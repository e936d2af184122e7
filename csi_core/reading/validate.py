"""Check a read workbook and sort out invalid questionnaires (清除无效问卷).

``check(table)`` turns every cell into typed values and returns a
:class:`ValidationReport`: the problems that refuse the file (each with sheet, row,
column and value), the invalid questionnaires with their reasons (METHOD.md, in the
order the rules apply), and — when nothing refuses the file — the parsed arrays that
:mod:`csi_core.store.db` imports.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow.compute as pc

from csi_core.reading.periods import normalize_period, sort_periods
from csi_core.reading.problems import Problem, column_letter
from csi_core.reading.scales import (NOT_ANSWERED, UNKNOWN, Scale, clean_text, clean_texts, codes_of, get_scale,
                                     label_key, name_key)
from csi_core.reading.scales import id_keys as scale_id_keys
from csi_core.reading.contract import EXAMPLE_COMMENT
from csi_core.reading.parsed import ItemInfo, Parsed
from csi_core.reading.workbook import Column, Table
from csi_core.settings import default

MAX_LISTED = 50  # cells listed per kind of problem; the rest are counted
DEFAULT_SEGMENT = "all"
FOCUS_SEPARATORS = re.compile(r"[,，、;；/／\r\n]+")
REASONS = ("no_answers", "too_few_answers", "duplicate_id")
MIN_ANSWERED_SHARE: float = default("min_answered_share")  # fewer answered: too_few_answers


@dataclass(frozen=True)
class UnknownValue:
    """A value no rule knows, where it stands, and how often: for an explicit mapping."""

    value: str
    kind: str  # "answer" or "focus"
    count: int
    cells: tuple[str, ...]  # "D12", first few


@dataclass(frozen=True)
class ValidationReport:
    """Everything a user must see before anything is stored."""

    filename: str
    sheet: str
    rows_read: int
    empty_rows: int
    problems: tuple[Problem, ...]
    problem_count: int
    notes: tuple[Problem, ...] = ()
    unknown: tuple[UnknownValue, ...] = ()
    periods: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    parsed: Parsed | None = None
    invalid_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.parsed is not None and not self.problems

    @property
    def valid(self) -> int:
        return int(self.parsed.valid.sum()) if self.parsed is not None else 0

    @property
    def invalid(self) -> int:
        return self.rows_read - self.valid if self.parsed is not None else 0

    def invalid_rows(self) -> list[tuple[int, str, str, str]]:
        """(Excel row, period, respondent id, reason) of every invalid questionnaire."""
        p = self.parsed
        if p is None:
            return []
        idx = np.flatnonzero(~p.valid)
        return [(int(p.row[i]), p.period[i], p.respondent_id[i], p.reason[i]) for i in idx]

    def messages(self, lang: str = "en") -> list[str]:
        """One line per listed problem, then a count of the rest."""
        lines = [p.message(lang, self.filename) for p in self.problems]
        rest = self.problem_count - len(self.problems)
        if rest > 0:
            lines.append(Problem("more_problems", params=(("count", rest),)).message(lang, self.filename))
        return lines


def check(table: Table, scale: str | Scale = "default", mapping: dict[str, int] | None = None,
          focus_mapping: dict[str, str | None] | None = None, period: str | None = None,
          min_answered_share: float = MIN_ANSWERED_SHARE) -> ValidationReport:
    """Validate a :class:`Table`; nothing here stores or guesses anything.

    ``mapping`` gives the code of answer values no rule knows (label key → code);
    ``focus_mapping`` the item (or None: ignore) of unknown focus options; ``period``
    is the upload form's period, used where the file has none.
    """
    scale = get_scale(scale) if isinstance(scale, str) else scale
    found = _Collector(table.sheet)
    items = tuple(c.header for c in table.items)
    periods = _periods(table, period, found)
    segments = _names(table.roles.get("segment"), table.n_rows, DEFAULT_SEGMENT, "blank_segment", table, found)
    codes = _answer_codes(table, scale, mapping or {}, found)
    focus = _focus(table, items, focus_mapping or {}, found)
    overall = _overall_codes(table, scale, mapping or {}, found)
    sent = _sent(table, periods, found)
    text = {"customer": one_spelling(_texts(table.roles.get("customer"), table.n_rows)),
            "respondent_id": _texts(table.roles.get("respondent_id"), table.n_rows),
            "branch": one_spelling(_texts(table.roles.get("branch"), table.n_rows)),
            "competitor": one_spelling(_texts(table.roles.get("competitor"), table.n_rows))}
    text["comment"] = _as_written(table.roles.get("comment"), table.n_rows)
    for i in np.flatnonzero(text["comment"] == EXAMPLE_COMMENT):
        col = table.roles["comment"]
        found.add(Problem("example_row", sheet=table.sheet, row=int(table.rows[i]), column=col.letter,
                          header=col.header))
    dates = _dates(table.roles.get("date"), table.n_rows)
    common = dict(filename=table.filename, sheet=table.sheet, rows_read=table.n_rows, empty_rows=table.empty_rows,
                  notes=(*table.notes, *_sent_notes(sent, periods)), items=items, unknown=tuple(found.unknown),
                  periods=tuple(sort_periods(p for p in periods if p)),
                  segments=tuple(dict.fromkeys(s for s in segments if s)))
    if found.problems:
        return ValidationReport(problems=tuple(found.problems), problem_count=found.count, **common)
    id_col = table.roles.get("respondent_id")
    id_keys = scale_id_keys(id_col.values) if id_col is not None else np.full(table.n_rows, "", dtype=object)
    valid, reason = invalid_rules(codes, periods, id_keys, min_answered_share)
    parsed = Parsed(items, table.item_info, table.rows.astype(np.int64), periods, segments, text["customer"],
                    text["respondent_id"], dates, text["comment"], codes, focus, valid, reason, tuple(sent), scale.name, overall,
                    text["branch"], text["competitor"])
    by_reason = {r: int(np.sum(reason == r)) for r in REASONS}
    if not valid.any():
        found.add(Problem("no_valid", sheet=table.sheet, params=tuple(by_reason.items())))
        return ValidationReport(problems=tuple(found.problems), problem_count=found.count,
                                parsed=None, invalid_by_reason=by_reason, **common)
    return ValidationReport(problems=(), problem_count=0, parsed=parsed, invalid_by_reason=by_reason, **common)


def invalid_rules(codes: np.ndarray, periods: np.ndarray, id_keys: np.ndarray,
                  min_answered_share: float = MIN_ANSWERED_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """METHOD.md's invalid-questionnaire rules, applied in order.

    1. every item blank; 2. answered < share × number of items; 3. the respondent id
    repeats that of an earlier *valid* questionnaire of the same period (``id_keys``
    are the ids as :func:`~csi_core.reading.scales.id_keys` compares them; the first valid
    one counts).

    Examples
    --------
    >>> codes = np.array([[5, 4], [-1, -1], [5, -1], [4, 4]])
    >>> valid, reason = invalid_rules(codes, np.array(["2026Q1"] * 4, object), np.array(["a", "b", "c", "a"], object))
    >>> valid.tolist(), reason.tolist()
    ([True, False, True, False], ['', 'no_answers', '', 'duplicate_id'])
    """
    n, n_items = codes.shape
    answered = (codes >= 0).sum(axis=1)
    reason = np.full(n, "", dtype=object)
    reason[answered < min_answered_share * n_items] = "too_few_answers"
    reason[answered == 0] = "no_answers"
    keys = id_keys
    candidates = np.flatnonzero((reason == "") & (keys != ""))
    if len(candidates):
        combined = np.array([f"{periods[i]}\x00{keys[i]}" for i in candidates], dtype=object)
        _, first = np.unique(combined, return_index=True)
        repeat = np.ones(len(candidates), dtype=bool)
        repeat[first] = False
        reason[candidates[repeat]] = "duplicate_id"
    return reason == "", reason


class _Collector:
    """Problems found so far: the first ``MAX_LISTED`` of each kind, and a count of all."""

    def __init__(self, sheet: str):
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.count = 0
        self.per_code: dict[str, int] = {}
        self.unknown: list[UnknownValue] = []

    def add(self, problem: Problem) -> None:
        self.count += 1
        seen = self.per_code.get(problem.code, 0)
        self.per_code[problem.code] = seen + 1
        if seen < MAX_LISTED:
            self.problems.append(problem)


def _texts(col: Column | None, n: int) -> np.ndarray:
    if col is None:
        return np.full(n, "", dtype=object)
    return clean_texts(col.values)


def _as_written(col: Column | None, n: int) -> np.ndarray:
    """Comments as the customer wrote them, only trimmed ("" where blank)."""
    if col is None:
        return np.full(n, "", dtype=object)
    return np.asarray(pc.utf8_trim_whitespace(col.values).fill_null("").to_numpy(zero_copy_only=False), dtype=object)


def one_spelling(names: np.ndarray) -> np.ndarray:
    """Names that differ only in width, case or spaces take the first spelling found.

    >>> one_spelling(np.array(["ACME", "ａｃｍｅ", "华为 技术", "Acme", "华为技术"], dtype=object)).tolist()
    ['ACME', 'ACME', '华为 技术', 'ACME', '华为 技术']
    """
    spelling: dict[str, str] = {}
    distinct = list(dict.fromkeys(names.tolist()))
    chosen = {name: spelling.setdefault(name_key(name), name) for name in distinct}
    if all(k == v for k, v in chosen.items()):
        return names
    return np.array([chosen[v] for v in names.tolist()], dtype=object)


def _names(col: Column | None, n: int, default: str, blank_code: str, table: Table, found: _Collector) -> np.ndarray:
    """Segment names: cleaned, one spelling per name; blank cells are problems."""
    if col is None:
        return np.full(n, default, dtype=object)
    names = one_spelling(clean_texts(col.values))
    for i in np.flatnonzero(names == ""):
        found.add(Problem(blank_code, sheet=table.sheet, row=int(table.rows[i]), column=col.letter, header=col.header))
    return names


def _periods(table: Table, form_period: str | None, found: _Collector) -> np.ndarray:
    col = table.roles.get("period")
    default = normalize_period(form_period) if form_period else None
    if form_period and default is None:
        found.add(Problem("bad_period", value=str(form_period)))
    if col is None:
        if default is None and not form_period:
            found.add(Problem("missing_period", sheet=table.sheet, row=1))
        return np.full(table.n_rows, default or "", dtype=object)
    raw = clean_texts(col.values)
    lookup = {v: normalize_period(v) for v in dict.fromkeys(raw)}
    periods = np.array([lookup[v] or "" for v in raw], dtype=object)
    for i in np.flatnonzero(periods == ""):
        if raw[i] == "" and default:
            periods[i] = default
        elif raw[i] == "":
            found.add(Problem("blank_period", sheet=table.sheet, row=int(table.rows[i]), column=col.letter, header=col.header))
        else:
            found.add(Problem("bad_period", sheet=table.sheet, row=int(table.rows[i]), column=col.letter,
                              header=col.header, value=raw[i]))
    return periods


def _answer_codes(table: Table, scale: Scale, mapping: dict[str, int], found: _Collector) -> np.ndarray:
    codes = np.empty((table.n_rows, len(table.items)), dtype=np.int16)
    for j, col in enumerate(table.items):
        codes[:, j] = codes_of(col.values, scale, mapping)
    bad_rows, bad_cols = np.nonzero(codes == UNKNOWN)
    if len(bad_rows):
        _report_unknown(table, bad_rows, bad_cols, found, scale)
    return codes


def _overall_codes(table: Table, scale: Scale, mapping: dict[str, int], found: _Collector) -> np.ndarray:
    """Codes of the optional overall-satisfaction column, read like an item's answers."""
    col = table.roles.get("overall")
    if col is None:
        return np.full(table.n_rows, NOT_ANSWERED, dtype=np.int16)
    codes = codes_of(col.values, scale, mapping).astype(np.int16)
    bad = np.flatnonzero(codes == UNKNOWN)
    if len(bad):
        _report_unknown(table, bad, np.zeros(len(bad), np.int64), found, scale, (col,))
    return codes


def _report_unknown(table: Table, rows: np.ndarray, cols: np.ndarray, found: _Collector, scale: Scale,
                    columns: tuple | None = None) -> None:
    columns = table.items if columns is None else columns
    by_value: dict[str, list[str]] = {}
    # the hint names what the scale in use takes: labels or 1–5, or whole numbers 0–10 / 0–100
    code, params = ("unknown_number", (("top", scale.max_code),)) if scale.numeric else ("unknown_answer", ())
    for i, j in zip(rows, cols):
        col = columns[j]
        value = col.values[int(i)].as_py()
        found.add(Problem(code, sheet=table.sheet, row=int(table.rows[i]), column=col.letter,
                          header=col.header, value=str(value), params=params))
        by_value.setdefault(label_key(value), []).append(f"{col.letter}{table.rows[i]}")
        if len(by_value) > 200:
            break
    shown = {label_key(columns[j].values[int(i)].as_py()): str(columns[j].values[int(i)].as_py())
             for i, j in zip(rows[:5000], cols[:5000])}
    found.unknown.extend(UnknownValue(shown.get(k, k), "answer", len(cells), tuple(cells[:5]))
                         for k, cells in by_value.items())


def focus_letters(items: tuple[str, ...], info: tuple[ItemInfo, ...]) -> dict[str, int]:
    """Option letter → item index: from the items sheet, else A = first item column."""
    index = {name_key(name): j for j, name in enumerate(items)}
    letters = {i.option.upper(): index[name_key(i.name)] for i in info
               if i.option and name_key(i.name) in index}
    if letters:
        return letters
    return {column_letter(j): j for j in range(min(len(items), 26))}  # A…Z


def parse_focus(cell: str, items: tuple[str, ...], letters: dict[str, int],
                focus_mapping: dict[str, str | None] | None = None) -> tuple[set[int], list[str]]:
    """The item indices a focus cell ticks, and the tokens it could not place.

    Examples
    --------
    >>> parse_focus("A、燃气质量，c / 价格", ("燃气质量", "服务", "价格"), {"A": 0, "B": 1, "C": 2})
    ({0, 2}, [])
    >>> parse_focus("服务;其他", ("燃气质量", "服务"), {"A": 0, "B": 1})
    ({1}, ['其他'])
    """
    return _FocusParser(items, letters, focus_mapping)(cell)


class _FocusParser:
    """Parses focus cells against one item list (lookups built once)."""

    def __init__(self, items: tuple[str, ...], letters: dict[str, int], focus_mapping: dict[str, str | None] | None):
        self.keys = {name_key(name): j for j, name in enumerate(items)}
        self.letters = letters
        self.mapping = {name_key(k): v for k, v in (focus_mapping or {}).items()}
        # items whose own name holds a separator, e.g. "价格/收费": matched whole first,
        # width-, case- and space-insensitively like every name
        joined = sorted((n for n in items if FOCUS_SEPARATORS.search(n)), key=lambda n: len(name_key(n)), reverse=True)
        self.joined = [(self.keys[name_key(n)], re.compile(r"\s*".join(map(re.escape, name_key(n))), re.IGNORECASE))
                       for n in joined]

    def __call__(self, cell: str) -> tuple[set[int], list[str]]:
        ticked: set[int] = set()
        text = unicodedata.normalize("NFKC", str(cell or "")).strip()  # keeps line breaks: they separate
        for j, pattern in self.joined:
            text, found = pattern.subn(",", text)
            if found:
                ticked.add(j)
        unknown = []
        for token in FOCUS_SEPARATORS.split(text):
            whole = name_key(token)
            # "A." "B)" "1、" are letters with a mark; an item name keeps its own brackets
            key = whole if whole in self.keys or whole in self.mapping else whole.strip(".)）.、")
            if not key:
                continue
            if key in self.mapping:
                target = self.mapping[key]
                if target is not None and name_key(target) in self.keys:
                    ticked.add(self.keys[name_key(target)])
            elif key in self.keys:
                ticked.add(self.keys[key])
            elif key.upper() in self.letters and len(key) <= 2:
                ticked.add(self.letters[key.upper()])
            else:
                unknown.append(token.strip())
        return ticked, unknown


def _focus(table: Table, items: tuple[str, ...], focus_mapping: dict[str, str | None], found: _Collector) -> np.ndarray:
    """Focus ticks [rows, items]: each distinct cell parsed once, then spread by index."""
    col = table.roles.get("focus")
    if col is None:
        return np.zeros((table.n_rows, len(items)), dtype=bool)
    parse = _FocusParser(items, focus_letters(items, table.item_info), focus_mapping)
    encoded = col.values.dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    by_cell = np.zeros((len(distinct) + 1, len(items)), dtype=bool)  # last row: blank cells
    bad: dict[int, list[str]] = {}
    for d, cell in enumerate(distinct):
        ticked, unknown = parse(cell)
        by_cell[d, sorted(ticked)] = True
        if unknown:
            bad[d] = unknown
    indices = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    if bad:
        _report_bad_focus(table, col, indices, bad, found)
    return by_cell[indices]


def _report_bad_focus(table: Table, col: Column, indices: np.ndarray, bad: dict[int, list[str]], found: _Collector) -> None:
    cells: dict[str, list[str]] = {}
    for i in np.flatnonzero(np.isin(indices, list(bad))):
        for token in bad[int(indices[i])]:
            found.add(Problem("unknown_focus", sheet=table.sheet, row=int(table.rows[i]), column=col.letter,
                              header=col.header, value=token))
            cells.setdefault(token, []).append(f"{col.letter}{table.rows[i]}")
    found.unknown.extend(UnknownValue(v, "focus", len(c), tuple(c[:5])) for v, c in cells.items())


def _dates(col: Column | None, n: int) -> np.ndarray:
    """Fill-in dates as ISO text where they read as dates, else the text as written."""
    if col is None:
        return np.full(n, "", dtype=object)
    raw = clean_texts(col.values)
    lookup = {}
    for v in dict.fromkeys(raw):
        p = normalize_period(v)
        lookup[v] = p if p and len(p) == 10 else v
    return np.array([lookup[v] for v in raw], dtype=object)


def _sent(table: Table, periods: np.ndarray, found: _Collector) -> list[tuple[str, str, str, int]]:
    """The ``sent`` sheet: questionnaires sent out, for the response rate (回收率)."""
    out = []
    only_period = sort_periods(p for p in periods if p)
    for period, segment, customer, sent, row in table.sent:
        if not clean_text(sent) and not clean_text(period):
            continue
        p = normalize_period(period) if clean_text(period) else (only_period[0] if len(only_period) == 1 else None)
        number = _whole(sent)
        if p is None and not clean_text(period):
            found.add(Problem("sent_blank_period", sheet="sent", row=row,
                              params=(("found", ", ".join(only_period)),)))
        elif p is None:
            found.add(Problem("bad_period", sheet="sent", row=row, value=clean_text(period)))
        elif number is None:
            found.add(Problem("bad_sent", sheet="sent", row=row, value=clean_text(sent)))
        else:
            out.append((p, clean_text(segment), clean_text(customer), number))
    return out


def _sent_notes(sent: list[tuple[str, str, str, int]], periods: np.ndarray) -> list[Problem]:
    """What looks wrong in the sent counts without refusing the file: a period the
    responses do not have, or fewer sent than returned (a response rate over 100 %)."""
    if not sent:
        return []
    returned = Counter(periods.tolist())
    totals: dict[str, int] = {}
    for period, _, _, number in sent:
        totals[period] = totals.get(period, 0) + number
    notes = []
    for period, total in totals.items():
        if period not in returned:
            notes.append(Problem("sent_period_not_in_file", sheet="sent", value=period))
        elif total < returned[period]:
            notes.append(Problem("sent_below_returned", sheet="sent", value=period,
                                 params=(("sent", total), ("returned", int(returned[period])))))
    return notes


def _whole(value: object) -> int | None:
    try:
        number = float(clean_text(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 0 else None
