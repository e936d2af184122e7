"""Strings of the upload, corrective-action, data and report screens.

Keys: ``page.key``; each entry ``{"zh": ..., "en": ...}``, Chinese first.
"""

STRINGS: dict[str, dict[str, str]] = {
}
