"""The real thing: `streamlit run` on a copy of the session's tiny warehouse, Debian's Chromium
driven by Playwright, figures read off the screen and compared with the query results."""

import datetime as dt
import time

import pytest
from portal_server import SHOTS, failures, metric_value, shoot
from signing import browser_sign_in

from portal.command import cockpit
from portal.settings import PortalSettings
from portal.tracing import tracing
from queries import registry

LAST_DAY = dt.date(2022, 3, 20)
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def expected(scope_unit: str) -> dict:
    run = lambda name, **p: registry.run(name, "", **p)  # noqa: E731
    return cockpit.compute(run, PortalSettings(), scope_unit, LAST_DAY).total()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_cockpit_in_the_browser_matches_the_queries(tiny_warehouse, server, browser, width, height, name):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    started = time.perf_counter()
    page.goto(server)
    browser_sign_in(page)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    page.locator('[data-testid="stMetric"]').filter(has_text="在管人员").first.wait_for(timeout=90_000)
    ready = time.perf_counter() - started
    print(f"\n{name}: cockpit ready in {ready:.2f} s")
    city = expected("")
    assert metric_value(page, "在管人员（人）") == f"{int(city['under_control']):,}"
    assert metric_value(page, "当日采样（人次）") == f"{int(city['samples_taken']):,}"
    # the top bar carries no developer menu (client.toolbarMode): no English "Deploy" for a leader
    assert page.get_by_text("Deploy", exact=True).count() == 0
    page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    shoot(page, SHOTS / f"cockpit-city-{name}.png")

    # drill into a district through the selector, as a person would
    drill = page.locator('[data-testid="stSelectbox"]').filter(has_text="下钻到")
    drill.locator("input").click()
    page.keyboard.type("锦江区")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="锦江区 · 2022年03月20日").wait_for(timeout=90_000)
    page.wait_for_timeout(1000)
    district = expected("510104")
    assert metric_value(page, "在管人员（人）") == f"{int(district['under_control']):,}"
    assert metric_value(page, "当日采样（人次）") == f"{int(district['samples_taken']):,}"
    shoot(page, SHOTS / f"cockpit-510104-{name}.png")
    page.close()


def test_trajectories_and_companions_in_the_browser(tiny_warehouse, server, browser):
    """Choose the cases of one day, see their map, run the companion search as a person would."""
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(server)
    browser_sign_in(page)
    page.get_by_role("link", name="轨迹与伴随").click()
    page.get_by_text("按确诊日期").click()
    page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(timeout=90_000)
    cases = registry.run("trajectories/case_list", "")
    last_day = cases["confirmed_at"].max().date()
    chosen = cases.loc[cases["confirmed_at"].dt.date == last_day, "case_id"].tolist()
    page.get_by_text(f"{last_day:%m月%d日} 确诊 {len(chosen)} 例").wait_for(timeout=30_000)
    page.get_by_role("button", name="开始研判").click()
    found = tracing.find_companions(lambda name, **p: registry.run(name, "", **p), chosen, window_days=4,
                                    resolution=8, min_overlap_minutes=10, max_dwell_minutes=120)
    page.get_by_text(f"找到 {found['person_id'].nunique():,} 人（{len(found):,} 条伴随关系）").wait_for(timeout=90_000)
    shoot(page, SHOTS / "trajectories-desktop.png")
    page.close()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_zone_proposal_in_the_browser(tiny_warehouse, server, browser, width, height, name):
    """Propose zones from the last four weeks' cases and see the same residents the rules count."""
    from portal.tracing.tracing import stops
    from portal.zones import zoning

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server)
    browser_sign_in(page)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    if name == "phone":
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
    page.get_by_role("link", name="风险区划定").click()
    page.get_by_role("heading", name="风险区划定推演").wait_for(timeout=90_000)
    if name == "phone" and page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()
    days = page.get_by_label("近几天确诊")
    days.fill("28")
    days.press("Enter")
    page.get_by_text("例病例（02-21 至 03-20 确诊）").wait_for(timeout=90_000)
    page.get_by_role("button", name="生成建议方案").click()
    page.get_by_role("heading", name="区域内有什么").wait_for(timeout=90_000)

    run = lambda q, **p: registry.run(q, "", **p)  # noqa: E731
    homes = run("zones/case_homes", as_of=LAST_DAY)
    recent = homes[homes["confirmed_at"].dt.date > LAST_DAY - dt.timedelta(days=28)]
    points = run("trajectories/case_points", case_ids=recent["case_id"].tolist(), window_days=4)
    districts = zoning.district_shapes(run("geo/unit_outlines", unit="", grain=6))
    plan = zoning.propose(recent, stops(points, 30, 120), districts, zoning.ZoneSettings())
    stats, _ = zoning.tier_statistics(run("zones/compound_profile", as_of=LAST_DAY), plan)
    high = stats.set_index("tier").loc["high"]
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stDeckGlJsonChart"]').count() == 1
    assert failures(page) == []
    page.wait_for_timeout(1500)
    shoot(page, SHOTS / f"zones-{name}.png")
    page.get_by_text(f"{int(high['compounds']):,} 个小区 · {int(high['residents']):,} 名居民").first.wait_for(timeout=10_000)
    page.close()
