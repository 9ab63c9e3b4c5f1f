"""Each role's menu agrees with the pages: every page listed for a role opens for it without a
refusal, no page that refuses a role is listed for it, and each listed page opens through the
portal's navigation."""

from pathlib import Path

import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.adhoc.adhoc import REFUSED as ADHOC_REFUSED
from portal.auth import access
from portal.auth.session import Identity

ROOT = Path(__file__).resolve().parent.parent
IDENTITIES = [Identity("测试", "leadership", ""), Identity("测试", "analyst", ""),
              Identity("测试", "district_operator", "510104"), Identity("测试", "admin", ""),
              Identity("测试", "display", ""), Identity("测试", "display", "510104")]


def refusals(at) -> list[str]:
    said = [e.value for e in at.error] + [i.value for i in at.info] + [w.value for w in at.warning]
    return [s for s in said if s.endswith("角色无权打开此页面。") or s in (access.CITY_ONLY_REFUSAL, ADHOC_REFUSED)]


def listed(identity: Identity) -> set[str]:
    return {file for pages in access.menu_for(identity).values() for file, _, _ in pages}


def test_every_page_is_in_the_table():
    pages = {p.name for p in (ROOT / "pages").glob("*.py")} - {"sign_in.py"}
    assert pages == set(access.ROLES_OF) == {f for group in access.MENU.values() for f, _, _ in group}


@pytest.mark.parametrize("identity", IDENTITIES, ids=lambda i: f"{i.role}-{i.scope or 'city'}")
def test_listed_pages_open_and_refusing_pages_are_not_listed(tiny_warehouse, identity):
    shown = listed(identity)
    for name in sorted(access.ROLES_OF):
        at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=180)
        put_identity(at, identity)
        at.run()
        assert not at.exception, name
        refused = refusals(at)
        if name in shown or name in access.PUBLIC:
            assert not refused, (name, refused)
        else:
            assert refused, name


def test_the_navigation_opens_every_listed_page(tiny_warehouse):
    operator = Identity("测试", "district_operator", "510104")
    assert "sources.py" not in listed(operator) and "users_admin.py" not in listed(operator)
    assert listed(Identity("测试", "admin", "")) == {"users_admin.py", "audit_log.py", "sources.py"}
    assert listed(Identity("测试", "leadership", "")) == set(access.ROLES_OF) - {"users_admin.py", "audit_log.py"}
    assert listed(Identity("测试", "display", "")) == listed(Identity("测试", "display", "510104")) == {"big_screen.py"}
    for identity in (operator, Identity("测试", "admin", ""), Identity("测试", "display", "510104")):
        at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=180)
        put_identity(at, identity)
        at.run()
        assert not at.exception
        for name in listed(identity):
            at.switch_page(f"../pages/{name}").run()
            assert not at.exception and not refusals(at), name
