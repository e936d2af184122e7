"""How sure a score is: 95 % intervals by linearisation, and the change between periods.

For segment *s* with *m* valid questionnaires, item weights ``w_i`` and item scores
``s_i`` from ``n_i`` answers, questionnaire *r* contributes
``z_r = 100 · Σ_i w_i · a_ri · (x_ri − s_i) / n_i`` (``a_ri`` = 1 if *r* answered item
*i*, ``x_ri`` its coefficient), and ``Var(CSI_s) = m/(m−1) · Σ_r z_r²``, the weights held
fixed. Expanding the square, ``Σ_r z_r² = 100² · uᵀ C u`` with ``u_i = w_i / n_i`` and
``C_ij = Σ_r a_ri a_rj (x_ri − s_i)(x_rj − s_j)``, which the per-questionnaire sums of
:class:`~csi_core.method.counts.CrossSums` give for any weights: a slider move costs a
few thousand multiplications, whatever the number of questionnaires.

- total ``Var(CSI) = Σ_s W_s² Var(CSI_s)`` (segments are independent samples);
- item (0–1) ``Var(s_i) = Σ_r a_ri (x_ri − s_i)² / (n_i (n_i − 1))``;
- customer: the segment formula over the customer's questionnaires with its
  renormalised weights (:func:`customer_variance`);
- interval = estimate ± 1.959964 · √Var; fewer than 2 questionnaires (answers): none;
- change = ``delta ± 1.959964 · √(Var_now + Var_before)``, significant when that
  interval excludes 0 (:func:`change`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from csi_core.method.counts import Counts, CrossSums, Questionnaires
from csi_core.method.csi import Results, _coefficients, _scale_of
from csi_core.reading.scales import Scale

Z95 = 1.959964  # two-sided 95 % of the normal distribution


@dataclass(frozen=True)
class Intervals:
    """Variances of every score of :class:`~csi_core.method.csi.Results` (NaN: no interval)."""

    total: np.ndarray  # [P], CSI points²
    segment: np.ndarray  # [P, S], CSI points²
    item: np.ndarray  # [P, S, I], on the 0–1 scale of item scores

    def total_half(self) -> np.ndarray:
        """Half-width of the total's 95 % interval per period (points)."""
        return Z95 * np.sqrt(self.total)

    def segment_half(self) -> np.ndarray:
        """Half-width of each segment's 95 % interval (points)."""
        return Z95 * np.sqrt(self.segment)


def interval(estimate: float, variance: float) -> tuple[float, float] | None:
    """``estimate ± 1.959964·√variance``, or None when either is not a number.

    Examples
    --------
    >>> interval(80.0, 4.0)
    (76.080072, 83.919928)
    >>> interval(80.0, float("nan")) is None
    True
    """
    if estimate is None or variance is None or math.isnan(estimate) or math.isnan(variance):
        return None
    half = Z95 * math.sqrt(variance)
    return (estimate - half, estimate + half)


def covariance_sums(cross: CrossSums, score: np.ndarray) -> np.ndarray:
    """``C_ij = Σ_r a_ri a_rj (x_ri − s_i)(x_rj − s_j)`` per (period, segment) from the sums.

    Expands to ``xx_ij − s_j·xa_ij − s_i·xa_ji + s_i s_j·aa_ij`` (``xa_ij`` holds x of *i*).
    """
    s = np.nan_to_num(score)
    si, sj = s[..., :, None], s[..., None, :]
    return cross.xx - sj * cross.xa - si * np.swapaxes(cross.xa, -1, -2) + si * sj * cross.aa


def segment_variance(counts: Counts, results: Results) -> np.ndarray:
    """``Var(CSI_s)`` per (period, segment) for the weights of ``results``; NaN where the
    segment has fewer than 2 valid questionnaires or no sums on the scale in use."""
    shape = results.segment_csi.shape
    cross = counts.cross
    if cross is None or cross.aa.shape[:2] != shape:
        return np.full(shape, np.nan)
    n = results.item_n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(n > 0, results.item_weight / n, 0.0)
    squares = 100.0**2 * np.einsum("psi,psij,psj->ps", u, covariance_sums(cross, results.item_score), u)
    m = results.valid.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = m / (m - 1) * np.maximum(squares, 0.0)
    ok = (m >= 2) & cross.known & ~np.isnan(results.segment_csi)
    return np.where(ok, var, np.nan)


def total_variance(results: Results, segment_var: np.ndarray) -> np.ndarray:
    """``Σ_s W_s² Var(CSI_s)`` per period; NaN when a weighted segment has no interval."""
    w = results.segment_weight
    weighted = w > 0
    missing = (weighted & np.isnan(segment_var)).any(axis=1)
    var = np.sum(np.where(weighted, w**2 * np.nan_to_num(segment_var), 0.0), axis=1)
    return np.where(missing | np.isnan(results.total), np.nan, var)


