"""权重模拟 What-if weights: move segment weights and item importances and watch every
number follow at once; save, compare and share scenarios; set the company default.

The sliders and what they drive are one ``st.fragment``: a move reruns only that part and
recomputes with ``csi.compute`` on the count arrays already in memory — no query.
"""
import html

import streamlit as st

from csi_core import i18n
from csi_core.outputs import charts
from csi_core.method import csi, inforce, stats, whatif
from csi_core.method.counts import Counts
from csi_core.method.csi import Results
from csi_core.reading.scales import name_key
from ui import auth, state, statistics, widgets
from ui.state import tr

SEG_KEY = "w.seg.{}"
ITEM_KEY = "w.item.{}.{}"
SCENARIOS_KEY = "_w_scenarios"
DEFAULT_SHOWN = "_w_default_shown"  # the weights the "company default?" question shows


# --- the link ------------------------------------------------------------------------------
def _read_link(counts: Counts) -> None:
    """Weights from ``?sw=…&iw.<segment>=…``, once per session (a link opens a new one)."""
    if st.session_state.get("_weights_link_read"):
        return
    st.session_state["_weights_link_read"] = True
    params = {k: st.query_params[k] for k in st.query_params.keys() if k == "sw" or k.startswith("iw.")}
    if not params:
        return
    wi, problems = state.decode_share(params, counts)
    state.whatif().update(wi)
    if wi["segments"] or wi["items"]:
        st.toast(tr("weights.link_loaded"), icon=":material/link:")
    if problems:
        st.warning(tr("weights.link_ignored", detail=widgets.md_escape(", ".join(problems))))


def _write_link(wi: dict) -> str:
    params = state.encode_share(wi)
    for key in list(st.query_params.keys()):
        if (key == "sw" or key.startswith("iw.")) and key not in params:
            del st.query_params[key]
    for key, value in params.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    return state.share_url(params)


# --- callbacks (run before the rerun they cause) ----------------------------------------------
@widgets.guarded_callback
def _segments_moved(start: dict[str, int]) -> None:
    values = {s: st.session_state[SEG_KEY.format(s)] for s in start}
    state.whatif()["segments"] = None if values == start else values


@widgets.guarded_callback
def _items_moved(segment: str, start: dict[str, float]) -> None:
    values = {i: float(st.session_state[ITEM_KEY.format(segment, i)]) for i in start}
    items = state.whatif().setdefault("items", {})
    if values == start:
        items.pop(segment, None)
    else:
        items[segment] = values


@widgets.guarded_callback
def _reset_all() -> None:
    st.session_state[state.WHATIF_KEY] = {"segments": None, "items": {}}


@widgets.guarded_callback
def _reset_segment(segment: str) -> None:
    state.whatif().setdefault("items", {}).pop(segment, None)


def _place(key: str, value) -> None:
    """Put a slider where the weights say, only when it is elsewhere: writing a value the
    slider already has would send it back to the browser and undo a key press made while
    this run was on its way."""
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def _baseline_named(force: inforce.InForce, base: Results, p: int) -> bool:
    """True when the baseline is the company's default (segment weights in force in this
    period, or item importances of a present segment), else it is the survey's weights."""
    used = inforce.used_in_period(force, base, p)
    return used.source == inforce.COMPANY or bool(used.item_segments)


# --- the live part ---------------------------------------------------------------------------
def _segment_sliders(counts: Counts, res: Results | None, p: int, start: dict[str, int], shown: dict[str, int]) -> None:
    """The sliders, each with its normalised weight beside it (a dash while they are all 0)."""
    st.subheader(tr("weights.segment_weights"))
    for s, segment in enumerate(counts.segments):
        key = SEG_KEY.format(segment)
        st.session_state[key] = shown[segment]
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        left.slider(segment, 0, 100, step=1, key=key, on_change=_segments_moved, args=(start,))
        weight = widgets.pct(res.segment_weight[p, s]) if res is not None else "—"
        right.markdown("### " + weight.replace(" ", "\u00a0"))  # "60.0 %" on one line
    st.caption(tr("weights.normalised_help"))
    if res is not None:  # the grade margin of the weights being tried, live
        st.markdown(f'<div id="grade-margin">{html.escape(statistics.margin_text(stats.margin_of(res, p)))}</div>',
                    unsafe_allow_html=True)
    st.button(tr("weights.reset"), on_click=_reset_all, icon=":material/restart_alt:", key="w.reset")


