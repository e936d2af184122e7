"""The PDF report's charts, drawn as vector lines and text straight onto the page (fpdf2):
the run chart of the total and segment CSIs, and the item bars per segment. No raster
image and no matplotlib: a page of charts costs milliseconds (the HTML page keeps its
matplotlib PNGs, ``report_charts``).
"""
from __future__ import annotations

import math

import numpy as np

from csi_core.method.grades import CSI_REVIEW_BELOW, ITEM_ACTION_MAX, round_half_up
from csi_core.outputs import formats as fm
from csi_core.outputs.report import MeetingReport

PALETTE = ("#1f3a5f", "#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d")
BAR = "#4c78a8"
GRID = "#e3e7ed"
INK = "#1b2430"
MUTED = "#5b6573"
RUN_HEIGHT = 78.0  # mm, the run chart with its legend
PANELS = 3  # item panels side by side


def _low(values: np.ndarray, floor: float) -> float:
    """The axis' lower end: 5 below the lowest value (or ``floor``), down to a multiple of 5."""
    finite = values[np.isfinite(values)]
    low = min(float(finite.min()) if finite.size else floor, floor) - 5
    return max(0.0, 5 * math.floor(low / 5))


def _color(pdf, color: str, fill: bool = False) -> None:
    pdf.set_draw_color(*fm.rgb(color))
    if fill:
        pdf.set_fill_color(*fm.rgb(color))


def _text(pdf, x: float, y: float, text: str, size: float = 7, color: str = MUTED, align: str = "L",
          width: float = 0) -> None:
    """Text whose vertical middle is at ``y``; ``align`` against ``x`` (L, C or R)."""
    pdf.set_font("noto", size=size)
    pdf.set_text_color(*fm.rgb(color))
    w = width or pdf.get_string_width(text) + 0.5
    left = {"L": x, "C": x - w / 2, "R": x - w}[align]
    pdf.set_xy(left, y - size * 0.2)
    pdf.cell(w, size * 0.4, text, align=align)


def run_chart(pdf, rep: MeetingReport, x0: float, y0: float, width: float) -> float:
    """推移图 at (x0, y0): the total CSI (thick, values labelled, falls circled red) and each
    segment's, the review line at 80, the legend below. Returns the height used (mm)."""
    runs = rep.runs
    series = [(c, runs[c].to_numpy(dtype=float)) for c in runs.columns[1:]]
    low = _low(np.concatenate([v for _, v in series]), CSI_REVIEW_BELOW)
    left, right, top, plot_h = x0 + 9, x0 + width - 2, y0 + 4, RUN_HEIGHT - 20
    span = max(len(runs) - 1, 1)

    def px(k: int) -> float:
        return left + 4 + (right - left - 8) * k / span

    def py(v: float) -> float:
        return top + plot_h * (100 - v) / (100 - low)

    pdf.set_line_width(0.2)
    for v in range(int(low), 101, 5 if 100 - low <= 30 else 10):
        _color(pdf, GRID)
        pdf.line(left, py(v), right, py(v))
        _text(pdf, left - 1.5, py(v), str(v), align="R")
    _color(pdf, fm.RED)
    pdf.set_dash_pattern(dash=1.5, gap=1)
    pdf.line(left, py(CSI_REVIEW_BELOW), right, py(CSI_REVIEW_BELOW))
    pdf.set_dash_pattern()
    for k, period in enumerate(runs.period):
        _text(pdf, px(k), top + plot_h + 4, str(period), align="C")
    for n, (column, values) in enumerate(series):
        _line(pdf, [(px(k), py(v)) for k, v in enumerate(values)], PALETTE[n % len(PALETTE)],
              0.8 if column == "total" else 0.35)
    _total_marks(pdf, series[0][1], px, py)
    _legend(pdf, [rep.t("report.col.total") if c == "total" else c for c, _ in series], x0 + 9, top + plot_h + 10)
    return RUN_HEIGHT


