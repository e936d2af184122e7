"""Answer labels → answer codes → coefficients (权重3).

An answer is stored as a small integer *code*. On the five-level scales the code is
the level 1…5 (5 = very satisfied); on the numeric scales (0–10, 0–100 scores that
B2B customers give) the code is the number itself. A :class:`Scale` turns codes into
coefficients 0…1 — METHOD.md, "The five answer levels and their coefficients".

Two codes below zero are never stored: ``NOT_ANSWERED`` (blank, 不适用, N/A) and
``UNKNOWN`` (a value no rule recognises: the file is refused, never guessed).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

NOT_ANSWERED = -1
UNKNOWN = -2

# METHOD.md: labels per level, compared after NFKC, trimming and lower-casing.
# White space inside a label is ignored too ("very  satisfied", "很 满意").
LEVEL_LABELS: dict[int, tuple[str, ...]] = {
    5: ("很满意", "非常满意", "very satisfied"),
    4: ("较满意", "比较满意", "满意", "satisfied"),
    3: ("一般", "基本满意", "neutral"),
    2: ("不满意", "较不满意", "不太满意", "dissatisfied"),
    1: ("很不满意", "非常不满意", "very dissatisfied"),
}
NOT_ANSWERED_LABELS = ("", "不适用", "n/a", "na")

_SPACE = re.compile(r"\s+")
# Zero-width characters pasted in from web pages and chat: invisible, so never part of a name.
# The class holds the characters themselves, so Python's re and Arrow's RE2 both read it.
_INVISIBLE_CLASS = "[\u200b-\u200d\u2060\ufeff]"
_INVISIBLE = re.compile(_INVISIBLE_CLASS)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def label_key(value: object) -> str:
    """The comparison form of a cell: NFKC, lower-case, no white space.

    Examples
    --------
    >>> label_key("  ＶＥＲＹ  Satisfied ")
    'verysatisfied'
    >>> label_key(None)
    ''
    """
    if value is None:
        return ""
    return _label_key(value) if isinstance(value, str) else _label_key(str(value))


@functools.lru_cache(maxsize=65536)
def _label_key(text: str) -> str:
    # names repeat by the thousand (each flag's segment, customer and item): normalised once
    return _SPACE.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text).lower()))


def clean_text(value: object) -> str:
    """A name as shown and stored: NFKC, trimmed, inner white space single.

    Examples
    --------
    >>> clean_text(" 民用户　"), clean_text("民用户\u200b")
    ('民用户', '民用户')
    """
    if value is None:
        return ""
    return _SPACE.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(value)))).strip()


def name_key(value: object) -> str:
    """How names (items, segments, ids) are compared: width, case and spaces ignored."""
    return label_key(value)


# RE2 (Arrow) has an ASCII-only \s; these are the characters Python's \s also takes.
_ARROW_SPACE = r"[\s\p{Z}\x{1c}-\x{1f}\x{85}]+"


def clean_texts(values: "pa.Array") -> np.ndarray:
    """:func:`clean_text` of a whole column at once (Arrow compute; nulls give "").

    Examples
    --------
    >>> clean_texts(pa.array([" 民用户\u3000", None, "Ａ  b\tc"])).tolist()
    ['民用户', '', 'A b c']
    """
    text = pc.utf8_normalize(values.cast(pa.string()), "NFKC")
    text = pc.replace_substring_regex(text, _INVISIBLE_CLASS, "")
    text = pc.replace_substring_regex(text, _ARROW_SPACE, " ")
    text = pc.replace_substring_regex(text, r"^ | $", "")
    return np.asarray(text.fill_null("").to_numpy(zero_copy_only=False), dtype=object)


def id_keys(values: "pa.Array") -> np.ndarray:
    """Respondent ids as METHOD.md compares them: trimmed, case- and width-insensitive
    (inner spaces count). Nulls give "".

    Examples
    --------
    >>> id_keys(pa.array([" Ａ-01 ", "a-01", "a - 01", None])).tolist()
    ['a-01', 'a-01', 'a - 01', '']
    """
    text = pc.utf8_lower(pc.utf8_normalize(values.cast(pa.string()), "NFKC"))
    text = pc.replace_substring_regex(text, r"^" + _ARROW_SPACE + r"|" + _ARROW_SPACE + r"$", "")
    return np.asarray(text.fill_null("").to_numpy(zero_copy_only=False), dtype=object)


_LABEL_LEVEL = {label_key(lab): level for level, labels in LEVEL_LABELS.items() for lab in labels}
_NOT_ANSWERED_KEYS = frozenset(label_key(lab) for lab in NOT_ANSWERED_LABELS)


@dataclass(frozen=True)
class Scale:
    """A way to turn answer codes into coefficients 0…1.

    ``coefficients[code]`` is the coefficient of a code; ``satisfied_min`` is the lowest
    code that counts as satisfied for the satisfaction rate (满意率: level 5 and 4).
    """

    name: str
    max_code: int
    coefficients: tuple[float, ...]
    numeric: bool = False
    satisfied_min: int = 4

    @property
    def coef(self) -> np.ndarray:
        """Coefficients as an array indexed by code (unused codes are 0)."""
        return np.asarray(self.coefficients, dtype=np.float64)

    @property
    def codes(self) -> range:
        """The valid codes of this scale."""
        return range(0 if self.numeric else 1, self.max_code + 1)


def _levels(name: str, c5: float, c4: float, c3: float, c2: float, c1: float) -> Scale:
    return Scale(name, 5, (0.0, c1, c2, c3, c4, c5))


def _numeric(name: str, top: int) -> Scale:
    coefficients = tuple(code / top for code in range(top + 1))
    return Scale(name, top, coefficients, numeric=True, satisfied_min=int(np.ceil(0.8 * top)))


SCALES: dict[str, Scale] = {
    "default": _levels("default", 1.0, 0.8, 0.5, 0.2, 0.0),
    "100-80-60-30-0": _levels("100-80-60-30-0", 1.0, 0.8, 0.6, 0.3, 0.0),
    "20-16-12-8-4": _levels("20-16-12-8-4", 1.0, 0.8, 0.6, 0.4, 0.2),
    "likert": _levels("likert", 1.0, 0.75, 0.5, 0.25, 0.0),
    "0-10": _numeric("0-10", 10),
    "0-100": _numeric("0-100", 100),
}


def get_scale(name: str) -> Scale:
    """The scale called ``name``; ``KeyError`` lists the known names."""
    try:
        return SCALES[name]
    except KeyError:
        raise KeyError(f"unknown scale {name!r}; known: {', '.join(SCALES)}") from None


def code_of(value: object, scale: Scale, mapping: dict[str, int] | None = None) -> int:
    """The answer code of one cell, ``NOT_ANSWERED`` or ``UNKNOWN``.

    ``mapping`` holds user decisions for values no rule knows (label key → code,
    or ``NOT_ANSWERED``); it is consulted first, so a user can also override.

    Examples
    --------
    >>> s = SCALES["default"]
    >>> code_of("很满意", s), code_of(" 满意 ", s), code_of(4.0, s), code_of("N/A", s)
    (5, 4, 4, -1)
    >>> code_of("好", s), code_of("好", s, {"好": 4})
    (-2, 4)
    """
    key = label_key(value)
    if mapping and key in mapping:
        return mapping[key]
    if key in _NOT_ANSWERED_KEYS:
        return NOT_ANSWERED
    if not scale.numeric and key in _LABEL_LEVEL:
        return _LABEL_LEVEL[key]
    if _NUMBER.fullmatch(key):
        number = float(key)
        if number.is_integer() and min(scale.codes) <= number <= scale.max_code:
            return int(number)
    return UNKNOWN


def codes_of(values: "pa.Array | list", scale: Scale, mapping: dict[str, int] | None = None) -> np.ndarray:
    """Answer codes of many cells at once (int16), looking up each distinct value once.

    Examples
    --------
    >>> codes_of(["很满意", None, "4", "好"], SCALES["default"]).tolist()
    [5, -1, 4, -2]
    """
    encoded = pa.array(values, type=pa.string()).dictionary_encode()
    table = np.array(
        [code_of(u, scale, mapping) for u in encoded.dictionary.to_pylist()] + [NOT_ANSWERED],
        dtype=np.int16,
    )
    # nulls (blank cells) point at the extra last entry: not answered
    index = encoded.indices.fill_null(len(table) - 1).to_numpy(zero_copy_only=False)
    return table[index]


def parse_mapping(text: str, scale: Scale) -> dict[str, int]:
    """Parse ``"好=4, 差=2, 其他=NA"`` into a mapping for :func:`code_of`.

    The right side is a level/number of the scale, a known label, or a not-answered
    label. ``ValueError`` names the first part it cannot read.

    Examples
    --------
    >>> parse_mapping("好=4, 差=不满意, 其他=NA", SCALES["default"])
    {'好': 4, '差': 2, '其他': -1}
    """
    mapping: dict[str, int] = {}
    for part in re.split(r"[,，;；]", text):
        if not part.strip():
            continue
        left, sep, right = part.partition("=")
        code = code_of(right, scale)
        if not sep or not label_key(left) or code == UNKNOWN:
            raise ValueError(f"cannot read mapping {part.strip()!r}: use VALUE=LEVEL, e.g. 好=4")
        mapping[label_key(left)] = code
    return mapping
