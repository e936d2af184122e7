"""Competitors (竞争对手满意度调查表) scored with our yardstick, and compared with us.

A competitor questionnaire is a row of the workbook whose ``competitor`` cell names the
company the customer rated. Its answers are scored exactly like ours, but weighted with
OUR weights in force, so the two CSIs measure the same thing:

- item score ``s_i = Σ_k (n_ik / n_i) · c_k`` with our coefficients (METHOD.md formula 1);
- segment CSI ``100 · Σ_i w_i s_i`` with OUR segment's item weights ``w_i`` (focus ticks,
  or the importances of the weights in use), renormalised over the items the competitor's
  questionnaires of that segment answered (as a customer's CSI, formula 5); its own focus
  ticks are not used;
- total CSI ``Σ_s W_s CSI_s`` with OUR segment weights, renormalised over the segments the
  competitor has questionnaires in;
- per period and item, answers pooled over the segments (ours and theirs alike): the gap
  ``ours − theirs`` is significant when ``|gap| > 1.959964 · √(Var_ours + Var_theirs)``,
  each variance the one our item intervals use, ``Σ_k n_k (c_k − s)² / (n (n − 1))``
  (:func:`csi_core.method.intervals.item_variance`);
- fewer than :data:`MIN_QUESTIONNAIRES` valid questionnaires of a competitor in a period
  is below the procedure's minimum and is noted.

Competitor questionnaires of a period or segment that has none of ours cannot be weighted
with our weights: the store leaves them out and counts them (``CompetitorCounts.left_out``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from csi_core.method.counts import Counts
from csi_core.method.csi import Results, _coefficients, _scale_of, item_scores
from csi_core.method.intervals import Z95
from csi_core.reading.scales import Scale

MIN_QUESTIONNAIRES = 10  # 附件 竞争对手满意度调查表: at least 10 each time, per competitor


@dataclass(frozen=True)
class CompetitorCounts:
    """Competitor answers as count arrays laid out like :class:`Counts` (its periods,
    segments, items and answer codes), one more axis for the competitor:
    ``answers[p, c, s, i, k]`` valid answers with code *k*; ``valid[p, c, s]`` valid
    questionnaires; ``left_out`` valid competitor questionnaires of a period or segment
    we have none of (not comparable)."""

    names: tuple[str, ...]
    answers: np.ndarray  # [P, C, S, I, K]
    valid: np.ndarray  # [P, C, S]
    left_out: int = 0

    @property
    def empty(self) -> bool:
        return not len(self.names) or int(self.valid.sum()) == 0

    def in_period(self, p: int) -> list[int]:
        """The competitors with at least one valid questionnaire in period ``p``."""
        return [c for c in range(len(self.names)) if self.valid[p, c].sum() > 0]


def tally(period: np.ndarray, competitor: np.ndarray, valid: np.ndarray) -> list[tuple[str, str, int]]:
    """(period, competitor, valid questionnaires) of an upload's competitor rows, in the
    order found; a competitor with no valid one is listed with 0.

    >>> tally(np.array(["Q1", "Q1", "Q1", "Q2"]), np.array(["", "博世", "博世", "电装"]),
    ...       np.array([True, True, False, False]))
    [('Q1', '博世', 1), ('Q2', '电装', 0)]
    """
    found: dict[tuple[str, str], int] = {}
    for p, c, v in zip(period.tolist(), competitor.tolist(), valid.tolist()):
        if c:
            found[(p, c)] = found.get((p, c), 0) + int(v)
    return [(p, c, n) for (p, c), n in found.items()]


def empty_counts(counts: Counts) -> CompetitorCounts:
    """No competitor rows, shaped for ``counts``."""
    P, S, I, K = counts.answers.shape
    return CompetitorCounts((), np.zeros((P, 0, S, I, K), np.int64), np.zeros((P, 0, S), np.int64))


@dataclass(frozen=True)
class CompetitorResults:
    """Every competitor's scores with our weights, and the item comparison with us.

    Indexed [period, competitor, segment, item] like ``CompetitorCounts``; ``pooled_*``
    are per (period, competitor, item) over all segments, ``ours_*`` per (period, item).
    """

    names: tuple[str, ...]
    periods: tuple[str, ...]
    segments: tuple[str, ...]
    items: tuple[str, ...]
    item_score: np.ndarray  # [P, C, S, I] 0–1, NaN if unanswered
    item_weight: np.ndarray  # [P, C, S, I] our weights renormalised over the answered
    segment_csi: np.ndarray  # [P, C, S] 0–100, NaN without questionnaires
    segment_weight: np.ndarray  # [P, C, S] our segment weights renormalised over theirs
    total: np.ndarray  # [P, C] 0–100
    valid: np.ndarray  # [P, C, S]
    pooled_score: np.ndarray  # [P, C, I]
    pooled_n: np.ndarray  # [P, C, I]
    pooled_var: np.ndarray  # [P, C, I]
    ours_score: np.ndarray  # [P, I]
    ours_n: np.ndarray  # [P, I]
    ours_var: np.ndarray  # [P, I]

    def few(self, p: int, c: int) -> bool:
        """Below the procedure's minimum of valid questionnaires in the period."""
        return int(self.valid[p, c].sum()) < MIN_QUESTIONNAIRES


def score_variance(level_counts: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """``Σ_k n_k (c_k − s)² / (n (n − 1))``: the variance of an item score from its
    counts, as our item intervals compute it; NaN under 2 answers.

    Examples
    --------
    Answers 1.0, 0.8, 0.5 (codes 5, 4, 3), as ``intervals.item_variance``'s example:

    >>> coef = np.array([0, 0.0, 0.2, 0.5, 0.8, 1.0])
    >>> round(float(score_variance(np.array([0, 0, 0, 1, 1, 1]), coef)), 6)
    0.021111
    >>> bool(np.isnan(score_variance(np.array([0, 0, 0, 0, 0, 1]), coef)))
    True
    """
    score, n = item_scores(level_counts, coefficients)
    squares = (level_counts * (coefficients[: level_counts.shape[-1]] - np.nan_to_num(score)[..., None]) ** 2).sum(-1)
    n = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n >= 2, squares / (n * (n - 1)), np.nan)


