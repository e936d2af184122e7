"""Complaints from a workbook: the optional ``complaints`` sheet of the survey workbook
(投诉 too), or a workbook of their own (its first visible sheet). Every cell is checked;
nothing is stored here — the caller shows the records and the problems first.

Values are read the way the complaint record (《客户投诉记录表》) writes them: types
服务产品 / 服务质量 / 合同, classes A / B / C, 是 / 否 for 判定是否成立, the eight steps of
第二十一条 by name or number 1–8, dates as 2026-01-05, 2026/1/5 or 2026年1月5日, the
direct loss in yuan (¥ and thousands separators allowed).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from csi_core.reading import workbook
from csi_core.reading.problems import Problem, WorkbookRefused
from csi_core.reading.scales import clean_text, code_of, get_scale, label_key

SHEETS = ("complaints", "投诉", "投诉记录", "客户投诉记录表")
HEADERS: dict[str, tuple[str, ...]] = {
    "received": ("received", "受理日期", "投诉日期", "投诉时间", "接收日期", "date received"),
    "customer": ("customer", "客户", "客户名称"),
    "segment": ("segment", "客户类型"),
    "branch": ("branch", "分公司", "分公司/部门"),
    "complainant": ("complainant", "投诉人"),
    "channel": ("channel", "投诉渠道", "渠道"),
    "content": ("content", "投诉内容", "内容"),
    "request": ("request", "投诉要求", "客户要求"),
    "valid": ("valid", "是否成立", "判定是否成立", "成立"),
    "validity_reason": ("validity reason", "reason", "判定理由", "理由", "成立理由"),
    "type": ("type", "投诉类型", "类型"),
    "class": ("class", "投诉方类别", "客户类别", "类别", "客户分类"),
    "loss": ("loss", "direct loss", "直接损失", "直接损失（元）", "直接损失(元)", "损失金额"),
    "department": ("department", "责任部门"),
    "person": ("person", "responsible", "责任人"),
    "cause": ("cause", "原因", "原因分析"),
    "solution": ("solution", "处理方案", "解决方案"),
    "instruction": ("instruction", "领导批示", "主管领导批示"),
    "status": ("status", "step", "处理步骤", "处理状态", "状态", "处理进度"),
    "closed": ("closed", "结案日期", "关闭日期", "结案时间"),
    "satisfaction": ("satisfaction", "客户满意度", "处理满意度", "客户对处理的满意程度"),
    "items": ("items", "相关题目", "涉及题目", "调查项目"),
}
TYPE_WORDS = {"product": ("服务产品", "服务产品投诉", "产品", "product", "serviceproduct"),
              "quality": ("服务质量", "服务质量投诉", "质量", "quality", "servicequality"),
              "contract": ("合同", "合同投诉", "contract")}
YES = ("是", "成立", "有效", "yes", "y", "true", "1", "valid")
NO = ("否", "不成立", "无效", "no", "n", "false", "0", "invalid")
STEP_WORDS = {
    "recorded": ("记录投诉内容", "记录", "已记录", "recorded"),
    "validity": ("判定投诉是否成立", "判定是否成立", "判定", "validity", "judged"),
    "assigned": ("确定投诉处理责任部门", "确定责任部门", "已分派", "assigned"),
    "cause": ("责任部门分析投诉原因", "分析原因", "原因分析", "cause", "cause analysed"),
    "solution": ("提出处理方案", "处理方案", "solution", "solution proposed"),
    "instruction": ("提交主管领导批示", "领导批示", "主管领导批示", "instruction", "instructed"),
    "implemented": ("实施处理方案", "实施处理", "已实施", "implemented"),
    "evaluated": ("总结评价", "已结案", "结案", "evaluated", "closed"),
}
SATISFACTION_BY_CODE = {5: "very_satisfied", 4: "satisfied", 3: "neutral", 2: "dissatisfied", 1: "very_dissatisfied"}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


@dataclass(frozen=True)
class ParsedComplaints:
    """What a workbook's complaints sheet holds: the records (fields of
    :data:`csi_core.method.complaints.FIELDS`, plus ``row``) and what is wrong."""

    sheet: str
    records: tuple[dict, ...]
    problems: tuple[Problem, ...]


def _keys(words) -> dict[str, str]:
    return {label_key(w): key for key, ws in words.items() for w in ws}


_TYPES, _STEPS = _keys(TYPE_WORDS), _keys(STEP_WORDS)
_STEP_NUMBERS = {str(n): s for n, s in enumerate(STEP_WORDS, start=1)}


def parse_date(text: str) -> dt.date | None:
    """A date cell as text → date; None for text that is not one (an Excel serial too).

    >>> parse_date("2026-01-05"), parse_date("2026年1月5日"), parse_date("2026/1/5 00:00:00"), parse_date("46027")
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5), datetime.date(2026, 1, 5), datetime.date(2026, 1, 5))
    >>> parse_date("2026-02-30") is None
    True
    """
    text = clean_text(text)
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial day number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    m = _DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_loss(text: str) -> float | None:
    """A direct loss in yuan: "12,000", "¥ 1000", "5万" (× 10 000); ``ValueError`` when not a
    number ≥ 0.

    >>> parse_loss("12,000"), parse_loss("¥1 000元"), parse_loss("5万"), parse_loss("")
    (12000.0, 1000.0, 50000.0, None)
    """
    text = clean_text(text).replace(",", "").replace("，", "").replace(" ", "")
    text = text.replace("¥", "").replace("￥", "").replace("元", "").replace("RMB", "").replace("rmb", "")
    if not text:
        return None
    factor = 10_000 if text.endswith("万") else 1
    value = float(text.rstrip("万")) * factor
    if value < 0 or value != value:
        raise ValueError(text)
    return value


def read(data: bytes, filename: str = "", own: bool = True) -> ParsedComplaints | None:
    """The complaints of a workbook: its ``complaints`` / ``投诉`` sheet, else (``own``: a
    workbook of complaints alone) its first visible sheet; None when ``own`` is false and
    there is no complaints sheet (a survey workbook without one). ``WorkbookRefused``
    when the file cannot be read or the sheet has no received-date column."""
    reader = workbook.open_workbook(data)
    names = list(reader.sheet_names)
    sheet = next((n for w in SHEETS for n in names if label_key(n) == label_key(w)), None)
    if sheet is None:
        if not own:
            return None
        sheet = workbook.responses_sheet(reader)
    raw = workbook.read_sheet(reader, sheet)
    known = {label_key(h): f for f, hs in HEADERS.items() for h in hs}
    cols = {}
    for c in raw.columns:
        field = known.get(label_key(c.header))
        if field and field not in cols:
            cols[field] = c
    if "received" not in cols:
        raise WorkbookRefused([Problem("complaint_no_received", sheet=sheet, row=raw.header_row,
                                       params=(("expected", " / ".join(HEADERS["received"][:4])),))])
    values = {f: c.values.to_pylist() for f, c in cols.items()}
    records, problems = [], []
    for i, row in enumerate(raw.rows.tolist()):
        cell = {f: clean_text(values[f][i]) for f in values}
        record, bad = parse_row(cell)
        for field, code, value in bad:
            c = cols[field]
            problems.append(Problem(code, sheet=sheet, row=row, column=c.letter, header=c.header, value=value))
        records.append({**record, "row": row})
    return ParsedComplaints(sheet, tuple(records), tuple(problems))


def parse_row(cell: dict[str, str]) -> tuple[dict, list[tuple[str, str, str]]]:
    """One complaint from its cells' texts: the record and the (field, problem code,
    value) of every cell that cannot be read."""
    record: dict = {f: cell.get(f, "") or None for f in HEADERS if f not in
                    ("received", "closed", "valid", "type", "class", "loss", "status", "satisfaction")}
    bad = []
    received = cell.get("received", "")
    record["received"] = parse_date(received) if received else None
    if record["received"] is None:
        bad.append(("received", "complaint_bad_date" if received else "complaint_no_date", received))
    closed = cell.get("closed", "")
    record["closed"] = parse_date(closed) if closed else None
    if closed and record["closed"] is None:
        bad.append(("closed", "complaint_bad_date", closed))
    elif record["closed"] and record["received"] and record["closed"] < record["received"]:
        bad.append(("closed", "complaint_closed_before", closed))
    valid = label_key(cell.get("valid", ""))
    record["valid"] = True if valid in YES else False if valid in NO else None
    if valid and record["valid"] is None:
        bad.append(("valid", "complaint_bad_valid", cell["valid"]))
    kind = label_key(cell.get("type", ""))
    record["type"] = _TYPES.get(kind)
    if kind and record["type"] is None:
        bad.append(("type", "complaint_bad_type", cell["type"]))
    klass = label_key(cell.get("class", "")).removesuffix("类").upper()
    record["class"] = klass if klass in ("A", "B", "C") else None
    if klass and record["class"] is None:
        bad.append(("class", "complaint_bad_class", cell["class"]))
    try:
        record["loss"] = parse_loss(cell.get("loss", ""))
    except ValueError:
        record["loss"] = None
        bad.append(("loss", "complaint_bad_loss", cell["loss"]))
    step = label_key(cell.get("status", ""))
    record["status"] = _STEPS.get(step) or _STEP_NUMBERS.get(step) or (None if step else "recorded")
    if record["status"] is None:
        bad.append(("status", "complaint_bad_status", cell["status"]))
    satisfaction = cell.get("satisfaction", "")
    record["satisfaction"] = None
    if satisfaction:
        try:
            record["satisfaction"] = SATISFACTION_BY_CODE[code_of(satisfaction, get_scale("default"))]
        except (ValueError, KeyError):
            bad.append(("satisfaction", "complaint_bad_satisfaction", satisfaction))
    return record, bad
