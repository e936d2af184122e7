"""Deterministic survey workbooks (template v1) for the benchmarks.

``write_workbook(path, n_rows, seed)`` writes sheet ``responses`` with English role headers
(``period, segment, customer, respondent_id, date, <20 items>, focus, comment``): 8 periods
2025Q1..2026Q4, segments residential / commercial / public, 2 000 customers (each in one
segment). Answers are mostly the five Chinese labels, some numbers 1-5 (number cells), a few
label variants, ~3 % blank, ~1 % 不适用 / N/A. Focus cells list 1-3 item names or option
letters joined by ``、`` or ``,``. A few rows are invalid on purpose (METHOD.md): every item
blank, fewer than half of the items answered, and respondent ids repeated within a period
(sometimes in another case, width or with spaces).

Everything is drawn with numpy from ``seed``: the same arguments give the same cells. The
file is written with xlsxwriter in ``constant_memory`` mode, so strings are stored inline
(``t="inlineStr"``) rather than in a shared-string table, as Excel itself would.

``cached_workbook(n_rows, seed)`` keeps generated files in ``bench/data/`` (gitignored).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xlsxwriter

#: Bump when the generator changes, so cached files are made anew.
GENERATOR_VERSION = 1

CACHE_DIR = Path(__file__).resolve().parent / "data"

ITEMS = [
    "燃气质量", "供气稳定", "安全检查", "抄表准确", "收费合理",
    "缴费便利", "报修响应", "维修质量", "服务态度", "热线接通",
    "信息告知", "停气通知", "营业厅环境", "办理效率", "投诉处理",
    "安装质量", "计量准确", "账单清晰", "网上服务", "整体印象",
]
LETTERS = [chr(ord("A") + i) for i in range(len(ITEMS))]
SEGMENTS = ["residential", "commercial", "public"]
SEGMENT_SHARE = [0.6, 0.3, 0.1]
HEADERS = ["period", "segment", "customer", "respondent_id", "date", *ITEMS, "focus", "comment"]
SHEET = "responses"

#: Canonical labels by level 5..1 (index 0 = level 5) and the variants METHOD.md accepts.
LABELS = ["很满意", "较满意", "一般", "不满意", "很不满意"]
VARIANTS = ["非常满意", "满意", "基本满意", "不太满意", "非常不满意"]
COMMENTS = [
    "希望缩短报修等待时间", "账单看不懂", "服务很好,谢谢", "=希望降低价格",
    "营业厅排队太久", "  ", "安检人员很专业", "+86 热线总是占线",
]


def periods(n_periods: int = 8, first_year: int = 2025) -> list[str]:
    """Quarter labels from ``first_year``Q1 on, e.g. ``['2025Q1', ..., '2026Q4']``."""
    return [f"{first_year + q // 4}Q{q % 4 + 1}" for q in range(n_periods)]


def customers(n_customers: int = 2000) -> tuple[list[str], np.ndarray]:
    """Customer names and the segment index of each (60 / 30 / 10 %)."""
    names = [f"客户{c:04d}" for c in range(1, n_customers + 1)]
    bounds = np.cumsum(SEGMENT_SHARE) * n_customers
    segment = np.searchsorted(bounds, np.arange(n_customers), side="right")
    return names, segment.astype(np.int8)


def _levels(rng: np.random.Generator, customer: np.ndarray, period: np.ndarray,
            n_customers: int) -> np.ndarray:
    """Answer level 1..5 of every row and item, from a latent satisfaction score."""
    n = customer.size
    customer_effect = rng.normal(0.0, 0.5, n_customers).astype(np.float32)
    item_effect = rng.normal(0.0, 0.35, len(ITEMS)).astype(np.float32)
    trend = np.float32(0.04) * period.astype(np.float32)
    latent = rng.standard_normal((n, len(ITEMS)), dtype=np.float32)
    latent += customer_effect[customer][:, None] + item_effect[None, :] + trend[:, None]
    # thresholds give roughly 35 / 40 / 15 / 6 / 4 % at levels 5..1
    cuts = np.array([-1.9, -1.4, -0.55, 0.45], dtype=np.float32)
    return (np.searchsorted(cuts, latent.ravel()).reshape(n, len(ITEMS)) + 1).astype(np.int8)


def _answer_cells(rng: np.random.Generator, levels: np.ndarray) -> np.ndarray:
    """Cell values (object array): label str, int 1-5, '不适用'/'N/A', or None (blank)."""
    n, k = levels.shape
    kind = rng.random((n, k))
    cells = np.empty((n, k), dtype=object)
    canonical = np.array(LABELS, dtype=object)[5 - levels]
    variant = np.array(VARIANTS, dtype=object)[5 - levels]
    numbers = np.array([None, 1, 2, 3, 4, 5], dtype=object)[levels]
    cells[:] = canonical
    cells[kind < 0.10] = numbers[kind < 0.10]                       # ~7 % number cells
    cells[(kind >= 0.10) & (kind < 0.12)] = variant[(kind >= 0.10) & (kind < 0.12)]
    cells[kind < 0.03] = None                                        # ~3 % blank
    na = (kind >= 0.03) & (kind < 0.04)                              # ~1 % not applicable
    not_answered = np.array(["不适用", "N/A"], dtype=object)
    cells[na] = not_answered[(rng.random(int(na.sum())) >= 0.9).astype(np.int8)]
    return cells


def _make_invalid(rng: np.random.Generator, cells: np.ndarray) -> None:
    """Blank every item of ~0.3 % of rows; leave only 2-9 answers in another ~0.3 %."""
    n, k = cells.shape
    pick = rng.random(n)
    cells[pick < 0.003] = None
    few = np.flatnonzero((pick >= 0.003) & (pick < 0.006))
    for row, keep in zip(few, rng.integers(2, k // 2, few.size)):
        drop = rng.permutation(k)[keep:]
        cells[row, drop] = None


def _focus_cells(rng: np.random.Generator, segment: np.ndarray) -> list[str | None]:
    """1-3 distinct items per row, names or letters, joined by '、' or ','; ~5 % blank."""
    n, k = segment.size, len(ITEMS)
    popularity = 1.0 / np.arange(1, k + 1) ** 0.8
    log_p = np.log(np.stack([rng.permutation(popularity) for _ in SEGMENTS]))
    keys = log_p[segment] + rng.gumbel(size=(n, k))                  # Gumbel top-k sampling
    top = np.argsort(-keys, axis=1)[:, :3]
    how_many = rng.choice([1, 2, 3], size=n, p=[0.3, 0.4, 0.3])
    as_letter = rng.random((n, 3)) < 0.4
    tokens = np.where(as_letter, np.array(LETTERS, dtype=object)[top],
                      np.array(ITEMS, dtype=object)[top])
    sep = np.where(rng.random(n) < 0.6, "、", ",")
    blank = rng.random(n) < 0.05
    return [None if b else s.join(t[:m])
            for t, m, s, b in zip(tokens.tolist(), how_many.tolist(), sep.tolist(), blank.tolist())]


def _respondent_ids(rng: np.random.Generator, period: np.ndarray) -> list[str]:
    """Unique ids, except ~0.3 % rows that repeat the previous row's id in the same period."""
    n = period.size
    ids = [f"R{i:07d}" for i in range(1, n + 1)]
    repeat = np.flatnonzero(rng.random(n) < 0.003)
    repeat = repeat[(repeat > 0) & (period[repeat] == period[repeat - 1])]
    style = rng.integers(0, 4, repeat.size)
    for row, how in zip(repeat.tolist(), style.tolist()):
        same = ids[row - 1]
        ids[row] = [same, same.lower(), f" {same} ", "Ｒ" + same[1:]][how]
    return ids


