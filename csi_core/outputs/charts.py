"""Figure builders (plotly): small functions that take numbers and return a ``go.Figure``.

No Streamlit here; pages draw the figures, tests check their data (x, y, marker colours,
shapes). Every figure reads on a projector: large fonts, few lines, grade bands in the
colours of :data:`csi_core.method.grades.GRADES`.
"""
from __future__ import annotations

import html
import math
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from csi_core import i18n
from csi_core.method.grades import GRADE_BY_KEY, GRADES, grade_of, round_half_up
from csi_core.method.trends import falls

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



def _bands(y_range: list[float], lang: str) -> tuple[list[dict], list[dict]]:
    """Grade bands as background rectangles, and their names at the right edge."""
    shapes, notes = [], []
    for key, bottom, top, color in band_edges():
        if top <= y_range[0] or bottom >= y_range[1]:
            continue
        shapes.append(dict(type="rect", xref="paper", yref="y", x0=0, x1=1, y0=bottom, y1=top, layer="below",
                           line=dict(width=0), fillcolor=_rgba(color, BAND_OPACITY), name=f"band:{key}"))
        middle = (max(bottom, y_range[0]) + min(top, y_range[1])) / 2
        notes.append(dict(xref="paper", yref="y", x=1.0, y=middle, xanchor="left", showarrow=False,
                          text=i18n.t(f"grade.{key}", lang), font=dict(size=13, color=color), name=f"band:{key}"))
    return shapes, notes


def _threshold(value: float) -> dict:
    return dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=value, y1=value,
                line=dict(color="#5b6573", width=2, dash="dash"), name=f"threshold:{value:g}")


def _figure(data: list[dict], title: str, height: int, xaxis: dict | None = None, yaxis: dict | None = None,
            shapes: list[dict] = (), annotations: list[dict] = (), margin: dict | None = None) -> go.Figure:
    """A figure from plain specs, built without plotly's validation (the slow part of
    building a figure: these functions run on every slider move)."""
    layout = dict(
        title=dict(text=title, font=dict(size=22)), font=FONT, height=height, showlegend=False,
        margin=margin or dict(l=60, r=110, t=60 if title else 20, b=50), plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff", hoverlabel=dict(font=dict(size=16)),
        xaxis={"type": "category", "showgrid": False, "linecolor": "#9aa5b4", "tickfont": dict(size=16),
               **(xaxis or {})},
        yaxis={"gridcolor": "#e3e8ee", "zeroline": False, "tickfont": dict(size=15), **(yaxis or {})},
        shapes=list(shapes), annotations=list(annotations))
    return go.Figure(dict(data=data, layout=layout), _validate=False)


def _list(values: np.ndarray) -> list:
    return [None if math.isnan(v) else float(v) for v in values]


def _shown(value: float) -> str:
    return "" if math.isnan(value) else f"{round_half_up(value):.1f}"


def _colors(values: np.ndarray) -> list[str]:
    return [MISSING if math.isnan(v) else grade_of(v).color for v in values]


def run_chart(periods: Sequence[str], values: Sequence[float], title: str = "", threshold: float | None = None,
              lang: str = "zh", height: int = 460, unit: str = "", highlight: str | None = None) -> go.Figure:
    """A run chart (推移图): the values by period on the grade bands, the threshold line
    (80 for a CSI, 70 for an item in %), and every fall from the previous period in red
    with its change.

    ``values`` are on the 0–100 scale; NaN is a gap (``None`` in the figure). Trace 0 is
    the series; its ``marker.color`` is red at falls. ``highlight`` shades one period
    (the one picked in the app).
    """
    periods = list(periods)
    y = _clean(values)
    drops = falls(periods, y)
    fell = {f.period for f in drops}
    y_range = _y_range(y, threshold)
    line = dict(
        type="scatter", x=periods, y=_list(y), mode="lines+markers+text", name=title or "value",
        line=dict(color=LINE, width=3),
        marker=dict(color=[FALL if p in fell else LINE for p in periods],
                    size=[16 if p in fell else 11 for p in periods], line=dict(color="#fff", width=1.5)),
        text=[_shown(v) for v in y], textposition="top center", textfont=dict(size=15, color="#1b2430"),
        hovertemplate="%{x}: %{y:.2f}" + unit + "<extra></extra>", connectgaps=True, cliponaxis=False)
    shapes, notes = _bands(y_range, lang)
    if threshold is not None:
        shapes.append(_threshold(threshold))
        notes.append(dict(xref="paper", yref="y", x=0, y=threshold, xanchor="left", yanchor="bottom",
                          showarrow=False, text=f"{threshold:g}{unit}", font=dict(size=14, color="#5b6573"),
                          name="threshold"))
    if highlight in periods:
        k = periods.index(highlight)
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=k - 0.45, x1=k + 0.45, y0=0, y1=1, layer="below",
                           line=dict(width=0), fillcolor="rgba(31,95,153,0.10)", name=f"highlight:{highlight}"))
    notes += [dict(x=f.period, y=f.value, text=i18n.t("charts.fall", lang, change=f"{f.change:.1f}"),
                   showarrow=True, arrowhead=0, ax=0, ay=36, font=dict(size=15, color=FALL),
                   bgcolor="rgba(255,255,255,0.85)", name="fall") for f in drops]
    return _figure([line], title, height, yaxis=dict(range=y_range), shapes=shapes, annotations=notes)


