"""上传 Upload: file → validation report (nothing stored) → column mapping / unknown
values → confirmation → import with progress; the template; the history of uploads.

The uploaded bytes are kept in the session (``upload.file``) until they are imported
or discarded, so neither a page switch nor a click during the import loses them. The
import runs in its own thread and always runs to its end (DESIGN "Reliability facts").
"""
from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from csi_core import demo, settings, template, workspaces
from csi_core import i18n
from csi_core.method import inforce
from csi_core.reading import complaints as complaint_sheet
from csi_core.reading.problems import WorkbookRefused
from csi_core.store import ingest, jobs
from csi_core.reading.scales import LEVEL_LABELS, NOT_ANSWERED, SCALES, get_scale, label_key, name_key
from csi_core.store.db import StoreError
from csi_core.reading.workbook import ROLES, header_names, layout_key, role_of_header
from ui import auth, state, upload_parts, widgets
from ui.state import lang, tr, trn

FILE = "upload.file"  # {"name", "data", "sha"} of the file being checked
JOB = "upload.job"  # the running or finished import
DONE = "upload.done"  # the last import's success message, shown once after the rerun
WIDGET = "upload.widget_n"  # the uploader's key suffix: a new key empties the uploader
CACHE = "upload.validated"  # (sha, options) -> Outcome, the last few
MAPPING_PREFIX = "column_mapping:"
AUTO, NOT_ANSWERED_CHOICE = "", "NA"
REFUSED_FOR_LAYOUT = {"missing_period", "no_items", "duplicate_role", "no_header"}
REPLACING = {"period_exists", "branch_exists"}  # conflicts the replace box settles


# --- the file held in the session ------------------------------------------------------------
def hold(uploaded) -> dict | None:
    """Keep a newly uploaded file's bytes in the session; the held file otherwise."""
    if uploaded is not None:
        data = uploaded.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        held = st.session_state.get(FILE)
        if held is None or held["sha"] != sha:
            st.session_state[FILE] = {"name": uploaded.name, "data": data, "sha": sha}
    return st.session_state.get(FILE)


def discard() -> None:
    st.session_state.pop(FILE, None)
    st.session_state[WIDGET] = st.session_state.get(WIDGET, 0) + 1


# --- validation, cached per file and options ---------------------------------------------------
def validate(held: dict, options: dict) -> ingest.Outcome:
    """``ingest.validate_bytes`` once per (file, options); the last four results kept."""
    key = (held["sha"], json.dumps(options, sort_keys=True, ensure_ascii=False, default=str))
    cache: dict = st.session_state.setdefault(CACHE, {})
    if key not in cache:
        with st.spinner(tr("upload.checking")):
            cache[key] = ingest.validate_bytes(held["data"], held["name"], **options)
        while len(cache) > 4:
            cache.pop(next(iter(cache)))
    return cache[key]


def headers_of(held: dict) -> list[str] | None:
    """The header row of the responses sheet as written (None when unreadable), once per file."""
    cache: dict = st.session_state.setdefault(CACHE + ".headers", {})
    if held["sha"] not in cache:
        cache.clear()  # one file's headers at a time
        cache[held["sha"]] = header_names(held["data"])
    return cache[held["sha"]]


def complaints_of(held: dict):
    """The workbook's complaints sheet read and checked once per file (nothing stored):
    :class:`~csi_core.reading.complaints.ParsedComplaints`, the ``WorkbookRefused`` that
    refused the sheet, or None when the workbook has no complaints sheet."""
    cache: dict = st.session_state.setdefault(CACHE + ".complaints", {})
    if held["sha"] not in cache:
        cache.clear()  # one file's complaints at a time
        try:
            cache[held["sha"]] = complaint_sheet.read(held["data"], held["name"], own=False)
        except WorkbookRefused as refused:
            cache[held["sha"]] = refused
    return cache[held["sha"]]


def complaints_section(held: dict) -> tuple:
    """What the workbook's complaints sheet holds and its problems; returns the records the
    import stores with the questionnaires (none when the sheet has problems)."""
    found = complaints_of(held)
    if found is None:
        return ()
    if isinstance(found, WorkbookRefused):
        st.warning(tr("upload.complaints_refused"), icon=":material/report:")
        widgets.wrapped_table(problem_rows(found.problems))
        return ()
    if found.problems:
        st.warning(tr("upload.complaints_problems", sheet=widgets.md_escape(found.sheet), n=len(found.records),
                      count=len(found.problems)), icon=":material/report:")
        widgets.wrapped_table(problem_rows(found.problems))
        return ()
    if not found.records:
        st.info(tr("upload.complaints_empty", sheet=widgets.md_escape(found.sheet)), icon=":material/info:")
        return ()
    st.info(tr("upload.complaints_found", sheet=widgets.md_escape(found.sheet), n=len(found.records)),
            icon=":material/feedback:")
    return found.records


