"""投诉 Complaints (第五章): record a complaint, take it through the eight steps of
第二十一条 to its closed date, import complaints from a workbook (checked cell by cell,
stored only when confirmed), the quarterly complaint analysis (第二十七条) and the annual
assessment of departments and branches (第六章, ``ui.assessment``)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from csi_core.i18n.dates import date_text
from csi_core.method import complaints as cm
from csi_core.reading import complaints as reading
from csi_core.reading.problems import WorkbookRefused
from csi_core.template import complaints_template_bytes
from csi_core import i18n
from ui import assessment, auth, state, widgets

# The language of this run, bound once: the option labels (format_func) are also called
# after the run, where the session's language cannot be read (AppTest formats them so).
LANG = state.lang()


def lang() -> str:
    return LANG


def tr(key: str, /, **params) -> str:
    return i18n.t(key, LANG, **params)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FEEDBACK = "complaints.feedback"
VALIDITY = (None, True, False)


def label(kind: str, value) -> str:
    """A stored key in words: complaints.type.quality → 服务质量; blank → —."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return tr("complaints.none")
    return tr(f"complaints.{kind}.{value}")


def validity_text(value) -> str:
    return tr({None: "complaints.valid.none", True: "complaints.valid.yes", False: "complaints.valid.no"}[
        None if value is None or pd.isna(value) else bool(value)])


def _optional(options) -> list:
    return [None, *options]


def record_form(items: list[str], segments: list[str]) -> None:
    """A new complaint: what was received, by whom, and what is known of it so far."""
    with st.form("complaints.new", clear_on_submit=True):
        a, b, c, d = st.columns(4)
        received = a.date_input(tr("complaints.field.received"), value=dt.date.today(), key="complaints.new.received",
                                format="YYYY-MM-DD")
        customer = b.text_input(tr("complaints.field.customer"), key="complaints.new.customer", max_chars=200)
        segment = c.selectbox(tr("complaints.field.segment"), _optional(segments), key="complaints.new.segment",
                              format_func=lambda s: s or tr("complaints.none"), accept_new_options=True)
        branch = d.text_input(tr("complaints.field.branch"), key="complaints.new.branch", max_chars=200)
        a, b, c, d = st.columns(4)
        complainant = a.text_input(tr("complaints.field.complainant"), key="complaints.new.complainant", max_chars=200)
        channel = b.text_input(tr("complaints.field.channel"), key="complaints.new.channel", max_chars=200)
        kind = c.selectbox(tr("complaints.field.type"), _optional(cm.TYPES), key="complaints.new.type",
                           format_func=lambda v: label("type", v))
        klass = d.selectbox(tr("complaints.field.class"), _optional(cm.CLASSES), key="complaints.new.class",
                            format_func=lambda v: v or tr("complaints.none"))
        a, b = st.columns(2)
        content = a.text_area(tr("complaints.field.content"), key="complaints.new.content", height=90, max_chars=4000)
        request = b.text_area(tr("complaints.field.request"), key="complaints.new.request", height=90, max_chars=4000)
        a, b = st.columns([1, 3])
        loss = a.number_input(tr("complaints.field.loss"), min_value=0.0, value=None, step=1000.0,
                              key="complaints.new.loss", format="%.0f")
        about = b.multiselect(tr("complaints.field.items"), items, key="complaints.new.items",
                              placeholder=tr("complaints.items_placeholder"))
        if st.form_submit_button(tr("complaints.save"), type="primary", icon=":material/save:",
                                 key="complaints.new.save"):
            if received is None:
                st.error(tr("complaints.need_received"))
                return
            record = {"received": received, "customer": customer.strip() or None, "segment": segment or None,
                      "branch": branch.strip() or None, "complainant": complainant.strip() or None,
                      "channel": channel.strip() or None, "content": content.strip() or None,
                      "request": request.strip() or None, "type": kind, "class": klass, "loss": loss,
                      "items": "、".join(about) or None, "status": "recorded"}
            (new_id,) = state.store().save_complaints([record], who=auth.actor())
            st.session_state[FEEDBACK] = tr("complaints.saved", id=new_id)
            st.rerun()


