"""Strings of the upload, corrective-action, data and report screens.

Keys: ``page.key``; each entry ``{"zh": ..., "en": ...}``, Chinese first.
"""

STRINGS: dict[str, dict[str, str]] = {
    # problems of the action log editor
    "problem.action_bad_status": {
        "zh": "状态“{value}”无效（可选：待处理、进行中、已完成、已验证）",
        "en": "status '{value}' is not one of open, in progress, done, verified",
    },
    "problem.action_bad_due": {
        "zh": "完成期限“{value}”不是日期（例如 2026-06-30）",
        "en": "due date '{value}' is not a date (e.g. 2026-06-30)",
    },
}
