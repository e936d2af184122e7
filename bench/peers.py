"""The peers our code is measured against, written independently of ``csi_core``.

(a) **The common way** to ingest a survey workbook today: ``pandas.read_excel`` with
    openpyxl, a Python loop that checks every row by the rules of METHOD.md, and an insert
    of the checked rows into DuckDB (a wide table, one transaction).
(b) **The limit**: the bare read of the same file by the Rust reader (fastexcel), nothing
    else.
(c) **A pandas reference** of every number: item scores, focus weights, segment CSI, total
    CSI and customer CSI, by groupby over the raw rows. It is the peer of the recompute
    benchmark and, being written apart from ``csi_core``, an independent check of it.

Nothing here imports ``csi_core``.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# --- METHOD.md: answer levels, coefficients, not answered -------------------------------

LEVEL_LABELS = {
    5: ("很满意", "非常满意", "very satisfied", "5"),
    4: ("较满意", "比较满意", "满意", "satisfied", "4"),
    3: ("一般", "基本满意", "neutral", "3"),
    2: ("不满意", "较不满意", "不太满意", "dissatisfied", "2"),
    1: ("很不满意", "非常不满意", "very dissatisfied", "1"),
}
COEFFICIENT = {5: 1.0, 4: 0.8, 3: 0.5, 2: 0.2, 1: 0.0}
NOT_ANSWERED = {"", "不适用", "n/a", "na"}

ROLE_HEADERS = {
    "period": ("period", "期间", "调查期", "季度"),
    "segment": ("segment", "客户类型", "客户类别"),
    "customer": ("customer", "客户", "客户名称"),
    "respondent_id": ("respondent_id", "问卷编号", "编号"),
    "date": ("date", "日期", "填写日期"),
    "focus": ("focus", "最关注", "最关注的项目"),
    "comment": ("comment", "意见建议", "建议"),
}
FOCUS_SPLIT = re.compile(r"[,，、;；/\n]")
QUARTER = re.compile(r"(\d{4})\s*[-_ ]?\s*q([1-4])")
QUARTER_ZH = re.compile(r"(\d{4})年第?([1-4一二三四])季度?")


def normalise(text: str) -> str:
    """NFKC (full width → half width), trimmed, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


LEVEL_OF = {normalise(label): level for level, labels in LEVEL_LABELS.items() for label in labels}


def is_blank(value) -> bool:
    """True for an empty cell as pandas or a reader hands it over."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def answer_level(value) -> int | None:
    """Level 1..5, 0 for not answered, None for a value no rule recognises."""
    if is_blank(value):
        return 0
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        key = str(int(number)) if number.is_integer() else str(number)
    else:
        key = normalise(str(value))
    if key in NOT_ANSWERED:
        return 0
    return LEVEL_OF.get(key)


def period_label(value) -> str:
    """'2026Q1', '2026-Q1', '2026年第1季度' → '2026Q1'; other text trimmed as it is."""
    text = normalise(str(value))
    match = QUARTER.fullmatch(text)
    if match:
        return f"{match[1]}Q{match[2]}"
    match = QUARTER_ZH.fullmatch(text)
    if match:
        quarter = "一二三四".find(match[2]) + 1 or int(match[2])
        return f"{match[1]}Q{quarter}"
    return str(value).strip()


def text_or_none(value) -> str | None:
    return None if is_blank(value) else str(value).strip()


# --- (a) per-row validation in Python ---------------------------------------------------

@dataclass
class Checked:
    """Rows checked by :func:`validate_rows`, column-wise, ready for a DataFrame."""

    items: list[str]
    columns: dict[str, list] = field(default_factory=dict)
    levels: list[list[int]] = field(default_factory=list)      # one list per item
    ticks: list[list[bool]] = field(default_factory=list)      # one list per item
    problems: list[tuple[int, str, object]] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The wide table: roles, valid, reason, one level (0-5) and one tick per item."""
        data = dict(self.columns)
        for i, name in enumerate(self.items):
            data[f"level_{i}"] = np.asarray(self.levels[i], dtype=np.int8)
        for i, name in enumerate(self.items):
            data[f"tick_{i}"] = np.asarray(self.ticks[i], dtype=bool)
        return pd.DataFrame(data)

    def summary(self) -> dict:
        """Returned / valid / invalid by reason, overall and per period."""
        frame = pd.DataFrame({"period": self.columns["period"],
                              "reason": self.columns["invalid_reason"]})
        reasons = frame["reason"].fillna("valid")
        return {
            "returned": len(frame),
            "valid": int((reasons == "valid").sum()),
            "invalid": int((reasons != "valid").sum()),
            "by_reason": reasons[reasons != "valid"].value_counts().sort_index().to_dict(),
            "valid_by_period": frame[reasons == "valid"].groupby("period").size().to_dict(),
        }


