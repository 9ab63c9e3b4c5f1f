"""指挥大屏 in Chromium: signed in as a display account, at 1920×1080 and 3840×2160 (screenshots
into a temporary folder), and refreshing itself without a reload. The stale banner when the
warehouse stops answering is covered by tests/test_big_screen.py (AppTest): the portal has no
hook to make its embedded engine fail, and the engine lives inside the portal's own process."""

import os
import re

import pytest
from portal_server import serve
from signing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOT_DIR = os.environ.get("EPI_TEST_SHOTS")  # keep the screenshots there instead of a temporary folder


@pytest.fixture(scope="module")
def screen_server(tiny_warehouse, session_audit_store, tmp_path_factory):
    """The portal with the screen refreshing every 2 s and each panel shown for 12 s (drawing the map takes chromium a few seconds)."""
    from conftest import warehouse_copy

    folder = warehouse_copy(tiny_warehouse, tmp_path_factory, "screen-server")
    env = {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{folder}", "EPI_PORTAL_DB": session_audit_store,
           "EPI_SCREEN_REFRESH_SECONDS": "2", "EPI_SCREEN_ROTATE_SECONDS": "12"}
    with serve(env) as url:
        yield url


def open_screen(browser, url, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    browser_sign_in(page, role="display")
    page.locator(".bs-head").wait_for(timeout=90_000)
    return page


def panel(page) -> str:
    return page.locator(".bs-tabs span.on").inner_text()


@pytest.mark.parametrize("width,height", [(1920, 1080), (3840, 2160)])
def test_the_wall_display_at_full_hd_and_4k(tiny_warehouse, screen_server, browser, tmp_path, width, height):
    page = open_screen(browser, screen_server, width, height)
    folder = SHOT_DIR or str(tmp_path)
    path = os.path.join(folder, f"big-screen-{width}x{height}.png")
    for _ in range(3):
        # the overview panel just after it turns up (the clock shows it 12 s in every 48 s here), its map drawn
        page.locator(".bs-tabs span.on", has_text="预警").wait_for(timeout=60_000)
        page.locator(".bs-tabs span.on", has_text="总览").wait_for(timeout=60_000)
        page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=path)
        if panel(page) == "总览" and page.locator('[data-part="alerts"]').count() == 0:
            break
    assert panel(page) == "总览"
    print(f"\nscreenshot: {path}")
    # no sidebar, no toolbar, a dark page, figures large enough to read from five metres
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stToolbar"]').is_visible()
    background = page.evaluate("getComputedStyle(document.querySelector('.stApp')).backgroundColor")
    assert background == "rgb(7, 17, 31)"
    size = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.bs-value')).fontSize)"))
    assert size >= 0.033 * width - 1, size  # 3.3vw: 63 px at 1920, 127 px at 3840
    assert page.locator('[data-key="under_control"] .v').inner_text() == "45"  # 24时在管人员 on 3月20日: 45 control episodes open at 24:00 (raw rows)
    assert page.locator(".bs-title").inner_text() == "成都市 疫情防控指挥大屏"
    box = page.locator('[data-testid="stDeckGlJsonChart"]').first.bounding_box()
    assert box["height"] >= 0.4 * height and box["y"] + box["height"] <= height
    # the whole screen fits the display: nothing to scroll
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight") <= height + 2
    page.close()


def test_the_screen_refreshes_and_turns_without_a_reload(tiny_warehouse, screen_server, browser):
    page = open_screen(browser, screen_server, 1920, 1080)
    page.evaluate("window.__screenMarker = 'kept'")
    navigations = page.evaluate("performance.getEntriesByType('navigation').length")
    stamp = page.locator(".bs-refreshed").inner_text()
    assert re.fullmatch(r"刷新于 \d\d:\d\d:\d\d", stamp)
    seen, stamps = {panel(page)}, {stamp}
    for _ in range(30):  # 15 s: the figures are read again every 2 s, the panel turns every 12 s
        page.wait_for_timeout(500)
        seen.add(panel(page))
        stamps.add(page.locator(".bs-refreshed").inner_text())
    assert len(stamps) >= 3, stamps
    assert len(seen) >= 2, seen
    assert page.evaluate("window.__screenMarker") == "kept"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == navigations == 1
    assert page.locator(".bs-stale").count() == 0
    page.close()
