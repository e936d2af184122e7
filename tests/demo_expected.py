"""Fixed numbers of the demo data set (csi_core.demo, default seed) with the demo's segment
weights 民用户 60 / 工商业户 30 / 公福用户 10, for the page tests.

Computed once by tests/reference.py (the independent naive implementation, not csi_core)
on ``demo_bytes()``, sent counts summed by hand from its ``sent`` sheet, and pasted here:
a page that shows another number fails, whatever csi_core says. If the demo data change on
purpose, recompute them the same way (see the comment at the end).
"""

PERIODS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"]
TOTAL = [84.87302348522874, 85.2339121971837, 82.63705423610585, 83.73342903481152,
         84.0063224739387, 85.41862340417366, 84.1164909383349, 84.78485798855799]
# 工商业户 (commercial) segment CSI per period
COMMERCIAL = [85.22423982353938, 84.6699413391813, 81.94970172797291, 82.23345132411914,
              83.47502459293116, 86.31377210139625, 84.82290486311385, 84.37376013538068]
# 工商业户 · 维修及时 item score in %
COMMERCIAL_REPAIRS = [85.44117647058819, 84.70588235294115, 59.26470588235294, 62.45901639344261,
                      67.11538461538463, 79.41176470588235, 82.9508196721311, 82.65624999999997]
# customer 华东精密机械有限公司's CSI per period
HUADONG = [90.31446540880506, 81.12582781456953, 73.38435374149661, 84.73429951690821,
           87.30603448275863, 94.24528301886792, 87.99863387978145, 89.20731707317073]
# the falls, read off the series above: (period, previous period)
TOTAL_FALLS = [("2025Q3", "2025Q2"), ("2026Q3", "2026Q2")]
COMMERCIAL_REPAIRS_FALLS = [("2025Q2", "2025Q1"), ("2025Q3", "2025Q2"), ("2026Q4", "2026Q3")]

# 2026Q4 on the overview: segment → (CSI shown, grade, valid questionnaires, weight %)
Q4_SEGMENTS = {"民用户": ("84.6", "一般满意", 177, "60.0"), "工商业户": ("84.4", "一般满意", 76, "30.0"),
               "公福用户": ("87.0", "一般满意", 54, "10.0")}
Q4_TOTAL, Q4_GRADE, Q4_COLOR = "84.8", "一般满意", "#b58900"  # fairly satisfied: 75.1–90
Q4_CHANGE = "+0.7"  # 84.8 − 84.1 (2026Q3), both rounded half-up first
Q4_RESPONSE_RATE = "92.9"  # 316 returned of 340 sent
Q4_VALID_RATE = "97.2"  # 307 valid of 316 returned
Q4_RETURNED = 316
Q3_2025_TOTAL = "82.6"
Q4_HOUSEHOLDS_ONLY = "84.6"  # 民用户 at 100 %: its own CSI
Q4_TOTAL_EQUAL = "85.3"  # equal segment weights: (84.629 + 84.374 + 86.956) / 3 = 85.319

# How: python -c "from tests import reference; ..." with the demo written to a file:
#   ref = reference.compute(path, {"民用户": 60, "工商业户": 30, "公福用户": 10})
#   ref["periods"][p]["csi"], ["segments"][s]["csi"], ["items"][i]["score"], ["customers"][c]["csi"]

# 2026Q4 inputs of the what-if page (full precision, same reference run)
Q4_SEGMENT_CSI = {"民用户": 84.62856167125928, "公福用户": 86.95592945188226, "工商业户": 84.37376013538068}
Q4_COMMERCIAL_ITEM_SCORES = {
    "燃气质量": 0.8539473684210521, "供气稳定性": 0.8763157894736837, "安全检查": 0.8705882352941173,
    "抄表准确": 0.8565789473684204, "收费透明": 0.7216216216216211, "维修及时": 0.8265624999999998,
    "服务态度": 0.8853333333333331, "营业厅环境": 0.865671641791044, "热线服务": 0.8864864864864862,
    "信息告知": 0.794594594594594}
# 民用户's item weights from the "most concerned" ticks, as the sliders show them (%, one decimal)
Q4_HOUSEHOLD_FOCUS_PCT = {"燃气质量": 21.5, "供气稳定性": 15.9, "安全检查": 16.5, "抄表准确": 8.2, "收费透明": 8.8,
                          "维修及时": 9.1, "服务态度": 5.0, "营业厅环境": 2.6, "热线服务": 7.4, "信息告知": 5.0}

# the same weights as the what-if sliders show them: whole points, half-up from the reference's
# full-precision weights (21.47 → 21, not 21.5 → 22)
Q4_HOUSEHOLD_FOCUS_POINTS = {"燃气质量": 21, "供气稳定性": 16, "安全检查": 16, "抄表准确": 8, "收费透明": 9,
                             "维修及时": 9, "服务态度": 5, "营业厅环境": 3, "热线服务": 7, "信息告知": 5}

# 2026Q1's corrective-action flags (reference "actions"): items ≤ 70 % per segment (score in %),
# customers < 80, and 32 customer items ≤ 70 %; the total (84.0) needs no review
Q1_ITEM_FLAGS = {("民用户", "收费透明"): "67.1 %", ("工商业户", "收费透明"): "64.9 %", ("工商业户", "维修及时"): "67.1 %"}
Q1_CUSTOMER_FLAGS = ["恒达纺织有限公司", "绿源洗涤服务有限公司"]
Q1_CUSTOMER_ITEM_FLAGS = 32
Q4_PUBLIC_ITEM_SCORES = {  # 公福用户
    "燃气质量": 0.9150943396226414, "供气稳定性": 0.8942307692307688, "安全检查": 0.8249999999999998,
    "抄表准确": 0.8555555555555552, "收费透明": 0.8555555555555553, "维修及时": 0.857446808510638,
    "服务态度": 0.9148148148148145, "营业厅环境": 0.8891304347826087, "热线服务": 0.9075471698113207,
    "信息告知": 0.809259259259259}
