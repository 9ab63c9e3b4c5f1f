"""The mass-testing pages in Debian's Chromium against the session's `streamlit run` server: the
public queue without sign-in, the site map, and a site lead's mark reaching the command view."""

import datetime as dt
import time

import pytest
from portal_server import SHOTS, metric_value, shoot
from signing import browser_sign_in

from portal.settings import PortalSettings
from portal.testing import sampling
from queries import registry

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROUND_4 = dt.date(2022, 3, 8)
S = PortalSettings()


def sign_in(page, url, role="leadership", scope=""):
    page.goto(url)
    browser_sign_in(page, role, scope)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    page.get_by_role("link", name="核酸采样调度").click()
    page.get_by_role("heading", name="核酸采样调度").wait_for(timeout=90_000)


def test_public_queue_opens_without_sign_in(tiny_warehouse, server, browser):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/public_queue")
    page.get_by_role("heading", name="核酸采样点排队查询").wait_for(timeout=90_000)
    page.get_by_text("开放的采样点（").wait_for(timeout=90_000)
    sites = registry.run("mass/site_states", "", unit="", day=dt.date(2022, 3, 20), hour=23)
    open_now = sampling.state_counts(sampling.current_states(sites, None, S))["open"]
    assert metric_value(page, "开放采样点（个）") == f"{open_now:,}"
    assert "站长" not in page.locator('[data-testid="stMain"]').inner_text()
    shoot(page, SHOTS / "public-queue-phone.png")
    # a resident types a site's name: its card, with the district and the update time, fits the
    # phone's width (nothing cut or scrolled sideways)
    site = sites[sites["state"].isin(["clear", "busy", "congested"])].sort_values("site_code").iloc[0]
    district, street = (registry.run("geo/units", "", unit="", grain=n).set_index("unit_code").loc[
        site["community_code"][:n], "name"] for n in (6, 9))
    box = page.get_by_label("搜索采样点")
    box.fill(f"{street} {site['site_name']}")  # site names repeat across the city: with the street, one
    box.press("Enter")
    card = page.locator(f'.pq-card[data-site="{site["site_code"]}"]')
    card.wait_for(timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.pq-card').length === 1", timeout=60_000)
    text = card.inner_text()
    assert site["site_name"] in text and district in text and "更新时间" in text
    for part in (card, card.locator(".pq-where"), card.locator(".pq-when")):
        b = part.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 390, (part, b)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, SHOTS / "public-queue-phone-search.png")
    page.close()
    wide = browser.new_page(viewport={"width": 1440, "height": 1000})
    wide.goto(server + "/public_queue")
    wide.get_by_text("开放的采样点（").wait_for(timeout=90_000)
    wide.wait_for_timeout(1000)
    shoot(wide, SHOTS / "public-queue-desktop.png")
    wide.close()


def test_site_map_and_a_mark_reaching_the_command_view(tiny_warehouse, server, browser):
    SHOTS.mkdir(exist_ok=True)
    lead = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(lead, server)
    lead.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(timeout=90_000)
    counts = sampling.state_counts(sampling.current_states(
        registry.run("mass/site_states", "", unit="", day=ROUND_4, hour=10), None, S))
    assert metric_value(lead, "开放采样点（个）") == f"{counts['open']:,}"
    assert metric_value(lead, "拥堵采样点（个）") == f"{counts['congested']:,}"
    lead.wait_for_timeout(1500)
    shoot(lead, SHOTS / "mass-testing-map-desktop.png")
    lead.set_viewport_size({"width": 390, "height": 844})
    lead.wait_for_timeout(1500)
    shoot(lead, SHOTS / "mass-testing-map-phone.png")
    lead.set_viewport_size({"width": 1440, "height": 1000})
    lead.get_by_role("tab", name="现场标记").click()
    lead.get_by_text("暂无现场标记").wait_for(timeout=30_000)

    operator = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(operator, server, "district_operator", "510104")
    operator.get_by_role("tab", name="现场标记").click()
    form = operator.locator('[data-testid="stForm"]')
    form.wait_for(timeout=30_000)

    def fill(code: str, state: str, wait: int):
        box = form.locator('[data-testid="stSelectbox"] input')
        box.click()
        box.fill(code)
        operator.keyboard.press("Enter")
        form.get_by_text(state, exact=True).click()
        form.locator('input[type="number"]').fill(str(wait))

    fill("HS-510104-9999", "繁忙", 30)
    form.get_by_role("button", name="提交标记").click()
    operator.get_by_text("采样点编码“HS-510104-9999”不存在").wait_for(timeout=30_000)

    fill("HS-510104-0012", "繁忙", 70)
    form.get_by_role("button", name="提交标记").click()
    sent = time.perf_counter()
    alert = lead.locator('[data-testid="stAlert"]').filter(has_text="HS-510104-0012")
    alert.wait_for(timeout=30_000)
    seen = time.perf_counter() - sent
    print(f"\nmark visible on the command view {seen:.2f} s after the site lead pressed submit")
    assert seen <= 5.0
    assert "70 分钟" in alert.inner_text()
    operator.get_by_text("已标记 HS-510104-0012").wait_for(timeout=30_000)

    form.get_by_role("button", name="提交标记").click()  # the same mark again
    operator.get_by_text("重复提交不会重复记录").wait_for(timeout=30_000)
    lead.wait_for_timeout(S.live_refresh_s * 1000 + 1000)
    assert lead.get_by_text("的现场标记（1 条）").is_visible()
    shoot(lead, SHOTS / "mass-testing-live-desktop.png")
    shoot(operator, SHOTS / "mass-testing-mark-desktop.png")
    operator.close()
    lead.close()
