"""Who a page, an audit event or an administration step acts for (no Streamlit, no store):
the identity session.current() derives from the user store on every run."""

from __future__ import annotations

from dataclasses import dataclass

from portal.glossary import ROLES


@dataclass(frozen=True)
class Identity:
    name: str
    role: str
    scope: str  # jurisdiction: '' for the whole city, else a district/street code prefix
    can_unmask: bool = False  # may show full names, ID numbers and phones (each use is audited)
    username: str = ""

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


def identity_of(user) -> Identity:
    """The identity pages use, from a user-store row (portal.auth.users.User)."""
    return Identity(user.display_name, user.role, user.scope, user.can_unmask, user.username)