def _dates(rng: np.random.Generator, period: np.ndarray, first_year: int) -> np.ndarray:
    """Excel serial dates inside each row's quarter."""
    month = np.datetime64(f"{first_year}-01", "M") + (3 * period).astype("timedelta64[M]")
    day = month.astype("datetime64[D]") + rng.integers(0, 88, period.size).astype("timedelta64[D]")
    return (day - np.datetime64("1899-12-30")).astype(np.int64)


def generate(n_rows: int, seed: int = 0, n_periods: int = 8, n_customers: int = 2000,
             first_year: int = 2025) -> dict:
    """All columns of the workbook as Python lists / numpy arrays (rows sorted by period)."""
    rng = np.random.default_rng([seed, n_rows, n_periods, n_customers])
    names, customer_segment = customers(n_customers)
    period = np.sort(rng.integers(0, n_periods, n_rows))
    customer = rng.integers(0, n_customers, n_rows)
    segment = customer_segment[customer]
    cells = _answer_cells(rng, _levels(rng, customer, period, n_customers))
    _make_invalid(rng, cells)
    comment_pick = rng.integers(0, len(COMMENTS), n_rows)
    has_comment = rng.random(n_rows) < 0.03
    return {
        "period": np.array(periods(n_periods, first_year), dtype=object)[period].tolist(),
        "segment": np.array(SEGMENTS, dtype=object)[segment].tolist(),
        "customer": np.array(names, dtype=object)[customer].tolist(),
        "respondent_id": _respondent_ids(rng, period),
        "date": _dates(rng, period, first_year).tolist(),
        "answers": cells.tolist(),
        "focus": _focus_cells(rng, segment),
        "comment": [COMMENTS[c] if h else None
                    for c, h in zip(comment_pick.tolist(), has_comment.tolist())],
    }


