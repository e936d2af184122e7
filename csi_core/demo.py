"""Demo survey workbook (演示数据) and the empty template (问卷模板), template v1.

The demo is a made-up but realistic data set of a Chinese gas utility: eight
quarters 2025Q1..2026Q4, three customer segments (客户类型), ten rated items
(综合题) and a multi-select focus question (最关注的项目). It follows the workbook
contract of CONTRACTS.md section 1 and is what the app starts with.

Built-in stories, so every screen has something to show:

* 维修及时 (repair timeliness) for 工商业户 is at or below 70 % in 2025Q3..2026Q1.
* 收费透明 (billing transparency) drops to ~67 % in 2026Q1 after a price change.
* 热线服务 (hotline) falls in 2026Q2 and again in 2026Q3, then recovers in 2026Q4
  after a corrective action (more hotline staff).
* 华东精密机械有限公司 dips under 80 in 2025Q3.
* Every quarter holds invalid questionnaires (无效问卷): all items blank, fewer than
  half of the items answered, and a repeated respondent id (问卷编号).

Only the standard library, numpy and xlsxwriter are used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name


DEFAULT_SEED = 20260101
# The template's example row says so in its comment; csi_core.reading.validate refuses a file
# that still holds it (else the example would be stored as a real questionnaire).

ITEMS: tuple[tuple[str, str], ...] = (
    ("燃气质量", "质量"),
    ("供气稳定性", "交付"),
    ("安全检查", "质量"),
    ("抄表准确", "价格"),
    ("收费透明", "价格"),
    ("维修及时", "交付"),
    ("服务态度", "服务"),
    ("营业厅环境", "服务"),
    ("热线服务", "服务"),
    ("信息告知", "服务"),
)
SEGMENTS: tuple[str, ...] = ("民用户", "工商业户", "公福用户")
PERIODS: tuple[str, ...] = tuple(f"{y}Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4))

# Column headers of sheet `responses`, Chinese aliases of CONTRACTS.md section 1.
LEAD_HEADERS: tuple[str, ...] = ("期间", "客户类型", "客户名称", "问卷编号", "填写日期")
FOCUS_HEADER = "最关注的项目"
COMMENT_HEADER = "意见建议"
ANSWER_LABELS: tuple[str, ...] = ("很满意", "较满意", "一般", "不满意", "很不满意")
_COEFFICIENTS = np.array([1.0, 0.8, 0.5, 0.2, 0.0])  # levels 5..1, METHOD.md 权重3

# Named accounts that return 1-4 questionnaires per quarter.
CUSTOMERS: tuple[tuple[str, str], ...] = tuple(
    (name, "工商业户") for name in (
        "华东精密机械有限公司", "金陵食品加工厂", "鑫源陶瓷有限公司", "恒达纺织有限公司",
        "江南大酒店", "聚福楼餐饮管理有限公司", "宏发汽车零部件有限公司", "新城购物中心",
        "瑞丰印染有限公司", "远航物流园", "天合化工有限公司", "明珠宾馆",
        "永信玻璃制品有限公司", "佳美烘焙连锁", "东方不锈钢制品厂", "绿源洗涤服务有限公司",
    )
) + tuple(
    (name, "公福用户") for name in (
        "市第一人民医院", "市第二人民医院", "市中医院", "市妇幼保健院", "实验小学",
        "第三中学", "师范大学附属中学", "市职业技术学院", "城东社区卫生服务中心",
        "市福利院", "阳光养老院", "市机关事务管理局食堂",
    )
)

# Expected item score (mean coefficient) per item, before offsets.
_BASE_MEAN = {
    "燃气质量": 0.86, "供气稳定性": 0.87, "安全检查": 0.85, "抄表准确": 0.83,
    "收费透明": 0.79, "维修及时": 0.81, "服务态度": 0.86, "营业厅环境": 0.84,
    "热线服务": 0.85, "信息告知": 0.80,
}
_SEGMENT_OFFSET = {"民用户": 0.0, "工商业户": -0.03, "公福用户": 0.0}
_PERIOD_OFFSET = dict(zip(PERIODS, (0.0, 0.005, -0.01, -0.005, 0.0, 0.01, 0.0, 0.005)))
# (item, segment or None for all, period) -> expected score replacing the default.
_OVERRIDES = {  # key accounts add _KEY_ACCOUNT_BONUS on top, so segment means end higher
    ("维修及时", "工商业户", "2025Q3"): 0.60,
    ("维修及时", "工商业户", "2025Q4"): 0.59,
    ("维修及时", "工商业户", "2026Q1"): 0.64,
    ("收费透明", "民用户", "2026Q1"): 0.65,
    ("收费透明", "工商业户", "2026Q1"): 0.64,
    ("热线服务", None, "2026Q2"): 0.76,
    ("热线服务", None, "2026Q3"): 0.66,
    ("热线服务", None, "2026Q4"): 0.86,
}
_CUSTOMER_DIPS = {("华东精密机械有限公司", "2025Q3"): -0.09}  # returns 4 forms that quarter
_KEY_ACCOUNT_BONUS = 0.06

# How often an item is ticked under 最关注的项目, by segment (normalised later).
_FOCUS_BASE = {
    "燃气质量": 0.22, "供气稳定性": 0.13, "安全检查": 0.20, "抄表准确": 0.07,
    "收费透明": 0.10, "维修及时": 0.08, "服务态度": 0.06, "营业厅环境": 0.03,
    "热线服务": 0.06, "信息告知": 0.05,
}
_FOCUS_EXTRA = {"工商业户": {"供气稳定性": 0.06, "维修及时": 0.04}, "公福用户": {"安全检查": 0.05}}
_SEPARATORS = ("、", "，", ",", ", ", ";", "；", "/", "\n")
_SEPARATOR_P = (0.34, 0.18, 0.12, 0.04, 0.06, 0.08, 0.10, 0.08)

_LABEL_VARIANTS = {
    5: (("很满意", "非常满意"), (0.9, 0.1)),
    4: (("较满意", "满意", "比较满意"), (0.82, 0.12, 0.06)),
    3: (("一般", "基本满意"), (0.88, 0.12)),
    2: (("不满意", "不太满意", "较不满意"), (0.85, 0.10, 0.05)),
    1: (("很不满意", "非常不满意"), (0.85, 0.15)),
}
_PADDINGS = (" {}", "{} ", "\u3000{}", "{}\u3000", " {} ")
_NOT_APPLICABLE_P = {"维修及时": 0.12, "营业厅环境": 0.10, "安全检查": 0.03}

_COMPLAINTS = {
    "燃气质量": ("燃气火力有时偏小，做饭不方便。", "冬季用气高峰时压力不足。"),
    "供气稳定性": ("今年停气两次，希望提前通知。", "管网改造期间停气时间太长。"),
    "安全检查": ("安检预约时间不灵活，上班族很难在家。", "希望安检后给出书面整改建议。"),
    "抄表准确": ("抄表数据与实际用量有出入，希望核实。", "建议尽快更换智能燃气表，自动抄表。"),
    "收费透明": ("调价后账单看不懂，希望说明阶梯气价。", "收费明细不清楚，希望在账单上列出。",
                "缴费渠道太少，希望增加微信支付。"),
    "维修及时": ("报修后等了三天才有人上门。", "维修人员到场晚，生产线停了半天。",
                "希望维修能给出明确的到达时间。"),
    "服务态度": ("个别工作人员说话不耐烦。",),
    "营业厅环境": ("营业厅排队时间长，窗口开得少。", "营业厅停车不方便。"),
    "热线服务": ("热线电话一直占线，打了好几次才打通。", "热线客服解答不专业，问题转来转去。",
                "热线等待时间太长。"),
    "信息告知": ("停气通知贴得太晚，没看到。", "希望通过短信推送停气和检修信息。"),
}
_COMMERCIAL_ONLY = {"维修人员到场晚，生产线停了半天。"}
_PRAISE = (
    "总体满意，继续保持。", "服务越来越好，谢谢！", "燃气公司服务周到，值得表扬。",
    "希望多开展安全用气宣传。", "师傅上门维修很及时，态度好。", "线上办理业务很方便。",
    "营业厅工作人员态度很好，点赞！", "安检人员很专业，讲解详细。",
)


def item_headers(items: Sequence[tuple[str, str]] = ITEMS) -> list[str]:
    """Item column names (综合题) in column order."""
    return [name for name, _ in items]


def response_headers(items: Sequence[tuple[str, str]] = ITEMS) -> list[str]:
    """All headers of sheet `responses`, in column order.

    Examples
    --------
    >>> response_headers([("燃气质量", "质量")])
    ['期间', '客户类型', '客户名称', '问卷编号', '填写日期', '燃气质量', '最关注的项目', '意见建议']
    """
    return [*LEAD_HEADERS, *item_headers(items), FOCUS_HEADER, COMMENT_HEADER]


def option_letter(index: int) -> str:
    """Focus option letter (选项) of the item at 0-based ``index``: A, B, ... Z, AA.

    Examples
    --------
    >>> option_letter(0), option_letter(25), option_letter(26)
    ('A', 'Z', 'AA')
    """
    return xl_col_to_name(index)


# ---------------------------------------------------------------- answers


def _calibration(kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Level probabilities of a one-parameter family over a grid, and their means.

    ``"wide"``: p_k ∝ exp(beta·c_k), heavy tails; ``"peaked"``: a discretised normal
    around a location with sd 0.2, mostly the two neighbouring levels.
    """
    if kind == "wide":
        weights = np.exp(np.outer(np.linspace(-15.0, 30.0, 4501), _COEFFICIENTS))
    else:
        location = np.linspace(-1.0, 2.0, 3001)[:, None]
        weights = np.exp(-((_COEFFICIENTS - location) ** 2) / (2 * 0.2**2))
    probabilities = weights / weights.sum(axis=1, keepdims=True)
    return probabilities @ _COEFFICIENTS, probabilities