def item_variance(counts: Counts, results: Results, scale: str | Scale | None = None) -> np.ndarray:
    """``Σ_r a_ri (x_ri − s_i)² / (n_i (n_i − 1))`` per (period, segment, item), 0–1 scale.

    Examples
    --------
    Answers 1.0, 0.8, 0.5 (codes 5, 4, 3): mean 0.7667, squares 0.0544 + 0.0011 + 0.0711.

    >>> from csi_core.method.counts import Counts
    >>> from csi_core.method.csi import compute
    >>> answers = np.zeros((1, 1, 1, 6), np.int64); answers[0, 0, 0, 3:] = 1
    >>> c = Counts(("Q1",), ("all",), ("x",), answers, np.zeros((1, 1, 1)), np.array([[3]]), np.array([[3]]),
    ...            np.ones((1, 1), bool), np.full(1, np.nan), np.full((1, 1), np.nan), None)
    >>> round(float(item_variance(c, compute(c))[0, 0, 0]), 6)
    0.021111
    """
    coef = _coefficients(_scale_of(counts, scale), counts.answers.shape[-1])
    score = np.nan_to_num(results.item_score)[..., None]
    squares = (counts.answers * (coef - score) ** 2).sum(axis=-1)
    n = results.item_n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n >= 2, squares / (n * (n - 1)), np.nan)


def intervals(counts: Counts, results: Results, scale: str | Scale | None = None) -> Intervals:
    """The variances of the total, every segment and every item for these results."""
    seg = segment_variance(counts, results)
    return Intervals(total_variance(results, seg), seg, item_variance(counts, results, scale))


@dataclass(frozen=True)
class CustomerStats:
    """Every customer's CSI and item scores in one period with their variances, indexed
    like ``counts.customers.names`` (NaN where the customer has none)."""

    csi: np.ndarray  # [C]
    csi_var: np.ndarray  # [C]
    item_score: np.ndarray  # [C, I], 0–1
    item_var: np.ndarray  # [C, I]


def customer_stats(counts: Counts, results: Results, rows: Questionnaires,
                   scale: str | Scale | None = None) -> CustomerStats:
    """Customers of the period of ``rows``: CSI with the segment's item weights
    renormalised over the items the customer answered (formula 5), its variance by the
    segment formula over the customer's questionnaires, and the item scores' variances."""
    p = results.period_index(rows.period)
    size, n_items = len(counts.customers.names), len(results.items)
    mine = rows.customer >= 0
    cust = rows.customer[mine].astype(np.int64)
    codes = rows.codes[mine]
    answered = codes >= 0
    coef = _coefficients(_scale_of(counts, scale), max(int(codes.max(initial=0)) + 1, 6))
    x = np.where(answered, coef[np.clip(codes, 0, None)], 0.0)
    cell = (cust[:, None] * n_items + np.arange(n_items)).ravel()

    def per_cell(values: np.ndarray) -> np.ndarray:
        return np.bincount(cell, weights=values.ravel(), minlength=size * n_items).reshape(size, n_items)

    n = per_cell(answered.astype(np.float64))
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(n > 0, per_cell(x) / n, np.nan)
        w = results.item_weight[p, counts.customers.segment] * (n > 0)
        w_sum = w.sum(axis=1, keepdims=True)
        k = (n > 0).sum(axis=1, keepdims=True)
        w = np.where(w_sum > 0, w / w_sum, (n > 0) / np.maximum(k, 1))
        u = np.where(n > 0, w / n, 0.0)
        deviation = answered * (x - np.nan_to_num(s)[cust])
        item_var = np.where(n >= 2, per_cell(deviation**2) / (n * (n - 1)), np.nan)
    z = 100.0 * (u[cust] * deviation).sum(axis=1)
    m = np.bincount(cust, minlength=size).astype(np.float64)
    squares = np.bincount(cust, weights=z**2, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        csi_var = np.where(m >= 2, m / (m - 1) * squares, np.nan)
    csi = np.where(m > 0, 100 * np.nansum(w * s, axis=1), np.nan)
    return CustomerStats(csi, csi_var, s, item_var)


def customer_variance(counts: Counts, results: Results, rows: Questionnaires,
                      scale: str | Scale | None = None) -> np.ndarray:
    """Var of every customer's CSI in the period of ``rows`` (indexed like
    ``counts.customers.names``); NaN for customers with fewer than 2 valid questionnaires."""
    return customer_stats(counts, results, rows, scale).csi_var


@dataclass(frozen=True)
class Change:
    """The change from the previous period with a value (the one run charts compare with)."""

    previous: int  # index of that period
    delta: float
    low: float | None  # 95 % interval of the change; None without variances
    high: float | None

    @property
    def significant(self) -> bool | None:
        """True when the interval excludes 0; None without an interval."""
        if self.low is None:
            return None
        return self.low > 0 or self.high < 0


def change(values: Sequence[float], variances: Sequence[float], index: int) -> Change | None:
    """``delta ± 1.959964·√(Var_now + Var_before)`` against the previous period with a
    value (NaN periods are skipped); None when there is none.

    Examples
    --------
    >>> c = change([80.0, float("nan"), 77.0], [1.0, float("nan"), 1.25], 2)
    >>> c.previous, c.delta, round(c.low, 3), round(c.high, 3), c.significant
    (0, -3.0, -5.94, -0.06, True)
    """
    now = float(values[index])
    if math.isnan(now):
        return None
    for q in range(index - 1, -1, -1):
        before = float(values[q])
        if not math.isnan(before):
            band = interval(now - before, float(variances[index]) + float(variances[q]))
            return Change(q, now - before, *(band if band else (None, None)))
    return None