def header_roles(headers: list) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Column index of each role found, and the (index, name) of every item column."""
    lookup = {normalise(h): role for role, names in ROLE_HEADERS.items() for h in names}
    roles: dict[str, int] = {}
    items: list[tuple[int, str]] = []
    for index, header in enumerate(headers):
        role = lookup.get(normalise(str(header)))
        if role and role not in roles:
            roles[role] = index
        else:
            items.append((index, str(header).strip()))
    return roles, items


def focus_items(cell, item_keys: dict[str, int]) -> set[int] | None:
    """Item indexes ticked in a focus cell (names or letters); None if a token is unknown."""
    if is_blank(cell):
        return set()
    ticked = set()
    for token in FOCUS_SPLIT.split(str(cell)):
        key = normalise(token)
        if not key:
            continue
        if key not in item_keys:          # names and option letters (A = first item)
            return None
        ticked.add(item_keys[key])
    return ticked


def validate_rows(headers: list, rows) -> Checked:
    """Check every row by METHOD.md, in file order, one Python iteration per row.

    Invalid, in this order: every item blank; answered < half the items; respondent id
    equal (trimmed, NFKC, case-insensitive) to an earlier *valid* one of the same period.
    A row whose cells are all empty is skipped (not returned). Unknown answers or focus
    tokens are listed in ``problems`` (row number as in Excel, column, value).
    """
    roles, item_cols = header_roles(headers)
    names = [name for _, name in item_cols]
    item_keys = {normalise(name): i for i, name in enumerate(names)}
    item_keys.update({chr(ord("a") + i): i for i in range(len(names))})
    n_items, half = len(names), 0.5 * len(names)
    out = Checked(names, {k: [] for k in ("row", "period", "segment", "customer", "respondent_id",
                                          "date", "focus", "comment", "valid", "invalid_reason")},
                  [[] for _ in names], [[] for _ in names])
    col = out.columns
    get = {role: roles.get(role) for role in ROLE_HEADERS}
    seen: set[tuple[str, str]] = set()
    for excel_row, row in enumerate(rows, start=2):
        if all(is_blank(v) or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        levels = []
        for index, name in item_cols:
            level = answer_level(row[index])
            if level is None:
                out.problems.append((excel_row, name, row[index]))
                level = 0
            levels.append(level)
        ticked = focus_items(row[get["focus"]], item_keys) if get["focus"] is not None else set()
        if ticked is None:
            out.problems.append((excel_row, headers[get["focus"]], row[get["focus"]]))
            ticked = set()
        answered = n_items - levels.count(0)
        period = period_label(row[get["period"]])
        rid = text_or_none(row[get["respondent_id"]]) if get["respondent_id"] is not None else None
        reason = None
        if answered == 0:
            reason = "no_answers"
        elif answered < half:
            reason = "too_few_answers"
        elif rid:
            key = (period, normalise(rid))
            if key in seen:
                reason = "duplicate_id"
            else:
                seen.add(key)
        col["row"].append(excel_row)
        col["period"].append(period)
        col["segment"].append(text_or_none(row[get["segment"]]) if get["segment"] is not None else "all")
        col["customer"].append(text_or_none(row[get["customer"]]) if get["customer"] is not None else None)
        col["respondent_id"].append(rid)
        col["date"].append(None if get["date"] is None or is_blank(row[get["date"]]) else row[get["date"]])
        col["focus"].append(text_or_none(row[get["focus"]]) if get["focus"] is not None else None)
        col["comment"].append(text_or_none(row[get["comment"]]) if get["comment"] is not None else None)
        col["valid"].append(reason is None)
        col["invalid_reason"].append(reason)
        for i, level in enumerate(levels):
            out.levels[i].append(level)
            out.ticks[i].append(i in ticked)
    return out


def insert_duckdb(con, checked: Checked) -> int:
    """Insert the checked rows into a wide ``responses`` table in one transaction."""
    frame = checked.frame()
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    level_cols = ", ".join(f"level_{i} TINYINT" for i in range(len(checked.items)))
    tick_cols = ", ".join(f"tick_{i} BOOLEAN" for i in range(len(checked.items)))
    con.execute("BEGIN")
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS responses (row INTEGER, period VARCHAR, segment VARCHAR, "
            "customer VARCHAR, respondent_id VARCHAR, date TIMESTAMP, focus VARCHAR, "
            f"comment VARCHAR, valid BOOLEAN, invalid_reason VARCHAR, {level_cols}, {tick_cols})")
        con.register("incoming", frame)
        con.execute("INSERT INTO responses SELECT * FROM incoming")
        con.unregister("incoming")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(frame)


def pandas_ingest(data: bytes, db_path: str, sheet: str = "responses") -> dict:
    """Peer (a): read with pandas + openpyxl, check row by row, insert into DuckDB.

    Returns the summary of :meth:`Checked.summary` plus ``problems`` (count); a file with
    unknown values is refused (nothing inserted), as METHOD.md asks.
    """
    import duckdb

    frame = pd.read_excel(io.BytesIO(data), engine="openpyxl", sheet_name=sheet)
    checked = validate_rows(list(frame.columns), frame.itertuples(index=False, name=None))
    summary = checked.summary()
    summary["problems"] = len(checked.problems)
    if checked.problems:
        return summary
    con = duckdb.connect(db_path)
    try:
        summary["inserted"] = insert_duckdb(con, checked)
    finally:
        con.close()
    return summary


# --- (b) the bare Rust read -------------------------------------------------------------

def fastexcel_read(data: bytes, sheet: str = "responses"):
    """Peer (b): the bare read of the sheet by fastexcel, every column as strings."""
    import fastexcel

    return fastexcel.read_excel(data).load_sheet(sheet, dtypes="string").to_arrow()


# --- (c) the pandas reference of every number --------------------------------------------

@dataclass
class RawRows:
    """The peer's in-memory state: one row per response with coefficients and ticks."""

    frame: pd.DataFrame          # period, segment, customer (categoricals), valid, c_*, t_*
    items: list[str]
    score_cols: list[str]
    tick_cols: list[str]


