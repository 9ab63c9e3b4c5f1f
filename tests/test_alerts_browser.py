"""预警中心 in Debian's Chromium on the session's portal server (conftest.py): a district
operator acknowledges an alert with a note, and a leader signed in elsewhere sees it
acknowledged, at desktop and phone widths."""

import pytest
from portal_server import IDLE, SHOTS, failures, metric_value, shoot
from signing import browser_sign_in

from portal.alerts import center

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def open_alerts(browser, server, width, height, role, scope=""):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server)
    browser_sign_in(page, role, scope)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    # the cockpit's line of open alerts leads to the page
    page.get_by_role("link", name="预警中心 · 未处理预警").first.click()
    page.get_by_role("heading", name="预警中心").first.wait_for(timeout=120_000)
    page.locator('[data-testid="stMetric"]').filter(has_text="警告（条）").first.wait_for(timeout=120_000)
    return context, page




def pick(page, alert_id: int) -> None:
    """Choose an alert and wait for the page's run for it to finish (its title in bold, nothing
    stale left), so what is typed next goes into that alert's own note box."""
    title = page.locator('[data-testid="stMarkdown"] strong').filter(has_text=f"#{alert_id} [").first
    for attempt in range(3):  # on a busy machine the typed text can reach the box before it opens
        page.wait_for_function(IDLE, timeout=60_000)
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text="查看或处理一条预警")
        box.locator("input").click()
        page.wait_for_timeout(300)
        page.keyboard.type(f"#{alert_id} ")
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        try:
            title.wait_for(timeout=30_000)
            break
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    page.wait_for_function(IDLE, timeout=60_000)


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_an_operator_acknowledges_and_a_leader_sees_it(tiny_warehouse, server, browser, width, height, name):
    SHOTS.mkdir(exist_ok=True)
    context, page = open_alerts(browser, server, width, height, "district_operator", "510107")
    waiting = center.instances("510107", ("new",))  # the server's check wrote them to the session store
    assert not waiting.empty
    alert_id = int(center.listing(waiting)["alert_id"].iloc[0])
    open_before = int(metric_value(page, "警告（条）")) + int(metric_value(page, "提示（条）"))
    pick(page, alert_id)
    page.get_by_label("说明（处置时必填）").fill(f"已联系社区（{name}）")
    page.get_by_role("button", name="确认预警").click()
    page.get_by_text("状态：已确认").first.wait_for(timeout=60_000)
    assert failures(page) == []
    shoot(page, SHOTS / f"alerts-operator-{name}.png")
    context.close()

    row = center.instances("510107").set_index("alert_id").loc[alert_id]
    assert (row["state"], row["acknowledge_note"]) == ("acknowledged", f"已联系社区（{name}）")

    context, page = open_alerts(browser, server, width, height, "leadership")
    pick(page, alert_id)
    page.get_by_text("状态：已确认").first.wait_for(timeout=60_000)
    assert page.get_by_role("button", name="标记已处置").count() == 1  # a leader may handle it next
    city_open = int(metric_value(page, "警告（条）")) + int(metric_value(page, "提示（条）"))
    assert city_open >= open_before  # acknowledged alerts stay open until handled
    assert failures(page) == []
    page.wait_for_timeout(1000)
    shoot(page, SHOTS / f"alerts-leader-{name}.png")
    context.close()