def log_table(table: pd.DataFrame, today: dt.date, due_days: int) -> pd.DataFrame:
    """The log as shown: one row per complaint, keys in words, escalation marked."""
    rows = []
    for c in table.to_dict("records"):
        received, closed = cm._day(c.get("received")), cm._day(c.get("closed"))
        rows.append({
            tr("complaints.field.id"): int(c["id"]),
            tr("complaints.field.received"): date_text(received, lang()),
            tr("complaints.field.customer"): c.get("customer") or "",
            tr("complaints.field.escalated"): tr("complaints.escalated_yes") if cm.escalated(c, today, due_days) else "",
            tr("complaints.field.status"): label("step", c.get("status") or "recorded"),
            tr("complaints.field.type"): label("type", c.get("type")),
            tr("complaints.field.class"): c.get("class") or tr("complaints.none"),
            tr("complaints.field.severity"): label("severity", cm.severity(cm._number(c.get("loss")))),
            tr("complaints.field.valid"): validity_text(c.get("valid")),
            tr("complaints.field.department"): c.get("department") or "",
            tr("complaints.field.closed"): date_text(closed, lang()),
            tr("complaints.field.content"): c.get("content") or "",
        })
    return widgets.safe_table(pd.DataFrame(rows))  # its toolbar CSV writes no live formula


def update_form(table: pd.DataFrame, items: list[str]) -> None:
    """One complaint through the steps: validity, responsibility, cause, solution, the
    leader's instruction, the step reached, the closed date and the customer's verdict."""
    st.subheader(tr("complaints.update_title"))
    records = {int(c["id"]): c for c in table.to_dict("records")}
    chosen = st.selectbox(tr("complaints.choose"), list(reversed(records)), key="complaints.chosen",
                          format_func=lambda i: f"{i} · {date_text(cm._day(records[i]['received']), lang())} · "
                                                f"{records[i].get('customer') or ''} · "
                                                f"{(records[i].get('content') or '')[:30]}")
    c = records[chosen]
    key = f"complaints.edit.{chosen}"
    with st.form(key):
        a, b, d = st.columns([1, 2, 1])
        current = None if c.get("valid") is None or pd.isna(c.get("valid")) else bool(c["valid"])
        valid = a.selectbox(tr("complaints.field.valid"), VALIDITY, index=VALIDITY.index(current),
                            format_func=validity_text, key=f"{key}.valid")
        reason = b.text_input(tr("complaints.field.validity_reason"), value=c.get("validity_reason") or "",
                              key=f"{key}.validity_reason", max_chars=2000)
        loss = d.number_input(tr("complaints.field.loss"), min_value=0.0, step=1000.0, format="%.0f",
                              value=None if cm._number(c.get("loss")) is None else float(c["loss"]), key=f"{key}.loss")
        a, b, d, e = st.columns(4)
        kind = a.selectbox(tr("complaints.field.type"), _optional(cm.TYPES), key=f"{key}.type",
                           index=_optional(cm.TYPES).index(c.get("type") if c.get("type") in cm.TYPES else None),
                           format_func=lambda v: label("type", v))
        klass = b.selectbox(tr("complaints.field.class"), _optional(cm.CLASSES), key=f"{key}.class",
                            index=_optional(cm.CLASSES).index(c.get("class") if c.get("class") in cm.CLASSES else None),
                            format_func=lambda v: v or tr("complaints.none"))
        department = d.text_input(tr("complaints.field.department"), value=c.get("department") or "",
                                  key=f"{key}.department", max_chars=200)
        person = e.text_input(tr("complaints.field.person"), value=c.get("person") or "", key=f"{key}.person",
                              max_chars=200)
        a, b, d = st.columns(3)
        cause = a.text_area(tr("complaints.field.cause"), value=c.get("cause") or "", key=f"{key}.cause", height=80)
        solution = b.text_area(tr("complaints.field.solution"), value=c.get("solution") or "", key=f"{key}.solution",
                               height=80)
        instruction = d.text_area(tr("complaints.field.instruction"), value=c.get("instruction") or "",
                                  key=f"{key}.instruction", height=80)
        a, b, d, e = st.columns(4)
        step = c.get("status") if c.get("status") in cm.STEPS else "recorded"
        status = a.selectbox(tr("complaints.field.status"), cm.STEPS, index=cm.STEPS.index(step),
                             format_func=lambda s: label("step", s), key=f"{key}.status")
        closed = b.date_input(tr("complaints.field.closed"), value=cm._day(c.get("closed")), key=f"{key}.closed",
                              format="YYYY-MM-DD")
        satisfaction = d.selectbox(tr("complaints.field.satisfaction"), _optional(cm.SATISFACTION),
                                   index=_optional(cm.SATISFACTION).index(
                                       c.get("satisfaction") if c.get("satisfaction") in cm.SATISFACTION else None),
                                   format_func=lambda v: label("satisfaction", v), key=f"{key}.satisfaction")
        chosen_items = [n for n in cm.item_names(c.get("items"))]
        about = e.multiselect(tr("complaints.field.items"), sorted(set(items) | set(chosen_items)),
                              default=chosen_items, key=f"{key}.items",
                              placeholder=tr("complaints.items_placeholder"))
        if st.form_submit_button(tr("complaints.update"), type="primary", icon=":material/task_alt:",
                                 key=f"{key}.save"):
            received = cm._day(c.get("received"))
            if closed is not None and received is not None and closed < received:
                st.error(tr("complaints.closed_before"))
                return
            record = {**{f: c.get(f) for f in cm.FIELDS}, "id": chosen, "valid": valid,
                      "validity_reason": reason.strip() or None, "loss": loss, "type": kind, "class": klass,
                      "department": department.strip() or None, "person": person.strip() or None,
                      "cause": cause.strip() or None, "solution": solution.strip() or None,
                      "instruction": instruction.strip() or None, "status": status, "closed": closed,
                      "satisfaction": satisfaction, "items": "、".join(about) or None}
            state.store().save_complaints([record], who=auth.actor())
            st.session_state[FEEDBACK] = tr("complaints.updated", id=chosen)
            st.rerun()


