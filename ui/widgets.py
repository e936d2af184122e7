"""Drawing helpers the pages share: big CSI cards, segment cards, notes, friendly errors.

Everything shown as a number goes through :func:`fmt` (``csi_core.outputs.formats``:
half-up, one decimal, the same formatter as the reports) so a screen never shows 84.25
as 84.2 where the method says 84.3.
"""
from __future__ import annotations

import functools
import html
import logging
import math
import re
import traceback
import uuid

import pandas as pd
import streamlit as st

from csi_core import i18n, workspaces
from csi_core.method import inforce
from csi_core.method.csi import Note
from csi_core.method.grades import grade_of
from csi_core.outputs import formats
from ui import state
from csi_core import settings
from csi_core.store.access import PermissionDenied
from csi_core.store.faults import fault_message, is_fault
from ui.state import lang, tr

log = logging.getLogger("csi.app")

CSS = """
<style>
.csi-card {border-radius: 14px; padding: 18px 28px 20px; color: #fff; line-height: 1.1;}
.csi-card .csi-label {font-size: 1.35rem; font-weight: 600; opacity: .95;}
.csi-card .csi-value {font-size: clamp(64px, 6.5vw, 96px); white-space: nowrap; font-weight: 800;
                      letter-spacing: -1px; margin: 4px 0 2px; font-variant-numeric: tabular-nums;}
.csi-card .csi-grade {font-size: 2rem; font-weight: 700;}
.csi-card .csi-delta {font-size: 1.3rem; margin-top: 8px; opacity: .95;}
.seg-card {border: 1px solid #d5dbe3; border-left: 10px solid var(--band); border-radius: 10px;
           padding: 12px 18px; background: #fff; line-height: 1.15; min-height: 190px; margin-top: 10px;}
.seg-card .seg-name {font-size: 1.35rem; font-weight: 700; color: #1b2430; overflow-wrap: anywhere;}
.seg-card .seg-value {font-size: clamp(34px, 3.6vw, 60px); white-space: nowrap; font-weight: 800; color: var(--band);
                      font-variant-numeric: tabular-nums; margin: 2px 0;}
.seg-card .seg-grade {font-size: clamp(1rem, 1.5vw, 1.3rem); font-weight: 700; color: var(--band);
                      overflow-wrap: normal; word-break: normal;}
[data-testid="stMetricValue"] {font-size: clamp(1.6rem, 2.6vw, 2.4rem) !important;}
[data-testid="stMetricValue"] div, [data-testid="stMetricValue"] p {
    white-space: normal !important; overflow-wrap: normal !important; text-overflow: clip !important;}
.seg-card .seg-meta {font-size: 1.05rem; color: #4a5565; margin-top: 6px;}
.seg-card.compact {padding: 10px 12px; border-left-width: 6px; min-height: 0;}
.seg-card.compact .seg-name {font-size: clamp(1rem, 1.3vw, 1.35rem); overflow-wrap: normal; word-break: keep-all;}
.seg-card.compact .seg-value {font-size: clamp(28px, 3vw, 52px);}
.seg-card.compact .seg-meta {font-size: .95rem; overflow-wrap: normal; word-break: keep-all;}
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 1rem;}
[data-testid="stTable"] th {white-space: nowrap;}
[data-testid="stSlider"] [data-testid="stWidgetLabel"] p {font-size: 1.02rem; font-weight: 600;}
.st-key-demo_banner {background: #fff4d6; border: 2px solid #d99a1e; border-radius: 10px; padding: 10px 16px;}
.st-key-demo_banner p {margin: 0; color: #4a3300;}
</style>
"""


def inject_css() -> None:
    """The cards' style; once per run (Streamlit keeps it cheap)."""
    st.html(CSS)


# --- numbers ---------------------------------------------------------------------------------
# One set of formatters for the pages and the reports (csi_core.outputs.formats).
fmt = formats.num
fmt_delta = formats.delta
pct = formats.pct


