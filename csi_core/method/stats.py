"""The statistics of every score in one place: what the overview, the run charts, the
actions, the analysis page, the report and the JSON ask for.

The formulas live in :mod:`~csi_core.method.intervals` (intervals, change),
:mod:`~csi_core.method.control` (XmR limits), :mod:`~csi_core.method.margin` (grade
margin) and :mod:`~csi_core.method.importance` (map, relative weights); this module
picks the series they work on.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from csi_core.method.control import Control, control, signals as control_signals
from csi_core.method.counts import Counts, Questionnaires
from csi_core.method.csi import Results, _coefficients, _scale_of, normalise
from csi_core.method import intervals as intervals_module
from csi_core.method.importance import RelativeWeights, quadrants, rank_gaps, ranks, relative_weights
from csi_core.method.intervals import (Change, CustomerStats, Intervals, change, customer_stats, customer_variance,
                                       intervals)
from csi_core.method.margin import Margin, grade_margin

ADEQUATE_HALF_WIDTH = 5.0  # points: a segment with a wider interval is "too few to compare"
TARGET_HALF_WIDTH = 3.0  # points: the sample-size tool proposes the n that reaches this

__all__ = ["Change", "Control", "Intervals", "Margin", "intervals", "series", "total_change", "segment_change",
           "item_change", "series_control", "control_signals", "margin_of", "derived_importance", "customer_variance",
           "needed_n", "ADEQUATE_HALF_WIDTH", "TARGET_HALF_WIDTH", "customer_stats", "flag_changes", "is_significant_fall"]


def series(results: Results, iv: Intervals, segment: int | None = None, item: int | None = None):
    """(values, variances) across periods: the total, a segment's CSI (points) or an
    item's score in a segment (0–1)."""
    if segment is None:
        return results.total, iv.total
    if item is None:
        return results.segment_csi[:, segment], iv.segment[:, segment]
    values = np.where(results.item_n[:, segment, item] > 0, results.item_score[:, segment, item], np.nan)
    return values, iv.item[:, segment, item]


def total_change(results: Results, iv: Intervals, p: int) -> Change | None:
    return change(*series(results, iv), p)


def segment_change(results: Results, iv: Intervals, p: int, s: int) -> Change | None:
    return change(*series(results, iv, s), p)


def item_change(results: Results, iv: Intervals, p: int, s: int, i: int) -> Change | None:
    return change(*series(results, iv, s, i), p)


def series_control(values: np.ndarray, p: int) -> Control | None:
    """XmR limits of a series as of period ``p``."""
    return control(values, p)


def margin_of(results: Results, p: int) -> Margin | None:
    """The grade margin of period ``p`` with the segment weights as used."""
    return grade_margin(results.segments, results.segment_csi[p], results.segment_weight[p])


@dataclass(frozen=True)
class Derived:
    """Derived importance of a segment's items: relative weights (share of R², indexed
    like ``Counts.items``; NaN for items not in the regression), R², n."""

    share: np.ndarray
    r2: float
    n: int


def derived_importance(counts: Counts, results: Results, rows: Questionnaires, s: int,
                       scale=None) -> Derived | None:
    """Johnson's relative weights of segment ``s``'s answered items for overall
    satisfaction, over its questionnaires that answered all of them and overall; None
    without an overall column or with too few such questionnaires."""
    p = results.period_index(rows.period)
    items = np.flatnonzero(results.item_n[p, s] > 0)
    mine = (rows.segment == s) & (rows.overall >= 0)
    codes = rows.codes[mine][:, items]
    complete = (codes >= 0).all(axis=1)
    if not len(items) or not complete.any():
        return None
    coef = _coefficients(_scale_of(counts, scale), max(int(rows.codes.max(initial=0)), int(rows.overall.max())) + 1)
    x = coef[codes[complete]]
    y = coef[rows.overall[mine][complete]]
    found: RelativeWeights | None = relative_weights(x, y)
    if found is None:
        return None
    share = np.full(len(results.items), np.nan)
    share[items] = found.share
    return Derived(share, found.r2, found.n)


def needed_n(n: int, half_width: float, target: float = TARGET_HALF_WIDTH) -> int | None:
    """Questionnaires that would bring a half-width of ``half_width`` (from ``n``) to
    ``target``: the half-width shrinks with √n.

    Examples
    --------
    >>> needed_n(100, 6.0)
    400
    """
    if not n or not np.isfinite(half_width) or half_width <= 0:
        return None
    return int(np.ceil(round(n * (half_width / target) ** 2, 9)))


