"""Strings of the statistics (issue 11): intervals, significance, control limits, grade
margin, the analysis page. Keys: ``stats.*`` and ``analysis.*``; Chinese first."""

STRINGS: dict[str, dict[str, str]] = {
    "app.page.analysis": {"zh": "分析", "en": "Analysis"},
    "upload.role.overall": {"zh": "总体满意度", "en": "Overall satisfaction"},
    # intervals and change
    "stats.half": {"zh": "95% 区间 ±{half}", "en": "95 % interval ±{half}"},
    "stats.interval": {"zh": "95% 区间 {low}–{high}", "en": "95 % interval {low}–{high}"},
    "stats.no_interval": {"zh": "不足 2 份问卷，无区间", "en": "fewer than 2 questionnaires: no interval"},
    "stats.significant": {"zh": "◆ 显著", "en": "◆ significant"},
    "stats.noise": {"zh": "○ 在抽样误差内", "en": "○ within noise"},
    "stats.unknown": {"zh": "– 无法判断（无区间）", "en": "– cannot tell (no interval)"},
    "stats.change_interval": {"zh": "变化 {delta}（95% 区间 {low} 至 {high}）",
                              "en": "change {delta} (95 % interval {low} to {high})"},
    "stats.too_few": {"zh": "问卷太少，无法比较", "en": "too few questionnaires to compare"},
    "stats.too_few_help": {
        "zh": "区间半宽 {half} 分，超过 5 分；约需 {n} 份有效问卷才能达到 ±3 分",
        "en": "half-width {half} points, above 5; about {n} valid questionnaires would bring it to ±3",
    },
    # control limits
    "stats.control": {"zh": "控制限（XmR）：中心 {centre}，下限 {lcl}，上限 {ucl}",
                      "en": "Control limits (XmR): centre {centre}, LCL {lcl}, UCL {ucl}"},
    "stats.no_control": {"zh": "不足 5 期，未画控制限", "en": "fewer than 5 periods: no control limits"},
    "stats.signal.outside": {"zh": "{period}：{value} 超出控制限", "en": "{period}: {value} outside the control limits"},
    "stats.signal.run": {"zh": "{period}：连续 8 期在中心线同一侧", "en": "{period}: 8 periods in a row on one side of the centre"},
    "stats.signals": {"zh": "控制图信号", "en": "Control-chart signals"},
    "stats.no_signals": {"zh": "没有控制图信号", "en": "No control-chart signals"},
    "stats.band": {"zh": "95% 区间", "en": "95 % interval"},
    "stats.centre": {"zh": "中心线", "en": "centre"},
    "stats.lcl": {"zh": "下控制限", "en": "LCL"},
    "stats.ucl": {"zh": "上控制限", "en": "UCL"},
    # grade margin
    "stats.margin": {
        "zh": "等级余量：把 {points} 个百分点的权重从“{source}”移到“{target}”，总 CSI 变为 {total}（{grade}）",
        "en": "Grade margin: moving {points} points of weight from '{source}' to '{target}' makes the total "
              "{total} ({grade})",
    },
    "stats.margin_none": {"zh": "等级余量：任何客户类型间的权重调整都不会改变等级",
                          "en": "Grade margin: no move of weight between segments changes the grade"},
    # corrective actions
    "stats.fall": {"zh": "下降显著性", "en": "Fall"},
    "stats.only_significant": {"zh": "只看显著下降", "en": "Only significant falls"},
    "stats.only_significant_help": {
        "zh": "只列出比上期下降且 95% 区间不含 0 的题目和客户；默认列出全部需要措施的项",
        "en": "List only items and customers whose fall from the previous period has a 95 % interval "
              "without 0; by default every flagged row is listed",
    },
    "stats.no_fall": {"zh": "未下降", "en": "no fall"},
    # analysis page
    "analysis.title": {"zh": "分析 · {period}", "en": "Analysis · {period}"},
    "analysis.segment": {"zh": "客户类型", "en": "Segment"},
    "analysis.map": {"zh": "重要性–表现矩阵", "en": "Importance–performance map"},
    "analysis.map_help": {
        "zh": "横轴为题目得分，纵轴为客户声明的重要度（最关注的比例）；以两者的平均值分为四个象限（GB/T 19038）",
        "en": "x: item score; y: stated importance (the share of focus ticks); quadrants split at the means "
              "(GB/T 19038)",
    },
    "analysis.score": {"zh": "得分 (%)", "en": "Score (%)"},
    "analysis.stated": {"zh": "声明重要度 (%)", "en": "Stated importance (%)"},
    "analysis.derived": {"zh": "推导重要度 (%)", "en": "Derived importance (%)"},
    "analysis.quadrant.concentrate": {"zh": "重点改进", "en": "concentrate here"},
    "analysis.quadrant.keep_up": {"zh": "继续保持", "en": "keep up"},
    "analysis.quadrant.low_priority": {"zh": "次要", "en": "low priority"},
    "analysis.quadrant.overkill": {"zh": "可能过度", "en": "possible overkill"},
    "analysis.quadrant": {"zh": "象限", "en": "Quadrant"},
    "analysis.item": {"zh": "题目", "en": "Item"},
    "analysis.rank_stated": {"zh": "声明排名", "en": "Stated rank"},
    "analysis.rank_derived": {"zh": "推导排名", "en": "Derived rank"},
    "analysis.rank_gap": {"zh": "排名差 ≥ 3", "en": "Ranks differ by ≥ 3"},
    "analysis.importance": {"zh": "声明重要度与推导重要度", "en": "Stated and derived importance"},
    "analysis.r2": {
        "zh": "推导重要度：总体满意度对各题得分回归的 Johnson 相对权重（占 R² 的比例）；R² = {r2}，{n} 份答全的问卷",
        "en": "Derived importance: Johnson's relative weights in a regression of overall satisfaction on the "
              "items (share of R²); R² = {r2}, {n} questionnaires that answered all",
    },
    "analysis.no_overall": {
        "zh": "工作簿没有“总体满意度”列（表头 overall / 总体满意度 / 整体满意度），因此只有声明重要度",
        "en": "The workbook has no overall-satisfaction column (header overall / 总体满意度 / 整体满意度), "
              "so only stated importance is shown",
    },
    "analysis.too_few_overall": {"zh": "答全所有题目和总体满意度的问卷太少，无法推导重要度",
                                 "en": "Too few questionnaires answered every item and overall: no derived importance"},
    "analysis.gap_note": {"zh": "声明与推导排名相差 3 位及以上：{items}",
                          "en": "Stated and derived ranks differ by 3 or more: {items}"},
    "analysis.terms": {"zh": "客户意见的高频词", "en": "What customers wrote: most frequent terms"},
    "analysis.term": {"zh": "词", "en": "Term"},
    "analysis.count": {"zh": "提及的意见数", "en": "Comments mentioning it"},
    "analysis.previous": {"zh": "上期", "en": "Previous period"},
    "analysis.change": {"zh": "变化", "en": "Change"},
    "analysis.no_comments": {"zh": "本期没有意见建议", "en": "No comments this period"},
    "analysis.low_comments": {"zh": "低分题目（≤ 70%）的不满意意见", "en": "Comments behind the items at or below 70 %"},
    "analysis.low_item": {"zh": "{segment} · {item}（{score}）：{n} 条评分为不满意或更差的意见",
                          "en": "{segment} · {item} ({score}): {n} comments from questionnaires rating it "
                                "dissatisfied or worse"},
    "analysis.no_low_items": {"zh": "本期没有 ≤ 70% 的题目", "en": "No item at or below 70 % this period"},
    "analysis.customer": {"zh": "客户", "en": "Customer"},
    "analysis.respondent": {"zh": "问卷编号", "en": "Respondent"},
    "analysis.comment": {"zh": "意见建议", "en": "Comment"},
    "analysis.adequacy": {"zh": "样本充足性", "en": "Sample adequacy"},
    "analysis.valid": {"zh": "有效问卷", "en": "Valid"},
    "analysis.half": {"zh": "区间半宽", "en": "Half-width"},
    "analysis.needed": {"zh": "达到 ±3 所需问卷", "en": "n for ±3"},
    "analysis.verdict": {"zh": "判断", "en": "Verdict"},
    "analysis.enough": {"zh": "可比较", "en": "enough to compare"},
}
