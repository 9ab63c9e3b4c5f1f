"""排查专题 and 一人一档 in Debian's Chromium against a `streamlit run` server with its own audit store:
the figures a person sees equal the raw records, a phone search with +86 opens the file with
masked identity, and the view lands in the server's audit store."""

import pytest
from portal_server import SHOTS, failures, shoot
from signing import browser_sign_in

from portal.auth import audit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def open_page(page, url, link, phone):
    page.goto(url)
    browser_sign_in(page)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    if phone:
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
    page.get_by_role("link", name=link).click()
    page.get_by_role("heading", name=link, exact=True).wait_for(timeout=90_000)
    if phone and page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()


def metric_value(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_screening_records_and_a_person_file_in_the_browser(tiny_warehouse, wh, audited_server, browser, monkeypatch,
                                                            width, height, name):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    open_page(page, audited_server["url"], "排查专题", name == "phone")
    page.get_by_role("tab", name="专题名单").click()
    page.locator('[data-testid="stMetric"]').filter(has_text="来源记录").first.wait_for(timeout=90_000)
    raw = wh.query_df("SELECT dup_group FROM epi.screening_record WHERE topic_id = 1")
    assert metric_value(page, "来源记录（条，全部保留）") == f"{len(raw):,}"
    assert metric_value(page, "排重后人员（组）") == f"{raw['dup_group'].nunique():,}"
    page.wait_for_timeout(1000)
    shoot(page, SHOTS / f"screening-records-{name}.png")

    person = wh.query_df("SELECT person_id, phone, id_number FROM epi.person WHERE person_id IN "
                         "(SELECT person_id FROM epi.screening_record WHERE topic_id = 1) ORDER BY person_id LIMIT 1").iloc[0]
    open_page(page, audited_server["url"], "一人一档", name == "phone")
    page.get_by_label("身份证号码、手机号码或姓名").fill(f"+86 {person.phone[:3]} {person.phone[3:7]} {person.phone[7:]}")
    page.get_by_role("button", name="查询").click()
    page.get_by_text("按手机号码找到 1 人").wait_for(timeout=90_000)
    page.get_by_role("heading", name="的档案").wait_for(timeout=90_000)
    page.get_by_role("heading", name="时间线").wait_for(timeout=90_000)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert f"{person.id_number[:6]}********{person.id_number[-4:]}" in main
    assert person.id_number not in main and person.phone not in main
    assert failures(page) == []
    page.wait_for_timeout(1000)
    shoot(page, SHOTS / f"person-file-{name}.png")
    monkeypatch.setenv("EPI_PORTAL_DB", audited_server["audit"])
    assert f"person:{person.person_id}" in set(audit.recent("person_file_view")["subject"])
    page.close()