def raw_rows(checked: Checked) -> RawRows:
    """Wide frame with coefficient columns (NaN = not answered) and focus tick columns."""
    frame = checked.frame()
    coef = np.array([np.nan, 0.0, 0.2, 0.5, 0.8, 1.0])      # index = level, 0 = not answered
    n = len(checked.items)
    out = pd.DataFrame({
        "period": pd.Categorical(frame["period"]),
        "segment": pd.Categorical(frame["segment"]),
        "customer": pd.Categorical(frame["customer"]),
        "valid": frame["valid"].to_numpy(bool),
    })
    for i in range(n):
        out[f"c_{i}"] = coef[frame[f"level_{i}"].to_numpy()]
    for i in range(n):
        out[f"t_{i}"] = frame[f"tick_{i}"].to_numpy(np.int32)
    return RawRows(out, list(checked.items), [f"c_{i}" for i in range(n)],
                   [f"t_{i}" for i in range(n)])


def read_raw_rows(data: bytes, sheet: str = "responses") -> RawRows:
    """The reference's own way in: fastexcel read + the per-row checks of peer (a)."""
    table = fastexcel_read(data, sheet)
    rows = zip(*(column.to_pylist() for column in table.columns))
    checked = validate_rows(table.column_names, rows)
    if checked.problems:
        raise ValueError(f"unknown values: {checked.problems[:5]}")
    return raw_rows(checked)


@dataclass
class PandasResult:
    item_score: pd.DataFrame     # index (period, segment), columns = items; NaN = nobody answered
    item_weight: pd.DataFrame    # same shape, rows sum to 1
    segment_csi: pd.Series       # index (period, segment)
    total: pd.Series             # index period
    segment_weight: pd.Series    # index (period, segment), as used (sums to 1 per period)