# --- messages ------------------------------------------------------------------------------------
def problem_rows(problems) -> pd.DataFrame:
    """Problems as a table: sheet, row, column (with header), value, reason."""
    rows = []
    for p in problems:
        column = f"{p.column} ({p.header})" if p.column and p.header else p.column
        rows.append({tr("upload.col.sheet"): p.sheet, tr("upload.col.row"): "" if p.row is None else str(p.row),
                     tr("upload.col.column"): column,
                     tr("upload.col.value"): p.value, tr("upload.col.reason"): p.reason(lang())})
    return pd.DataFrame(rows)


def show_problems(outcome: ingest.Outcome) -> None:
    report = outcome.report
    problems = list(report.problems) if report is not None else list(outcome.problems)
    total = report.problem_count if report is not None else len(problems)
    layout = [p for p in problems if p.code in REFUSED_FOR_LAYOUT]
    if layout:  # the columns first: with no period column every cell looks wrong
        problems, total = layout, len(layout)
    st.error(trn("upload.refused", total, file=widgets.md_escape(outcome.filename), count=total), icon=":material/block:")
    widgets.wrapped_table(problem_rows(problems))
    if total > len(problems):
        st.caption(tr("upload.more_problems", shown=len(problems), count=total))


# --- the report -----------------------------------------------------------------------------------
def show_report(outcome: ingest.Outcome) -> None:
    report = outcome.report
    cols = st.columns(4)
    cols[0].metric(tr("upload.rows_read"), report.rows_read)
    cols[1].metric(tr("upload.valid"), report.valid if report.parsed is not None else "—")
    cols[2].metric(tr("upload.invalid"), report.invalid if report.parsed is not None else "—")
    cols[3].metric(tr("upload.empty_rows"), report.empty_rows, help=tr("upload.empty_rows_help"))
    if report.invalid_by_reason:
        st.markdown(" · ".join(f"{tr(f'reason.{r}')}: **{n}**" for r, n in report.invalid_by_reason.items()))
    found = [(tr("upload.periods"), report.periods), (tr("upload.segments"), report.segments),
             (tr("upload.items"), report.items)]
    for label, values in found:
        st.markdown(f"**{label}** ({len(values)}): " + widgets.md_escape(i18n.join(values, lang())))
    if report.parsed is not None:
        upload_parts.competitor_lines(report.parsed)
    for note in report.notes:
        st.info(widgets.md_escape(note.message(lang(), outcome.filename)), icon=":material/info:")
    if report.parsed is not None and report.invalid:
        with st.expander(tr("upload.invalid_list", count=report.invalid)):
            rows = [{tr("upload.col.row"): r, widgets.column_label("period"): p,
                     widgets.column_label("respondent_id"): i, widgets.column_label("reason"): tr(f"reason.{why}")}
                    for r, p, i, why in report.invalid_rows()]
            widgets.wrapped_table(pd.DataFrame(rows))


def answer_choices(scale_name: str) -> list:
    scale = get_scale(scale_name)
    return [AUTO, *sorted(scale.codes, reverse=True), NOT_ANSWERED_CHOICE]


def answer_label(scale_name: str):
    scale = get_scale(scale_name)

    def label(code) -> str:
        if code == AUTO:
            return tr("upload.map_choose")
        if code == NOT_ANSWERED_CHOICE:
            return tr("upload.map_not_answered")
        if not scale.numeric and code in LEVEL_LABELS:
            return f"{LEVEL_LABELS[code][0 if lang() == 'zh' else -1]} ({code})"  # 很满意 / very satisfied
        return str(code)
    return label