def _versus(value: float, baseline: float, company: bool) -> str:
    """"较公司默认权重 +0.2": the difference of the two numbers as shown."""
    delta = widgets.fmt_delta(whatif.shown_difference(value, baseline))
    return tr("weights.vs_company" if company else "weights.vs_survey_equal", delta=delta)


def _result_cards(counts: Counts, res: Results, base: Results, p: int, company: bool) -> None:
    widgets.csi_card(res.total[p], tr("weights.result"), _versus(res.total[p], base.total[p], company),
                     element_id="csi-total")
    st.caption(statistics.half_text(statistics.intervals(counts, res).total[p]))  # from the sums: any weights
    present = [s for s in range(len(res.segments)) if res.segment_weight[p, s] > 0]
    for column, s in zip(st.columns(max(len(present), 1)), present):
        with column:
            widgets.segment_card(res.segments[s], res.segment_csi[p, s],
                                 [tr("common.weight_pct", pct=widgets.pct(res.segment_weight[p, s])),
                                  tr("weights.vs_base", delta=widgets.fmt_delta(whatif.shown_difference(
                                      res.segment_csi[p, s], base.segment_csi[p, s])))],
                                 element_id=f"csi-segment-{s}", compact=True)
    st.plotly_chart(charts.contribution_chart(res.segments, res.segment_weight[p], res.segment_csi[p],
                                              tr("weights.contribution"), state.lang()),
                    config={"displayModeBar": False}, key="w.contribution")


def _item_table(rows: list[whatif.ItemRow]) -> None:
    st.table([{tr("common.item"): r.item, tr("weights.col_weight"): widgets.fmt(r.weight),
               tr("weights.col_score"): widgets.fmt(r.score), tr("weights.col_contribution"): widgets.fmt(r.contribution),
               tr("weights.col_action"): "●" if r.needs_action else ""} for r in rows], hide_index=True)


def _item_section(counts: Counts, res: Results, base: Results, p: int, wi: dict, force: inforce.InForce) -> None:
    """One segment's item sliders at a time (fewer widgets to redraw on every move)."""
    st.subheader(tr("weights.item_weights"))
    st.caption(tr("weights.item_help"))
    present = [counts.segments[s] for s in range(len(counts.segments)) if (res.item_n[p, s] > 0).any()]
    if not present:
        return
    if st.session_state.get("w.item_segment") not in present:
        st.session_state["w.item_segment"] = present[0]
    segment = st.segmented_control(
        tr("common.segment"), present, key="w.item_segment", label_visibility="collapsed",
        format_func=lambda name: name + (" ✎" if name in wi["items"] else "")) or present[0]
    s = counts.segments.index(segment)
    company = force.items.get(segment)
    start = whatif.start_importances(base, p, s, company)
    mine = wi["items"].get(segment)
    left, right = st.columns([5, 7], gap="large")
    with left:
        st.caption(tr("weights.user_set") if mine else tr("weights.from_company") if company
                   else tr("weights.from_survey"))
        for item, value in start.items():
            key = ITEM_KEY.format(segment, item)
            _place(key, int(min(100, round(float(mine.get(item, 0))))) if mine else value)
            st.slider(item, 0, 100, step=1, key=key, on_change=_items_moved, args=(segment, start))
        st.button(tr("weights.reset_items"), on_click=_reset_segment, args=(segment,), key="w.reset_items",
                  icon=":material/restart_alt:")
    with right:
        rows = whatif.item_rows(res, p, s)
        st.plotly_chart(charts.contribution_chart(
            [r.item for r in rows], [r.weight / 100 for r in rows], [r.score for r in rows],
            tr("weights.item_contribution", segment=segment), state.lang()),
            config={"displayModeBar": False}, key="w.items_chart")
        _item_table(rows)