def file_size(n: int) -> str:
    """Bytes as a reader says them.

    >>> file_size(22), file_size(157_794), file_size(12_345_678), file_size(300 * 1024 * 1024)
    ('22 B', '154 KB', '11.8 MB', '300 MB')
    """
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n / 1024 / 1024:,.1f}".removesuffix(".0") + " MB"


def period_span(periods: list[str]) -> str:
    """Periods in a table cell: all of them when few, else the first and last and how many.

    >>> period_span(["2026Q1"]), period_span(["2026Q1", "2026Q2"]), period_span(["2025Q1", "2025Q2", "2026Q4"])
    ('2026Q1', '2026Q1, 2026Q2', '2025Q1 – 2026Q4 (3)')
    >>> period_span([""])
    ''
    """
    periods = [p for p in periods if p]
    if len(periods) <= 2:
        return ", ".join(periods)
    return f"{periods[0]} – {periods[-1]} ({len(periods)})"


WRAPPED_ROWS = 100  # up to this many rows a table wraps its text; longer ones scroll in a grid


def wrapped_table(table) -> None:
    """A table whose text wraps (nothing cut at 1280 × 720) while it is short; a grid beyond."""
    if len(table) <= WRAPPED_ROWS:
        st.table(table, hide_index=True)  # static: no toolbar, no download
    else:
        st.dataframe(safe_table(table), hide_index=True, width="stretch", placeholder="")


def column_label(key: str) -> str:
    """A table column's header (``report.col.<key>``); English headers start with a capital."""
    text = tr(f"report.col.{key}")
    return text[:1].upper() + text[1:]


def css_string(text: str) -> str:
    r"""Text as a CSS string literal (for ``content:``).

    >>> print(css_string('say "hi" 中文'))
    "say \"hi\" 中文"
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def grade_name(value: float | None) -> str:
    """The band's name in the session's language; a dash for a missing value."""
    if value is None or math.isnan(value):
        return "—"
    return tr(f"grade.{grade_of(value).key}")


grade_color = formats.grade_color


def weights_text(weights: dict[str, float] | None) -> str:
    """``民用户 60 %, 工商业户 30 %`` (normalised) for a sentence."""
    if not weights:
        return tr("common.equal_weights")
    total = sum(weights.values()) or 1
    sep = "，" if lang() == "zh" else ", "
    return sep.join(f"{k} {fmt(100 * v / total, suffix=' %')}" for k, v in weights.items())


# --- cards -----------------------------------------------------------------------------------
def csi_card(value: float, label: str, delta: str = "", element_id: str = "csi-total") -> None:
    """The big CSI number on its grade band's colour, with the band's name and a change.

    The value sits in ``<span id=...>`` so a browser test can read it.
    """
    color = grade_color(value)
    e = html.escape
    st.markdown(
        f'<div class="csi-card" style="background:{color}">'
        f'<div class="csi-label">{e(label)}</div>'
        f'<div class="csi-value"><span id="{e(element_id)}">{e(fmt(value))}</span></div>'
        f'<div class="csi-grade" id="{e(element_id)}-grade">{e(grade_name(value))}</div>'
        f'<div class="csi-delta">{e(delta)}</div></div>',
        unsafe_allow_html=True,
    )


def segment_card(name: str, value: float, lines: list[str], element_id: str = "", compact: bool = False) -> None:
    """A segment's CSI: name, number and grade in the band's colour, then small lines;
    ``compact`` for three or more cards in a narrow column (the what-if page)."""
    e = html.escape
    ident = f' id="{e(element_id)}"' if element_id else ""
    meta = "".join(f'<div class="seg-meta">{e(line)}</div>' for line in lines)
    st.markdown(
        f'<div class="seg-card{" compact" if compact else ""}" style="--band:{grade_color(value)}">'
        f'<div class="seg-name">{e(name)}</div>'
        f'<div class="seg-value"{ident}>{e(fmt(value))}</div>'
        f'<div class="seg-grade">{e(grade_name(value))}</div>{meta}</div>',
        unsafe_allow_html=True,
    )


# --- the workspace: the demo or the user's data ------------------------------------------------
@st.fragment(run_every=0.5)
def _wait_for_demo() -> None:
    """Rerun the app once the demo, loading behind the page, is ready (or failed)."""
    if not state.demo_loader().loading:
        st.rerun(scope="app")


def _leave_demo() -> None:
    state.show_workspace(workspaces.DATA)


def _show_demo() -> None:
    state.show_workspace(workspaces.DEMO)


def workspace_banner() -> None:
    """On every page: while the demo is shown a banner says so, with one click out of it;
    beside the user's own data, one click in the sidebar opens the demo again."""
    if not state.showing_demo():
        if state.data_store().is_empty() and state.demo_loader().error:
            st.warning(tr("app.demo_failed", detail=md_escape(state.demo_loader().error)), icon=":material/info:")
        st.sidebar.button(tr("demo.show"), key="demo.show", on_click=_show_demo, icon=":material/science:",
                          width="stretch")
        return
    loader = state.demo_loader()
    if not loader.ready:
        st.info(tr("demo.loading"), icon=":material/hourglass_top:")
        _wait_for_demo()
        return
    mine = not state.data_store().is_empty()
    with st.container(key="demo_banner"):
        text, button = st.columns([5, 1.4], vertical_alignment="center")
        text.markdown(f'<span id="demo-banner">{html.escape(tr("demo.banner"))}</span> '
                      + html.escape(tr("demo.banner_mine" if mine else "demo.banner_upload")),
                      unsafe_allow_html=True)
        button.button(tr("demo.back_to_mine" if mine else "demo.remove"), key="demo.leave", on_click=_leave_demo,
                      icon=":material/logout:", width="stretch")


