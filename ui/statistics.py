"""App-side glue of the statistics: cached questionnaires and the texts beside a score
(interval, significance marker, grade margin). The formulas are in ``csi_core.method``."""
from __future__ import annotations

import math

import streamlit as st

from csi_core.method import stats
from csi_core.method.counts import Counts, Questionnaires
from csi_core.method.csi import Results
from ui import state
from ui.state import tr
from ui.widgets import fmt, fmt_delta, grade_name


def intervals(counts: Counts, res: Results) -> stats.Intervals:
    """The variances of every score for these results (a few thousand multiplications)."""
    return stats.intervals(counts, res)


@st.cache_resource(show_spinner=False, max_entries=16)
def _questionnaires(path: str, version: int, period: str, branch: str | None, _counts: Counts) -> Questionnaires:
    return state.store().questionnaires(_counts, period)


def questionnaires(counts: Counts, period: str) -> Questionnaires:
    """One period's valid questionnaires (customer intervals, derived importance), cached."""
    s = state.store()
    return _questionnaires(s.path, s.data_version(), period, counts.branch, counts)


def half_text(variance: float, scale: float = 1.0) -> str:
    """"95 % interval ±1.2" (``scale`` 100 for 0–1 item scores), or why there is none."""
    if variance is None or math.isnan(variance):
        return tr("stats.no_interval")
    return tr("stats.half", half=fmt(scale * stats.intervals_module.Z95 * math.sqrt(variance)))


def mark(found: stats.Change | None) -> str:
    """◆ significant / ○ within noise / – cannot tell: a shape and a word, never colour alone."""
    if found is None:
        return ""
    if found.significant is None:
        return tr("stats.unknown")
    return tr("stats.significant") if found.significant else tr("stats.noise")


def change_text(found: stats.Change | None, scale: float = 1.0) -> str:
    """"change −2.5 (95 % interval −4.1 to −0.9) ◆ significant"."""
    if found is None:
        return ""
    if found.low is None:
        return f"{fmt_delta(scale * found.delta)} {mark(found)}"
    return tr("stats.change_interval", delta=fmt_delta(scale * found.delta), low=fmt_delta(scale * found.low),
              high=fmt_delta(scale * found.high)) + " " + mark(found)


def margin_text(margin: stats.Margin | None) -> str:
    """The grade margin in a sentence."""
    if margin is None:
        return tr("stats.margin_none")
    return tr("stats.margin", points=f"{margin.points:.1f}", source=margin.source, target=margin.target,
              total=fmt(margin.total), grade=grade_name(margin.total))


def adequacy(n: int, variance: float) -> str | None:
    """"too few questionnaires to compare (half-width 6.1; about 420 would give ±3)" or None."""
    if variance is None or math.isnan(variance):
        return None
    half = stats.intervals_module.Z95 * math.sqrt(variance)
    if half <= stats.ADEQUATE_HALF_WIDTH:
        return None
    return tr("stats.too_few") + " · " + tr("stats.too_few_help", half=fmt(half), n=stats.needed_n(n, half))