_FAMILIES = {kind: _calibration(kind) for kind in ("wide", "peaked")}
_FAMILY_SHARE = {"wide": 0.2, "peaked": 0.8}


def level_probabilities(means: np.ndarray) -> np.ndarray:
    """Probabilities of levels 5..1 whose expected coefficient equals ``means``.

    A mixture of a peaked and a wide distribution, both with that mean: most
    answers sit on two neighbouring levels, a few are far off.

    Parameters
    ----------
    means : array of expected item scores in (0, 1).

    Returns
    -------
    Array of shape ``means.shape + (5,)``, each last axis summing to 1.

    Examples
    --------
    >>> p = level_probabilities(np.array([0.85]))
    >>> p.round(2).tolist(), round(float(p[0] @ np.array([1.0, 0.8, 0.5, 0.2, 0.0])), 3)
    ([[0.44, 0.45, 0.1, 0.01, 0.0]], 0.85)
    """
    clipped = np.clip(means, 0.05, 0.95)
    mixture = np.zeros(means.shape + (len(_COEFFICIENTS),))
    for kind, (grid_means, probabilities) in _FAMILIES.items():
        index = np.searchsorted(grid_means, clipped).clip(max=len(grid_means) - 1)
        mixture += _FAMILY_SHARE[kind] * probabilities[index]
    return mixture


