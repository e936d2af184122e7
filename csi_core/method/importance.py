"""Importance–performance: the GB/T 19038 strategy matrix and derived importance.

The map puts each item of a segment at x = its score and y = its stated importance (the
focus weight); the quadrants split at the means of both:

=================  ===========================  ====================
quadrant           score                        importance
=================  ===========================  ====================
重点改进 concentrate  below the mean              at or above the mean
继续保持 keep up       at or above the mean        at or above the mean
次要 low priority     below the mean              below the mean
可能过度 overkill      at or above the mean        below the mean
=================  ===========================  ====================

Derived importance (with an overall-satisfaction column): Johnson's relative weights of
the items in a regression of overall on the item coefficients, over the questionnaires
that answered all of them and overall; each as a share of R².
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUADRANTS = ("concentrate", "keep_up", "low_priority", "overkill")
RANK_GAP = 3  # stated and derived ranks this far apart are pointed out


def quadrants(score: np.ndarray, importance: np.ndarray) -> list[str]:
    """The quadrant of every item, split at the means of score and importance.

    Examples
    --------
    >>> quadrants(np.array([0.9, 0.6, 0.7, 0.95]), np.array([0.4, 0.3, 0.1, 0.2]))
    ['keep_up', 'concentrate', 'low_priority', 'overkill']
    """
    x, y = np.asarray(score, float), np.asarray(importance, float)
    high_x, high_y = x >= x.mean(), y >= y.mean()
    return [("keep_up" if hx else "concentrate") if hy else ("overkill" if hx else "low_priority")
            for hx, hy in zip(high_x, high_y)]


@dataclass(frozen=True)
class RelativeWeights:
    """Johnson's relative weights: ``share`` of R² per item (sums to 1), R², and n."""

    share: np.ndarray
    r2: float
    n: int


def relative_weights(x: np.ndarray, y: np.ndarray) -> RelativeWeights | None:
    """Johnson (2000) relative weights of the columns of ``x`` for ``y`` (complete rows).

    With R the predictors' correlation matrix = V Λ Vᵀ, Λ½ = V Λ^½ Vᵀ, β = Λ½⁻¹ r_xy,
    raw weight ε_j = Σ_k Λ½_jk² β_k² (they sum to R²). A column without variance weighs 0.
    None when there are fewer rows than columns + 2, or y does not vary.

    Examples
    --------
    Uncorrelated predictors: the weights are the squared correlations with y.

    >>> x = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]] * 3, float)
    >>> y = x @ [2.0, 1.0] + np.array([1, -1, -1, 1] * 3) * 0.5
    >>> rw = relative_weights(x, y)
    >>> np.round(rw.share * rw.r2, 4).tolist(), round(rw.r2, 4)
    ([0.7619, 0.1905], 0.9524)
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    n, k = x.shape
    if n < k + 2 or y.std() == 0:
        return None
    varies = x.std(axis=0) > 0
    share = np.zeros(k)
    if not varies.any():
        return RelativeWeights(share, 0.0, n)
    z = x[:, varies]
    r = np.atleast_2d(np.corrcoef(z, rowvar=False))
    r_xy = np.array([np.corrcoef(z[:, j], y)[0, 1] for j in range(z.shape[1])])
    eigval, eigvec = np.linalg.eigh(r)
    half = eigvec @ np.diag(np.sqrt(np.clip(eigval, 0, None))) @ eigvec.T
    beta = np.linalg.pinv(half) @ r_xy
    raw = (half**2) @ beta**2
    r2 = float(raw.sum())
    share[varies] = raw / r2 if r2 > 0 else 0.0
    return RelativeWeights(share, r2, n)


def ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 for the largest value (ties share the better rank).

    Examples
    --------
    >>> ranks(np.array([0.1, 0.5, 0.5, 0.2])).tolist()
    [4, 1, 1, 3]
    """
    v = np.asarray(values, float)
    return np.array([1 + int((v > value).sum()) for value in v])


def rank_gaps(stated: np.ndarray, derived: np.ndarray) -> np.ndarray:
    """True for the items whose stated and derived ranks differ by 3 or more."""
    return np.abs(ranks(stated) - ranks(derived)) >= RANK_GAP
