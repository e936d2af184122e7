"""The management-review report's content (管理评审 · 客户满意度调查汇总分析报告), gathered
from the store: the only part of the report that reads it.

What the meeting needs, after the source procedures (000 §6, 001 §5.5–5.7): the
period, the sample and response rate against their targets, the CSI with its grade
and trend, the segment and item tables, every item at or below 70 % and every CSI
below 80 with its corrective action and status, the verification of last period's
actions by this period's score, and the customers' comments grouped.

:func:`build` gathers it once into a :class:`MeetingReport` (plain tables);
``report_tables`` turns it into display text, and one module per format writes it:
``report_xlsx``, ``report_pdf``, ``report_html`` (``report_files`` picks one by name).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from csi_core import i18n
from csi_core import settings
from csi_core.method import actions as act
from csi_core.method import assessment as am
from csi_core.method import competitors as comp
from csi_core.method import complaints as cm
from csi_core.method import csi
from csi_core.method.counts import Counts
from csi_core.method.grades import CSI_REVIEW_BELOW, ITEM_ACTION_MAX, grade_of, round_half_up
from csi_core.outputs import branches as branch_view
from csi_core.outputs.report_stats import ReportStats, gather as gather_stats
from csi_core.outputs.summary import competitor_summary, period_summary
from csi_core.reading.periods import period_bounds
from csi_core.reading.scales import get_scale, name_key
from csi_core.reading.validate import REASONS
from csi_core.store.db import Store


class ReportError(ValueError):
    """A report that cannot be made from what is stored (e.g. an unknown period)."""


def stored_period(counts: Counts, period: str | None, lang: str, error=ReportError) -> str:
    """The period asked for (default: the latest stored); ``error`` saying why when
    nothing is stored or the period is not."""
    if counts.empty:
        raise error(i18n.t("report.error_empty", lang))
    period = period or counts.periods[-1]
    if period not in counts.periods:
        raise error(i18n.t("report.error_period", lang, period=period, periods=", ".join(counts.periods)))
    return period


@dataclass(frozen=True)
class MeetingReport:
    """Everything one period's management-review report shows, as plain tables.

    Scores of items are 0–1 (``score``); CSIs 0–100. ``key_figures`` has a ``kind`` per
    row (``text``, ``int``, ``num``, ``pct`` for a 0–1 share, ``delta``) and the target in
    the value's unit. ``runs`` has one row per period up to the report's, with the total
    and each segment's CSI; ``item_runs`` one row per (period, segment, item). ``log`` is
    the action log the report shows: this and last period's actions and earlier ones
    still open.
    """

    lang: str
    period: str
    previous: str | None
    created: dt.datetime
    summary: dict
    key_figures: pd.DataFrame  # figure, value, target, remark, kind
    segments: pd.DataFrame
    items: pd.DataFrame
    customers: pd.DataFrame
    flags: pd.DataFrame
    log: pd.DataFrame
    verification: pd.DataFrame
    runs: pd.DataFrame
    item_runs: pd.DataFrame
    comments: pd.DataFrame
    comment_items: pd.DataFrame
    comment_groups: pd.DataFrame
    method: tuple[str, ...]
    notes: tuple[str, ...]
    segment_weights: dict[str, float] = field(default_factory=dict)
    complaints: dict = field(default_factory=dict)  # the quarterly complaint analysis; {} when none stored
    competitors: dict = field(default_factory=dict)  # name → CSI, items, gaps (summary.competitor_summary); {} when none
    stats: ReportStats | None = None  # intervals, significance, control limits, the map
    # the annual assessment (第二十八、二十九条) of the year the period starts in; None when
    # no unit is known (no complaint names one, no entry was recorded)
    assessment: pd.DataFrame | None = None
    assessment_year: int | None = None
    branches: tuple = ()  # BranchSection per branch, best CSI first; () unless asked for (outputs.branches)

    def t(self, key: str, **params) -> str:
        return i18n.t(key, self.lang, **params)


def stored_weights(store: Store, counts: Counts) -> csi.Weights:
    """The company's weights in force (``method.inforce``): segment weights where they name
    every segment present, item importances per segment."""
    from csi_core.method import inforce

    return inforce.company(counts, store.get_setting("segment_weights"), store.get_setting("item_weights")).weights


@dataclass(frozen=True)
class ReportFigures:
    """The part of a report that the count arrays and the weights alone decide (the
    scores, the flags with their trends, the statistics): the costly part, the same for
    every reader until the data or the weights change, so the app computes it once per
    period (``ui.state.report_figures``). Shared: read, never changed."""

    period: str
    results: csi.Results
    scores: act.PeriodScores
    summary: dict
    flags: act.PeriodFlags
    segments: pd.DataFrame
    customers: pd.DataFrame
    runs: pd.DataFrame
    item_runs: pd.DataFrame
    stats: ReportStats


def figures(counts: Counts, period: str, weights: csi.Weights, questionnaires, known: dict | None = None) -> ReportFigures:
    """:class:`ReportFigures` of a stored ``period``; ``questionnaires(period)`` reads a
    period's questionnaires (``Store.questionnaires``). ``known``: parts the caller has
    already computed with the same counts and weights (``results``, ``scores``,
    ``flags``: ``actions.PeriodFlags``, ``changes``: ``stats.flag_changes`` of them,
    ``summary``), used as they are."""
    known = known or {}
    results = known.get("results") or csi.compute(counts, weights)
    p = results.period_index(period)
    scores = known.get("scores") or act.PeriodScores(counts, results)
    customers = scores.customers(p)
    flags = known.get("flags") or act.period_flags(act.flags(results, p, customers), scores, p)
    summary = known.get("summary") or period_summary(counts, results, p, customers)
    return ReportFigures(
        period=period, results=results, scores=scores, summary=summary,
        flags=flags, segments=_segments(counts, results, p), customers=_customers(scores, p),
        runs=_runs(results, p), item_runs=_item_runs(results, p),
        stats=gather_stats(counts, results, p, flags.table, questionnaires, known.get("changes")))


def build(store: Store, period: str | None = None, lang: str = "en", weights: csi.Weights | None = None,
          counts: Counts | None = None, branches: bool = False, computed: ReportFigures | None = None) -> MeetingReport:
    """Gather one period's report (default: the latest stored period); with ``branches``
    a section per branch (its CSI, segments, items ≤ 70 %) when two or more are stored.
    ``computed``: the period's :func:`figures` with these counts and weights, when already
    made (the app keeps them); the rest (action log, comments, complaints, settings) is
    read now.

    ``ReportError`` when nothing is stored or the period is not stored.
    """
    counts = counts if counts is not None else store.counts()
    period = stored_period(counts, period, lang, ReportError)
    if computed is None:
        weights = weights if weights is not None else stored_weights(store, counts)
        computed = figures(counts, period, weights, lambda q: store.questionnaires(counts, q))
    results, scores, summary = computed.results, computed.scores, computed.summary
    p = results.period_index(period)
    everything = _log_until(store.actions(), counts.periods[:p + 1])
    blank = act.placeholders(everything)  # nothing recorded: counted apart, neither listed nor verified
    log = everything[~blank] if len(everything) else everything
    verification = act.verify_actions(log, scores, before=period)
    if p > 0:
        verification = verification[verification.next_period == period]
    flags = act.with_actions(computed.flags.table, computed.flags.keys, everything, period)
    placeholders = len(shown_log(everything[blank], counts.periods[:p + 1])) if blank.any() else 0
    log = shown_log(log, counts.periods[:p + 1])
    comments = store.comments(period)
    targets = {k: settings.rate_target(f"{k}_target", store.get_setting(f"{k}_target"))
               for k in ("response_rate", "valid_rate")}
    return MeetingReport(
        lang=lang, period=period, previous=counts.periods[p - 1] if p else None, created=dt.datetime.now(),
        summary=summary,
        key_figures=key_figures(summary, results, p, flags, log, verification, _invalid_by_reason(store, period),
                                targets, lang, placeholders=placeholders),
        segments=computed.segments, items=_items(store, results, p),
        customers=computed.customers, flags=flags, log=log,
        verification=verification.reset_index(drop=True), runs=computed.runs, item_runs=computed.item_runs,
        comments=comments, comment_items=comment_summary(comments, results.items),
        comment_groups=comment_groups(comments), complaints=_complaints(store, results, p),
        competitors=competitors_of(store, counts, results, p),
        method=_method(counts, lang), notes=_notes(results, period, lang),
        segment_weights=summary["segment_weights"], stats=computed.stats,
        assessment=_assessment(store, period), assessment_year=period_bounds(period)[0].year,
        branches=branch_view.sections(store, period) if branches else ())


def _assessment(store: Store, period: str) -> pd.DataFrame | None:
    """The annual assessment of the year the report's period starts in; None without units."""
    table = am.assessment(store.complaints(), store.assessment_entries(), period_bounds(period)[0].year)
    return table if len(table) else None