def import_tab() -> None:
    st.download_button(tr("complaints.template"), complaints_template_bytes(), file_name="complaints_template.xlsx",
                       mime=XLSX, icon=":material/download:", on_click="ignore", key="complaints.template")
    upload = st.file_uploader(tr("complaints.upload"), type=["xlsx"], key="complaints.upload")
    if upload is None:
        return
    try:
        parsed = reading.read(upload.getvalue(), upload.name)
    except WorkbookRefused as refused:
        st.error("\n".join([tr("complaints.refused")] + [f"- {widgets.md_escape(p.message(lang(), upload.name))}"
                                                         for p in refused.problems]))
        return
    if parsed.problems:
        shown = parsed.problems[:50]
        st.error("\n".join([tr("complaints.refused")] + [f"- {widgets.md_escape(p.message(lang(), upload.name))}"
                                                         for p in shown]))
        return
    if not parsed.records:
        st.info(tr("complaints.no_rows"))
        return
    st.success(tr("complaints.ready", sheet=parsed.sheet, n=len(parsed.records)))
    st.dataframe(log_table(pd.DataFrame([{**r, "id": r["row"]} for r in parsed.records]), dt.date.today(),
                           int(state.setting("complaint_due_days"))), hide_index=True, key="complaints.preview")
    if st.button(tr("complaints.import", n=len(parsed.records)), type="primary", key="complaints.import"):
        state.store().save_complaints([{k: v for k, v in r.items() if k != "row"} for r in parsed.records],
                                      who=auth.actor())
        st.session_state[FEEDBACK] = tr("complaints.imported", n=len(parsed.records))
        st.rerun()


def counts_table(found: dict, kind: str | None) -> pd.DataFrame:
    def name(key):
        if key == "":
            return tr("complaints.blank")
        return label(kind, key) if kind else key
    return widgets.safe_table(pd.DataFrame({tr("complaints.col.value"): [name(k) for k in found],
                                            tr("complaints.col.count"): list(found.values())}))


def _repeat(found: dict) -> None:
    st.markdown(f"**{tr('complaints.repeat')}**")
    if found["repeat_customers"]:
        st.dataframe(widgets.safe_table(pd.DataFrame({
                         tr("complaints.field.customer"): list(found["repeat_customers"]),
                         tr("complaints.col.count"): list(found["repeat_customers"].values())})),
                     hide_index=True, width="stretch", key="complaints.repeat")
    else:
        st.caption(tr("complaints.repeat_none"))


