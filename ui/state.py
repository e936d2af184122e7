"""The app-side glue: the store, the cached count arrays, the language, the period and
the weights in force. Caching decorators live here, never in ``csi_core``.

Every page reads through these functions, so the overview, the what-if page and the
command line compute the same numbers from the same arrays:

    counts = get_counts()                  # small arrays, cached by the data version
    res = results()                        # csi.compute with the company weights
    p = res.period_index(current_period())
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

import streamlit as st

from csi_core.method import actions, csi
from csi_core import i18n
from csi_core import settings
from csi_core.method.counts import Counts
from csi_core.method.csi import MAX_WEIGHT, Results, Weights
from csi_core.reading.scales import name_key
from csi_core.store.db import Store, StoreError
from csi_core.outputs.summary import period_summary

log = logging.getLogger("csi.app")

LANG_KEY = "lang"
PERIOD_KEY = "period"
PERIOD_NEXT_KEY = "_period_next"  # the period the picker shows on the next run (after an import)
# Segment weights a new database starts with (market shares of the demo utility).
DEMO_SEGMENT_WEIGHTS = {"民用户": 60, "工商业户": 30, "公福用户": 10}


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


# --- the store -------------------------------------------------------------------------
@dataclass(frozen=True)
class FirstStart:
    """What opening the database did: loaded the demo (``loaded``) or failed (``error``)."""

    loaded: bool = False
    error: str = ""


_FIRST_START: dict[str, FirstStart] = {}


@st.cache_resource(show_spinner=False, on_release=lambda store: store.close())
def _open_store(path: str) -> Store:
    """Open (or create) the database once per process; fill an empty one with the demo."""
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(path)
    if store.is_empty():
        _FIRST_START[path] = _load_demo(store)
    return store


def _load_demo(store: Store) -> FirstStart:
    """Import the demo workbook and the demo's segment weights (only segments present)."""
    from csi_core.demo import demo_bytes
    from csi_core.store.ingest import ingest

    try:
        outcome = ingest(store, demo_bytes(), "demo.xlsx", who="demo")
    except Exception as exc:  # the app must still start, empty
        log.exception("demo import failed")
        return FirstStart(error=str(exc))
    if not outcome.ok:
        lines = outcome.messages("en")
        return FirstStart(error=f"{lines[0] if lines else 'refused'} (+{max(len(lines) - 1, 0)})")
    present = set(store.counts().segments)
    chosen = {s: w for s, w in DEMO_SEGMENT_WEIGHTS.items() if s in present}
    if chosen and store.get_setting("segment_weights") is None:
        store.set_setting("segment_weights", chosen, who="demo")
    return FirstStart(loaded=True)


def get_store() -> Store:
    """The process's store on ``settings.db_path()``; ``StoreError`` when it is locked."""
    return _open_store(settings.db_path())


def first_start() -> FirstStart:
    """Whether this process filled an empty database with the demo."""
    return _FIRST_START.get(settings.db_path(), FirstStart())


def store() -> Store:
    """A cursor of the store for this session (one connection is not shared by threads)."""
    main = get_store()
    held = st.session_state.get("_store_cursor")
    if held is None or held[0] is not main:
        held = (main, main.cursor())
        st.session_state["_store_cursor"] = held
    return held[1]


def only_demo() -> bool:
    """True while every stored upload is the demo the app started with."""
    uploads = store().uploads()
    return not uploads.empty and bool((uploads["who"] == "demo").all())


def store_problem(exc: StoreError) -> str:
    """The localized message for a database that cannot be opened."""
    text = str(exc)
    if "another program" in text or "lock" in text.lower():
        return tr("app.db_locked", path=settings.db_path())
    return tr("app.db_error", detail=text)


# --- count arrays and results ------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=8)
def _counts(path: str, version: int, _store: Store) -> Counts:
    return _store.counts()


def get_counts(s: Store | None = None) -> Counts:
    """The count arrays of the stored data, recomputed only when the data version changes."""
    s = s or store()
    return _counts(s.path, s.data_version(), s)


def company_weights(counts: Counts | None = None) -> dict[str, float] | None:
    """The company's segment weights (setting ``segment_weights``) for the stored segments;
    ``None`` (equal weights) when nothing usable is left."""
    counts = counts or get_counts()
    return csi.stored_segment_weights(counts, store().get_setting("segment_weights"))