def pandas_compute(raw: RawRows, segment_weights: dict[str, float],
                   item_weights: dict[str, float] | None = None) -> PandasResult:
    """Every period's item scores, item weights, segment CSI and total CSI, by groupby.

    METHOD.md formulas 1-4: s_i = mean coefficient over answered valid responses; w_i =
    focus ticks / Σ ticks of the segment's valid responses (equal if no ticks, or the
    user's ``item_weights``), items nobody answered dropped and the rest renormalised;
    CSI_s = 100·Σ w_i s_i; CSI = Σ W_s CSI_s over the segments present, W renormalised.
    """
    valid = raw.frame[raw.frame["valid"]]
    groups = valid.groupby(["period", "segment"], observed=True, sort=True)
    score = groups[raw.score_cols].mean()
    score.columns = raw.items
    if item_weights is None:
        focus = groups[raw.tick_cols].sum().astype(float)
        focus.columns = raw.items
        focus[focus.sum(axis=1) == 0] = 1.0                  # no focus data: equal weights
    else:
        focus = pd.DataFrame([[float(item_weights.get(i, 0.0)) for i in raw.items]],
                             columns=raw.items).loc[[0] * len(score)].set_axis(score.index)
    focus = focus.where(score.notna(), 0.0)                  # item nobody answered: dropped
    weight = focus.div(focus.sum(axis=1), axis=0)
    segment_csi = 100.0 * (weight * score.fillna(0.0)).sum(axis=1)
    seg_w = pd.Series([float(segment_weights.get(s, 0.0)) for s in score.index.get_level_values(1)],
                      index=score.index)
    seg_w = seg_w / seg_w.groupby(level="period").transform("sum")
    total = (segment_csi * seg_w).groupby(level="period").sum()
    return PandasResult(score, weight, segment_csi, total, seg_w)


def pandas_customer_csi(raw: RawRows, result: PandasResult, period: str) -> pd.Series:
    """CSI of every customer in ``period`` (METHOD.md formula 5), by groupby over raw rows.

    CSI_c = 100·Σ w_i s_i(c) / Σ w_i over the items customer c answered, with the item
    weights of the customer's segment.
    """
    frame = raw.frame
    rows = frame[frame["valid"] & (frame["period"] == period)]
    groups = rows.groupby("customer", observed=True, sort=True)
    scores = groups[raw.score_cols].mean()
    segment = groups["segment"].first()
    weights = result.item_weight.loc[period].reindex(segment.astype(str)).to_numpy()
    return pd.Series(_weighted_csi(scores.to_numpy(), weights), index=scores.index.astype(str))


def pandas_customer_series(raw: RawRows, result: PandasResult, customer: str) -> pd.Series:
    """One customer's CSI in every period it answered (its run chart), from raw rows."""
    frame = raw.frame
    rows = frame[frame["valid"] & (frame["customer"] == customer)]
    groups = rows.groupby("period", observed=True, sort=True)
    scores = groups[raw.score_cols].mean()
    segment = groups["segment"].first().astype(str)
    keys = list(zip(scores.index.astype(str), segment))
    weights = result.item_weight.loc[keys].to_numpy()
    return pd.Series(_weighted_csi(scores.to_numpy(), weights), index=scores.index.astype(str))


def _weighted_csi(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """100·Σ w s / Σ w over the answered (non-NaN) scores of each row."""
    answered = ~np.isnan(scores)
    w = np.where(answered, weights, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * np.where(answered, w * scores, 0.0).sum(axis=1) / w.sum(axis=1)


def pandas_total_variance(raw: RawRows, result: PandasResult) -> pd.Series:
    """The variance of every period's total CSI by linearisation over the raw rows (issue 11):
    z_r = 100·Σ_i w_i a_ri (x_ri − s_i) / n_i per valid questionnaire, Var(CSI_s) =
    m/(m−1)·Σ_r z_r² per (period, segment), Var(CSI) = Σ_s W_s² Var(CSI_s)."""
    valid = raw.frame[raw.frame["valid"]]
    keys = [valid["period"], valid["segment"]]
    groups = valid.groupby(keys, observed=True, sort=True)
    x = valid[raw.score_cols].to_numpy(float)
    answered = ~np.isnan(x)
    n = groups[raw.score_cols].transform("count").to_numpy(float)
    s = groups[raw.score_cols].transform("mean").to_numpy(float)
    index = pd.MultiIndex.from_arrays([valid["period"].astype(str), valid["segment"].astype(str)])
    w = result.item_weight.reindex(index).to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = 100.0 * np.where(answered, w * (x - s) / n, 0.0).sum(axis=1)
    squares = pd.Series(z * z).groupby([valid["period"].to_numpy(), valid["segment"].to_numpy()]).agg(["sum", "count"])
    var = squares["count"] / (squares["count"] - 1) * squares["sum"]
    var.index = var.index.set_names(["period", "segment"])
    weight = result.segment_weight.copy()
    weight.index = weight.index.set_names(["period", "segment"])
    weighted = (weight.reindex(var.index) ** 2 * var)
    return weighted.groupby(level="period").sum()
