"""Figures read whole and say what they count, in Debian's Chromium at 1440 and 390 px: no KPI
label or value on 指挥总览, 每日简报 or 一人一档 is cut with "…", and every KPI card of the cockpit
and the briefing carries its definition on hover."""

import pytest
from portal_server import SHOTS, shoot
from signing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# the label and value elements whose text overflows their box (Streamlit's one-line "…")
CUT = """() => [...document.querySelectorAll('[data-testid=stMetricLabel], [data-testid=stMetricValue]')]
  .flatMap(el => [el, ...el.querySelectorAll('*')])
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText.trim())"""


def open_page(page, link, phone):
    if phone:
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
    page.get_by_role("link", name=link).click()
    page.get_by_role("heading", name=link, exact=True).wait_for(timeout=90_000)
    if phone and page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()


def cards_with_help(page) -> tuple[int, int]:
    cards = page.locator('[data-testid="stMetric"]')
    return cards.count(), cards.filter(has=page.locator('[data-testid="stTooltipIcon"]')).count()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_figures_read_whole_with_their_definitions(tiny_warehouse, wh, audited_server, browser, width, height, name):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(audited_server["url"])
    browser_sign_in(page)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    page.locator('[data-testid="stMetric"]').filter(has_text="密接24小时转运率").first.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    assert page.evaluate(CUT) == []
    shown, helped = cards_with_help(page)
    assert shown >= 19 and helped == shown

    open_page(page, "每日简报", name == "phone")
    page.locator('[data-testid="stMetric"]').filter(has_text="超12小时未出结果（管）").first.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    assert page.evaluate(CUT) == []
    shown, helped = cards_with_help(page)
    assert shown >= 25 and helped == shown
    assert "python -m" not in page.locator('[data-testid="stMain"]').inner_text()
    shoot(page, SHOTS / f"briefing-{name}.png")

    # an asymptomatic case's file: 病例状态 reads "CD-0008 无症状感染者" whole
    phone = wh.scalar("SELECT p.phone FROM epi.case_record AS c INNER JOIN epi.person AS p ON p.person_id = c.person_id "
                      "WHERE c.case_id = 'CD-0008'")
    open_page(page, "一人一档", name == "phone")
    page.get_by_label("身份证号码、手机号码或姓名").fill(phone)
    page.get_by_role("button", name="查询").click()
    status = page.locator('[data-testid="stMetric"]').filter(has_text="病例状态")
    status.wait_for(timeout=90_000)
    page.wait_for_timeout(1000)
    assert status.locator('[data-testid="stMetricValue"]').inner_text().strip() == "CD-0008 无症状感染者"
    assert page.evaluate(CUT) == []
    page.close()
