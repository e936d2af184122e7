"""Every user-visible string, in gettext catalogues: one ``<lang>.po`` file per language.

``t("key", lang, **params)`` looks a key up and fills ``{params}``; ``tn("key", n, lang,
**params)`` picks the plural form for the count ``n`` ("1 row", "2 rows"). The catalogues
are read with Babel once, on first use. A language is a ``.po`` file in this folder (its
name is the code); Chinese is the default. How to add a language or a string: README.md
here.

Strict under tests (``CSI_STRICT_I18N=1``, set by tests/conftest.py): an unknown language,
an unknown key, a key missing in one language or a missing placeholder raises. Otherwise
the app degrades gracefully and logs: the default language, the key itself, the
placeholder left as ``{name}``.
"""
from __future__ import annotations

import functools
import gettext
import importlib
import logging
import os
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent
DEFAULT_LANG = "zh"
STRICT_ENV = "CSI_STRICT_I18N"
log = logging.getLogger("csi.i18n")

Text = str | tuple[str, ...]  # a plain string, or the plural forms of the language


def _langs() -> tuple[str, ...]:
    """The languages with a catalogue: the default first, English next, the rest by code."""
    codes = {p.stem for p in HERE.glob("*.po")}
    return tuple(sorted(codes, key=lambda c: (c != DEFAULT_LANG, c != "en", c)))


LANGS = _langs()


@dataclass(frozen=True)
class Catalogue:
    """One language's strings and its plural rule (form index of a count)."""

    lang: str
    texts: dict[str, Text]
    plural: Callable[[int], int]


def strict() -> bool:
    """True when a string fault must raise (tests), False when it is logged (production)."""
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def _fault(error: Exception) -> None:
    if strict():
        raise error
    log.warning("i18n: %s", error)


def _read(lang: str) -> Catalogue:
    """A ``.po`` file through Babel: msgid → msgstr (a tuple for plural entries)."""
    with (HERE / f"{lang}.po").open("rb") as f:
        po = read_po(f, ignore_obsolete=True)
    texts: dict[str, Text] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue  # the header; a fuzzy translation is not a translation yet
        if message.pluralizable:
            forms = tuple(message.string)
            if all(forms):
                texts[message.id[0]] = forms
        elif message.string:
            texts[message.id] = message.string
    return Catalogue(lang, texts, gettext.c2py(po.plural_expr))


def _legacy_modules() -> dict[str, dict[str, Text]]:
    """Strings still in ``strings_<topic>.py`` modules (``{"key": {"zh": ..., "en": ...}}``),
    until ``scripts/strings_to_po.py`` moves them into the catalogues."""
    merged: dict[str, dict[str, Text]] = {}
    for info in pkgutil.iter_modules([str(HERE)]):
        if info.name.startswith("strings_"):
            table = importlib.import_module(f"{__name__}.{info.name}").STRINGS
            clash = set(table) & set(merged)
            if clash:
                raise KeyError(f"strings defined twice: {sorted(clash)}")
            merged.update(table)
    return merged


@functools.cache
def catalogues() -> dict[str, Catalogue]:
    """Every language's catalogue, read once; the modules not yet converted merged in."""
    out = {lang: _read(lang) for lang in LANGS}
    for key, entry in _legacy_modules().items():
        for lang, text in entry.items():
            if lang in out:
                if key in out[lang].texts:
                    raise KeyError(f"string {key!r} is both in {lang}.po and a strings_*.py module")
                out[lang].texts[key] = text
    return out


@functools.cache
def _table() -> dict[str, dict[str, Text]]:
    """``STRINGS[key][lang]``: the merged table, for tests and tools (read it, do not write)."""
    table: dict[str, dict[str, Text]] = {}
    for lang, catalogue in catalogues().items():
        for key, text in catalogue.texts.items():
            table.setdefault(key, {})[lang] = text
    return table


def __getattr__(name: str):
    if name == "STRINGS":  # built on first use, so importing i18n reads no file
        return _table()
    raise AttributeError(name)


def has(key: str) -> bool:
    """True when ``key`` is a string of the default language."""
    return key in catalogues()[DEFAULT_LANG].texts


def is_plural(key: str) -> bool:
    """True when ``key`` has plural forms (look it up with :func:`tn`)."""
    return isinstance(catalogues()[DEFAULT_LANG].texts.get(key), tuple)


def _lookup(key: str, lang: str) -> Text:
    if lang not in LANGS:
        _fault(ValueError(f"unknown language {lang!r} (known: {', '.join(LANGS)})"))
        lang = DEFAULT_LANG
    books = catalogues()
    text = books[lang].texts.get(key)
    if text is None:
        if key not in books[DEFAULT_LANG].texts:
            _fault(KeyError(f"no string {key!r}"))
            return key
        _fault(KeyError(f"string {key!r} is missing in {lang}.po"))
        text = books[DEFAULT_LANG].texts[key]
    return text


class _Keep(dict):
    """Missing placeholders stay as ``{name}`` (production only)."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def _fill(key: str, lang: str, text: str, params: dict) -> str:
    try:
        return text.format_map(params)
    except (KeyError, IndexError) as missing:
        _fault(KeyError(f"string {key!r} ({lang}) needs the parameter {missing}"))
    try:
        return text.format_map(_Keep(params))
    except (IndexError, ValueError):
        return text


def t(key: str, /, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The string ``key`` in ``lang`` with ``params`` filled in.

    Examples
    --------
    >>> t("where.row", "en", row=12)
    'row 12'
    >>> t("grade.satisfied")
    '满意'
    """
    text = _lookup(key, lang)
    if isinstance(text, tuple):
        _fault(TypeError(f"string {key!r} has plural forms: use tn(key, n, ...)"))
        text = text[-1]
    return _fill(key, lang, text, params)


def tn(key: str, n: int, /, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The string ``key`` in the plural form of ``lang`` for the count ``n``.

    ``n`` only chooses the form; the text shows the ``params`` (pass the count too,
    formatted as the screen wants it).

    Examples
    --------
    >>> tn("data.rows", 1, "en", count=1), tn("data.rows", 2, "en", count=2), tn("data.rows", 2, count=2)
    ('1 row', '2 rows', '2 行')
    """
    text = _lookup(key, lang)
    if isinstance(text, tuple):
        index = catalogues()[lang if lang in LANGS else DEFAULT_LANG].plural(abs(int(n)))
        text = text[min(index, len(text) - 1)]
    else:
        _fault(TypeError(f"string {key!r} has no plural forms: use t(key, ...)"))
    return _fill(key, lang, text, params)


def language_name(lang: str) -> str:
    """A language's own name, as its switch shows it.

    >>> language_name("zh"), language_name("en")
    ('中文', 'English')
    """
    return t("lang.name", lang)


def join(values, lang: str = DEFAULT_LANG) -> str:
    """A list in a sentence: 、 between Chinese items, a comma and a space in English.

    >>> join(["民用户", "工商业户"]), join(["a", "b"], "en")
    ('民用户、工商业户', 'a, b')
    """
    return t("lang.list_separator", lang).join(str(v) for v in values)