def renormalised(weights: np.ndarray, present: np.ndarray) -> np.ndarray:
    """``weights`` kept where ``present`` and scaled to sum 1 along the last axis; equal
    over the present where those weights sum to 0; all 0 where nothing is present.

    Examples
    --------
    >>> renormalised(np.array([0.75, 0.25]), np.array([True, True])).tolist()
    [0.75, 0.25]
    >>> renormalised(np.array([0.7, 0.3]), np.array([True, False])).tolist()
    [1.0, 0.0]
    >>> renormalised(np.array([0.0, 1.0]), np.array([True, False])).tolist()
    [1.0, 0.0]
    """
    kept = np.where(present, weights, 0.0)
    total = kept.sum(axis=-1, keepdims=True)
    k = present.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, kept / total, present / np.maximum(k, 1))
    return np.nan_to_num(out)


def compute(counts: Counts, results: Results, comp: CompetitorCounts,
            scale: str | Scale | None = None) -> CompetitorResults:
    """The competitors' scores with the weights of ``results`` (ours in force, what-if
    included), and the pooled item scores and variances of both sides.

    Examples
    --------
    One segment, items 质量 (3 focus ticks) and 服务 (1): our weights 0.75 / 0.25. A
    competitor's two questionnaires answer 满意 + 一般 (0.8, 0.5) and 一般 + 不满意 (0.5, 0.2):
    item scores 0.65 and 0.35, CSI ``100 · (0.75·0.65 + 0.25·0.35) = 57.5``.

    >>> from csi_core.method.csi import compute as ours
    >>> ans = np.zeros((1, 1, 2, 6), np.int64); ans[0, 0, :, 5] = 2
    >>> c = Counts(("Q1",), ("民用户",), ("质量", "服务"), ans, np.array([[[3, 1]]]), np.array([[2]]),
    ...            np.array([[2]]), np.ones((1, 2), bool), np.full(1, np.nan), np.full((1, 1), np.nan), None)
    >>> theirs = np.zeros((1, 1, 1, 2, 6), np.int64)
    >>> theirs[0, 0, 0, 0, [4, 3]] = 1; theirs[0, 0, 0, 1, [3, 2]] = 1
    >>> found = compute(c, ours(c), CompetitorCounts(("华润",), theirs, np.array([[[2]]])))
    >>> [round(float(v), 6) for v in found.item_score[0, 0, 0]], round(float(found.total[0, 0]), 6)
    ([0.65, 0.35], 57.5)
    >>> round(float(found.ours_score[0, 0] - found.pooled_score[0, 0, 0]), 6), bool(found.few(0, 0))
    (0.35, True)
    """
    coef = _coefficients(_scale_of(counts, scale), comp.answers.shape[-1])
    score, n = item_scores(comp.answers, coef)
    answered = n > 0
    w = renormalised(results.item_weight[:, None], answered)  # [P, C, S, I]
    present = answered.any(axis=-1) & (comp.valid > 0)
    seg_csi = np.where(present, 100 * np.where(answered, w * np.nan_to_num(score), 0).sum(axis=-1), np.nan)
    ours_w = np.broadcast_to(results.segment_weight[:, None], present.shape)
    seg_w = np.where((ours_w > 0) & present, ours_w, 0.0)
    total_w = seg_w.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        seg_w = np.where(total_w > 0, seg_w / total_w, 0.0)
    total = np.where(total_w[..., 0] > 0, (seg_w * np.nan_to_num(seg_csi)).sum(axis=-1), np.nan)
    pooled = comp.answers.sum(axis=2)  # [P, C, I, K]
    ours = counts.answers.sum(axis=1)  # [P, I, K]
    ours_coef = _coefficients(_scale_of(counts, scale), ours.shape[-1])
    pooled_score, pooled_n = item_scores(pooled, coef)
    ours_score, ours_n = item_scores(ours, ours_coef)
    return CompetitorResults(comp.names, counts.periods, counts.segments, counts.items, score, w * answered, seg_csi,
                             seg_w, total, comp.valid, pooled_score, pooled_n, score_variance(pooled, coef),
                             ours_score, ours_n, score_variance(ours, ours_coef))


@dataclass(frozen=True)
class Gap:
    """One item of one period: our score, a competitor's, ``ours − theirs`` (0–1) and
    whether it is larger than the noise (None: too few answers for an interval)."""

    item: str
    ours: float
    theirs: float
    gap: float
    half: float | None  # 1.959964 · √(Var_ours + Var_theirs)
    significant: bool | None


def gaps(found: CompetitorResults, p: int, c: int) -> list[Gap]:
    """The items both we and competitor ``c`` have answers for in period ``p``, in item order.

    Examples
    --------
    See :func:`compute`; ``tests/test_competitors.py`` works one out by hand.
    """
    out = []
    for i, item in enumerate(found.items):
        if found.ours_n[p, i] == 0 or found.pooled_n[p, c, i] == 0:
            continue
        ours, theirs = float(found.ours_score[p, i]), float(found.pooled_score[p, c, i])
        var = float(found.ours_var[p, i]) + float(found.pooled_var[p, c, i])
        half = None if math.isnan(var) else Z95 * math.sqrt(var)
        gap = ours - theirs
        out.append(Gap(item, ours, theirs, gap, half, None if half is None else abs(gap) > half))
    return out
