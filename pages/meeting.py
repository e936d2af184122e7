"""会议 Meeting: the quarterly management review run from the dashboard.

Without a meeting chosen: start (or resume) the meeting on the sidebar's period, or reopen
a kept review. Presenting: the sidebar hidden, one agenda point a screen (← → PageUp
PageDown), the secretary's record under each point, closing on the last point. A kept
review is drawn from its frozen JSON, never recomputed.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from csi_core.method.actions import parse_due
from csi_core.outputs import meeting, pptx
from csi_core.outputs import meeting_view as view
from csi_core.store import reviews  # Review, ReviewError
from ui import meeting as mui
from ui import auth, state, widgets
from ui.state import lang, tr

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FEEDBACK = "meeting.feedback"


def who():
    """The signed-in user recording (the audit trail's "who"; the store checks the role)."""
    return auth.actor()


# --- choosing a meeting -----------------------------------------------------------------------
def choose() -> None:
    st.title(tr("meeting.title"))
    widgets.branch_caption(note="branch.meeting_company")
    st.caption(tr("meeting.intro"))
    counts = state.get_counts(branch=None)
    period = state.current_period(counts)
    store = state.store()
    if period is None:
        st.info(tr("app.no_data"))
    else:
        running = store.reviews(status="open")
        mine = running[running.period == period]
        label = tr("meeting.resume", period=period, id=int(mine.id.iloc[0])) if len(mine) else \
            tr("meeting.start", period=period)
        if st.button(label, type="primary", icon=":material/co_present:", key="meeting.start"):
            show(store.open_review(period, who=who()))
    st.subheader(tr("meeting.past"))
    kept = store.reviews(status="closed")
    if kept.empty:
        st.caption(tr("meeting.no_past"))
        return
    table = kept[["id", "period", "closed_at", "attendees", "decisions"]].copy()
    table["closed_at"] = table.closed_at.dt.strftime("%Y-%m-%d %H:%M")
    st.dataframe(widgets.safe_table(table.rename(columns=lambda c: tr(f"meeting.col.{c}"))), hide_index=True,
                 width="stretch")
    options = {int(r.id): tr("meeting.review_option", id=int(r.id), period=r.period, when=r.closed_at)
               for r in table.itertuples()}
    picked = st.selectbox(tr("meeting.pick_review"), list(options), format_func=options.get, key="meeting.pick")
    if st.button(tr("meeting.reopen"), icon=":material/history:", key="meeting.reopen"):
        show(picked)


def show(review_id: int | None) -> None:
    st.session_state[mui.REVIEW_KEY] = review_id
    st.session_state[mui.POINT_KEY] = 0
    st.rerun()


# --- presenting --------------------------------------------------------------------------------
def move(step: int, size: int) -> None:
    st.session_state[mui.POINT_KEY] = min(max(st.session_state.get(mui.POINT_KEY, 0) + step, 0), size - 1)


def agenda_of(review: reviews.Review) -> tuple[dict, list[dict]]:
    """The agenda to draw and its decisions: frozen for a kept review, live for an open one."""
    if review.closed:
        return review.agenda, review.agenda.get("decisions", [])
    counts = state.get_counts(branch=None)  # a meeting reviews the whole company
    if review.period not in counts.periods:  # its quarter was taken away while the meeting was open
        raise meeting.AgendaError(tr("app.period_not_stored", period=review.period))
    live = meeting.build_agenda(state.store(), review.period, counts=counts)
    decisions = state.store().review_decisions(review.id)
    return meeting.with_decisions(live, decisions, review.attendees), decisions


def present(review_id: int) -> None:
    mui.projector_style()
    store = state.store()
    try:
        review = store.review(review_id)
        agenda, decisions = agenda_of(review)
    except (reviews.ReviewError, meeting.AgendaError) as exc:
        st.session_state[mui.REVIEW_KEY] = None
        st.warning(widgets.md_escape(str(exc)))
        return
    points = agenda["points"]
    index = min(st.session_state.get(mui.POINT_KEY, 0), len(points) - 1)
    st.session_state[mui.POINT_KEY] = index
    point = points[index]
    mui.strip(agenda, index)
    feedback = st.session_state.pop(FEEDBACK, None)
    if feedback:
        getattr(st, feedback[0])(feedback[1])
    if review.closed:
        st.caption(tr("meeting.frozen", id=review.id, when=agenda.get("closed_at", "")) + " · "
                   + tr("meeting.uploads_used", ids=", ".join(map(str, agenda.get("upload_ids", []))),
                        scale=agenda.get("scale", "")))
    mui.draw_point(point, decisions, agenda, key=f"meeting.{review.id}.{index}")
    navigation(len(points), index, agenda, review)
    if not review.closed:
        record(review, point, agenda)


def navigation(size: int, index: int, agenda: dict, review: reviews.Review) -> None:
    a, b, c, d, e = st.columns([1.2, 1.2, 1.5, 2.2, 3])
    a.button(tr("meeting.prev"), key=mui.PREV, icon=":material/chevron_left:", disabled=index == 0,
             on_click=move, args=(-1, size), width="stretch")
    b.button(tr("meeting.next"), key=mui.NEXT, icon=":material/chevron_right:", disabled=index >= size - 1,
             on_click=move, args=(1, size), width="stretch")
    if c.button(tr("meeting.leave"), key="meeting.leave", icon=":material/close:", width="stretch"):
        show(None)
    pack_lang = lang()  # the pack is made in another thread, on the click: no session there
    d.download_button(tr("meeting.pack"), data=lambda: pptx.meeting_pptx(agenda, pack_lang),
                      file_name=f"meeting_{agenda['period']}_{review.id}_{pack_lang}.pptx", mime=PPTX,
                      icon=":material/slideshow:", on_click="ignore", key="meeting.pack", width="stretch")
    e.caption(tr("meeting.keys"))


# --- recording ---------------------------------------------------------------------------------
def record(review: reviews.Review, point: dict, agenda: dict) -> None:
    """The secretary's form on this point; on the last point also attendees and closing."""
    with st.expander(tr("meeting.record"), expanded=False, icon=":material/edit_note:", key="meeting.record"):
        subjects = [{"kind": "overall", "score": agenda["points"][0]["csi"]}] + meeting.point_subjects(point)
        with st.form(f"meeting.form.{review.id}.{point['key']}", clear_on_submit=True):
            text = st.text_area(tr("meeting.decision"), key=f"meeting.text.{point['key']}", height=90)
            new_action = st.checkbox(tr("meeting.new_action"), key=f"meeting.act.{point['key']}")
            x, y, z = st.columns([3, 1.3, 1.3])
            labels = [tr("meeting.general")] + [view.subject(s, lang()) for s in subjects[1:]]
            on = x.selectbox(tr("meeting.action_on"), range(len(subjects)), key=f"meeting.on.{point['key']}",
                             index=min(1, len(subjects) - 1), format_func=labels.__getitem__)
            owner = y.text_input(tr("meeting.owner"), key=f"meeting.owner.{point['key']}")
            due = z.date_input(tr("meeting.due"), value=None, key=f"meeting.due.{point['key']}",
                               min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
            measure = st.text_input(tr("meeting.measure"), key=f"meeting.measure.{point['key']}")
            if st.form_submit_button(tr("meeting.save_decision"), type="primary", icon=":material/gavel:"):
                save_decision(review, point["key"], text, subjects[on] if new_action else None, owner, due, measure)
        mine = [d for d in state.store().review_decisions(review.id) if d["point"] == point["key"]]
        if mine and point["key"] != "decisions":
            st.markdown(f"**{tr('meeting.recorded')}**")
            st.markdown("\n".join(f"- {widgets.md_escape(d['text'])}" for d in mine))
    if point["key"] == "decisions":
        closing(review, agenda)


def save_decision(review, point_key: str, text: str, subject: dict | None, owner: str, due, measure: str) -> None:
    if not (text or "").strip():
        st.session_state[FEEDBACK] = ("error", tr("meeting.empty_decision"))
        st.rerun()
    action = None
    if subject is not None:
        try:
            day = parse_due(due)
        except ValueError:
            day = None
        if not (owner or "").strip() or day is None:
            st.session_state[FEEDBACK] = ("error", tr("meeting.need_owner"))
            st.rerun()
        action = {**{k: subject.get(k, "") for k in ("kind", "segment", "customer", "item")},
                  "score": subject.get("score"), "owner": owner.strip(), "due": day, "measure": measure}
    state.store().add_decision(review.id, point_key, text, action, who=who())
    st.session_state[FEEDBACK] = ("success", tr("meeting.saved", text=text.strip()[:120]))
    st.rerun()


def closing(review: reviews.Review, agenda: dict) -> None:
    with st.form(f"meeting.attendees.{review.id}"):
        names = st.text_area(tr("meeting.attendees"), value="\n".join(review.attendees), height=110,
                             key="meeting.attendees_text")
        if st.form_submit_button(tr("meeting.save_attendees"), icon=":material/group:"):
            saved = state.store().set_attendees(review.id, names, who=who())
            st.session_state[FEEDBACK] = ("success", tr("meeting.attendees_saved", names=", ".join(saved)))
            st.rerun()
    if st.button(tr("meeting.close"), type="primary", icon=":material/lock:", help=tr("meeting.close_help"),
                 key="meeting.close"):
        state.store().close_review(review.id, agenda, who=who())
        st.session_state[FEEDBACK] = ("success", tr("meeting.closed", id=review.id))
        st.session_state[mui.POINT_KEY] = 0
        st.rerun()


def main() -> None:
    review_id = st.session_state.get(mui.REVIEW_KEY)
    if review_id is None:
        choose()
    else:
        present(int(review_id))


main()