def _complaints(store: Store, results: csi.Results, p: int) -> dict:
    """The complaint analysis of the report's period (第二十七条); {} when no complaint is stored."""
    stored = store.complaints()
    if stored.empty:
        return {}
    due = int(store.get_setting("complaint_due_days", settings.default("complaint_due_days")))
    return cm.analysis(stored, results.periods[p], dt.date.today(), due, cm.pooled_item_scores(results, p))


def competitors_of(store: Store, counts: Counts, results: csi.Results, p: int) -> dict:
    """Period ``p``'s competitors scored with the weights of ``results``
    (``summary.competitor_summary``); {} when none are stored."""
    found = store.competitor_counts(counts)
    if found.empty:
        return {}
    return competitor_summary(comp.compute(counts, results, found), p)


def _log_until(log: pd.DataFrame, periods) -> pd.DataFrame:
    """The stored actions raised up to the report's period."""
    return log if log.empty else log[log.period.isin(list(periods))]


def shown_log(log: pd.DataFrame, periods) -> pd.DataFrame:
    """The actions the report lists (and counts): those of its period and the one before,
    and earlier ones still open (:func:`csi_core.method.actions.open_mask`)."""
    if log.empty:
        return log.reset_index(drop=True)
    recent = log.period.isin(list(periods)[-2:])
    return log[recent | act.open_mask(log)].reset_index(drop=True)