def _line(pdf, points, color: str, width: float) -> None:
    """A polyline through the finite points (a gap where a value is missing), dots at each."""
    _color(pdf, color, fill=True)
    pdf.set_line_width(width)
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        if math.isfinite(ya) and math.isfinite(yb):
            pdf.line(xa, ya, xb, yb)
    r = 0.5 + width
    for x, y in points:
        if math.isfinite(y):
            pdf.ellipse(x - r, y - r, 2 * r, 2 * r, style="F")


def _total_marks(pdf, total: np.ndarray, px, py) -> None:
    """The total's values above its points; a red ring where it fell."""
    pdf.set_line_width(0.4)
    for k, v in enumerate(total):
        if not math.isfinite(v):
            continue
        _text(pdf, px(k), py(v) - 3.2, fm.num(v), size=6.5, color=PALETTE[0], align="C")
        if k and math.isfinite(total[k - 1]) and round_half_up(v) < round_half_up(total[k - 1]):
            _color(pdf, fm.RED)
            pdf.ellipse(px(k) - 2, py(v) - 2, 4, 4, style="D")


def _legend(pdf, labels: list[str], x: float, y: float) -> None:
    for n, label in enumerate(labels):
        _color(pdf, PALETTE[n % len(PALETTE)], fill=True)
        pdf.set_line_width(0.8 if n == 0 else 0.35)
        pdf.line(x, y, x + 5, y)
        _text(pdf, x + 6, y, label, color=INK)
        x += 6 + pdf.get_string_width(label) + 6


def items_height(rep: MeetingReport) -> float:
    """The height (mm) :func:`item_bars` takes."""
    segments = list(rep.segments.segment)
    rows = math.ceil(max(len(segments), 1) / PANELS)
    per = max([int((rep.items.segment == s).sum()) for s in segments] + [3])
    return rows * (per * 4.2 + 10)


def item_bars(pdf, rep: MeetingReport, x0: float, y0: float, width: float) -> float:
    """This period's item scores as bars, one panel per segment (three a row), lowest
    first; at or below 70 % in red, with the 70 % line. Returns the height used (mm)."""
    segments = list(rep.segments.segment)
    per = max([int((rep.items.segment == s).sum()) for s in segments] + [3])
    low = _low(100 * rep.items.score.to_numpy(dtype=float), 50.0) if len(rep.items) else 50.0
    panel_w, panel_h = width / PANELS, per * 4.2 + 10
    for n, segment in enumerate(segments):
        x, y = x0 + (n % PANELS) * panel_w, y0 + (n // PANELS) * panel_h
        items = rep.items[rep.items.segment == segment].sort_values("score", ascending=False)
        _panel(pdf, segment, items, x, y, panel_w - 4, low)
    return items_height(rep)


def _panel(pdf, segment: str, items, x: float, y: float, width: float, low: float) -> None:
    _text(pdf, x, y + 2, segment, size=8.5, color=INK)
    label_w = 20.0
    left, right = x + label_w, x + width - 7

    def px(v: float) -> float:
        return left + (right - left) * (v - low) / (100 - low)

    top = y + 6
    for k, r in enumerate(items.itertuples()):
        yy = top + 4.2 * k
        value = 100 * r.score
        _color(pdf, fm.RED if r.action else BAR, fill=True)
        pdf.rect(left, yy, max(px(value) - left, 0.2), 3.2, style="F")
        _text(pdf, left - 1, yy + 1.6, _short(pdf, str(r.item), label_w - 1.5), size=6.5, color=INK, align="R")
        _text(pdf, px(value) + 0.8, yy + 1.6, fm.num(value), size=6, color=fm.RED if r.action else INK)
    _color(pdf, fm.RED)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=1, gap=0.8)
    pdf.line(px(ITEM_ACTION_MAX), top - 1, px(ITEM_ACTION_MAX), top + 4.2 * len(items))
    pdf.set_dash_pattern()
    for v in (low, ITEM_ACTION_MAX, 100):
        _text(pdf, px(v), top + 4.2 * len(items) + 2, f"{v:g}", size=6, align="C")


def _short(pdf, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` mm at the current font."""
    pdf.set_font("noto", size=6.5)
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
