"""A PDF's text for tests, by poppler's ``pdftotext`` (Debian ``poppler-utils``; scripts/test.sh
installs it when missing). pypdf misreads the glyphs of a large CJK font subset."""
from __future__ import annotations

import re
import subprocess


def pages(data: bytes) -> list[str]:
    """Each page's text, laid out as on the page (a table row on one line)."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def squeezed(data: bytes) -> str:
    """All the text with every white space removed (a number and its label run together)."""
    return re.sub(r"\s+", "", "".join(pages(data)))
