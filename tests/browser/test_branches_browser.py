"""Branches and competitors in Chromium, as a quality engineer does it (issue 12): the
headquarters' workbook (with competitor questionnaires) imported, then a branch's workbook
for the same quarter, which the upload page says it adds; the sidebar's branch picker then
shows the branch's own CSI (tests/reference.py on the branch's rows alone), and the
competitors page the competitor scored with our weights. Screenshots in test-artifacts/."""
from __future__ import annotations

from playwright.sync_api import expect

from tests import reference
from tests.browser.helpers import goto, shot, wait_idle
from tests.conftest import xlsx

ITEMS = ["产品质量", "交付及时", "技术支持"]
LEVELS = ["很满意", "较满意", "一般", "不满意", "很不满意"]


def rows(n: int, shift: int, branch: str | None = None, competitor: str | None = None, with_columns: bool = True):
    out = []
    for k in range(n):
        answers = [LEVELS[(k * (j + 1) + shift) % 5 if (k + j) % 3 else shift % 5] for j in range(len(ITEMS))]
        lead = ["2026Q3", "整车厂" if k % 3 else "零部件", f"客户{k % 7}"]
        out.append([*lead, *([branch, competitor] if with_columns else []), *answers, "A、B" if k % 2 else "C"])
    return out


HEADER = ["季度", "客户类型", "客户名称", "分公司", "竞争对手", *ITEMS, "最关注的项目"]
HQ = xlsx([HEADER, *rows(24, 0), *rows(12, 2, competitor="博世")])
NORTH = xlsx([HEADER, *rows(18, 1, branch="华北分公司")])


def upload(page, base, name: str, data: bytes) -> None:
    goto(page, base, "upload")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    wait_idle(page, timeout=60000)


def test_a_branch_adds_to_the_quarter_and_the_picker_shows_its_csi(streamlit_server, page, tmp_path):
    alone = tmp_path / "north_alone.xlsx"
    alone.write_bytes(xlsx([[h for h in HEADER if h not in ("分公司", "竞争对手")],
                            *rows(18, 1, with_columns=False)]))
    expected = f"{reference.half_up(reference.compute(str(alone))['periods']['2026Q3']['csi']):.1f}"

    base = streamlit_server("app.py")
    upload(page, base, "hq.xlsx", HQ)
    expect(page.get_by_text("2026Q3 博世 12 份")).to_be_visible()  # named, never in our scores
    page.get_by_role("button", name="导入", exact=True).click()
    wait_idle(page, timeout=60000)
    expect(page.get_by_text("已导入")).to_be_visible()

    upload(page, base, "north.xlsx", NORTH)
    expect(page.get_by_text("加入该期间（已有的分公司保留）")).to_be_visible()
    shot(page, "branches-upload-1600")
    page.get_by_role("button", name="导入", exact=True).click()  # no replace asked: it adds
    wait_idle(page, timeout=60000)
    expect(page.get_by_text("已导入 18 份问卷")).to_be_visible()

    goto(page, base)
    company = page.locator("#csi-total").inner_text()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="华北分公司").click()
    wait_idle(page)
    expect(page.locator("#csi-total")).to_have_text(expected)
    assert expected != company
    expect(page.get_by_text("显示：华北分公司")).to_be_visible()
    shot(page, "branches-overview-1600")

    goto(page, base, "competitors")  # the choice stays with the session: the branch has no competitor rows
    sidebar.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="全公司").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="博世").first).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 720})
    shot(page, "branches-competitors-1280")