def weights_statement(force: inforce.InForce, res, p: int) -> str:
    """"类型权重：民用户 60.0 %，… （公司默认）" — the weights the period's numbers used, and
    where they come from; the item importances when the company's are in use."""
    used = inforce.used_in_period(force, res, p)
    shares = weights_text_plain(used.used) if len(used.used) > 1 else ""
    if used.source == inforce.COMPANY:
        line = tr("weights_used.company", weights=shares)
    elif used.source == inforce.UNNAMED:
        line = tr("weights_used.unnamed", weights=shares, segments=i18n.join(used.unnamed, lang()))
    else:
        line = tr("weights_used.equal", weights=shares)
    if used.item_segments:
        line += " " + tr("weights_used.items_company", segments=i18n.join(used.item_segments, lang()))
    return line


def weights_text_plain(weights: dict[str, float]) -> str:
    """``民用户 60.0 %、工商业户 30.0 %`` of weights already normalised (0–1)."""
    return i18n.join([f"{k} {pct(v)}" for k, v in weights.items()], lang())


# --- notes and errors ------------------------------------------------------------------------
def notes_text(notes: tuple[Note, ...] | list[Note]) -> list[str]:
    """The computation notes in the session's language, each once."""
    lines = [i18n.t(f"calc.{n.key}", lang(), **dict(n.params)) for n in notes]
    return list(dict.fromkeys(lines))


def notes_expander(res, period: str | None = None) -> None:
    """"How this was computed": the method in one line, the segment weights as used in
    the period, and every item or segment dropped (the notes of ``csi.compute``)."""
    with st.expander(tr("common.how_computed")):
        st.caption(tr("common.method_line"))
        if period is not None:
            p = res.period_index(period)
            used = {name: float(res.segment_weight[p, s]) for s, name in enumerate(res.segments)
                    if res.segment_weight[p, s] > 0}
            st.markdown(md_escape(tr("common.weights_used", weights=weights_text(used))))
        lines = notes_text([n for n in res.notes if period is None or _note_in_period(n, period)])
        if lines:
            st.markdown("\n".join(f"- {md_escape(line)}" for line in lines))
        else:
            st.caption(tr("common.no_notes"))


LOUD_NOTES = ("period_equal_segment_weights", "period_unnamed_segments")  # notes a manager must see, not only in "how computed"


def loud_notes(res, period: str) -> None:
    """Notes that change what the big numbers mean, as warnings above them."""
    for line in notes_text([n for n in res.notes if n.key in LOUD_NOTES and _note_in_period(n, period)]):
        st.warning(line, icon=":material/balance:")


def safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """A table as ``st.dataframe`` shows it: text cells (and headers) that a spreadsheet
    would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) start with ``'``,
    as in the project's own CSV files — the table toolbar's "Download as CSV" writes
    what is shown (README "Choices"). Numbers, and texts that are plain numbers
    ("-1.2", "-3 %"), stay as they are: a spreadsheet reads those as numbers.

    >>> safe_table(pd.DataFrame({"c": ["=1+2", "@SUM(A1)", "-1.2", "-3 %", "ok"], "n": [-1] * 5})).c.tolist()
    ["'=1+2", "'@SUM(A1)", '-1.2', '-3 %', 'ok']
    """
    from csi_core.outputs.csv_export import FORMULA_START, defuse

    def shown(value):
        if not isinstance(value, str) or not value.startswith(FORMULA_START):
            return value  # most cells: nothing to defuse, no pattern to try
        return value if _PLAIN_NUMBER.fullmatch(value) else defuse(value)

    out = table.rename(columns=lambda c: shown(c) if isinstance(c, str) else c)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(shown)
    return out


_PLAIN_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?\s?%?")


def md_escape(text: str) -> str:
    """Text shown through st.markdown without becoming markup."""
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|~$" else ch for ch in str(text))


def _note_in_period(note: Note, period: str) -> bool:
    params = dict(note.params)
    return params.get("period", period) == period


def error_id() -> str:
    """A short id that ties what a user sees to the server log's traceback."""
    return uuid.uuid4().hex[:8]


def show_fault(exc: BaseException) -> None:
    """A fault of the database file or its disk: the cause and what to do; traceback and
    error id in the server log. The page's navigation stays."""
    eid = error_id()
    log.error("database fault [error id %s]", eid, exc_info=exc)
    st.error(f"**{tr('fault.title')}**  \n{fault_message(exc, lang(), settings.db_path())}", icon=":material/database:")
    st.caption(tr("fault.error_id", id=eid))


def show_error(exc: BaseException) -> None:
    """A friendly message in the user's language; the details folded away, logged in full
    with an error id. A fault of the database or its disk is named (:func:`show_fault`)."""
    if isinstance(exc, PermissionDenied):  # the role does not allow it: said, not a bug
        st.warning(exc.message(lang()), icon=":material/lock:")
        return
    if is_fault(exc):
        show_fault(exc)
        return
    eid = error_id()
    log.error("unexpected error on a page [error id %s]", eid, exc_info=exc)
    st.error(tr("app.error"), icon=":material/error:")
    st.caption(tr("fault.error_id", id=eid))
    with st.expander(tr("app.error_details"), expanded=False):
        st.code("".join(traceback.format_exception_only(type(exc), exc)).strip(), language=None)


def guarded(func):
    """Run a fragment (or any drawing function) with :func:`show_error` on a bug.

    Streamlit's own control flow (``st.rerun``, ``st.stop``) is a ``BaseException`` and
    passes through.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 — the user sees a message, the log the trace
            show_error(exc)
    return wrapper


CALLBACK_ERROR = "_callback_error"


def guarded_callback(func):
    """A widget callback whose bug becomes :func:`show_error` on the run it causes
    (Streamlit runs callbacks before the script, outside any page's ``try``)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            log.error("unexpected error in a callback", exc_info=exc)
            st.session_state[CALLBACK_ERROR] = exc
    return wrapper


def show_callback_error() -> None:
    """The error a callback met, if any (once)."""
    exc = st.session_state.pop(CALLBACK_ERROR, None)
    if exc is not None:
        show_error(exc)


def branch_caption(note: str | None = None) -> None:
    """Which branch the page shows ("分公司：北区分公司"), under the title, when the stored
    data has two or more branches; ``note`` an i18n key when the page shows the whole
    company whatever is chosen (the meeting, the upload)."""
    if len(state.branches()) < 2:
        return
    shown = None if note else state.current_branch()
    text = tr("branch.showing", branch=md_escape(state.branch_label(shown)))
    st.caption(f":material/account_tree: {text}" + (f" · {tr(note)}" if note else ""))
