"""Move ``csi_core/i18n/strings_<topic>.py`` modules into the gettext catalogues.

Each module holds ``STRINGS = {"key": {"zh": ..., "en": ...}}`` (a value may be a tuple
of plural forms). Its entries are appended, in order, to ``csi_core/i18n/<lang>.po``
(msgid = the key, msgstr = the text) and the module is deleted; a line importing it in
``csi_core/i18n/__init__.py`` goes too.

    python scripts/strings_to_po.py            # every strings_*.py module
    python scripts/strings_to_po.py --dry-run  # say what would move, change nothing

A key already in a catalogue with another text stops the run before anything is written.
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

I18N = Path(__file__).resolve().parent.parent / "csi_core" / "i18n"
HEADER = ("# Strings of the CSI dashboard: msgid is the key, msgstr the text in this language;\n"
          "# {name} placeholders stay as they are. How to add a language or a string:\n"
          "# csi_core/i18n/README.md")


def load_module(path: Path) -> dict[str, dict[str, object]]:
    """The ``STRINGS`` dict of a module file, imported on its own (not through the package)."""
    spec = importlib.util.spec_from_file_location(f"_strings_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.STRINGS


def read_catalogue(lang: str) -> Catalog:
    """The catalogue of ``lang``, or a new empty one with the language's plural rule."""
    path = I18N / f"{lang}.po"
    if path.exists():
        with path.open("rb") as f:
            return read_po(f)
    return Catalog(locale=lang, project="csi-dashboard", version="1", fuzzy=False, header_comment=HEADER,
                   msgid_bugs_address="", last_translator="", language_team="")


def write_catalogue(lang: str, catalogue: Catalog) -> None:
    with (I18N / f"{lang}.po").open("wb") as f:
        write_po(f, catalogue, width=0, no_location=True, include_lineno=False)


def add(catalogue: Catalog, key: str, text: object) -> bool:
    """Add one entry; False when it is there already with the same text."""
    forms = tuple(text) if isinstance(text, (tuple, list)) else None
    msgid = (key, key) if forms else key
    old = catalogue.get(key)
    if old is not None:
        if (tuple(old.string) if old.pluralizable else old.string) == (forms or text):
            return False
        raise SystemExit(f"{key!r} ({catalogue.locale}) is in the catalogue with another text: "
                         f"{old.string!r} / {text!r}")
    catalogue.add(msgid, forms or text)
    return True


def convert(paths: list[Path], dry_run: bool = False) -> list[str]:
    """Append the modules' entries to every language's catalogue; a report line per module."""
    tables = [(path, load_module(path)) for path in paths]
    langs = sorted({p.stem for p in I18N.glob("*.po")} | {lang for _, table in tables
                                                          for entry in table.values() for lang in entry})
    catalogues = {lang: read_catalogue(lang) for lang in langs}
    report = []
    for path, table in tables:
        added = 0
        for key, entry in table.items():
            for lang, text in entry.items():
                added += add(catalogues[lang], key, text)
        report.append(f"{path.name}: {len(table)} keys, {added} entries added")
    if not dry_run:
        for lang, catalogue in catalogues.items():
            write_catalogue(lang, catalogue)
        init = I18N / "__init__.py"
        source = init.read_text(encoding="utf-8")
        for path, _ in tables:
            source = re.sub(rf"^[ \t]*from csi_core\.i18n import {path.stem}[ \t]*\n", "", source, flags=re.M)
            path.unlink()
        init.write_text(source, encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", type=Path, help="module files (default: every strings_*.py)")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    paths = args.modules or sorted(I18N.glob("strings_*.py"))
    if not paths:
        print("no strings_*.py module left")
        return 0
    for line in convert(paths, args.dry_run):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
