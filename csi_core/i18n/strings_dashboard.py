"""Strings of the app shell, overview, what-if weights and run-chart screens.

Keys: ``page.key``; each entry ``{"zh": ..., "en": ...}``, Chinese first.
"""

STRINGS: dict[str, dict[str, str]] = {
    # --- app shell -------------------------------------------------------------------
    "app.title": {"zh": "客户满意度指数 CSI", "en": "Customer satisfaction index (CSI)"},
    "app.page.overview": {"zh": "总览", "en": "Overview"},
    "app.page.upload": {"zh": "上传", "en": "Upload"},
    "app.page.weights": {"zh": "权重模拟", "en": "What-if weights"},
    "app.page.trends": {"zh": "推移图", "en": "Run charts"},
    "app.page.actions": {"zh": "纠正措施", "en": "Corrective actions"},
    "app.page.data": {"zh": "数据", "en": "Data"},
    "app.page.report": {"zh": "报告", "en": "Report"},
    "app.language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "app.period": {"zh": "调查期", "en": "Survey period"},
    "app.period_not_stored": {"zh": "链接中的调查期“{period}”没有数据，显示最新一期。",
                              "en": "The link's period '{period}' has no data; the latest is shown."},
    "app.no_data": {
        "zh": "数据库里还没有问卷数据。请在“上传”页导入调查工作簿。",
        "en": "No survey data stored yet. Import a survey workbook on the Upload page.",
    },
    "app.db_locked": {
        "zh": "数据库文件 {path} 正被另一个程序占用（可能是另一个仪表盘或命令行导入）。"
              "请关闭那个程序后刷新本页。",
        "en": "The database file {path} is in use by another program (another dashboard, or a "
              "command-line import). Close that program, then reload this page.",
    },
    "app.db_error": {
        "zh": "无法打开数据库：{detail}",
        "en": "The database cannot be opened: {detail}",
    },
    "app.demo_loaded": {
        "zh": "当前显示的是演示数据（燃气公司 8 个季度）。",
        "en": "You are looking at demo data (a gas utility, 8 quarters).",
    },
    "app.demo_failed": {
        "zh": "首次启动时未能载入演示数据：{detail}",
        "en": "The demo data could not be loaded on first start: {detail}",
    },
    "app.error": {
        "zh": "抱歉，这一页出了意外问题，没有显示完整。数据没有改变。请刷新页面重试；"
              "如果问题仍然存在，请把下面的详细信息发给管理员。",
        "en": "Sorry, something unexpected went wrong and this page is incomplete. No data was "
              "changed. Reload the page to try again; if it keeps happening, send the details "
              "below to your administrator.",
    },
    "app.error_details": {"zh": "详细信息（供管理员）", "en": "Details (for the administrator)"},
    "app.bad_weights": {
        "zh": "这组权重无法使用：{detail}",
        "en": "These weights cannot be used: {detail}",
    },
    # --- shared pieces ---------------------------------------------------------------
    "common.csi": {"zh": "CSI", "en": "CSI"},
    "common.total_csi": {"zh": "总体 CSI", "en": "Overall CSI"},
    "common.grade": {"zh": "等级", "en": "Grade"},
    "common.segment": {"zh": "客户类型", "en": "Segment"},
    "common.item": {"zh": "题目", "en": "Item"},
    "common.customer": {"zh": "客户", "en": "Customer"},
    "common.period": {"zh": "调查期", "en": "Period"},
    "common.weight": {"zh": "权重", "en": "Weight"},
    "common.score": {"zh": "得分", "en": "Score"},
    "common.valid": {"zh": "有效问卷", "en": "Valid responses"},
    "common.valid_n": {"zh": "有效问卷 {n} 份", "en": "{n} valid responses"},
    "common.weight_pct": {"zh": "权重 {pct}", "en": "weight {pct}"},
    "common.no_value": {"zh": "—", "en": "—"},
    "common.vs_previous": {"zh": "较上期（{period}）{delta}", "en": "{delta} vs {period}"},
    "common.no_previous": {"zh": "无上期数据", "en": "no previous period"},
    "common.how_computed": {"zh": "计算说明（剔除的题目和客户类型等）", "en": "How this was computed (dropped items and segments…)"},
    "common.no_notes": {"zh": "所有题目和客户类型均参与计算，没有剔除。", "en": "Every item and segment took part; nothing was dropped."},
    "common.method_line": {
        "zh": "题目得分 = 各级答案占比 × 系数（1 / 0.8 / 0.5 / 0.2 / 0）；类型 CSI = 100 × Σ 题目权重 × 题目得分；"
              "总体 CSI = Σ 类型权重 × 类型 CSI。得分四舍五入到一位小数后再定等级。",
        "en": "Item score = share of answers at each level × coefficient (1 / 0.8 / 0.5 / 0.2 / 0); segment "
              "CSI = 100 × Σ item weight × item score; overall CSI = Σ segment weight × segment CSI. Scores are "
              "rounded half-up to one decimal before a grade is given.",
    },
    "common.weights_used": {"zh": "使用的类型权重：{weights}", "en": "Segment weights used: {weights}"},
    "common.equal_weights": {"zh": "（未设定公司权重，按等权）", "en": "(no company weights set: equal)"},
    # --- overview --------------------------------------------------------------------
    "overview.title": {"zh": "总览 · {period}", "en": "Overview · {period}"},
    "overview.segments": {"zh": "各客户类型", "en": "Segments"},
    "overview.rates": {"zh": "回收与有效", "en": "Returns"},
    "overview.response_rate": {"zh": "回收率", "en": "Response rate"},
    "overview.valid_rate": {"zh": "有效率", "en": "Valid rate"},
    "overview.target": {"zh": "目标 {target}", "en": "target {target}"},
    "overview.vs_target": {"zh": "{diff}（目标{target}）", "en": "{diff} (target {target})"},
    "overview.no_sent": {"zh": "未提供发放数", "en": "no sent count given"},
    "overview.returned": {"zh": "回收 {returned} 份，有效 {valid} 份，无效 {invalid} 份",
                          "en": "{returned} returned, {valid} valid, {invalid} invalid"},
    "overview.open_actions": {"zh": "未关闭的纠正措施", "en": "Open actions"},
    "overview.flags": {"zh": "本期需要纠正措施：{n} 项", "en": "Needing action this period: {n}"},
    "overview.satisfaction": {"zh": "满意率", "en": "Satisfaction rate"},
    "overview.trend": {"zh": "总体 CSI 走势", "en": "Overall CSI trend"},
    "overview.review": {"zh": "低于 80：需要组织纠正措施评审", "en": "Below 80: a corrective-action review is needed"},
    "overview.grade_a": {"zh": "≥ 80：A 级（顾客满意）", "en": "≥ 80: grade A (customers satisfied)"},
    # --- what-if weights -------------------------------------------------------------
    "weights.title": {"zh": "权重模拟 · {period}", "en": "What-if weights · {period}"},
    "weights.intro": {
        "zh": "拖动滑块，所有数字立即跟着变化。这里的改动只影响本页，不会改变公司权重。",
        "en": "Move a slider and every number follows at once. Changes here stay on this page; "
              "the company weights do not change.",
    },
    "weights.segment_weights": {"zh": "客户类型权重（权重1）", "en": "Segment weights (weight 1)"},
    "weights.normalised_help": {"zh": "滑块为相对权重（0–100），右侧数字为归一后的权重，合计 100 %。",
                                "en": "Sliders set relative weights (0–100); the numbers beside them are the "
                                      "weights normalised to 100 %."},
    "weights.item_weights": {"zh": "题目重要度（权重2）", "en": "Item importance (weight 2)"},
    "weights.item_help": {
        "zh": "初始值为“最关注的项目”统计出的权重（%）。未动过的类型使用问卷的精确权重。",
        "en": "Starts from the focus-question weights (%). A segment whose sliders were not "
              "moved uses the survey's exact weights.",
    },
    "weights.from_survey": {"zh": "问卷权重", "en": "survey weights"},
    "weights.user_set": {"zh": "已调整", "en": "adjusted"},
    "weights.reset": {"zh": "恢复问卷权重", "en": "Reset to survey weights"},
    "weights.reset_items": {"zh": "恢复本类型的问卷权重", "en": "Reset this segment to survey weights"},
    "weights.result": {"zh": "模拟结果", "en": "Result"},
    "weights.vs_survey": {"zh": "较问卷权重 {delta}", "en": "{delta} vs survey"},
    "weights.contribution": {"zh": "各类型对总体 CSI 的贡献（权重 × CSI）", "en": "Contribution to the overall CSI (weight × CSI)"},
    "weights.item_contribution": {"zh": "{segment}：各题目的贡献（权重 × 得分）", "en": "{segment}: item contributions (weight × score)"},
    "weights.items_table": {"zh": "题目明细", "en": "Items"},
    "weights.col_weight": {"zh": "权重 %", "en": "Weight %"},
    "weights.col_score": {"zh": "得分 %", "en": "Score %"},
    "weights.col_contribution": {"zh": "贡献", "en": "Contribution"},
    "weights.col_action": {"zh": "≤70% 需措施", "en": "≤70 %: action"},
    "weights.scenarios": {"zh": "方案", "en": "Scenarios"},
    "weights.scenario_name": {"zh": "方案名称", "en": "Scenario name"},
    "weights.save_scenario": {"zh": "保存当前权重为方案", "en": "Save these weights as a scenario"},
    "weights.saved": {"zh": "已保存方案“{name}”", "en": "Scenario '{name}' saved"},
    "weights.need_name": {"zh": "请先输入方案名称", "en": "Give the scenario a name first"},
    "weights.compare": {"zh": "方案对比", "en": "Compare scenarios"},
    "weights.no_scenarios": {"zh": "还没有保存的方案。", "en": "No scenario saved yet."},
    "weights.survey_column": {"zh": "问卷权重", "en": "Survey weights"},
    "weights.current_column": {"zh": "当前滑块", "en": "Current sliders"},
    "weights.row_total": {"zh": "总体 CSI", "en": "Overall CSI"},
    "weights.row_grade": {"zh": "等级", "en": "Grade"},
    "weights.row_segment": {"zh": "{segment} CSI", "en": "{segment} CSI"},
    "weights.row_weight": {"zh": "{segment} 权重", "en": "{segment} weight"},
    "weights.load": {"zh": "载入方案", "en": "Load scenario"},
    "weights.load_button": {"zh": "载入到滑块", "en": "Load into the sliders"},
    "weights.delete_button": {"zh": "删除方案", "en": "Delete scenario"},
    "weights.deleted": {"zh": "已删除方案“{name}”", "en": "Scenario '{name}' deleted"},
    "weights.scenario_link": {"zh": "这个方案的链接", "en": "Link to this scenario"},
    "weights.share": {"zh": "分享链接", "en": "Share link"},
    "weights.share_help": {
        "zh": "复制下面的链接，打开后会看到同样的权重。",
        "en": "Copy this link: whoever opens it sees these same weights.",
    },
    "weights.link_loaded": {"zh": "已从链接载入权重。", "en": "Weights loaded from the link."},
    "weights.link_ignored": {"zh": "链接里的部分权重无法使用，已忽略：{detail}", "en": "Part of the link's weights could not be used and was ignored: {detail}"},
    "weights.company_default": {"zh": "公司默认权重", "en": "Company default weights"},
    "weights.company_now": {"zh": "当前公司类型权重：{weights}", "en": "Current company segment weights: {weights}"},
    "weights.save_default": {"zh": "把当前类型权重设为公司默认…", "en": "Make these segment weights the company default…"},
    "weights.confirm_default": {
        "zh": "确认把公司默认的客户类型权重改为 {weights}？总览、推移图、纠正措施和报告都会按新权重计算。",
        "en": "Change the company's default segment weights to {weights}? The overview, run charts, "
              "corrective actions and reports will all use them.",
    },
    "weights.confirm": {"zh": "确认修改", "en": "Yes, change them"},
    "weights.cancel": {"zh": "取消", "en": "Cancel"},
    "weights.default_saved": {"zh": "公司默认权重已更新。", "en": "The company default weights were changed."},
    "weights.default_items_note": {
        "zh": "题目权重始终来自每期问卷的“最关注的项目”，不保存为默认。",
        "en": "Item weights always come from each period's focus question; they are not saved as a default.",
    },
    "weights.name_taken": {"zh": "已有名为“{name}”的方案：请换一个名称，或先删除原方案。",
                           "en": "A scenario named '{name}' exists: choose another name, or delete that one first."},
    "weights.items_all_zero": {
        "zh": "{segment}：所有题目的重要度都是 0，无法计算；在至少一个题目大于 0 之前，该类型使用问卷权重。",
        "en": "{segment}: every item importance is 0, which cannot be computed; this segment uses the survey "
              "weights until one item is above 0.",
    },
    "weights.all_zero": {"zh": "所有客户类型的权重都是 0，无法计算；下面显示的是问卷权重的结果，把任一滑块调到 0 以上即可。",
                         "en": "Every segment weight is 0, which cannot be computed: the survey weights' result is "
                               "shown below until one slider is above 0."},
    # --- run charts ------------------------------------------------------------------
    "trends.title": {"zh": "推移图", "en": "Run charts"},
    "trends.what": {"zh": "查看", "en": "Show"},
    "trends.kind.total": {"zh": "总体", "en": "Overall"},
    "trends.kind.segment": {"zh": "客户类型", "en": "Segment"},
    "trends.kind.item": {"zh": "题目", "en": "Item"},
    "trends.kind.customer": {"zh": "客户", "en": "Customer"},
    "trends.customer_pick": {"zh": "客户（可输入搜索）", "en": "Customer (type to search)"},
    "trends.chart_total": {"zh": "总体 CSI", "en": "Overall CSI"},
    "trends.chart_segment": {"zh": "{segment} CSI", "en": "{segment} CSI"},
    "trends.chart_item": {"zh": "{segment} · {item} 得分（%）", "en": "{segment} · {item} score (%)"},
    "trends.chart_customer": {"zh": "客户 {customer} CSI", "en": "Customer {customer} CSI"},
    "trends.all_items": {"zh": "{segment} 各题目得分（%）", "en": "{segment}: every item's score (%)"},
    "trends.falls": {"zh": "下降的调查期（需分析原因）", "en": "Falls from the previous period (to analyse)"},
    "trends.no_falls": {"zh": "没有比上期下降的调查期。", "en": "No period fell below the one before."},
    "trends.col_period": {"zh": "调查期", "en": "Period"},
    "trends.col_previous_period": {"zh": "上期", "en": "Previous"},
    "trends.col_previous": {"zh": "上期值", "en": "Previous value"},
    "trends.col_value": {"zh": "本期值", "en": "Value"},
    "trends.col_change": {"zh": "变化", "en": "Change"},
    "trends.no_series": {"zh": "这个选择没有数据。", "en": "No data for this choice."},
    "trends.one_period": {"zh": "只有一个调查期，走势要等下一期数据。", "en": "Only one period so far: the trend needs the next one."},
    "trends.legend": {
        "zh": "背景色为等级区间；红点为比上期下降的调查期；虚线为 80 分（CSI）或 70%（题目）界线。",
        "en": "Background colours are the grade bands; red points fell from the period before; the dashed "
              "line is 80 (CSI) or 70 % (items).",
    },
    # --- charts ------------------------------------------------------------------------
    "charts.fall": {"zh": "▼ {change}", "en": "▼ {change}"},
    "charts.line_csi": {"zh": "80 分", "en": "80"},
    "charts.line_item": {"zh": "70%", "en": "70 %"},
    "charts.contribution_text": {"zh": "{weight} × {score} = {value}", "en": "{weight} × {score} = {value}"},
}