def target_mean(item: str, segment: str, period: str) -> float:
    """Expected item score (单项得分) the demo draws answers around."""
    for key in ((item, segment, period), (item, None, period)):
        if key in _OVERRIDES:
            return _OVERRIDES[key]
    return _BASE_MEAN[item] + _SEGMENT_OFFSET[segment] + _PERIOD_OFFSET[period]


def _draw_levels(rng: np.random.Generator, means: np.ndarray) -> np.ndarray:
    """Draw answer levels 5..1 for a (rows, items) array of expected scores."""
    cumulative = level_probabilities(means).cumsum(axis=-1)
    u = rng.random(means.shape)[..., None]
    return 5 - (u > cumulative).sum(axis=-1).clip(max=4)


def _label(rng: np.random.Generator, level: int) -> str | int:
    """One answer cell for ``level``: mostly the standard label, some variants."""
    if level >= 4 and rng.random() < 0.012:
        return int(level)  # a number cell, as some people type it
    labels, p = _LABEL_VARIANTS[level]
    label = labels[rng.choice(len(labels), p=p)]
    if rng.random() < 0.01:
        label = _PADDINGS[rng.integers(len(_PADDINGS))].format(label)
    return label


def _missing_mask(rng: np.random.Generator, n_items: int) -> np.ndarray:
    """Which answers of one valid row are missing.

    Returns an object array: None = answered, "" = blank, "不适用" = not applicable.
    At most three cells are missing, so the row stays a valid questionnaire.
    """
    mask = np.full(n_items, None, dtype=object)
    for j, (name, _) in enumerate(ITEMS):
        if rng.random() < _NOT_APPLICABLE_P.get(name, 0.0):
            mask[j] = "不适用"
        elif rng.random() < 0.015:
            mask[j] = ""
    missing = np.flatnonzero(mask != None)  # noqa: E711 (element-wise)
    mask[missing[3:]] = None
    return mask