def _invalid_by_reason(store: Store, period: str) -> dict[str, int]:
    found = store.invalid_reasons(period)
    return {r: int(found.get(r, 0)) for r in REASONS}


def key_figures(summary: dict, results: csi.Results, p: int, flags: pd.DataFrame, log: pd.DataFrame,
                verification: pd.DataFrame, invalid: dict[str, int], targets: dict[str, float],
                lang: str, placeholders: int = 0) -> pd.DataFrame:
    """The summary sheet: one row per figure with its target, a remark and its kind.

    Action statuses are counted from ``log`` itself (the log the report lists), a blank
    status as open; verdicts from ``verification``; ``placeholders`` (actions with nothing
    recorded, not in ``log``) on a row of their own.
    """
    def t(key, **kw):
        return i18n.t(key, lang, **kw)
    r = summary["responses"]
    previous = results.total[p - 1] if p else np.nan
    rows = [(t("report.fig.period"), results.periods[p], None, "", "text"),
            (t("report.fig.sent"), summary["sent"], None, "" if summary["sent"] else t("report.no_sent"), "int"),
            (t("report.fig.returned"), r["returned"], None, "", "int"), (t("report.fig.valid"), r["valid"], None, "", "int"),
            (t("report.fig.invalid"), r["invalid"], None, "", "int")]
    rows += [("  " + t(f"reason.{k}"), n, None, "", "int") for k, n in invalid.items()]
    for key in ("response_rate", "valid_rate"):
        value, target = summary[key], targets[key]
        remark = "" if value is None else t("report.target_met" if round_half_up(value) >= target else "report.target_missed")
        rows.append((t(f"report.fig.{key}"), None if value is None else value / 100, target / 100, remark, "pct"))
    total = summary["csi"]
    rows += [(t("report.fig.csi"), total, CSI_REVIEW_BELOW, _csi_remark(total, lang), "num"),
             (t("report.fig.grade"), t(f"grade.{summary['grade']}") if summary["grade"] else "—", None, "", "text"),
             (t("report.fig.previous"), None if np.isnan(previous) else float(previous), None,
              results.periods[p - 1] if p else "", "num"),
             (t("report.fig.change"), None if np.isnan(previous) or total is None else total - previous, None, "",
              "delta"),
             (t("report.fig.satisfaction"), _share(summary["satisfaction_rate"]), None, "", "pct"),
             (t("report.fig.items_flagged"), int(flags.kind.eq("item").sum()), None, t("report.rule_items"), "int"),
             (t("report.fig.customers_flagged"), int(flags.kind.eq("customer").sum()), None, t("report.rule_csi"),
              "int")]
    statuses = log.status.fillna("open").value_counts().to_dict() if not log.empty else {}
    rows += [(t("report.fig.actions_status", status=t(f"actions.status.{s}")), int(statuses.get(s, 0)), None, "", "int")
             for s in act.ACTION_STATUSES]
    rows.append((t("report.fig.placeholders"), placeholders, None, t("report.placeholders_remark"), "int"))
    verdicts = verification.verdict.value_counts().to_dict() if not verification.empty else {}
    rows += [(t("report.fig.verdict", verdict=t(f"actions.verdict.{v}")), int(verdicts.get(v, 0)), None, "", "int")
             for v in act.VERDICTS]
    return pd.DataFrame(rows, columns=["figure", "value", "target", "remark", "kind"])