def write_workbook(path: str | os.PathLike, n_rows: int, seed: int = 0, *,
                   n_periods: int = 8, n_customers: int = 2000) -> Path:
    """Write a template-v1 workbook of ``n_rows`` responses to ``path``; return the path."""
    cols = generate(n_rows, seed, n_periods, n_customers)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet(SHEET)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, HEADERS)
    _write_rows(ws, cols, date_fmt)
    wb.close()
    return Path(path)


def _write_rows(ws, cols: dict, date_fmt) -> None:
    """Cell by cell, in row order (constant_memory mode); blanks are not written."""
    write_string, write_number = ws.write_string, ws.write_number
    focus_col, comment_col = 5 + len(ITEMS), 6 + len(ITEMS)
    rows = zip(cols["period"], cols["segment"], cols["customer"], cols["respondent_id"],
               cols["date"], cols["answers"], cols["focus"], cols["comment"])
    for r, (period, segment, customer, rid, date, answers, focus, comment) in enumerate(rows, 1):
        write_string(r, 0, period)
        write_string(r, 1, segment)
        write_string(r, 2, customer)
        write_string(r, 3, rid)
        write_number(r, 4, date, date_fmt)
        for c, value in enumerate(answers, 5):
            if value is None:
                continue
            if value.__class__ is str:
                write_string(r, c, value)
            else:
                write_number(r, c, value)
        if focus is not None:
            write_string(r, focus_col, focus)
        if comment is not None:
            write_string(r, comment_col, comment)


def cached_workbook(n_rows: int, seed: int = 0, *, n_periods: int = 8,
                    n_customers: int = 2000, cache_dir: str | os.PathLike | None = None) -> Path:
    """Path of the workbook for these arguments, generated into ``bench/data/`` once."""
    folder = Path(cache_dir) if cache_dir is not None else CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    name = f"responses_v{GENERATOR_VERSION}_n{n_rows}_p{n_periods}_c{n_customers}_s{seed}.xlsx"
    path = folder / name
    if not path.exists():
        partial = folder / f".{name}.{os.getpid()}.part"
        write_workbook(partial, n_rows, seed, n_periods=n_periods, n_customers=n_customers)
        os.replace(partial, path)
    return path


@dataclass(frozen=True)
class Workload:
    """The generated data one benchmark run works on (the same for ours and the peer)."""

    n_rows: int
    seed: int = 0
    n_periods: int = 8
    n_customers: int = 2000

    def path(self) -> Path:
        """The cached workbook, generated on first use."""
        return cached_workbook(self.n_rows, self.seed, n_periods=self.n_periods,
                               n_customers=self.n_customers)
