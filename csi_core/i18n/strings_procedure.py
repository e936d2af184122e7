"""Strings of the corrective-action workflow (opening actions one by one, placeholders),
the overview's actions card, the sample-size tool's populations, and the complaint
procedure (投诉).

Keys: ``page.key``; each entry ``{"zh": ..., "en": ...}``, Chinese first.
"""

STRINGS: dict[str, dict[str, str]] = {
    # --- opening actions for chosen flags -------------------------------------------------
    "actions.open_title": {"zh": "为选中的项目建立措施", "en": "Open an action for the rows you tick"},
    "actions.open_hint": {
        "zh": "在上面的表中勾选一行（行首的方框）或几行，再在这里填写原因、措施、责任人和期限。",
        "en": "Tick one row (the box at its left) or several in the tables above, then fill in cause, measure, "
              "owner and due date here.",
    },
    "actions.open_chosen": {"zh": "已选 {n} 项：{subjects}", "en": "{n} chosen: {subjects}"},
    "actions.open_more": {"zh": "等 {n} 项", "en": "and {n} more"},
    "actions.open_had": {"zh": "其中 {n} 项已有措施（见措施记录），不重复建立。",
                         "en": "{n} of them already have an action (see the log); not opened twice."},
    "actions.open_button": {"zh": "建立措施（{n} 项）", "en": "Open action ({n})"},
    "actions.opened": {"zh": "已为 {n} 项建立措施，见下方措施记录。", "en": "Actions opened: {n}. They are in the log below."},
    "actions.field.cause": {"zh": "原因分析", "en": "Cause"},
    "actions.field.measure": {"zh": "纠正措施", "en": "Measure"},
    "actions.field.owner": {"zh": "责任人/部门", "en": "Owner"},
    "actions.field.due": {"zh": "完成期限", "en": "Due date"},
    "actions.bulk_title": {"zh": "一次为全部项目建立", "en": "All at once"},
    "actions.create_all": {"zh": "为全部 {count} 项创建占位措施", "en": "Create placeholders for all {count}"},
    "actions.create_all_help": {
        "zh": "占位措施还没有原因、措施、责任人和期限；它们在措施记录、效果验证和报告中单独计数，不与正在处理的措施混在一起。",
        "en": "Placeholders have no cause, measure, owner or due date yet; the log, the verification and the "
              "report count them apart from the actions being worked on.",
    },
    "actions.placeholders": {"zh": "占位措施 {n} 项（尚未填写原因、措施、责任人或期限）",
                             "en": "Placeholders: {n} (no cause, measure, owner or due date yet)"},
    "actions.placeholders_help": {
        "zh": "填写任一栏后，该措施移入上面的措施记录。",
        "en": "Once any field is filled in, the action moves up into the log.",
    },
    "actions.log_none_worked": {"zh": "还没有正在处理的措施（只有占位措施）。",
                                "en": "No action is being worked on yet (placeholders only)."},
    "actions.verify_placeholders": {
        "zh": "另有 {n} 项往期占位措施（什么都没有记录）未列入验证。",
        "en": "{n} placeholder actions of earlier periods (nothing recorded) are not verified.",
    },
    "report.col.raised_short": {"zh": "原得分", "en": "Score"},
    # --- overview: the actions card ------------------------------------------------------
    "overview.open_actions_help": {
        "zh": "所有期间中状态为“待处理”或“进行中”的措施（含占位措施）。",
        "en": "Actions of all periods whose status is open or in progress (placeholders included).",
    },
    "overview.flags_breakdown": {
        "zh": "本期 {period} 需要纠正 {n} 项：{parts}；其中 {with_action} 项已有措施。",
        "en": "{period}: {n} flagged — {parts}; {with_action} of them have an action.",
    },
    "overview.flags_none": {"zh": "本期 {period} 没有需要纠正的项目。", "en": "{period}: nothing flagged."},
    "overview.flag_part.overall": {"zh": "总体 CSI {n} 项", "en": "overall CSI {n}"},
    "overview.flag_part.item": {"zh": "题目 {n} 项", "en": "items {n}"},
    "overview.flag_part.customer": {"zh": "客户 CSI {n} 项", "en": "customers {n}"},
    "overview.flag_part.customer_item": {"zh": "客户题目 {n} 项", "en": "customer-items {n}"},
    "overview.flags_placeholders": {"zh": "（{n} 项只是占位，尚未填写）", "en": " ({n} only placeholders, nothing filled in)"},
    # --- sample size: populations the data knows ----------------------------------------
    "report_page.population_from": {
        "zh": "默认值来自数据：{parts}。",
        "en": "The default comes from the data: {parts}.",
    },
    "report_page.population_source.sent": {"zh": "{segment} 发放 {n} 份", "en": "{segment} {n} sent"},
    "report_page.population_source.customers": {"zh": "{segment} {n} 个客户", "en": "{segment} {n} customers"},
    "report_page.population_source.returned": {"zh": "{segment} 回收 {n} 份", "en": "{segment} {n} returned"},
    "report_page.allocation_capped": {
        "zh": "样本量 {n} 超过各类型规模之和 {total}：每个类型最多抽取其全部客户（普查）。",
        "en": "The sample of {n} exceeds the segments' total size of {total}: no segment is asked for more "
              "than it has (a census).",
    },
}
