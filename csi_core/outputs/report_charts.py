"""The report's charts as PNG (matplotlib, Agg, the Noto Sans CJK font of ``mplfonts``;
no pyplot state shared between threads): the run chart and the item bars. The app's
interactive charts are plotly (``charts``).
"""
from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources

import numpy as np

from csi_core.method.grades import CSI_REVIEW_BELOW, ITEM_ACTION_MAX
from csi_core.outputs.formats import RED, num
from csi_core.outputs.report import MeetingReport

FONT_FILE = "fonts/NotoSansCJKsc-Regular.otf"  # inside the mplfonts package


@lru_cache(maxsize=1)
def font_path() -> str:
    """The Noto Sans CJK SC font file that pip installs with ``mplfonts``."""
    return str(resources.files("mplfonts").joinpath(FONT_FILE))


@lru_cache(maxsize=1)
def _family() -> str:
    """The font's family name, registered with matplotlib once per process."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(font_path())
    return font_manager.FontProperties(fname=font_path()).get_name()


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=150, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, _family()


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")  # the constrained layout fits the labels: one drawing, not two
    return buf.getvalue()


def _style(ax, family: str) -> None:
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontfamily(family)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e7ed", linewidth=0.8)
    ax.set_axisbelow(True)


def run_chart_png(rep: MeetingReport) -> bytes:
    """推移图: the total CSI and each segment's across periods; falls marked red, the
    review line at 80."""
    fig, family = _figure(7.2, 3.2)
    ax = fig.add_subplot()
    runs = rep.runs
    x = np.arange(len(runs))
    palette = ["#1f3a5f", "#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d"]
    for k, column in enumerate(runs.columns[1:]):
        y = runs[column].to_numpy(dtype=float)
        total = column == "total"
        label = rep.t("report.col.total") if total else column
        ax.plot(x, y, marker="o", linewidth=2.6 if total else 1.4, markersize=5 if total else 3,
                color=palette[k % len(palette)], label=label, zorder=3 if total else 2)
        if total:
            falls = np.flatnonzero(np.diff(y) < 0) + 1
            ax.scatter(x[falls], y[falls], s=70, facecolors="none", edgecolors=RED, linewidths=1.8, zorder=4)
            for xi, yi in zip(x, y):
                if not np.isnan(yi):
                    ax.annotate(num(yi), (xi, yi), textcoords="offset points", xytext=(0, 7), ha="center",
                                fontsize=7, fontfamily=family, color="#1f3a5f")
    ax.axhline(CSI_REVIEW_BELOW, color=RED, linestyle="--", linewidth=1)
    ax.set_xticks(x, runs.period)
    values = runs.iloc[:, 1:].to_numpy(dtype=float)
    low = np.nanmin(values) if np.isfinite(values).any() else 60
    ax.set_ylim(max(0, min(low, CSI_REVIEW_BELOW) - 5), 100)
    ax.legend(prop={"family": family, "size": 7}, ncol=min(4, len(runs.columns) - 1), loc="lower left", frameon=False)
    _style(ax, family)
    return _png(fig)


def items_chart_png(rep: MeetingReport, segments: list[str] | None = None) -> bytes:
    """This period's item scores as bars, one panel per segment; ≤ 70 % in red, with the 70 % line."""
    segments = list(rep.segments.segment) if segments is None else segments
    n_items = max([int((rep.items.segment == s).sum()) for s in segments] + [3])
    fig, family = _figure(2.45 * max(len(segments), 1) + 0.3, 0.24 * n_items + 0.8)
    low = min(50.0, 100 * rep.items.score.min() - 5) if len(rep.items) else 50.0
    for k, segment in enumerate(segments):
        ax = fig.add_subplot(1, max(len(segments), 1), k + 1)
        items = rep.items[rep.items.segment == segment].sort_values("score")
        y = np.arange(len(items))
        ax.barh(y, 100 * items.score, color=[RED if a else "#4c78a8" for a in items.action], height=0.65)
        for yi, v in zip(y, items.score):
            ax.text(100 * v + 0.8, yi, num(100 * v), va="center", fontsize=6.5, fontfamily=family)
        ax.axvline(ITEM_ACTION_MAX, color=RED, linestyle="--", linewidth=1)
        ax.set_yticks(y, items["item"], fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlim(max(0.0, low), 104)
        ax.set_title(segment, fontfamily=family, fontsize=9, loc="left")
        _style(ax, family)
        ax.grid(axis="x", color="#e3e7ed", linewidth=0.8)
        ax.grid(axis="y", visible=False)
    return _png(fig)