def with_complaints(fig: go.Figure, periods: Sequence[str], counts: Sequence[int], lang: str = "zh") -> go.Figure:
    """The complaints naming the charted item, per period, as grey bars on a right-hand
    axis under the run chart (the bars are the figure's last trace, named by
    ``charts.complaints``)."""
    top = max(max(counts, default=0), 1)
    fig.add_trace(go.Bar(x=list(periods), y=list(counts), name=i18n.t("charts.complaints", lang), yaxis="y2",
                         marker=dict(color="rgba(91,101,115,0.35)"), text=[str(c) if c else "" for c in counts],
                         textposition="inside", hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_layout(yaxis2=dict(overlaying="y", side="right", range=[0, top * 3], showgrid=False,
                                  title=dict(text=i18n.t("charts.complaints", lang)), dtick=max(1, top // 3)),
                      barmode="overlay")
    return fig


def sparkline(periods: Sequence[str], values: Sequence[float], height: int = 170) -> go.Figure:
    """A small run chart of a CSI for a card: markers in grade colours, no axes' clutter."""
    y = _clean(values)
    data = [dict(type="scatter", x=list(periods), y=_list(y), mode="lines+markers", line=dict(color=LINE, width=3),
                 marker=dict(color=_colors(y), size=10), connectgaps=True,
                 hovertemplate="%{x}: %{y:.1f}<extra></extra>")]
    return _figure(data, "", height, xaxis=dict(tickfont=dict(size=13)),
                   yaxis=dict(gridcolor="#eef1f5", tickfont=dict(size=13), nticks=4),
                   margin=dict(l=40, r=10, t=10, b=30))


def contribution_chart(names: Sequence[str], weights: Sequence[float], scores: Sequence[float],
                       title: str = "", lang: str = "zh", height: int | None = None) -> go.Figure:
    """What each segment (or item) adds to the total: weight (0–1) × score (0–100).

    The bars sum to the total CSI (or the segment CSI for items). Bars are coloured by
    the grade of the score; the text says weight × score = contribution.
    """
    w = _clean(weights)
    s = _clean(scores)
    contribution = np.where(np.isnan(s), 0.0, w * np.nan_to_num(s))
    text = [i18n.t("charts.contribution_text", lang, weight=f"{round_half_up(100 * a):.1f} %",
                   score=_shown(b) or "—", value=f"{round_half_up(c):.1f}")
            for a, b, c in zip(w, s, contribution)]
    top = float(contribution.max()) if len(contribution) else 1.0
    data = [dict(type="bar", y=list(names), x=contribution.tolist(), orientation="h", marker=dict(color=_colors(s)),
                 text=text, textposition="outside", textfont=dict(size=15), cliponaxis=False,
                 hovertemplate="%{y}: %{x:.2f}<extra></extra>")]
    return _figure(data, title, height or max(180, 62 * len(names) + 80),
                   xaxis=dict(type="linear", range=[0, max(top, 1e-9) * 2.1], showgrid=True, gridcolor="#eef1f5",
                              tickfont=dict(size=14)),
                   yaxis=dict(type="category", autorange="reversed", tickfont=dict(size=16), gridcolor="#ffffff"),
                   margin=dict(l=10, r=20, t=60 if title else 20, b=40))


def segment_bars(names: Sequence[str], values: Sequence[float], title: str = "", threshold: float | None = 80.0,
                 height: int = 380) -> go.Figure:
    """Segment CSIs side by side, coloured by grade, with the 80 line."""
    y = _clean(values)
    known = y[~np.isnan(y)]
    top = float(known.max()) if len(known) else 100.0
    data = [dict(type="bar", x=list(names), y=_list(y), marker=dict(color=_colors(y)),
                 text=[_shown(v) for v in y], textposition="outside", textfont=dict(size=18), cliponaxis=False,
                 hovertemplate="%{x}: %{y:.2f}<extra></extra>")]
    return _figure(data, title, height, yaxis=dict(range=[0, min(100.0, top + 12) if top < 95 else 105]),
                   shapes=[_threshold(threshold)] if threshold is not None else [])


# Grade bands as bar patterns (plotly pattern shapes), so a band reads in greyscale too.
GRADE_PATTERNS = {"very_satisfied": "", "satisfied": "/", "fairly_satisfied": ".", "dissatisfied": "x",
                  "very_dissatisfied": "-"}
# and as marks beside their names (five dots, as many filled as the band is high)
GRADE_MARKS = {"very_satisfied": "●●●●●", "satisfied": "●●●●○", "fairly_satisfied": "●●●○○",
               "dissatisfied": "●●○○○", "very_dissatisfied": "●○○○○"}


def grade_bars(names: Sequence[str], values: Sequence[float], grades: Sequence[str | None], lang: str = "zh",
               unit: str = "", threshold: float | None = None, height: int | None = None) -> go.Figure:
    """Horizontal bars for a projector: each bar in its band's colour *and* pattern, its
    value at its end and its band's mark and name under its label (never colour alone);
    the first name at the top."""
    y = _clean(values)
    colors = [GRADE_BY_KEY[g].color if g else MISSING for g in grades]
    patterns = [GRADE_PATTERNS.get(g or "", "") for g in grades]
    labels = [f"{html.escape(str(name), quote=False)}<br><span style='font-size:18px'>{GRADE_MARKS[g]} "
              f"{i18n.t(f'grade.{g}', lang)}</span>" if g else html.escape(str(name), quote=False)
              for name, g in zip(names, grades)]  # names are user text: never markup
    data = [dict(type="bar", y=labels, x=_list(y), orientation="h",
                 marker=dict(color=colors, line=dict(color="#111822", width=2),
                             pattern=dict(shape=patterns, fgcolor="#ffffff", size=10, solidity=0.35)),
                 text=[f"{_shown(v)}{unit}" for v in y], textposition="outside",
                 textfont=dict(size=26, color="#111822"), cliponaxis=False,
                 hovertemplate="%{y}: %{x:.2f}<extra></extra>")]
    shapes = [dict(type="line", xref="x", yref="paper", x0=threshold, x1=threshold, y0=0, y1=1,
                   line=dict(color="#111822", width=3, dash="dash"), name=f"threshold:{threshold:g}")] \
        if threshold is not None else []
    per_bar = 110 if len(names) <= 4 else 72 if len(names) <= 8 else 52  # a few bars: each one large
    return _figure(data, "", height or max(260, per_bar * len(names) + 90),
                   xaxis=dict(type="linear", range=[0, 118], showgrid=True, gridcolor="#d5dbe3",
                              tickfont=dict(size=18, color="#111822"), tickvals=[0, 20, 40, 60, 80, 100]),
                   yaxis=dict(type="category", autorange="reversed", tickfont=dict(size=23, color="#111822"),
                              gridcolor="#ffffff"),
                   shapes=shapes, margin=dict(l=10, r=30, t=20, b=40))


def projector(fig: go.Figure, size: int = 22) -> go.Figure:
    """A figure's type made large for a projector (axis ticks, point labels, notes)."""
    fig.update_layout(font=dict(size=size, color="#111822"), xaxis=dict(tickfont=dict(size=size - 4, color="#111822")),
                      yaxis=dict(tickfont=dict(size=size - 2, color="#111822")))
    fig.update_traces(textfont=dict(size=size))
    fig.update_annotations(font=dict(size=size - 4))
    return fig
