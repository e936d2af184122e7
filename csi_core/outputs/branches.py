"""Branches side by side (分公司): each branch's CSI for a period with the company's
weights in force, ranked, and a branch's section of the meeting report (its CSI, its
segments, its items at or below 70 %).

A branch is a view of the stored rows (:meth:`Store.counts` with a branch), never a new
weight: the company's total is computed as before, from all rows together.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from csi_core import i18n
from csi_core.method import csi, inforce
from csi_core.method.grades import grade_of, item_needs_action
from csi_core.reading.periods import sort_periods
from csi_core.store.db import Store


def label(branch: str | None, lang: str) -> str:
    """全公司 / 总部 / the branch's own name."""
    if branch is None:
        return i18n.t("branch.company", lang)
    return branch or i18n.t("branch.headquarters", lang)


def branch_results(store: Store, branch: str) -> tuple[csi.Results, object]:
    """One branch's results with the company's weights in force, and its counts."""
    counts = store.counts(branch)
    force = inforce.company(counts, store.get_setting("segment_weights"), store.get_setting("item_weights"))
    return csi.compute(counts, force.weights), counts


def ranking(store: Store, period: str) -> pd.DataFrame:
    """The branches holding questionnaires of ``period``, best CSI first (no CSI last):
    branch ("" = headquarters), csi, grade key, valid, returned."""
    return _ranked(store, period)[0]


def _ranked(store: Store, period: str) -> tuple[pd.DataFrame, dict[str, csi.Results]]:
    """:func:`ranking`, and each ranked branch's results (computed once for both)."""
    rows, found = [], {}
    for branch in store.branch_names():
        res, counts = branch_results(store, branch)
        if period not in res.periods:
            continue
        p = res.period_index(period)
        total = float(res.total[p])
        found[branch] = res
        rows.append({"branch": branch, "csi": total, "grade": None if np.isnan(total) else grade_of(total).key,
                     "valid": int(counts.valid[p].sum()), "returned": int(counts.returned[p].sum())})
    table = pd.DataFrame(rows, columns=["branch", "csi", "grade", "valid", "returned"])
    return table.sort_values(["csi", "branch"], ascending=[False, True], na_position="last",
                             kind="stable").reset_index(drop=True), found


@dataclass(frozen=True)
class BranchSection:
    """A branch's page of the report: its CSI for the period, its segments (segment,
    weight, valid, csi, grade) and its items at or below 70 % (segment, item, n, score 0–1)."""

    branch: str
    csi: float
    grade: str | None
    valid: int
    returned: int
    segments: pd.DataFrame
    items: pd.DataFrame


def sections(store: Store, period: str) -> tuple[BranchSection, ...]:
    """One section per branch with questionnaires in ``period``, in the order of
    :func:`ranking`; none when the stored data has fewer than two branches."""
    if len(store.branch_names()) < 2:
        return ()
    out = []
    table, found = _ranked(store, period)
    for row in table.itertuples():
        res = found[row.branch]
        p = res.period_index(period)
        out.append(BranchSection(row.branch, row.csi, row.grade, row.valid, row.returned,
                                 _segments(res, p), _weak_items(res, p)))
    return tuple(out)


def _segments(res: csi.Results, p: int) -> pd.DataFrame:
    rows = [{"segment": segment, "weight": float(res.segment_weight[p, s]), "valid": int(res.valid[p, s]),
             "csi": float(res.segment_csi[p, s]),
             "grade": None if np.isnan(res.segment_csi[p, s]) else grade_of(res.segment_csi[p, s]).key}
            for s, segment in enumerate(res.segments) if res.returned[p, s]]
    return pd.DataFrame(rows, columns=["segment", "weight", "valid", "csi", "grade"])


def _weak_items(res: csi.Results, p: int) -> pd.DataFrame:
    """Items at or below 70 % (after half-up rounding), lowest first."""
    rows = [{"segment": segment, "item": res.items[i], "n": int(res.item_n[p, s, i]),
             "score": float(res.item_score[p, s, i])}
            for s, segment in enumerate(res.segments) for i in np.flatnonzero(res.item_n[p, s] > 0)
            if item_needs_action(float(res.item_score[p, s, i]))]
    table = pd.DataFrame(rows, columns=["segment", "item", "n", "score"])
    return table.sort_values("score", kind="stable").reset_index(drop=True)


# what an import does to a period, by the branches it brings and those stored (Store.branch_plan)
NEW, ADDS, REPLACES_BRANCHES, REPLACES_PERIOD = "new", "adds", "replaces_branches", "replaces_period"
ACTIONS = (NEW, ADDS, REPLACES_BRANCHES, REPLACES_PERIOD)


def import_plan(plan: dict[str, tuple[frozenset, frozenset]]) -> pd.DataFrame:
    """Per period of an upload: the branches it brings, those stored, and what the import
    does — ``new`` period, ``adds`` to the period (its branches are not there yet),
    ``replaces_branches`` (only the rows of ``replaced``, the other branches stay) or
    ``replaces_period`` (the upload holds every stored branch).

    Examples
    --------
    >>> plan = {"2026Q1": (frozenset({""}), frozenset({"北区"})), "2026Q2": (frozenset(), frozenset({""})),
    ...         "2026Q3": (frozenset({"", "北区"}), frozenset({"北区"}))}
    >>> import_plan(plan)[["period", "action", "replaced"]].values.tolist()
    [['2026Q1', 'adds', []], ['2026Q2', 'new', []], ['2026Q3', 'replaces_branches', ['北区']]]
    """
    rows = []
    for period, (stored, incoming) in plan.items():
        overlap = stored & incoming
        action = (NEW if not stored else ADDS if not overlap
                  else REPLACES_PERIOD if stored <= incoming else REPLACES_BRANCHES)
        rows.append({"period": period, "brings": sorted(incoming), "stored": sorted(stored), "action": action,
                     "replaced": sorted(overlap)})
    return pd.DataFrame(rows, columns=["period", "brings", "stored", "action", "replaced"])


def coverage(table: pd.DataFrame) -> pd.DataFrame:
    """Per stored period (``Store.branches()``): the branches in it and those missing —
    seen in some stored period but not in this one.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2026Q1", "2026Q1", "2026Q2"], "branch": ["", "北区", ""],
    ...                   "returned": [3, 2, 4]})
    >>> coverage(t).values.tolist()
    [['2026Q1', ['', '北区'], []], ['2026Q2', [''], ['北区']]]
    """
    ours = table[table.returned > 0] if "returned" in table else table
    every = sorted(set(ours.branch))
    rows = []
    for period in sort_periods(set(ours.period)):
        present = sorted(set(ours.branch[ours.period == period]))
        rows.append({"period": period, "present": present, "missing": [b for b in every if b not in present]})
    return pd.DataFrame(rows, columns=["period", "present", "missing"])
