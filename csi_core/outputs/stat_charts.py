"""The statistics drawn on charts: the 95 % band and XmR control limits on a run chart,
and the importance–performance map. Figures only; pages and reports draw them."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from csi_core import i18n
from csi_core.method.control import Control
from csi_core.method.importance import quadrants

BAND = "rgba(31,95,153,0.16)"
LIMIT = "#6a4c93"
SIGNAL = "#1b2430"
QUADRANT_COLOURS = {"concentrate": "#d62828", "keep_up": "#2b9348", "low_priority": "#8a94a3", "overkill": "#b58900"}
QUADRANT_SYMBOLS = {"concentrate": "diamond", "keep_up": "circle", "low_priority": "square", "overkill": "triangle-up"}


def _nums(values: Sequence[float]) -> list:
    return [None if v is None or math.isnan(float(v)) else float(v) for v in values]


def add_statistics(fig: go.Figure, periods: Sequence[str], values: Sequence[float], low: Sequence[float],
                   high: Sequence[float], limits: Control | None, marks: Sequence[str | None],
                   lang: str = "zh") -> go.Figure:
    """Add to a run chart: the 95 % interval as a band (traces ``ci95-low`` and ``ci95``),
    the control limits as dashed lines (shapes ``control:centre|lcl|ucl``) or, without
    them, a note saying so (``control:none``), and the signals as open diamonds (trace
    ``signals``). Values in the chart's unit; NaN where there is none."""
    periods = list(periods)
    fig.add_trace(go.Scatter(x=periods, y=_nums(low), mode="lines", line=dict(width=0), hoverinfo="skip",
                             name="ci95-low", showlegend=False, connectgaps=True))
    fig.add_trace(go.Scatter(x=periods, y=_nums(high), mode="lines", line=dict(width=0), fill="tonexty",
                             fillcolor=BAND, hoverinfo="skip", name="ci95", showlegend=False, connectgaps=True))
    known = [v for v in (*_nums(low), *_nums(high)) if v is not None]
    if limits is None:
        fig.add_annotation(xref="paper", yref="paper", x=0, y=1.0, xanchor="left", yanchor="bottom", showarrow=False,
                           text=i18n.t("stats.no_control", lang), font=dict(size=13, color=LIMIT), name="control:none")
    else:
        labels = {"centre": i18n.t("stats.centre", lang), "lcl": i18n.t("stats.lcl", lang),
                  "ucl": i18n.t("stats.ucl", lang)}
        for key, y, dash in (("centre", limits.centre, "dot"), ("lcl", limits.lcl, "dash"), ("ucl", limits.ucl, "dash")):
            fig.add_shape(type="line", xref="paper", yref="y", x0=0, x1=1, y0=y, y1=y, name=f"control:{key}",
                          line=dict(color=LIMIT, width=1.5, dash=dash))
            fig.add_annotation(xref="paper", yref="y", x=0.005, y=y, xanchor="left", yanchor="bottom", showarrow=False,
                               name=f"control:{key}", bgcolor="rgba(255,255,255,0.7)",
                               text=f"{labels[key]} {y:.1f}", font=dict(size=12, color=LIMIT))
        known += [limits.lcl, limits.ucl]
    hits = [k for k, m in enumerate(marks) if m]
    if hits:
        fig.add_trace(go.Scatter(
            x=[periods[k] for k in hits], y=[float(values[k]) for k in hits], mode="markers", name="signals",
            marker=dict(symbol="diamond-open", size=26, line=dict(width=3, color=SIGNAL)), hoverinfo="skip",
            showlegend=False))
    if known:
        lo, hi = fig.layout.yaxis.range or (min(known), max(known))
        fig.update_yaxes(range=[max(0.0, min(lo, math.floor(min(known)) - 1)), min(101.0, max(hi, math.ceil(max(known)) + 1))])
    return fig


def importance_map(items: Sequence[str], score: np.ndarray, importance: np.ndarray, title: str = "",
                   lang: str = "zh", height: int = 520) -> go.Figure:
    """The importance–performance map: x = score (%), y = stated importance (%), dashed
    lines at the means, each quadrant named (GB/T 19038) and each item marked by its
    quadrant's shape and colour."""
    x, y = 100 * np.asarray(score, float), 100 * np.asarray(importance, float)
    quads = quadrants(x, y)
    fig = go.Figure()
    for quad in ("concentrate", "keep_up", "low_priority", "overkill"):
        ks = [k for k, q in enumerate(quads) if q == quad]
        if ks:
            fig.add_trace(go.Scatter(
                x=x[ks].tolist(), y=y[ks].tolist(), mode="markers+text", name=i18n.t(f"analysis.quadrant.{quad}", lang),
                text=[items[k] for k in ks], textposition="top center", textfont=dict(size=14),
                marker=dict(size=16, symbol=QUADRANT_SYMBOLS[quad], color=QUADRANT_COLOURS[quad]),
                hovertemplate="%{text}: %{x:.1f} %, %{y:.1f} %<extra></extra>"))
    mx, my = float(x.mean()), float(y.mean())
    pad_x, pad_y = max(3.0, np.ptp(x) * 0.15), max(3.0, np.ptp(y) * 0.2)
    xr, yr = [x.min() - pad_x, x.max() + pad_x], [max(0.0, y.min() - pad_y), y.max() + pad_y]
    for axis, at in (("x", mx), ("y", my)):
        fig.add_shape(type="line", xref="x" if axis == "x" else "paper", yref="paper" if axis == "x" else "y",
                      x0=at if axis == "x" else 0, x1=at if axis == "x" else 1, y0=0 if axis == "x" else at,
                      y1=1 if axis == "x" else at, line=dict(color="#5b6573", width=1.5, dash="dash"), name=f"mean:{axis}")
    corners = {"concentrate": (0.01, 0.99, "left", "top"), "keep_up": (0.99, 0.99, "right", "top"),
               "low_priority": (0.01, 0.01, "left", "bottom"), "overkill": (0.99, 0.01, "right", "bottom")}
    for quad, (cx, cy, xa, ya) in corners.items():
        fig.add_annotation(xref="paper", yref="paper", x=cx, y=cy, xanchor=xa, yanchor=ya, showarrow=False,
                           text=f"<b>{i18n.t(f'analysis.quadrant.{quad}', lang)}</b>", name=f"quadrant:{quad}",
                           font=dict(size=16, color=QUADRANT_COLOURS[quad]))
    fig.update_layout(title=dict(text=title, font=dict(size=20)), height=height, plot_bgcolor="#ffffff",
                      font=dict(size=15), legend=dict(orientation="h", y=-0.15),
                      xaxis=dict(title=i18n.t("analysis.score", lang), range=xr, gridcolor="#eef1f5"),
                      yaxis=dict(title=i18n.t("analysis.stated", lang), range=yr, gridcolor="#eef1f5"),
                      margin=dict(l=60, r=30, t=60 if title else 20, b=60))
    return fig