def unknown_values(held: dict, outcome: ingest.Outcome, scale_name: str, items: list[str]) -> tuple[dict, dict]:
    """Each value no rule knows, with a choice of what it means; returns the mappings.

    ``outcome`` is validated without these mappings, so a value stays listed (with its
    choice) after it has been mapped.
    """
    seen = {(u.kind, label_key(u.value)): u for u in (outcome.report.unknown if outcome.report is not None else ())}
    answers, focus = {}, {}
    if not seen:
        return answers, focus
    st.subheader(tr("upload.unknown_title"))
    st.caption(tr("upload.unknown_help"))
    for (kind, key), u in seen.items():
        left, right = st.columns([3, 2])
        left.markdown(tr("upload.unknown_value", value=widgets.md_escape(u.value), count=u.count,
                         cells=", ".join(u.cells)) + (f" · {tr('upload.unknown_focus')}" if kind == "focus" else ""))
        widget = f"upload.map.{held['sha'][:12]}.{kind}.{key}"
        if kind == "answer":
            choice = right.selectbox(tr("upload.map_to"), answer_choices(scale_name), key=widget,
                                     format_func=answer_label(scale_name), label_visibility="collapsed")
            if choice == NOT_ANSWERED_CHOICE:
                answers[key] = NOT_ANSWERED
            elif choice != AUTO:
                answers[key] = int(choice)
        else:
            options = [AUTO, NOT_ANSWERED_CHOICE, *items]
            choice = right.selectbox(tr("upload.map_to"), options, key=widget, label_visibility="collapsed",
                                     format_func=lambda o: tr("upload.map_choose") if o == AUTO else
                                     tr("upload.map_ignore") if o == NOT_ANSWERED_CHOICE else o)
            if choice == NOT_ANSWERED_CHOICE:
                focus[key] = None
            elif choice != AUTO:
                focus[key] = choice
    return answers, focus


# --- column mapping -------------------------------------------------------------------------------
def column_mapping(held: dict, headers: list[str] | None, refused_codes: set[str]) -> dict[str, str] | None:
    """The column-mapping step: each role picked from the file's columns, or ignored.

    Starts from the mapping remembered for this layout; returns what the user set.
    """
    if not headers:
        return None
    store = state.data_store()
    remembered = store.get_setting(MAPPING_PREFIX + layout_key(headers)) or {}
    unknown_layout = not any(role_of_header(h) for h in headers)
    needed = bool(refused_codes & REFUSED_FOR_LAYOUT) or unknown_layout
    if remembered:
        st.info(tr("upload.mapping_remembered"), icon=":material/bookmark:")
    with st.expander(tr("upload.mapping_title"), expanded=needed, icon=":material/view_column:"):
        st.caption(tr("upload.mapping_help"))
        mapping: dict[str, str] = {}
        choices = [AUTO, *headers]
        known = {name_key(h): h for h in headers}
        cols = st.columns(4)
        for k, role in enumerate(ROLES):
            start = known.get(name_key(remembered.get(role, "")), AUTO)
            picked = cols[k % 4].selectbox(
                tr(f"upload.role.{role}"), choices, index=choices.index(start), key=f"upload.role.{held['sha'][:12]}.{role}",
                format_func=lambda h: tr("upload.role_auto") if h == AUTO else h)
            if picked != AUTO:
                mapping[role] = picked
        ignored_before = [known[name_key(h)] for h, r in remembered.items() if r == "ignore" and name_key(h) in known]
        ignored = st.multiselect(tr("upload.ignore_columns"), headers, default=ignored_before,
                                 key=f"upload.ignore.{held['sha'][:12]}", placeholder=tr("upload.ignore_none"))
        for h in ignored:
            if h not in mapping.values():
                mapping[h] = "ignore"
        if needed and not mapping:
            st.warning(tr("upload.mapping_needed"), icon=":material/warning:")
    return mapping or None


# --- import ----------------------------------------------------------------------------------------
def start_import(held: dict, replace: bool, options: dict, columns_for_layout: tuple[str, dict] | None,
                 validated: ingest.Outcome | None = None, complaints=()) -> None:
    job = jobs.start(state.get_store(), held["data"], held["sha"], held["name"], replace=replace,
                     who=auth.actor(), options=options, validated=validated, complaints=complaints)
    st.session_state[JOB] = (job, columns_for_layout)