def _answer_cells(rng: np.random.Generator, levels: np.ndarray) -> list[str | int | None]:
    """Answer cells of one valid row from its drawn levels."""
    cells: list[str | int | None] = []
    for level, missing in zip(levels, _missing_mask(rng, len(levels))):
        if missing is None:
            cells.append(_label(rng, int(level)))
        else:
            cells.append(missing or None)
    return cells


# ---------------------------------------------------------------- focus and comments


def _focus_probabilities(segment: str) -> np.ndarray:
    """Tick probabilities of each item under 最关注的项目 for ``segment``."""
    extra = _FOCUS_EXTRA.get(segment, {})
    weights = np.array([_FOCUS_BASE[n] + extra.get(n, 0.0) for n, _ in ITEMS])
    return weights / weights.sum()


def _focus_cell(rng: np.random.Generator, segment: str) -> str:
    """A 最关注的项目 cell: 1-3 item names or option letters, mixed separators."""
    k = int(rng.choice([1, 2, 3], p=[0.3, 0.45, 0.25]))
    picked = sorted(rng.choice(len(ITEMS), size=k, replace=False, p=_focus_probabilities(segment)))
    use_letters = rng.random() < 0.4
    parts = [option_letter(j) if use_letters else ITEMS[j][0] for j in picked]
    cell = parts[0]
    for part in parts[1:]:
        cell += _SEPARATORS[rng.choice(len(_SEPARATORS), p=_SEPARATOR_P)] + part
    return cell


def _comment(rng: np.random.Generator, levels: np.ndarray, segment: str) -> str:
    """A 意见建议 text: a complaint about a worst-rated item, or praise."""
    worst = rng.choice(np.flatnonzero(levels == levels.min()))
    texts = _COMPLAINTS[ITEMS[worst][0]] if levels.min() <= 3 else _PRAISE
    if segment != "工商业户":
        texts = tuple(t for t in texts if t not in _COMMERCIAL_ONLY) or _PRAISE
    return texts[rng.integers(len(texts))]


# ---------------------------------------------------------------- respondents


