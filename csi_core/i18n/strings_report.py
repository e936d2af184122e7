"""Strings of the meeting report's management summary, its appendix and the scale names.

Keys: ``area.key``; each entry ``{"zh": ..., "en": ...}``, Chinese first.
"""

STRINGS: dict[str, dict[str, str]] = {
    "report.appendix": {"zh": "附录", "en": "Appendix"},
    "report.appendix_intro": {
        "zh": "以下为明细：全部题目、客户、客户的需纠正项目、完整的纠正措施记录、意见建议和计算方法。",
        "en": "The detail: every item, the customers, what customers need, the full action log, the comments and the method.",
    },
    "report.section.items_action": {"zh": "需纠正的题目（≤70 %）与总体 CSI", "en": "Items needing action (≤ 70 %) and the overall CSI"},
    "report.section.action_state": {"zh": "纠正措施的状况", "en": "State of the corrective actions"},
    "report.section.customer_flags": {"zh": "客户的需纠正项目", "en": "Customers needing action"},
    "report.section.customer_verification": {"zh": "上期（{previous}）客户措施的效果验证",
                                             "en": "Verification of last period's ({previous}) customer actions"},
    "report.customers_note": {
        "zh": "另有 {customers} 个客户 CSI < 80、{items} 个客户题目 ≤70 %：明细见附录。",
        "en": "Besides, {customers} customers below 80 and {items} customer items at or below 70 %: see the appendix.",
    },
    "report.customers_note_excel": {
        "zh": "另有 {customers} 个客户 CSI < 80、{items} 个客户题目 ≤70 %：明细见 Excel 报告或含附录的 PDF。",
        "en": "Besides, {customers} customers below 80 and {items} customer items at or below 70 %: "
              "see the Excel report or the PDF with its appendix.",
    },
    "report.status_counts": {"zh": "本报告所列措施：{counts}", "en": "Actions in this report: {counts}"},
    "report.verdict_counts": {"zh": "上期措施验证：{counts}", "en": "Last period's actions: {counts}"},
    "report.scale.default": {"zh": "标准五级", "en": "standard five levels"},
    "report.scale.100-80-60-30-0": {"zh": "100-80-60-30-0", "en": "100-80-60-30-0"},
    "report.scale.20-16-12-8-4": {"zh": "20-16-12-8-4", "en": "20-16-12-8-4"},
    "report.scale.likert": {"zh": "李克特（等距）", "en": "Likert (equal steps)"},
    "report.scale.0-10": {"zh": "0–10 分", "en": "0–10 points"},
    "report.scale.0-100": {"zh": "0–100 分", "en": "0–100 points"},
    "report_page.appendix": {
        "zh": "PDF 含附录（客户明细、完整措施记录、意见建议）",
        "en": "PDF with appendix (customer detail, full action log, comments)",
    },
    "report_page.appendix_help": {
        "zh": "不勾选时 PDF 是给管理层的摘要（约 4–6 页）；Excel 和 HTML 始终包含全部内容。",
        "en": "Unticked, the PDF is the management summary (about 4–6 pages); Excel and HTML always hold everything.",
    },
    "cli.out_extension": {
        "zh": "--out 的扩展名 {ext} 不支持：请用 .xlsx、.pdf 或 .html",
        "en": "--out must end in .xlsx, .pdf or .html (got {ext})",
    },
}