def analysis_tab(table: pd.DataFrame, today: dt.date, due_days: int) -> None:
    counts = state.get_counts()
    quarters = {q for q in (cm.quarter(cm._day(d)) for d in table.received) if q} if len(table) else set()
    current = state.current_period(counts)
    choices = sorted(quarters | ({current} if current else set()), reverse=True) or [cm.quarter(today)]
    period = st.selectbox(tr("complaints.period"), choices, key="complaints.period",
                          index=choices.index(current) if current in choices else 0)
    scores = {}
    if current and period in counts.periods:
        res = state.results(counts=counts)
        scores = cm.pooled_item_scores(res, res.period_index(period))
    found = cm.analysis(table, period, today, due_days, scores)
    if not found["count"]:
        st.info(tr("complaints.analysis_empty", period=period))
        return
    (a, b, c), (d, e, f) = st.columns(3), st.columns(3)  # two rows: whole labels at 1280 wide
    a.metric(tr("complaints.m_count"), found["count"])
    b.metric(tr("complaints.m_valid_share"), widgets.pct(found["valid_share"]),
             help=tr("complaints.valid_detail", valid=found["valid"], invalid=found["invalid"],
                     undecided=found["undecided"]))
    c.metric(tr("complaints.m_open"), found["open"])
    d.metric(tr("complaints.m_escalated"), found["escalated"])
    e.metric(tr("complaints.m_median"), widgets.fmt(found["days_to_close_median"]))
    f.metric(tr("complaints.m_p90"), widgets.fmt(found["days_to_close_p90"]))
    for pair in ((("type", "type"), ("class", None)), (("severity", "severity"), ("department", None)),
                 (("branch", None), None)):
        columns = st.columns(2)
        for column, entry in zip(columns, pair):
            if entry is None:
                with column:
                    _repeat(found)
                continue
            field, kind = entry
            with column:
                st.markdown(f"**{tr(f'complaints.by_{field}')}**")
                st.dataframe(counts_table(found[f"by_{field}"], kind), hide_index=True, width="stretch",
                             key=f"complaints.by_{field}")
    st.markdown(f"**{tr('complaints.per_item')}**")
    if found["items"]:
        st.dataframe(widgets.safe_table(pd.DataFrame({tr("complaints.field.items"): list(found["items"]),
                                   tr("complaints.col.count"): [v["complaints"] for v in found["items"].values()],
                                   tr("complaints.col.score"): [widgets.pct(v["score"]) if v["score"] is not None
                                                                else "—" for v in found["items"].values()]})),
                     hide_index=True, key="complaints.items")
    else:
        st.caption(tr("complaints.per_item_none"))


def main() -> None:
    st.title(tr("complaints.title"))
    widgets.branch_caption()
    due_days = int(state.setting("complaint_due_days"))
    st.caption(tr("complaints.intro", days=due_days))
    feedback = st.session_state.pop(FEEDBACK, None)
    if feedback:
        st.success(feedback)
    store = state.store()
    counts = state.get_counts()
    every = store.complaints()
    table = cm.of_branch(every, state.current_branch())  # the log and the analysis follow the branch shown
    today = dt.date.today()
    tabs = st.tabs([tr("complaints.tab_new"), tr("complaints.tab_log"), tr("complaints.tab_import"),
                    tr("complaints.tab_analysis"), tr("complaints.tab_assessment")])
    with tabs[0]:
        record_form(list(counts.items), list(counts.segments))
    with tabs[1]:
        if table.empty:
            st.caption(tr("complaints.log_empty"))
        else:
            escalated = sum(cm.escalated(c, today, due_days) for c in table.to_dict("records"))
            st.caption(tr("complaints.escalated_count", n=escalated))
            st.dataframe(log_table(table, today, due_days), hide_index=True, key="complaints.log",
                         column_config={tr("complaints.field.content"): st.column_config.TextColumn(width="large")})
            update_form(table, list(counts.items))
    with tabs[2]:
        import_tab()
    with tabs[3]:
        analysis_tab(table, today, due_days)
    with tabs[4]:
        assessment.section(every)  # per department and branch: always all of them


main()
