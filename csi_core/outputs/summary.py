"""Results as the JSON object of CONTRACTS.md §2 (fields may be added, never renamed).

Every number is full precision; grades and flags use the half-up rounded value.
"""
from __future__ import annotations

import math

import numpy as np

from csi_core import i18n
from csi_core.method.actions import flags
from csi_core.method.counts import Counts
from csi_core.method.csi import CustomerResults, Results, customer_csi, normalise
from csi_core.method.grades import grade_of, round_half_up
from csi_core.method import competitors as comp
from csi_core.method import stats
from csi_core.method.competitors import CompetitorCounts
from csi_core.method.counts import Questionnaires


def _num(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _grade(value) -> str | None:
    return None if value is None or math.isnan(value) else grade_of(value).key


def to_contract(counts: Counts, results: Results, periods: list[str] | None = None, lang: str = "en",
                questionnaires=None, competitors: CompetitorCounts | None = None) -> dict:
    """The command line's ``--format json`` object for the given (default: all) periods.

    ``questionnaires(period)`` gives a period's :class:`Questionnaires` (the store's
    method): customer intervals and derived importance need them; without it they are null.
    ``competitors`` (the store's ``competitor_counts``) adds each period's ``competitors``
    object, scored with the weights of ``results``.
    """
    chosen = periods or list(results.periods)
    out = {"periods": {}, "scale": counts.scale,
           "notes": [i18n.t(f"calc.{n.key}", lang, **dict(n.params)) for n in results.notes]}
    iv = stats.intervals(counts, results)
    found = None if competitors is None else comp.compute(counts, results, competitors)
    for name in chosen:
        p = results.period_index(name)
        customers = customer_csi(counts, results, p)
        rows = questionnaires(name) if questionnaires else None
        out["periods"][name] = period_summary(counts, results, p, customers, iv, rows)
        if found is not None:
            out["periods"][name]["competitors"] = competitor_summary(found, p)
    return out


def competitor_summary(found: comp.CompetitorResults, p: int) -> dict:
    """Period ``p``'s competitors: name → CSI (0–100, with our weights), grade, valid
    questionnaires, whether that is under the procedure's minimum, segment CSIs, pooled
    item scores (0–1) and each item's gap to ours; ``{}`` without competitor rows."""
    out = {}
    for c in range(len(found.names)):
        if found.valid[p, c].sum() == 0:
            continue
        total = _num(found.total[p, c])
        segments = {}
        for s in np.flatnonzero(found.valid[p, c] > 0):
            csi_s = _num(found.segment_csi[p, c, s])
            segments[found.segments[s]] = {"csi": csi_s, "grade": _grade(csi_s), "valid": int(found.valid[p, c, s]),
                                                "weight": float(found.segment_weight[p, c, s])}
        out[found.names[c]] = {
            "csi": total, "grade": _grade(total), "valid": int(found.valid[p, c].sum()),
            "below_minimum": bool(found.few(p, c)),
            "segments": segments,
            "items": {found.items[i]: float(found.pooled_score[p, c, i]) for i in np.flatnonzero(found.pooled_n[p, c] > 0)},
            "gaps": {g.item: {"ours": g.ours, "gap": g.gap, "half": g.half, "significant": g.significant}
                     for g in comp.gaps(found, p, c)},
        }
    return out


def _ci(estimate, variance) -> list | None:
    found = stats.intervals_module.interval(float(estimate), float(variance))
    return None if found is None else [found[0], found[1]]


def _change(results: Results, found) -> dict | None:
    if found is None:
        return None
    return {"from": results.periods[found.previous], "delta": found.delta,
            "ci95": None if found.low is None else [found.low, found.high], "significant": found.significant}


def _control(values, p: int) -> dict | None:
    found = stats.series_control(values, p)
    if found is None:
        return None
    return {"centre": found.centre, "lcl": found.lcl, "ucl": found.ucl, "signal": found.signal}


def period_summary(counts: Counts, results: Results, p: int, customers: CustomerResults,
                   iv: stats.Intervals | None = None, rows: Questionnaires | None = None) -> dict:
    """One period's object: CSI, grade, weights as used, responses, segments, customers,
    actions, and the statistics (intervals, change, control limits, grade margin)."""
    iv = iv if iv is not None else stats.intervals(counts, results)
    customer_var = stats.customer_variance(counts, results, rows) if rows is not None else None
    margin = stats.margin_of(results, p)
    total = _num(results.total[p])
    present = [s for s in range(len(results.segments)) if not math.isnan(results.segment_csi[p, s])]
    returned, valid = int(results.returned[p].sum()), int(results.valid[p].sum())
    sent = counts.sent[p]
    return {
        "csi": total,
        "grade": _grade(total),
        "csi_rounded": None if total is None else round_half_up(total),
        "segment_weights": {results.segments[s]: float(results.segment_weight[p, s]) for s in present},
        "responses": {"returned": returned, "valid": valid, "invalid": returned - valid},
        "satisfaction_rate": _num(results.satisfied[p]),
        "response_rate": None if np.isnan(sent) or sent == 0 else 100 * returned / sent,
        "valid_rate": 100 * valid / returned if returned else None,
        "sent": None if np.isnan(sent) else int(sent),
        "segments": {results.segments[s]: segment_summary(counts, results, p, s, iv, rows) for s in present},
        "customers": customer_summary(results, customers, customer_var),
        "actions": [f.as_contract() for f in flags(results, p, customers)],
        "ci95": _ci(results.total[p], iv.total[p]),
        "change": _change(results, stats.total_change(results, iv, p)),
        "control": _control(results.total, p),
        "grade_margin": None if margin is None else {"points": margin.points, "from": margin.source,
                                                     "to": margin.target},
    }


def segment_summary(counts: Counts, results: Results, p: int, s: int, iv: stats.Intervals | None = None,
                    rows: Questionnaires | None = None) -> dict:
    csi = _num(results.segment_csi[p, s])
    sent = counts.sent_segment[p, s]
    returned = int(results.returned[p, s])
    iv = iv if iv is not None else stats.intervals(counts, results)
    answered = results.item_n[p, s] > 0
    stated, _ = normalise(counts.ticks[p, s].astype(float), answered)
    derived = stats.derived_importance(counts, results, rows, s) if rows is not None else None
    items = {}
    for i in np.flatnonzero(answered):
        items[results.items[i]] = {
            "score": float(results.item_score[p, s, i]),
            "weight": float(results.item_weight[p, s, i]),
            "n": int(results.item_n[p, s, i]),
            "satisfaction_rate": _num(results.item_satisfied[p, s, i]),
            "ticks": int(counts.ticks[p, s, i]),
            "ci95": _ci(results.item_score[p, s, i], iv.item[p, s, i]),
            "change": _change(results, stats.item_change(results, iv, p, s, i)),
            "importance": {"stated": float(stated[i]), "derived": None if derived is None else _num(derived.share[i])},
        }
    return {
        "csi": csi,
        "grade": _grade(csi),
        "valid": int(results.valid[p, s]),
        "returned": returned,
        "weight": float(results.segment_weight[p, s]),
        "satisfaction_rate": _num(results.segment_satisfied[p, s]),
        "response_rate": None if np.isnan(sent) or sent == 0 else 100 * returned / sent,
        "weights_from": "focus" if results.focus_based[p, s] else "equal_or_user",
        "items": items,
        "ci95": _ci(results.segment_csi[p, s], iv.segment[p, s]),
        "change": _change(results, stats.segment_change(results, iv, p, s)),
        "control": _control(results.segment_csi[:, s], p),
    }


def customer_summary(results: Results, customers: CustomerResults, variance=None) -> dict:
    """Customers keyed by name; a name found in two segments is keyed "name (segment)"."""
    counts: dict[str, int] = {}
    for name in customers.names:
        counts[name] = counts.get(name, 0) + 1
    out = {}
    cust, item, score = customers.item_rows
    for k, (name, segment) in enumerate(zip(customers.names, customers.segments)):
        key = name if counts[name] == 1 else f"{name} ({segment})"
        c = customers.index[k]
        mine = cust == c
        out[key] = {
            "segment": segment,
            "csi": _num(customers.csi[k]),
            "grade": _grade(customers.csi[k]),
            "valid": int(customers.valid[k]),
            "items": {results.items[i]: float(v) for i, v in zip(item[mine], score[mine]) if not math.isnan(v)},
            "ci95": None if variance is None else _ci(customers.csi[k], variance[c]),
        }
    return out
