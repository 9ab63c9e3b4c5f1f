"""How tests sign in: one place, so every AppTest and browser test signs in the same way.

Each identity a test asks for becomes a real user in the audit store (created once, with a
known test password), and signs in through a real session: AppTests get a session token in
their state, browser tests type the username and password on the sign-in page.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from urllib.parse import urlsplit

from portal.auth import users
from portal.auth.session import TOKEN_KEY, Identity

TEST_PASSWORD = "Test-sign-in-2022"
# the audit store of each portal server a browser test started (tests/portal_server.py), by origin
SERVER_STORES: dict[str, str] = {}


def username_for(identity: Identity) -> str:
    key = f"{identity.name}|{identity.role}|{identity.scope}|{identity.can_unmask}"
    return "t-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def user_for(identity: Identity) -> users.User:
    """The store's user for this identity (created, or put back as asked), with TEST_PASSWORD."""
    name = username_for(identity)
    user = users.get(name)
    if user is None:
        # test scopes are codes of the seeded city; the scope check itself is tested elsewhere
        return users.add(name, identity.name, identity.role, identity.scope, TEST_PASSWORD,
                         can_unmask=identity.can_unmask, scope_exists=None)
    if not user.active:
        users.set_active(name, True)
    return users.get(name)


def put_identity(at, identity: Identity | None) -> None:
    """Sign an AppTest session in as `identity` (None: nobody signed in)."""
    if identity is not None:
        at.session_state[TOKEN_KEY] = users.open_session(user_for(identity), "password")


@contextlib.contextmanager
def store(url: str | None):
    """Work on another audit store for a while (a browser test's server has its own)."""
    before = os.environ.get("EPI_PORTAL_DB")
    if url:
        os.environ["EPI_PORTAL_DB"] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("EPI_PORTAL_DB", None)
        else:
            os.environ["EPI_PORTAL_DB"] = before


def browser_sign_in(page, role: str = "leadership", scope: str = "") -> None:
    """Sign in on the portal's sign-in page in a Playwright page already opened on the portal."""
    from portal.glossary import ROLES

    parts = urlsplit(page.url)
    with store(SERVER_STORES.get(f"{parts.scheme}://{parts.netloc}")):
        user = user_for(Identity(f"测试{ROLES[role]}", role, scope))
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