def follow_import() -> None:
    """Show a running import's progress until it ends; then its result."""
    entry = st.session_state.get(JOB)
    if entry is None:
        return
    job, columns_for_layout = entry
    if job.running:
        bar = st.progress(job.fraction, text=tr(f"upload.step.{job.step}"))
        while job.running:
            job.wait(0.15)
            bar.progress(job.fraction, text=tr(f"upload.step.{job.step}"))
    st.session_state.pop(JOB, None)
    if job.failed is not None:
        widgets.show_error(job.failed)
        return
    if job.error:
        st.error(tr("upload.import_failed", detail=widgets.md_escape(job.error)), icon=":material/error:")
        return
    outcome = job.outcome
    if outcome is None or not outcome.ok:
        st.error(tr("upload.not_imported"), icon=":material/block:")
        for line in (outcome.messages(lang()) if outcome else []):
            st.markdown(f"- {widgets.md_escape(line)}")
        return
    res = outcome.imported
    if columns_for_layout:
        state.data_store().set_setting(MAPPING_PREFIX + columns_for_layout[0], columns_for_layout[1],
                                       who=auth.actor())
    message = trn("upload.imported", res.rows, rows=res.rows, valid=res.valid, periods=i18n.join(res.periods, lang()),
                 upload=res.upload_id)
    if res.replaced:
        message += " " + tr("upload.imported_replaced", periods=i18n.join(res.replaced, lang()))
    if res.competitor:
        message += " " + tr("upload.imported_competitors", n=res.competitor)
    if job.complaints_stored:
        message += " " + tr("upload.complaints_imported", n=job.complaints_stored)
    if job.complaints_known:
        message += " " + tr("upload.complaints_known", n=job.complaints_known)
    st.session_state[DONE] = message
    st.session_state[state.PERIOD_NEXT_KEY] = res.periods[-1]  # sorted by the store: the sidebar shows the last
    st.session_state[state.WORKSPACE_KEY] = workspaces.DATA  # the user's data from now on, never the demo's
    held = st.session_state.get(FILE)
    if held and held["sha"] == job.sha:
        discard()
    st.rerun()  # the sidebar's period list and every cached count follow the new data


WEIGHT_INPUT = "upload.weight.{}"


@widgets.guarded_callback
def _save_weights(segments: list[str]) -> None:
    values = {s: float(st.session_state.get(WEIGHT_INPUT.format(s)) or 0) for s in segments}
    if sum(values.values()) <= 0:
        st.session_state["upload.weights_msg"] = ("warning", tr("upload.weights_zero"))
        return
    state.data_store().set_setting("segment_weights", {s: v for s, v in values.items()}, who=auth.actor())
    st.session_state["upload.weights_msg"] = ("success", tr("upload.weights_saved", weights=widgets.weights_text(values)))


def weights_section(store, segments: list[str]) -> None:
    """Which segment weights the totals of this import will use (equal unless the company
    weights name every segment), and a form to set them before the import."""
    kind, text = st.session_state.pop("upload.weights_msg", (None, None))
    if kind:
        getattr(st, kind)(text)
    saved = store.get_setting("segment_weights")
    every = list(dict.fromkeys([*state.get_counts(store, branch=None).segments, *segments]))
    used = inforce.for_segments(saved, segments)
    if used.source == inforce.COMPANY:
        st.info(tr("upload.weights_company", weights=widgets.weights_text_plain(used.used)), icon=":material/balance:")
        return
    if len(segments) < 2:
        return
    if used.source == inforce.UNNAMED:
        st.warning(tr("upload.weights_unnamed", segments=i18n.join(used.unnamed, lang())), icon=":material/balance:")
    else:
        st.warning(tr("upload.weights_equal", segments=i18n.join(segments, lang())), icon=":material/balance:")
    keyed = {name_key(k): v for k, v in (saved or {}).items()}
    with st.expander(tr("upload.set_weights"), icon=":material/tune:"):
        st.caption(tr("upload.set_weights_help"))
        cols = st.columns(min(len(every), 4))
        for n, segment in enumerate(every):
            key = WEIGHT_INPUT.format(segment)
            if key not in st.session_state:
                st.session_state[key] = float(keyed.get(name_key(segment), 0.0))
            cols[n % len(cols)].number_input(segment, min_value=0.0, max_value=1e6, step=1.0, key=key)
        st.button(tr("upload.save_weights"), on_click=_save_weights, args=(every,), key="upload.save_weights",
                  icon=":material/save:")


