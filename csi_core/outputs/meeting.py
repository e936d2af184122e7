"""The management review's agenda (管理评审议程), built from one period's data.

The points follow the source procedures' report (000 §6, 001 §5.5–5.7):

1. ``total``        total CSI, grade, change from the previous period (and its significance
                    once the statistics exist)
2. ``segments``     each segment's CSI, grade, weight and change
3. ``items``        items at or below 70 % (per segment; per customer counted and listed)
4. ``customers``    customers whose CSI is below 80
5. ``verification`` last period's corrective actions and this period's score of each
6. ``complaints``   complaints and competitors, when the data has them
7. ``decisions``    the decisions and new corrective actions of the meeting

:func:`build_agenda` returns plain JSON-able data (numbers at full precision, grade keys,
no words): the meeting page, the PowerPoint pack and the frozen review all render this
same object, so a closed review is shown from its JSON exactly as it was, never
recomputed. Points without content are left out (``decisions`` is always there).
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np

from csi_core import i18n
from csi_core import settings as declared
from csi_core.method import actions as act
from csi_core.method import csi, trends
from csi_core.method.counts import Counts
from csi_core.method.grades import csi_needs_review, grade_of, item_needs_action
from csi_core.outputs.report import competitors_of, stored_period
from csi_core.store.db import Store

AGENDA_VERSION = 1
POINTS = ("total", "segments", "items", "customers", "verification", "complaints", "decisions")
MAX_ROWS = 500  # rows kept per list (worst first); the count of all is kept beside them
SETTINGS_KEPT = ("min_answered_share", "response_rate_target", "valid_rate_target", "scale", "segment_weights")


class AgendaError(ValueError):
    """No agenda can be built (nothing stored, unknown period)."""


def _num(value) -> float | None:
    """A JSON number: NaN and None become None."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _grade(value) -> str | None:
    value = _num(value)
    return None if value is None else grade_of(value).key


def _source(weights: csi.Weights, results: csi.Results, p: int) -> str:
    """Where the period's segment weights come from: company, equal, or unnamed (company
    weights that do not name a segment of the period, so equal there)."""
    from csi_core.method import inforce

    if not weights.only_where_named:
        return "company" if weights.segments else "equal"
    return inforce.used_in_period(inforce.InForce(weights.segments, dict(weights.items or {})), results, p).source


def build_agenda(store: Store, period: str | None = None, weights: csi.Weights | None = None,
                 counts: Counts | None = None, lang: str = "en") -> dict:
    """The agenda of the review of ``period`` (default: the latest) with the company
    weights (or ``weights``). ``AgendaError`` when nothing is stored or the period is not.

    Examples
    --------
    See ``tests/test_meeting.py`` (hand-computed totals on a two-segment workbook).
    """
    counts = counts if counts is not None else store.counts()
    period = stored_period(counts, period, lang, AgendaError)
    from csi_core.method import inforce  # the company's weights, kept to the segments they name

    force = inforce.company(counts, store.get_setting("segment_weights"), store.get_setting("item_weights"))
    weights = weights if weights is not None else force.weights
    results = csi.compute(counts, weights)
    p = results.period_index(period)
    scores = act.PeriodScores(counts, results)
    used = {results.segments[s]: float(results.segment_weight[p, s])
            for s in range(len(results.segments)) if results.segment_weight[p, s] > 0}
    known = _statistics(counts, results)
    points = [
        _total(counts, results, p, known),
        _segments(results, p, known),
        _items(results, scores, p),
        _customers(scores, p),
        _verification(store, scores, period),
        _complaints(store, period, _competitors(store, counts, results, p)),
        {"key": "decisions"},
    ]
    return {
        "version": AGENDA_VERSION,
        "period": period,
        "built_at": f"{dt.datetime.now():%Y-%m-%d %H:%M}",
        "weights": {"segments": used, "source": _source(weights, results, p),
                    "items": weights.items},
        "scale": counts.scale,
        "upload_ids": store.current_upload_ids(period),
        "settings": {name: store.get_setting(name, declared.default(name)) for name in SETTINGS_KEPT},
        "notes": [{"key": n.key, "params": dict(n.params)} for n in results.notes
                  if dict(n.params).get("period", period) == period],
        "points": [point for point in points if point is not None and _has_content(point)],
    }


def _has_content(point: dict) -> bool:
    if point["key"] in ("total", "decisions"):
        return True
    if point["key"] == "segments":
        return len(point["rows"]) > 1  # one segment is the total again
    return bool(point.get("rows")) or bool(point.get("customer_items")) or bool(point.get("competitors"))


