"""What-if weights as a link's query parameters, and back.

``sw`` holds the segment weights, ``iw.<segment>`` a segment's item importances, each
as ``name:value`` pairs separated by commas. The three characters of that syntax (``,``
``:`` ``%``) are percent-encoded in names with ``urllib.parse.quote`` and read back with
``unquote``; every other character stays as written, so a link reads ``sw=民用户:60,…``
(the browser encodes the whole query once more, as for any link).
"""
from __future__ import annotations

import math
from urllib.parse import quote, unquote

from csi_core.method.counts import Counts
from csi_core.method.csi import MAX_WEIGHT
from csi_core.reading.scales import name_key


RESERVED = ",:%"


def escape(name: str) -> str:
    """A name with the pair syntax's characters percent-encoded, the rest as written.

    >>> escape("a,b:50%"), unquote(escape("a,b:50%"))
    ('a%2Cb%3A50%25', 'a,b:50%')
    """
    return "".join(quote(ch, safe="") if ch in RESERVED else ch for ch in str(name))


def _pairs(mapping: dict[str, float]) -> str:
    return ",".join(f"{escape(k)}:{float(v):g}" for k, v in mapping.items())


def encode(wi: dict) -> dict[str, str]:
    """Query parameters for what-if weights ``{"segments": {...}, "items": {segment: {...}}}``.

    Examples
    --------
    >>> encode({"segments": {"民用户": 60, "a,b": 40}, "items": {"民用户": {"x:y": 38.5}}})
    {'sw': '民用户:60,a%2Cb:40', 'iw.民用户': 'x%3Ay:38.5'}
    >>> encode({"segments": None, "items": {}})
    {}
    """
    out = {}
    if wi.get("segments"):
        out["sw"] = _pairs(wi["segments"])
    for segment, importances in (wi.get("items") or {}).items():
        if importances:
            out[f"iw.{escape(segment)}"] = _pairs(importances)
    return out


def _parse_pairs(text: str, known: dict[str, str], problems: list[str]) -> dict[str, float]:
    out = {}
    for part in text.split(","):
        name, sep, value = part.rpartition(":")
        name = unquote(name.strip())
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not 0 <= number <= MAX_WEIGHT or name_key(name) not in known:
            problems.append(unquote(part.strip()))
            continue
        out[known[name_key(name)]] = number
    return out


def decode(params: dict[str, str], counts: Counts) -> tuple[dict, list[str]]:
    """What-if weights from a link's parameters, and the parts that were unusable
    (unknown names, bad numbers, segment weights adding up to 0). Names are matched
    width- and case-insensitively to the stored ones.

    Examples
    --------
    >>> c = Counts((), ("民用户", "a,b"), ("燃气质量",), *([None] * 7), None)
    >>> decode({"sw": "民用户:60,a%2Cb:40", "iw.%E6%B0%91%E7%94%A8%E6%88%B7": "燃气质量:2,x:1"}, c)
    ({'segments': {'民用户': 60.0, 'a,b': 40.0}, 'items': {'民用户': {'燃气质量': 2.0}}}, ['x:1'])
    """
    problems: list[str] = []
    segments = {name_key(s): s for s in counts.segments}
    items = {name_key(i): i for i in counts.items}
    wi: dict = {"segments": None, "items": {}}
    if params.get("sw"):
        wi["segments"] = _parse_pairs(params["sw"], segments, problems) or None
        if wi["segments"] and sum(wi["segments"].values()) <= 0:
            problems.append(unquote(params["sw"]))
            wi["segments"] = None
    for key, value in params.items():
        if not key.startswith("iw."):
            continue
        segment = segments.get(name_key(unquote(key[3:])))
        if segment is None:
            problems.append(unquote(key[3:]))
            continue
        parsed = _parse_pairs(value, items, problems)
        if parsed:
            wi["items"][segment] = parsed
    return wi, problems