def import_section(held: dict, outcome: ingest.Outcome, options: dict, columns_for_layout, complaints=()) -> None:
    store = state.data_store()
    weights_section(store, list(outcome.report.segments))
    upload_parts.branch_plan_section(store, outcome.report.parsed)
    conflicts = store.conflicts(outcome.report.parsed, held["data"])
    replace = False
    if conflicts:
        periods = [c.value for c in conflicts if c.code == "period_exists"]
        parts = periods + [tr("upload.replace_part", period=c.value,
                              branches=widgets.md_escape(upload_parts.names_text(dict(c.params)["branches"])))
                           for c in conflicts if c.code == "branch_exists"]
        for c in conflicts:
            if c.code != "period_exists":
                st.warning(widgets.md_escape(c.message(lang(), held["name"])), icon=":material/warning:")
        if periods:
            st.warning(tr("upload.would_replace", periods=i18n.join(periods, lang())), icon=":material/warning:")
        label = (tr("upload.confirm_replace", periods=i18n.join(parts, lang())) if parts
                 else tr("upload.confirm_again"))
        replace = st.checkbox(label, key=f"upload.confirm.{held['sha'][:12]}")
    else:
        st.success(trn("upload.ready", outcome.report.valid, count=outcome.report.valid, periods=i18n.join(outcome.report.periods, lang())),
                   icon=":material/check_circle:")
    if st.button(tr("upload.import"), type="primary", disabled=bool(conflicts) and not replace,
                 icon=":material/download_done:", key="upload.import"):
        start_import(held, replace, options, columns_for_layout, outcome, complaints)
        follow_import()


# --- template and history ----------------------------------------------------------------------------
def template_items(store) -> list[tuple[str, str]]:
    table = store.item_table()
    if table.empty:
        return list(demo.ITEMS)
    return [(str(r.item), str(r.dimension or "")) for r in table.itertuples()]


