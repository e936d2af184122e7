"""The app-side glue: the store, the cached count arrays, the language, the period and
the weights in force. Caching decorators live here, never in ``csi_core``.

Every page reads through these functions, so the overview, the what-if page and the
command line compute the same numbers from the same arrays:

    counts = get_counts()                  # small arrays, cached by the data version and branch
    res = results()                        # csi.compute with the company weights
    p = res.period_index(current_period())
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from csi_core.method import actions, csi
from csi_core import i18n
from csi_core import settings
from csi_core.method import inforce
from csi_core.method.competitors import CompetitorCounts
from csi_core.method.counts import Counts
from csi_core.method.csi import Results, Weights
from csi_core.store.db import Store, StoreError
from csi_core import workspaces
from csi_core.workspaces import DemoLoader
from csi_core.outputs import share
from csi_core.outputs.summary import period_summary

log = logging.getLogger("csi.app")

LANG_KEY = "lang"
PERIOD_KEY = "period"
PERIOD_NEXT_KEY = "_period_next"  # the period the picker shows on the next run (after an import)


# --- language ------------------------------------------------------------------------
def init_lang() -> str:
    """The session's language: the session state, else ``?lang=`` of the link, else zh."""
    if st.session_state.get(LANG_KEY) not in i18n.LANGS:
        asked = st.query_params.get(LANG_KEY)
        st.session_state[LANG_KEY] = asked if asked in i18n.LANGS else i18n.DEFAULT_LANG
    return st.session_state[LANG_KEY]


def lang() -> str:
    """The current language code, ``zh`` or ``en``."""
    value = st.session_state.get(LANG_KEY)
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def tr(key: str, /, **params) -> str:
    """``i18n.t`` in the session's language."""
    return i18n.t(key, lang(), **params)


def trn(key: str, n: int, /, **params) -> str:
    """``i18n.tn`` in the session's language: the plural form for the count ``n``."""
    return i18n.tn(key, n, lang(), **params)


# --- the store: the user's data and the demo, apart ------------------------------------
WORKSPACE_KEY = "_workspace"  # the session's choice: workspaces.DATA or workspaces.DEMO
_DEMOS: dict[str, DemoLoader] = {}  # demo database path -> its loader (one per process)


