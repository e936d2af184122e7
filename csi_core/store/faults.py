"""Faults of the database file and its disk, named: what went wrong and what to do.

DuckDB reports a damaged file, a full or read-only disk or a held lock as exceptions
whose text is the only clue; :func:`fault_of` turns any of them into one :class:`Fault`
kind that the app and the command line explain in the user's language.
"""
from __future__ import annotations

import errno

from csi_core import i18n

FAULT_KINDS = ("locked", "corrupt", "read_only", "disk_full", "no_access", "newer", "missing", "other")

# (kind, fragments of the lower-cased message), the first match wins
_CLUES = (
    ("locked", ("could not set lock", "conflicting lock", "open in another program")),
    ("disk_full", ("no space left", "file too large", "disk full", "disk quota")),
    ("read_only", ("read-only file system", "read only file system", "readonly database",
                   "attempt to write a readonly", "read-only mode")),
    ("no_access", ("permission denied", "operation not permitted")),
    ("corrupt", ("checksum", "not a valid duckdb database", "corrupt", "serialization error", "invalid block",
                 "failed to deserialize", "malformed")),
    ("newer", ("newer than this program",)),
    ("missing", ("no such file or directory",)),
)
_ERRNO = {errno.ENOSPC: "disk_full", errno.EFBIG: "disk_full", errno.EROFS: "read_only", errno.EACCES: "no_access",
          errno.EPERM: "no_access", errno.ENOENT: "missing"}


def fault_of(exc: BaseException) -> str:
    """The kind of fault an exception (or one of its causes) shows; ``other`` if none."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kind = getattr(exc, "kind", None)
        if kind in FAULT_KINDS and kind != "other":
            return kind
        if isinstance(exc, OSError) and exc.errno in _ERRNO:
            return _ERRNO[exc.errno]
        if _from_the_database(exc):  # only the database's and the system's words are clues
            text = str(exc).lower()
            for kind, clues in _CLUES:
                if any(clue in text for clue in clues):
                    return kind
        exc = exc.__cause__ or exc.__context__
    return "other"


def _from_the_database(exc: BaseException) -> bool:
    return (isinstance(exc, OSError) or hasattr(exc, "kind")
            or type(exc).__module__.split(".")[0].lstrip("_") == "duckdb")


def is_fault(exc: BaseException) -> bool:
    """True when ``exc`` is about the database file or its disk, not a bug of ours."""
    return fault_of(exc) != "other"


def fault_message(exc: BaseException, lang: str, path: str) -> str:
    """What went wrong with the database file ``path`` and what to do, one paragraph."""
    kind = fault_of(exc)
    return i18n.t(f"fault.{kind}", lang, path=path) + " " + i18n.t(f"fault.{kind}.todo", lang, path=path)