def template_button(store) -> None:
    key = ("template", store.data_version())
    cached = st.session_state.get("upload.template")
    if not cached or cached[0] != key:
        cached = (key, template.template_bytes(template_items(store)))
        st.session_state["upload.template"] = cached
    st.download_button(tr("upload.template"), cached[1], file_name="csi_template.xlsx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       on_click="ignore", key="upload.template_button")


def history(store) -> None:
    st.subheader(tr("upload.history"))
    table = store.uploads()
    if table.empty:
        st.caption(tr("upload.no_history"))
        return
    shown = table[["id", "filename", "uploaded_at", "rows_read", "rows_valid", "periods", "replaced", "who",
                   "size"]].copy()
    shown["size"] = shown["size"].map(widgets.file_size)
    shown["uploaded_at"] = shown["uploaded_at"].map(lambda t: f"{t:%Y-%m-%d %H:%M}")
    for column in ("periods", "replaced"):
        shown[column] = shown[column].map(lambda text: widgets.period_span(str(text or "").split(",")))
    # a static table: at 1280 × 720 it wraps instead of cutting a header or a column off
    st.table(shown.rename(columns=lambda c: widgets.column_label(c)), hide_index=True)
    ids = table.id.tolist()
    names = dict(zip(table.id, table.filename))
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    chosen = left.selectbox(tr("upload.original"), ids, format_func=lambda i: f"#{i} · {names[i]}",
                            key=f"upload.history_pick.{ids[0]}")  # the newest first after an import
    original = store.upload_file(chosen) if chosen is not None else None
    if original:
        right.download_button(tr("upload.download_original"), original[1], file_name=original[0],
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              icon=":material/download:", on_click="ignore", key="upload.original_button")
    bring_back(store, names)


@widgets.guarded_callback
def _bring_back(upload_id: int, period: str) -> None:
    st.session_state.pop("upload.back_pending", None)
    rows = state.store().restore_period(upload_id, period, who=auth.actor())
    st.session_state[DONE] = tr("upload.brought_back", period=period, upload=upload_id, rows=rows)
    st.session_state[state.PERIOD_NEXT_KEY] = period


def bring_back(store, names: dict) -> None:
    """A replaced period's archived rows back in force, in one step (asked first)."""
    back = store.restorable()
    if back.empty or not auth.may("restore_period"):
        return
    st.markdown(f"**{tr('upload.bring_back_title')}**")
    st.caption(tr("upload.bring_back_help"))
    options = [(int(u), p, int(n)) for u, p, n in back.itertuples(index=False)]
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    pick = left.selectbox(tr("upload.bring_back_pick"), options, key="upload.back_pick",
                          format_func=lambda o: tr("upload.bring_back_option", period=o[1], upload=o[0],
                                                   name=names.get(o[0], ""), rows=o[2]))
    if pick is None:
        return
    if st.session_state.get("upload.back_pending") == pick[:2]:
        st.warning(tr("upload.bring_back_confirm", period=pick[1], upload=pick[0]), icon=":material/history:")
        yes, no, _ = st.columns([1, 1, 3])
        yes.button(tr("upload.bring_back_yes"), type="primary", on_click=_bring_back, args=pick[:2],
                   key="upload.back_yes")
        no.button(tr("weights.cancel"), key="upload.back_no",
                  on_click=lambda: st.session_state.pop("upload.back_pending", None))
    else:
        right.button(tr("upload.bring_back"), icon=":material/history:", key="upload.back",
                     on_click=lambda: st.session_state.update({"upload.back_pending": pick[:2]}))


def uploader_css() -> None:
    """Streamlit's uploader says "Upload" and "300MB per file • XLSX" in English whatever the
    page's language (1.67 has no parameter for them): the page's own words replace them."""
    limit = widgets.file_size(int(st.get_option("server.maxUploadSize")) * 1024 * 1024)
    button, hint = tr("upload.browse"), f'{tr("upload.drop_hint_short")} · {tr("upload.limit", size=limit)}'
    zone = '[data-testid="stFileUploaderDropzone"]'
    st.html(f"""<style>
{zone} button [data-testid="stMarkdownContainer"] p {{font-size: 0;}}
{zone} button [data-testid="stMarkdownContainer"] p::after {{content: {widgets.css_string(button)}; font-size: 1rem;}}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0;}}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{content: {widgets.css_string(hint)};
    font-size: .95rem;}}
[data-testid="stFileChipName"] + div {{display: none;}}
</style>""")


# --- the page ------------------------------------------------------------------------------------------
def options_form(held: dict, store) -> dict:
    with st.expander(tr("upload.options"), icon=":material/settings:"):
        company = store.get_setting("scale", settings.default("scale"))
        scales = list(SCALES)
        scale = st.selectbox(tr("upload.scale"), scales, index=scales.index(company) if company in scales else 0,
                             key="upload.scale", help=tr("upload.scale_help"))
        period = st.text_input(tr("upload.period"), key="upload.period", help=tr("upload.period_help")).strip()
    try:
        share = float(store.get_setting("min_answered_share", settings.default("min_answered_share")))
    except (TypeError, ValueError):
        share = float(settings.default("min_answered_share"))  # a stored value that is no number
    return {"scale": scale, "period": period or None, "min_answered_share": share}


def main() -> None:
    st.title(tr("upload.title"))
    store = state.data_store()  # an import lands in the user's database, whatever is shown
    uploader_css()
    head, side = st.columns([2, 1], vertical_alignment="bottom")
    head.caption(tr("upload.intro"))
    with side:
        template_button(store)
    if st.session_state.get(DONE):
        st.success(st.session_state.pop(DONE), icon=":material/check_circle:")
    follow_import()
    uploaded = st.file_uploader(tr("upload.file"), type=["xlsx"], key=f"upload.widget.{st.session_state.get(WIDGET, 0)}",
                                help=tr("upload.file_help"))
    held = hold(uploaded)
    if held is not None:
        top, button = st.columns([4, 1], vertical_alignment="center")
        top.markdown(tr("upload.held", name=widgets.md_escape(held["name"]), size=widgets.file_size(len(held["data"]))))
        if button.button(tr("upload.discard"), icon=":material/close:", key="upload.discard"):
            discard()
            st.rerun()
        check(held, store)
    st.divider()
    upload_parts.branch_coverage(store)
    history(store)


def check(held: dict, store) -> None:
    """Validate (nothing stored), let the user map columns and unknown values, then import."""
    options = options_form(held, store)
    headers = headers_of(held)
    plain = validate(held, options)
    codes = {p.code for p in (plain.report.problems if plain.report is not None else plain.problems)}
    columns = column_mapping(held, headers, codes)
    base = validate(held, {**options, "columns": columns}) if columns else plain
    items = list(base.report.items) if base.report is not None else []
    base_problems = base.report.problems if base.report is not None else base.problems
    if {p.code for p in base_problems} & REFUSED_FOR_LAYOUT:
        answers, focus = {}, {}  # values are checked once the columns are assigned
        st.caption(tr("upload.columns_first"))
    else:
        answers, focus = unknown_values(held, base, options["scale"], items)
    full = {**options, "columns": columns, "mapping": answers or None, "focus_mapping": focus or None}
    outcome = validate(held, full) if (answers or focus) else base
    st.subheader(tr("upload.report_title"))
    if outcome.report is not None:
        show_report(outcome)
    complaints = complaints_section(held) if outcome.report is not None else ()  # a file read as a workbook
    if outcome.report is None or not outcome.report.ok:
        show_problems(outcome)
        return
    layout = (layout_key(headers), columns) if headers and columns else None
    import_section(held, outcome, full, layout, complaints)


main()
