"""Strings of the app shell, overview, what-if weights and run-chart screens.

Keys: ``page.key``; each entry ``{"zh": ..., "en": ...}``, Chinese first.
"""

STRINGS: dict[str, dict[str, str]] = {
}
