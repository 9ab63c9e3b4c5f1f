"""How tests sign in: one place, so every AppTest and browser test signs in the same way."""

from __future__ import annotations

from portal.session import Identity


def put_identity(at, identity: Identity | None) -> None:
    """Sign an AppTest session in as `identity` (None: nobody signed in)."""
    if identity is not None:
        at.session_state["identity"] = identity


def browser_sign_in(page, role: str = "leadership", scope: str = "") -> None:
    """Sign in on the portal's sign-in page in a Playwright page already opened on the portal."""
    from portal.glossary import ROLES
    from portal.skeleton import district_choices

    if role != "leadership":
        page.get_by_label("角色").click()
        page.get_by_role("option", name=ROLES[role]).click()
    if scope:
        page.get_by_label("管辖区（区县工作人员）").click()
        # the picker lists districts by name
        page.get_by_role("option").filter(has_text=district_choices().get(scope, scope)).first.click()
    page.get_by_role("button", name="进入平台").click()
