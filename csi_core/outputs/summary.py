"""Results as the JSON object of CONTRACTS.md §2 (fields may be added, never renamed).

Every number is full precision; grades and flags use the half-up rounded value.
"""
from __future__ import annotations

import math

import numpy as np

from csi_core import i18n
from csi_core.method.actions import flags
from csi_core.method.counts import Counts
from csi_core.method.csi import CustomerResults, Results, customer_csi
from csi_core.method.grades import grade_of, round_half_up


def _num(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _grade(value) -> str | None:
    return None if value is None or math.isnan(value) else grade_of(value).key


def to_contract(counts: Counts, results: Results, periods: list[str] | None = None, lang: str = "en") -> dict:
    """The command line's ``--format json`` object for the given (default: all) periods."""
    chosen = periods or list(results.periods)
    out = {"periods": {}, "scale": counts.scale,
           "notes": [i18n.t(f"calc.{n.key}", lang, **dict(n.params)) for n in results.notes]}
    for name in chosen:
        p = results.period_index(name)
        customers = customer_csi(counts, results, p)
        out["periods"][name] = period_summary(counts, results, p, customers)
    return out


def period_summary(counts: Counts, results: Results, p: int, customers: CustomerResults) -> dict:
    """One period's object: CSI, grade, weights as used, responses, segments, customers, actions."""
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
        "segments": {results.segments[s]: segment_summary(counts, results, p, s) for s in present},
        "customers": customer_summary(results, customers),
        "actions": [f.as_contract() for f in flags(results, p, customers)],
    }


def segment_summary(counts: Counts, results: Results, p: int, s: int) -> dict:
    csi = _num(results.segment_csi[p, s])
    sent = counts.sent_segment[p, s]
    returned = int(results.returned[p, s])
    items = {}
    for i in np.flatnonzero(results.item_n[p, s] > 0):
        items[results.items[i]] = {
            "score": float(results.item_score[p, s, i]),
            "weight": float(results.item_weight[p, s, i]),
            "n": int(results.item_n[p, s, i]),
            "satisfaction_rate": _num(results.item_satisfied[p, s, i]),
            "ticks": int(counts.ticks[p, s, i]),
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
    }


def customer_summary(results: Results, customers: CustomerResults) -> dict:
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
        }
    return out
