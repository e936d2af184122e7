"""Figure builders (plotly): small functions that take numbers and return a ``go.Figure``.

No Streamlit here; pages draw the figures, tests check their data (x, y, marker colours,
shapes). Every figure reads on a projector: large fonts, few lines, grade bands in the
colours of :data:`csi_core.grades.GRADES`.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from . import i18n
from .grades import GRADES, grade_of, round_half_up
from .trends import falls

LINE = "#1f5f99"
FALL = "#d62828"
MISSING = "#8a94a3"
FONT = dict(family="'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif", size=16, color="#1b2430")
BAND_OPACITY = 0.13
# A shown (rounded) value belongs to a band from its lowest value minus half the last digit.
_HALF_DIGIT = 0.05


def _rgba(color: str, alpha: float) -> str:
    color = color.lstrip("#")
    r, g, b = (int(color[k:k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def band_edges() -> list[tuple[str, float, float, str]]:
    """(grade key, bottom, top, colour) of every band on the 0–100 scale, highest first.

    Examples
    --------
    >>> [(k, lo, hi) for k, lo, hi, _ in band_edges()][:2]
    [('very_satisfied', 97.95, 100.0), ('satisfied', 90.05, 97.95)]
    """
    out = []
    top = 100.0
    for g in GRADES:
        bottom = 0.0 if g.lowest == -math.inf else g.lowest - _HALF_DIGIT
        out.append((g.key, round(bottom, 2), round(top, 2), g.color))
        top = bottom
    return out


def _clean(values: Sequence[float]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _y_range(values: np.ndarray, threshold: float | None) -> list[float]:
    known = values[~np.isnan(values)].tolist() + ([threshold] if threshold is not None else [])
    if not known:
        return [0.0, 100.0]
    lo, hi = min(known) - 4, max(known) + 4
    if hi - lo < 16:
        middle = (hi + lo) / 2
        lo, hi = middle - 8, middle + 8
    return [max(0.0, math.floor(lo)), min(100.0, math.ceil(hi)) + (0.5 if hi >= 100 else 0)]


def _bands(fig: go.Figure, y_range: list[float], lang: str) -> None:
    """Grade bands as background rectangles, named at the right edge."""
    for key, bottom, top, color in band_edges():
        if top <= y_range[0] or bottom >= y_range[1]:
            continue
        fig.add_shape(type="rect", xref="paper", yref="y", x0=0, x1=1, y0=bottom, y1=top, layer="below",
                      line_width=0, fillcolor=_rgba(color, BAND_OPACITY), name=f"band:{key}")
        middle = (max(bottom, y_range[0]) + min(top, y_range[1])) / 2
        fig.add_annotation(xref="paper", yref="y", x=1.0, y=middle, xanchor="left", showarrow=False,
                           text=i18n.t(f"grade.{key}", lang), font=dict(size=13, color=color), name=f"band:{key}")


def _layout(fig: go.Figure, title: str, height: int, y_range: list[float] | None = None,
            y_title: str = "") -> go.Figure:
    fig.update_layout(
        title=dict(text=title, font=dict(size=22)), font=FONT, height=height, showlegend=False,
        margin=dict(l=60, r=110, t=60 if title else 20, b=50), plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        hoverlabel=dict(font_size=16))
    fig.update_xaxes(type="category", showgrid=False, linecolor="#9aa5b4", tickfont=dict(size=16))
    fig.update_yaxes(gridcolor="#e3e8ee", zeroline=False, tickfont=dict(size=15), title_text=y_title)
    if y_range is not None:
        fig.update_yaxes(range=y_range)
    return fig


def run_chart(periods: Sequence[str], values: Sequence[float], title: str = "", threshold: float | None = None,
              lang: str = "zh", height: int = 460, unit: str = "") -> go.Figure:
    """A run chart (推移图): the values by period on the grade bands, the threshold line
    (80 for a CSI, 70 for an item in %), and every fall from the previous period in red
    with its change.

    ``values`` are on the 0–100 scale; NaN is a gap. Trace 0 is the series; its
    ``marker.color`` is red at falls.
    """
    periods = list(periods)
    y = _clean(values)
    drops = falls(periods, y)
    fell = {f.period for f in drops}
    colors = [FALL if p in fell else LINE for p in periods]
    sizes = [16 if p in fell else 11 for p in periods]
    y_range = _y_range(y, threshold)
    fig = go.Figure(go.Scatter(
        x=periods, y=y, mode="lines+markers+text", name=title or "value",
        line=dict(color=LINE, width=3), marker=dict(color=colors, size=sizes, line=dict(color="#fff", width=1.5)),
        text=[_shown(v) for v in y], textposition="top center", textfont=dict(size=15, color="#1b2430"),
        hovertemplate="%{x}: %{y:.2f}" + unit + "<extra></extra>", connectgaps=True, cliponaxis=False))
    _bands(fig, y_range, lang)
    if threshold is not None:
        fig.add_shape(type="line", xref="paper", yref="y", x0=0, x1=1, y0=threshold, y1=threshold,
                      line=dict(color="#5b6573", width=2, dash="dash"), name=f"threshold:{threshold:g}")
        fig.add_annotation(xref="paper", yref="y", x=0, y=threshold, xanchor="left", yanchor="bottom",
                           showarrow=False, text=f"{threshold:g}{unit}", font=dict(size=14, color="#5b6573"),
                           name="threshold")
    for f in drops:
        fig.add_annotation(x=f.period, y=f.value, text=i18n.t("charts.fall", lang, change=f"{f.change:.1f}"),
                           showarrow=True, arrowhead=0, ax=0, ay=36, font=dict(size=15, color=FALL),
                           bgcolor="rgba(255,255,255,0.85)", name="fall")
    return _layout(fig, title, height, y_range)


def _shown(value: float) -> str:
    return "" if math.isnan(value) else f"{round_half_up(value):.1f}"


def sparkline(periods: Sequence[str], values: Sequence[float], height: int = 170) -> go.Figure:
    """A small run chart of a CSI for a card: markers in grade colours, no axes' clutter."""
    y = _clean(values)
    colors = [MISSING if math.isnan(v) else grade_of(v).color for v in y]
    fig = go.Figure(go.Scatter(
        x=list(periods), y=y, mode="lines+markers", line=dict(color=LINE, width=3),
        marker=dict(color=colors, size=10), connectgaps=True, hovertemplate="%{x}: %{y:.1f}<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=40, r=10, t=10, b=30), showlegend=False, font=FONT,
                      plot_bgcolor="#ffffff", paper_bgcolor="#ffffff")
    fig.update_xaxes(type="category", showgrid=False, tickfont=dict(size=13))
    fig.update_yaxes(gridcolor="#eef1f5", tickfont=dict(size=13), nticks=4)
    return fig


def contribution_chart(names: Sequence[str], weights: Sequence[float], scores: Sequence[float],
                       title: str = "", lang: str = "zh", height: int | None = None) -> go.Figure:
    """What each segment (or item) adds to the total: weight (0–1) × score (0–100).

    The bars sum to the total CSI (or the segment CSI for items). Bars are coloured by
    the grade of the score; the text says weight × score = contribution.
    """
    w = _clean(weights)
    s = _clean(scores)
    contribution = np.where(np.isnan(s), 0.0, w * np.nan_to_num(s))
    colors = [MISSING if math.isnan(v) else grade_of(v).color for v in s]
    text = [i18n.t("charts.contribution_text", lang, weight=f"{round_half_up(100 * a):.1f} %",
                   score=_shown(b) or "—", value=f"{round_half_up(c):.1f}")
            for a, b, c in zip(w, s, contribution)]
    labels = list(names)
    fig = go.Figure(go.Bar(
        y=labels, x=contribution, orientation="h", marker=dict(color=colors), text=text, textposition="outside",
        textfont=dict(size=15), cliponaxis=False, hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category", tickfont=dict(size=16))
    top = float(contribution.max()) if len(contribution) else 1.0
    fig.update_xaxes(range=[0, max(top, 1e-9) * 1.55], showgrid=True, gridcolor="#eef1f5")
    _layout(fig, title, height or max(180, 62 * len(labels) + 80))
    fig.update_xaxes(type="linear")
    fig.update_layout(margin=dict(l=10, r=20))
    return fig


def segment_bars(names: Sequence[str], values: Sequence[float], title: str = "", threshold: float | None = 80.0,
                 height: int = 380) -> go.Figure:
    """Segment CSIs side by side, coloured by grade, with the 80 line."""
    y = _clean(values)
    colors = [MISSING if math.isnan(v) else grade_of(v).color for v in y]
    fig = go.Figure(go.Bar(x=list(names), y=y, marker=dict(color=colors), text=[_shown(v) for v in y],
                           textposition="outside", textfont=dict(size=18), cliponaxis=False,
                           hovertemplate="%{x}: %{y:.2f}<extra></extra>"))
    if threshold is not None:
        fig.add_shape(type="line", xref="paper", yref="y", x0=0, x1=1, y0=threshold, y1=threshold,
                      line=dict(color="#5b6573", width=2, dash="dash"), name=f"threshold:{threshold:g}")
    known = y[~np.isnan(y)]
    top = float(known.max()) if len(known) else 100.0
    return _layout(fig, title, height, [0, min(100.0, top + 12) if top < 95 else 105])