@st.cache_resource(show_spinner=False, on_release=lambda store: store.close())
def _open_store(path: str) -> Store:
    """Open (or create) the user's database once per process; the demo never goes in it."""
    if not path.startswith(":memory:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return Store.open(path)


def get_store() -> Store:
    """The user's database (``settings.db_path()``); ``StoreError`` when it is locked.
    Imports always land here, whichever workspace is shown."""
    return _open_store(settings.db_path())


def demo_loader() -> DemoLoader:
    """The demo's database beside the user's, opened (and built when empty) behind the page."""
    path = settings.demo_db_path()
    loader = _DEMOS.get(path)
    if loader is None:
        loader = _DEMOS[path] = DemoLoader(path)
    return loader.start()


def forget_demos() -> None:
    """Close every demo database this process opened (tests)."""
    while _DEMOS:
        _DEMOS.popitem()[1].close()


def workspace() -> str:
    """What this session shows: its own choice, else the user's data when there is any
    (or the demo was removed from view), else the demo."""
    chosen = st.session_state.get(WORKSPACE_KEY)
    if chosen == workspaces.DATA:
        return chosen
    if chosen != workspaces.DEMO:
        user = data_store()
        if not user.is_empty() or user.get_setting(workspaces.DEMO_HIDDEN):
            return workspaces.DATA
    return workspaces.DATA if demo_loader().error else workspaces.DEMO


def showing_demo() -> bool:
    """True while this session shows the demo (loaded or still loading)."""
    return workspace() == workspaces.DEMO


def show_workspace(which: str) -> None:
    """Switch this session to the demo or the user's data; removing the demo from view
    (or bringing it back) is remembered for new sessions while the user has no data."""
    st.session_state[WORKSPACE_KEY] = which
    user = data_store()
    if user.is_empty():
        user.set_setting(workspaces.DEMO_HIDDEN, which == workspaces.DATA, who="demo")  # the demo's visibility


def _active() -> Store:
    if showing_demo():
        loader = demo_loader()
        if loader.ready:
            return loader.store
    return get_store()


def _cursor(main: Store) -> Store:
    """A cursor of ``main`` for this session (one connection is not shared by threads)."""
    held = st.session_state.setdefault("_store_cursors", {})
    if held.get(main.path, (None,))[0] is not main:
        held[main.path] = (main, main.cursor())
    return held[main.path][1]


def store() -> Store:
    """A cursor of the store this session shows: the demo's or the user's."""
    return _cursor(_active())


def data_store() -> Store:
    """A cursor of the user's database (uploads, whatever is shown)."""
    return _cursor(get_store())


# --- the branch shown (分公司) ---------------------------------------------------------------
# st.session_state[BRANCH_KEY]: None = the whole company, else a branch ("" = headquarters).
# A branch is a view of the stored rows: its own count arrays, the company's weights in force.
BRANCH_KEY = "branch"
_SESSION = object()  # get_counts' default: the branch this session shows


@st.cache_resource(show_spinner=False, max_entries=8)
def _branch_names(path: str, version: int, _store: Store) -> tuple[str, ...]:
    return tuple(_store.branch_names())


def branches(s: Store | None = None) -> tuple[str, ...]:
    """The branches of the stored data ("" = headquarters), cached by the data version."""
    s = s or store()
    return _branch_names(s.path, s.data_version(), s)


def current_branch() -> str | None:
    """The branch this session shows: None (the whole company) unless one of the stored
    branches is chosen and there are two or more."""
    chosen = st.session_state.get(BRANCH_KEY)
    names = branches()
    return chosen if chosen is not None and len(names) > 1 and chosen in names else None


def branch_label(branch: str | None) -> str:
    """全公司 for the company, 总部 for headquarters, else the branch's name (in the
    reader's language: ``csi_core.outputs.branches.label``)."""
    from csi_core.outputs import branches as branch_view

    return branch_view.label(branch, lang())


# --- count arrays and results ------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=16)
def _counts(path: str, version: int, _store: Store, branch: str | None = None) -> Counts:
    return _store.counts(branch)


def get_counts(s: Store | None = None, branch=_SESSION) -> Counts:
    """The count arrays of the stored data, recomputed only when the data version changes:
    of the branch this session shows (or ``branch``: None for the whole company)."""
    s = s or store()
    if branch is _SESSION:
        branch = current_branch()
    return _counts(s.path, s.data_version(), s, branch)


def in_force(counts: Counts | None = None) -> inforce.InForce:
    """The company's weights (segment weights, item importances) kept to the data shown."""
    counts = counts or get_counts()
    s = store()
    return inforce.company(counts, s.get_setting("segment_weights"), s.get_setting("item_weights"))


def company_weights(counts: Counts | None = None) -> dict[str, float] | None:
    """The company's segment weights for the stored segments; ``None`` (equal weights)
    when nothing usable is left. Periods with a segment they do not name are weighted
    equally (``in_force``)."""
    return in_force(counts).segments


def results(weights: Weights | None = None, counts: Counts | None = None) -> Results:
    """``csi.compute`` on the cached counts; the company weights unless told otherwise."""
    counts = counts or get_counts()
    return csi.compute(counts, in_force(counts).weights if weights is None else weights)


def summary(period: str, counts: Counts | None = None) -> dict:
    """The command line's JSON object of one period (CONTRACTS.md §2) with the company
    weights, for the screens; cached for the data version and the weights (customers
    take a moment with thousands of them)."""
    counts = counts or get_counts()
    force = in_force(counts)
    res = results(force.weights, counts)
    s = store()
    return _summary(s.path, s.data_version(), period, counts.branch, _weights_key(force), counts, res)


@st.cache_resource(show_spinner=False, max_entries=64)
def _summary(path: str, version: int, period: str, branch: str | None, weights: str, _counts: Counts,
             _res: Results) -> dict:
    p = _res.period_index(period)
    return period_summary(_counts, _res, p, csi.customer_csi(_counts, _res, p))


def _weights_key(force: inforce.InForce) -> str:
    return json.dumps([force.segments, force.items], sort_keys=True, ensure_ascii=False, default=str)


def report_figures(period: str, counts: Counts | None = None):
    """The report's figures of ``period`` (``csi_core.outputs.report.figures``: scores,
    flags with their trends, statistics) with the company weights, computed once per data
    version, period and weights: what the report page and its files share."""
    counts = counts or get_counts()
    force = in_force(counts)
    s = store()
    return _report_figures(s.path, s.data_version(), period, counts.branch, _weights_key(force), counts, force)


@st.cache_resource(show_spinner=False, max_entries=8)
def _report_figures(path: str, version: int, period: str, branch: str | None, weights: str, _counts: Counts,
                    _force: inforce.InForce):
    from csi_core.outputs import report
    from ui import statistics

    view = _period_flags(path, version, period, branch, weights, _counts, _force)  # the actions page's, shared
    known = {"results": view.results, "scores": view.scores, "flags": view.flags, "changes": view.changes,
             "summary": _summary(path, version, period, branch, weights, _counts, view.results)}
    return report.figures(_counts, period, _force.weights, lambda q: statistics.questionnaires(_counts, q), known)


def period_flags(period: str, counts: Counts | None = None) -> "FlagView":
    """The flags of ``period`` with their trends and the significance of each change,
    for the company weights on ``counts`` (the branch shown): computed once per data
    version, period, branch and weights; the action log is joined on each run."""
    counts = counts or get_counts()
    force = in_force(counts)
    s = store()
    return _period_flags(s.path, s.data_version(), period, counts.branch, _weights_key(force), counts, force)


@dataclass(frozen=True)
class FlagView:
    """``results`` and ``scores`` of the company weights, the period's flags
    (``actions.PeriodFlags``) and each flag's change from its previous period
    (``stats.flag_changes``: interval and significance); ``shown`` keeps what a page
    made of them once (the flags as text, per language), for every session."""

    results: Results
    scores: actions.PeriodScores
    flags: actions.PeriodFlags
    changes: tuple
    shown: dict = field(default_factory=dict, compare=False)  # the page's tables of it, by language


@st.cache_resource(show_spinner=False, max_entries=16)
def _period_flags(path: str, version: int, period: str, branch: str | None, weights: str, _counts: Counts,
                  _force: inforce.InForce) -> FlagView:
    from csi_core.method import stats
    from ui import statistics

    res = csi.compute(_counts, _force.weights)
    p = res.period_index(period)
    scores = actions.PeriodScores(_counts, res)
    found = actions.period_flags(actions.flags(res, p, scores.customers(p)), scores, p)
    about = [{"kind": f.kind, "segment": f.segment, "customer": f.customer, "item": f.item} for f in found.flags]
    changes = stats.flag_changes(_counts, res, statistics.intervals(_counts, res), p, about,
                                 lambda q: statistics.questionnaires(_counts, q)) if about else []
    return FlagView(res, scores, found, tuple(changes))


@st.cache_resource(show_spinner=False, max_entries=32)
def _ranking(path: str, version: int, period: str, weights: str, _store: Store):
    from csi_core.outputs import branches as branch_view

    return branch_view.ranking(_store, period)


def branch_ranking(period: str):
    """The branches of ``period`` ranked by CSI with the company's weights in force
    (``csi_core.outputs.branches.ranking``), cached by the data version and the weights."""
    s = store()
    key = json.dumps([s.get_setting("segment_weights"), s.get_setting("item_weights")], sort_keys=True,
                     ensure_ascii=False, default=str)
    return _ranking(s.path, s.data_version(), period, key, s)


@st.cache_resource(show_spinner=False, max_entries=8)
def _competitor_counts(path: str, version: int, branch: str | None, _store: Store, _counts: Counts) -> CompetitorCounts:
    return _store.competitor_counts(_counts)


def competitor_counts(counts: Counts | None = None) -> CompetitorCounts:
    """The competitor questionnaires' count arrays, laid out like ``counts`` and of its
    branch; read again only when the data version or the branch changes."""
    counts = counts or get_counts()
    s = store()
    return _competitor_counts(s.path, s.data_version(), counts.branch, s, counts)


# --- the period ----------------------------------------------------------------------------
def current_period(counts: Counts | None = None) -> str | None:
    """The period picked in the sidebar; the latest stored one by default."""
    counts = counts or get_counts()
    if not counts.periods:
        return None
    chosen = st.session_state.get(PERIOD_KEY)
    return chosen if chosen in counts.periods else counts.periods[-1]


def previous_period(period: str, res: Results) -> str | None:
    """The closest earlier period with a total CSI, if any."""
    p = res.period_index(period)
    for q in range(p - 1, -1, -1):
        if not math.isnan(res.total[q]):
            return res.periods[q]
    return None


def setting(name: str):
    """A stored setting, else its declared default (``csi_core.settings``)."""
    return store().get_setting(name, settings.default(name))


def rate_target(name: str) -> float:
    """A rate target in percent (``settings.rate_target``)."""
    return settings.rate_target(name, store().get_setting(name))


def open_actions() -> int:
    """Corrective actions in the log not yet done or verified (any period)."""
    return int(actions.open_mask(store().actions()).sum())


# --- what-if weights (the weights page) -----------------------------------------------------
# The session's what-if weights live in st.session_state[WHATIF_KEY] as plain values:
#   {"segments": {segment: weight} | None, "items": {segment: {item: importance}}}
# ``None`` / a missing segment means "as the survey says": the company's segment weights
# and the focus-question item weights, used exactly (never the rounded slider values).
WHATIF_KEY = "whatif"


def whatif() -> dict:
    """The session's what-if weights (created empty: everything as the survey says)."""
    if not isinstance(st.session_state.get(WHATIF_KEY), dict):
        st.session_state[WHATIF_KEY] = {"segments": None, "items": {}}
    return st.session_state[WHATIF_KEY]


def segment_percentages(weights: dict[str, float] | None, segments) -> dict[str, int]:
    """Whole-number percentages (half-up) of segment weights, for the sliders; equal
    shares when no weights are set.

    Examples
    --------
    >>> segment_percentages({"a": 0.7, "b": 0.3}, ["a", "b"])
    {'a': 70, 'b': 30}
    >>> segment_percentages(None, ["a", "b", "c"])
    {'a': 33, 'b': 33, 'c': 33}
    """
    from csi_core.method.grades import round_half_up

    values = {s: float((weights or {}).get(s, 0.0)) if weights else 1.0 for s in segments}
    total = sum(values.values()) or 1.0
    return {s: int(round_half_up(100 * v / total, 0)) for s, v in values.items()}


# the link's encoding lives in csi_core (one place, urllib.parse)
encode_share = share.encode
decode_share = share.decode


def share_url(params: dict[str, str]) -> str:
    """The link to this page with ``params`` (the path and query when the host is unknown)."""
    base = st.context.url or ""
    period = st.session_state.get(PERIOD_KEY)
    query = urlencode({LANG_KEY: lang(), **({PERIOD_KEY: period} if period else {}), **params})
    return f"{base}?{query}"


def segment_slider_values(weights: dict[str, float] | None, segments) -> dict[str, int]:
    """What the 0–100 segment sliders show for these weights: the numbers themselves when
    they are whole numbers up to 100 (slider positions), else percentages.

    Examples
    --------
    >>> segment_slider_values({"a": 60, "b": 60}, ["a", "b"])
    {'a': 60, 'b': 60}
    >>> segment_slider_values({"a": 0.75, "b": 0.25}, ["a", "b"])
    {'a': 75, 'b': 25}
    """
    if weights and all(float(weights.get(s, 0)).is_integer() and 0 <= float(weights.get(s, 0)) <= 100
                       for s in segments):
        return {s: int(weights.get(s, 0)) for s in segments}
    return segment_percentages(weights, segments)