def stated_importance(counts: Counts, results: Results, p: int, s: int) -> np.ndarray:
    """The share of focus ticks per item over the items answered (equal without ticks)."""
    answered = results.item_n[p, s] > 0
    return normalise(counts.ticks[p, s].astype(float), answered)[0]


def importance_table(counts: Counts, results: Results, p: int, s: int, derived: Derived | None) -> pd.DataFrame:
    """One row per answered item of a segment: ``item``, ``score`` (0–1), ``stated`` and
    ``derived`` (0–1, NaN without), their ranks, the map's ``quadrant`` and ``gap`` (ranks
    3 or more apart)."""
    items = np.flatnonzero(results.item_n[p, s] > 0)
    score = results.item_score[p, s, items]
    stated = stated_importance(counts, results, p, s)[items]
    table = pd.DataFrame({"item": [results.items[i] for i in items], "score": score, "stated": stated,
                          "quadrant": quadrants(score, stated) if len(items) else [],
                          "stated_rank": ranks(stated)})
    if derived is None:
        table["derived"], table["derived_rank"], table["gap"] = np.nan, np.nan, False
    else:
        table["derived"] = derived.share[items]
        table["derived_rank"] = ranks(derived.share[items])
        table["gap"] = rank_gaps(stated, derived.share[items])
    return table


def adequacy_table(results: Results, iv: Intervals, p: int) -> pd.DataFrame:
    """Per segment present: ``segment``, ``valid``, ``half`` (half-width, points),
    ``needed`` (n for ±3) and ``too_few`` (half-width above 5)."""
    rows = []
    for s in np.flatnonzero(~np.isnan(results.segment_csi[p])):
        half = float(intervals_module.Z95 * np.sqrt(iv.segment[p, s]))
        n = int(results.valid[p, s])
        rows.append({"segment": results.segments[s], "valid": n, "half": half,
                     "needed": needed_n(n, half) if half > TARGET_HALF_WIDTH else None,
                     "too_few": bool(half > ADEQUATE_HALF_WIDTH)})
    return pd.DataFrame(rows, columns=["segment", "valid", "half", "needed", "too_few"])


def flag_changes(counts: Counts, results: Results, iv: Intervals, p: int, flags, questionnaires) -> list[Change | None]:
    """The change (with its interval) of every flagged thing of period ``p`` — rows with
    ``kind``, ``segment``, ``customer``, ``item`` — against the previous period that has
    it. ``questionnaires(period)`` gives a period's questionnaires (customers only)."""
    seg = {name: k for k, name in enumerate(results.segments)}
    item = {name: k for k, name in enumerate(results.items)}
    cc = counts.customers
    customer = {(results.segments[cc.segment[c]], name): c for c, name in enumerate(cc.names)}
    loaded: dict[int, CustomerStats] = {}
    valid: dict[int, dict[int, int]] = {}

    def valid_in(q: int) -> dict[int, int]:
        if q not in valid:
            valid[q] = cc.valid_in(q)
        return valid[q]

    def of_customer(q: int) -> CustomerStats:
        if q not in loaded:
            loaded[q] = customer_stats(counts, results, questionnaires(results.periods[q]))
        return loaded[q]

    out: list[Change | None] = []
    for f in flags:
        if f["kind"] == "overall":
            out.append(total_change(results, iv, p))
        elif f["kind"] == "item":
            out.append(item_change(results, iv, p, seg[f["segment"]], item[f["item"]]))
        else:
            c = customer.get((f["segment"], f["customer"]))
            out.append(None if c is None else _customer_change(valid_in, p, c, item.get(f["item"]), of_customer))
    return out


def _customer_change(valid_in, p: int, c: int, i: int | None, of_customer) -> Change | None:
    """A customer's CSI (``i`` None) or item score against its previous period with a value
    (``valid_in(q)``: the valid questionnaires per customer of period ``q``)."""
    for q in range(p - 1, -1, -1):
        if c not in valid_in(q):
            continue
        before, now = of_customer(q), of_customer(p)
        pick = (lambda st: (st.csi[c], st.csi_var[c])) if i is None else \
            (lambda st: (st.item_score[c, i], st.item_var[c, i]))
        (v0, var0), (v1, var1) = pick(before), pick(now)
        if np.isnan(v0):
            continue
        found = change([v0, v1], [var0, var1], 1)
        return None if found is None else replace(found, previous=q)
    return None


def is_significant_fall(found: Change | None) -> bool:
    """A fall whose 95 % interval lies wholly below 0."""
    return found is not None and found.significant is True and found.delta < 0
