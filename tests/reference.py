"""An independent, deliberately naive implementation of METHOD.md for tests.

It shares no code with csi_core: openpyxl reads the cells, plain Python loops apply
the rules row by row, and it returns the fields of CONTRACTS.md's JSON. Golden files
are written from it, and tests compare csi_core against it.
"""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

import openpyxl

COEF = {5: 1.0, 4: 0.8, 3: 0.5, 2: 0.2, 1: 0.0}
LABELS = {
    "很满意": 5, "非常满意": 5, "verysatisfied": 5,
    "较满意": 4, "比较满意": 4, "满意": 4, "satisfied": 4,
    "一般": 3, "基本满意": 3, "neutral": 3,
    "不满意": 2, "较不满意": 2, "不太满意": 2, "dissatisfied": 2,
    "很不满意": 1, "非常不满意": 1, "verydissatisfied": 1,
}
BLANK = {"", "不适用", "n/a", "na"}
ROLE = {
    "period": "period", "期间": "period", "调查期": "period", "季度": "period",
    "segment": "segment", "客户类型": "segment", "客户类别": "segment",
    "customer": "customer", "客户": "customer", "客户名称": "customer",
    "respondent_id": "id", "问卷编号": "id", "编号": "id",
    "date": "date", "日期": "date", "填写日期": "date",
    "focus": "focus", "最关注": "focus", "最关注的项目": "focus",
    "comment": "comment", "意见建议": "comment", "建议": "comment",
    "overall": "overall", "总体满意度": "overall", "整体满意度": "overall",
}
Z95 = 1.959964


def key(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)).lower())


def level(value) -> int | None:
    k = key(value)
    if k in BLANK:
        return None
    if k in LABELS:
        return LABELS[k]
    if re.fullmatch(r"[1-5](\.0+)?", k):
        return int(float(k))
    raise ValueError(f"unknown answer {value!r}")


def period_of(value) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))).upper()
    m = re.fullmatch(r"(\d{4})[-_/.]?Q([1-4])", text) or re.fullmatch(r"(\d{4})年第?([1-4一二三四])季度?", text)
    if m:
        return f"{m.group(1)}Q{'一二三四'.index(m.group(2)) + 1 if m.group(2) in '一二三四' else m.group(2)}"
    m = re.fullmatch(r"(\d{4})[-_/.]?H([12])", text)
    if m:
        return f"{m.group(1)}H{m.group(2)}"
    raise ValueError(f"period {value!r} not handled by the reference")


