"""Accounts the browser benchmarks sign in with: one per role and scope in the portal's
relational store (EPI_PORTAL_DB), given a fresh random password on each run (never printed or kept)."""

from __future__ import annotations

from portal.auth import users


def account(role: str, scope: str = "") -> tuple[str, str]:
    """The benchmark's username for a role and scope, and a password just set for it."""
    username = f"bench-{role.replace('_', '-')}{'-' + scope if scope else ''}"
    password = users.generate_password()
    if users.get(username) is None:
        # the scope is one of the seeded city's districts; the benchmark's server holds the warehouse
        users.add(username, f"基准测试（{username}）", role, scope, password, scope_exists=None)
    else:
        users.set_active(username, True)
        users.set_password(username, password)
    return username, password


def sign_in(page, username: str, password: str) -> None:
    """Type the account on the portal's sign-in page (a Playwright page opened on the portal)."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