def quarter_dates(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter like ``2026Q1``.

    Examples
    --------
    >>> quarter_dates("2026Q1")
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    """
    year, quarter = int(period[:4]), int(period[-1])
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def _respondents(rng: np.random.Generator, period: str) -> list[tuple[str, str | None]]:
    """(segment, customer) of each questionnaire returned in ``period``."""
    counts = rng.choice([1, 2, 3, 4], size=len(CUSTOMERS), p=[0.12, 0.23, 0.3, 0.35])
    named = [(seg, name) for (name, seg), n in zip(CUSTOMERS, counts)
             for _ in range(4 if (name, period) in _CUSTOMER_DIPS else int(n))]
    total = int(rng.integers(260, 341))
    residential = round(total * rng.uniform(0.57, 0.63))
    others = max(total - residential - len(named), 0)
    small_business = round(others * 0.65)
    # households answer anonymously: a household number as customer would make every
    # one-form household a "customer" with its own CSI and corrective actions
    rows: list[tuple[str, str | None]] = [("民用户", None)] * residential
    rows += [("工商业户", None)] * small_business + [("公福用户", None)] * (others - small_business)
    return rows + named


def _row_means(period: str, people: list[tuple[str, str | None]],
               effects: dict[str, float], rng: np.random.Generator) -> np.ndarray:
    """Expected item scores per respondent: item target + account and personal effects.

    Named key accounts (大客户) have an account manager: they score a little higher
    and vary less from one respondent to the next.
    """
    means = np.empty((len(people), len(ITEMS)))
    personal = np.empty((len(people), 1))
    for r, (segment, customer) in enumerate(people):
        named = customer in effects
        shift = effects.get(customer, 0.0) + _CUSTOMER_DIPS.get((customer, period), 0.0)
        means[r] = [target_mean(name, segment, period) + shift for name, _ in ITEMS]
        personal[r] = rng.normal(0.0, 0.02 if named else 0.04)
    return means + personal


def _blank_row(period: str, segment: str, customer: str | None, date: dt.date) -> dict:
    """A row with every cell None except the respondent's own fields."""
    row: dict = dict.fromkeys(response_headers(), None)
    row.update({"期间": period, "客户类型": segment, "客户名称": customer, "填写日期": date})
    return row


def _valid_row(rng: np.random.Generator, base: dict, levels: np.ndarray) -> dict:
    """Fill answers, focus and (for ~15 % of rows) a comment into ``base``."""
    row = dict(base)
    cells = _answer_cells(rng, levels)
    row.update(zip(item_headers(), cells))
    row[FOCUS_HEADER] = _focus_cell(rng, base["客户类型"])
    if rng.random() < 0.15:
        shown = np.where([c in (None, "不适用") for c in cells], 5, levels)
        row[COMMENT_HEADER] = _comment(rng, shown, base["客户类型"])
    return row


def _few_answers_row(rng: np.random.Generator, base: dict, levels: np.ndarray) -> dict:
    """An invalid row with 1-4 of the 10 items answered (fewer than half)."""
    row = dict(base)
    answered = rng.choice(len(ITEMS), size=int(rng.integers(1, 5)), replace=False)
    for j in answered:
        row[ITEMS[j][0]] = _label(rng, int(levels[j]))
    if rng.random() < 0.5:
        row[FOCUS_HEADER] = _focus_cell(rng, base["客户类型"])
    return row


def _random_date(rng: np.random.Generator, period: str) -> dt.date:
    """A day inside the quarter (填写日期)."""
    first, last = quarter_dates(period)
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def _period_forms(rng: np.random.Generator, period: str, effects: dict[str, float]) -> list[dict]:
    """Valid rows plus all-blank and fewer-than-half rows of one quarter, by date."""
    people = _respondents(rng, period)
    levels = _draw_levels(rng, _row_means(period, people, effects, rng))
    kinds = np.zeros(len(people), dtype=int)  # 0 valid, 1 all blank, 2 few answers
    bad = rng.choice(len(people), size=int(rng.integers(5, 9)), replace=False)
    kinds[bad[: int(rng.integers(2, 4))]] = 1
    kinds[bad[np.flatnonzero(kinds[bad] == 0)]] = 2
    rows = []
    for (segment, customer), lv, kind in zip(people, levels, kinds):
        base = _blank_row(period, segment, customer, _random_date(rng, period))
        make = (_valid_row, None, _few_answers_row)[kind]
        rows.append(make(rng, base, lv) if make else base)
    rows.sort(key=lambda row: row["填写日期"])
    for number, row in enumerate(rows, start=1):
        row["问卷编号"] = f"Q{period}-{number:04d}"
    return rows


def _add_duplicates(rng: np.random.Generator, rows: list[dict], period: str) -> list[dict]:
    """Re-enter 2-3 valid questionnaires later in the quarter under the same id.

    One copy in three spells the id differently (lower case or a trailing space),
    which METHOD.md still counts as the same id.
    """
    valid = [row for row in rows if _answered(row) * 2 >= len(ITEMS)]
    copies = []
    for j in rng.choice(len(valid), size=int(rng.integers(2, 4)), replace=False):
        copy = dict(valid[j])
        copy["填写日期"] = min(copy["填写日期"] + dt.timedelta(days=int(rng.integers(0, 8))),
                           quarter_dates(period)[1])
        if rng.random() < 1 / 3:
            copy["问卷编号"] = str(rng.choice([copy["问卷编号"].lower(), copy["问卷编号"] + " "]))
        copies.append(copy)
    return sorted(rows + copies, key=lambda row: row["填写日期"])


def _answered(row: dict) -> int:
    """Number of item cells of ``row`` that are neither blank nor 不适用."""
    return sum(row[name] not in (None, "不适用") for name, _ in ITEMS)


def demo_rows(seed: int = DEFAULT_SEED) -> list[dict]:
    """All questionnaire rows of the demo, in file order (演示问卷).

    Parameters
    ----------
    seed : the random seed; the same seed gives the same rows.

    Returns
    -------
    One dict per row of sheet `responses`, header -> cell value (str, int,
    ``datetime.date`` or None for a blank cell).

    Examples
    --------
    >>> rows = demo_rows()
    >>> rows[0]["期间"], rows[0]["问卷编号"]
    ('2025Q1', 'Q2025Q1-0001')
    """
    rng = np.random.default_rng(seed)
    spread = rng.normal(0.0, 0.01, len(CUSTOMERS))
    effects = {name: _KEY_ACCOUNT_BONUS + float(e) for (name, _), e in zip(CUSTOMERS, spread)}
    rows: list[dict] = []
    for period in PERIODS:
        rows += _add_duplicates(rng, _period_forms(rng, period, effects), period)
    return rows


def demo_sent(seed: int = DEFAULT_SEED) -> list[dict]:
    """Sheet `sent`: questionnaires sent out per period and segment (发放数).

    Response rates (回收率) are drawn between 85 % and 98 % of the returned rows.
    """
    return _sent_rows(demo_rows(seed), seed)


def _sent_rows(rows: list[dict], seed: int) -> list[dict]:
    """Sent counts for the returned ``rows`` of the demo with ``seed``."""
    rng = np.random.default_rng([seed, 1])
    returned: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["期间"], row["客户类型"])
        returned[key] = returned.get(key, 0) + 1
    return [{"period": p, "segment": s, "sent": math.ceil(n / rng.uniform(0.85, 0.98))}
            for (p, s), n in returned.items()]


