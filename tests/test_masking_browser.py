"""Masked by default, in Debian's Chromium against a `streamlit run` server with its own audit store: a 锦江区
operator's contact chain shows only masked names (graph and table), the CSV they download is
masked, and the download lands in the server's audit store as an export."""

import datetime as dt
import re

import pandas as pd
import pytest
from portal_server import SHOTS, idle, shoot
from signing import browser_sign_in

from portal.auth import audit
from queries import registry

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCOPE = "510104"


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_an_operator_sees_and_downloads_the_chain_masked(tiny_warehouse, audited_server, browser, monkeypatch,
                                                          width, height, name):
    cases = registry.run("trajectories/case_list", SCOPE)
    chain = registry.run("contacts/chain", SCOPE, case_ids=cases["case_id"].tolist(), as_of=dt.date(2022, 3, 20))
    assert len(chain) == 210
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    page.goto(audited_server["url"])
    page.get_by_label("用户名").wait_for(timeout=90_000)
    browser_sign_in(page, "district_operator", SCOPE)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    if name == "phone":
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
    page.get_by_role("link", name="密接追踪").click()
    page.get_by_role("heading", name="密接追踪与闭环管控").wait_for(timeout=90_000)
    if name == "phone" and page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()
    page.get_by_text("按聚集疫情").first.click()
    download = page.locator(".st-key-chain-csv button")
    download.wait_for(timeout=90_000)
    assert page.get_by_text("显示完整信息").count() == 0  # no toggle for an operator

    # the graph draws each contact by masked name; no full name anywhere on the page
    page.locator('[data-testid="stGraphVizChart"] svg text').first.wait_for(timeout=60_000)
    graph = page.locator('[data-testid="stGraphVizChart"]').first.inner_text()
    main = page.locator('[data-testid="stMain"]').inner_text()
    for full in chain["person_name"]:
        assert full not in main and full not in graph
    # 210 relations are more than the graph draws one by one (40): it counts each case's close
    # and secondary contacts instead, and says so; the names are in the table and the CSV
    hop1 = chain[chain["hop"] == 1].drop_duplicates(["case_id", "to_person_id"])
    assert "密接 " in graph and "图中按病例汇总显示密接、次密接人数" in main
    hop2 = chain[chain["hop"] == 2].drop_duplicates(["case_id", "to_person_id"])
    assert sum(int(n) for n in re.findall(r"(?<!次)密接 (\d+) 人", graph)) == len(hop1)
    assert sum(int(n) for n in re.findall(r"次密接 (\d+) 人", graph)) == len(hop2)

    idle(page)
    with page.expect_download(timeout=90_000) as got:
        download.click()
    csv = pd.read_csv(got.value.path(), encoding="utf-8-sig", dtype=str)
    assert got.value.suggested_filename == "传播链.csv"
    assert len(csv) == 210 and csv["姓名"].tolist() == [n[0] + "*" * (len(n) - 1) for n in chain["person_name"]]
    assert csv["居住社区"].str.startswith(SCOPE).all()

    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    shoot(page, SHOTS / f"masked-chain-{name}.png")
    monkeypatch.setenv("EPI_PORTAL_DB", audited_server["audit"])
    exports = audit.recent("export")
    assert exports.iloc[0][["role", "scope", "subject", "detail"]].tolist() == [
        "district_operator", SCOPE, "export:传播链", "CSV，210 行，含个人信息（姓名），已脱敏"]
    page.close()
