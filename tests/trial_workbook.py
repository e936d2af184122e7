"""The trial's own workbook (issue 9): 8 quarters of a department's survey whose segments
carry the demo's names (民用户 / 工商业户 / 公福用户) with answers of its own, so the
demo's company weights (60/30/10) would change its totals if they ever leaked.

``python -m tests.trial_workbook out.xlsx`` writes it for trying the app by hand.
"""
from __future__ import annotations

import random
import sys

from tests.conftest import xlsx

PERIODS = tuple(f"{y}Q{q}" for y in (2023, 2024) for q in range(1, 5))
SEGMENTS = ("民用户", "工商业户", "公福用户")
ITEMS = ("燃气质量", "供气稳定性", "抄表准确", "维修及时", "服务态度")
LABELS = ("很满意", "较满意", "一般", "不满意", "很不满意")
# how each segment answers: the chance of each label (很满意 … 很不满意); 工商业户 and 公福用户
# far apart, so equal weights and 60/30/10 give totals more than a grade's step apart
MOOD = {"民用户": (0.30, 0.40, 0.20, 0.07, 0.03), "工商业户": (0.10, 0.30, 0.35, 0.20, 0.05),
        "公福用户": (0.55, 0.35, 0.08, 0.02, 0.00)}
HEADER = ["期间", "客户类型", "客户名称", "问卷编号", *ITEMS, "最关注的项目"]


def rows(seed: int = 9) -> list[list]:
    rng = random.Random(seed)
    out = [HEADER]
    for period in PERIODS:
        for segment in SEGMENTS:
            for k in range(12):
                answers = [rng.choices(LABELS, MOOD[segment])[0] for _ in ITEMS]
                focus = "、".join(rng.sample(ITEMS, 2))
                out.append([period, segment, f"{segment}客户{k % 4 + 1}", f"{period}-{segment}-{k}", *answers, focus])
    return out


def trial_bytes() -> bytes:
    return xlsx(rows())


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as f:
        f.write(trial_bytes())