# ---------------------------------------------------------------- writing


def _new_workbook(target: io.BytesIO) -> xlsxwriter.Workbook:
    """An in-memory workbook with fixed metadata, so bytes are reproducible."""
    book = xlsxwriter.Workbook(target, {
        "strings_to_formulas": False, "strings_to_numbers": False, "in_memory": True,
    })
    book.set_properties({"title": "CSI survey", "author": "csi_core.demo",
                         "created": dt.datetime(2026, 1, 1)})
    return book


def _formats(book: xlsxwriter.Workbook) -> dict:
    """Shared cell formats: header, date, wrapped text, example row."""
    return {
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "example": book.add_format({"italic": True, "font_color": "#808080"}),
        "example_date": book.add_format({"italic": True, "font_color": "#808080",
                                         "num_format": "yyyy-mm-dd"}),
    }


def _column_width(header: str) -> float:
    """A readable column width for ``header``."""
    widths = {"客户名称": 26, "问卷编号": 15, "填写日期": 12, FOCUS_HEADER: 22, COMMENT_HEADER: 40}
    return widths.get(header, max(10.0, 2.2 * len(header) + 2))


def _write_cell(sheet, r: int, c: int, value, fmt: dict, example: bool = False) -> None:
    """Write one value with the right type (text stays text, dates as Excel dates)."""
    if value is None:
        return
    if isinstance(value, dt.date):
        sheet.write_datetime(r, c, value, fmt["example_date" if example else "date"])
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value, fmt["example"] if example else None)
    else:
        sheet.write_string(r, c, str(value), fmt["example"] if example else None)


def _write_table(book, name: str, headers: list[str], rows: list[dict], fmt: dict,
                 example: bool = False):
    """A sheet with a bold frozen header row, column widths and the ``rows``."""
    sheet = book.add_worksheet(name)
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header, fmt["header"])
        sheet.set_column(c, c, _column_width(header))
    for r, row in enumerate(rows, start=1):
        for c, header in enumerate(headers):
            _write_cell(sheet, r, c, row.get(header), fmt, example)
    sheet.freeze_panes(1, 0)
    return sheet


def _items_rows(items: Sequence[tuple[str, str]]) -> list[dict]:
    """Rows of sheet `items`: item, dimension (维度), option letter (选项)."""
    return [{"item": name, "dimension": dim or None, "option": option_letter(j)}
            for j, (name, dim) in enumerate(items)]


def _write_demo(target: io.BytesIO, seed: int) -> None:
    """Write the demo workbook into ``target``."""
    book = _new_workbook(target)
    fmt = _formats(book)
    headers = response_headers()
    rows = demo_rows(seed)
    sheet = _write_table(book, "responses", headers, rows, fmt)
    sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    _write_table(book, "items", ["item", "dimension", "option"], _items_rows(ITEMS), fmt)
    _write_table(book, "sent", ["period", "segment", "sent"], _sent_rows(rows, seed), fmt)
    book.close()


def demo_bytes(seed: int = DEFAULT_SEED) -> bytes:
    """The demo workbook (sheets `responses`, `items`, `sent`) as .xlsx bytes.

    Examples
    --------
    >>> demo_bytes()[:2]
    b'PK'
    """
    target = io.BytesIO()
    _write_demo(target, seed)
    return target.getvalue()


def write_demo(path: str | Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the demo workbook to ``path`` and return the path."""
    path = Path(path)
    path.write_bytes(demo_bytes(seed))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Write ``demo.xlsx`` and ``template.xlsx`` into ``--out-dir``."""
    parser = argparse.ArgumentParser(prog="python -m csi_core.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", default="data", help="folder to write into (default: data)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed of the demo")
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    print(write_demo(out / "demo.xlsx", seed=args.seed))
    from csi_core.template import write_template  # the template builds on this module

    print(write_template(out / "template.xlsx"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