def _compare(counts: Counts, res: Results, base: Results, p: int, scenarios: dict[str, dict],
             force: inforce.InForce, company: bool) -> None:
    st.subheader(tr("weights.compare"))
    columns = {tr("weights.baseline_company" if company else "weights.baseline_survey"): base,
               tr("weights.current_column"): res}
    for name, stored in scenarios.items():
        wi, _ = state.decode_share(state.encode_share(stored), counts)
        try:
            outcome = whatif.compute(counts, force.weights, wi["segments"], wi["items"])  # as the live page does
            result = None if outcome.all_zero else outcome.results
        except ValueError:
            result = None
        columns[widgets.md_escape(name)] = result
    rows = [(tr("weights.row_total"), lambda r: widgets.fmt(r.total[p])),
            (tr("weights.row_grade"), lambda r: widgets.grade_name(r.total[p]))]
    for s, segment in enumerate(counts.segments):
        rows.append((tr("weights.row_segment", segment=segment), lambda r, s=s: widgets.fmt(r.segment_csi[p, s])))
        rows.append((tr("weights.row_weight", segment=segment), lambda r, s=s: widgets.pct(r.segment_weight[p, s])))
    table = [{"": label, **{name: (get(r) if r is not None else "—") for name, r in columns.items()}}
             for label, get in rows]
    st.table(table, hide_index=True)


@st.fragment
@widgets.guarded
def live(counts: Counts, period: str, force: inforce.InForce) -> None:
    """Everything a slider move changes; reruns alone on every move (no query: the
    scenarios were read by the full run and are kept current by the buttons' callbacks)."""
    wi = state.whatif()
    base = csi.compute(counts, force.weights)
    p = base.period_index(period)
    company = inforce.applies_in_period(force, base, p)  # the segment weights in force in this period
    asked = st.session_state.get(DEFAULT_SHOWN)
    if st.session_state.get("_w_default_pending") and asked != (wi["segments"] or company):
        # a slider moved under the "make these the company default?" question: ask again
        st.session_state["_w_default_pending"] = False
        st.rerun(scope="app")
    scenarios = st.session_state.get(SCENARIOS_KEY, {})
    start = state.segment_slider_values(company, counts.segments)
    shown = state.segment_slider_values(wi["segments"], counts.segments) if wi["segments"] else start
    outcome = whatif.compute(counts, force.weights, wi["segments"], wi["items"])
    for segment in outcome.kept:
        st.warning(tr("weights.items_all_zero", segment=widgets.md_escape(segment)))
    if outcome.all_zero:  # every segment weight 0: the sliders stay, the baseline's result is shown
        st.error(tr("weights.all_zero"))
    res, named = outcome.results, _baseline_named(force, base, p)
    left, right = st.columns([5, 7], gap="large")
    with right:  # first: the numbers reach the screen before the widgets are redrawn
        widgets.loud_notes(res, period)
        _result_cards(counts, res, base, p, named)
    with left:
        _segment_sliders(counts, None if outcome.all_zero else res, p, start, shown)
    _item_section(counts, res, base, p, wi, force)
    st.divider()
    _scenarios(counts, company, scenarios)
    _compare(counts, res, base, p, scenarios, force, named)
    url = _write_link(wi)
    with st.expander(tr("weights.share"), icon=":material/link:"):
        st.caption(tr("weights.share_help"))
        st.code(url, language=None, wrap_lines=True)
    widgets.notes_expander(res, period)


# --- scenarios and the company default (full reruns) --------------------------------------------
@widgets.guarded_callback
def _save(company: dict | None) -> None:
    name = (st.session_state.get("w.scenario_name") or "").strip()
    if not name:
        st.session_state["_w_msg"] = ("warning", tr("weights.need_name"))
        return
    if any(name_key(name) == name_key(other) for other in state.store().scenarios()):
        st.session_state["_w_msg"] = ("warning", tr("weights.name_taken", name=widgets.md_escape(name)))
        return
    wi = state.whatif()
    state.store().save_scenario(name, {"segments": wi["segments"] or company, "items": wi["items"] or None},
                                who=auth.actor())
    st.session_state[SCENARIOS_KEY] = state.store().scenarios()
    st.session_state["_w_msg"] = ("success", tr("weights.saved", name=widgets.md_escape(name)))