def half_up(x: float) -> float:
    return float(Decimal(repr(round(x, 9))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def grade(csi: float) -> str:
    r = half_up(csi)
    if r >= 98.0:
        return "very_satisfied"
    if r >= 90.1:
        return "satisfied"
    if r >= 75.1:
        return "fairly_satisfied"
    if r >= 60.0:
        return "dissatisfied"
    return "very_dissatisfied"


def read_rows(path: str):
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book["responses"] if "responses" in book.sheetnames else book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = [key(h) for h in rows[0]]
    raw_header = [None if h is None else unicodedata.normalize("NFKC", str(h)).strip() for h in rows[0]]
    items = [(j, raw_header[j]) for j, h in enumerate(header) if h and h not in ROLE]
    roles = {ROLE[h]: j for j, h in enumerate(header) if h in ROLE}
    out = []
    for r in rows[1:]:
        if all(v is None or str(v).strip() == "" for v in r):
            continue
        get = lambda role: r[roles[role]] if role in roles and roles[role] < len(r) else None  # noqa: E731
        out.append({
            "period": period_of(get("period")),
            "segment": unicodedata.normalize("NFKC", str(get("segment"))).strip() if "segment" in roles else "all",
            "customer": "" if get("customer") is None else unicodedata.normalize("NFKC", str(get("customer"))).strip(),
            "id": key(get("id")),
            "focus": "" if get("focus") is None else str(get("focus")),
            "levels": [level(r[j] if j < len(r) else None) for j, _ in items],
            "overall": level(get("overall")) if "overall" in roles else None,
        })
    return [name for _, name in items], out


def focus_items(cell: str, items: list[str]) -> set[int]:
    out = set()
    cell = unicodedata.normalize("NFKC", cell)
    for j, name in enumerate(items):
        if "/" in name and name in cell:
            out.add(j)
            cell = cell.replace(name, ",")
    for token in re.split(r"[,，、;；/\n\r]+", cell):
        t = key(token)
        if not t:
            continue
        names = [key(n) for n in items]
        if t in names:
            out.add(names.index(t))
        elif len(t) == 1 and "a" <= t <= "z" and ord(t) - 97 < len(items):
            out.add(ord(t) - 97)
        else:
            raise ValueError(f"unknown focus {token!r}")
    return out


def mark_valid(rows: list[dict], n_items: int) -> None:
    seen = set()
    for row in rows:
        answered = sum(v is not None for v in row["levels"])
        if answered == 0:
            row["valid"] = False
        elif answered < 0.5 * n_items:
            row["valid"] = False
        elif row["id"] and (row["period"], row["id"]) in seen:
            row["valid"] = False
        else:
            row["valid"] = True
            if row["id"]:
                seen.add((row["period"], row["id"]))


def score(rows: list[dict], j: int) -> tuple[float | None, int]:
    answers = [r["levels"][j] for r in rows if r["levels"][j] is not None]
    if not answers:
        return None, 0
    return sum(COEF[a] for a in answers) / len(answers), len(answers)


def compute(path: str, segment_weights: dict[str, float] | None = None) -> dict:
    """The contract JSON's core fields for a workbook, the slow and obvious way."""
    items, rows = read_rows(path)
    mark_valid(rows, len(items))
    out = {}
    for period in sorted({r["period"] for r in rows}):
        in_period = [r for r in rows if r["period"] == period]
        valid = [r for r in in_period if r["valid"]]
        segments = list(dict.fromkeys(r["segment"] for r in in_period))
        seg_out, weights_of = {}, {}
        for seg in segments:
            rs = [r for r in valid if r["segment"] == seg]
            if not rs:
                continue
            scores = {j: score(rs, j) for j in range(len(items))}
            answered = [j for j in scores if scores[j][1] > 0]
            ticks = {j: 0 for j in answered}
            for r in rs:
                for j in focus_items(r["focus"], items):
                    if j in ticks:
                        ticks[j] += 1
            total_ticks = sum(ticks.values())
            w = {j: (ticks[j] / total_ticks if total_ticks else 1 / len(answered)) for j in answered}
            weights_of[seg] = w
            seg_out[seg] = {
                "csi": 100 * sum(w[j] * scores[j][0] for j in answered),
                "valid": len(rs),
                "items": {items[j]: {"score": scores[j][0], "weight": w[j], "n": scores[j][1]} for j in answered},
            }
        given = segment_weights or {s: 1.0 for s in seg_out}
        wsum = sum(given.get(s, 0) for s in seg_out)
        sw = {s: given.get(s, 0) / wsum for s in seg_out}
        total = sum(sw[s] * seg_out[s]["csi"] for s in seg_out)
        customers = {}
        for r in valid:
            if r["customer"]:
                customers.setdefault(r["customer"], []).append(r)
        cust_out = {}
        for name, rs in customers.items():
            seg = rs[0]["segment"]
            w = weights_of[seg]
            sc = {j: score(rs, j) for j in w}
            answered = [j for j in w if sc[j][1] > 0]
            ws = sum(w[j] for j in answered)
            csi = 100 * sum(w[j] / ws * sc[j][0] for j in answered)
            cust_out[name] = {"segment": seg, "csi": csi, "grade": grade(csi), "valid": len(rs),
                              "item_scores": {items[j]: sc[j][0] for j in answered}}
        actions = []
        if half_up(total) < 80:
            actions.append({"kind": "overall", "csi": total})
        for seg, s in seg_out.items():
            for item, it in s["items"].items():
                if half_up(100 * it["score"]) <= 70:
                    actions.append({"kind": "item", "segment": seg, "item": item, "score": it["score"]})
        for name, c in cust_out.items():
            if half_up(c["csi"]) < 80:
                actions.append({"kind": "customer", "customer": name, "csi": c["csi"]})
        for name, c in cust_out.items():
            for item, sc_ in c["item_scores"].items():
                if half_up(100 * sc_) <= 70:
                    actions.append({"kind": "customer_item", "customer": name, "item": item, "score": sc_})
        variances = add_intervals(valid, items, seg_out, weights_of, sw, cust_out, customers)
        for c in cust_out.values():
            del c["item_scores"]
        out[period] = {
            "csi": total, "grade": grade(total), "segment_weights": sw,
            "responses": {"returned": len(in_period), "valid": len(valid), "invalid": len(in_period) - len(valid)},
            "segments": seg_out, "customers": cust_out, "actions": actions,
            "ci95": ci(total, variances), "grade_margin": margin(seg_out, sw, total),
        }
    add_changes(out)
    return {"periods": out}


# --- statistics (issue 11), the slow way: a loop over questionnaires per formula -------------
def ci(estimate, variance):
    if variance is None:
        return None
    return [estimate - Z95 * math.sqrt(variance), estimate + Z95 * math.sqrt(variance)]


def segment_variance(rs: list[dict], w: dict[int, float]) -> float | None:
    """m/(m−1) · Σ_r z_r², z_r = 100 · Σ_i w_i a_ri (x_ri − s_i) / n_i."""
    if len(rs) < 2:
        return None
    sc = {j: score(rs, j) for j in w}
    z = [100 * sum(w[j] * (COEF[r["levels"][j]] - sc[j][0]) / sc[j][1] for j in w if r["levels"][j] is not None)
         for r in rs]
    return len(rs) / (len(rs) - 1) * sum(v * v for v in z)


def add_intervals(valid, items, seg_out, weights_of, sw, cust_out, customers) -> float | None:
    """ci95 of segments, items and customers (in place), derived importance; the total's variance."""
    total_var = 0.0
    for seg, out in seg_out.items():
        rs = [r for r in valid if r["segment"] == seg]
        var = segment_variance(rs, weights_of[seg])
        out["ci95"] = ci(out["csi"], var)
        if sw[seg] > 0:
            total_var = None if var is None or total_var is None else total_var + sw[seg] ** 2 * var
        derived = relative_weights(rs, sorted(weights_of[seg]))
        for j, name in enumerate(items):
            if name not in out["items"]:
                continue
            it = out["items"][name]
            xs = [COEF[r["levels"][j]] for r in rs if r["levels"][j] is not None]
            it["ci95"] = ci(it["score"], sum((x - it["score"]) ** 2 for x in xs) / (len(xs) * (len(xs) - 1))
                            if len(xs) >= 2 else None)
            it["importance"] = {"stated": weights_of[seg][j], "derived": None if derived is None else derived[j]}
    for name, c in cust_out.items():
        rs = customers[name]
        w = weights_of[rs[0]["segment"]]
        answered = [j for j in w if score(rs, j)[1] > 0]
        ws = sum(w[j] for j in answered)
        c["ci95"] = ci(c["csi"], segment_variance(rs, {j: w[j] / ws for j in answered}))
    return total_var


def relative_weights(rs: list[dict], answered: list[int]) -> dict[int, float] | None:
    """Johnson's (2000) relative weights by his own route: the SVD X = PΔQᵀ of the
    standardised items, Z = PQᵀ, β = regression of y on Z, Λ = regression of X on Z,
    ε_j = Σ_k Λ_jk² β_k², as shares of their sum (R²)."""
    import numpy as np  # only here: the rest of the reference is plain Python

    rows = [r for r in rs if r["overall"] is not None and all(r["levels"][j] is not None for j in answered)]
    if not rows or len(rows) < len(answered) + 2:
        return None
    x = np.array([[COEF[r["levels"][j]] for j in answered] for r in rows])
    y = np.array([COEF[r["overall"]] for r in rows])
    x = (x - x.mean(0)) / x.std(0)
    y = (y - y.mean()) / y.std()
    p, d, qt = np.linalg.svd(x, full_matrices=False)
    z = p @ qt
    beta = np.linalg.lstsq(z, y, rcond=None)[0]
    lam = np.linalg.lstsq(z, x, rcond=None)[0]
    eps = (lam.T ** 2) @ (beta ** 2)
    return {j: float(e / eps.sum()) for j, e in zip(answered, eps)}


def margin(seg_out: dict, sw: dict, total: float) -> dict | None:
    """The smallest move of 0.1, 0.2 … points of weight from one segment to another that
    changes the grade, tried one by one."""
    now = grade(total)
    for tenth in range(1, 1001):
        points = tenth / 10
        for a in seg_out:
            for b in seg_out:
                if a == b or points > 100 * sw[a] + 1e-9:
                    continue
                moved = total + points / 100 * (seg_out[b]["csi"] - seg_out[a]["csi"])
                if grade(moved) != now:
                    return {"points": points, "from": a, "to": b}
    return None


def add_changes(out: dict) -> None:
    """change and control of the total, segments and items against earlier periods."""
    periods = list(out)
    for k, period in enumerate(periods):
        here = out[period]
        before = [out[q] for q in periods[:k]]
        here["change"] = change_of(periods[:k], [b["csi"] for b in before], [b["ci95"] for b in before],
                                   here["csi"], here["ci95"])
        here["control"] = control_of([b["csi"] for b in before] + [here["csi"]])
        for seg, s in here["segments"].items():
            olds = [b["segments"].get(seg) for b in before]
            s["change"] = change_of(periods[:k], [o and o["csi"] for o in olds], [o and o["ci95"] for o in olds],
                                    s["csi"], s["ci95"])
            s["control"] = control_of([o["csi"] for o in olds if o] + [s["csi"]])
            for name, it in s["items"].items():
                old_items = [o and o["items"].get(name) for o in olds]
                it["change"] = change_of(periods[:k], [o and o["score"] for o in old_items],
                                         [o and o["ci95"] for o in old_items], it["score"], it["ci95"])


def change_of(periods, values, cis, now, now_ci):
    for q in range(len(values) - 1, -1, -1):
        if values[q] is not None:
            delta = now - values[q]
            if cis[q] is None or now_ci is None:
                return {"from": periods[q], "delta": delta, "ci95": None, "significant": None}
            half = math.sqrt(((now_ci[1] - now_ci[0]) / 2) ** 2 + ((cis[q][1] - cis[q][0]) / 2) ** 2)
            lo, hi = delta - half, delta + half
            return {"from": periods[q], "delta": delta, "ci95": [lo, hi], "significant": lo > 0 or hi < 0}
    return None


def control_of(values: list[float]):
    if len(values) < 5:
        return None
    centre = sum(values) / len(values)
    mr = sum(abs(b - a) for a, b in zip(values, values[1:])) / (len(values) - 1)
    lcl, ucl = centre - 2.66 * mr, centre + 2.66 * mr
    last = values[-8:]
    signal = ("outside" if not lcl <= values[-1] <= ucl else
              "run" if len(last) == 8 and (all(v > centre for v in last) or all(v < centre for v in last)) else None)
    return {"centre": centre, "lcl": lcl, "ucl": ucl, "signal": signal}


def assert_same(ours: dict, reference: dict, tol: float = 1e-9, path: str = "") -> None:
    """Every field of ``reference`` is in ``ours`` with the same value (numbers to ``tol``).

    Lists of actions are compared as sets of their fields.
    """
    if isinstance(reference, dict):
        assert isinstance(ours, dict), f"{path}: {ours!r} is not an object"
        for k, v in reference.items():
            assert k in ours, f"{path}/{k} missing"
            assert_same(ours[k], v, tol, f"{path}/{k}")
    elif isinstance(reference, list) and not any(isinstance(e, dict) for e in reference):
        assert isinstance(ours, list) and len(ours) == len(reference), f"{path}: {ours!r} != {reference!r}"
        for k, (a, b) in enumerate(zip(ours, reference)):
            assert_same(a, b, tol, f"{path}[{k}]")
    elif isinstance(reference, list):
        assert len(ours) == len(reference), f"{path}: {len(ours)} entries, expected {len(reference)}"
        canon = lambda a: sorted(  # noqa: E731
            tuple(sorted((k, round(v, 9) if isinstance(v, float) else v) for k, v in e.items() if k != "segment" or e.get("kind") == "item"))
            for e in a)
        assert canon(ours) == canon(reference), f"{path}: {ours} != {reference}"
    elif isinstance(reference, float):
        assert isinstance(ours, (int, float)) and math.isclose(ours, reference, rel_tol=0, abs_tol=tol), \
            f"{path}: {ours} != {reference}"
    else:
        assert ours == reference, f"{path}: {ours!r} != {reference!r}"