def _share(percent: float | None) -> float | None:
    return None if percent is None else percent / 100


def _csi_remark(total: float | None, lang: str) -> str:
    if total is None:
        return ""
    return i18n.t("report.review_needed" if round_half_up(total) < CSI_REVIEW_BELOW else "report.grade_a", lang)


def _segments(counts: Counts, results: csi.Results, p: int) -> pd.DataFrame:
    rows = []
    for s, segment in enumerate(results.segments):
        if not results.returned[p, s]:
            continue
        sent = counts.sent_segment[p, s]
        value = results.segment_csi[p, s]
        prev = results.segment_csi[p - 1, s] if p else np.nan
        rows.append({"segment": segment, "weight": float(results.segment_weight[p, s]),
                     "sent": None if np.isnan(sent) else int(sent), "returned": int(results.returned[p, s]),
                     "valid": int(results.valid[p, s]),
                     "response_rate": None if np.isnan(sent) or not sent else results.returned[p, s] / sent,
                     "csi": value, "grade": None if np.isnan(value) else grade_of(value).key,
                     "previous": prev, "change": value - prev,
                     "satisfaction": results.segment_satisfied[p, s]})
    return pd.DataFrame(rows, columns=["segment", "weight", "sent", "returned", "valid", "response_rate", "csi",
                                       "grade", "previous", "change", "satisfaction"])


def _items(store: Store, results: csi.Results, p: int) -> pd.DataFrame:
    dims = {name_key(r.item): r.dimension for r in store.item_table().itertuples()}
    rows = []
    for s, segment in enumerate(results.segments):
        for i in np.flatnonzero(results.item_n[p, s] > 0):
            score = float(results.item_score[p, s, i])
            prev = results.item_score[p - 1, s, i] if p and results.item_n[p - 1, s, i] else np.nan
            rows.append({"segment": segment, "item": results.items[i], "dimension": dims.get(name_key(results.items[i]), ""),
                         "n": int(results.item_n[p, s, i]), "score": score,
                         "weight": float(results.item_weight[p, s, i]),
                         "satisfaction": float(results.item_satisfied[p, s, i]),
                         "grade": grade_of(100 * score).key, "previous": prev, "change": score - prev,
                         "action": round_half_up(100 * score) <= ITEM_ACTION_MAX})
    return pd.DataFrame(rows, columns=["segment", "item", "dimension", "n", "score", "weight", "satisfaction",
                                       "grade", "previous", "change", "action"])


def _customers(scores: act.PeriodScores, p: int) -> pd.DataFrame:
    cr = scores.customers(p)
    rows = []
    for k, (name, segment) in enumerate(zip(cr.names, cr.segments)):
        value = float(cr.csi[k])
        prev = scores.value(p - 1, ("customer", name_key(segment), name_key(name), "")) if p else np.nan
        rows.append({"customer": name, "segment": segment, "valid": int(cr.valid[k]), "csi": value,
                     "grade": None if np.isnan(value) else grade_of(value).key, "previous": prev,
                     "change": value - prev, "review": not np.isnan(value) and round_half_up(value) < CSI_REVIEW_BELOW})
    table = pd.DataFrame(rows, columns=["customer", "segment", "valid", "csi", "grade", "previous", "change", "review"])
    return table.sort_values(["csi", "customer"], na_position="last").reset_index(drop=True)


def _runs(results: csi.Results, p: int) -> pd.DataFrame:
    data = {"period": list(results.periods[:p + 1]), "total": results.total[:p + 1].tolist()}
    for s, segment in enumerate(results.segments):
        data[segment] = results.segment_csi[:p + 1, s].tolist()
    return pd.DataFrame(data)