@widgets.guarded_callback
def _load(counts: Counts) -> None:
    name = st.session_state.get("w.scenario_pick")
    stored = st.session_state.get(SCENARIOS_KEY, {}).get(name)
    if stored is not None:
        wi, _ = state.decode_share(state.encode_share(stored), counts)
        st.session_state[state.WHATIF_KEY] = wi


@widgets.guarded_callback
def _delete(name: str) -> None:
    st.session_state.pop("_w_delete_pending", None)
    if name:
        state.store().delete_scenario(name, who=auth.actor())
        st.session_state[SCENARIOS_KEY] = state.store().scenarios()
        st.session_state["_w_msg"] = ("success", tr("weights.deleted", name=widgets.md_escape(name)))


@widgets.guarded_callback
def _make_default(weights: dict) -> None:
    state.store().set_setting("segment_weights", weights, who=auth.actor())
    state.whatif()["segments"] = None
    st.session_state["_w_default_pending"] = False
    st.session_state["_w_default_msg"] = tr("weights.default_saved")


def _scenarios(counts: Counts, company: dict | None, scenarios: dict[str, dict]) -> None:
    st.subheader(tr("weights.scenarios"))
    kind, text = st.session_state.pop("_w_msg", (None, None))
    if kind:
        getattr(st, kind)(text)
    save, manage = st.columns(2, gap="large")
    editor = auth.may("scenarios")
    with save:
        if editor:
            st.text_input(tr("weights.scenario_name"), key="w.scenario_name", max_chars=60)
            st.button(tr("weights.save_scenario"), on_click=_save, args=(company,), icon=":material/save:",
                      key="w.save")
        else:
            st.caption(tr("weights.scenarios_read_only"))
    with manage:
        if scenarios:
            st.selectbox(tr("weights.load"), list(scenarios), key="w.scenario_pick")
            a, b = st.columns(2)
            a.button(tr("weights.load_button"), on_click=_load, args=(counts,), key="w.load",
                     icon=":material/upload:")
            name = st.session_state.get("w.scenario_pick")
            if editor:
                b.button(tr("weights.delete_button"), key="w.delete", icon=":material/delete:",  # asks first
                         on_click=lambda: st.session_state.update(
                             _w_delete_pending=st.session_state.get("w.scenario_pick")))
            if editor and name is not None and st.session_state.get("_w_delete_pending") == name:
                st.warning(tr("weights.confirm_delete", name=widgets.md_escape(name)))
                yes, no, _ = st.columns([1, 1, 2])
                yes.button(tr("weights.delete_yes"), type="primary", key="w.delete_yes", on_click=_delete, args=(name,))
                no.button(tr("weights.cancel"), key="w.delete_no",
                          on_click=lambda: st.session_state.pop("_w_delete_pending", None))
            picked = scenarios.get(name)
            if picked is not None:
                with st.expander(tr("weights.scenario_link"), icon=":material/link:"):
                    st.code(state.share_url(state.encode_share(picked)), language=None, wrap_lines=True)
        else:
            st.caption(tr("weights.no_scenarios"))


def _company_default(counts: Counts, force: inforce.InForce) -> None:
    st.subheader(tr("weights.company_default"))
    if st.session_state.get("_w_default_msg"):
        st.success(st.session_state.pop("_w_default_msg"))
    company = force.segments
    st.markdown(widgets.md_escape(tr("weights.company_now", weights=widgets.weights_text(company))))
    if not auth.may("weights"):
        st.caption(tr("weights.default_admin_only"))
        return
    wi = state.whatif()
    proposed = wi["segments"] or company
    if not st.session_state.get("_w_default_pending"):
        st.button(tr("weights.save_default"), key="w.default",  # the weights at the click, not at the drawing
                  on_click=lambda: st.session_state.update({"_w_default_pending": True,
                                                            DEFAULT_SHOWN: state.whatif()["segments"] or company}))
    else:
        st.session_state[DEFAULT_SHOWN] = proposed
        st.warning(tr("weights.confirm_default", weights=widgets.md_escape(widgets.weights_text(proposed))))
        a, b, _ = st.columns([1, 1, 3])
        a.button(tr("weights.confirm"), type="primary", key="w.default_yes", on_click=_make_default,
                 args=(dict(proposed or {}),))
        b.button(tr("weights.cancel"), key="w.default_no",
                 on_click=lambda: st.session_state.update(_w_default_pending=False))
    _items_default(counts, force)


