"""Signing in with a password in Debian's Chromium, a wrong password's message, and the
administrator's audit log downloaded as a real CSV file."""

from __future__ import annotations

import pandas as pd
import pytest
from portal_server import SHOTS, idle, metric_value, shoot
from signing import SERVER_STORES, TEST_PASSWORD, browser_sign_in, store, user_for
from test_browser import expected

from portal.auth.session import Identity

SIGN_IN_TITLE = "成都市疫情防控指挥平台"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def open_sign_in(browser, url: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.get_by_role("heading", name=SIGN_IN_TITLE).wait_for(timeout=90_000)
    page.get_by_label("用户名").wait_for(timeout=30_000)
    return page


def test_sign_in_with_a_password_and_a_wrong_one_at_1440(tiny_warehouse, server, browser):
    SHOTS.mkdir(exist_ok=True)
    phone = open_sign_in(browser, server, 390, 844)
    shoot(phone, SHOTS / "sign-in-phone.png")
    phone.close()
    page = open_sign_in(browser, server, 1440, 1000)
    shoot(page, SHOTS / "sign-in-desktop.png")
    with store(SERVER_STORES[server]):
        leader = user_for(Identity("测试指挥部领导", "leadership", ""))
    page.get_by_label("用户名").fill(leader.username)
    page.get_by_label("密码", exact=True).fill(TEST_PASSWORD + "x")
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("用户名或密码不正确。").wait_for(timeout=30_000)
    shoot(page, SHOTS / "sign-in-wrong-password-desktop.png")
    assert page.get_by_role("heading", name=SIGN_IN_TITLE).is_visible()

    browser_sign_in(page)  # the same user, the right password
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    page.locator('[data-testid="stMetric"]').filter(has_text="在管人员").first.wait_for(timeout=90_000)
    assert metric_value(page, "在管人员（人）") == f"{int(expected('')['under_control']):,}"
    assert page.locator('[data-testid="stSidebar"]').get_by_text("测试指挥部领导").is_visible()
    page.get_by_role("button", name="退出登录").click()
    page.get_by_text("您已退出登录。").wait_for(timeout=30_000)
    page.close()


def test_the_administrator_downloads_the_audit_log(tiny_warehouse, server, browser, tmp_path):
    page = open_sign_in(browser, server, 1440, 1000)
    with store(SERVER_STORES[server]):
        admin = user_for(Identity("测试系统管理员", "admin", ""))
    page.get_by_label("用户名").fill(admin.username)
    page.get_by_label("密码", exact=True).fill("Wrong-password-1")
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("用户名或密码不正确。").wait_for(timeout=30_000)
    browser_sign_in(page, "admin")
    page.get_by_role("heading", name="用户管理").wait_for(timeout=90_000)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    shoot(page, SHOTS / "users-admin-desktop.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1000)
    shoot(page, SHOTS / "users-admin-phone.png")
    page.set_viewport_size({"width": 1440, "height": 1000})
    assert page.get_by_role("link", name="审计日志").is_visible()
    assert page.get_by_role("link", name="指挥总览").count() == 0
    page.get_by_role("link", name="审计日志").click()
    page.get_by_role("heading", name="审计日志").wait_for(timeout=90_000)
    page.get_by_label("对象（含）").fill("user:")
    page.get_by_role("button", name="查询").click()
    page.get_by_text("共 ").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    shoot(page, SHOTS / "audit-log-desktop.png")
    idle(page)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="下载 CSV").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("审计日志_") and path.suffix == ".csv"
    log = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert list(log.columns) == ["编号", "时间", "事件", "操作人", "角色", "管辖范围", "对象", "说明"]
    assert log["对象"].str.startswith("用户：").all()
    # newest first: the administrator's sign-in just now heads the file
    assert (log.iloc[0]["事件"], log.iloc[0]["操作人"]) == ("登录", "测试系统管理员")
    mine = log[log["对象"] == f"用户：{admin.username}"]
    assert list(mine["事件"])[:2] == ["登录", "登录失败"]
    page.close()