def _item_runs(results: csi.Results, p: int) -> pd.DataFrame:
    rows = []
    for q in range(p + 1):
        for s, segment in enumerate(results.segments):
            for i, item in enumerate(results.items):
                if results.item_n[q, s, i]:
                    rows.append((results.periods[q], segment, item, float(results.item_score[q, s, i])))
    return pd.DataFrame(rows, columns=["period", "segment", "item", "score"])


def comment_summary(comments: pd.DataFrame, items: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """How many comments mention each item by name (width/case-insensitively), most first.

    Examples
    --------
    >>> c = pd.DataFrame({"comment": ["热线服务总是占线", "热线 服务太慢；收费不透明", "很好"]})
    >>> comment_summary(c, ["热线服务", "收费透明", "燃气质量"]).to_dict("records")
    [{'item': '热线服务', 'comments': 2, 'share': 0.6666666666666666}]
    """
    texts = [name_key(t) for t in comments["comment"]] if len(comments) else []
    rows = []
    for item in items:
        key = name_key(item)
        hits = sum(1 for t in texts if key and key in t)
        if hits:
            rows.append({"item": item, "comments": hits, "share": hits / len(texts)})
    table = pd.DataFrame(rows, columns=["item", "comments", "share"])
    return table.sort_values("comments", ascending=False, kind="stable").reset_index(drop=True)


# A comment's phrases: split at sentence ends and semicolons (not at commas, which join
# the parts of one thought: "热线总是占线，打不通").
_PHRASE_END = re.compile(r"[。；;！!？?\n\r]+|\.(?:\s+|$)")


def phrases(comment: str) -> list[str]:
    """The phrases of one comment, trimmed, each once.

    Examples
    --------
    >>> phrases("热线服务太慢；收费不透明。热线服务太慢")
    ['热线服务太慢', '收费不透明']
    >>> phrases("Too slow. Bills unclear!")
    ['Too slow', 'Bills unclear']
    """
    parts = (p.strip(" \t,，、") for p in _PHRASE_END.split(str(comment)))
    return list(dict.fromkeys(p for p in parts if p))


def comment_groups(comments: pd.DataFrame) -> pd.DataFrame:
    """The comments grouped by phrase (width/case/space-insensitively, the first spelling
    kept): each phrase with how many comments hold it and their segments, most first.

    Examples
    --------
    >>> c = pd.DataFrame({"segment": ["a", "b", "a"], "comment": ["太贵；热线慢", "太 贵", "很好"]})
    >>> comment_groups(c).to_dict("records")[0]
    {'comment': '太贵', 'comments': 2, 'segments': 'a, b'}
    >>> len(comment_groups(c))
    3
    """
    columns = ["comment", "comments", "segments"]
    if comments.empty:
        return pd.DataFrame(columns=columns)
    shown: dict[str, str] = {}
    holders: dict[str, list[str]] = {}
    for comment, segment in zip(comments["comment"], comments["segment"]):
        for phrase in phrases(comment):
            key = name_key(phrase)
            shown.setdefault(key, phrase)
            holders.setdefault(key, []).append("" if segment is None or pd.isna(segment) else str(segment))
    rows = [{"comment": shown[k], "comments": len(v), "segments": ", ".join(s for s in dict.fromkeys(v) if s)}
            for k, v in holders.items()]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("comments", ascending=False, kind="stable").reset_index(drop=True)


def _method(counts: Counts, lang: str) -> tuple[str, ...]:
    scale = get_scale(counts.scale)
    coefficients = " / ".join(f"{scale.coefficients[c]:g}" for c in sorted(scale.codes, reverse=True))
    return tuple(i18n.t(f"report.method.{k}", lang, scale=i18n.t(f"report.scale.{scale.name}", lang),
                        coefficients=coefficients, item_max=f"{ITEM_ACTION_MAX:g}", csi_min=f"{CSI_REVIEW_BELOW:g}")
                 for k in ("score", "weight", "segment", "total", "customer", "invalid", "grades", "rules"))


def _notes(results: csi.Results, period: str, lang: str) -> tuple[str, ...]:
    lines = [i18n.t(f"calc.{n.key}", lang, **dict(n.params)) for n in results.notes
             if dict(n.params).get("period", period) == period]
    return tuple(dict.fromkeys(lines))
