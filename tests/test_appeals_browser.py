"""The appeals and quarantine pages in Debian's Chromium: the session's read-only `streamlit run`
server (conftest.py), figures read off the screen and compared with the queries, at desktop and
phone widths."""

import datetime as dt

import pytest
from portal_server import SHOTS, failures, metric_value, shoot
from signing import browser_sign_in
from test_browser import LAST_DAY

from portal.command import appeals
from portal.settings import PortalSettings
from portal.tracing import quarantine
from queries import registry

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SETTINGS = PortalSettings()


def run(name, **params):
    return registry.run(name, "", **params)


def open_page(page, server, title, phone):
    page.goto(server)
    browser_sign_in(page)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    if phone:
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=90_000)
    if phone and page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_appeals_page_and_drill_down_in_the_browser(tiny_warehouse, server, browser, width, height, name):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    open_page(page, server, "涉疫诉求", name == "phone")
    page.locator('[data-testid="stMetric"]').filter(has_text="近7日受理（件）").first.wait_for(timeout=90_000)
    date_from = LAST_DAY - dt.timedelta(days=6)
    city = appeals.totals(appeals.handling(run, SETTINGS, "", 6, date_from, LAST_DAY))
    assert metric_value(page, "近7日受理（件）") == f"{int(city['received']):,}"
    assert metric_value(page, "超期未办结（件）") == f"{int(city['overdue']):,}"
    page.wait_for_timeout(1500)
    shoot(page, SHOTS / f"appeals-city-{name}.png")

    drill = page.locator('[data-testid="stSelectbox"]').filter(has_text="下钻到")
    drill.locator("input").click()
    page.keyboard.type("锦江区")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="锦江区 · 03月14日至03月20日受理的诉求").wait_for(timeout=90_000)
    page.wait_for_timeout(1000)
    district = appeals.totals(appeals.handling(run, SETTINGS, "510104", 9, date_from, LAST_DAY))
    assert metric_value(page, "近7日受理（件）") == f"{int(district['received']):,}"
    assert metric_value(page, "其中已办结（件）") == f"{int(district['closed']):,}"
    assert failures(page) == []
    shoot(page, SHOTS / f"appeals-510104-{name}.png")
    page.close()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_quarantine_page_in_the_browser(tiny_warehouse, server, browser, width, height, name):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    open_page(page, server, "集中隔离点", name == "phone")
    page.locator('[data-testid="stMetric"]').filter(has_text="在住（人）").first.wait_for(timeout=90_000)
    day = quarantine.default_day(run, {"first_day": dt.date(2022, 2, 10), "last_day": LAST_DAY})
    total = quarantine.totals(quarantine.hotels(run, SETTINGS, "", day))
    assert total["staying"] > 0
    assert metric_value(page, "在住（人）") == f"{total['staying']:,}"
    assert metric_value(page, "应检未检（人）") == f"{total['missing_test_people']:,}"
    assert failures(page) == []
    page.wait_for_timeout(1500)
    shoot(page, SHOTS / f"quarantine-{name}.png")
    page.close()
