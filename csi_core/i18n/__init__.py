"""Every user-visible string in Chinese (default) and English.

``t("key", lang, **params)`` looks a key up and fills ``{params}``. A key missing in
one language is a bug (a test checks both languages hold the same keys).
"""
from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, dict[str, str]] = {
    # where a problem is
    "where.sheet": {"zh": "工作表 {sheet}", "en": "sheet {sheet}"},
    "where.row": {"zh": "第 {row} 行", "en": "row {row}"},
    "where.column": {"zh": "列 {column}", "en": "column {column}"},
    # file-level problems
    "problem.empty_file": {"zh": "文件是空的", "en": "the file is empty"},
    "problem.ole_file": {
        "zh": "这是旧版 .xls 或加密的 Excel 文件，请在 Excel 中另存为未加密的 .xlsx 后再上传",
        "en": "this is an old .xls or an encrypted Excel file: save it in Excel as an unencrypted .xlsx and upload that",
    },
    "problem.not_xlsx": {
        "zh": "不是 Excel 工作簿 (.xlsx)",
        "en": "not an Excel workbook (.xlsx)",
    },
    "problem.zip_limit": {
        "zh": "文件解压后过大或结构异常（{detail}），为安全起见拒绝读取",
        "en": "the file unpacks too large or looks malformed ({detail}); refused for safety",
    },
    "problem.unreadable": {
        "zh": "无法读取工作簿：{detail}",
        "en": "the workbook cannot be read: {detail}",
    },
    "problem.empty_sheet": {"zh": "工作表没有数据", "en": "the sheet holds no data"},
    "problem.no_rows": {"zh": "表头下面没有问卷行", "en": "no questionnaire rows below the header"},
    "problem.no_items": {
        "zh": "没有找到评价题目列：表头除期间、客户类型等之外至少要有一个题目",
        "en": "no item columns: besides period, segment and the like the header needs at least one rated item",
    },
    "problem.missing_period": {
        "zh": "缺少“期间”列（期间/调查期/季度/period），也没有在上传时指定期间",
        "en": "no period column (period/期间/调查期/季度) and no period given with the upload",
    },
    "problem.duplicate_role": {
        "zh": "“{role}”列出现了两次（另一列是 {other}）",
        "en": "two columns for {role} (the other is {other})",
    },
    "problem.duplicate_item": {
        "zh": "题目“{value}”出现了两次（另一列是 {other}）",
        "en": "item '{value}' appears twice (the other column is {other})",
    },
    "problem.no_header": {
        "zh": "这一列有数据但没有表头",
        "en": "this column holds values but has no header",
    },
    "problem.too_many_columns": {
        "zh": "列数太多（{value}），上限 {limit}；最右边的内容在这个单元格，不需要就删掉它",
        "en": "too many columns ({value}); the limit is {limit}; the rightmost content is in this cell: "
              "delete it if it is not data",
    },
    "problem.too_many_rows": {
        "zh": "行数太多（{value}），上限 {limit}",
        "en": "too many rows ({value}); the limit is {limit}",
    },
    # cell-level problems
    "problem.unknown_answer": {
        "zh": "无法识别的答案“{value}”（请改为 很满意/较满意/一般/不满意/很不满意 或 1–5，或在上传时指定它的含义）",
        "en": "unknown answer '{value}' (use 很满意/较满意/一般/不满意/很不满意, very satisfied…very dissatisfied or 1–5, or map it explicitly)",
    },
    "problem.unknown_number": {
        "zh": "无法识别的答案“{value}”（所选量表只接受 0–{top} 的整数；如需文字答案请选择五级量表，或在上传时指定它的含义）",
        "en": "unknown answer '{value}' (the scale in use takes whole numbers 0–{top}; choose a five-level scale "
              "for labels, or map it explicitly)",
    },
    "problem.bad_period": {
        "zh": "无法识别的期间“{value}”（例如 2026Q1、2026年第1季度、2026H1）",
        "en": "unknown period '{value}' (e.g. 2026Q1, 2026年第1季度, 2026H1)",
    },
    "problem.blank_period": {
        "zh": "这份问卷没有填写期间",
        "en": "this questionnaire has no period",
    },
    "problem.blank_segment": {
        "zh": "这份问卷没有填写客户类型",
        "en": "this questionnaire has no segment",
    },
    "problem.unknown_focus": {
        "zh": "“最关注的项目”里有无法识别的选项“{value}”（应为题目名称或选项字母 A、B…）",
        "en": "unknown focus option '{value}' (use item names or option letters A, B…)",
    },
    "problem.period_not_in_file": {
        "zh": "文件中没有期间 {value}（文件中有：{found}）",
        "en": "period {value} is not in the file (found: {found})",
    },
    "problem.sent_blank_period": {
        "zh": "这一行发放数没有填写期间（文件中有多个期间：{found}）",
        "en": "this sent count has no period (the file has several: {found})",
    },
    "problem.bad_sent": {
        "zh": "发放数“{value}”不是非负整数",
        "en": "sent count '{value}' is not a whole number ≥ 0",
    },
    "problem.more_problems": {
        "zh": "……另有 {count} 处同类问题未列出",
        "en": "… and {count} more like these",
    },
    "problem.period_exists": {
        "zh": "期间 {value} 已经导入过；如需用本文件替换，请选择“替换”",
        "en": "period {value} is already stored; choose replace to replace it with this file",
    },
    "problem.same_file": {
        "zh": "同一个文件已于 {when} 导入（上传编号 {upload}）",
        "en": "this same file was already imported on {when} (upload {upload})",
    },
    "problem.optional_sheet_header": {
        "zh": "这张工作表的表头不认识：至少要有一列 {expected}（否则整张表无法使用）",
        "en": "this sheet's header is not understood: it needs a column {expected} (else the sheet cannot be used)",
    },
    "problem.duplicate_option": {
        "zh": "选项字母“{value}”同时给了“{other}”和“{item}”",
        "en": "option letter '{value}' is given to both '{other}' and '{item}'",
    },
    "problem.example_row": {
        "zh": "这是模板的示例行：请删除它，再填入真实问卷后上传",
        "en": "this is the template's example row: delete it and fill in the real questionnaires",
    },
    "problem.formula_no_value": {
        "zh": "公式没有保存的计算结果（文件多半由程序生成）：请在 Excel 中打开、保存后再上传，或把公式换成值",
        "en": "a formula without a saved result (the file was probably written by a program): open and save it "
              "in Excel, or replace the formula by its value, and upload it again",
    },
    "problem.no_valid": {
        "zh": "没有一份有效问卷（全部题目未作答 {no_answers} 份，作答题目不足一半 {too_few_answers} 份，"
              "问卷编号重复 {duplicate_id} 份）",
        "en": "not one valid questionnaire (every item blank: {no_answers}, fewer than half of the items "
              "answered: {too_few_answers}, duplicate respondent id: {duplicate_id})",
    },
    # notes (warnings that do not refuse the file)
    "note.title_row_skipped": {
        "zh": "第 {row} 行之前的标题行已跳过，第 {row} 行作为表头",
        "en": "title rows before row {row} skipped; row {row} read as the header",
    },
    "note.row_number_column": {
        "zh": "“{value}”是序号列，不作为评价题目",
        "en": "'{value}' is a row-number column, not a rated item",
    },
    "note.sent_period_not_in_file": {
        "zh": "发放数中的期间 {value} 在问卷中没有，未使用",
        "en": "the sent count of period {value} is not used: the responses have no such period",
    },
    "note.sent_below_returned": {
        "zh": "期间 {value} 的发放数（{sent}）少于回收数（{returned}），回收率将超过 100 %，请核对",
        "en": "period {value}: fewer sent ({sent}) than returned ({returned}), a response rate over 100 %; please check",
    },
    "note.item_not_in_sheet": {
        "zh": "items 工作表中的题目“{value}”在问卷中没有对应列",
        "en": "item '{value}' of the items sheet has no column in the responses",
    },
    # invalid questionnaire reasons (清除无效问卷)
    "reason.no_answers": {"zh": "全部题目未作答", "en": "every item blank"},
    "reason.too_few_answers": {"zh": "作答题目不足一半", "en": "fewer than half of the items answered"},
    "reason.duplicate_id": {"zh": "问卷编号重复", "en": "duplicate respondent id"},
    # notes about computation
    "calc.item_dropped": {
        "zh": "{period} {segment}：题目“{item}”无人作答，已剔除，其余权重重新归一",
        "en": "{period} {segment}: nobody answered '{item}'; dropped and the other weights renormalised",
    },
    "calc.segment_dropped": {
        "zh": "{period}：客户类型“{segment}”没有有效问卷，已剔除，其余类型权重重新归一",
        "en": "{period}: segment '{segment}' has no valid questionnaire; dropped and the other weights renormalised",
    },
    "calc.equal_item_weights": {
        "zh": "{period} {segment}：没有“最关注”数据，题目等权",
        "en": "{period} {segment}: no focus answers; items weighted equally",
    },
    "calc.equal_segment_weights": {
        "zh": "未设定客户类型权重，按类型等权",
        "en": "no segment weights set; segments weighted equally",
    },
    "calc.segment_without_weight": {
        "zh": "{period}：客户类型“{segment}”未给权重，按 0 计",
        "en": "{period}: segment '{segment}' was given no weight; counted as 0",
    },
    "calc.period_equal_segment_weights": {
        "zh": "{period}：本期的客户类型都没有设定权重（可能是新的类型），按类型等权；可在“权重模拟”中设定公司权重",
        "en": "{period}: none of this period's segments has a set weight (new segments?); segments weighted "
              "equally. Set the company weights on the What-if page",
    },
    "calc.item_without_weight": {
        "zh": "题目“{item}”未给重要度，按 0 计",
        "en": "item '{item}' was given no importance; counted as 0",
    },
    "calc.customer_equal_weights": {
        "zh": "{period} 客户“{customer}”作答的题目权重全为 0，按等权计",
        "en": "{period} customer '{customer}': the items answered all weigh 0; weighted equally",
    },
    "calc.customer_segments": {
        "zh": "{period} 客户“{customer}”出现在多个客户类型中，按类型分别计算",
        "en": "{period} customer '{customer}' appears in several segments; scored per segment",
    },
    # grades
    "grade.very_satisfied": {"zh": "很满意", "en": "very satisfied"},
    "grade.satisfied": {"zh": "满意", "en": "satisfied"},
    "grade.fairly_satisfied": {"zh": "一般满意", "en": "fairly satisfied"},
    "grade.dissatisfied": {"zh": "不满意", "en": "dissatisfied"},
    "grade.very_dissatisfied": {"zh": "很不满意", "en": "very dissatisfied"},
}


def _merge() -> None:
    """Screens keep their strings in modules of their own; one table serves all."""
    from csi_core.i18n import strings_dashboard
    from csi_core.i18n import strings_hostile
    from csi_core.i18n import strings_workflow

    for module in (strings_dashboard, strings_workflow, strings_hostile):
        clash = set(module.STRINGS) & set(STRINGS)
        if clash:
            raise KeyError(f"strings defined twice: {sorted(clash)}")
        STRINGS.update(module.STRINGS)


_merge()


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The string ``key`` in ``lang`` with ``params`` filled in.

    Examples
    --------
    >>> t("where.row", "en", row=12)
    'row 12'
    >>> t("grade.satisfied")
    '满意'
    """
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"no string {key!r}")
    text = entry.get(lang) or entry[DEFAULT_LANG]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def join(values, lang: str = DEFAULT_LANG) -> str:
    """A list in a sentence: 、 between Chinese items, a comma and a space in English.

    >>> join(["民用户", "工商业户"]), join(["a", "b"], "en")
    ('民用户、工商业户', 'a, b')
    """
    return ("、" if lang == "zh" else ", ").join(str(v) for v in values)
