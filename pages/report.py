"""报告 Meeting report: what the management review needs for the chosen period, as Excel,
HTML and PDF; and the response-rate and sample-size tools (METHOD.md formulas 7 and 8)."""
from __future__ import annotations

import hashlib
import json
import math

import pandas as pd
import streamlit as st

from csi_core import i18n
from csi_core.outputs import report, report_files, report_tables
from csi_core.method import sampling, stats
from csi_core.method.csi import Weights
from ui import state, statistics, widgets
from ui.state import lang, tr, trn

BUILT = "report.built"  # (key, kind) -> bytes / str, the last few


def report_key(store, period: str, report_lang: str, weights: dict | None, branches: bool = False) -> str:
    """Changes whenever anything the report shows can have changed."""
    log = store.actions()
    stamp = (len(log), str(log.updated_at.max()) if len(log) else "")
    targets = [state.rate_target("response_rate_target"), state.rate_target("valid_rate_target")]
    raw = json.dumps([store.data_version(), period, report_lang, weights, stamp, targets, branches], default=str,
                     ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def built(key: str, kind: str, make):
    """A report file made once per key (the last six kept in the session)."""
    cache: dict = st.session_state.setdefault(BUILT, {})
    if (key, kind) not in cache:
        cache[(key, kind)] = make()
        while len(cache) > 6:
            cache.pop(next(iter(cache)))
    return cache[(key, kind)]


def preview(rep: report.MeetingReport) -> None:
    cols = st.columns(4)
    for k, (label, value, color) in enumerate(report_tables.headline(rep)):
        cols[k % 4].metric(label, value)
    st.markdown(f"**{tr('report.section.findings')}**")
    st.markdown("\n".join(f"- {widgets.md_escape(line)}" for line in report_tables.findings(rep)))
    with st.expander(tr("report_page.key_figures")):
        st.dataframe(widgets.safe_table(report_tables.key_figures_text(rep).rename(columns=lambda c: tr(f"report.col.{c}"))),
                     hide_index=True, width="stretch",
                     placeholder="")


# kind → icon, the download's label, the making button's label
FILES = {"xlsx": (":material/table_view:", "report_page.xlsx", "report_page.make_xlsx"),
         "html": (":material/html:", "report_page.html", "report_page.make_html")}


def downloads(rep: report.MeetingReport, key: str) -> None:
    """A button per file that makes it (only when asked: a file takes seconds), then
    its download button; the PDF with or without the appendix."""
    name = f"csi_report_{rep.period}_{rep.lang}"
    cache = st.session_state.get(BUILT, {})
    columns = st.columns(3)
    for column, (kind, (icon, label, make)) in zip(columns, FILES.items()):
        if (key, kind) in cache:
            column.download_button(tr(label), cache[(key, kind)], file_name=f"{name}.{kind}",
                                   mime=report_files.MIME[kind], type="primary" if kind == "xlsx" else "secondary",
                                   icon=icon, on_click="ignore", key=f"report.{kind}", width="stretch")
        elif column.button(tr(make), icon=icon, key=f"report.make_{kind}", width="stretch"):
            with st.spinner(tr("report_page.making_file")):
                built(key, kind, lambda: report_files.make(rep, kind))
            st.rerun()
    c = columns[2]
    appendix = c.checkbox(tr("report_page.appendix"), key="report.appendix", help=tr("report_page.appendix_help"))
    kind = "pdf+appendix" if appendix else "pdf"
    if (key, kind) in cache:
        c.download_button(tr("report_page.pdf"), cache[(key, kind)], file_name=f"{name}.pdf",
                          mime=report_files.MIME["pdf"], icon=":material/picture_as_pdf:", on_click="ignore",
                          key="report.pdf", width="stretch")
    elif c.button(tr("report_page.make_pdf"), icon=":material/picture_as_pdf:", key="report.make_pdf", width="stretch"):
        with st.spinner(tr("report_page.making_pdf")):
            built(key, kind, lambda: report_files.make(rep, "pdf", appendix=appendix))
        st.rerun()
    st.caption(tr("report_page.files_help"))


# --- sample size and response rate ----------------------------------------------------------
def sample_tools(counts, period: str) -> None:
    st.header(tr("report_page.sample_title"))
    p = counts.period_index(period)
    returned, valid = int(counts.returned[p].sum()), int(counts.valid[p].sum())
    sent = counts.sent[p]
    rate = sampling.response_rate(returned, int(sent)) if not math.isnan(sent) else None
    target = state.rate_target("response_rate_target")
    a, b, c, d = st.columns(4)
    a.metric(tr("report.fig.sent"), "—" if math.isnan(sent) else int(sent))
    b.metric(tr("report.fig.returned"), returned)
    c.metric(tr("report.fig.response_rate"), widgets.fmt(rate, suffix=" %"),
             delta=None if rate is None else tr("report_page.vs_target", diff=widgets.fmt_delta(rate - target),
                                                target=f"{target:g} %"))
    d.metric(tr("report.fig.valid_rate"), widgets.fmt(sampling.valid_rate(valid, returned), suffix=" %"))
    if rate is None:
        st.caption(tr("report.no_sent"))

    st.subheader(tr("report_page.size_title"))
    known = sampling.segment_populations(counts, p)
    left, right = st.columns([2, 3], gap="large")
    with left:
        population = st.number_input(tr("report_page.population"), min_value=0,
                                     value=sum(n for n, _ in known.values()), step=10,
                                     key=f"report.population.{period}", help=tr("report_page.population_help"))
        st.caption(tr("report_page.population_from", parts=i18n.join(
            [tr(f"report_page.population_source.{source}", segment=segment, n=n)
             for segment, (n, source) in known.items()], lang())))
        confidence = st.select_slider(tr("report_page.confidence"), [0.90, 0.95, 0.99], value=0.95,
                                      format_func=lambda c: f"{c:.0%}", key="report.confidence")
        margin = st.number_input(tr("report_page.margin"), min_value=0.5, max_value=20.0, value=3.0, step=0.5,
                                 key="report.margin", help=tr("report_page.margin_help"))
        proportion = st.number_input(tr("report_page.proportion"), min_value=0.05, max_value=0.95, value=0.5,
                                     step=0.05, key="report.p", help=tr("report_page.proportion_help"))
        expected = st.number_input(tr("report_page.expected_rate"), min_value=1.0, max_value=100.0,
                                   value=float(round(rate, 1)) if rate else 80.0, step=1.0, key="report.expected")
    with right:
        try:
            shown_sizes(population, confidence, margin / 100, proportion, expected)
            allocation(known, population, confidence, margin / 100, proportion, period)
            achieved(counts, p, valid, population, confidence, proportion)
            interval_sizes(counts, p)
        except ValueError as exc:
            st.error(tr("report_page.bad_input", detail=widgets.md_escape(str(exc))), icon=":material/error:")


def shown_sizes(population: int, confidence: float, e: float, p: float, expected: float) -> None:
    n0 = sampling.cochran(confidence, p, e)
    x, y, z = st.columns(3)
    x.metric(tr("report_page.cochran"), n0, help=tr("report_page.cochran_help"))
    if population:
        n = sampling.finite_population(population, confidence, p, e)
        x_y = sampling.yamane(population, e)
        y.metric(tr("report_page.fpc"), n, help=tr("report_page.fpc_help"))
        z.metric(tr("report_page.yamane"), x_y, help=tr("report_page.yamane_help"))
    else:
        n = n0
        y.metric(tr("report_page.fpc"), "—")
        z.metric(tr("report_page.yamane"), "—")
    st.markdown(trn("report_page.send", n, n=n, rate=widgets.fmt(expected, suffix=" %"),
                   send=sampling.to_send(n, expected)))
    if population and confidence != 0.95:
        st.caption(tr("report_page.yamane_note"))


def allocation(known: dict[str, tuple[int, str]], population: int, confidence: float, e: float, prop: float,
               period: str) -> None:
    """Split the sample over segments in proportion to their size (分层抽样), never more
    than a segment holds."""
    if len(known) < 2 or not population:
        return
    st.markdown(f"**{tr('report_page.allocation')}**")
    sizes = st.data_editor(pd.DataFrame({"segment": list(known), "size": [n for n, _ in known.values()]}),
                           hide_index=True, disabled=["segment"], key=f"report.sizes.{period}", width="stretch",
                           column_config={"segment": tr("report.col.segment"),
                                          "size": st.column_config.NumberColumn(tr("report_page.size"), min_value=0,
                                                                                step=1, required=True)})
    n = sampling.finite_population(population, confidence, prop, e)
    chosen = {r.segment: int(r.size) for r in sizes.itertuples()}
    split = sampling.allocate(n, chosen)
    st.dataframe(widgets.safe_table(pd.DataFrame({
        tr("report.col.segment"): list(split), tr("report_page.size"): list(chosen.values()),
        tr("report_page.sample"): list(split.values())})),
                 hide_index=True, width="stretch", key="report.allocation")
    if n > sum(chosen.values()):
        st.warning(tr("report_page.allocation_capped", n=n, total=sum(chosen.values())), icon=":material/info:")
    st.caption(tr("report_page.allocation_help"))


def achieved(counts, p: int, valid: int, population: int, confidence: float, prop: float) -> None:
    if not valid:
        return
    e = sampling.margin_of_error(valid, population if population and population >= valid else None, confidence, prop)
    st.info(trn("report_page.achieved", valid, valid=valid, e=widgets.fmt(100 * e, suffix=" %"),
               confidence=f"{confidence:.0%}"), icon=":material/straighten:")


def interval_sizes(counts, p: int) -> None:
    """From each segment's CSI interval: the valid questionnaires that would bring its
    half-width to ±3 points (issue 11; the half-width shrinks with √n)."""
    res = state.results(counts=counts)
    table = stats.adequacy_table(res, statistics.intervals(counts, res), p)
    if table.empty:
        return
    st.caption(tr("report_page.csi_sizes"))
    st.dataframe({tr("analysis.segment"): table.segment, tr("analysis.valid"): table.valid,
                  tr("analysis.half"): [f"±{widgets.fmt(v)}" for v in table.half],
                  tr("analysis.needed"): ["—" if n is None or n != n else int(n) for n in table.needed],
                  tr("analysis.verdict"): [tr("stats.too_few") if t else tr("analysis.enough") for t in table.too_few]},
                 hide_index=True, width="stretch", key="report.csi_sizes")


def main() -> None:
    counts = state.get_counts()
    period = state.current_period(counts)
    if period is None:
        st.title(tr("app.page.report"))
        st.info(tr("app.no_data"))
        return
    st.title(tr("report_page.title", period=period))
    widgets.branch_caption()
    st.caption(tr("report_page.intro"))
    store = state.store()
    choices = list(i18n.LANGS)
    # keyed by the screen's language: switching it makes the report follow, unless chosen here
    report_lang = st.segmented_control(tr("report_page.language"), choices, default=lang(), key=f"report.lang.{lang()}",
                                       format_func=i18n.language_name) or lang()
    whole = state.get_counts(branch=None)  # the report covers the whole company; branches are sections
    force = state.in_force(whole)
    weights = force.weights
    res = state.results(weights, whole)
    st.caption(widgets.weights_statement(force, res, res.period_index(period)))
    company = [force.segments, force.items]
    with_branches = False
    if len(state.branches()) > 1:
        with_branches = st.checkbox(tr("report_page.branches"), key="report.branches",
                                    help=tr("report_page.branches_help"))
        if counts.branch is not None:
            st.caption(tr("report_page.branch_view", branch=widgets.md_escape(state.branch_label(counts.branch))))
    try:
        computed = state.report_figures(period, whole) if period in whole.periods else None
        rep = report.build(store, period, report_lang, weights, counts=whole, branches=with_branches,
                           computed=computed)
    except report.ReportError as exc:
        st.error(widgets.md_escape(str(exc)), icon=":material/error:")
        return
    key = report_key(store, period, report_lang, company, with_branches)
    downloads(rep, key)
    preview(rep)
    st.divider()
    sample_tools(counts, period)


main()
