"""The linearised interval against resampling: a seeded bootstrap and a coverage
simulation from known answer shares (issue 11). Both are vectorised in numpy."""
from __future__ import annotations

import numpy as np
import pytest

from csi_core.method import csi, stats
from csi_core.method.counts import Counts, CrossSums, CustomerCounts
from csi_core.store.ingest import ingest
from csi_core.store.stats import cross_sums
from tests.conftest import xlsx

COEF = np.array([0, 0.0, 0.2, 0.5, 0.8, 1.0])  # code → coefficient (default scale)
LABEL = {5: "很满意", 4: "较满意", 3: "一般", 2: "不满意", 1: "很不满意"}
SHARES = np.array([[0.05, 0.10, 0.25, 0.40, 0.20],  # levels 1…5 per item: the true answer shares
                   [0.02, 0.08, 0.20, 0.40, 0.30],
                   [0.10, 0.20, 0.30, 0.30, 0.10],
                   [0.01, 0.04, 0.15, 0.40, 0.40]])


def _draw(rng: np.random.Generator, m: int, shares: np.ndarray, blank: float = 0.1) -> np.ndarray:
    """m questionnaires' codes (−1 blank), each item from its shares."""
    codes = np.stack([rng.choice(np.arange(1, 6), size=m, p=p) for p in shares], axis=1)
    codes[rng.random(codes.shape) < blank] = -1
    codes[(codes >= 0).sum(axis=1) < 2, 0] = 5  # keep every questionnaire valid (half the items)
    codes[(codes >= 0).sum(axis=1) < 2, 1] = 4
    return codes


def test_linearised_interval_agrees_with_a_seeded_bootstrap(store):
    rng = np.random.default_rng(11)
    items = ["质量", "交期", "服务", "价格"]
    sizes = {"民用户": 240, "工商业户": 120}
    rows = [["period", "segment", *items, "focus"]]
    data = {}
    for seg, m in sizes.items():
        codes = _draw(rng, m, SHARES if seg == "民用户" else SHARES[::-1])
        data[seg] = codes
        focus = rng.choice(["A", "B", "A,C", "D", None], size=m)
        rows += [["2026Q1", seg, *[LABEL.get(int(c)) for c in r], f] for r, f in zip(codes, focus)]
    assert ingest(store, xlsx(rows), "boot.xlsx").ok
    counts = store.counts()
    weights = csi.Weights(segments={"民用户": 70, "工商业户": 30})
    res = csi.compute(counts, weights)
    linear_sd = float(np.sqrt(stats.intervals(counts, res).total[0]))

    totals = np.zeros(2000)
    for seg, codes in data.items():  # each segment resampled on its own, weights held fixed
        s = counts.segments.index(seg)
        order = [counts.items.index(n) for n in items]
        w = res.item_weight[0, s, order]
        answered, x = (codes >= 0).astype(float), np.where(codes >= 0, COEF[np.clip(codes, 0, None)], 0.0)
        draws = rng.multinomial(len(codes), np.full(len(codes), 1 / len(codes)), size=2000)
        seg_csi = 100 * ((draws @ x) / (draws @ answered)) @ w
        totals += res.segment_weight[0, s] * seg_csi
    assert res.total[0] == pytest.approx(float(np.mean(totals)), abs=0.3)
    assert linear_sd == pytest.approx(float(totals.std(ddof=1)), rel=0.10)


def _simulated_counts(rng: np.random.Generator, surveys: int, sizes: tuple[int, ...]) -> Counts:
    """``surveys`` independent surveys as the periods of one set of count arrays."""
    n_items, segments = SHARES.shape[0], len(sizes)
    answers = np.zeros((surveys, segments, n_items, 6), np.int64)
    sums = np.zeros((3, surveys, segments, n_items, n_items))
    for s, m in enumerate(sizes):
        shares = SHARES if s == 0 else SHARES[::-1]
        codes = np.concatenate([_draw(rng, m, shares) for _ in range(surveys)])
        group = np.repeat(np.arange(surveys), m)
        for i in range(n_items):
            answered = codes[:, i] >= 0
            np.add.at(answers, (group[answered], s, i, codes[answered, i]), 1)
        sums[:, :, s] = cross_sums(codes, group, surveys, COEF)
    valid = np.tile(np.array(sizes), (surveys, 1))
    empty = np.zeros(0, np.int64)
    return Counts(tuple(f"S{k}" for k in range(surveys)), tuple(f"seg{s}" for s in range(segments)),
                  tuple(f"i{i}" for i in range(n_items)), answers, np.zeros(answers.shape[:3]), valid, valid,
                  np.ones((surveys, n_items), bool), np.full(surveys, np.nan), np.full(valid.shape, np.nan),
                  CustomerCounts((), empty, empty, empty, empty, np.zeros((0, 6), np.int64), np.zeros((0, 3))),
                  "default", CrossSums(*sums, np.ones(valid.shape, bool)))


def test_the_95_interval_covers_the_true_csi_about_95_percent_of_the_time():
    rng = np.random.default_rng(2)
    counts = _simulated_counts(rng, surveys=400, sizes=(200, 100))
    res = csi.compute(counts, csi.Weights(segments={"seg0": 60, "seg1": 40}))
    true_item = SHARES @ COEF[1:]  # equal item weights (no focus ticks)
    truth = 0.6 * 100 * true_item.mean() + 0.4 * 100 * true_item[::-1].mean()
    half = stats.intervals(counts, res).total_half()
    covered = np.abs(res.total - truth) <= half
    assert 0.92 <= covered.mean() <= 0.98, covered.mean()