def results(weights: Weights | None = None, counts: Counts | None = None) -> Results:
    """``csi.compute`` on the cached counts; the company weights unless told otherwise."""
    counts = counts or get_counts()
    if weights is None:
        weights = Weights(company_weights(counts))
    return csi.compute(counts, weights)


def summary(period: str, counts: Counts | None = None) -> dict:
    """The command line's JSON object of one period (CONTRACTS.md §2) with the company
    weights, for the screens; cached for the data version and the weights (customers
    take a moment with thousands of them)."""
    counts = counts or get_counts()
    weights = company_weights(counts)
    res = results(Weights(weights), counts)
    s = store()
    return _summary(s.path, s.data_version(), period, tuple(sorted((weights or {}).items())), counts, res)


@st.cache_resource(show_spinner=False, max_entries=64)
def _summary(path: str, version: int, period: str, weights: tuple, _counts: Counts, _res: Results) -> dict:
    p = _res.period_index(period)
    return period_summary(_counts, _res, p, csi.customer_csi(_counts, _res, p))


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


def whatif_weights(wi: dict, company: dict[str, float] | None) -> Weights:
    """The ``Weights`` the what-if page computes with."""
    return Weights(segments=wi.get("segments") or company, items=dict(wi.get("items") or {}) or None)


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


def survey_importances(res: Results, p: int, s: int) -> dict[str, float]:
    """The focus-question weights of a segment in a period as slider values: % with one
    decimal, for the items answered in that period."""
    from csi_core.method.grades import round_half_up

    return {res.items[i]: round_half_up(100 * float(res.item_weight[p, s, i]), 1)
            for i in range(len(res.items)) if res.item_n[p, s, i] > 0}


# ASCII a share link keeps as it is: everything printable but the separators , : and %
_LINK_SAFE = "".join(chr(c) for c in range(32, 127) if chr(c) not in ",:%")


def _quote(name: str) -> str:
    """A name inside ``sw=`` / ``iw.`` values: the separators percent-encoded, other
    characters (Chinese names too) as they are; the link's own encoding comes on top.

    >>> _quote("a,b:c%d 民用户")
    'a%2Cb%3Ac%25d 民用户'
    """
    return "".join(ch if not ch.isascii() else quote(ch, safe=_LINK_SAFE) for ch in name)


def _unquote(text: str) -> str:
    return unquote(text)


def _pairs(mapping: dict[str, float]) -> str:
    return ",".join(f"{_quote(k)}:{v:g}" for k, v in mapping.items())


def encode_share(wi: dict) -> dict[str, str]:
    """Query parameters for a link to these what-if weights.

    Examples
    --------
    >>> encode_share({"segments": {"民用户": 60, "工商业户": 40}, "items": {"民用户": {"燃气质量": 38.5}}})
    {'sw': '民用户:60,工商业户:40', 'iw.民用户': '燃气质量:38.5'}
    """
    out = {}
    if wi.get("segments"):
        out["sw"] = _pairs(wi["segments"])
    for segment, importances in (wi.get("items") or {}).items():
        if importances:
            out[f"iw.{segment}"] = _pairs(importances)
    return out


def _parse_pairs(text: str, known: dict[str, str], problems: list[str]) -> dict[str, float]:
    out = {}
    for part in text.split(","):
        name, sep, value = part.rpartition(":")
        name = _unquote(name.strip())
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not 0 <= number <= MAX_WEIGHT or name_key(name) not in known:
            problems.append(part.strip())
            continue
        out[known[name_key(name)]] = number
    return out


def decode_share(params: dict[str, str], counts: Counts) -> tuple[dict, list[str]]:
    """What-if weights from a link's query parameters, and the parts that were unusable
    (unknown names, bad numbers). Names are matched width- and case-insensitively.

    Examples
    --------
    See ``tests/test_weights_page.py``.
    """
    problems: list[str] = []
    segments = {name_key(s): s for s in counts.segments}
    items = {name_key(i): i for i in counts.items}
    wi: dict = {"segments": None, "items": {}}
    if params.get("sw"):
        wi["segments"] = _parse_pairs(params["sw"], segments, problems) or None
        if wi["segments"] and sum(wi["segments"].values()) <= 0:
            problems.append(params["sw"])
            wi["segments"] = None
    for key, value in params.items():
        if not key.startswith("iw."):
            continue
        segment = segments.get(name_key(_unquote(key[3:])))
        if segment is None:
            problems.append(key[3:])
            continue
        parsed = _parse_pairs(value, items, problems)
        if parsed:
            wi["items"][segment] = parsed
    return wi, problems


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