def _change(values: np.ndarray, p: int, periods) -> dict:
    q, change = trends.change_from_previous(values, p)
    return {"previous_period": None if q is None else periods[q],
            "previous": None if q is None else _num(values[q]), "change": _num(change)}


def _total(counts: Counts, results: csi.Results, p: int, known=None) -> dict:
    total = trends.total_series(results)
    returned, valid = int(results.returned[p].sum()), int(results.valid[p].sum())
    sent = counts.sent[p]
    point = {"key": "total", "csi": _num(total[p]), "grade": _grade(total[p]),
             "needs_review": bool(csi_needs_review(total[p])), **_change(total, p, results.periods),
             "returned": returned, "valid": valid, "satisfaction_rate": _num(results.satisfied[p]),
             "response_rate": None if np.isnan(sent) or sent == 0 else 100 * returned / sent,
             "run": {"periods": list(results.periods[: p + 1]), "values": [_num(v) for v in total[: p + 1]]}}
    point["significance"] = significance(counts, results, p, known)
    return point


def _statistics(counts: Counts, results: csi.Results):
    """Issue 11's statistics module and the intervals of every score, or ``None`` while
    they are not there (or have another shape than this module knows)."""
    try:
        from csi_core.method import stats
        return stats, stats.intervals(counts, results)
    except (ImportError, AttributeError):
        return None


def _change_band(found) -> dict | None:
    if found is None or found.low is None:
        return None
    return {"ci95": [_num(found.low), _num(found.high)], "significant": bool(found.significant)}


def significance(counts: Counts, results: csi.Results, p: int, known=None) -> dict | None:
    """Whether the change of the total is larger than sampling noise (issue 11's
    statistics, ``csi_core.method.stats``): ``{"ci95": [lo, hi], "significant": bool}`` of
    the change, and ``total_ci95`` of the total itself; ``None`` while the statistics are
    not there or the change has no interval (the screen then shows the change alone)."""
    known = known if known is not None else _statistics(counts, results)
    if known is None:
        return None
    stats, iv = known
    try:
        found = _change_band(stats.total_change(results, iv, p))
        band = stats.intervals_module.interval(float(results.total[p]), float(iv.total[p]))
    except AttributeError:
        return None
    if found is None:
        return None
    return {**found, "total_ci95": [_num(v) for v in band] if band else None}


def _segments(results: csi.Results, p: int, known=None) -> dict:
    rows = []
    for s, name in enumerate(results.segments):
        series = trends.segment_series(results, s)
        if math.isnan(series[p]):
            continue
        rows.append({"segment": name, "csi": _num(series[p]), "grade": _grade(series[p]),
                     "weight": float(results.segment_weight[p, s]), "valid": int(results.valid[p, s]),
                     **_change(series, p, results.periods),
                     "significance": _segment_band(known, results, p, s)})
    return {"key": "segments", "rows": rows}


def _segment_band(known, results: csi.Results, p: int, s: int) -> dict | None:
    if known is None:
        return None
    stats, iv = known
    try:
        return _change_band(stats.segment_change(results, iv, p, s))
    except AttributeError:
        return None


def _items(results: csi.Results, scores: act.PeriodScores, p: int) -> dict:
    rows = []
    for s, segment in enumerate(results.segments):
        for i in np.flatnonzero(results.item_n[p, s] > 0):
            score = float(results.item_score[p, s, i])
            if item_needs_action(score):
                series = trends.item_series(results, s, i)
                rows.append({"segment": segment, "item": results.items[i], "score": 100 * score,
                             "n": int(results.item_n[p, s, i]), **_change(series, p, results.periods)})
    rows.sort(key=lambda r: r["score"])
    customers = scores.customers(p)
    flagged = [f for f in act.flags(results, p, customers) if f.kind == "customer_item"]
    flagged.sort(key=lambda f: f.value)
    customer_items = [{"customer": f.customer, "segment": f.segment, "item": f.item, "score": 100 * f.value}
                      for f in flagged[:MAX_ROWS]]
    return {"key": "items", "rows": rows, "customer_items": customer_items, "customer_items_all": len(flagged)}


def _customers(scores: act.PeriodScores, p: int) -> dict:
    cr = scores.customers(p)
    rows = []
    for k, name in enumerate(cr.names):
        if csi_needs_review(cr.csi[k]):
            key = act.action_key({"kind": "customer", "segment": cr.segments[k], "customer": name, "item": ""})
            previous = scores.value(p - 1, key) if p > 0 else math.nan
            rows.append({"customer": name, "segment": cr.segments[k], "csi": _num(cr.csi[k]),
                         "grade": _grade(cr.csi[k]), "valid": int(cr.valid[k]), "previous": _num(previous)})
    rows.sort(key=lambda r: r["csi"])
    return {"key": "customers", "rows": rows[:MAX_ROWS], "all": len(rows)}


