"""自助分析 in Debian's Chromium against a `streamlit run` server on a copy of the warehouse: a condition
and a group built with the mouse and keyboard preview the hand-counted figures, at desktop width
for an analyst and at phone width for a leader (an operator's own-district preview is tested
with AppTest in test_adhoc_page.py)."""

import pytest
from portal_server import SHOTS, failures, shoot
from signing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
GRID_ROWS = """() => { const t = Array.from(document.querySelectorAll('[data-testid="stDataFrame"] table')).pop();
  return t ? Array.from(t.querySelectorAll('tr')).map(r => Array.from(r.querySelectorAll('th,td')).map(c => c.innerText.trim()))
           : []; }"""


@pytest.mark.parametrize("width,height,name,role,scope", [(1440, 1000, "desktop", "analyst", ""),
                                                          (390, 844, "phone", "leadership", "")])
def test_a_filter_built_in_the_browser_previews_the_figures(tiny_warehouse, wh, audited_server, browser,
                                                            width, height, name, role, scope):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(audited_server["url"])
    browser_sign_in(page, role, scope)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    if name == "phone":
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
    page.get_by_role("link", name="自助分析").click()
    page.get_by_role("heading", name="自助分析", exact=True).wait_for(timeout=90_000)
    if name == "phone" and page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()

    page.get_by_role("button", name="＋ 添加条件").click()
    page.get_by_label("值", exact=True).first.wait_for(timeout=30_000)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="字段").first.click()
    page.get_by_role("option", name="判定日期").click()
    page.wait_for_timeout(800)
    value = page.get_by_label("值", exact=True).first
    value.fill("2022-03-01")
    value.press("Enter")
    page.wait_for_timeout(800)
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="分组字段").click()
    page.keyboard.type("管控类别")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_timeout(800)
    page.get_by_role("button", name="预览").click()
    page.get_by_role("heading", name="预览：人员管控（密接、次密接）").wait_for(timeout=60_000)
    page.locator('[data-testid="stDataFrame"] table').last.wait_for(state="attached", timeout=30_000)

    hand = wh.rows("SELECT toString(kind), count() FROM epi.control_episode WHERE startsWith(community_code, {s:String}) "
                   "AND toDate(identified_at, 'Asia/Shanghai') = '2022-03-01' GROUP BY kind ORDER BY kind", {"s": scope})
    words = {"close_contact": "密切接触者", "secondary_contact": "次密切接触者"}
    rows = [r for r in page.evaluate(GRID_ROWS) if r]
    assert rows[0][-2:] == ["管控类别", "计数"]
    assert [r[-2:] for r in rows[1:]] == [[words[k], f"{n:,}"] for k, n in hand]
    page.get_by_text(f"共 {len(hand)} 组。").wait_for(timeout=10_000)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert ("本辖区（510104）" if scope else "查询范围：全市") in main
    assert failures(page) == []
    page.wait_for_timeout(1000)
    shoot(page, SHOTS / f"adhoc-{name}.png")
    page.close()
