"""Strings of the first real quarter: the demo apart from the user's data, the weights in
force and where they come from, the what-if baseline (issue 9)."""
from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- the demo, apart ------------------------------------------------------------------
    "demo.banner": {"zh": "演示数据：一家燃气公司 8 个季度的示例，不是您的数据。",
                    "en": "Demo data: 8 quarters of a sample gas utility, not your data."},
    "demo.banner_upload": {
        "zh": "在“上传”页导入您自己的工作簿，它会存入您自己的数据库，不与演示数据混合。",
        "en": "Import your own workbook on the Upload page: it goes into your own database, never among the demo's."},
    "demo.banner_mine": {"zh": "您自己的数据另存一处，没有改变。", "en": "Your own data is kept apart and unchanged."},
    "demo.remove": {"zh": "移除演示数据", "en": "Remove the demo"},
    "demo.back_to_mine": {"zh": "返回我的数据", "en": "Back to my data"},
    "demo.show": {"zh": "查看演示数据", "en": "Show the demo"},
    "demo.loading": {"zh": "正在准备演示数据（一家燃气公司 8 个季度），稍候自动显示。您也可以直接在“上传”页导入自己的数据。",
                     "en": "Preparing the demo data (a gas utility, 8 quarters); it appears in a moment. You can also "
                           "import your own data on the Upload page right away."},
    # --- the weights in force ------------------------------------------------------------
    "weights_used.company": {"zh": "类型权重：{weights}（公司默认）", "en": "Segment weights: {weights} (company default)"},
    "weights_used.equal": {"zh": "类型权重：{weights}（等权：未设定公司权重）",
                           "en": "Segment weights: {weights} (equal: no company weights set)"},
    "weights_used.unnamed": {
        "zh": "类型权重：{weights}（等权：公司权重没有为 {segments} 设定）",
        "en": "Segment weights: {weights} (equal: the company weights were not set for {segments})"},
    "weights_used.items_company": {"zh": "题目重要度：公司默认（{segments}）。",
                                   "en": "Item importances: company default ({segments})."},
    "calc.period_unnamed_segments": {
        "zh": "{period}：公司类型权重没有为 {segments} 设定，本期按类型等权；可在“权重模拟”中设定",
        "en": "{period}: the company segment weights were not set for {segments}; segments weighted equally "
              "this period. Set them on the What-if page"},
    # --- upload: which weights the new data's totals will use --------------------------------------
    "upload.weights_equal": {
        "zh": "这次导入的客户类型（{segments}）没有公司权重：总体 CSI 将按类型等权计算。",
        "en": "The segments of this import ({segments}) have no company weights: the overall CSI will weight "
              "them equally."},
    "upload.weights_company": {
        "zh": "总体 CSI 将按公司类型权重计算：{weights}。",
        "en": "The overall CSI will use the company segment weights: {weights}."},
    "upload.weights_unnamed": {
        "zh": "公司类型权重没有为 {segments} 设定：含有这些类型的期间将按类型等权计算。",
        "en": "The company segment weights were not set for {segments}: periods holding them will weight the "
              "segments equally."},
    "upload.set_weights": {"zh": "导入前设定类型权重", "en": "Set segment weights before the import"},
    "upload.set_weights_help": {
        "zh": "填写各类型的权重（如市场份额，任意正数，自动归一）。保存后即为公司默认，适用于这些类型。",
        "en": "Give each segment a weight (a market share, any positive numbers; normalised). Saved as the "
              "company default for these segments."},
    "upload.save_weights": {"zh": "保存为公司类型权重", "en": "Save as the company segment weights"},
    "upload.weights_saved": {"zh": "公司类型权重已保存：{weights}。", "en": "Company segment weights saved: {weights}."},
    "upload.weights_zero": {"zh": "权重合计为 0，未保存。", "en": "The weights add up to 0: not saved."},
    "upload.drop_hint_short": {"zh": "可把 .xlsx 文件拖到这里", "en": "Or drop an .xlsx file here"},
    "upload.browse": {"zh": "选择文件", "en": "Browse files"},
    "upload.limit": {"zh": "单个文件不超过 {size}", "en": "Up to {size} per file"},
    # --- overview ----------------------------------------------------------------------
    "overview.above_line": {"zh": "≥ 80：无需纠正措施评审（纠正措施线 80）",
                            "en": "≥ 80: no corrective-action review needed (action line 80)"},
    # --- what-if: the baseline named for what it is -----------------------------------------
    "weights.vs_company": {"zh": "较公司默认权重 {delta}", "en": "{delta} vs company default"},
    "weights.vs_survey_equal": {"zh": "较问卷权重（类型等权）{delta}", "en": "{delta} vs survey weights (equal segments)"},
    "weights.vs_base": {"zh": "较基准 {delta}", "en": "{delta} vs baseline"},
    "weights.baseline_company": {"zh": "公司默认权重", "en": "Company default"},
    "weights.baseline_survey": {"zh": "问卷权重（类型等权）", "en": "Survey weights (equal segments)"},
    "weights.from_company": {"zh": "公司默认重要度", "en": "Company default importances"},
    "weights.reset_to_company": {"zh": "恢复公司默认权重", "en": "Reset to the company default"},
    "weights.save_items_default": {"zh": "把 {segment} 的题目重要度设为公司默认…",
                                   "en": "Make the item importances of {segment} the company default…"},
    "weights.confirm_items_default": {
        "zh": "确认把 {segment} 的公司默认题目重要度改为 {weights}？总览、推移图、纠正措施和报告都会按它计算（代替“最关注的项目”）。",
        "en": "Change the company's default item importances of {segment} to {weights}? The overview, run charts, "
              "corrective actions and reports will all use them (instead of the focus question)."},
    "weights.items_default_saved": {"zh": "{segment} 的公司默认题目重要度已更新。",
                                    "en": "The company default item importances of {segment} were changed."},
    "weights.items_company_now": {"zh": "公司默认题目重要度：{segments}", "en": "Company default item importances: {segments}"},
    "weights.items_company_none": {"zh": "题目重要度：未设定公司默认，使用每期“最关注的项目”。",
                                   "en": "Item importances: no company default; each period's focus question is used."},
    "weights.clear_items_default": {"zh": "删除 {segment} 的公司默认题目重要度", "en": "Remove the company default of {segment}"},
    "weights.items_default_cleared": {"zh": "{segment} 恢复使用“最关注的项目”权重。",
                                      "en": "{segment} uses the focus question's weights again."},
}
