"""The meeting report's statistics (issue 11): the 95 % intervals and the significance of
the changes of the total and the segments, whether each flagged fall is real, the control
limits of the total, and the importance–performance map. :func:`gather` builds the data
(from results and a questionnaire reader, handed in by ``report.build``); the table and
figure functions serve the Excel, PDF and HTML writers alike."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from csi_core.method import stats
from csi_core.method.counts import Counts
from csi_core.method.csi import Results
from csi_core.outputs import formats as fm

QUADRANT_COLOURS = {"concentrate": "#d62828", "keep_up": "#2b9348", "low_priority": "#8a94a3", "overkill": "#b58900"}
QUADRANT_MARKERS = {"concentrate": "D", "keep_up": "o", "low_priority": "s", "overkill": "^"}


@dataclass(frozen=True)
class ReportStats:
    """``intervals``: the total and each segment (``subject``, ``segment``, ``value``,
    ``low``, ``high``, ``delta``, ``delta_low``, ``delta_high``, ``significant``, ``valid``,
    ``too_few``); ``falls``: the flags with their change (``delta``, ``low``, ``high``,
    ``significant``, in the flag's unit); ``importance``: every segment's map rows
    (``segment`` + :func:`csi_core.method.stats.importance_table`); ``control`` of the total."""

    intervals: pd.DataFrame
    falls: pd.DataFrame
    importance: pd.DataFrame
    control: stats.Control | None


def _interval_row(subject: str, segment: str, value, var, found, valid: int) -> dict:
    band = stats.intervals_module.interval(float(value), float(var))
    half = (band[1] - band[0]) / 2 if band else math.nan
    return {"subject": subject, "segment": segment, "value": value,
            "low": band[0] if band else None, "high": band[1] if band else None,
            "delta": found.delta if found else None, "delta_low": found.low if found else None,
            "delta_high": found.high if found else None, "significant": found.significant if found else None,
            "valid": valid, "too_few": bool(half > stats.ADEQUATE_HALF_WIDTH)}


def gather(counts: Counts, results: Results, p: int, flags: pd.DataFrame, questionnaires,
           changes=None) -> ReportStats:
    """The report's statistics of period ``p``; ``questionnaires(period)`` reads a period's
    questionnaires (customers' changes, derived importance); ``changes``: the flags'
    ``stats.flag_changes`` when already known."""
    iv = stats.intervals(counts, results)
    rows = [_interval_row("total", "", results.total[p], iv.total[p], stats.total_change(results, iv, p),
                          int(results.valid[p].sum()))]
    for s, segment in enumerate(results.segments):
        if not np.isnan(results.segment_csi[p, s]):
            rows.append(_interval_row("segment", segment, results.segment_csi[p, s], iv.segment[p, s],
                                      stats.segment_change(results, iv, p, s), int(results.valid[p, s])))
    if changes is not None:
        found = list(changes)
    else:
        found = stats.flag_changes(counts, results, iv, p, flags.to_dict("records"), questionnaires) if len(flags) else []
    scale = [100.0 if kind in ("item", "customer_item") else 1.0 for kind in flags.kind] if len(flags) else []
    falls = flags[["kind", "segment", "customer", "item", "value"]].copy() if len(flags) else pd.DataFrame(
        columns=["kind", "segment", "customer", "item", "value"])
    falls["delta"] = [None if f is None else k * f.delta for f, k in zip(found, scale)]
    falls["low"] = [None if f is None or f.low is None else k * f.low for f, k in zip(found, scale)]
    falls["high"] = [None if f is None or f.high is None else k * f.high for f, k in zip(found, scale)]
    falls["significant"] = [None if f is None else f.significant for f in found]
    rows_of_period = questionnaires(results.periods[p])
    maps = []
    for s, segment in enumerate(results.segments):
        if results.valid[p, s] > 0:
            derived = stats.derived_importance(counts, results, rows_of_period, s)
            maps.append(stats.importance_table(counts, results, p, s, derived).assign(segment=segment))
    importance = pd.concat(maps, ignore_index=True) if maps else pd.DataFrame()
    return ReportStats(pd.DataFrame(rows), falls.reset_index(drop=True), importance,
                       stats.series_control(results.total, p))


def significance_text(significant, lang_t) -> str:
    """◆ significant / ○ within noise / – no interval (shape and word, never colour alone)."""
    if significant is None:
        return lang_t("stats.unknown")
    return lang_t("stats.significant") if significant else lang_t("stats.noise")


def _range(low, high, delta: bool = False) -> str:
    if low is None or (isinstance(low, float) and math.isnan(low)):
        return fm.DASH
    show = fm.delta if delta else fm.num
    return f"{show(low)} – {show(high)}"


def intervals_rows(rep) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the intervals table, as text."""
    t = rep.t
    header = [t("report.stats.col.subject"), t("report.stats.col.value"), t("report.stats.col.interval"),
              t("report.stats.col.change"), t("report.stats.col.change_interval"),
              t("report.stats.col.significance"), t("report.stats.col.adequacy")]
    rows = []
    for r in rep.stats.intervals.to_dict("records"):
        rows.append([t("report.stats.total") if r["subject"] == "total" else r["segment"], fm.num(r["value"]),
                     _range(r["low"], r["high"]), fm.delta(r["delta"]) if r["delta"] is not None else fm.DASH,
                     _range(r["delta_low"], r["delta_high"], True),
                     significance_text(r["significant"], t) if r["delta"] is not None else fm.DASH,
                     t("stats.too_few") if r["too_few"] else t("analysis.enough")])
    return header, rows


def falls_rows(rep, subject) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the flagged things that fell, with their significance."""
    t = rep.t
    header = [t("report.stats.col.subject"), t("report.stats.col.value"), t("report.stats.col.change"),
              t("report.stats.col.change_interval"), t("report.stats.col.significance")]
    rows = []
    for r in rep.stats.falls.to_dict("records"):
        if r["delta"] is None or not r["delta"] < 0:
            continue
        unit = " %" if r["kind"] in ("item", "customer_item") else ""
        rows.append([subject(r, rep.lang), fm.num(r["value"], 1, unit), fm.delta(r["delta"]),
                     _range(r["low"], r["high"], True), significance_text(r["significant"], t)])
    return header, rows


def importance_rows(rep) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the importance–performance table of every segment."""
    t = rep.t
    header = [t("report.stats.col.segment"), t("report.stats.col.item"), t("report.stats.col.value"),
              t("report.stats.col.stated"), t("report.stats.col.derived"), t("report.stats.col.quadrant")]
    rows = []
    for r in rep.stats.importance.to_dict("records"):
        derived = r["derived"]
        rows.append([r["segment"], r["item"] + (" ◆" if r["gap"] else ""), fm.pct(r["score"]), fm.pct(r["stated"]),
                     fm.DASH if derived is None or math.isnan(derived) else fm.pct(derived),
                     t(f"analysis.quadrant.{r['quadrant']}")])
    return header, rows


def control_line(rep) -> str:
    """The total's control limits in a sentence, or why there are none."""
    c = rep.stats.control
    if c is None:
        return rep.t("stats.no_control")
    return rep.t("stats.control", centre=fm.num(c.centre), lcl=fm.num(c.lcl), ucl=fm.num(c.ucl))


def importance_png(rep) -> bytes:
    """The importance–performance map of each segment (small multiples): x score %,
    y stated importance %, dashed lines at the means, quadrant by shape and colour."""
    from csi_core.outputs.report_charts import _figure, _png, _style

    table = rep.stats.importance
    segments = list(dict.fromkeys(table.segment)) if len(table) else []
    fig, family = _figure(3.1 * max(len(segments), 1) + 0.3, 3.0)
    for k, segment in enumerate(segments):
        ax = fig.add_subplot(1, max(len(segments), 1), k + 1)
        mine = table[table.segment == segment]
        x, y = 100 * mine.score.to_numpy(float), 100 * mine.stated.to_numpy(float)
        for quad in QUADRANT_COLOURS:
            pick = (mine.quadrant == quad).to_numpy()
            if pick.any():
                ax.scatter(x[pick], y[pick], c=QUADRANT_COLOURS[quad], marker=QUADRANT_MARKERS[quad], s=30,
                           label=rep.t(f"analysis.quadrant.{quad}"))
        for xi, yi, name in zip(x, y, mine["item"]):
            ax.annotate(name, (xi, yi), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=6,
                        fontfamily=family)
        ax.axvline(x.mean(), color="#5b6573", linestyle="--", linewidth=0.8)
        ax.axhline(y.mean(), color="#5b6573", linestyle="--", linewidth=0.8)
        ax.set_title(segment, fontfamily=family, fontsize=9, loc="left")
        ax.tick_params(labelsize=7)
        _style(ax, family)
        if k == 0:
            ax.legend(prop={"family": family, "size": 6}, loc="best", frameon=False)
    return _png(fig)