def _verification(store: Store, scores: act.PeriodScores, period: str) -> dict:
    log = store.actions()
    table = act.verify_actions(log, scores, before=period)
    table = table[table.next_period == period] if len(table) else table
    rows = [{"id": None if r["id"] is None else int(r["id"]), "period": r["period"], "kind": r["kind"],
             "segment": r["segment"], "customer": r["customer"], "item": r["item"], "owner": r["owner"],
             "status": r["status"], "raised": _num(r["raised"]), "later": _num(r["later"]),
             "change": _num(r["change"]), "verdict": r["verdict"]} for r in table.to_dict("records")]
    return {"key": "verification", "rows": rows[:MAX_ROWS], "all": len(rows)}


def _complaints(store: Store, period: str, competitors: list[dict]) -> dict | None:
    """Complaints and competitors of the period: the complaints once the store summarises
    them per period (issue on complaints), the competitors scored with the meeting's
    weights; the point is left out when it has neither."""
    rows: list = []
    try:
        from csi_core.store import complaints
    except ImportError:  # pragma: no cover — the part is there since the complaints issue
        complaints = None
    summary = getattr(complaints, "period_summary", None)
    if summary is not None:
        rows = list((summary(store, period) or {}).get("rows") or [])
    return {"key": "complaints", "rows": rows[:MAX_ROWS], "all": len(rows), "competitors": competitors}


def _competitors(store: Store, counts: Counts, results: csi.Results, p: int) -> list[dict]:
    """Each competitor of the period with our weights: CSI, grade, valid questionnaires,
    whether under the minimum of 10, the gap to our total, and every item's gap (0–1)."""
    ours = _num(results.total[p])
    out = []
    for name, entry in competitors_of(store, counts, results, p).items():
        out.append({"name": name, "csi": entry["csi"], "grade": entry["grade"], "valid": entry["valid"],
                    "below_minimum": entry["below_minimum"],
                    "gap": None if ours is None or entry["csi"] is None else ours - entry["csi"],
                    "items": [{"item": item, "ours": g["ours"], "theirs": entry["items"][item], "gap": g["gap"],
                               "significant": g["significant"]} for item, g in entry["gaps"].items()]})
    return out


def with_decisions(agenda: dict, decisions: list[dict], attendees: list[str] | tuple[str, ...] = ()) -> dict:
    """The agenda of an open meeting with its decisions so far (a closed review holds them already)."""
    out = dict(agenda)
    out.setdefault("decisions", list(decisions))
    out.setdefault("attendees", list(attendees))
    return out


def point_subjects(point: dict) -> list[dict]:
    """What a new corrective action on this point can be about: the flagged rows of the
    point as action-log subjects (kind, segment, customer, item, score), the total first."""
    out = []
    if point["key"] == "items":
        out += [{"kind": "item", "segment": r["segment"], "item": r["item"], "score": r["score"] / 100}
                for r in point["rows"]]
        out += [{"kind": "customer_item", "segment": r["segment"], "customer": r["customer"], "item": r["item"],
                 "score": r["score"] / 100} for r in point.get("customer_items", [])[:50]]
    elif point["key"] == "customers":
        out += [{"kind": "customer", "segment": r["segment"], "customer": r["customer"], "score": r["csi"]}
                for r in point["rows"][:50]]
    elif point["key"] == "verification":
        out += [{k: r[k] for k in ("kind", "segment", "customer", "item")} for r in point["rows"][:50]]
    return out


def footer(agenda: dict, lang: str = "en") -> str:
    """The period and the weights used, for every screen and slide.

    Examples
    --------
    >>> footer({"period": "2026Q4", "weights": {"segments": {"民用户": 0.6, "工商业户": 0.4}}}, "zh")
    '2026Q4 · 客户类型权重：民用户 60.0 %、工商业户 40.0 %'
    """
    from csi_core.method.grades import round_half_up

    used = agenda.get("weights", {}).get("segments") or {}
    parts = [f"{name} {round_half_up(100 * w):.1f} %" for name, w in used.items()]
    text = i18n.join(parts, lang) if parts else i18n.t("common.equal_weights", lang)
    return f"{agenda['period']} · {i18n.t('meeting.weights', lang)}{text}"
