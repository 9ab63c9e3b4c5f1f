"""One date for the session in Debian's Chromium: a leader sets the cockpit to a day that is not
the default, then every other page with a date opens on that day through the sidebar's links,
and the sidebar names it."""

import pytest
from portal_server import SHOTS, failures, idle, shoot
from signing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# sidebar link → the page's title, for every other page with a date picker
DATE_PAGES = {"每日简报": "每日简报", "疫情研判": "疫情研判", "密接追踪": "密接追踪与闭环管控", "风险区划定": "风险区划定推演",
              "集中隔离点": "集中隔离点", "涉疫诉求": "涉疫诉求", "核酸采样调度": "核酸采样调度",
              "采样进度与检测": "采样进度与检测"}


def shown_date(page) -> str:
    """The first date picker's value, as the form it belongs to would send it (2022-03-05)."""
    return page.locator('[data-testid="stDateInput"] input[type="date"]').first.input_value()


def test_a_date_set_on_the_cockpit_is_the_date_of_every_page(tiny_warehouse, server, browser):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(server)
    browser_sign_in(page)
    page.get_by_role("heading", name="成都市 · 2022年03月20日").wait_for(timeout=120_000)
    idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("统计日期 2022年3月20日（截至24时）").wait_for(timeout=30_000)

    # type the day into the picker's day field; the date is sent when the field loses focus
    field = page.locator('[data-testid="stDateInput"]').filter(has_text="统计日期").first
    field.locator('[data-type="day"]').click()
    page.keyboard.type("05")
    page.get_by_role("heading", name="指挥总览").click()
    page.get_by_role("heading", name="成都市 · 2022年03月05日").wait_for(timeout=120_000)
    idle(page)
    sidebar.get_by_text("统计日期 2022年3月5日（截至24时）").wait_for(timeout=30_000)
    assert "date=2022-03-05" in page.url

    nav = page.locator('[data-testid="stSidebarNav"]')
    for link, title in DATE_PAGES.items():
        nav.get_by_role("link", name=link, exact=True).click()
        page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=120_000)
        page.locator('[data-testid="stDateInput"]').first.wait_for(state="attached", timeout=120_000)
        idle(page)
        assert shown_date(page) == "2022-03-05", link
        line = sidebar.locator('[data-testid="stCaptionContainer"]').filter(has_text="统计日期").first.inner_text()
        assert line.startswith("统计日期 2022年3月5日"), (link, line)
        assert "date=2022-03-05" in page.url, link
        assert failures(page) == [], link
    shoot(page, SHOTS / "session-date-testing-progress.png")

    # and back on the cockpit the day is still the chosen one
    nav.get_by_role("link", name="指挥总览", exact=True).click()
    page.get_by_role("heading", name="成都市 · 2022年03月05日").wait_for(timeout=120_000)
    context.close()