# --- the company's item importances, per segment -------------------------------------------------
ITEMS_PENDING = "_w_items_pending"  # (segment, importances) the question shows


def _importances_text(importances: dict[str, float]) -> str:
    total = sum(importances.values()) or 1
    sep = "，" if state.lang() == "zh" else ", "
    return sep.join(f"{k} {widgets.fmt(100 * v / total, suffix=' %')}" for k, v in importances.items())


@widgets.guarded_callback
def _ask_items_default(segment: str, start: dict[str, int]) -> None:
    st.session_state[ITEMS_PENDING] = (segment, dict(state.whatif()["items"].get(segment) or start))


@widgets.guarded_callback
def _make_items_default(segment: str, importances: dict[str, float]) -> None:
    s = state.store()
    saved = dict(s.get_setting("item_weights") or {})
    saved[segment] = importances
    s.set_setting("item_weights", saved, who=auth.actor())
    state.whatif()["items"].pop(segment, None)
    st.session_state.pop(ITEMS_PENDING, None)
    st.session_state["_w_default_msg"] = tr("weights.items_default_saved", segment=segment)


@widgets.guarded_callback
def _clear_items_default(segment: str) -> None:
    s = state.store()
    saved = {k: v for k, v in (s.get_setting("item_weights") or {}).items() if name_key(k) != name_key(segment)}
    s.set_setting("item_weights", saved or None, who=auth.actor())
    state.whatif()["items"].pop(segment, None)
    st.session_state["_w_default_msg"] = tr("weights.items_default_cleared", segment=segment)


def _items_default(counts: Counts, force: inforce.InForce) -> None:
    """The item importances of the segment picked above, as the company default (with
    the same confirmation as the segment weights), or back to the focus question."""
    if force.items:
        st.markdown(widgets.md_escape(tr("weights.items_company_now", segments=i18n.join(force.items, state.lang()))))
    else:
        st.caption(tr("weights.items_company_none"))
    segment = st.session_state.get("w.item_segment")
    if segment not in counts.segments:
        return
    period = state.current_period(counts)
    base = csi.compute(counts, force.weights)
    p, s = base.period_index(period), counts.segments.index(segment)
    start = whatif.start_importances(base, p, s, force.items.get(segment))
    pending = st.session_state.get(ITEMS_PENDING)
    if pending and pending[0] == segment:
        st.warning(tr("weights.confirm_items_default", segment=widgets.md_escape(segment),
                      weights=widgets.md_escape(_importances_text(pending[1]))))
        a, b, _ = st.columns([1, 1, 3])
        a.button(tr("weights.confirm"), type="primary", key="w.items_default_yes", on_click=_make_items_default,
                 args=(segment, pending[1]))
        b.button(tr("weights.cancel"), key="w.items_default_no",
                 on_click=lambda: st.session_state.pop(ITEMS_PENDING, None))
        return
    a, b = st.columns(2)
    a.button(tr("weights.save_items_default", segment=segment), key="w.items_default",
             on_click=_ask_items_default, args=(segment, start))
    if segment in force.items:
        b.button(tr("weights.clear_items_default", segment=segment), key="w.items_default_clear",
                 on_click=_clear_items_default, args=(segment,))


def main() -> None:
    counts = state.get_counts()
    period = state.current_period(counts)
    if period is None:
        st.title(tr("app.page.weights"))
        st.info(tr("app.no_data"))
        return
    st.title(tr("weights.title", period=period))
    widgets.branch_caption()
    st.caption(tr("weights.intro"))
    _read_link(counts)
    force = state.in_force(counts)
    st.session_state[SCENARIOS_KEY] = state.store().scenarios()
    live(counts, period, force)
    st.divider()
    if counts.branch is None:
        _company_default(counts, force)
    else:  # the company's weights are set on the whole company's data, never on one branch's
        st.caption(tr("branch.weights_company_only"))


main()
